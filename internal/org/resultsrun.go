package org

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// org-babel-execute-buffer finds the blocks it runs as it goes
// (org-babel-map-executables): after running one, it searches on from
// the marker it set at the end of the block's element before the block
// ran (its post-blank included: the blank lines after a block, the spaces
// and tabs after an inline one). Results put in at that marker leave it
// where it is, so what they hold is searched: the block's results were
// there already (replaced, from their #+RESULTS: line), or nothing
// separates the block from what follows. New results put in before the
// marker (a blank line, or a space, between the block and what follows)
// move it past them: what they hold is not searched. Results always get a
// blank line after them, so the blocks found in results chain further
// only where text follows them with no blank line.
//
// ReportResults makes of the results Borges writes the report the
// document's Emacs makes of a buffer an Emacs Lisp block added blocks to
// (BufferReport): the executables found so in the results written are
// marked past the document's executables, in the order they were found,
// and run as the blocks an Emacs Lisp block added are (plan.Edits.Added),
// their results keyed AddedKey and up.

// ReportResults is the buffer org-babel-execute-buffer leaves once the
// results it has (by executable Index, and AddedKey+j for the j-th block
// found in results) are written, reported as the document's Emacs reports
// its buffer: the text with those results in it, a mark for each of the
// document's executables (deleted: inside results that replaced the
// results it stood in) and for each block found in results written, in
// the order found. prev is the report made before (nil: none), whose
// marks it keeps; its results are not written again. A report of the
// document's Emacs (marks it did not make) is returned as it is: what an
// Emacs Lisp block changed in the buffer is not searched so.
func (d *Document) ReportResults(results map[int]Result, prev *BufferReport) *BufferReport {
	exes := d.Executables()
	if prev != nil && (!prev.fromResults || len(prev.Marks) < len(exes)) {
		return prev
	}
	cur := prev
	if cur == nil {
		cur = &BufferReport{Text: d.Text, Marks: make([]BufferMark, len(exes)), fromResults: true}
		for i, b := range exes {
			start, end := d.ResultRegion(b)
			cur.Marks[i] = BufferMark{Point: d.Point(b), BlockEnd: d.BlockEnd(b), Start: start, End: end}
		}
	}
	// Each round writes the results of the marked blocks that have
	// results not written yet, and marks the blocks found in them
	// (bounded: a round marks only blocks in text it wrote, and ends
	// when it writes nothing).
	cur = cur.writeRounds(d, results, len(exes))
	return cur
}

// ReportFoundAfter is rep, the report of the Emacs that blocks found in
// results run in (in a document with no Emacs Lisp block of its own),
// with the results it holds none of written in its text, as
// org-babel-execute-buffer goes on in that buffer once that Emacs's last
// task has run: the results of the blocks that ended after it reported
// (results: the finished ones, written here), and the blocks found in
// them marked past its own marks, in the order found (ReportResults's
// rounds), so that what that Emacs changed in its buffer stays. all are
// every result to be written in the end (WriteResultsIn), those not
// finished (failed, running) too: it is rep itself when rep places every
// result of a block found among them, each at that very block
// (PlacesAdded); a mark of rep that is no block found (a block an Emacs
// Lisp block added there) is an error wrapping ErrFoundMarkNotFound;
// else each of them needs a mark, so that a block found that failed or
// runs has its results written at it. searched is the report of the search of results
// that keyed the blocks found (ReportResults of the results written):
// each block marked anew must be the one searched has under its key,
// text for text, found in the results of the same block (its owner's
// key); else the error says which has no place, naming its line, never
// writing its results at another block's or leaving them out.
func (d *Document) ReportFoundAfter(results, all map[int]Result, rep, searched *BufferReport) (*BufferReport, error) {
	placed, err := d.PlacesAdded(all, rep, searched)
	if err != nil {
		return nil, err
	}
	if placed {
		return rep, nil
	}
	exes := d.Executables()
	if len(rep.Marks) < len(exes) {
		return nil, fmt.Errorf("the report of the Emacs blocks found in results run in marks %d of the document's %d executables", len(rep.Marks), len(exes))
	}
	cur := rep.copyForResults()
	cur = cur.writeRounds(d, results, len(exes))
	// What that Emacs put in its buffer stays as it is there, as in a
	// report of its own (WriteResultsIn): so do the results written
	// here, once.
	cur.fromResults = false
	for i := len(rep.Marks); i < len(cur.Marks); i++ {
		m := cur.Marks[i]
		line := func() int { return 1 + strings.Count(cur.Text[:m.Point], "\n") }
		if searched == nil || i >= len(searched.Marks) {
			return nil, fmt.Errorf("the block found in results at line %d of the Org buffer of the Emacs blocks found in results run in was not found in the results written", line())
		}
		if !sameFound(cur, m, searched, searched.Marks[i]) {
			return nil, fmt.Errorf("the block found in results at line %d of the Org buffer of the Emacs blocks found in results run in is not the one found there in the results written (found block %d)", line(), i-len(exes)+1)
		}
	}
	for k := range all {
		if k >= AddedKey && k-AddedKey >= len(cur.Marks)-len(exes) {
			return nil, fmt.Errorf("the results of found block %d have no place in the Org buffer of the Emacs blocks found in results run in: found in results written after its last report, they are not found there", k-AddedKey+1)
		}
	}
	return cur, nil
}

// hasUnwritten reports whether a mark of r, whose first marks are exes,
// has results among results and none written there (writeRound's to
// write).
func (r *BufferReport) hasUnwritten(exes []*Block, results map[int]Result) bool {
	for i, m := range r.Marks {
		if _, ok := results[resultKey(exes, i)]; ok && m.unwritten() {
			return true
		}
	}
	return false
}

// unwritten reports whether m is a block's that writeRound writes
// results at when it has some: none written there, its text as
// submitted.
func (m BufferMark) unwritten() bool { return m.Digest == "" && !m.Changed }

// resultKey is the key of the results of the i-th mark of a report whose
// first exes marks are the document's executables.
func resultKey(exes []*Block, i int) int {
	if i < len(exes) {
		return exes[i].Index
	}
	return AddedKey + i - len(exes)
}

// writeRound writes in r's buffer the results of its marked blocks that
// have results (by resultKey) and none written (no digest), and marks the
// blocks org-babel-execute-buffer finds in them; wrote is false when
// there were none to write.
func (r *BufferReport) writeRound(d *Document, results map[int]Result, nExes int) (next *BufferReport, wrote bool) {
	exes := d.Executables()
	if !r.hasUnwritten(exes, results) {
		// Nothing to write: no parse of the buffer (a search given
		// the report before, whose results are all written there,
		// as a write-back makes it each time, costs no more).
		return r, false
	}
	now, err := r.parsedFor(d)
	if err != nil {
		return r, false
	}
	at := map[int]*Block{}
	for _, b := range now.Executables() {
		at[now.Point(b)] = b
	}
	q := now.parser()
	type written struct {
		mark   int
		e      edit
		digest string
		put    string // putDigest of e
		resume int    // where the search goes on, before the edit
	}
	var ws []written
	gone := newCoverage(q)
	for i, m := range r.Marks {
		res, ok := results[resultKey(exes, i)]
		if !ok || !m.unwritten() {
			continue
		}
		b := at[m.Point]
		if b == nil || b.Problem != "" || gone.covered(b.BeginLine-1) {
			continue
		}
		e, ok := q.resultEdit(b, res, d.Visit)
		if !ok {
			continue
		}
		text, ok := now.replacement(b, e)
		if !ok {
			continue
		}
		gone.mark(e.Start, e.End)
		ws = append(ws, written{mark: i, e: e, digest: ResultDigest(text), put: putDigest(e), resume: now.elementEnd(b)})
	}
	if len(ws) == 0 {
		return r, false
	}
	sortEdits(ws, func(w *written) *edit { return &w.e }, r.Text)
	// Overlapping edits: the first in the text's order wins, as
	// applyEdits has it.
	kept, last := ws[:0], 0
	for _, w := range ws {
		if w.e.Start >= last {
			kept = append(kept, w)
			last = w.e.End
		}
	}
	ws = kept
	edits := make([]edit, len(ws))
	for i, w := range ws {
		edits[i] = w.e
	}
	// Sorted as sortEdits left them: applyEdits would sort them anew.
	newText, _ := writeEdits(r.Text, edits, 0)
	out := &BufferReport{Text: newText, Properties: r.Properties, Defaults: r.Defaults, fromResults: true,
		Marks: append([]BufferMark(nil), r.Marks...)}
	// moved is where offset x of the text before stands in the text
	// after; inside a region replaced, ok is false. shifts[k] is how far
	// the edits before ws[k] moved the text; the edit x falls in or
	// before is found by binary search (the edits are sorted and do not
	// overlap), as a report has a mark for every executable.
	shifts := make([]int, len(ws)+1)
	for k, w := range ws {
		n := len(w.e.New) + w.e.Result.size() + len(w.e.After)
		shifts[k+1] = shifts[k] + n - (w.e.End - w.e.Start)
	}
	moved := func(x int) (int, bool) {
		k := sort.Search(len(ws), func(k int) bool { return x < ws[k].e.End })
		switch {
		case k == len(ws) || x < ws[k].e.Start:
			return x + shifts[k], true
		default:
			return ws[k].e.Start + shifts[k], false
		}
	}
	// region and digest are, by mark, the results written (offsets
	// after) and their digest.
	region, digest, put := map[int][2]int{}, map[int]string{}, map[int]string{}
	var found []struct{ from, to, owner int }
	shift := 0
	for _, w := range ws {
		n := len(w.e.New) + w.e.Result.size() + len(w.e.After)
		start := w.e.Start + shift
		region[w.mark], digest[w.mark], put[w.mark] = [2]int{start, start + n}, w.digest, w.put
		// Emacs's marker: put in at it, results leave it there; put
		// in before it, they move it past them.
		resume := -1
		switch {
		case w.resume <= w.e.Start:
			resume = w.resume + shift
		case w.resume < w.e.End:
			resume = start
		}
		if resume >= 0 && resume < start+n {
			found = append(found, struct{ from, to, owner int }{max(resume, start), start + n, w.mark})
		}
		shift += n - (w.e.End - w.e.Start)
	}
	for i, m := range out.Marks {
		if rg, ok := region[i]; ok {
			p, _ := moved(m.Point)
			be, _ := moved(m.BlockEnd)
			out.Marks[i] = BufferMark{Point: p, BlockEnd: be, Start: rg[0], End: rg[1], Digest: digest[i], put: put[i], FoundIn: m.FoundIn}
			continue
		}
		p, ok := moved(m.Point)
		be, _ := moved(m.BlockEnd)
		s, _ := moved(m.Start)
		e, _ := moved(m.End)
		if !ok || m.Changed {
			// Inside results that replaced those it stood in:
			// org-babel-execute-buffer does not find it.
			out.Marks[i] = BufferMark{Point: be, BlockEnd: be, Start: s, End: max(s, e), Changed: true, FoundIn: m.FoundIn}
			continue
		}
		out.Marks[i] = BufferMark{Point: p, BlockEnd: be, Start: s, End: max(s, e), Digest: m.Digest, put: m.put, FoundIn: m.FoundIn}
	}
	if len(found) == 0 || !reparseEveryRound && !foundMayHoldExecutables(out.Text, found) {
		return out, true
	}
	nd, err := parseWith(out.Text, out.Properties, out.Defaults)
	if err != nil {
		return out, true
	}
	nd.Visit = d.Visit
	if !reparseEveryRound {
		// The parse the next round (or the next search, given out)
		// makes of out's text (Document), kept with it.
		out.docOnce.Do(func() { out.doc = nd })
	}
	marked := map[int]bool{}
	for _, m := range out.Marks {
		marked[m.Point] = true
	}
	for _, b := range nd.Executables() {
		p := nd.Point(b)
		for _, f := range found {
			if p >= f.from && p < f.to && !marked[p] {
				marked[p] = true
				start, end := nd.ResultRegion(b)
				out.Marks = append(out.Marks, BufferMark{Point: p, BlockEnd: nd.BlockEnd(b), Start: start, End: end, FoundIn: f.owner + 1})
			}
		}
	}
	return out, true
}

// reparseEveryRound has writeRound parse its buffer anew each round, and
// the buffer it wrote whenever results written there are searched, as it
// did before it kept parses and looked at the text written first: the
// tests compare the two (TestWriteRoundsReparse).
var reparseEveryRound = false

// parsedFor is r's text parsed as writeRound reads it (its #+PROPERTY
// values and Babel's defaults r's), visited where d is: the parse kept
// with r (Document), or, for a report of d's own text as ReportResults
// makes the first (no properties or defaults reported), the one kept
// with d for it, so that a search from the document parses it once, not
// once each time a block ends. Shared, so not changed.
func (r *BufferReport) parsedFor(d *Document) (*Document, error) {
	if reparseEveryRound {
		now, err := parseWith(r.Text, r.Properties, r.Defaults)
		if err != nil {
			return nil, err
		}
		now.Visit = d.Visit
		return now, nil
	}
	if r.Properties == nil && r.Defaults == nil && r.Text == d.Text {
		d.textReportOnce.Do(func() { d.textReport = &BufferReport{Text: d.Text, fromResults: true} })
		return d.textReport.Document(d.Visit)
	}
	return r.Document(d.Visit)
}

// foundMayHoldExecutables reports whether a block org-babel-execute-buffer
// finds may stand in text (writeRound's buffer written) at a point in one
// of the regions searched, [from, to): its point is the start of its
// #+begin_src or #+call: line, or the src_ or call_ of an inline one, so
// the text from the region's start to the end of the line of its last
// byte holds what MayHoldExecutables looks for. Where none does, parsing the
// buffer again finds no block there: writeRound marks none.
func foundMayHoldExecutables(text string, found []struct{ from, to, owner int }) bool {
	for _, f := range found {
		// The last point in the region is f.to-1: its line ends
		// at the first newline from there on.
		end := len(text)
		if last := max(f.to-1, f.from); last < len(text) {
			if i := strings.IndexByte(text[last:], '\n'); i >= 0 {
				end = last + i
			}
		}
		if f.from < end && MayHoldExecutables(text[f.from:end]) {
			return true
		}
	}
	return false
}

// elementEnd is where executable b's element ends as org-element has it:
// past the blank lines after a block or #+call: line, but for those after
// the last element of a list item (its parent's contents end before them:
// they are the item's), past the spaces and tabs after an inline block
// (its End).
func (d *Document) elementEnd(b *Block) int {
	if b.Inline > 0 {
		return b.End
	}
	p := d.parser()
	i := b.EndLine // the line after the block's last, from 0
	for i < len(p.lines) && isBlankText(p.lines[i].Text) {
		i++
	}
	if i > b.EndLine && p.lastInItem(b) {
		return d.LineStart(b.EndLine + 1)
	}
	return d.LineStart(i + 1)
}

// isBlankText reports whether a line holds only spaces and tabs.
func isBlankText(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] != ' ' && s[i] != '\t' {
			return false
		}
	}
	return true
}

// ResultsMayHoldExecutables reports whether r, written as b's results,
// may hold a block org-babel-execute-buffer finds in them: b's header
// puts them in as Org text (ResultsAsOrgText) and the text written
// (ResultReplacement) has one (MayHoldExecutables).
func (d *Document) ResultsMayHoldExecutables(b *Block, r Result) bool {
	if b == nil || !ResultsAsOrgText(b.Args) {
		return false
	}
	text, ok := d.ResultReplacement(b, r)
	return ok && MayHoldExecutables(text)
}

// MayHoldExecutables reports whether results text (ResultReplacement)
// may hold a source block, #+call: line or inline block or call: what
// org-babel-map-executables searches for, in any case, is in it.
func MayHoldExecutables(text string) bool {
	for _, s := range []string{"src_", "call_", "#+begin_src", "#+call:"} {
		if containsFold(text, s) {
			return true
		}
	}
	return false
}

// containsFold reports whether s holds sub in any case (strings.EqualFold
// on each window of sub's length), without a lowered copy of s: results
// searched may be megabytes, and removeCoderefs tests with it before
// compiling its expression.
func containsFold(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

// ResultsAsOrgText reports whether a block's results, by its header
// arguments, may hold a block org-babel-execute-buffer finds. The words
// follow Org 9.5.5's org-babel-insert-result exactly, in its order: a
// :wrap header first, whose block is Org text unless it is an example or
// export block (its lines escaped, ",#+begin_src", as Emacs 28.2 writes
// them, raw results too), a verse block (whose contents are objects) or
// a comment block (raw text); a :wrap src is a source block itself,
// found whatever it holds. Then html and latex results, an export block
// escaped whatever else the header says; then org and code results (a
// source block itself), raw, drawer and wrap (drawer's spelling before
// Org 7.9.2, written as drawer: unescaped in a :results: drawer), and a
// list. Not output shown verbatim, a table or a value in a line (an
// inline block in a table's cell is not looked for).
func ResultsAsOrgText(args Args) bool {
	if wrap, ok := args.Get("wrap"); ok {
		kind, _, _ := strings.Cut(strings.TrimSpace(wrap), " ")
		switch strings.ToLower(kind) {
		case "example", "export", "verse", "comment":
			return false
		}
		return true
	}
	results, _ := args.Get("results")
	words := strings.Fields(results)
	if slices.Contains(words, "html") || slices.Contains(words, "latex") {
		return false
	}
	for _, w := range words {
		switch w {
		case "raw", "drawer", "wrap", "org", "code", "list":
			return true
		}
	}
	return false
}

// ReplacedRegion is the text b's new results take the place of when it
// runs, [start, end), and where org-babel-execute-buffer searches on from
// once it has run (resume: the end of b's element before it ran). An
// executable of the document standing in [max(start, resume), end) is
// deleted before Emacs reaches it. ok is false when b writes no results
// (:results silent or none); an edit that only adds text (append,
// prepend, no results there yet) has start == end. What is replaced does
// not depend on the output: an empty one stands for any.
func (d *Document) ReplacedRegion(b *Block) (start, end, resume int, ok bool) {
	e, ok := d.parser().resultEdit(b, Result{}, d.Visit)
	if !ok {
		return 0, 0, 0, false
	}
	return e.Start, e.End, d.elementEnd(b), true
}

// putDigest is the digest of the results e puts in, without the lines
// before them: the same for the results of one run whether they replace
// the results there or are appended or prepended to them (:results
// append, prepend), whether the block had results or none (a blank line
// and a #+RESULTS: line put in before them), and whatever was put in
// since inside them (the results of a block they print, before the text
// printed after it) or beside them. Write-back compares it, not the
// text the buffer holds: the edit that appends results again starts
// where the region read back ends, which for raw results printing a
// block followed by text is past that block, before the text (Org's
// org-babel-result-end), not where the results were put in.
func putDigest(e edit) string {
	return ResultDigest(e.Result.String())
}

// maxWriteRounds bounds the rounds of writeRounds: each writes the
// results of the blocks found in the text the round before wrote.
const maxWriteRounds = 64

// writeRounds writes results in r round by round (writeRound), each
// round marking the blocks found in the text it wrote, until a round
// writes nothing (at most maxWriteRounds), and returns the report so
// written; n is the number of the document's executables.
func (r *BufferReport) writeRounds(d *Document, results map[int]Result, n int) *BufferReport {
	for round := 0; round < maxWriteRounds; round++ {
		next, wrote := r.writeRound(d, results, n)
		if !wrote {
			break
		}
		r = next
	}
	return r
}

// copyForResults is a copy of r, its marks its own, for results to be
// written in (fromResults).
func (r *BufferReport) copyForResults() *BufferReport {
	return &BufferReport{Text: r.Text, Properties: r.Properties, Defaults: r.Defaults, fromResults: true,
		Marks: append([]BufferMark(nil), r.Marks...)}
}
