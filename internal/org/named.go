package org

import (
	"errors"
	"fmt"
	"strings"
	"sync"
)

// This file reads the data a :var may name instead of a block: an Org
// table, a plain list or an example block carrying a #+name:, as
// org-babel-ref-resolve finds the first element so named (outside
// COMMENTed headings) and reads it with org-babel-read-element.

// NamedData is the value of the first element named name, when it is data
// (a table: rows of cells, rules as hline rows; a plain list: its items,
// in List; an example block or fixed-width lines: their text). ok is
// false when no element has that name or the first one is a source block
// or a #+call: (whose result is the value instead).
func (d *Document) NamedData(name string) (value Data, ok bool) {
	d.named.once.Do(d.indexNames)
	j, found := d.named.first[name]
	if !found || j < 0 {
		return Data{}, false
	}
	return d.dataAt(j)
}

// NamedUnread reports whether the first element named name is one Babel
// neither runs nor reads a value from (a horizontal rule, a drawer, a
// paragraph of a link that reads as nil): org-babel-ref-resolve stops its
// search there and signals "Reference not found", whatever element of
// that name follows.
func (d *Document) NamedUnread(name string) bool {
	d.named.once.Do(d.indexNames)
	j, found := d.named.first[name]
	if !found || j == namedRuns {
		return false
	}
	if j < 0 {
		return true
	}
	_, ok := d.dataAt(j)
	return !ok
}

// RefUnread is the error org-babel-read-element's nil makes
// org-babel-ref-resolve signal (NamedUnread).
const RefUnread = "Reference not found"

// namedRuns marks, in namedIndex, an element Babel runs for a reference:
// a source block or a call.
const namedRuns = -2

// dataAt is the value of the named data element at line j (see
// NamedData).
func (d *Document) dataAt(j int) (value Data, ok bool) {
	p := d.parser()
	et := p.lines[j].Text
	er := et[skipBlanks(et):]
	switch {
	case strings.HasPrefix(er, "|"):
		v, ok := p.readResult(j)
		if !ok || v.kind != valueTable {
			return Data{}, false
		}
		return Data{Kind: valueTable, Table: v.table, Quoted: v.quoted}, true
	case itemBullet(et) > 0:
		return Data{Kind: valueTable, List: p.readList(j)}, true
	}
	if end, para := d.named.para[j]; para {
		// A paragraph: its contents as they stand, indentation and
		// final newline kept; one of a single link (blanks around it)
		// is read as the link (org-babel-read-element). One that only
		// starts with a link, or with [[, is text.
		var b strings.Builder
		for k := j; k < end && !isBlank(p.lines[k].Text); k++ {
			b.WriteString(p.lines[k].Text)
			b.WriteByte('\n')
		}
		text := b.String()
		if m := linkBracketRe.FindStringIndex(er); m != nil && strings.Trim(text[len(et)-len(er)+m[1]:], " \r\t\n") == "" {
			v, _ := readLinkValue(er, d.Visit)
			if v.kind == ValueNil {
				// org-babel-ref-resolve: "Reference not found".
				return Data{}, false
			}
			return Data{Kind: v.kind, Scalar: v.str}, true
		}
		return Data{Kind: valueString, Scalar: text}, true
	}
	v, ok := p.readResultIn(j, d.Visit)
	if !ok {
		return Data{}, false
	}
	return Data{Kind: valueString, Scalar: v.str}, true
}

// namedIndex maps each #+name: to the first line of the first element so
// named, or -1 when that element is not data (namedRuns: a source block
// or a call); it is built once per document, on first use.
type namedIndex struct {
	once  sync.Once
	first map[string]int
	// second is first for the second element so named, which
	// org-babel-ref-resolve goes on to when the first one is gone;
	// third for the third, when the second one is gone too.
	second, third map[string]int
	// para maps the first line of a named paragraph to the line after
	// it.
	para map[int]int
	// runsAt is, for a name whose first element is a source block or a
	// #+call: line (first's namedRuns), the line of its #+begin_src or
	// #+call:.
	runsAt map[string]int
}

func (d *Document) indexNames() {
	p := d.parser()
	first, second, third := map[string]int{}, map[string]int{}, map[string]int{}
	runsAt := map[string]int{}
	// The paragraphs, by first line: org-babel-read-element reads a
	// named one as its text.
	paraEnd, para := map[int]int{}, map[int]int{}
	for _, r := range p.els.paras {
		paraEnd[r[0]] = r[1]
	}
	inBlock := ""
	for i := 0; i < len(p.lines); i++ {
		t := p.lines[i].Text
		r := t[skipBlanks(t):]
		if p.inVerbatimBlock(i, r, &inBlock) {
			continue
		}
		// org-babel-ref-resolve searches the lines of
		// org-babel-data-names: #+name: and the old #+tblname: (not
		// #+srcname:, #+data: and the other spellings of a name).
		var name string
		switch {
		case p.els.srcAt[i] != 0 || p.commented(i):
			continue
		case hasPrefixFold(r, "#+NAME:"):
			name = strings.Trim(r[len("#+NAME:"):], " \t")
		case hasPrefixFold(r, "#+TBLNAME:"):
			name = strings.Trim(r[len("#+TBLNAME:"):], " \t")
		default:
			continue
		}
		into, isFirst := first, true
		if _, seen := first[name]; seen {
			into, isFirst = second, false
			if _, seen := second[name]; seen {
				if _, seen := third[name]; seen {
					continue
				}
				into = third
			}
		}
		// The element the keyword belongs to: after the affiliated
		// keywords, on the next line; an orphaned keyword names nothing.
		j, _, ok := p.affiliatedTo(i)
		if !ok {
			continue
		}
		et := p.lines[j].Text
		er := et[skipBlanks(et):]
		switch {
		case strings.HasPrefix(er, "|"), itemBullet(et) > 0 && !isHeading(et),
			readBlock(er), isFixedWidth(er):
			into[name] = j
		case paraEnd[j] > 0:
			into[name] = j
			para[j] = paraEnd[j]
		case hasPrefixFold(er, "#+BEGIN_SRC") || hasPrefixFold(er, "#+CALL:"):
			into[name] = namedRuns
			if isFirst {
				runsAt[name] = j
			}
		default:
			into[name] = -1 // nothing Babel reads
		}
	}
	d.named.first = first
	d.named.second = second
	d.named.third = third
	d.named.para = para
	d.named.runsAt = runsAt
}

// ReferredRunLine is the 1-based line of the #+begin_src or #+call: line
// org-babel-ref-resolve runs for a reference to name: the first element
// so named outside COMMENT subtrees, when it is a source block or a
// call. 0 when that element is data, one Babel reads nothing from, or
// none.
func (d *Document) ReferredRunLine(name string) int {
	d.named.once.Do(d.indexNames)
	if j, ok := d.named.runsAt[name]; ok {
		return j + 1
	}
	return 0
}

// inVerbatimBlock reports whether line i, r with its indentation
// removed, is a line of a block whose contents Org does not parse as
// elements (an example, export, comment or verse block; a source block
// is srcAt's), from its #+begin_ line to its #+end_ line: a #+name:
// there names nothing. The contents of quote, center and special blocks
// are elements, whose names re-search-forward and org-element-at-point
// find as any. block is the type of the block being passed over, "" for
// none, updated as the lines are passed one by one. Org reads a block
// only when its #+END_ line follows in the section: an unclosed one is a
// paragraph, and the names after it are read as any.
func (p *parser) inVerbatimBlock(i int, r string, block *string) bool {
	if *block != "" {
		if hasPrefixFold(r, "#+END_"+*block) {
			*block = ""
		}
		return true
	}
	if hasPrefixFold(r, "#+BEGIN_") {
		typ := r[len("#+BEGIN_"):]
		if k := strings.IndexAny(typ, " \t"); k >= 0 {
			typ = typ[:k]
		}
		typ = strings.ToUpper(typ)
		if verbatimBlocks[typ] && closedBlock(p, i, typ) {
			*block = typ
			return true
		}
	}
	return false
}

// verbatimBlocks are the blocks, by upper-case type, whose contents are
// not elements.
var verbatimBlocks = map[string]bool{"EXAMPLE": true, "EXPORT": true, "COMMENT": true, "VERSE": true}

// affiliatedTo is the line j of the element the affiliated keyword on
// line i belongs to, after the run of affiliated keywords it is in, and
// that element's own name: the value of its last name keyword (#+name:
// and the other spellings). ok is false where the keyword is orphaned
// (unaffiliated) and names nothing. firstNamedData and indexNames both
// find a name's element with it.
func (p *parser) affiliatedTo(i int) (j int, own string, ok bool) {
	for j = i; j < len(p.lines); j++ {
		k, isAff := affiliatedKeyword(p.lines[j].Text)
		if !isAff {
			break
		}
		if k.key == "NAME" {
			own = k.value
		}
	}
	if j == len(p.lines) || unaffiliated(p.lines[j].Text) {
		return j, "", false
	}
	return j, own, true
}

// unaffiliated reports whether t, the line after a run of affiliated
// keywords, leaves them orphaned, naming nothing, as org-element reads
// them: a blank line, a headline, or the line closing the element they
// are in (a drawer's :END:, a block's #+END_…).
func unaffiliated(t string) bool {
	r := strings.TrimRight(t[skipBlanks(t):], " \t")
	return r == "" || isHeading(t) || hasPrefixFold(r, "#+END_") || hasPrefixFold(r, "#+END:") || strings.EqualFold(r, ":END:")
}

// readBlock reports whether r (a line, indentation removed) begins a
// block org-babel-read-element reads: an example or export block (its
// value), a quote, center, verse or special block (its contents); not a
// source, comment or dynamic block.
func readBlock(r string) bool {
	if !hasPrefixFold(r, "#+BEGIN_") {
		return false
	}
	typ := r[len("#+BEGIN_"):]
	if k := strings.IndexAny(typ, " \t"); k >= 0 {
		typ = typ[:k]
	}
	return typ != "" && !strings.EqualFold(typ, "SRC") && !strings.EqualFold(typ, "COMMENT")
}

// HeadingBody is what org-babel-ref-resolve reads for a reference that
// names no element (no #+name: or #+tblname: outside COMMENTed headings
// names one) but the CUSTOM_ID of a heading: the first property drawer
// line ":CUSTOM_ID: id" (org-find-property, case folded), the body of
// its heading's subtree (org-babel-ref-headline-body): from after the
// planning line and property drawer to the end of the subtree, the
// newline before the next heading left out. ok is false when an element
// has that name or no heading that CUSTOM_ID. live is true when the
// subtree holds a source block, a call or an inline one, or results a
// named block elsewhere writes there (runsIn): those results, written as
// the document runs, change the body Emacs reads.
func (d *Document) HeadingBody(id string) (body string, live, ok bool) {
	d.named.once.Do(d.indexNames)
	if _, named := d.named.first[id]; named {
		return "", false, false
	}
	return d.headingBody(id)
}

// RefFinds reports whether org-babel-ref-resolve finds something in the
// buffer for a reference to name (its index and arguments left out): an
// element named so by #+name: or #+tblname: outside COMMENTed headings
// and not orphaned (a source block, a call, data), or a heading whose
// CUSTOM_ID or ID property it is (org-babel-ref-goto-headline-id). When
// it finds nothing, Emacs signals RefNotFound. A name holding a colon,
// which Babel may read as "FILE:NAME" (a reference into another file),
// is taken as found: the other file is not read here.
func (d *Document) RefFinds(name string) bool {
	if strings.ContainsRune(name, ':') {
		return true
	}
	d.named.once.Do(d.indexNames)
	if _, named := d.named.first[name]; named {
		return true
	}
	p := d.parser()
	for _, h := range p.headings {
		if !h.hasDrawer {
			continue
		}
		drawer := p.lines[h.drawer[0]:h.drawer[1]]
		if drawerHasValue(drawer, "CUSTOM_ID", name) || drawerHasValue(drawer, "ID", name) {
			return true
		}
	}
	return false
}

// RefInFile splits a reference's name (its index and arguments taken
// off) as org-babel-ref-resolve does when it matches "^\\(.+\\):\\(.+\\)$":
// the file it visits (find-file) up to the last colon, and the name it
// looks for there after it. ok is false for a name with no colon between
// two non-empty parts (or holding a newline): a name of the buffer.
func RefInFile(name string) (file, ref string, ok bool) {
	i := strings.LastIndexByte(name, ':')
	if i <= 0 || i == len(name)-1 || strings.ContainsRune(name, '\n') {
		return "", "", false
	}
	return name[:i], name[i+1:], true
}

// headingBody is HeadingBody whether or not an element has that name:
// what org-babel-ref-resolve reads when the elements so named are gone.
func (d *Document) headingBody(id string) (body string, live, ok bool) {
	p := d.parser()
	for hi, h := range p.headings {
		if !h.hasDrawer || !drawerHasValue(p.lines[h.drawer[0]:h.drawer[1]], "CUSTOM_ID", id) {
			continue
		}
		k := h.line + 1
		if k < len(p.lines) && isPlanningLine(p.lines[k].Text) {
			k++
		}
		if k < len(p.lines) && k == h.drawer[0]-1 {
			k = h.drawer[1] + 1
		}
		start, end := len(p.text), len(p.text)
		if k < len(p.lines) {
			start = p.lines[k].Start
		}
		for _, n := range p.headings[hi+1:] {
			if n.level <= h.level {
				end = p.lines[n.line].Start - 1
				break
			}
		}
		if start > end {
			start = end
		}
		body = p.text[start:end]
		return body, d.runsIn(start, end), true
	}
	return "", false, false
}

// runsIn reports whether results are written between byte offsets start
// and end as the document runs: a source block, inline block or call
// is there, or named results ("#+RESULTS: name") that a block of that
// name elsewhere writes.
func (d *Document) runsIn(start, end int) bool {
	in := func(at int) bool { return at >= start && at < end }
	for _, bs := range [][]*Block{d.Blocks, d.Inline} {
		for _, b := range bs {
			if in(b.Start) {
				return true
			}
		}
	}
	for _, c := range d.Calls {
		if in(c.Start) {
			return true
		}
	}
	for _, l := range d.parser().lines {
		if !in(l.Start) {
			continue
		}
		if kw, ok := affiliatedKeyword(l.Text); ok && kw.key == "RESULTS" && strings.TrimSpace(kw.value) != "" && d.writesResults(strings.TrimSpace(kw.value)) {
			return true
		}
	}
	return false
}

// writesResults reports whether a source block or call named name writes
// its results ("#+RESULTS: name", letter case folded as
// org-babel-where-is-src-block-result folds it).
func (d *Document) writesResults(name string) bool {
	for _, b := range d.Blocks {
		if b.Name != "" && FoldKey(b.Name) == FoldKey(name) {
			return true
		}
	}
	for _, c := range d.Calls {
		if c.AffName != "" && FoldKey(c.AffName) == FoldKey(name) {
			return true
		}
	}
	return false
}

// drawerHasValue reports whether one of lines is ":prop: value" (org-re-property
// with a value, case folded).
func drawerHasValue(lines []line, prop, value string) bool {
	for _, l := range lines {
		if v, ok := propertyLine(l.Text, prop); ok && v != "" && strings.EqualFold(v, value) {
			return true
		}
	}
	return false
}

// NameDeletedWithResults reports whether the #+name: naming name follows
// the "#+RESULTS:" keyword among the affiliated lines of the element it
// names (see NamedResultsBlock): the block deletes it with its old
// results when it writes them, and a reference after that finds no
// such name.
func (d *Document) NameDeletedWithResults(name string) bool {
	d.named.once.Do(d.indexNames)
	return d.nameDeletedAt(d.named.first, name)
}

// nameDeletedAt is NameDeletedWithResults of the element idx (the
// first, or the second so named) has for name.
func (d *Document) nameDeletedAt(idx map[string]int, name string) bool {
	j, found := idx[name]
	if !found || j < 0 {
		return false
	}
	p := d.parser()
	named := false
	for n := j - 1; n >= 0 && isAffiliatedLine(p.lines[n].Text); n-- {
		if isAnyResultsKeyword(p.lines[n].Text) {
			return named
		}
		if kw, _ := affiliatedKeyword(p.lines[n].Text); kw.key == "NAME" && strings.TrimSpace(kw.value) == name {
			named = true
		}
	}
	return false
}

// NamedResultsBlock is the source block or #+call: whose anonymous
// results are the element name names: a "#+RESULTS:" without a name among
// that element's affiliated keywords, where
// org-babel-where-is-src-block-result finds the results of the block
// above. Babel writes that block's results there when it runs, and a
// reference read after that reads them, not the element as the document
// has it. i is the block's index (see BlockAt); ok is false when name
// names no such element.
func (d *Document) NamedResultsBlock(name string) (i int, ok bool) {
	if j, ok := d.namedLine(false, name); ok {
		return d.resultsBlockAt(j)
	}
	return 0, false
}

// namedLine is the first line of the first element named name (next:
// the next one, see NextNamedResultsBlock); ok is false when there is
// none or it is no data.
func (d *Document) namedLine(next bool, name string) (j int, ok bool) {
	d.named.once.Do(d.indexNames)
	idx := d.named.first
	if next {
		idx = d.named.second
	}
	j, found := idx[name]
	return j, found && j >= 0
}

// NextNamedResultsBlock is NamedResultsBlock of the next element named
// name, which org-babel-ref-resolve goes on to when the first one is
// gone (see ReadBackNamed): the block whose results it is, which Babel
// rewrites when that block runs.
func (d *Document) NextNamedResultsBlock(name string) (i int, ok bool) {
	if j, ok := d.namedLine(true, name); ok {
		return d.resultsBlockAt(j)
	}
	return 0, false
}

// NextNamedData is the value of the next element named name (see
// NextNamedResultsBlock) as the document has it, when it is data.
func (d *Document) NextNamedData(name string) (value Data, ok bool) {
	if j, ok := d.namedLine(true, name); ok {
		return d.dataAt(j)
	}
	return Data{}, false
}

// resultsBlockAt is NamedResultsBlock of the named element at line j.
func (d *Document) resultsBlockAt(j int) (i int, ok bool) {
	p := d.parser()
	k := -1
	for n := j - 1; n >= 0 && isAffiliatedLine(p.lines[n].Text); n-- {
		if isAnyResultsKeyword(p.lines[n].Text) {
			k = n
		}
	}
	if k < 0 {
		return 0, false
	}
	if !isResultsKeyword(p.lines[k].Text, "") {
		// "#+RESULTS: name": the results of the block or call so named
		// whose results org-babel-where-is-src-block-result finds there,
		// wherever it stands.
		for i := range len(d.Blocks) + len(d.Calls) {
			if b := d.BlockAt(i); b != nil && b.Name != "" {
				if r, ok := p.existingResult(b); ok && r == k {
					return i, true
				}
			}
		}
		return 0, false
	}
	// The block or call right above: the last one ending before the
	// keyword.
	above, at := -1, -1
	for i := len(d.Blocks) - 1; i >= 0; i-- {
		if d.Blocks[i].EndLine <= k {
			above, at = i, d.Blocks[i].Start
			break
		}
	}
	for j := len(d.Calls) - 1; j >= 0; j-- {
		if c := d.Calls[j]; c.Block != nil && c.Block.EndLine <= k {
			if c.Block.Start > at {
				above = len(d.Blocks) + j
			}
			break
		}
	}
	if above < 0 {
		return 0, false
	}
	if r, ok := p.existingResult(d.BlockAt(above)); ok && r == k {
		return above, true
	}
	return 0, false
}

// isAnyResultsKeyword reports whether line t is a "#+RESULTS" keyword,
// with a hash, a name or neither.
func isAnyResultsKeyword(t string) bool {
	kw, ok := affiliatedKeyword(t)
	return ok && kw.key == "RESULTS"
}

// closedBlock reports whether the #+BEGIN_typ line i of p has its
// #+END_typ line after it, before the next heading, as Org's block
// parsers search for it: an unclosed block is read as a paragraph.
func closedBlock(p *parser, i int, typ string) bool {
	for j := i + 1; j < len(p.lines); j++ {
		t := p.lines[j].Text
		if isHeading(t) {
			return false
		}
		r := strings.TrimRight(t[skipBlanks(t):], " \t")
		if len(r) == len("#+END_")+len(typ) && hasPrefixFold(r, "#+END_"+typ) {
			return true
		}
	}
	return false
}

// NamedEscapeNotRead is the error of the table named name whose quoted
// cell holds an escape Borges does not read (ErrEscapeNotRead): Emacs
// reads it, so the table is neither no data (NamedUnread) nor read
// otherwise; nil for any other element.
func (d *Document) NamedEscapeNotRead(name string) error {
	d.named.once.Do(d.indexNames)
	j, found := d.named.first[name]
	if !found || j < 0 {
		return nil
	}
	p := d.parser()
	for k := j; k < len(p.lines) && strings.HasPrefix(strings.TrimLeft(p.lines[k].Text, " \t"), "|"); k++ {
		if isRuleLine(p.lines[k].Text) {
			continue
		}
		for _, c := range tableRowCells(p.lines[k].Text) {
			if _, _, err := babelRead(c); errors.Is(err, ErrEscapeNotRead) {
				return fmt.Errorf("a cell of %s: %w", name, err)
			}
		}
	}
	return nil
}
