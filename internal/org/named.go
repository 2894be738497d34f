package org

import "strings"

// This file reads the data a :var may name instead of a block: an Org
// table, a plain list or an example block carrying a #+name:, as
// org-babel-ref-resolve finds the first element so named (outside
// COMMENTed headings) and reads it with org-babel-read-element.

// NamedData is the value of the first element named name, when it is data
// (a table: rows of cells, rules as hline rows; a plain list: its items;
// an example block or fixed-width lines: their text). ok is false when no
// element has that name or the first one is a source block or a #+call:
// (whose result is the value instead).
func (d *Document) NamedData(name string) (kind int, scalar string, table [][]string, list []string, ok bool) {
	p := newParser(d.Text)
	inBlock := ""
	for i := 0; i < len(p.lines); i++ {
		t := p.lines[i].Text
		r := t[skipBlanks(t):]
		if inBlock != "" {
			if hasPrefixFold(r, "#+END_"+inBlock) {
				inBlock = ""
			}
			continue
		}
		if hasPrefixFold(r, "#+BEGIN_") && !hasPrefixFold(r, "#+BEGIN_SRC") {
			typ := r[len("#+BEGIN_"):]
			if k := strings.IndexAny(typ, " \t"); k >= 0 {
				typ = typ[:k]
			}
			if !isNameLine(p.lines, i-1, name) {
				inBlock = strings.ToUpper(typ)
				continue
			}
		}
		if p.els.srcAt[i] != 0 || !isNameLine(p.lines, i, name) || p.commented(i) {
			continue
		}
		// The element the keyword belongs to: after the affiliated
		// keywords, on the next line.
		j := i
		for j < len(p.lines) && isAffiliatedLine(p.lines[j].Text) {
			j++
		}
		if j == len(p.lines) || isBlank(p.lines[j].Text) {
			continue // an orphaned keyword names nothing
		}
		et := p.lines[j].Text
		er := et[skipBlanks(et):]
		switch {
		case hasPrefixFold(er, "#+BEGIN_SRC"), hasPrefixFold(er, "#+CALL:"):
			return 0, "", nil, nil, false
		case strings.HasPrefix(er, "|"):
			v, ok := p.readResult(j)
			if !ok || v.kind != valueTable {
				return 0, "", nil, nil, false
			}
			return valueTable, "", v.table, nil, true
		case itemBullet(et) > 0:
			return valueTable, "", nil, p.readList(j), true
		case hasPrefixFold(er, "#+BEGIN_EXAMPLE"), isFixedWidth(er):
			v, ok := p.readResult(j)
			if !ok {
				return 0, "", nil, nil, false
			}
			return valueString, v.str, nil, nil, true
		}
		return 0, "", nil, nil, false
	}
	return 0, "", nil, nil, false
}

// isNameLine reports whether line i is "#+name: NAME".
func isNameLine(lines []line, i int, name string) bool {
	if i < 0 || i >= len(lines) {
		return false
	}
	t := lines[i].Text
	r := t[skipBlanks(t):]
	if !hasPrefixFold(r, "#+NAME:") {
		return false
	}
	return strings.Trim(r[len("#+NAME:"):], " \t") == name
}

// readList is org-babel-read-list of a plain list at line i: the text of
// each top-level item (its first line, bullet removed), read as
// org-babel-read reads a cell.
func (p *parser) readList(i int) []string {
	ind := skipBlanks(p.lines[i].Text)
	var items []string
	for k := i; k < len(p.lines); k++ {
		t := p.lines[k].Text
		if isBlank(t) {
			if k+1 < len(p.lines) && isBlank(p.lines[k+1].Text) {
				break
			}
			continue
		}
		n := itemBullet(t)
		if isHeading(t) || skipBlanks(t) < ind || skipBlanks(t) == ind && n == 0 {
			break
		}
		if n == 0 || skipBlanks(t) > ind {
			continue // an item's further lines, or a nested list
		}
		text := strings.TrimSpace(t[n:])
		if v, err := readCell(text); err == nil {
			text = v
		}
		items = append(items, text)
	}
	return items
}
