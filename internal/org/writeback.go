package org

import (
	"regexp"
	"slices"
	"sort"
	"strings"
)

// Result is what one block produced, for write-back.
type Result struct {
	// Output is the program's standard output.
	Output string
	// Status, when set, is a line saying the block has not finished
	// ("borges: running since …"): the results then show it and the
	// output so far verbatim, whatever :results asks for, since a partial
	// output made into a table would mislead.
	Status string
	// Reader is how the language's Babel reads Output (ReadGeneric for
	// output, as org-babel-result-cond does).
	Reader Reader
	// Chars: Output is text Emacs read as its own multibyte form (a
	// value file insert-file-contents read, every sequence whole), so
	// a surrogate in it is a character, not three raw bytes
	// (emacsChar).
	Chars bool
	// Hash, for a block with :cache yes, is the hash its #+RESULTS[HASH]:
	// line carries (plan.CacheHash); results under another hash are
	// replaced keyword and all, as org-babel--clear-results-maybe does.
	Hash string
	// Parts, when set, are written instead of Output: a ":results:"
	// drawer holding each part's note line and its output (parts.go),
	// for what Babel has no result for (a failure, several instances).
	Parts []Part
	// Colnames, when set, are column names put back above a table value
	// whose first row has as many cells, with a rule under them
	// (org-babel-reassemble-table; see plan.WithNames).
	Colnames []string
	// Rownames, when set, are row names put back before the rows of a
	// table value of as many rows (plan.WithNames).
	Rownames []string
	// ColnamesUnibyte and RownamesUnibyte are the indexes of the names
	// that are unibyte strings of an Emacs Lisp value: a table's cell
	// writes their bytes past ASCII as octal escapes, as it writes
	// such a cell of the value (babelValue.unibyte).
	ColnamesUnibyte, RownamesUnibyte []int
	// WithoutFile is set for the result of a :post of a block whose
	// results are a file (:results file with a :file): it is written
	// as :results without "file" says, as org-babel-execute-src-block
	// removes "file" once the :post has replaced the link.
	WithoutFile bool
	// Posted is set for the result of a block's :post: its reader reads
	// it under PostResults, the :results of the :post's block (the call
	// org-babel-ref-resolve makes), and it goes in under the block's
	// own (org-babel-execute-src-block inserts the :post's value).
	Posted      bool
	PostResults string
	// PostNil is set for the result of a block whose :post gave nil (it
	// calls a block :eval refuses): the text "nil" is written, whatever
	// the block printed, as org-babel-ref-resolve formats the symbol.
	PostNil bool
	// As, when set, is the block these are the results of as it ran, in
	// AsIn: the Org buffer of the document's Emacs, parsed, where an
	// Emacs Lisp block before it changed the block or the properties
	// over it (plan.Edits). They are written as that block writes them.
	As   *Block
	AsIn *Document
	// WrittenBy, when set, is the block these are the results of when
	// they go in another block's place: the "#+RESULTS: name" a block
	// of that name that writes none (:results silent) kept from before,
	// where Emacs writes a later block's of the name. They are made as
	// WrittenBy's header says, placed where the other block's results
	// are.
	WrittenBy *Block
}

// shellLangs are the languages ob-shell evaluates (org-babel-shell-names).
var shellLangs = map[string]bool{
	"sh": true, "bash": true, "zsh": true, "fish": true, "csh": true,
	"ash": true, "dash": true, "ksh": true, "mksh": true, "posh": true, "shell": true,
}

// WriteResults returns the document's text with the results of the given
// blocks (keyed by Block.Index) written as org-babel-execute-buffer
// leaves them: each block's output turned into a Babel value as ob-shell
// does, formatted per its :results and :wrap, inserted after the block
// under "#+RESULTS:" or replacing the results already there. Blocks absent
// from results are left as they are.
func (d *Document) WriteResults(results map[int]Result) string {
	text, _ := d.WriteResultsAt(results, 0)
	return text
}

// WriteResultsAt is WriteResults, and where offset (of the submitted text)
// is in the text written: moved by the results put in before it.
func (d *Document) WriteResultsAt(results map[int]Result, offset int) (string, int) {
	p := d.parser()
	var edits []edit
	// A block that stood in the old results of an earlier block (say
	// ":results code") is gone before org-babel-execute-buffer reaches
	// it. The block's #+begin_src line is what counts: its affiliated
	// keywords may be the #+RESULTS: line that stays.
	gone := newCoverage(p)
	for _, b := range d.Executables() {
		r, ok := results[b.Index]
		if !ok || b.Problem != "" || gone.covered(b.BeginLine-1) {
			continue
		}
		if e, ok := p.resultEdit(b, r, d.Visit); ok {
			edits = append(edits, e)
			gone.mark(e.Start, e.End)
		}
	}
	return applyEditsAt(d.Text, edits, offset)
}

// edit replaces Text[Start:End] with New, then Result, then After.
type edit struct {
	Start, End int
	New        string
	Result     resultText
	After      string
	// apart: new results, kept apart from what follows them by a
	// blank line: After is one unless what follows starts with one
	// (placeResult), which sortEdits judges again where another
	// block's text goes in after them.
	apart bool
}

// pureInsertion reports whether e only puts text in.
func (e *edit) pureInsertion() bool { return e.Start == e.End }

// leadingLine is the first line of what e puts in, "" when it puts in
// nothing; none is whether it does.
func (e *edit) leadingLine() (line string, none bool) {
	switch {
	case e.New != "":
		return firstLine(e.New), false
	case e.Result.size() > 0:
		return firstLine(e.Result.String()), false
	case e.After != "":
		return firstLine(e.After), false
	}
	return "", true
}

// sortEdits sorts edits, given in the order their blocks run (edit of
// each by ed), by where they start, as org-babel-execute-buffer's edits,
// made one after the other, leave them. Of edits that only put text in
// at one offset, a later block's goes before an earlier's: where the
// later puts its results (the end of its block or of its old results)
// ends before the text the earlier put there, which its results or its
// element do not take in (an old results' block appended to, then run;
// a nested list's results appended to where the list around it, an
// earlier block's results, ends). New results going in before another
// block's text are kept apart from it by a blank line, as from the text
// after them (text, what follows the offset).
func sortEdits[T any](s []T, ed func(*T) *edit, text string) {
	sort.SliceStable(s, func(i, j int) bool { return ed(&s[i]).Start < ed(&s[j]).Start })
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && ed(&s[j]).Start == ed(&s[i]).Start && ed(&s[j]).pureInsertion() && ed(&s[i]).pureInsertion() {
			j++
		}
		if j-i > 1 {
			slices.Reverse(s[i:j])
			// What follows each, from the last: the text, or
			// the text an edit after it puts in first.
			next := firstLine(text[min(ed(&s[i]).Start, len(text)):])
			for k := j - 1; k >= i; k-- {
				e := ed(&s[k])
				if e.apart {
					e.After = ""
					if !isBlank(next) {
						e.After = "\n"
					}
				}
				if line, none := e.leadingLine(); !none {
					next = line
				}
			}
		}
		i = j
	}
}

// applyEdits applies non-overlapping edits; of overlapping ones, the first
// in document order wins. The document is written once, into a buffer of
// its final size.
func applyEdits(text string, edits []edit) string {
	out, _ := applyEditsAt(text, edits, 0)
	return out
}

// applyEditsAt is applyEdits, and where offset of text is in the text
// written: after what the edits ending at or before it put in.
func applyEditsAt(text string, edits []edit, offset int) (string, int) {
	sortEdits(edits, func(e *edit) *edit { return e }, text)
	return writeEdits(text, edits, offset)
}

// writeEdits is applyEditsAt of edits sorted already (sortEdits).
func writeEdits(text string, edits []edit, offset int) (string, int) {
	size, last, at := len(text), 0, offset
	for _, e := range edits {
		if e.Start < last {
			continue
		}
		grow := len(e.New) + e.Result.size() + len(e.After) - (e.End - e.Start)
		size += grow
		if e.End <= offset {
			at += grow
		}
		last = e.End
	}
	var b strings.Builder
	b.Grow(size)
	last = 0
	for _, e := range edits {
		if e.Start < last {
			continue
		}
		b.WriteString(text[last:e.Start])
		b.WriteString(e.New)
		e.Result.writeTo(&b)
		b.WriteString(e.After)
		last = e.End
	}
	b.WriteString(text[last:])
	return b.String(), at
}

// babelValue is what a block's evaluation returns: nothing, a string, or a
// table (rows of printed cells).
type babelValue struct {
	kind  int // valueNone, valueString, valueTable
	str   string
	table [][]string
	// text, when set, is the table instead of table: read from the
	// output row by row when walked (see tablestream.go).
	text *textTable
	// flat: the value is a flat list (Python's [1, 2, 3]), held as a
	// table of one row; :results list makes an item of each element and
	// :var passes it on as a list, not a table.
	flat bool
	// nested holds the cells of table that hold a list (by row and
	// column; a flat list's elements in row 0) as %S prints them: under
	// :results list they print so, the table's cells as %s does.
	nested map[[2]int]string
	// symbols are the cells (row, column) of a list or table that
	// read as Lisp symbols (see Marked.Symbols); a flat list's are in
	// row 0.
	symbols [][2]int
	// quoted are the cells (row, column, rules counted) of a table read
	// from the document that were written in double quotes and read as
	// numbers without them ("12"): org-babel-read reads them as
	// strings, which only this tells from the numbers.
	quoted [][2]int
	// items are the list's elements as read, lists among them kept
	// whole (table holds them as %s prints them).
	items []pyItem
	// list is a plain list with sublists read back from results
	// (org-babel-read-list), of kind ValueTextTable: its items as
	// org-list-to-lisp gives them, which no table holds.
	list []ListItem
	// oneCell: the value was no list (a string, or the one cell
	// org-babel-import-elisp-from-file reads into its value) made a table
	// of one cell by org-babel-execute-src-block under :results table or
	// vector, after the language's function put back column and row
	// names (org-babel-reassemble-table leaves a non-list bare): it gets
	// none.
	oneCell bool
	// cell, when set, is the text of a value that is no list as the one
	// cell of that table, where princ prints it otherwise than str
	// (prin1): a vector read as Lisp ([1 (\\, 2)] is the cell "[1 (,
	// 2)]"), which orgtbl-to-orgtbl writes with %s.
	cell string
	// chars: the value was printed by Emacs (ReadLisp): a surrogate in
	// it is a character (emacsChar).
	chars bool
	// unibyte are the cells (row, column; a flat list's items in row 0)
	// that are unibyte strings Emacs printed (LispStringUnibyte), whose
	// bytes past ASCII a table's cell writes as octal escapes;
	// unibyteStr says the string str is one.
	unibyte    [][2]int
	unibyteStr bool
	// num: str is a number the reading read, printed as Emacs prints
	// it. Only it tells an infinity or NaN read (1e999, printed
	// 1.0e+INF) from the text 1.0e+INF, which org-babel-read leaves a
	// string.
	num bool
	// listText: the string is a Lisp list no table can hold, as Babel
	// writes it (a cons, an alist; see lispListText): being a list, it
	// is not made a table of one cell under :results table or vector.
	listText bool
	// listStop: a Lisp list that is no proper list (lispListStop),
	// which no :results list can be made of.
	listStop bool
	// listItems: under :results list, the items of a Lisp list no
	// table can hold (lispListItems), one per element, each as it is
	// written after its bullet.
	listItems []string
}

// named is v with r's row and column names put back.
func (r Result) named(v babelValue) babelValue {
	return v.withRownames(r.Rownames, r.RownamesUnibyte).withColnames(r.Colnames, r.ColnamesUnibyte)
}

// withColnames is org-babel-reassemble-table's column names: names and a
// rule above a table whose first row is a row (not a rule, not a flat
// list's element) of as many cells. unibyte are the indexes of the names
// that are unibyte strings.
func (v babelValue) withColnames(names []string, unibyte []int) babelValue {
	if len(names) == 0 || v.kind != valueTable || v.flat || v.oneCell {
		return v
	}
	rows := v.rows()
	if len(rows) == 0 || isHline(rows[0]) || len(rows[0]) != len(names) {
		return v
	}
	out := v.reassembled(append([][]string{names, hlineRow}, rows...), 2, 0)
	for _, j := range unibyte {
		out.unibyte = append(out.unibyte, [2]int{0, j})
	}
	return out
}

// withRownames is org-babel-reassemble-table's row names: each name
// before a row, in order, when the table has as many rows as there are
// names (its rules counted, and kept as they are). unibyte are the
// indexes of the names that are unibyte strings.
func (v babelValue) withRownames(names []string, unibyte []int) babelValue {
	if len(names) == 0 || v.kind != valueTable || v.flat || v.oneCell {
		return v
	}
	rows := v.rows()
	if len(rows) != len(names) {
		return v
	}
	out := make([][]string, len(rows))
	at := make([]int, 0, len(rows)) // the row each name goes before
	i := 0
	for j, r := range rows {
		if isHline(r) {
			out[j] = r
			continue
		}
		out[j] = append([]string{names[i]}, r...)
		at = append(at, j)
		i++
	}
	named := v.reassembled(out, 0, 1)
	for _, n := range unibyte {
		if n < len(at) {
			named.unibyte = append(named.unibyte, [2]int{at[n], 0})
		}
	}
	return named
}

// reassembled is v's table made table, its cells moved dr rows down and
// dc columns right (names put before them): the marks of its cells
// (unibyte strings, symbols, lists) move with them, and Emacs's printing
// (chars) stays.
func (v babelValue) reassembled(table [][]string, dr, dc int) babelValue {
	shift := func(cells [][2]int) [][2]int {
		if cells == nil {
			return nil
		}
		out := make([][2]int, len(cells))
		for i, c := range cells {
			out[i] = [2]int{c[0] + dr, c[1] + dc}
		}
		return out
	}
	var nested map[[2]int]string
	if v.nested != nil {
		nested = make(map[[2]int]string, len(v.nested))
		for c, p := range v.nested {
			nested[[2]int{c[0] + dr, c[1] + dc}] = p
		}
	}
	return babelValue{kind: valueTable, table: table, chars: v.chars, unibyte: shift(v.unibyte), symbols: shift(v.symbols), nested: nested}
}

// source is the table to walk.
func (v babelValue) source() rowSource {
	if v.text != nil {
		return v.text
	}
	return rowsTable(v.table)
}

// rows is the table held as rows.
func (v babelValue) rows() [][]string {
	if v.text != nil {
		return v.text.rowsOf()
	}
	return v.table
}

const (
	valueNone = iota
	valueString
	valueTable
)

func hasWord(words []string, w string) bool { return contains(words, w) }

// ValueIsExitStatus reports whether a shell block's result is its exit
// status, as in ob-shell: with ":results value" Babel runs the body with
// "\necho $?" appended and keeps the last line of the output. Whoever runs
// the block appends that line too (plan does), and WriteResults keeps the
// last line.
func ValueIsExitStatus(args Args) bool {
	v, _ := args.Get("results")
	return hasWord(splitString(v), "value")
}

// evaluate is org-babel-sh-evaluate's handling of the output, and
// org-babel-execute-src-block's wrapping of scalars for :results table.
func evaluate(output string, rp []string) babelValue {
	valueIsLastLine := hasWord(rp, "value")
	results := output
	if valueIsLastLine {
		// The last non-empty line.
		last := strings.TrimRight(output, "\n")
		if last == "" {
			return babelValue{kind: valueNone}
		}
		results = last[strings.LastIndexByte(last, '\n')+1:]
	}
	var v babelValue
	if resultCondScalar(rp) {
		v = babelValue{kind: valueString, str: results}
	} else {
		if strings.IndexByte(results, '\r') >= 0 {
			// ob-shell reads a table from a file it wrote the output
			// to (org-babel-import-elisp-from-file), its line ends
			// decoded as Emacs detects them.
			results = string(DecodeLineEnds([]byte(results)))
		}
		t, scalar, isScalar, num := newTextTable(results, "")
		switch {
		case isScalar:
			v = babelValue{kind: valueString, str: scalar, num: num}
		case t == nil:
			v = babelValue{kind: valueNone}
		default:
			v = babelValue{kind: valueTable, text: t}
		}
	}
	return oneCellTable(v, rp)
}

// resultCondScalar is the scalar test of org-babel-result-cond.
func resultCondScalar(rp []string) bool {
	for _, w := range []string{"scalar", "verbatim", "html", "code", "pp", "file"} {
		if hasWord(rp, w) {
			return true
		}
	}
	return (hasWord(rp, "output") || hasWord(rp, "raw") || hasWord(rp, "org") || hasWord(rp, "drawer")) &&
		!hasWord(rp, "table")
}

// value is r's output as its reader reads it under rp, its block's
// :results words (readBy); a :post's nil is the text "nil", as
// org-babel-ref-resolve formats a symbol with %S.
func (r Result) value(rp []string) babelValue {
	if r.PostNil {
		return babelValue{kind: valueString, str: "nil"}
	}
	v := r.Reader.evaluate(r.Output, r.readBy(rp))
	if r.Chars {
		v.chars = true
	}
	if r.Posted && v.kind == valueNone {
		return babelValue{kind: valueString, str: "nil"}
	}
	return v
}

// readBy is the :results words r's reader reads it by: those of the
// :post's block for a :post's result, else rp, the block's.
func (r Result) readBy(rp []string) []string {
	if r.Posted {
		return splitString(r.PostResults)
	}
	return rp
}

// resultEdit computes the change org-babel-insert-result makes for block b.
func (p *parser) resultEdit(b *Block, r Result, visit Visit) (edit, bool) {
	if b.Inline > 0 {
		return p.inlineEdit(b, r, visit)
	}
	by := b
	if r.WrittenBy != nil {
		by = r.WrittenBy
	}
	body, rp, isTable, isList, colons, ok := resultBody(by, &r, visit)
	if !ok {
		return edit{}, false
	}
	return p.placeResult(b, r, body, rp, isTable, isList, colons), true
}

// resultParams are the words of b's :results header argument, as Babel
// splits them (org-babel-process-params's result-params).
func resultParams(b *Block) []string {
	r, _ := b.Args.Get("results")
	return splitString(r)
}

// resultBody is the text org-babel-insert-result puts under block b's
// results keyword for r (not indented), with the :results words it goes
// by; ok is false when nothing is written. r's Hash is cleared when the
// keyword carries none.
//
// isList is whether the value Emacs inserts is a Lisp list ((listp
// result)): a table, a list no table holds (a cons, an alist), or nil.
func resultBody(b *Block, r *Result, visit Visit) (body resultText, rp []string, isTable, isList, colons, ok bool) {
	rp = resultParams(b)
	if hasWord(rp, "none") || hasWord(rp, "silent") {
		return body, rp, false, false, false, false
	}
	if r.WithoutFile {
		rp = withoutWord(rp, "file")
	}
	v := r.value(rp)
	v = r.named(v)
	if len(r.Parts) > 0 {
		// Borges' drawer (parts.go) stands for the result: no hash.
		r.Hash = ""
	} else if r.Status != "" {
		rp = []string{"replace", "output"}
		v = babelValue{kind: valueString, str: r.Status + "\n" + r.Output}
	} else if hasWord(rp, "file") {
		var ok bool
		if v, ok = fileLink(b, v, visit); !ok {
			return body, rp, false, false, false, false
		}
	}
	if r.Status != "" {
		r.Hash = ""
	}
	body, isTable, colons = formatResult(v, rp, b, visit)
	isList = isTable || v.listText || v.kind == valueNone
	if len(r.Parts) > 0 {
		body, isTable, isList, colons = partsDrawer(b, *r, rp, visit), false, false, false
	}
	if tableEmptied(body) {
		// The keyword alone: Emacs stops there (TableStopError).
		body, isTable, isList = resultText{}, false, false
	}
	return body, rp, isTable, isList, colons, true
}

// TableStopError is the error org-babel-execute-buffer stops with at a
// block whose table result the exporter leaves no row of (every row
// special: a row starting "/", a row of cookies, rows starting ! ^ _ $
// under a special column; see specialRow), wrapped or not: Emacs has
// written the results keyword, and nothing under it (tableEmptied).
const TableStopError = "Wrong type argument: markerp, nil"

// tableEmptied reports whether body is a table (wrapped or not) that the
// exporter leaves no row of, rule or not.
func tableEmptied(body resultText) bool {
	return body.stop || body.table != nil && body.table.rows == 0
}

// ResultStop is the error org-babel-execute-buffer stops with writing r,
// block b's results, "" when it writes them: a table the exporter leaves
// nothing of, an Emacs Lisp cons under :results list (TableStopError,
// the same error). The keyword is written all the same
// (WriteResults writes it alone).
func (d *Document) ResultStop(b *Block, r Result) string {
	rp, ok := tableResultWords(b, r.WithoutFile)
	if !ok || len(r.Parts) > 0 || r.Status != "" {
		return ""
	}
	v := r.named(r.value(rp))
	if body, _, _ := formatResult(v, rp, b, d.Visit); tableEmptied(body) {
		return TableStopError
	}
	return ""
}

// ResultMayStop reports whether block b's results may stop
// org-babel-execute-buffer as ResultStop says, whatever its output: they
// are written, and Babel's value of them may be a table
// (org-babel-result-cond); withoutFile as Result.WithoutFile. Cheap, so
// that only those are read for it.
func ResultMayStop(b *Block, withoutFile bool) bool {
	_, ok := tableResultWords(b, withoutFile)
	return ok
}

// tableResultWords are block b's :results words when its results are
// written and may be a table (ResultMayStop); withoutFile as
// Result.WithoutFile.
func tableResultWords(b *Block, withoutFile bool) ([]string, bool) {
	if b.Inline > 0 {
		return nil, false
	}
	rp := resultParams(b)
	if hasWord(rp, "none") || hasWord(rp, "silent") {
		return nil, false
	}
	if withoutFile {
		rp = withoutWord(rp, "file")
	}
	if hasWord(rp, "file") || resultCondScalar(rp) && !hasWord(rp, "table") && !hasWord(rp, "vector") {
		return nil, false
	}
	return rp, true
}

// ResultBody is what the document's Emacs needs to place r's results of
// block b itself, as org-babel-insert-result places them in the buffer as
// it stands: the text under the results keyword (not indented), how it
// goes there ("replace", "append", "prepend"), whether it is indented
// like the keyword (indent-rigidly; not a Lisp list appended), and the hash
// the keyword carries. ok is false for an inline block and when nothing
// is written.
func (d *Document) ResultBody(b *Block, r Result) (body, handling string, indent bool, hash string, ok bool) {
	if b.Inline > 0 {
		return "", "", false, "", false
	}
	rb, rp, _, isList, _, ok := resultBody(b, &r, d.Visit)
	if !ok {
		return "", "", false, "", false
	}
	handling = "replace"
	for _, w := range []string{"append", "prepend"} {
		if hasWord(rp, w) {
			handling = w
			break
		}
	}
	return rb.String(), handling, !appendedList(isList, rp), r.Hash, true
}

// placeResult is the edit that puts body, the results r of block b,
// in place: in place of its existing results, or under a new keyword
// after the block.
func (p *parser) placeResult(b *Block, r Result, body resultText, rp []string, isTable, isList, colons bool) edit {
	text := p.text
	loc, found := p.existingResult(b)
	var e edit
	var indent int
	var beg int // where the result's text goes
	if found && r.Hash != "" && r.Status == "" && resultsHash(p.lines[loc].Text) != r.Hash {
		// Results of another hash go, keyword and all, and a keyword
		// with the new hash takes their place.
		l := p.lines[loc]
		name := ""
		if b.Name != "" || p.blockHasName(b) {
			name = " " + b.Name
		}
		end := p.resultEnd(loc + 1)
		ind := p.staleKeywordIndent(b, loc)
		kw := indentString(ind) + "#+RESULTS[" + r.Hash + "]:" + name + "\n"
		tail := ""
		if rest := text[end:]; rest != "" && !isBlank(firstLine(rest)) {
			tail = "\n"
		}
		return edit{Start: l.Start, End: end, New: kw, Result: body.indented(ind, appendedList(isList, rp)), After: tail}
	}
	if found {
		l := p.lines[loc]
		indent = columns(l.Text[:skipBlanks(l.Text)])
		beg = l.Next
		switch {
		case hasWord(rp, "append"):
			end := p.resultEnd(loc + 1)
			e = edit{Start: end, End: end}
			beg = end
		case hasWord(rp, "prepend"):
			e = edit{Start: beg, End: beg}
		default: // replace
			e = edit{Start: beg, End: p.resultEnd(loc + 1)}
		}
		e.Result = body.indented(indent, appendedList(isList, rp))
		// Under :results list the rows are items, which no
		// org-table-align follows.
		if isTable && !hasWord(rp, "list") && (hasWord(rp, "append") || hasWord(rp, "prepend")) {
			if t, ok := p.realignedTable(loc, e.Start, body, !hasWord(rp, "append"), indent); ok {
				return t
			}
		}
		if beg == len(text) && !strings.HasSuffix(text, "\n") && colons {
			// The keyword is the last line and has no newline:
			// forward-line stops at its end, the result is inserted
			// right after it, and the examplifying loop, starting
			// with beginning-of-line, puts the first ": " before the
			// keyword itself.
			e = edit{Start: l.Start, End: len(text),
				New: ": " + text[l.Start:] + strings.TrimPrefix(body.String(), ": ")}
		}
		return e
	}
	// A new "#+RESULTS:" line after the block, preceded by a blank line.
	endLine := p.lines[b.EndLine-1]
	var ins strings.Builder
	if !endLine.NL {
		ins.WriteString("\n")
	}
	ins.WriteString("\n")
	// org-indent-line on the new keyword line indents it like the first
	// non-blank line above: the #+end_src line (the call line of a call).
	// In a footnote definition, the blank line inserted and the line
	// opened for the keyword are two blank lines, which end the
	// definition: the line is the definition's, indented to column 0.
	indent = columns(endLine.Text[:skipBlanks(endLine.Text)])
	if _, inFootnote := p.container(b); inFootnote {
		indent = 0
	}
	ins.WriteString(indentString(indent))
	ins.WriteString("#+RESULTS")
	if r.Hash != "" && r.Status == "" {
		ins.WriteString("[" + r.Hash + "]")
	}
	ins.WriteString(":")
	if b.Name != "" || p.blockHasName(b) {
		ins.WriteString(" " + b.Name)
	}
	ins.WriteString("\n")
	// Results are kept apart from what follows by a blank line.
	after := ""
	if !isBlank(firstLine(text[endLine.Next:])) {
		after = "\n"
	}
	return edit{Start: endLine.Next, End: endLine.Next, New: ins.String(), Result: body.indented(indent, appendedList(isList, rp)), After: after, apart: true}
}

// appendedList reports whether org-babel-insert-result leaves a result
// where it inserted it, not indented like its keyword: any Lisp list
// (isList: a table, items under :results list, a cons examplified, nil
// under :wrap) under :results append, which it means to leave to
// org-table-align, whether or not there is a table to align it with
// (new results under an indented block start at column 0).
func appendedList(isList bool, rp []string) bool {
	return isList && hasWord(rp, "append")
}

// staleKeywordIndent is the column of the keyword that replaces results
// of block b of another hash, whose keyword is line loc:
// org-babel--insert-results-keyword opens a line where the old keyword
// was and indents it with org-indent-line, whatever the old keyword's
// indentation. Results under the block (the first non-blank line above
// is its #+end_src line) are indented as a new keyword is: like that
// line, or to column 0 in a footnote definition. Named results elsewhere
// are indented like the first non-blank line above (0 under a heading).
func (p *parser) staleKeywordIndent(b *Block, loc int) int {
	above := loc - 1
	for above >= 0 && isBlank(p.lines[above].Text) {
		above--
	}
	if above == b.EndLine-1 {
		if _, inFootnote := p.container(b); inFootnote {
			return 0
		}
	}
	if above < 0 || isHeading(p.lines[above].Text) {
		return 0
	}
	t := p.lines[above].Text
	return columns(t[:skipBlanks(t)])
}

// firstLine is s up to its first newline.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

func (p *parser) blockHasName(b *Block) bool {
	if b.BeginLine < 1 || b.BeginLine > len(p.lines) {
		return false
	}
	k := p.els.srcAt[b.BeginLine-1]
	return k > 0 && p.els.srcs[k-1].post+1 == b.BeginLine && p.els.srcs[k-1].hasName
}

// formatResult is the text org-babel-insert-result puts in the buffer for
// value v (before indentation), whether it is a table (a list value), and
// whether it was examplified into ": " lines.
func formatResult(v babelValue, rp []string, b *Block, visit Visit) (body resultText, isTable, colons bool) {
	// (listp result): a table, printed as a table or, under :results
	// list, as one item per row; neither is examplified.
	isTable = v.kind == valueTable
	// orgtbl-to-orgtbl and org-list-to-org export the cells' and
	// items' links (see exportlinks.go) where the block runs.
	linkDir := linkDir(b, visit)
	if isTable && !hasWord(rp, "list") {
		v = v.withExportedLinks(linkDir, visit.Home)
	}
	switch {
	case v.kind == valueNone:
		if _, ok := b.Args.Get("wrap"); !ok {
			return resultText{}, false, false
		}
		// org-babel-insert-result wraps even a nil result: the block's
		// lines with nothing between them.
	case hasWord(rp, "list") && v.listStop:
		// Emacs stops making its items, the keyword written
		// (ResultStop): nothing under it, wrapped or not.
		return resultText{stop: true}, false, false
	case hasWord(rp, "list"):
		var lb strings.Builder
		ended := false
		item := func(it string) {
			if ended {
				return // after the first list: lost
			}
			// org-list-to-generic drops an item's leading blanks.
			text := listItemText(strings.TrimLeft(it, " \t"))
			if e, ok := exportedCell(text, linkDir, visit.Home); ok {
				text = e
			}
			text = dropSnippets(text)
			text, ended = listItemLines(text)
			lb.WriteString("- ")
			lb.WriteString(text)
			lb.WriteString("\n")
		}
		if v.kind == valueTable && v.flat {
			for _, row := range v.rows() {
				for j, c := range row {
					if s, ok := v.nested[[2]int{0, j}]; ok {
						c = s
					} else if slices.Contains(v.symbols, [2]int{0, j}) {
						// A symbol, as %S prints it (a\.b).
						c = printSymbol(c)
					}
					item(c)
				}
			}
		} else if v.kind == valueTable {
			i := -1
			_ = v.source().each(func(row []string, rule bool) error {
				i++
				if rule {
					item("hline") // (format "%S" 'hline)
					return nil
				}
				cells := quoteCells(row)
				for j := range cells {
					if s, ok := v.nested[[2]int{i, j}]; ok {
						cells[j] = s // a list, as %S prints it
					}
				}
				if len(cells) == 0 {
					item("nil") // (format "%S" nil): the empty row
					return nil
				}
				item("(" + strings.Join(cells, " ") + ")")
				return nil
			})
		} else if v.listItems != nil {
			// The elements' text, written as it is (a string of
			// several lines too), after the leading blanks.
			for _, it := range v.listItems {
				if strings.Contains(it, "\n") {
					lb.WriteString("- " + strings.TrimLeft(it, " \t") + "\n")
					continue
				}
				item(it)
			}
		} else {
			for _, it := range strings.FieldsFunc(v.str, func(r rune) bool { return r == '\n' }) {
				item(it)
			}
		}
		body = resultText{body: orgTrim(lb.String()) + "\n"}
	case v.kind == valueTable && v.text != nil:
		body = resultText{table: v.text.layout.exported()}
	case v.kind == valueTable:
		rows, post := orgtblRows(v.table, v.chars, v.unibyte)
		if len(rows) == 0 {
			// Only empty rows: orgtbl-to-orgtbl prints nothing, and
			// Babel its newline.
			body = resultText{body: "\n"}
			break
		}
		// The blank lines after the table orgtbl-to-orgtbl keeps (a
		// cell's newlines) stay after it.
		body = resultText{table: layoutTable(rowsTable(rows)).exported(), tail: strings.Repeat("\n", post)}
	default:
		body.body = v.str
		if hasNonWhite(body.body) && !strings.HasSuffix(body.body, "\n") {
			body.body += "\n"
		}
	}
	if w, ok := b.Args.Get("wrap"); ok {
		full := w
		if full == "" {
			full = "results"
		}
		typ := full
		if f := splitString(full); len(f) > 0 {
			typ = f[0]
		}
		escape := strings.EqualFold(typ, "export") || strings.EqualFold(typ, "example") || strings.EqualFold(typ, "src")
		return body.wrapped("#+begin_"+full, "#+end_"+typ, escape), isTable, false
	}
	switch {
	case hasWord(rp, "html"):
		body = body.wrapped("#+begin_export html", "#+end_export", true)
	case hasWord(rp, "latex"):
		body = body.wrapped("#+begin_export latex", "#+end_export", true)
	case hasWord(rp, "org"):
		body = resultText{body: alignLeadingTable(body.String())}
		body = body.wrapped("#+begin_src org", "#+end_src", true)
	case hasWord(rp, "code"):
		lang := b.Lang
		if lang == "" {
			lang = "none"
		}
		body = body.wrapped("#+begin_src "+lang+resultsSwitches(b.Args), "#+end_src", true)
	case hasWord(rp, "raw"):
		body = resultText{body: alignLeadingTable(body.String())}
	case hasWord(rp, "drawer") || hasWord(rp, "wrap"): // "wrap": Org before 7.9.2
		body = resultText{body: alignLeadingTable(body.String())}
		body = body.wrapped(":results:", ":end:", false)
	case !isTable && !hasWord(rp, "file"):
		body = examplified(body.String(), resultsSwitches(b.Args))
		colons = body.head == "" && strings.HasPrefix(body.body, ": ")
	}
	return body, isTable, colons
}

// alignLeadingTable is "(when (org-at-table-p) (org-cycle))" at the start
// of a raw, drawer or org result: a table there (its lines starting,
// after blanks, with "|") is aligned as org-table-align does, indented
// like its first line. The rest of the text is left alone.
func alignLeadingTable(body string) string {
	// Only the table's lines are split; the rest stays one string.
	var lines []string
	rest := body
	for rest != "" {
		ln, after := cutLine(rest)
		if !strings.HasPrefix(strings.TrimLeft(ln, " \t"), "|") {
			break
		}
		lines, rest = append(lines, ln), after
	}
	n := len(lines)
	if n == 0 {
		return body
	}
	lines = append(lines, rest)
	// The table's last line may lack a newline (a result that is only
	// whitespace after it); keep whatever ends it.
	last := lines[n-1]
	end := "\n"
	if !strings.HasSuffix(last, "\n") {
		end = ""
	}
	first := lines[0]
	ind := first[:skipBlanks(first)]
	var rows [][]cell
	var rules []bool
	for _, ln := range lines[:n] {
		ln = strings.TrimRight(ln, "\n")
		if isRuleLine(ln) {
			rows, rules = append(rows, nil), append(rules, true)
			continue
		}
		rows, rules = append(rows, tableRowCells(ln)), append(rules, false)
	}
	var data [][]cell
	for i, r := range rows {
		if !rules[i] {
			data = append(data, r)
		}
	}
	var aligned []string
	var widths []int // the columns', for the rules
	if len(data) > 0 {
		l := layoutTable(rowsTable(data))
		var b strings.Builder
		l.writeTo(&b, "")
		aligned, widths = splitKeep(b.String()), l.widths
	}
	var out strings.Builder
	k := 0
	for i := range rows {
		out.WriteString(ind)
		if rules[i] {
			out.WriteString("|")
			for c, w := range widths {
				if c > 0 {
					out.WriteString("+")
				}
				out.WriteString(strings.Repeat("-", w+2))
			}
			out.WriteString("|")
		} else {
			out.WriteString(aligned[k])
			k++
		}
		if i < n-1 {
			out.WriteString("\n")
		}
	}
	out.WriteString(end)
	return out.String() + strings.Join(lines[n:], "")
}

func quoteCells(row []string) []string {
	out := make([]string, len(row))
	for i, c := range row {
		if _, ok := lispNumber(c); ok {
			out[i] = c
		} else {
			out[i] = `"` + strings.ReplaceAll(strings.ReplaceAll(c, `\`, `\\`), `"`, `\"`) + `"`
		}
	}
	return out
}

// minLinesForBlockOutput is org-babel-min-lines-for-block-output.
const minLinesForBlockOutput = 10

// examplify is org-babel-examplify-region: ": " before each line of a
// short result, an example block around a long one.
func examplify(body string) string {
	if body == "" {
		return ""
	}
	size := strings.Count(body, "\n")
	if !strings.HasSuffix(body, "\n") {
		size++
	}
	if size < minLinesForBlockOutput {
		var b strings.Builder
		b.Grow(len(body) + 2*size)
		for rest := body; rest != ""; {
			ln, after := cutLine(rest)
			b.WriteString(": ")
			b.WriteString(ln)
			rest = after
		}
		return b.String()
	}
	return "#+begin_example\n" + escapeCode(body) + "#+end_example\n"
}

// examplified is examplify as parts: a long result's example block keeps
// the result as its body, escaped as it is written; its opening line ends
// in switches (resultsSwitches).
func examplified(body, switches string) resultText {
	size := strings.Count(body, "\n")
	if !strings.HasSuffix(body, "\n") {
		size++
	}
	if body == "" || size < minLinesForBlockOutput {
		return resultText{body: examplify(body)}
	}
	return resultText{head: "#+begin_example" + switches + "\n", body: body, escape: true, tail: "#+end_example\n"}
}

// resultsSwitches is what org-babel-insert-result puts after the opening
// line of an example block and after the language of :results code (and
// in the brackets of an inline src_LANG[…]{} it writes): " " and the
// :results_switches header argument ("-n", "-l \"(ref:%s)\""), or
// nothing when the argument is absent or has no value.
func resultsSwitches(args Args) string {
	a, ok := args.Lookup("results_switches")
	if !ok || (a.Value == "" && !a.String) {
		return ""
	}
	return " " + a.Value
}

// cutLine splits s after its first newline (or at its end).
func cutLine(s string) (line, rest string) {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i+1], s[i+1:]
	}
	return s, ""
}

// escapeCode is org-escape-code-in-region: a comma before lines starting
// (after blanks) with "*", "#+", ",*" or ",#+". Text with no such line is
// returned as it is, not copied.
func escapeCode(s string) string {
	// The offsets where a comma goes, counted first to size the copy.
	commas := 0
	eachEscape(s, func(int) { commas++ })
	if commas == 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + commas)
	copied := 0
	eachEscape(s, func(at int) {
		b.WriteString(s[copied:at])
		b.WriteByte(',')
		copied = at
	})
	b.WriteString(s[copied:])
	return b.String()
}

// eachEscape calls f with the offset of each line's first non-blank when
// the line needs a comma there.
func eachEscape(s string, f func(at int)) {
	for start := 0; start < len(s); {
		ln, _ := cutLine(s[start:])
		i := skipBlanks(ln)
		j := i
		for j < len(ln) && ln[j] == ',' {
			j++
		}
		if strings.HasPrefix(ln[j:], "*") || strings.HasPrefix(ln[j:], "#+") {
			f(start + i)
		}
		start += len(ln)
	}
}

// indentString is indent-to from column 0 with indent-tabs-mode on.
func indentString(col int) string {
	return strings.Repeat("\t", col/tabWidth) + strings.Repeat(" ", col%tabWidth)
}

// writeIndent writes indentString(col).
func writeIndent(b *strings.Builder, col int) {
	writeRepeat(b, '\t', col/tabWidth)
	writeRepeat(b, ' ', col%tabWidth)
}

// indentRigidly is indent-rigidly by n columns: each non-empty line's
// indentation is rewritten at its column plus n (tabs where possible).
func indentRigidly(s string, n int, skip bool) string {
	if n <= 0 || skip {
		return s
	}
	// Two walks: the size of the result, then the result.
	size := 0
	eachIndented(s, n, func(col int, text string) {
		if col >= 0 {
			size += col/tabWidth + col%tabWidth
		}
		size += len(text)
	})
	var b strings.Builder
	b.Grow(size)
	eachIndented(s, n, func(col int, text string) {
		if col >= 0 {
			writeIndent(&b, col)
		}
		b.WriteString(text)
	})
	return b.String()
}

// eachIndented calls f for each line of s indented by n columns: the
// column of its new indentation (-1 for a blank line, whose blanks are
// deleted) and the text that follows it.
func eachIndented(s string, n int, f func(col int, text string)) {
	for rest := s; rest != ""; {
		ln, after := cutLine(rest)
		rest = after
		content := strings.TrimSuffix(ln, "\n")
		i := skipBlanks(content)
		if i == len(content) {
			f(-1, ln[len(content):])
			continue
		}
		f(columns(content[:i])+n, ln[i:])
	}
}

// existingResult is org-babel-where-is-src-block-result without INSERT:
// the line of the block's "#+RESULTS:" keyword.
func (p *parser) existingResult(b *Block) (int, bool) {
	if b.Name != "" || p.blockHasName(b) {
		return p.namedResult(b.Name)
	}
	// After the block and its blank lines: the next element's affiliated
	// keywords, up to its first line, may hold an empty "#+RESULTS:" —
	// unless the block is the last element of its container (a drawer, a
	// block, a footnote definition, a section), whose end is no place for
	// them.
	limit := p.containerLimit(b)
	j := b.EndLine
	for j < limit && isBlank(p.lines[j].Text) {
		j++
	}
	if j >= limit || isHeading(p.lines[j].Text) {
		return 0, false
	}
	if p.lastInItem(b) {
		return 0, false
	}
	// The keywords are searched up to the element's first line. Keywords
	// no element follows (a blank line, a heading, the container's end
	// or the text's end comes next) are orphaned:
	// org-element--collect-affiliated-keywords moves back to the first,
	// parsed as a keyword of one line, and only that line is searched.
	k := j
	for k < limit {
		if _, ok := affiliatedKeyword(p.lines[k].Text); !ok {
			break
		}
		k++
	}
	last := k
	if k > j && (k >= limit || isBlank(p.lines[k].Text) || isHeading(p.lines[k].Text)) {
		last = j
	}
	for k := j; k <= last && k < len(p.lines); k++ {
		if isResultsKeyword(p.lines[k].Text, "") {
			return k, true
		}
	}
	return 0, false
}

// containerLimit is the line where the contents of executable b's
// container end (its parent's :contents-end), as the scanner found it.
func (p *parser) containerLimit(b *Block) int {
	limit, _ := p.container(b)
	return limit
}

// container is containerLimit, and whether executable b is inside a
// footnote definition.
func (p *parser) container(b *Block) (limit int, inFootnote bool) {
	c := p.elementOf(b)
	return c.limit, c.inFootnote
}

// lastInItem reports whether block or #+call: line b is the last element
// of a list item, as org-element parses the list (scanner.endsItem).
func (p *parser) lastInItem(b *Block) bool {
	return p.elementOf(b).endsItem
}

// elementPlace is where the scanner found an executable: its
// container's limit, whether it is in a footnote definition, whether it
// ends a list item.
type elementPlace struct {
	limit      int
	inFootnote bool
	endsItem   bool
}

// elementOf is the place of executable b (a block or #+call: line) as the
// scanner found it; one it did not find ends at the text's end.
func (p *parser) elementOf(b *Block) elementPlace {
	if b.Call != nil {
		post := b.BeginLine - 1
		calls := p.els.calls
		k := sort.Search(len(calls), func(k int) bool { return calls[k].post >= post })
		if k < len(calls) && calls[k].post == post {
			return elementPlace{calls[k].limit, calls[k].inFootnote, calls[k].endsItem}
		}
		return elementPlace{limit: len(p.lines)}
	}
	if b.BeginLine >= 1 && b.BeginLine <= len(p.lines) {
		if k := p.els.srcAt[b.BeginLine-1]; k > 0 {
			e := p.els.srcs[k-1]
			return elementPlace{e.limit, e.inFootnote, e.endsItem}
		}
	}
	return elementPlace{limit: len(p.lines)}
}

// namedResult is org-babel-find-named-result: the first "#+RESULTS…: NAME"
// line that is a keyword or an affiliated keyword.
//
// A match inside a src, example, export, comment or verse block is that
// block's text, not a keyword, and is passed over.
func (p *parser) namedResult(name string) (int, bool) {
	x := p.resultLines()
	if name == "" {
		return x.unkeyed, x.unkeyed >= 0
	}
	key := foldKey(name)
	if x.names[key] {
		k, ok := x.first[key]
		return k, ok
	}
	// A name no block of the text carries (a Block built by hand).
	for _, k := range x.lines {
		if isResultsKeyword(p.lines[k].Text, name) {
			return k, true
		}
	}
	return 0, false
}

// resultsHash is the hash of a "#+RESULTS[HASH]:" line (match 1 of
// org-babel-result-regexp: an optional "(TIME) " then hex digits), or "".
func resultsHash(t string) string {
	r := t[skipBlanks(t):]
	if !hasPrefixFold(r, "#+RESULTS[") {
		return ""
	}
	hash, rest, ok := resultsBracket(r[len("#+RESULTS"):])
	if !ok || !strings.HasPrefix(rest, ":") {
		return ""
	}
	return hash
}

// resultsBracket reads the bracket of org-babel-result-regexp at the
// start of r: "[", an optional time stamp "(YYYY-MM-DD HH:MM:SS) ", one
// or more hex digits (of either case: Babel matches with case-fold-search
// on), "]". It returns the digits and what follows the bracket; ok is
// false when r starts with no such bracket.
func resultsBracket(r string) (hash, rest string, ok bool) {
	if !strings.HasPrefix(r, "[") {
		return "", r, false
	}
	r = r[1:]
	if strings.HasPrefix(r, "(") {
		const stamp = "(dddd-dd-dd dd:dd:dd) "
		if len(r) < len(stamp) {
			return "", r, false
		}
		for i := 0; i < len(stamp); i++ {
			if c := r[i]; stamp[i] == 'd' && (c < '0' || c > '9') || stamp[i] != 'd' && c != stamp[i] {
				return "", r, false
			}
		}
		r = r[len(stamp):]
	}
	n := 0
	for n < len(r) && strings.IndexByte("0123456789abcdefABCDEF", r[n]) >= 0 {
		n++
	}
	if n == 0 || !strings.HasPrefix(r[n:], "]") {
		return "", r, false
	}
	return r[:n], r[n+1:], true
}

// isResultsKeyword matches "^[ \t]*#\+RESULTS.*?:[ \t]*NAME[ \t]*$"
// (case-insensitive); with name "" it matches org-babel-result-regexp
// followed by the end of the line.
func isResultsKeyword(t, name string) bool {
	r := t[skipBlanks(t):]
	if !hasPrefixFold(r, "#+RESULTS") {
		return false
	}
	r = r[len("#+RESULTS"):]
	if name == "" {
		if strings.HasPrefix(r, "[") {
			var ok bool
			if _, r, ok = resultsBracket(r); !ok {
				return false
			}
		}
		return strings.HasPrefix(r, ":") && isBlank(r[1:])
	}
	// ".*?:" — any colon may end the keyword part.
	for i := 0; i < len(r); i++ {
		// case-fold-search is on for the name too.
		if r[i] == ':' && strings.EqualFold(strings.Trim(r[i+1:], " \t"), name) {
			return true
		}
	}
	return false
}

// resultEnd is org-babel-result-end at line i: the offset after the
// results that start there (after the element, without its trailing blank
// lines), or the start of line i when there are none.
func (p *parser) resultEnd(i int) int {
	if i >= len(p.lines) {
		return len(p.text)
	}
	last := p.resultElementEnd(i)
	if last < i {
		return p.lines[i].Start
	}
	return p.lines[last].Next
}

// linkLineRe is "^[ \t]*" org-link-bracket-re "[ \t]*$" of Org 9.5.5.
var linkLineRe = regexp.MustCompile(`^[ \t]*\[\[(?:[^\]\[\\]|\\(?:\\\\)*[\]\[]|\\+[^\]\[])+\](?:\[[\s\S]+?\])?\][ \t]*(?:\n|$)`)

// isAffiliatedLine reports whether line t is an affiliated keyword.
func isAffiliatedLine(t string) bool {
	_, ok := affiliatedKeyword(t)
	return ok
}

// resultElementEnd returns the last line of the result element at line i,
// or i-1 when the line starts no element that holds results.
func (p *parser) resultElementEnd(i int) int {
	lines := p.lines
	t := lines[i].Text
	r := t[skipBlanks(t):]
	switch {
	case isBlank(t):
		return i - 1
	case p.els.closers[i]:
		// The closing line of the drawer or special block the results
		// keyword stands at the end of: the element at point is that
		// container, and its end (this line) the results' end.
		return i
	case strings.HasPrefix(r, "[[") && linkLineRe.MatchString(p.text[lines[i].Start:]):
		// org-babel-result-end: a line that is a bracket link is the
		// result, one line, even when the link goes on over the
		// following lines (the link regexp's classes take newlines).
		return i
	case isAffiliatedLine(t):
		// The element at point is the one these keywords belong to,
		// and it ends the results; orphaned keywords (before a blank
		// line, a heading or the end) are keywords, which hold none.
		j := i
		for j < len(lines) && isAffiliatedLine(lines[j].Text) {
			j++
		}
		if j == len(lines) || isBlank(lines[j].Text) || isHeading(lines[j].Text) {
			return i - 1
		}
		if last := p.resultElementEnd(j); last >= j {
			return last
		}
		return i - 1
	case isFixedWidth(r):
		for i+1 < len(lines) && isFixedWidth(lines[i+1].Text[skipBlanks(lines[i+1].Text):]) {
			i++
		}
		return i
	case strings.HasPrefix(r, "|"):
		for i+1 < len(lines) && strings.HasPrefix(strings.TrimLeft(lines[i+1].Text, " \t"), "|") {
			i++
		}
		for i+1 < len(lines) && hasPrefixFold(strings.TrimLeft(lines[i+1].Text, " \t"), "#+TBLFM:") {
			i++
		}
		return i
	case hasPrefixFold(r, "#+BEGIN_"):
		switch strings.ToUpper(blockType(r)) {
		case "CENTER", "QUOTE", "VERSE", "COMMENT":
			// Not among the elements org-babel-result-end takes for
			// results: a block :wrap quote made stays, and the new
			// results go above it.
			return i - 1
		}
		return p.blockLast(i)
	case isDrawerLine(t):
		// The first ":END:" before the next heading.
		end := nextIn(p.scan.drawerEnds, i+1, len(lines))
		if next := int(p.headingOf[i]) + 1; end >= 0 && next < len(p.headings) && p.headings[next].line < end {
			return i - 1
		}
		if end >= 0 {
			return end
		}
		return i - 1
	case strings.HasPrefix(r, `\begin{`):
		if name, ok := latexBegin(r); ok {
			// The first line holding "\end{NAME}".
			if end := nextIn(p.latexEndLines()[name], i, len(lines)); end >= 0 {
				return end
			}
		}
		return i - 1
	case itemBullet(t) > 0:
		// A plain list: items and their more-indented lines, until a line
		// indented no more than the first bullet that is not an item, or
		// two blank lines. An item of a list begun above, which holds the
		// keyword, is the element at point alone, not its list: it ends
		// at the next line indented no more than its bullet.
		return p.listEnd(i, !p.inItemAbove(i))
	}
	return i - 1
}

// listEnd is the last line of the plain list (whole, or only the item)
// whose bullet is line i, as resultElementEnd takes it.
func (p *parser) listEnd(i int, whole bool) int {
	lines := p.lines
	ind := skipBlanks(lines[i].Text)
	last := i
	for k := i + 1; k < len(lines); k++ {
		lt := lines[k].Text
		if isBlank(lt) {
			if k+1 < len(lines) && isBlank(lines[k+1].Text) {
				break
			}
			continue
		}
		if isHeading(lt) {
			break
		}
		if skipBlanks(lt) <= ind && !(whole && itemBullet(lt) > 0 && skipBlanks(lt) == ind) {
			break
		}
		last = k
	}
	return last
}

// inItemAbove reports whether the keyword line above item line i stands in
// an item of a list i continues: it is indented more than i, and the
// nearest line above it indented less than it is a bullet. (A keyword
// indented no more than the bullet is the list's own affiliated keyword.)
func (p *parser) inItemAbove(i int) bool {
	if i == 0 {
		return false
	}
	kt := p.lines[i-1].Text
	kind := skipBlanks(kt)
	if kind <= skipBlanks(p.lines[i].Text) {
		return false
	}
	for k := i - 2; k >= 0; k-- {
		t := p.lines[k].Text
		if isBlank(t) || skipBlanks(t) >= kind {
			continue
		}
		return itemBullet(t) > 0 && !isHeading(t)
	}
	return false
}

// Value kinds, for Value.
const (
	ValueNone   = valueNone
	ValueString = valueString
	ValueTable  = valueTable
)

// Value is the Babel value of a shell block's output under args (what
// org-babel-sh-evaluate returns): nothing, a string, or a table of printed
// cells. A block that depends on another through :var receives it.
func Value(output string, args Args) (kind int, scalar string, table [][]string) {
	v, _ := args.Get("results")
	val := evaluate(output, splitString(v))
	return val.kind, val.str, val.rows()
}

// withoutWord is words without w (a new slice).
func withoutWord(words []string, w string) []string {
	out := make([]string, 0, len(words))
	for _, x := range words {
		if x != w {
			out = append(out, x)
		}
	}
	return out
}

// blockType is the type of the block whose #+begin_ line is r
// (indentation removed): "quote" of "#+begin_quote", "src" of
// "#+BEGIN_SRC sh".
func blockType(r string) string {
	typ := r[len("#+BEGIN_"):]
	if k := strings.IndexAny(typ, " \t"); k >= 0 {
		typ = typ[:k]
	}
	return typ
}

// blockLast is the line of the #+end_ line of the block that begins at
// line i, else i-1 (no such line: not a block).
func (p *parser) blockLast(i int) int {
	t := p.lines[i].Text
	if end := p.scan.blockEnd(i+1, len(p.lines), blockType(t[skipBlanks(t):])); end >= 0 {
		return end
	}
	return i - 1
}
