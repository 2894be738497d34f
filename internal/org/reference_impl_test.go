package org

import (
	"fmt"
	"strings"
)

// The implementations the linear ones replaced, kept to check that the
// new ones give the same answers (reference_test.go's tests).

func refBalancedSplitBy(s string, twoFold bool, sep byte) []string {
	var result []string
	var partial []byte
	flush := func() {
		if len(partial) > 0 {
			result = append(result, string(partial))
			partial = partial[:0]
		}
	}
	i := 0
	for i < len(s) {
		c := s[i]
		var past byte
		hasPast := i > 0
		if hasPast {
			past = s[i-1]
		}
		split := false
		if twoFold {
			split = hasPast && (past == ' ' || past == '\t') && c == ':'
		} else {
			split = c == sep
		}
		switch {
		case split:
			if twoFold && len(partial) > 0 {
				partial = partial[:len(partial)-1]
			}
			flush()
			i++
		case c == '(' || c == '[':
			// Include everything up to the balancing bracket.
			if j, ok := refBalancedEnd(s, i); ok {
				partial = append(partial, s[i:j]...)
				i = j
			} else {
				partial = append(partial, c)
				i++
			}
		case c == '"' && !(hasPast && past == '\\'):
			// Up to the next double quote not preceded by a backslash
			// ("[^\\]\"" searched from the quote itself).
			end := -1
			for k := i + 1; k < len(s); k++ {
				if s[k] == '"' && s[k-1] != '\\' {
					end = k
					break
				}
			}
			if end >= 0 && end-1 >= i {
				partial = append(partial, s[i:end+1]...)
				i = end + 1
			} else {
				partial = append(partial, '"')
				i++
			}
		default:
			partial = append(partial, c)
			i++
		}
	}
	flush()
	return result
}
func refMergeWords(groups [][]string, existing []string, words []string) []string {
	var output []string
	for _, w := range append(append([]string(nil), existing...), words...) {
		for _, g := range groups {
			if contains(g, w) {
				output = refRemoveIf(output, func(o string) bool { return contains(g, o) })
			}
		}
		output = append([]string{w}, output...)
	}
	return output
}
func refRemoveIf(list []string, drop func(string) bool) []string {
	out := list[:0:0]
	for _, x := range list {
		if !drop(x) {
			out = append(out, x)
		}
	}
	return out
}
func refDeleteDups(list []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range list {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
func refMergeParams(layers ...[]rawArg) (Args, []string, error) {
	type varEntry struct{ name, assignment string }
	var vars []varEntry
	var results, exports []string
	var params []rawArg // most recent first
	varIndex := 0
	for _, layer := range layers {
		for _, p := range layer {
			switch p.Key {
			case ":var":
				if p.Number {
					return nil, nil, fmt.Errorf(":var: %s is not an assignment", *p.Value)
				}
				value := ""
				if p.Value != nil {
					value = *p.Value
				}
				if name, ok := varName(value); ok {
					kept := vars[:0:0]
					for _, v := range vars {
						if v.name != name {
							kept = append(kept, v)
						}
					}
					vars = append(kept, varEntry{name, value})
				} else if varIndex < len(vars) {
					vars[varIndex].assignment = vars[varIndex].name + "=" + value
					varIndex++
				} else {
					return nil, nil, fmt.Errorf(":var: variable %q must be assigned a default value", value)
				}
			case ":results":
				if p.Value == nil || p.Number {
					return nil, nil, fmt.Errorf(":results: bad value")
				}
				results = refDeleteDups(refMergeWords(resultsGroups, results, splitString(*p.Value)))
			case ":exports":
				if p.Number {
					return nil, nil, fmt.Errorf(":exports: bad value")
				}
				v := ""
				if p.Value != nil {
					v = *p.Value
				}
				exports = refDeleteDups(refMergeWords(exportsGroups, exports, splitString(v)))
			default:
				kept := []rawArg{p}
				for _, q := range params {
					if q.Key != p.Key {
						kept = append(kept, q)
					}
				}
				params = kept
			}
		}
	}
	args := make(Args, 0, len(params)+2)
	args = append(args, Arg{Key: "results", Value: strings.Join(results, " ")})
	args = append(args, Arg{Key: "exports", Value: strings.Join(exports, " ")})
	for _, p := range params {
		if !strings.HasPrefix(p.Key, ":") {
			// Text before the first " :" on a header line becomes a
			// symbol without a colon in Emacs; Babel never reads it, and
			// it is not a header argument.
			continue
		}
		v := ""
		if p.Value != nil {
			v = *p.Value
		}
		args = append(args, Arg{Key: p.Key[1:], Value: v})
	}
	var assignments []string
	for _, v := range vars {
		assignments = append(assignments, v.assignment)
	}
	return args, assignments, nil
}
func refBalancedEnd(s string, i int) (int, bool) {
	openings := []byte{s[i]}
	j := i + 1
	for len(openings) > 0 && j < len(s) {
		k := strings.IndexAny(s[j:], "[]()")
		if k < 0 {
			return 0, false
		}
		j += k
		switch s[j] {
		case '[', '(':
			openings = append(openings, s[j])
		case ']':
			if openings[len(openings)-1] == '[' {
				openings = openings[:len(openings)-1]
			}
		case ')':
			if openings[len(openings)-1] == '(' {
				openings = openings[:len(openings)-1]
			}
		}
		j++
	}
	return j, len(openings) == 0
}

func refInheritedProperty(p *parser, i int, prop string) (string, bool) {
	var value string
	have := false
	cur := int(p.headingOf[i]) // -1: before the first heading
	for {
		base, hasBase, adds, found := refLocalValues(p, cur, prop)
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
func refLocalValues(p *parser, cur int, prop string) (base string, hasBase bool, adds []string, found bool) {
	from, to, ok := refDrawerOf(p, cur)
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
func refDrawerOf(p *parser, cur int) (int, int, bool) {
	switch cur {
	case -1, pointMin:
		if cur == pointMin && len(p.headings) > 0 && p.headings[0].line == 0 {
			return refDrawerOf(p, 0)
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
