package org

import (
	"regexp"
	"strings"
)

// This file reads a plain list as Org 9.5.5's org-babel-read-list does:
// org-list-to-lisp of the structure org-list-struct finds around the
// list's first item (its context, its items and where each ends, parents
// and previous items), the top list's type dropped.

// ListItem is an item of a plain list as org-list-to-lisp gives it: its
// text (bullet removed; counter, checkbox and description tag kept), then
// Parts: its sublists, each followed by the item's text after it, if any.
type ListItem struct {
	Text  string
	Parts []ListPart
}

// ListPart is a part of an item after its text: a sublist (Kind
// "ordered", "unordered" or "descriptive", and its Items) or, Kind "",
// text (Text).
type ListPart struct {
	Kind  string
	Items []ListItem
	Text  string
}

// ValueTextTable is the kind of a plain list read back from a block's
// results: a table of one column whose cells are strings, even where they
// read as numbers.
const ValueTextTable = valueTable + 3

// maxListDepth bounds the sublists read.
const maxListDepth = 100

// listStructItem is an item of org-list-struct: its line, indentation
// (columns), its bullet (with the blanks after it), whether it has a
// description tag, and the line it ends before.
type listStructItem struct {
	line, ind int
	bullet    string
	tag       bool
	end       int
}

// listEnding is a candidate ending of org-list-struct: a line and the
// indentation that ends items at least as indented.
type listEnding struct{ ind, line int }

// readList is org-babel-read-list of the plain list whose item is at
// line i.
func (p *parser) readList(i int) []ListItem {
	items := p.listStruct(i)
	if len(items) == 0 {
		return nil
	}
	l := plainList{p: p, items: items}
	l.relations()
	_, top := l.sublist(0, 0)
	return top
}

// isListItem is org-item-re at line t (org-list-allow-alphabetical nil):
// a "-", "+" or number bullet, or an indented "*" one, followed by a
// blank or the line's end.
func isListItem(t string) bool {
	n := itemBullet(t)
	if n == 0 {
		return false
	}
	ind := skipBlanks(t)
	return !(t[ind] == '*' && ind == 0)
}

// listDrawerRe is org-drawer-regexp.
var listDrawerRe = regexp.MustCompile(`^[ \t]*:[\pL\pN_-]+:[ \t]*$`)

func isDrawerEndLine(t string) bool {
	return hasPrefixFold(t[skipBlanks(t):], ":END:")
}

// blockLine is "^[ \t]*#\+\(begin\|end\)_" at t: "begin", "end" or "".
func blockLine(t string) string {
	r := t[skipBlanks(t):]
	switch {
	case hasPrefixFold(r, "#+BEGIN_"):
		return "begin"
	case hasPrefixFold(r, "#+END_"):
		return "end"
	}
	return ""
}

// listContext is org-list-context at line i, in lines: up is the line at
// or above which org-list-struct stops looking up (the heading, the
// buffer's first line, or the first line inside the drawer or block
// holding the list), down the first line past the list's lower limit
// (the next heading, the drawer's or block's closing line, or the
// buffer's end).
func (p *parser) listContext(i int) (up, down int) {
	up, down = 0, len(p.lines)
	for k := i; k >= 0; k-- {
		if isHeading(p.lines[k].Text) {
			up = k
			break
		}
	}
	for k := i + 1; k < len(p.lines); k++ {
		if isHeading(p.lines[k].Text) {
			down = k
			break
		}
	}
	// A drawer: the nearest drawer line above, and the first :END: from
	// it (itself, when it is one) past line i, or none before the limit.
	if t := p.lines[i].Text; !listDrawerRe.MatchString(t) && !isDrawerEndLine(t) {
		if d := p.lastLineBefore(i, up, listDrawerRe.MatchString); d >= 0 {
			end := p.firstLineFrom(d, down, isDrawerEndLine)
			if end < 0 {
				end = down
			}
			if end > i {
				up, down = d+1, end
			}
		}
	}
	// A block: the nearest opening or closing line above is an opening
	// one, and the next such line from there, past line i, closes it.
	if blockLine(p.lines[i].Text) == "" {
		isBlockLine := func(s string) bool { return blockLine(s) != "" }
		if b := p.lastLineBefore(i, up, isBlockLine); b >= 0 && blockLine(p.lines[b].Text) == "begin" {
			if e := p.firstLineFrom(b+1, down, isBlockLine); e > i && blockLine(p.lines[e].Text) == "end" {
				up, down = b+1, e
			}
		}
	}
	return up, down
}

// listEndsAt is org-list-end-re at line k: it and the next line blank.
func (p *parser) listEndsAt(k int) bool {
	return k+1 < len(p.lines) && isBlank(p.lines[k].Text) && p.lines[k].NL && isBlank(p.lines[k+1].Text) && p.lines[k+1].NL
}

// listStruct is org-list-struct at the item at line i: the items of the
// whole list around it, top first, each with its end.
func (p *parser) listStruct(i int) []listStructItem {
	up, down := p.listContext(i)
	ind := func(k int) int {
		_, col := indentation(p.lines[k].Text)
		return col
	}
	item := func(k int) listStructItem {
		t := p.lines[k].Text
		n := itemBullet(t)
		b := n + skipBlanks(t[n:])
		return listStructItem{line: k, ind: ind(k), bullet: t[skipBlanks(t):b], tag: listTag(t, n), end: -1}
	}
	begLine, begInd := i, ind(i)
	textMinInd := 10000
	var above []listStructItem // part 1, bottom first
	var endsAbove []listEnding
	// 1. Up from the item to the list's beginning.
	for k := i; ; {
		t := p.lines[k].Text
		if k <= up {
			if isListItem(t) {
				begLine, begInd = k, ind(k)
				above = append(above, item(k))
			}
			break
		}
		if p.listEndsAt(k) {
			break
		}
		if isListItem(t) {
			above = append(above, item(k))
			endsAbove = append(endsAbove, listEnding{ind(k), k})
			if ind(k) < textMinInd {
				begLine, begInd = k, ind(k)
			}
			k--
			continue
		}
		if blockLine(t) == "end" {
			if b := p.lastLineBefore(k, up, func(s string) bool { return blockLine(s) == "begin" }); b >= 0 {
				k = b
				continue
			}
		}
		if isDrawerEndLine(t) {
			if d := p.lastLineBefore(k, up, listDrawerRe.MatchString); d >= 0 {
				k = d
				continue
			}
		}
		if isBlank(t) {
			k--
			continue
		}
		if ind(k) == 0 {
			break
		}
		textMinInd = min(textMinInd, ind(k))
		endsAbove = append(endsAbove, listEnding{ind(k), k})
		k--
	}
	var items []listStructItem
	for k := len(above) - 1; k >= 0; k-- {
		if above[k].line >= begLine {
			items = append(items, above[k])
		}
	}
	var ends []listEnding
	for k := len(endsAbove) - 1; k >= 0; k-- {
		ends = append(ends, endsAbove[k])
	}
	// 2. Down from the item to the list's end.
	endBeforeBlank := func(k int) int {
		for k > 0 && isBlank(p.lines[k-1].Text) {
			k--
		}
		return min(k, down)
	}
	last := ind(i) // the indentation of the latest item
	for k := i + 1; ; {
		if k >= down {
			ends = append(ends, listEnding{0, endBeforeBlank(k)})
			break
		}
		t := p.lines[k].Text
		if p.listEndsAt(k) {
			ends = append(ends, listEnding{0, k})
			break
		}
		if isListItem(t) {
			items = append(items, item(k))
			ends = append(ends, listEnding{ind(k), k})
			last = ind(k)
			k++
			continue
		}
		if isBlank(t) {
			k++
			continue
		}
		if ind(k) <= begInd {
			ends = append(ends, listEnding{0, endBeforeBlank(k)})
			break
		}
		if ind(k) <= last {
			ends = append(ends, listEnding{ind(k), k})
		}
		switch {
		case blockLine(t) == "begin":
			if e := p.firstLineFrom(k, down, func(s string) bool { return blockLine(s) == "end" }); e >= 0 {
				k = e
			}
		case listDrawerRe.MatchString(t):
			if e := p.firstLineFrom(k, down, isDrawerEndLine); e >= 0 {
				k = e
			}
		}
		k++
	}
	// 3. Each item ends at the first ending past it as little indented.
	for n := range items {
		for len(ends) > 0 && ends[0].line <= items[n].line {
			ends = ends[1:]
		}
		for _, e := range ends {
			if e.ind <= items[n].ind {
				items[n].end = e.line
				break
			}
		}
	}
	return items
}

// lastLineBefore is the last line in [up, k) that match accepts, or -1.
func (p *parser) lastLineBefore(k, up int, match func(string) bool) int {
	for b := k - 1; b >= up && b >= 0; b-- {
		if match(p.lines[b].Text) {
			return b
		}
	}
	return -1
}

// firstLineFrom is the first line in [k, down) that match accepts, or -1.
func (p *parser) firstLineFrom(k, down int, match func(string) bool) int {
	for e := k; e < down; e++ {
		if match(p.lines[e].Text) {
			return e
		}
	}
	return -1
}

// descTagRe is what follows a bullet of org-list-full-item-re when the
// item has a description tag: blanks, the tag, blanks and "::".
var descTagRe = regexp.MustCompile(`^[ \t].*[ \t]::([ \t]|$)`)

// listTag reports whether the item at t, its bullet ending at n, has a
// description tag (only a "-", "+" or "*" bullet has one).
func listTag(t string, n int) bool {
	b := t[n-1]
	return (b == '-' || b == '+' || b == '*') && descTagRe.MatchString(t[n:])
}

// plainList is a list structure with org-list-parents-alist and
// org-list-prevs-alist.
type plainList struct {
	p       *parser
	items   []listStructItem
	parent  []int // item index, or -1 for a top-level item
	prev    []int // the previous item in its sublist, or -1
	next    []int // the next one, or -1
	visited int
}

// relations computes parents and previous items as Org does.
func (l *plainList) relations() {
	n := len(l.items)
	l.parent, l.prev, l.next = make([]int, n), make([]int, n), make([]int, n)
	type origin struct{ ind, item int }
	toOrigin := []origin{{l.items[0].ind, -1}} // innermost first
	l.parent[0] = -1
	for k := 1; k < n; k++ {
		ind, prevInd := l.items[k].ind, toOrigin[0].ind
		switch {
		case prevInd > ind:
			found := -1
			for m, o := range toOrigin {
				if o.ind == ind {
					found = m
					break
				}
			}
			if found < 0 {
				for m, o := range toOrigin {
					if o.ind < ind {
						found = m
						break
					}
				}
			}
			if found < 0 {
				toOrigin = []origin{{ind, -1}}
			} else {
				toOrigin = toOrigin[found:]
			}
			l.parent[k] = toOrigin[0].item
		case prevInd < ind:
			toOrigin = append([]origin{{ind, k - 1}}, toOrigin...)
			l.parent[k] = k - 1
		default:
			l.parent[k] = toOrigin[0].item
		}
	}
	for k := range l.items {
		l.prev[k], l.next[k] = -1, -1
	}
	// An item's previous one is the first item ending on its line; its
	// next one the first item whose previous one it is.
	endingOn := make(map[int]int, len(l.items))
	for m := len(l.items) - 1; m >= 0; m-- {
		endingOn[l.items[m].end] = m
	}
	for k, it := range l.items {
		if m, ok := endingOn[it.line]; ok {
			l.prev[k] = m
		}
	}
	for m := range l.items {
		if k := l.prev[m]; k >= 0 && l.next[k] < 0 {
			l.next[k] = m
		}
	}
}

// allItems is org-list-get-all-items: the items of k's sublist.
func (l *plainList) allItems(k int) []int {
	first := k
	for seen := 0; l.prev[first] >= 0 && seen < len(l.items); seen++ {
		first = l.prev[first]
	}
	var out []int
	for m := first; m >= 0 && len(out) < len(l.items); m = l.next[m] {
		out = append(out, m)
	}
	return out
}

// sublist is org-list-to-lisp's parse-sublist of k's sublist: its type
// and items.
func (l *plainList) sublist(k, depth int) (kind string, items []ListItem) {
	all := l.allItems(k)
	first := l.items[all[0]]
	switch {
	case strings.ContainsAny(first.bullet, "0123456789"):
		kind = "ordered"
	case first.tag:
		kind = "descriptive"
	default:
		kind = "unordered"
	}
	for _, m := range all {
		items = append(items, l.item(m, depth))
	}
	return kind, items
}

// item is org-list-to-lisp's parse-item: the item's text up to its first
// child, then each sublist of its children and the text after it.
func (l *plainList) item(k, depth int) ListItem {
	it := l.items[k]
	var children []int
	for m := k + 1; m < len(l.items); m++ {
		if l.parent[m] == k {
			children = append(children, m)
		}
	}
	if it.end < 0 {
		it.end = len(l.p.lines)
	}
	upTo := it.end
	if len(children) > 0 {
		upTo = l.items[children[0]].line
	}
	t := l.p.lines[it.line].Text
	// "[ \t]*\S-+[ \t]*": the bullet and the blanks after it, as blanks.
	b := skipBlanks(t)
	for b < len(t) && !isSpaceSyntax(t[b]) {
		b++
	}
	b += skipBlanks(t[b:])
	first := strings.Repeat(" ", stringWidth(t[:b])) + t[b:]
	if l.p.lines[it.line].NL {
		first += "\n"
	}
	out := ListItem{Text: listTrim(first + l.text(it.line+1, upTo))}
	l.visited++
	// Each item is read once in a well-formed list; an ill-formed one
	// (items sharing a sublist with another item's children) may read
	// some again, within bounds.
	if depth >= maxListDepth || l.visited > 4*len(l.items)+16 {
		return out
	}
	for len(children) > 0 {
		sub := l.allItems(children[0])
		kind, items := l.sublist(children[0], depth+1)
		out.Parts = append(out.Parts, ListPart{Kind: kind, Items: items})
		last := sub[len(sub)-1]
		rest := children[:0:0]
		for m, c := range children {
			if c == last {
				rest = children[m+1:]
				break
			}
		}
		children = rest
		subEnd, next := l.items[last].end, it.end
		if len(children) > 0 {
			next = l.items[children[0]].line
		}
		if subEnd != next && subEnd >= 0 && next > subEnd {
			out.Parts = append(out.Parts, ListPart{Text: listTrim(l.text(subEnd, next))})
		}
	}
	return out
}

// text is the buffer's text from line from up to line to.
func (l *plainList) text(from, to int) string {
	var b strings.Builder
	for k := from; k < to && k < len(l.p.lines); k++ {
		b.WriteString(l.p.lines[k].Text)
		if l.p.lines[k].NL {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// listTrim is org-list-to-lisp's trim: one final newline removed, then
// the common indentation (org-remove-indentation).
func listTrim(text string) string {
	return removeIndentation(strings.TrimSuffix(text, "\n"))
}
