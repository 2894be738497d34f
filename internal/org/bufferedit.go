package org

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
)

// This file writes a document back as the Org buffer of the document's
// Emacs holds it: org-babel-execute-buffer leaves in the buffer what its
// Emacs Lisp blocks changed (a property org-set-property added, text a
// block inserted), and the document Emacs saves is that buffer. The
// document's Emacs reports its buffer when a task changed it (a
// BufferReport); write-back then starts from the reported text, not the
// submitted one, and puts each block's results in place of its results
// region there.

// BufferReport is what the document's Emacs reported of its Org buffer
// after a task that changed it: the buffer's text and, for each executable
// of the document (in the order of Document.Executables), where it and its
// results region stand in it now.
//
// Marks past the executables' are those of the blocks an Emacs Lisp block
// added to the buffer after itself, in the order they were added, which
// org-babel-execute-buffer runs where it finds them: the document's Emacs
// knows the j-th (from 0) by the key AddedKey+j, and so do the results
// given to WriteResultsIn.
type BufferReport struct {
	Text  string
	Marks []BufferMark
	// Properties are the #+PROPERTY values Org holds for the buffer
	// (org-keyword-properties, keys in lower case), which are those of
	// its #+PROPERTY lines as they stood when Org last read them: an
	// Emacs Lisp block that edits such a line changes nothing until it
	// has Org read them again. nil: not reported (a report of an
	// earlier version), the buffer's lines count.
	Properties map[string]string
	// Defaults are Babel's default header arguments as the Emacs holds
	// them (HeaderDefaults), which an Emacs Lisp block may have set. nil:
	// not reported (a report of an earlier version), Org's.
	Defaults *HeaderDefaults
	// Library are the entries of the Library of Babel
	// (org-babel-library-of-babel) that Lisp run in the Emacs added or
	// changed since it started its buffer (library.go), in the order
	// org-babel-ref-resolve's assq meets them, the first of a name.
	// nil: none (or a report of an earlier version).
	Library []LibraryEntry

	// fromResults: made by ReportResults, not by the document's Emacs.
	fromResults bool

	// doc is Text parsed (Document), once.
	docOnce sync.Once
	doc     *Document
	docErr  error
}

// AddedKey is the key of the first block an Emacs Lisp block added to the
// buffer of the document's Emacs (BufferReport), which no block of a
// document (keyed by its place in the text) has.
const AddedKey = 1 << 30

// BufferMark is one executable's place in a reported buffer, as byte
// offsets into its text: Point where org-babel-execute-buffer puts point
// for it (the start of its #+begin_src or #+call: line, the src_ of an
// inline block), the end of its text BlockEnd (Document.BlockEnd), its
// results region Start to End, and Digest, the
// ResultDigest of the results last put there ("" when none were).
type BufferMark struct {
	Point, BlockEnd, Start, End int
	Digest                      string
	// Changed: the block's text is not what was submitted (an Emacs
	// Lisp block after which it runs changed or deleted it).
	Changed bool
	// put, in a report made of the results written (ReportResults),
	// is the putDigest of the results written there.
	put string
	// FoundIn, for a block org-babel-execute-buffer found in results
	// written (ReportResults), is 1 + the index of the mark whose
	// results hold it; 0 for any other mark. Found blocks are named by
	// it (plan.Edits.Added), the same however their finishes interleave.
	FoundIn int
}

// ResultDigest is the digest of a results region's text as put in the
// document's buffer (ResultReplacement): write-back knows by it whether
// the buffer holds the results it would write.
func ResultDigest(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:12])
}

// ParseBufferReport reads a report as the document's Emacs writes it: the
// number of marks, of #+PROPERTY values, of lines of default header
// arguments and of lines of Library of Babel entries on a line ("N P D
// L"; "N P D", "N P" or "N" alone in a report of an earlier version,
// which has no entries, no defaults or neither), a line per mark
// ("POINT BLOCKEND START END DIGEST CHANGED": byte offsets from 0, "-"
// for no digest, "=" or "x"), a line per value ("KEY VALUE"), the lines
// of the defaults (readHeaderDefaults), those of the entries
// (readLibrary), then the buffer's text.
func ParseBufferReport(s string) (*BufferReport, error) {
	line, rest, ok := strings.Cut(s, "\n")
	counts, props, hasProps := strings.Cut(line, " ")
	props, defs, hasDefaults := strings.Cut(props, " ")
	defs, libs, hasLibrary := strings.Cut(defs, " ")
	n, err := strconv.Atoi(counts)
	np, nd, nl := 0, 0, 0
	if err == nil && hasProps {
		np, err = strconv.Atoi(props)
	}
	if err == nil && hasDefaults {
		nd, err = strconv.Atoi(defs)
	}
	if err == nil && hasLibrary {
		nl, err = strconv.Atoi(libs)
	}
	if !ok || err != nil || n < 0 || n > len(rest) || np < 0 || np > len(rest) || nd < 0 || nd > len(rest) || nl < 0 || nl > len(rest) {
		return nil, fmt.Errorf("buffer report: no count of marks in %.40q", s)
	}
	r := &BufferReport{Marks: make([]BufferMark, n)}
	for i := range r.Marks {
		if line, rest, ok = strings.Cut(rest, "\n"); !ok {
			return nil, fmt.Errorf("buffer report: %d marks of %d", i, n)
		}
		f := strings.Fields(line)
		if len(f) != 6 || f[5] != "=" && f[5] != "x" {
			return nil, fmt.Errorf("buffer report: mark %d: %q", i, line)
		}
		var at [4]int
		for j := range at {
			if at[j], err = strconv.Atoi(f[j]); err != nil {
				return nil, fmt.Errorf("buffer report: mark %d: %w", i, err)
			}
		}
		m := BufferMark{Point: at[0], BlockEnd: at[1], Start: at[2], End: at[3], Changed: f[5] == "x"}
		if f[4] != "-" {
			m.Digest = f[4]
		}
		r.Marks[i] = m
	}
	if hasProps {
		r.Properties = make(map[string]string, np)
		for i := 0; i < np; i++ {
			if line, rest, ok = strings.Cut(rest, "\n"); !ok {
				return nil, fmt.Errorf("buffer report: %d property values of %d", i, np)
			}
			key, value, _ := strings.Cut(line, " ")
			if key = strings.ToLower(key); key == "" {
				return nil, fmt.Errorf("buffer report: property value %d: %q", i, line)
			}
			if _, dup := r.Properties[key]; !dup { // assoc: the first
				r.Properties[key] = value
			}
		}
	}
	if hasDefaults {
		if r.Defaults, rest, err = readHeaderDefaults(rest, nd); err != nil {
			return nil, err
		}
	}
	if hasLibrary {
		if r.Library, rest, err = readLibrary(rest, nl); err != nil {
			return nil, err
		}
	}
	r.Text = rest
	for i, m := range r.Marks {
		if m.Point < 0 || m.BlockEnd < 0 || m.BlockEnd > len(r.Text) || m.Start < 0 || m.Start > m.End || m.End > len(r.Text) {
			return nil, fmt.Errorf("buffer report: mark %d (%d %d %d %d) outside a text of %d bytes", i, m.Point, m.BlockEnd, m.Start, m.End, len(r.Text))
		}
	}
	return r, nil
}

// WriteResultsIn is WriteResults in the buffer rep reports (nil: the
// document as submitted): the reported text, each block's results placed
// in it as org-babel-insert-result places them there — the buffer read
// again, so that what Emacs Lisp blocks changed between a block and its
// results, a block renamed, named results put earlier, count as in Emacs —
// but for
//   - a block whose text (from its point to its end) an Emacs Lisp block
//     run before it changed or deleted: Emacs runs what the buffer holds,
//     or nothing, and so does Borges (plan.Edits); the results of a
//     changed one go where the block now stands in the buffer, as that
//     block writes them, unless the buffer holds results put there; a
//     deleted one's results are left as the buffer has them;
//   - a block whose results the buffer holds already (their digest is the
//     one put there): they are left as later blocks may have changed them.
//
// A report of another document (its marks not the executables') is not
// used.
func (d *Document) WriteResultsIn(results map[int]Result, rep *BufferReport) string {
	exes := d.Executables()
	if rep == nil || len(rep.Marks) < len(exes) {
		return d.WriteResults(results)
	}
	now, err := rep.Document(d.Visit)
	if err != nil {
		return rep.Text
	}
	// The buffer's executables by where point goes for them: each
	// mark's block is found there.
	at := map[int]*Block{}
	for _, b := range now.Executables() {
		at[now.Point(b)] = b
	}
	p, q := d.parser(), now.parser()
	var edits []edit
	gone, goneNow := newCoverage(p), newCoverage(q)
	// placeNow places r as the results of the buffer's block at point,
	// as org-babel-insert-result places them there.
	placeNow := func(point int, r Result) {
		nb := at[point]
		if nb == nil || nb.Problem != "" || goneNow.covered(nb.BeginLine-1) {
			return
		}
		if ne, ok := q.resultEdit(nb, r, d.Visit); ok {
			goneNow.mark(ne.Start, ne.End)
			edits = append(edits, ne)
		}
	}
	for i, b := range exes {
		r, ok := results[b.Index]
		if !ok || b.Problem != "" || gone.covered(b.BeginLine-1) {
			continue
		}
		e, ok := p.resultEdit(b, r, d.Visit)
		if !ok {
			continue
		}
		gone.mark(e.Start, e.End)
		m := rep.Marks[i]
		if m.Changed {
			// Run as the buffer held it (plan.Edits): its results go
			// where the block now stands, unless Emacs put some there.
			if m.Point < m.BlockEnd && m.Digest == "" {
				placeNow(m.Point, r)
			}
			continue
		}
		text, ok := d.replacement(b, e)
		if r.As != nil {
			// As its block ran, which the buffer holds.
			text, ok = r.AsIn.ResultReplacement(r.As, r)
		}
		if !ok || m.Digest == ResultDigest(text) {
			continue
		}
		placeNow(m.Point, r)
	}
	// The blocks added to the buffer, their results put where they now
	// stand, unless the buffer holds them already. The document's Emacs
	// put them in once, as org-babel-execute-buffer wrote them before
	// it went on: what ran after changed there (a later block's edit, a
	// line :results append adds) stays as the buffer has it, and a
	// block a later Emacs Lisp block changed was changed after it ran.
	// One changed before ran as it stands (plan.Edits.DecideAdded) when
	// Emacs put none there. In a report made of the results Borges
	// writes (ReportResults), they are written unless those written
	// there are the same (a block found may have run again since):
	// the same region, or the same results put in, whatever the buffer
	// holds around them now (putDigest).
	for j, m := range rep.Marks[len(exes):] {
		r, ok := results[AddedKey+j]
		if !ok || m.Point >= m.BlockEnd || m.Digest != "" && (m.Changed || !rep.fromResults) {
			continue
		}
		if nb := at[m.Point]; nb != nil && m.Digest != "" {
			if text, ok := now.ResultReplacement(nb, r); ok && m.Digest == ResultDigest(regionLead(now, nb, m)+text) {
				continue
			}
			if e, ok := q.resultEdit(nb, r, d.Visit); ok && m.put != "" && m.put == putDigest(e) {
				continue
			}
		}
		placeNow(m.Point, r)
	}
	return applyEdits(rep.Text, edits)
}

// PlacesAdded reports whether rep marks, for each result among results
// of a block found (keyed AddedKey+j), that very block (foundMarked): one
// it has no mark for, found in results written after it reported, has no
// place in its text, and WriteResultsIn leaves it out; one whose mark is
// another block's would be written there. err is foundMarked's: a mark of
// rep that is no block searched has under its key.
func (d *Document) PlacesAdded(results map[int]Result, rep, searched *BufferReport) (bool, error) {
	n, err := d.foundMarked(rep, searched, results)
	if err != nil {
		return false, err
	}
	for k := range results {
		if k >= AddedKey && k-AddedKey >= n {
			return false, nil
		}
	}
	return true, nil
}

// foundMarked is how many marks rep has past the document's executables,
// each of them the block searched (the search of the results written,
// ReportResults) has under the same key: the same text, found in the
// results of the same block (for a mark Emacs made, which names no owner,
// standing inside its owner's results region in rep). A mark changed
// since (Changed) counts as its key's, which Emacs marked it by. A mark
// that is not the block searched has under its key, such as a block an
// Emacs Lisp block found in results added to its buffer, which Emacs
// marks past the blocks found, is an error naming its line: never a
// block's results written at another's, nor a block Emacs runs left with
// none and no word. Such a block marked past every block searched, which
// Borges ran from rep (its results, among results, keyed by its mark),
// is placed at that mark. A mark of a block of the document changed past
// the first block found that may change the buffer (changedAfterFound),
// which Emacs runs as changed and Borges as submitted, is such an error
// too, and so is rep's text changed outside results and blocks found
// where Emacs reads what a block runs (changedOutside).
func (d *Document) foundMarked(rep, searched *BufferReport, results map[int]Result) (int, error) {
	nExes := len(d.Executables())
	// rep's buffer, parsed once, and its blocks by point (nil, empty:
	// it does not parse).
	now, at := rep.blocksByPoint(d.Visit)
	// mayHold reports whether r, written as the results of the block of
	// rep marked m, may hold a block org-babel-execute-buffer finds in
	// them (Document.ResultsMayHoldExecutables); a mark of no block of
	// rep's text, which writes nothing, holds none.
	mayHold := func(m BufferMark, r Result) bool {
		b := at[m.Point]
		return b != nil && now.ResultsMayHoldExecutables(b, r)
	}
	if err := foundOutside(rep, nExes, at); err != nil {
		return 0, err
	}
	if err := foundMarksSearched(rep, searched, nExes, results, mayHold, d.replacedByResults(rep, results, now, at)); err != nil {
		return 0, err
	}
	if err := d.changedOutsideErr(rep, searched, nExes, at); err != nil {
		return 0, err
	}
	return max(0, len(rep.Marks)-nExes), nil
}

// foundOutside is the part of foundMarked that does not match rep's
// marks to searched's: Babel's defaults set (nil error: Org's), and a
// block of the document changed past the first block found that may
// change the buffer (changedAfterFound). at is rep's blocks by point
// (blocksByPoint).
func foundOutside(rep *BufferReport, nExes int, at map[int]*Block) error {
	if !rep.Defaults.Orgs() {
		// org-babel-execute-buffer runs the blocks after the found
		// Emacs Lisp block with the defaults it set; Borges planned
		// them with Org's own.
		return fmt.Errorf("%w: an Emacs Lisp block found in results set Babel's default header arguments, with which org-babel-execute-buffer runs the blocks after it; Borges runs the document's blocks with Org's own: the document is not written", ErrFoundMarkNotFound)
	}
	if i, ok := changedAfterFound(rep, nExes, firstChanging(rep, nExes, at)); ok {
		return fmt.Errorf("%w: the block at line %d of its Org buffer (a block of the document, which an Emacs Lisp block found in results changed there before org-babel-execute-buffer came to it, and which it runs as changed; Borges runs the document's blocks as submitted): the document is not written", ErrFoundMarkNotFound, rep.lineOf(rep.Marks[i].Point))
	}
	return nil
}

// changedOutsideErr is changedOutside as foundMarked's error (nil: no
// such change), at rep's blocks by point (blocksByPoint).
func (d *Document) changedOutsideErr(rep, searched *BufferReport, nExes int, at map[int]*Block) error {
	first := firstChanging(rep, nExes, at)
	if line, ok := d.changedOutside(rep, searched, nExes, first); ok {
		return fmt.Errorf("%w: line %d of its Org buffer (an Emacs Lisp block found in results changed the text there, outside the blocks and results of the document, which org-babel-execute-buffer reads as it runs the blocks after it (a #+header: line, a property, a table a block reads); Borges runs the document's blocks as submitted): the document is not written", ErrFoundMarkNotFound, rep.lineOf(line))
	}
	if name, line, ok := d.namedReadChanged(rep, searched, first); ok {
		return fmt.Errorf("%w: line %d of its Org buffer (an Emacs Lisp block found in results changed the element named %s there, which a block found reads by :var; org-babel-execute-buffer reads it as changed, Borges binds it from the results written): the document is not written", ErrFoundMarkNotFound, line, name)
	}
	return nil
}

// namedReadChanged reports whether an element a block of rep's buffer
// reads by name (a :var reference) reads otherwise in rep's buffer than
// in searched's (the buffer the results written make), a block found in
// results that may change the buffer marked (first, firstChanging): its
// name and the 1-based line of rep's buffer that names it (1 where rep
// names it no more). changedOutside lets the results regions be, where
// results written and Emacs's differ as they run; a named element there
// (a table a found block prints) is what a :var reads all the same.
// A name that is a block's (which runs) is compared as data only.
func (d *Document) namedReadChanged(rep, searched *BufferReport, first int) (name string, line int, ok bool) {
	if searched == nil || first < 0 {
		return "", 0, false
	}
	now, err := rep.Document(d.Visit)
	if err != nil {
		return "", 0, false
	}
	was, err := searched.Document(d.Visit)
	if err != nil {
		return "", 0, false
	}
	for _, b := range now.Executables() {
		for _, v := range b.Vars {
			_, ref, found := strings.Cut(v, "=")
			if !found {
				continue
			}
			ref = strings.TrimSpace(ref)
			if k := strings.IndexAny(ref, "[( \t"); k >= 0 {
				ref = ref[:k]
			}
			if ref == "" {
				continue
			}
			a, aok := now.NamedData(ref)
			s, sok := was.NamedData(ref)
			if aok == sok && (!aok || reflect.DeepEqual(a, s)) && now.NamedUnread(ref) == was.NamedUnread(ref) {
				continue
			}
			line := 1
			if j, named := now.namedLine(false, ref); named {
				line = j + 1
			}
			return ref, line, true
		}
	}
	return "", 0, false
}

// foundMarksSearched is the part of foundMarked that matches each mark
// of rep past nExes to the block searched has under its key: an error
// naming the first that is not that block (one an Emacs Lisp block
// found in results added or changed there), or one added whose results
// may hold a block (mayHold).
func foundMarksSearched(rep, searched *BufferReport, nExes int, results map[int]Result, mayHold func(BufferMark, Result) bool, replaced func(int) bool) error {
	for i := nExes; i < len(rep.Marks); i++ {
		m := rep.Marks[i]
		if m.Changed || m.Point >= m.BlockEnd {
			continue
		}
		r, ran := results[AddedKey+i-nExes]
		if !ran && replaced(i) {
			// Not run: the results written replace it, as Emacs's do
			// before org-babel-execute-buffer reaches it.
			continue
		}
		holds := ran && mayHold(m, r)
		if ran && !holds && (searched == nil || i >= len(searched.Marks)) {
			continue
		}
		if searched == nil || i >= len(searched.Marks) || !sameFound(rep, m, searched, searched.Marks[i]) {
			how := "added it there, where org-babel-execute-buffer runs it; Borges runs a block so added only when that Emacs marks it past every block found in the results written"
			if holds {
				how = "added it there, and its results, written as Org text, may hold a block org-babel-execute-buffer runs; Borges does not search the results of a block so added"
			}
			if changedFound(rep, i, searched) {
				how = "changed it there, where org-babel-execute-buffer runs it as changed; Borges runs it as found in the results written"
			}
			return fmt.Errorf("%w: the block at line %d of its Org buffer (an Emacs Lisp block found in results %s): the document is not written", ErrFoundMarkNotFound, rep.lineOf(m.Point), how)
		}
	}
	return nil
}

// blocksByPoint is r's buffer as a document visited as v, and its
// executables by their points; nil and an empty map where it does not
// parse.
func (r *BufferReport) blocksByPoint(v Visit) (*Document, map[int]*Block) {
	at := map[int]*Block{}
	now, err := r.Document(v)
	if err != nil {
		return nil, at
	}
	for _, b := range now.Executables() {
		at[now.Point(b)] = b
	}
	return now, at
}

// firstChanging is the point of the first block rep marks past nExes
// (the document's executables), a block found in results, that may
// change the buffer (-1: none): an Emacs Lisp block, or one whose header
// holds Lisp that runs in that Emacs (Block.ReadsLisp), or one not read
// as a block there (at, rep's blocks by point: blocksByPoint). In a
// document with no Emacs Lisp block of its own, only such a block
// changes the buffer; a block found that runs no Lisp (a shell block)
// leaves it as it is.
func firstChanging(rep *BufferReport, nExes int, at map[int]*Block) int {
	first := -1
	for _, m := range rep.Marks[min(nExes, len(rep.Marks)):] {
		if m.Point >= m.BlockEnd || first >= 0 && m.Point >= first {
			continue
		}
		if b := at[m.Point]; b != nil && b.Lang != "emacs-lisp" && b.Lang != "elisp" && !b.ReadsLisp {
			continue
		}
		first = m.Point
	}
	return first
}

// changedAfterFound reports whether a mark of rep among its first nExes
// (the document's executables) is of a block changed, not deleted, that
// stands past first, the first block found in results that may change
// the buffer (firstChanging), and which: the first such. In a document
// with no Emacs Lisp block of its own, only such a block changes the
// buffer, and org-babel-execute-buffer, walking it in order, comes to a
// block past that one after it ran: it runs the block as changed, where
// Borges runs it as submitted. A block changed past it by a later one,
// after it ran, is refused too, never written from what Emacs does not
// run. One changed before it ran before any could change it, and stays
// as the buffer has it over its results (WriteResultsIn).
func changedAfterFound(rep *BufferReport, nExes, first int) (int, bool) {
	for i, m := range rep.Marks[:min(nExes, len(rep.Marks))] {
		if m.Changed && m.Point < m.BlockEnd && first >= 0 && m.Point > first {
			return i, true
		}
	}
	return 0, false
}

// changedOutside reports whether rep's text differs from searched's (the
// buffer the results written make, ReportResults) outside the results
// regions of their marks, the blocks found in results and the blocks of
// the document changed before first (which changedAfterFound lets be),
// and where in rep's text: the start of the first line that differs. Such
// text (a #+header: line, a property drawer, a #+PROPERTY line, a table
// or block a later block reads by name) is what org-babel-execute-buffer
// reads as it runs a block: an Emacs Lisp block found in results that
// changed it there has Emacs run what follows it otherwise than Borges
// does, which runs the document as submitted. Every such change counts,
// whatever it is: Borges does not tell those that change no block.
func (d *Document) changedOutside(rep, searched *BufferReport, nExes, first int) (int, bool) {
	if searched == nil || first < 0 {
		return 0, false
	}
	a, offs := rep.kept(rep, nExes, first)
	b, soffs := searched.kept(rep, nExes, first)
	readsByName := d.readsByName()
	if !readsByName {
		a, offs = withoutPlain(a, offs)
		b, soffs = withoutPlain(b, soffs)
	}
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	if n == len(a) && n == len(b) {
		return 0, false
	}
	at, sat := len(rep.Text), len(searched.Text)
	if n < len(a) {
		at = offs[n]
	}
	if n < len(b) {
		sat = soffs[n]
	}
	if rep.pastBlocks(at) && searched.pastBlocks(sat) && !readsByName {
		// Past every block, in a document whose blocks read nothing
		// by name nor run Lisp in their headers: no block reads it.
		return 0, false
	}
	return strings.LastIndexByte(rep.Text[:at], '\n') + 1, true
}

// withoutPlain is kept (with its offsets offs) without its lines of
// plain text: a line whose first non-blank character is none of the
// marks of Org's structure ("#", "*", ":", "|"), or a #+NAME: line, that
// does not follow a keyword
// line ("#+" but "#+end"), a heading or a drawer's line, which it would
// part from the block, or the drawer, after it.
// In a document whose blocks read nothing by name (Document.readsByName),
// such a line, changed, added or gone, changes nothing a block runs
// (a name no block reads, the #+RESULTS: line written from rep's text).
func withoutPlain(kept, offs []int) ([]int, []int) {
	var k2, o2 []int
	prevKeyword := false
	for i := 0; i < len(kept); {
		j := i
		for j < len(kept) && kept[j] != '\n' && kept[j] != resultsSep {
			j++
		}
		end := j
		if j < len(kept) && kept[j] == '\n' {
			end++
		}
		line := make([]byte, 0, j-i)
		for _, c := range kept[i:j] {
			line = append(line, byte(c))
		}
		t := strings.TrimLeft(string(line), " \t")
		name := strings.HasPrefix(strings.ToLower(t), "#+name:")
		plain := t != "" && (strings.IndexByte("#*:|", t[0]) < 0 || name) && !prevKeyword
		if !plain {
			k2, o2 = append(k2, kept[i:end]...), append(o2, offs[i:end]...)
		}
		if !plain || name {
			prevKeyword = strings.HasPrefix(t, "#+") && !strings.HasPrefix(strings.ToLower(t), "#+end") || t != "" && (t[0] == ':' || t[0] == '*')
		}
		if j < len(kept) && kept[j] == resultsSep {
			k2, o2 = append(k2, resultsSep), append(o2, offs[j])
			end = j + 1
			prevKeyword = false
		}
		if end == i {
			end++
		}
		i = end
	}
	return k2, o2
}

// pastBlocks reports whether offset at of r's text lies past the text of
// every block r marks.
func (r *BufferReport) pastBlocks(at int) bool {
	for _, m := range r.Marks {
		if at < m.BlockEnd {
			return false
		}
	}
	return true
}

// readsByName reports whether a block of d reads what the text holds
// elsewhere as it runs: a :var, noweb references, or Lisp in its header.
func (d *Document) readsByName() bool {
	for _, b := range d.Executables() {
		if len(b.Vars) > 0 || b.ReadsLisp || strings.Contains(b.Body, "<<") {
			return true
		}
	}
	return false
}

// resultsSep stands, among the bytes kept, where the results region of
// a block of the document begins (kept).
const resultsSep = 256

// kept is what changedOutside compares of r's text, its bytes (and
// resultsSep where the results region of a block of the document
// begins), each with its offset in r's text: all but the results regions
// of its marks, the blocks found in results (its marks past nExes) and
// the blocks of the document that flags, the report of the Emacs blocks
// found in results run in, marks changed before first, or deleted
// (which changedAfterFound lets be).
func (r *BufferReport) kept(flags *BufferReport, nExes, first int) (kept, offs []int) {
	out := make([]bool, len(r.Text)+1)
	seps := make([]int, len(r.Text)+1)
	// A region cut takes the blanks around it along: where a region
	// ends, what blank lines Emacs and the results written put there
	// differ.
	blank := func(k int) bool { return k >= 0 && k < len(r.Text) && strings.IndexByte(" \t\n", r.Text[k]) >= 0 }
	cut := func(from, to int) {
		from, to = max(from, 0), min(to, len(r.Text))
		for ; blank(from - 1); from-- {
		}
		// The #+RESULTS: line before, which a region of results
		// written may leave out, where Emacs's takes it in.
		if ls := strings.LastIndexByte(r.Text[:from], '\n') + 1; strings.HasPrefix(strings.ToLower(strings.TrimLeft(r.Text[ls:from], " \t")), "#+results") {
			for from = ls; blank(from - 1); from-- {
			}
		}
		for ; blank(to); to++ {
		}
		for k := from; k < to; k++ {
			out[k] = true
		}
	}
	for i, m := range r.Marks {
		cut(m.Start, m.End)
		switch {
		case i >= nExes:
			cut(m.Point, m.BlockEnd)
		case i < len(flags.Marks) && flags.Marks[i].Changed && (flags.Marks[i].Point < first || flags.Marks[i].Point >= flags.Marks[i].BlockEnd):
			cut(m.Point, m.BlockEnd)
		}
		if i < nExes && m.Start >= 0 && m.Start <= len(r.Text) {
			seps[m.Start]++
		}
	}
	for k := 0; k <= len(r.Text); k++ {
		for ; seps[k] > 0; seps[k]-- {
			kept, offs = append(kept, resultsSep), append(offs, k)
		}
		if k < len(r.Text) && !out[k] {
			kept, offs = append(kept, int(r.Text[k])), append(offs, k)
		}
	}
	return kept, offs
}

// lineOf is the 1-based line of r's text that point is on.
func (r *BufferReport) lineOf(point int) int {
	return 1 + strings.Count(r.Text[:min(max(point, 0), len(r.Text))], "\n")
}

// changedFound reports whether mark i of rep, not the block searched has
// under its key (sameFound), is that block changed: found in the results
// of the same block, and that block not marked later in rep (where a
// block added before it pushed it on).
func changedFound(rep *BufferReport, i int, searched *BufferReport) bool {
	if searched == nil || i >= len(searched.Marks) || !sameOwner(rep, rep.Marks[i], searched.Marks[i]) {
		return false
	}
	for _, later := range rep.Marks[i+1:] {
		if sameFound(rep, later, searched, searched.Marks[i]) {
			return false
		}
	}
	return true
}

// ErrFoundMarkNotFound: a report of the Emacs blocks found in results run
// in marks a block past the document's executables that is none found
// in the results written, or a block of the document changed where
// Emacs runs it as changed (foundMarked).
var ErrFoundMarkNotFound = errors.New("the Emacs blocks found in results run in marks a block not found in the results written")

// sameFound reports whether mark m of rep is the block found that mark s
// of searched is: the same text (the block's, the one a prefix of the
// other), found in the results of the same block
// (m inside the results region rep's mark of s's owner has, where m names
// no owner of its own).
func sameFound(rep *BufferReport, m BufferMark, searched *BufferReport, s BufferMark) bool {
	if m.BlockEnd > len(rep.Text) || s.BlockEnd > len(searched.Text) {
		return false
	}
	// A report made of results written ends a block's text past the
	// results written at it (writeRound): the block is the text the
	// shorter begins both with.
	a, b := rep.Text[m.Point:m.BlockEnd], searched.Text[s.Point:s.BlockEnd]
	if len(a) > len(b) {
		a, b = b, a
	}
	if a == "" || !strings.HasPrefix(b, a) {
		return false
	}
	return sameOwner(rep, m, s)
}

// sameOwner reports whether mark m of rep was found in the results of the
// block mark s of the search was found in: s's owner (FoundIn), or, where
// m names no owner of its own, m inside the results region rep's mark of
// s's owner has.
func sameOwner(rep *BufferReport, m, s BufferMark) bool {
	if m.FoundIn != 0 || s.FoundIn == 0 {
		return m.FoundIn == s.FoundIn
	}
	o := s.FoundIn - 1
	if o >= len(rep.Marks) {
		return false
	}
	om := rep.Marks[o]
	return om.Start <= m.Point && m.BlockEnd <= om.End
}

// Document is the reported buffer parsed as Org holds it (its #+PROPERTY
// values those reported), visited where v says. The parse is made once
// and kept with the report, which does not change: it is shared, not to
// be changed. A Visit other than the first one's gets a parse of its own.
func (r *BufferReport) Document(v Visit) (*Document, error) {
	r.docOnce.Do(func() {
		r.doc, r.docErr = r.parse(v)
	})
	if r.docErr != nil || r.doc.Visit == v {
		return r.doc, r.docErr
	}
	return r.parse(v)
}

// parse is Document, made anew.
func (r *BufferReport) parse(v Visit) (*Document, error) {
	d, err := parseWith(r.Text, r.Properties, r.Defaults)
	if err != nil {
		return nil, err
	}
	d.Visit = v
	return d, nil
}

// Point is where org-babel-execute-buffer has point when it runs
// executable b: the start of its #+begin_src or #+call: line, the src_
// (or call_) of an inline block.
func (d *Document) Point(b *Block) int {
	if b.Inline > 0 {
		return b.Start
	}
	return d.LineStart(b.BeginLine)
}

// BlockEnd is where executable b's text ends: past its #+end_src (or
// #+call:) line, at the closing bracket or brace of an inline block.
func (d *Document) BlockEnd(b *Block) int {
	if b.Inline > 0 {
		start, _ := d.ResultRegion(b)
		return start
	}
	return d.LineStart(b.EndLine + 1)
}

// regionLead is the text of the region m's digest was taken of before
// the results region block b now has in the buffer: results written
// where a block had none (ReportResults) put in the blank line before
// their #+RESULTS: line with them, which the region read again leaves
// out. Without it, results that are not the same when written again
// over themselves (a table whose rows are all empty adds an empty line)
// would be written twice.
func regionLead(now *Document, b *Block, m BufferMark) string {
	start, _ := now.ResultRegion(b)
	if m.Start < 0 || m.Start >= start || start > len(now.Text) {
		return ""
	}
	return now.Text[m.Start:start]
}
