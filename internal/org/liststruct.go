package org

import "sort"

// This file gives the structure of a plain list as org-element (Org
// 9.5.5) parses it, org-element--list-struct: where each item ends, so
// that a block or #+call: line that is the last element of its item is
// known (its element ends at its last line, the blank lines after it
// being the item's). It differs from org-list-struct (plainlist.go, for
// org-babel-read-list) in the blocks it passes over: any
// "#+BEGIN_TYPE" to its own "#+END_TYPE", and dynamic blocks.

// listSpans is a plain list's items, in order, and the line the list
// ends at (the latest end of its items).
type listSpans struct {
	items []itemSpan
	end   int
}

// itemSpan is an item: its bullet's line and column, the item holding
// it (an index into the list's items, -1 for none) and the line it ends
// before.
type itemSpan struct {
	line, ind, parent, end int
}

// listStruct is org-element--list-struct at item line i, the list's
// container ending at line limit. Going down from the item: an item
// line ends the items at least as indented (at that line); a text line
// ends those at least as indented (after the last line before it that
// is not blank), and the list when none is left; two blank lines (each
// with its newline) and the limit end the list. The lines of a block
// ("#+BEGIN_TYPE" or "#+BEGIN:" to the next "#+END_TYPE" or "#+END:"
// line alone on its line) or a drawer (to the next ":END:") after a
// text line are passed over, whatever their indentation.
func (s *scanner) listStruct(i, limit int) *listSpans {
	lines := s.lines
	l := &listSpans{}
	var open []int
	// afterText is the line after the last one before k that is not
	// blank (skip-chars-backward " \r\t\n", then the next line).
	afterText := func(k int) int {
		for k > i && isBlank(lines[k-1].Text) {
			k--
		}
		return k
	}
	endOpen := func(end int) {
		for _, o := range open {
			l.items[o].end = end
		}
		open = open[:0]
	}
	indent := func(t string) int { return columns(t[:skipBlanks(t)]) }
	for k := i; ; {
		if k >= limit {
			endOpen(afterText(limit))
			break
		}
		t := lines[k].Text
		if isBlank(t) && lines[k].NL && k+1 < len(lines) && isBlank(lines[k+1].Text) && lines[k+1].NL {
			endOpen(k)
			break
		}
		if isListItem(t) {
			ind := indent(t)
			for len(open) > 0 && ind <= l.items[open[len(open)-1]].ind {
				l.items[open[len(open)-1]].end = k
				open = open[:len(open)-1]
			}
			parent := -1
			if len(open) > 0 {
				parent = open[len(open)-1]
			}
			l.items = append(l.items, itemSpan{line: k, ind: ind, parent: parent, end: -1})
			open = append(open, len(l.items)-1)
			k++
			continue
		}
		if isBlank(t) {
			k++
			continue
		}
		ind, end := indent(t), afterText(k)
		for len(open) > 0 && ind <= l.items[open[len(open)-1]].ind {
			l.items[open[len(open)-1]].end = end
			open = open[:len(open)-1]
		}
		if len(open) == 0 {
			break
		}
		if e := s.listSkip(k, limit); e >= 0 {
			k = e
		}
		k++
	}
	for _, it := range l.items {
		l.end = max(l.end, it.end)
	}
	return l
}

// listSkip is the line org-element--list-struct passes over to from
// text line k: the closing line of the block or drawer k opens, or -1.
func (s *scanner) listSkip(k, limit int) int {
	t := s.lines[k].Text
	r := t[skipBlanks(t):]
	switch {
	case hasPrefixFold(r, "#+BEGIN:"):
		return nextIn(s.dynColon, k+1, limit)
	case hasPrefixFold(r, "#+BEGIN_") && len(r) > 8 && !isSpaceSyntax(r[8]):
		typ := r[8:]
		n := 0
		for n < len(typ) && !isSpaceSyntax(typ[n]) {
			n++
		}
		return s.blockEnd(k+1, limit, typ[:n])
	case isDrawerLine(t):
		return nextIn(s.drawerEnds, k, limit)
	}
	return -1
}

// endsItem reports whether the element whose first line (after its
// affiliated keywords) is post and last line is last is the last
// element of a list item of the list being parsed: the item's contents
// end (the line after its last line that is not blank) right after it.
// Its own end is then its item's contents end: the blank lines after it
// are the item's, its results go right after it, and
// org-babel-where-is-src-block-result looks for no anonymous results
// there.
func (s *scanner) endsItem(post, last int) bool {
	if s.list == nil {
		return false
	}
	items := s.list.items
	k := sort.Search(len(items), func(n int) bool { return items[n].line >= post }) - 1
	for k >= 0 && items[k].end <= post {
		k = items[k].parent
	}
	if k < 0 {
		return false
	}
	end := items[k].end
	for end > last+1 && isBlank(s.lines[end-1].Text) {
		end--
	}
	return end == last+1
}
