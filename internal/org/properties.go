package org

import (
	"strings"
	"unicode/utf8"
)

// Inherited properties are computed once per entry of the outline and kept
// (inheritedAt): a block reads the value of its heading, which extends its
// parent's value by the heading's own "PROP+" lines. Walking up the outline
// for every block instead made a document of deeply nested headings cost
// the square of its depth. A property no drawer names (header-args:LANG,
// for most languages) is not looked for at all (drawersMayName).

// inherited is one property's value at one entry of the outline, as
// (org-entry-get POS PROP 'inherit) computes it before its final "nil"
// test.
type inherited struct {
	done bool
	have bool // the property is set (its value may still be "nil")
	// own is true when the entry has a value of its own (local); the
	// value is then upper's (when hasBase is false and upper is set)
	// followed by a space and local. Otherwise it is upper's value.
	own     bool
	hasBase bool
	built   bool // value is built
	parsed  bool
	// closed: the value splits into pieces and no bracket or quote of
	// it looks beyond its end (parseHeaderArgsClean).
	closed   bool
	endBlank bool  // the value is empty or ends with a blank
	upper    int32 // entry above, or -1
	prefix   int32 // entry whose segments come before seg, or -1
	nvars    int32 // :var arguments in the segments
	length   int   // of the value
	local    string
	value    string
	// The value read as header arguments: the segments of prefix, then
	// seg (see parseAt).
	seg []rawArg
	err error
}

// propMemo is one property's values, for the entries visited so far:
// blocks and the entries above them, not the whole outline (a document
// may ask for as many properties as it has languages).
type propMemo struct {
	slot map[int]int32 // memo slot → entry
	e    []inherited
	// globalOnly: no property drawer names the property, whose value is
	// then the #+PROPERTY one everywhere.
	globalOnly bool
}

// entry is the entry of slot s, made when missing.
func (m *propMemo) entry(s int) int32 {
	if k, ok := m.slot[s]; ok {
		return k
	}
	k := int32(len(m.e))
	m.e = append(m.e, inherited{upper: -1, prefix: -1})
	m.slot[s] = k
	return k
}

// Memo slots: the #+PROPERTY value, point-min, before the first heading,
// then one per heading.
const (
	slotGlobal    = 0
	slotPointMin  = 1
	slotPreamble  = 2
	slotFirstHead = 3
)

// pointMin stands for the virtual level-0 entry at the top of the buffer.
const pointMin = -2

func slotOf(cur int) int {
	switch cur {
	case pointMin:
		return slotPointMin
	case -1:
		return slotPreamble
	}
	return slotFirstHead + cur
}

// memo returns the values of prop, computed on demand. Entry 0 is the
// #+PROPERTY value.
func (p *parser) memo(prop string) *propMemo {
	if p.inherit == nil {
		p.inherit = map[string]*propMemo{}
	}
	m, ok := p.inherit[prop]
	if !ok {
		m = &propMemo{slot: map[int]int32{}}
		g := &m.e[m.entry(slotGlobal)]
		g.done = true
		if v, ok := p.props[strings.ToLower(prop)]; ok && v != "nil" {
			g.have, g.own, g.hasBase, g.local = true, true, true, v
			g.value, g.built, g.length = v, true, len(v)
		}
		m.globalOnly = !p.drawersMayName(prop)
		p.inherit[prop] = m
	}
	return m
}

// at is the entry holding prop's value at line i.
func (p *parser) at(m *propMemo, i int, prop string) int32 {
	if m.globalOnly {
		return 0
	}
	return p.inheritedAt(m, slotOf(int(p.headingOf[i])), prop)
}

// inheritedProperty is (org-entry-get POS PROP 'inherit) for a position on
// line i: the value in the entry's property drawer, accumulated with
// "PROP+" lines, inherited up the outline until an entry sets the base
// value, then the #+PROPERTY value. It reports false when the property is
// not set (or set to "nil").
func (p *parser) inheritedProperty(i int, prop string) (string, bool) {
	defer p.lockMemo()()
	m := p.memo(prop)
	k := p.at(m, i, prop)
	if !m.e[k].have || m.e[k].length == 3 && p.valueOf(m, k) == "nil" {
		return "", false
	}
	return p.valueOf(m, k), true
}

// inheritedAt fills the memo of prop for the entry in slot s and those
// above it, and returns the entry of s.
func (p *parser) inheritedAt(m *propMemo, s int, prop string) int32 {
	var pending []int32
	for c := s; ; {
		k := m.entry(c)
		if m.e[k].done {
			break
		}
		pending = append(pending, k)
		base, hasBase, adds, found := p.localValues(c, prop)
		e := &m.e[k]
		if found {
			parts := adds
			if hasBase {
				parts = append([]string{base}, adds...)
			}
			e.own, e.local = true, strings.Join(parts, " ")
		}
		e.hasBase = hasBase
		if hasBase {
			break
		}
		c = p.upperSlot(c)
		up := m.entry(c) // (which may move m.e: e is stale)
		m.e[k].upper = up
	}
	for n := len(pending) - 1; n >= 0; n-- {
		e := &m.e[pending[n]]
		e.done = true
		switch {
		case e.upper >= 0 && m.e[e.upper].have && e.own:
			e.have, e.length = true, m.e[e.upper].length+1+len(e.local)
		case e.upper >= 0 && m.e[e.upper].have:
			e.have, e.length = true, m.e[e.upper].length
		case e.own:
			e.have, e.length, e.upper = true, len(e.local), -1
			e.value, e.built = e.local, true
		}
	}
	return m.slot[s]
}

// upperSlot is the slot org-up-heading-or-point-min leads to from the
// entry in slot c, or the #+PROPERTY slot at the top.
func (p *parser) upperSlot(c int) int {
	cur := -1
	switch {
	case c == slotPointMin:
		cur = pointMin
	case c >= slotFirstHead:
		cur = c - slotFirstHead
	}
	if next, ok := p.upHeadingOrPointMin(cur); ok {
		return slotOf(next)
	}
	return slotGlobal
}

// valueOf builds (once) the value of entry k.
func (p *parser) valueOf(m *propMemo, k int32) string {
	var chain []int32
	for c := k; !m.e[c].built; c = m.e[c].upper {
		chain = append(chain, c)
	}
	for n := len(chain) - 1; n >= 0; n-- {
		e := &m.e[chain[n]]
		up := m.e[e.upper].value
		if e.own {
			e.value = up + " " + e.local
		} else {
			e.value = up
		}
		e.built = true
	}
	return m.e[k].value
}

// propertyValue is the inherited value of a property at a position, read
// as header arguments: segments to merge in turn.
type propertyValue struct {
	p   *parser
	m   *propMemo
	k   int32
	set bool
}

// propertyValue reads the inherited value of prop at line i, or returns
// what reading it signals.
func (p *parser) propertyValue(i int, prop string) (*propertyValue, error) {
	defer p.lockMemo()()
	m := p.memo(prop)
	k := p.at(m, i, prop)
	v := &propertyValue{p: p, m: m, k: k}
	if !m.e[k].have || m.e[k].length == 3 && p.valueOf(m, k) == "nil" {
		return v, nil
	}
	p.parseAt(m, k)
	if m.e[k].err != nil {
		return nil, m.e[k].err
	}
	v.set = true
	return v, nil
}

// vars is the number of :var arguments in the value.
func (v *propertyValue) vars() int {
	if !v.set {
		return 0
	}
	defer v.p.lockMemo()()
	return int(v.m.e[v.k].nvars)
}

// each calls add with each segment, first to last.
func (v *propertyValue) each(add func([]rawArg) error) error {
	if !v.set {
		return nil
	}
	segs := v.segments()
	for n := len(segs) - 1; n >= 0; n-- {
		if err := add(segs[n]); err != nil {
			return err
		}
	}
	return nil
}

// segments are v's segments, last to first. While Parse reads the
// blocks, alone, they are gathered in the parser's scratch list; a merge
// after Parse gathers them in a list of its own, under the memo's lock
// (another lookup may grow v.m.e); a segment, once parsed, is never
// written again.
func (v *propertyValue) segments() [][]rawArg {
	var segs [][]rawArg
	if v.p.parsing {
		segs = v.p.segs[:0]
	}
	unlock := v.p.lockMemo()
	for c := v.k; c >= 0; c = v.m.e[c].prefix {
		if len(v.m.e[c].seg) > 0 {
			segs = append(segs, v.m.e[c].seg)
		}
	}
	unlock()
	if v.p.parsing {
		v.p.segs = segs
	}
	return segs
}

// lockMemo locks the inherited properties' memo (p.inherit, the propMemos,
// drawerNames, propertyParses) for a lookup after Parse, which may fill it
// for an entry Parse did not visit while other goroutines look other
// names up; it returns the unlock. While Parse reads the blocks, alone,
// it locks nothing.
func (p *parser) lockMemo() func() {
	if p.parsing {
		return func() {}
	}
	p.late.Lock()
	return p.late.Unlock
}

// propertyLayers are the header arguments of the inherited value of prop
// at line i, as segments to merge in turn (nil when the property is not
// set), or what reading them signals.
func (p *parser) propertyLayers(i int, prop string) ([][]rawArg, error) {
	v, err := p.propertyValue(i, prop)
	if err != nil {
		return nil, err
	}
	var segs [][]rawArg
	err = v.each(func(seg []rawArg) error {
		segs = append(segs, seg)
		return nil
	})
	return segs, err
}

// parseAt reads the value of entry k (and those it extends) as header
// arguments. Reading "U L", where U is the value above and L the
// entry's own part, is reading U then L when U is closed, ends with a
// non-blank and L starts a new argument (startsArgument): only L is read
// then. Otherwise the whole value is read.
func (p *parser) parseAt(m *propMemo, k int32) {
	var chain []int32
	for c := k; c >= 0 && !m.e[c].parsed; c = m.e[c].upper {
		chain = append(chain, c)
	}
	for n := len(chain) - 1; n >= 0; n-- {
		c := chain[n]
		e := &m.e[c]
		e.parsed = true
		if !e.have {
			continue
		}
		if e.upper >= 0 && !e.own {
			u := m.e[e.upper]
			e.prefix, e.err, e.closed, e.endBlank = e.upper, u.err, u.closed, u.endBlank
			e.nvars = u.nvars
			continue
		}
		if e.upper >= 0 && m.e[e.upper].have {
			u := m.e[e.upper]
			if u.closed && !u.endBlank && startsArgument(e.local) {
				e.prefix, e.err, e.closed = e.upper, u.err, u.closed
				e.endBlank = isBlankByte(e.local[len(e.local)-1])
				if u.err != nil {
					continue // the same first error
				}
				p.propertyParses++
				e.seg, e.closed, e.err = parseHeaderArgsClean(e.local)
				e.nvars = u.nvars + int32(countVars(e.seg))
				continue
			}
		}
		v := p.valueOf(m, c)
		p.propertyParses++
		e.seg, e.closed, e.err = parseHeaderArgsClean(v)
		e.nvars = int32(countVars(e.seg))
		e.endBlank = v == "" || isBlankByte(v[len(v)-1])
	}
}

// startsArgument reports whether v starts a header argument that is read
// the same after a value as alone: a colon and a non-blank (after ": :"
// the concatenation would drop an empty piece that v alone keeps).
func startsArgument(v string) bool {
	return len(v) >= 2 && v[0] == ':' && !isBlankByte(v[1])
}

func isBlankByte(c byte) bool { return c == ' ' || c == '\t' }

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

// localValues is org--property-local-values for the entry in slot s.
func (p *parser) localValues(s int, prop string) (base string, hasBase bool, adds []string, found bool) {
	p.drawerReads++
	from, to, ok := p.drawerOf(s)
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

// drawerOf returns the lines inside the property drawer of the entry in
// slot s.
func (p *parser) drawerOf(s int) (int, int, bool) {
	if s >= slotFirstHead {
		h := p.headings[s-slotFirstHead]
		return h.drawer[0], h.drawer[1], h.hasDrawer
	}
	if s == slotPointMin && len(p.headings) > 0 && p.headings[0].line == 0 {
		return p.drawerOf(slotFirstHead)
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

// drawersMayName reports whether some property drawer has a line for
// prop or "prop+". A line names one property that has no blank (what
// follows its name is blank or nothing), and an ASCII name matches
// propertyLine's case folding only in ASCII, so the lines are indexed by
// that name, lower-cased, once.
func (p *parser) drawersMayName(prop string) bool {
	for i := 0; i < len(prop); i++ {
		if c := prop[i]; c >= utf8.RuneSelf || c == ' ' || c == '\t' {
			return true // not indexed: look
		}
	}
	if p.drawerNames == nil {
		p.drawerNames = map[string]bool{}
		add := func(from, to int) {
			for j := from; j < to; j++ {
				t := p.lines[j].Text
				r := t[skipBlanks(t):]
				k := strings.IndexAny(r, " \t")
				if k < 0 {
					k = len(r)
				}
				if k >= 3 && r[0] == ':' && r[k-1] == ':' {
					p.drawerNames[strings.ToLower(r[1:k-1])] = true
				}
			}
		}
		for _, h := range p.headings {
			if h.hasDrawer {
				add(h.drawer[0], h.drawer[1])
			}
		}
		if from, to, ok := p.drawerOf(slotPreamble); ok {
			add(from, to)
		}
	}
	lower := strings.ToLower(prop)
	return p.drawerNames[lower] || p.drawerNames[lower+"+"]
}
