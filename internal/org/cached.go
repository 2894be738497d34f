package org

import (
	"fmt"
	"strings"
)

// This file reads a block's results back from the document, as Babel does
// for a :cache yes block whose hash has not changed: instead of running
// the block, org-babel-execute-src-block returns org-babel-read-result of
// the results already there, and that is the value blocks referring to
// it receive.

// Data is a value Babel reads from the document (org-babel-read-element,
// org-babel-read-result): a table (rules as hline rows), a string or a
// number, a link, or a plain list with sublists (List, its items as
// org-list-to-lisp gives them, instead of Table).
type Data struct {
	Kind   int
	Scalar string
	Table  [][]string
	List   []ListItem
	// Quoted are the cells of Table (row, column, rules counted)
	// written in double quotes whose text reads as a number ("12",
	// "1e3"), and those whose text is an infinity or NaN as Emacs
	// prints it (1.0e+INF, see NonFinite): org-babel-read reads such a
	// cell as a string, where a number printed so is a number, and the
	// variable conversions write it quoted.
	Quoted [][2]int
}

// data is v as Data.
func (v babelValue) data() Data {
	return Data{Kind: v.kind, Scalar: v.str, Table: v.rows(), List: v.list, Quoted: v.quoted}
}

// CachedResult is the hash of a block's existing "#+RESULTS[HASH]:" line
// and the value org-babel-read-result reads from the results under it.
// ok is false when the block has no hashed results, or results Borges
// does not read back.
func (d *Document) CachedResult(b *Block) (hash string, value Data, ok bool) {
	p := d.parser()
	loc, found := p.existingResult(b)
	if !found || b.Inline > 0 {
		// An inline block's results macro carries no hash: Babel
		// runs it again.
		return "", Data{}, false
	}
	if hash = resultsHash(p.lines[loc].Text); hash == "" {
		return "", Data{}, false
	}
	if loc+1 < len(p.lines) && strings.Trim(p.lines[loc+1].Text, " \t") == "" {
		// org-babel-read-result reads nil at a blank line: results
		// carrying the hash stand, empty, as the value nil.
		return hash, Data{Kind: valueNone}, true
	}
	v, ok := p.readResultIn(loc+1, d.Visit)
	return hash, v.data(), ok
}

// readResult is org-babel-read-result at line i, where the sender's
// visit of the document is not known.
func (p *parser) readResult(i int) (babelValue, bool) {
	return p.readResultIn(i, Visit{})
}

// readResultIn is org-babel-read-result at line i of a document visited
// as visit says (for a link's path).
func (p *parser) readResultIn(i int, visit Visit) (babelValue, bool) {
	if i >= len(p.lines) {
		return babelValue{kind: valueNone}, true
	}
	t := p.lines[i].Text
	r := t[skipBlanks(t):]
	switch {
	case strings.HasPrefix(r, "|"):
		// org-babel-read-table: each cell read by org-babel-read.
		var rows [][]string
		var quoted [][2]int
		for k := i; k < len(p.lines) && strings.HasPrefix(strings.TrimLeft(p.lines[k].Text, " \t"), "|"); k++ {
			ln := p.lines[k].Text
			if isRuleLine(ln) {
				rows = append(rows, hlineRow)
				continue
			}
			cells := tableRowCells(ln)
			for j, c := range cells {
				// org-babel-read, not the org-babel-string-read of
				// imported output (readCellNumber): a quote inside a cell
				// ("a \"b\" c") keeps the cell as it stands.
				v, num, err := babelRead(c)
				if err != nil {
					return babelValue{}, false
				}
				// A cell read as a Lisp string whose text reads as a
				// number ("12"), or whose text is how Emacs prints an
				// infinity or NaN (1.0e+INF, which has letters, so
				// org-babel-read leaves it a string): only this mark
				// keeps it a string.
				_, reads := lispNumber(v)
				if !num && (NonFinite(v) || c != "" && c[0] == '"' && reads) {
					quoted = append(quoted, [2]int{len(rows), j})
				}
				cells[j] = v
			}
			rows = append(rows, cells)
		}
		return babelValue{kind: valueTable, table: rows, quoted: quoted}, true
	case isListItem(t):
		// org-babel-read-list: each item a list of its text, a
		// table of one column of strings; with sublists, the items
		// as org-list-to-lisp gives them.
		items := p.readList(i)
		rows := make([][]string, len(items))
		for k, it := range items {
			if it.Parts != nil {
				return babelValue{kind: ValueTextTable, list: items}, true
			}
			rows[k] = []string{it.Text}
		}
		return babelValue{kind: ValueTextTable, table: rows}, true
	case strings.HasPrefix(r, "[["):
		return readLinkValue(r, visit)
	case hasPrefixFold(r, "#+BEGIN_"):
		// org-babel-read-element reads any block, quote and center
		// blocks too, which are no results region (resultElementEnd).
		last := p.blockLast(i)
		if last <= i {
			return babelValue{}, false
		}
		var lines []string
		for k := i + 1; k < last; k++ {
			lines = append(lines, p.lines[k].Text)
		}
		body := strings.Join(lines, "\n")
		if len(lines) > 0 {
			body += "\n"
		}
		switch strings.ToUpper(blockType(r)) {
		case "EXAMPLE", "EXPORT", "SRC":
			// The value of an example, export or source block, which
			// org-element unescapes (",* " is "* "); the contents of
			// other blocks (a special block too, #+begin_examples) are
			// read as they stand.
			body = unescapeCode(body)
		}
		return babelValue{kind: valueString, str: removeIndentation(body)}, true
	case isFixedWidth(r):
		var out []string
		for k := i; k < len(p.lines); k++ {
			lt := p.lines[k].Text
			lr := lt[skipBlanks(lt):]
			if !isFixedWidth(lr) {
				break
			}
			if len(lt) > 1 {
				out = append(out, strings.TrimPrefix(strings.TrimPrefix(lr, ":"), " "))
			} else {
				out = append(out, "")
			}
		}
		s := orgTrim(strings.Join(out, "\n"))
		if n, ok := lispNumber(s); ok {
			return babelValue{kind: valueString, str: n}, true
		}
		return babelValue{kind: valueString, str: s}, true
	}
	return babelValue{}, false
}

// ReadBack is the value org-babel-read-result reads from the results
// write-back puts under block b for r: what a :cache yes block's
// dependents receive in the very run that computes it, since Babel
// resolves their reference by calling the block again and finds its
// fresh results current. ok is false when nothing is written (silent,
// none, a failed file link) or the results are not read back. A plain
// list with sublists is List instead of Table, as CachedResult has it.
func (d *Document) ReadBack(b *Block, r Result) (value Data, ok bool) {
	body, ok := d.written(b, r)
	if !ok {
		return Data{}, false
	}
	sub, err := Parse(body)
	if err != nil {
		return Data{}, false
	}
	got, ok := sub.parser().readResultIn(0, d.Visit)
	if !ok {
		return Data{}, false
	}
	return got.data(), true
}

// RefNotFound is the error org-babel-ref-resolve signals for a
// reference to name that names nothing in the buffer.
func RefNotFound(name string) string {
	return fmt.Sprintf("Reference ‘%s’ not found in this buffer", name)
}

// ReadBackNamed is the value org-babel-read-element reads from the
// results write-back puts under block b for r, when a #+name: names
// them (NamedData): what a reference to that name receives once b ran.
// With nothing written below "#+RESULTS:" the #+name: names no element
// and org-babel-ref-resolve goes on to the next element so named: its
// value when it is data. ok is false when nothing is written or it is
// not data; missing is then, when b wrote results, the error
// org-babel-ref-resolve signals for the name: "Reference ‘name’ not
// found in this buffer" when no other element has it (or it is a source
// block or a call, which Babel runs: see RunsNext; or the results of a
// block, which it may have rewritten: see NextNamedResultsBlock), else
// "Reference not found" (org-babel-read-element reads nil from the
// element). b may be that next block too: its results read back, or
// when they too leave the #+name: on no element, "Reference ‘name’ not
// found in this buffer".
func (d *Document) ReadBackNamed(b *Block, r Result, name string) (value Data, missing string, ok bool) {
	body, ok := d.written(b, r)
	if !ok {
		return Data{}, "", false
	}
	d.named.once.Do(d.indexNames)
	// The element after b's results so named, when they leave the
	// #+name: on no element.
	at, gone := d.named.first, d.nextNamed
	if d.nextResultsOf(b, name) {
		at, gone = d.named.second, d.thirdNamed
	}
	if d.nameDeletedAt(at, name) {
		// Deleted with the old results.
		return gone(name)
	}
	const sub = "borges-read-back"
	doc, err := Parse("#+name: " + sub + "\n" + body)
	if err != nil {
		return Data{}, "", false
	}
	doc.Visit = d.Visit
	if value, ok = doc.NamedData(sub); ok {
		return value, "", true
	}
	if strings.TrimSpace(body) == "" {
		return gone(name)
	}
	return Data{}, "Reference not found", false
}

// nextNamed is ReadBackNamed of the element org-babel-ref-resolve goes on
// to when the first one named name is gone, or failing that the body of
// the heading whose CUSTOM_ID is name.
func (d *Document) nextNamed(name string) (value Data, missing string, ok bool) {
	d.named.once.Do(d.indexNames)
	return d.laterNamed(d.named.second, name, RefNotFound(name))
}

// thirdNamed is nextNamed of the element after the next one named name,
// when the next one, a block's results, is gone too (ReadBackNamed of
// that block): NotFollowed when it is a block, a call or a block's
// results again, which Borges does not follow.
func (d *Document) thirdNamed(name string) (value Data, missing string, ok bool) {
	d.named.once.Do(d.indexNames)
	return d.laterNamed(d.named.third, name, NotFollowed)
}

// NotFollowed is ReadBackNamed's missing when org-babel-ref-resolve
// goes on past two elements of a name gone to a third that Babel runs
// or that is a block's results: Borges does not follow such a reference.
const NotFollowed = "\x00not followed"

// laterNamed is nextNamed of the element idx has for name; runs is
// missing when that element is a block or a call, or the results of a
// block (which may have rewritten them by then: the reader knows,
// RunsNext, NextNamedResultsBlock).
func (d *Document) laterNamed(idx map[string]int, name, runs string) (value Data, missing string, ok bool) {
	switch j, found := idx[name]; {
	case !found:
		// A heading whose CUSTOM_ID is name: its body (not when results
		// written as the document runs change it).
		if body, live, ok := d.headingBody(name); ok && !live {
			return Data{Kind: ValueString, Scalar: body}, "", true
		}
		return Data{}, RefNotFound(name), false
	case j == namedRuns:
		return Data{}, runs, false
	case j >= 0:
		if _, rewritten := d.resultsBlockAt(j); rewritten {
			return Data{}, runs, false
		}
		if value, ok = d.dataAt(j); ok {
			return value, "", true
		}
	}
	return Data{}, "Reference not found", false
}

// nextResultsOf reports whether the next element named name is b's
// results (NextNamedResultsBlock).
func (d *Document) nextResultsOf(b *Block, name string) bool {
	i, ok := d.NextNamedResultsBlock(name)
	return ok && d.BlockAt(i).Start == b.Start
}

// RunsNext reports whether the element org-babel-ref-resolve goes on to
// for a reference to name, when the first one so named is gone (see
// ReadBackNamed), is a source block or a call, which Babel runs for the
// reference.
func (d *Document) RunsNext(name string) bool {
	d.named.once.Do(d.indexNames)
	j, found := d.named.second[name]
	return found && j == namedRuns
}

// written is the text of the results write-back puts under block b for
// r, keyword left out; ok is false when nothing is written.
func (d *Document) written(b *Block, r Result) (string, bool) {
	resultsArg, _ := b.Args.Get("results")
	rp := splitString(resultsArg)
	if hasWord(rp, "none") || hasWord(rp, "silent") {
		return "", false
	}
	v := r.named(r.value(rp))
	if hasWord(rp, "file") {
		var ok bool
		if v, ok = fileLink(b, v, d.Visit); !ok {
			return "", false
		}
	}
	body, _, _ := formatResult(v, rp, b, d.Visit)
	return body.String(), true
}
