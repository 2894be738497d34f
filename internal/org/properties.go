package org

import "strings"

// inheritedProperty is (org-entry-get POS PROP 'inherit) for a position on
// line i: the value in the entry's property drawer, accumulated with
// "PROP+" lines, inherited up the outline until an entry sets the base
// value, then the #+PROPERTY value. It reports false when the property is
// not set (or set to "nil").
func (p *parser) inheritedProperty(i int, prop string) (string, bool) {
	var value string
	have := false
	cur := int(p.headingOf[i]) // -1: before the first heading
	for {
		base, hasBase, adds, found := p.localValues(cur, prop)
		if found {
			parts := adds
			if hasBase {
				parts = append([]string{base}, adds...)
			}
			v := strings.Join(parts, " ")
			if have {
				v += " " + value
			}
			value, have = v, true
		}
		if hasBase {
			break
		}
		next, ok := p.upHeadingOrPointMin(cur)
		if !ok {
			if g, ok := p.props[strings.ToLower(prop)]; ok && g != "nil" {
				if have {
					value = g + " " + value
				} else {
					value, have = g, true
				}
			}
			break
		}
		cur = next
	}
	if !have || value == "nil" {
		return "", false
	}
	return value, true
}

// pointMin stands for the virtual level-0 entry at the top of the buffer.
const pointMin = -2

// upHeadingOrPointMin is org-up-heading-or-point-min from entry cur.
func (p *parser) upHeadingOrPointMin(cur int) (int, bool) {
	switch {
	case cur == -1:
		return 0, false
	case cur == pointMin:
		// At point-min: on a heading when the buffer starts with one.
		if len(p.headings) > 0 && p.headings[0].line == 0 {
			return p.upHeadingOrPointMin(0)
		}
		return 0, false
	}
	h := p.headings[cur]
	if h.level > 1 {
		if h.parent >= 0 {
			return h.parent, true
		}
		return 0, false
	}
	if h.line == 0 {
		return 0, false
	}
	return pointMin, true
}

// localValues is org--property-local-values for entry cur.
func (p *parser) localValues(cur int, prop string) (base string, hasBase bool, adds []string, found bool) {
	from, to, ok := p.drawerOf(cur)
	if !ok {
		return "", false, nil, false
	}
	baseSeen := false
	for j := from; j < to; j++ {
		if v, ok := propertyLine(p.lines[j].Text, prop); ok && !baseSeen {
			baseSeen = true
			if v != "nil" {
				base, hasBase = v, true
			}
		}
		if v, ok := propertyLine(p.lines[j].Text, prop+"+"); ok {
			adds = append(adds, v)
		}
	}
	return base, hasBase, adds, hasBase || len(adds) > 0
}

// drawerOf returns the lines inside the property drawer of entry cur.
func (p *parser) drawerOf(cur int) (int, int, bool) {
	switch cur {
	case -1, pointMin:
		if cur == pointMin && len(p.headings) > 0 && p.headings[0].line == 0 {
			return p.drawerOf(0)
		}
		// Before the first heading: a drawer after leading "# " comments.
		j := 0
		for j < len(p.lines) && strings.HasPrefix(strings.TrimLeft(p.lines[j].Text, " \t"), "# ") {
			j++
		}
		if end, ok := propertyDrawerAt(p.lines, j, len(p.lines)); ok {
			return j + 1, end, true
		}
		return 0, 0, false
	}
	h := p.headings[cur]
	return h.drawer[0], h.drawer[1], h.hasDrawer
}

// propertyLine matches (org-re-property PROP nil t): ":PROP:" then nothing
// or blanks and a value; the value is returned without surrounding blanks.
func propertyLine(t, prop string) (string, bool) {
	r := t[skipBlanks(t):]
	if len(r) < len(prop)+2 || r[0] != ':' || !strings.EqualFold(r[1:1+len(prop)], prop) || r[1+len(prop)] != ':' {
		return "", false
	}
	rest := r[len(prop)+2:]
	if rest == "" {
		return "", true
	}
	if rest[0] != ' ' && rest[0] != '\t' {
		return "", false
	}
	return strings.Trim(rest, " \t"), true
}
