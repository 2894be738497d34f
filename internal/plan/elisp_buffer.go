package plan

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// org-babel-execute-buffer runs a document's blocks in document order in
// one Org buffer, inserting each block's results as it goes: an Emacs
// Lisp block (or a Lisp :var value) sees the results of the blocks Emacs
// ran before it, and what earlier Emacs Lisp blocks changed in the buffer
// (org-set-property, insert). The document's Emacs keeps such a buffer:
// its first task (or the first that runs, see TakeOverBuffer) puts the
// document in it, as submitted, and marks in it
// each executable's place (where point goes for it) and its results
// region (org.ResultRegion); each task first puts there the results of
// the blocks Emacs has run by then, as write-back writes them
// (org.ResultReplacement, in place of the marked region), then runs with
// point at its own block's mark. Marks follow the edits, so a block is
// found wherever earlier blocks moved it.
//
// A task's program carries only the results it puts in: the document's
// text and its marks are sent once, with the Emacs's first task.

// BufferResult names a task whose results a task of the document's Emacs
// puts in its buffer first: the task, and the block whose results region
// they take (Task.ResultsIndex).
type BufferResult struct {
	Task  string `json:"task"`
	Index int    `json:"index"`
	// added is the task of a block an Emacs Lisp block added to the
	// buffer (Index its key there, org.AddedKey): its results are
	// written as that buffer holds it.
	added *Task
}

// bufferResults sets, for the tasks of each document's Emacs (in order),
// BufferStart on the first and BufferResults: the tasks with results that
// Emacs has run, in their place, before it evaluates the task, those of
// the blocks before the block it evaluates them for (a task run as a
// block's reference is evaluated for that block, before its results are
// in), not yet put in by an earlier task of that Emacs. Each is earlier
// in order, which ends in the task's dependencies: waiting for them makes
// no cycle.
//
// A task of batch (a batch Emacs of its own, where the backend keeps no
// sessions) gets as BufferResults all the results Emacs has put in
// before it: it reads them in its buffer of the document.
func (b *builder) bufferResults(order []*Task, batch map[*Task]bool) {
	at := make(map[*Task]int, len(order)) // place in order
	for i, t := range order {
		at[t] = i
	}
	// forPos is the place in the document of the block a task is
	// evaluated for: its own, or the first one that refers to it.
	forPos := make(map[*Task]int, len(order))
	seen := map[*Task]bool{}
	var visit func(t *Task, pos int)
	visit = func(t *Task, pos int) {
		if seen[t] {
			return
		}
		seen[t] = true
		forPos[t] = pos
		for _, a := range t.After {
			if d := b.byName[a]; d != nil {
				visit(d, pos)
			}
		}
	}
	// A task of a block's :post chain is evaluated at that block's turn
	// (turnAt), before its results are in, whatever refers to it later
	// (a block the :post calls waits for it): never for a later block,
	// whose buffer holds the block's results, which the chain writes.
	// What it refers to is visited below, as before.
	for _, t := range b.plan.Tasks {
		if r := t.chainRoot(); r != nil && r.called == nil && r.lispVar == nil {
			seen[t], forPos[t] = true, b.position(r)
		}
	}
	// Emacs evaluates the blocks in their place, and what they refer to
	// for them; a block called with arguments, or a Lisp value, only
	// for the block that refers to it: the calls of a block :eval
	// refuses added or found in results (refusedMadeBy) for that block.
	// So is the reading of the output of such a run (a reference's,
	// :var x=g): org-babel-ref-resolve runs the block again, reading
	// included, at the referring block's turn, in the buffer as it
	// stands then, the results of the blocks before that one in.
	for _, t := range b.plan.Tasks {
		if t.called == nil && t.lispVar == nil && !t.readsForCall() {
			visit(t, b.position(t))
		}
	}
	for i, names := range b.refusedMadeBy {
		if blk := b.doc.BlockAt(i); blk != nil {
			for _, n := range names {
				if t := b.byName[n]; t != nil {
					visit(t, blk.Start)
				}
			}
		}
	}
	for _, t := range b.plan.Tasks {
		visit(t, b.position(t))
	}
	var writers []*Task
	for _, t := range order {
		// A block that keeps running (:ensure it-keeps-running) is not
		// waited for: Emacs would never get past it; its results are
		// not put in.
		if t.lispVar == nil && t.ResultsIndex() >= 0 && t.Ensure == ItFinishes {
			writers = append(writers, t)
		}
	}
	sort.SliceStable(writers, func(i, j int) bool { return b.turnAt(writers[i]) < b.turnAt(writers[j]) })
	next := map[string]int{} // per Emacs: the writers put in so far
	last := map[string]string{}
	for _, t := range order {
		if batch[t] {
			for _, w := range writers {
				if b.turnAt(w) >= forPos[t] {
					break
				}
				if at[w] < at[t] {
					t.BufferResults = append(t.BufferResults, BufferResult{Task: w.Block, Index: w.ResultsIndex()})
				}
			}
			continue
		}
		if t.Session == nil || t.Session.Kind != string(session.Emacs) {
			continue
		}
		// A task reading a block's output reads in this buffer too, as
		// Babel reads the output in the document's buffer; it may not
		// run, when the task after it does its part (TakeOverBuffer).
		key := t.Session.Key
		n, started := next[key]
		t.BufferStart = !started
		t.BufferPrev = last[key]
		last[key] = t.Block
		for ; n < len(writers) && b.turnAt(writers[n]) < forPos[t]; n++ {
			w := writers[n]
			if at[w] >= at[t] {
				// Not run yet, t itself included (nor, then, the
				// writers after it): left to a later task.
				break
			}
			t.BufferResults = append(t.BufferResults, BufferResult{Task: w.Block, Index: w.ResultsIndex()})
		}
		next[key] = n
	}
}

// TakeOverBuffer is task t as it runs in the document's Emacs: with the
// buffer work (BufferStart, BufferResults) of the tasks before it in
// that Emacs that did not run before its own, as the buffer must hold
// what they would have put in; prev gives such a task by name and
// whether it ran. t itself is not changed. A task that finished without
// running (a reading that needed no Emacs, cached results standing) did
// so once the results it names had ended, as every task of the Emacs
// waits for them; one not run because a dependency failed may not have
// waited, and of those only the results that are in by then are put in.
func (t *Task) TakeOverBuffer(prev func(name string) (task *Task, ran bool)) *Task {
	var skipped []*Task
	for name := t.BufferPrev; name != ""; {
		p, ran := prev(name)
		if p == nil || ran {
			break
		}
		skipped = append(skipped, p)
		name = p.BufferPrev
	}
	if len(skipped) == 0 {
		return t
	}
	c := *t
	c.BufferResults = nil
	for i := len(skipped) - 1; i >= 0; i-- {
		c.BufferStart = c.BufferStart || skipped[i].BufferStart
		c.BufferResults = append(c.BufferResults, skipped[i].BufferResults...)
	}
	c.BufferResults = append(c.BufferResults, t.BufferResults...)
	return &c
}

// turnAt is where in the document Emacs evaluates task t: its block's
// place (position), or for a task of a :post chain, which has no block,
// the place of the block whose :post starts the chain (postRoot):
// org-babel-execute-src-block calls the :post at that block's turn,
// before it writes the block's results, so the buffer then holds the
// results of the blocks before that block, not that block's own.
func (b *builder) turnAt(t *Task) int {
	if r := t.chainRoot(); r != nil {
		return b.position(r)
	}
	return b.position(t)
}

// chainRoot is, for a task of a :post chain or the reading in Emacs of
// the value of one (the run a :post makes, read as
// org-babel-execute-src-block reads it inside the :post), the block
// whose :post starts the chain (postRoot); nil for any other task.
func (t *Task) chainRoot() *Task {
	if t.ReadsOutput && t.owner != nil && t.owner.Post {
		return t.owner.postRoot()
	}
	if t.Post {
		return t.postRoot()
	}
	return nil
}

// position is where a task's block is in the document (its byte offset).
func (b *builder) position(t *Task) int {
	if blk := b.blocks[t]; blk != nil {
		return blk.Start
	}
	if blk := b.doc.BlockAt(t.Index); blk != nil {
		return blk.Start
	}
	return 0
}

// bufferForms is the Lisp that prepares the document's buffer for task t
// and leaves point at the block it knows by key in it: on the Emacs's
// first task the document put in a new buffer and marked, then the
// results of inserted (by task name) that t.BufferResults names, each
// with its digest (org.ResultDigest), which the buffer's report gives
// back. A result not in inserted (a block not run, its cached results
// standing) leaves its region as it is. For a block found in results,
// the blocks found before it are marked in order, each before its own
// results are put in (borges--put-result finds them by its mark). The
// marks are places in the buffer its task was planned from (t.edit.in):
// the results of a block found before it that buffer holds (as their
// region, or from the block's end, put in where it had none) are put in
// before the blocks after it are marked, those it does not hold (run
// since) once every block is marked.
func bufferForms(doc *org.Document, t *Task, key int, inserted map[string]org.Result) (string, error) {
	var b strings.Builder
	if t.BufferStart {
		b.WriteString("(borges--start-buffer " + elispString(doc.Text) + " '(")
		writeMarks(&b, doc)
		b.WriteString("))\n")
	}
	var found []foundAt  // the blocks found in results this form marks
	var in *org.Document // the buffer they were found in
	if t.edit != nil && t.edit.found {
		found, in = t.edit.foundBefore, t.edit.in
	} else if m := lastFoundPut(t); m != nil {
		// A task of the document after blocks found in results, whose
		// results it puts in: the Emacs marks them first, as it does
		// for a block found.
		blk, err := m.blockIn(m.edit.in)
		if err != nil {
			return "", err
		}
		found = append(slices.Clone(m.edit.foundBefore), foundAt{m.edit.added, blk})
		in = m.edit.in
	}
	toMark := map[int]bool{}
	for _, f := range found {
		toMark[f.key] = true
	}
	later := map[int]putForm{} // the results put in once their block is marked
	for _, br := range t.BufferResults {
		r, ok := inserted[br.Task]
		if !ok {
			continue
		}
		pf, err := putResultForm(doc, t, br, r)
		if err != nil {
			return "", err
		}
		if toMark[pf.at] {
			// The region the first replaces is the one the buffer
			// holds before them.
			old := later[pf.at].old
			if _, seen := later[pf.at]; !seen {
				old = pf.old
			}
			later[pf.at] = putForm{at: pf.at, form: later[pf.at].form + pf.form, text: pf.text, old: old}
			continue
		}
		b.WriteString(pf.form)
	}
	if in != nil {
		// A block found before it (under a lower key) that stands after
		// its block in the buffer, in the results of a block after it
		// (a later owner that ended first), is not marked now: the
		// Emacs's buffer does not hold those results yet (they are put
		// in before the tasks of the blocks after it). The task of that
		// block marks it, in the order of keys (borges--found-mark).
		own := -1
		if t.edit != nil && t.edit.found && !t.edit.call {
			if tb, err := t.blockIn(in); err == nil {
				own = in.Point(tb)
			}
		}
		var after strings.Builder
		for _, f := range found {
			if f.blk == nil {
				return "", fmt.Errorf("block %s: the block found in results under key %d before it is not in the Org buffer: the document's Emacs cannot mark it", t.Block, f.key)
			}
			pf := later[f.key]
			if own >= 0 && in.Point(f.blk) > own && pf.form == "" {
				continue
			}
			held := heldResults(in, f.blk, pf.text)
			b.WriteString(foundMarkForm(in, f.blk, f.key, held, pf.old) + "\n")
			if held >= 0 {
				b.WriteString(pf.form)
			} else {
				after.WriteString(pf.form)
			}
		}
		if t.edit != nil && t.edit.found {
			// Found in results: the Emacs has no mark for it yet
			// (for a call of a block :eval refuses found so, that
			// block's).
			blk, mark := t.edit.refused, t.edit.refusedKey
			if !t.edit.call {
				b, err := t.blockIn(t.edit.in)
				if err != nil {
					return "", err
				}
				blk, mark = b, key
			}
			b.WriteString(foundMarkForm(in, blk, mark, -1, oldRegion{}) + "\n")
		}
		b.WriteString(after.String())
	}
	if t.edit != nil && t.edit.call {
		key = t.edit.calledKey // point at the block called
	}
	fmt.Fprintf(&b, "(borges--goto %d default-directory)", key)
	return b.String(), nil
}

// heldResults is where the results text (put in the document's buffer
// in place of blk's results region) ends in in, -1 where in does not
// hold them: as their region, or, put in where the block had none (the
// blank line before their #+RESULTS: line with them), from the block's
// end. Raw results may hold text past the region Emacs reads back
// (org-babel-result-end ends at a block they print, say: the text
// after it is not part of the region): in holds them where its region
// begins the text and the text's rest follows the region.
func heldResults(in *org.Document, blk *org.Block, text string) int {
	if text == "" {
		return -1
	}
	start, end := in.ResultRegion(blk)
	for _, from := range []int{start, min(in.BlockEnd(blk), end)} {
		if from <= end && end-from <= len(text) && strings.HasPrefix(in.Text[from:], text) {
			return from + len(text)
		}
		if at := heldAroundNested(in, from, end, text); at >= 0 {
			return at
		}
	}
	return -1
}

// heldAroundNested is heldResults where in holds the results text from
// from with the results of a block it prints written inside it since
// (a block found in these results, itself found in results: two deep):
// the text up to that block's end is in's from from, its region reaching
// to end at least, and the rest of the text follows that block's results
// region, at the beginning of a line (past the text its raw results hold
// after it). It is where that rest ends, -1 for none.
func heldAroundNested(in *org.Document, from, end int, text string) int {
	for _, x := range in.Blocks {
		be := in.BlockEnd(x)
		if x.Call != nil || x.Inline != 0 || x.Start < from || be < end || be-from >= len(text) || !strings.HasPrefix(in.Text[from:], text[:be-from]) {
			continue
		}
		s, e := in.ResultRegion(x)
		if s < be {
			continue // no results of its own in in
		}
		rest := text[be-from:]
		for at := e; at <= len(in.Text); {
			i := strings.Index(in.Text[at:], rest)
			if i < 0 {
				break
			}
			if p := at + i; p > 0 && in.Text[p-1] == '\n' {
				return p + len(rest)
			}
			at += i + 1
		}
	}
	return -1
}

// lastFoundPut is the block found in results under the highest key
// whose results t, a task of the document's Emacs not found itself, puts
// in its buffer (BufferResults), nil for none.
func lastFoundPut(t *Task) *Task {
	var last *Task
	for _, br := range t.BufferResults {
		if a := br.added; a != nil && a.edit != nil && a.edit.found && !a.edit.call && (last == nil || a.edit.added > last.edit.added) {
			last = a
		}
	}
	return last
}

// putForm is the Lisp that puts a block's results in the document's
// buffer (form, "" for none), at the mark it goes at (at: a block's start
// in the document, or the key of a block added or found), the text of
// the results it puts there, and the results region they replace
// (old).
type putForm struct {
	at         int
	form, text string
	old        oldRegion
}

// oldRegion is a block's results region as the buffer holds it before
// results are put in in its place: the text from the block's end to the
// region's end (the blank line before its #+RESULTS: line, lead
// characters, with it), "" where the block has no results there.
type oldRegion struct {
	text string
	lead int
}

// lisp is r as the arguments of borges--found-mark: nil nil for none.
func (r oldRegion) lisp() string {
	if r.text == "" {
		return "nil nil"
	}
	return fmt.Sprintf("%s %d", elispString(r.text), r.lead)
}

// putResultForm is the putForm of result r of br, one of t's
// BufferResults.
func putResultForm(doc *org.Document, t *Task, br BufferResult, r org.Result) (putForm, error) {
	wd, wb, at := doc, doc.BlockAt(br.Index), 0
	if br.added != nil {
		wd = br.added.docIn(doc)
		wb, _ = br.added.blockIn(wd)
		at = br.Index
	}
	if wb == nil {
		return putForm{}, fmt.Errorf("block %s: no block %d in the document for the results of %s", t.Block, br.Index, br.Task)
	}
	if at == 0 {
		at = wb.Start
	}
	// The results as the block writes them as it ran: as it stood
	// in the buffer, when it ran as planned from it (r.As).
	rd, rb := wd, wb
	if r.As != nil {
		rd, rb = r.AsIn, r.As
	}
	text, ok := rd.ResultReplacement(rb, r)
	if !ok {
		return putForm{at: at}, nil
	}
	var old oldRegion
	if be := rd.BlockEnd(rb); rb.Inline == 0 {
		if s, e := rd.ResultRegion(rb); s >= be && e > s {
			old = oldRegion{text: rd.Text[be:e], lead: utf8.RuneCountInString(rd.Text[be:s])}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "(borges--put-result %d %s %q", at, elispString(text), org.ResultDigest(text))
	if body, handling, indent, hash, ok := rd.ResultBody(rb, r); ok {
		// Where the buffer no longer has the results where the
		// submitted text had them, Emacs places them itself: a
		// block changed in the buffer, which ran as it stands,
		// gets them where it stands.
		fmt.Fprintf(&b, " %s %q %s %s %s", elispString(body), handling, lispBool(indent), lispStringOrNil(hash), lispBool(r.As != nil))
	} else if rb.Inline > 0 && r.As != nil {
		// An inline block or call changed in the buffer, which
		// ran as it stands: its results region there, from its
		// start, and the text up to the region's end, which the
		// buffer must hold for them to go in.
		start, end := rd.ResultRegion(rb)
		from := utf8.RuneCountInString(rd.Text[rb.Start:start])
		fmt.Fprintf(&b, " nil nil nil nil t '(%d %d %s)", from, from+utf8.RuneCountInString(rd.Text[start:end]), elispString(rd.Text[rb.Start:end]))
	}
	b.WriteString(")\n")
	return putForm{at: at, form: b.String(), text: text, old: old}, nil
}

// foundMarkForm is the Lisp that has the document's Emacs mark, under
// key, block blk found in results written, where it stands in the buffer
// reported with those results in (in, org.Document.ReportResults). The
// Emacs's buffer holds by then the results of the blocks before it
// (Task.BufferResults), as write-back writes them, and is the same text
// up to the block's end while no task of that Emacs has changed it (the
// only case the engine runs such a block in that Emacs): the block's
// place, the end of its text and its results region, and the text,
// which borges--found-mark checks is there (an error says it is not).
// An earlier task of that Emacs may have put in results in, or Emacs
// written there, before the block (results of blocks found before it):
// the Emacs's buffer is then longer or shorter than in by what they
// changed, and the block stands that much further: borges--found-mark
// looks for its text there too, from the end of in (its point-max).
//
// Where the Emacs's buffer differs from in above the block otherwise
// (results put in since above it that in lacks, results in holds not put
// in yet, below it results put in since), borges--found-mark takes the
// source block of its buffer that has as many source blocks before it as
// blk has in in (nth), where it holds blk's text, and its results region
// where the buffer holds in's (region) or, where it holds no results
// there (what follows the results in in, after, follows the block),
// none; else it stops with an error, never putting results in at
// another place. held is where the results to be put in end in in
// (heldResults), -1 for none: raw results holding text past their
// region (after a block they print) are followed by what follows that
// text. old is the results region they replace, as the buffer holds it
// before they are put in (the block's old results, printed with it):
// where the buffer holds that after the block, the mark's results
// region is it, and the results put in replace it (an append's output
// stands after the old results in in, the rest of them after it).
func foundMarkForm(in *org.Document, blk *org.Block, key, held int, old oldRegion) string {
	p, be := in.Point(blk), in.BlockEnd(blk)
	s, e := in.ResultRegion(blk)
	chars, lines := charsAndLines(in.Text, []int{p, be, s, e, len(in.Text)})
	nth := 0
	for _, o := range in.Blocks {
		if o.Call == nil && o.Inline == 0 && o.Start < blk.Start {
			nth++
		}
	}
	// Results elsewhere (under the first #+RESULTS of the block's name)
	// are not checked, nor is the block taken by nth.
	region, after := "nil", "nil"
	if s >= be {
		region = elispString(in.Text[be:e])
		// Past the results text in holds where it reaches past the
		// region (heldResults): the Emacs's buffer, without them yet,
		// has that text after the block.
		rest := in.Text[max(e, held):]
		rest = strings.TrimLeft(rest, " \t\n")
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			rest = rest[:i]
		}
		after = elispString(rest)
	}
	return fmt.Sprintf("(borges--found-mark %d %d %d %d %d %d %s %d %d %s %s %s)", key, chars[p], chars[be], chars[s], chars[e], lines[p], elispString(in.Text[p:be]), chars[len(in.Text)],
		nth, region, after, old.lisp())
}

// lispBool is t or nil.
func lispBool(v bool) string {
	if v {
		return "t"
	}
	return "nil"
}

// lispStringOrNil is s as a Lisp string, nil when empty.
func lispStringOrNil(s string) string {
	if s == "" {
		return "nil"
	}
	return elispString(s)
}

// writeMarks writes, for each executable of the document in order, its
// key (where it starts in the text: a block called with arguments is a
// copy of its definition, which starts there too), the place of point
// for it (org.Document.Point), its results region, as Emacs's character
// positions (from 1), counted in one pass over the text, and the line it
// is on, which the buffer's report names it by.
func writeMarks(b *strings.Builder, doc *org.Document) {
	type mark struct{ key, point, blockEnd, start, end int }
	exes := doc.Executables()
	marks := make([]mark, len(exes))
	var offsets []int
	for i, e := range exes {
		p, be := doc.Point(e), doc.BlockEnd(e)
		s, end := doc.ResultRegion(e)
		marks[i] = mark{e.Start, p, be, s, end}
		offsets = append(offsets, p, be, s, end)
	}
	chars, lines := charsAndLines(doc.Text, offsets)
	for _, m := range marks {
		fmt.Fprintf(b, "(%d %d %d %d %d %d)", m.key, chars[m.point], chars[m.start], chars[m.end], lines[m.point], chars[m.blockEnd])
	}
}

// charsAndLines are, for each byte offset of text in offsets, its
// place as Emacs counts it (characters from 1) and its line (from 1),
// counted in one pass over the text.
func charsAndLines(text string, offsets []int) (chars, lines map[int]int) {
	sorted := slices.Clone(offsets)
	slices.Sort(sorted)
	chars = make(map[int]int, len(sorted))
	lines = make(map[int]int, len(sorted))
	last, count, line := 0, 0, 1
	for _, o := range sorted {
		count += utf8.RuneCountInString(text[last:o])
		line += strings.Count(text[last:o], "\n")
		last = o
		chars[o] = count + 1
		lines[o] = line
	}
	return chars, lines
}

// bufferPrelude defines what bufferForms calls: the document's buffer,
// its marks (point's, insertion type t, so that what is put at a block's
// place goes before it; a results region's, type nil, so that what is put
// right after the region stays out of it), a result put in place of its
// region, the buffer made current with point at a block and the block's
// directory (default-directory, which emacsProgram binds as Babel binds
// it for the block, is the buffer's own: it is set there, for the block).
//
// Once a block has changed the buffer (borges--edited), a result is put
// where org-babel-where-is-src-block-result finds its place in the buffer
// as it now stands when that is not its marked region (borges--place);
// until then the marked regions are where Emacs would put them, and no
// block's results are looked for by name from the buffer's start.
//
// Each mark also keeps the block's end (type nil), its text as submitted
// (from its point to its end) and the digest of the results last put there. A
// block whose text an earlier block deleted gets no results put in, as
// Emacs does not run it; one whose text an earlier block changed runs as
// the buffer holds it, and its results (as that block writes them,
// org.Result.As) are put where it now stands (borges--place), as Emacs
// inserts them there when it runs it.
//
// borges--report is what the host (session.emacsHost) adds to its reply
// after each program: nothing when the program did not touch the
// buffer's text (buffer-chars-modified-tick is as borges--goto left it)
// nor the #+PROPERTY values Org holds (org-keyword-properties, which Org
// reads again only when asked, org-set-regexps-and-options: an edited
// #+PROPERTY line counts only then) nor Babel's default header arguments
// (org-babel-default-header-args, its -inline- and -lob- ones and the
// bound org-babel-default-header-args:LANG of the languages Borges runs,
// buffer-local values included: org-babel-get-src-block-info reads them
// in the buffer) nor the entries of the Library of Babel
// (org-babel-library-of-babel, the first of each symbol, as
// org-babel-ref-resolve's assq finds them) that differ from those at
// the buffer's start (borges--lob-changed: pushed by Lisp, or by
// org-babel-lob-ingest), else
// those values, defaults and entries, the buffer's text and every mark
// (org.ParseBufferReport), with
// whether its block's text is as submitted (a block that changed its own
// text counts as intact: Emacs writes its results). Then it
// also says, on the standard error (the block's log), each block after
// the one run that is changed, deleted or added in the buffer:
// org-babel-execute-buffer finds the blocks in the buffer as it goes
// (org-babel-map-executables); Borges does not run a deleted one, runs
// a changed one as the buffer holds it (edits.go), and an added one
// (source block, #+call: line, inline block or call) where it stands
// (added.go): its mark is added after the others'.
var bufferPrelude = strings.NewReplacer("BORGES-LANGUAGES", defaultsLanguages(), "GC-RESTORED", gcRestored).Replace(bufferPreludeText)

// defaultsLanguages are, as Lisp strings, the languages whose
// org-babel-default-header-args:LANG the buffer report gives: those
// Borges runs (interpreters and Emacs Lisp), looked up by name, which
// costs little, where finding every such variable (mapatoms) costs tens
// of milliseconds twice per Emacs Lisp block. Another language's blocks
// Borges does not run.
func defaultsLanguages() string {
	langs := []string{"emacs-lisp", "elisp"}
	for l := range interpreters {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return `"` + strings.Join(langs, `" "`) + `"`
}

// bufferPreludeText is the Lisp of the document's Emacs. Its report of
// Babel's default header arguments (borges--default-lines) prints values
// through borges--plain, their strings without text properties (Babel
// merges a string's text; prin1 would print #("x" 0 1 (face bold))), its
// list spine walked in a loop rather than a recursion, as far as
// safe-length reaches (a circular list ends in the symbol
// borges--circular, data nested past 64 levels is borges--too-deep: such
// values are data Borges refuses anyway, and copying or comparing them
// must not hang the document's Emacs). It leaves out an
// entry whose key holds a blank (its line would not read back; no
// argument Babel reads is named so) and prints a newline in other data
// (a symbol's name) as \n, one entry a line. A symbol that names a
// function (functionp) is reported as such (kind f): Babel's
// org-babel-eval-headers calls it for the value, which Borges does not.
const bufferPreludeText = `(defvar borges--buffer nil)
(defvar borges--marks nil)
(defvar borges--keys nil)
(defvar borges--tick nil)
(defvar borges--props nil)
(defvar borges--defaults nil)
(defvar borges--at nil)
(defvar borges--said nil)
(defvar borges--edited nil)
(defvar borges--added 0)
(defvar borges--resume nil)
(defvar borges--lob-start nil)
(defvar borges--lob nil)
(defvar borges--lob-budget nil)
(defun borges--start-buffer (text marks)
  (setq borges--buffer (generate-new-buffer " *borges-document*"))
  (setq borges--marks (make-hash-table) borges--keys nil borges--said (make-hash-table :test 'equal) borges--edited nil borges--added 0)
  (setq borges--lob-start (borges--lob-firsts))
  (with-current-buffer borges--buffer
    (insert text)
    (org-mode)
    GC-RESTORED
    (dolist (m marks)
      (let ((v (vector (copy-marker (nth 1 m) t) (copy-marker (nth 2 m)) (copy-marker (nth 3 m))
                       nil (buffer-substring-no-properties (nth 1 m) (nth 5 m)) (nth 4 m) (copy-marker (nth 5 m)))))
        (puthash (nth 0 m) v borges--marks)
        (push (nth 0 m) borges--keys))))
  (setq borges--keys (nreverse borges--keys)))
(defun borges--mark (key)
  (or (and (buffer-live-p borges--buffer) (gethash key borges--marks))
      (error "No block at %d of the document in this Emacs's Org buffer of it" key)))
(defun borges--intact (m)
  (and (<= (aref m 0) (aref m 6))
       (string= (buffer-substring-no-properties (aref m 0) (aref m 6)) (aref m 4))))
(defun borges--in-place (m)
  (save-excursion
    (goto-char (aref m 0))
    (let ((loc (org-babel-where-is-src-block-result)))
      (if loc
          (and (< (aref m 1) (aref m 2)) (= loc (aref m 1)))
        (and (= (aref m 1) (aref m 2)) (= (aref m 1) (aref m 6)))))))
(defun borges--place (m body handling indent hash)
  (goto-char (aref m 0))
  (let ((loc (org-babel-where-is-src-block-result t nil hash)) col beg end)
    (goto-char loc)
    (setq col (current-indentation))
    (forward-line 1)
    (setq beg (point))
    (cond ((equal handling "append") (goto-char (org-babel-result-end)) (setq beg (point)))
          ((equal handling "prepend"))
          (t (delete-region (point) (org-babel-result-end))))
    (goto-char beg)
    (insert body)
    (setq end (copy-marker (point) t))
    (when (and indent (> col 0)) (indent-rigidly beg end col))
    (set-marker (aref m 1) loc)
    (set-marker (aref m 2) end)
    (set-marker end nil)))
(defun borges--put-inline (m text inline)
  (let* ((at (marker-position (aref m 0))) (expected (nth 2 inline)) (stop (+ at (length expected))))
    (when (and (<= stop (point-max)) (string= (buffer-substring-no-properties at stop) expected))
      (goto-char (+ at (nth 0 inline)))
      (delete-region (point) (+ at (nth 1 inline)))
      (insert text)
      t)))
(defun borges--put-result (key text digest &optional body handling indent hash as-changed inline)
  (let ((m (borges--mark key)))
    (with-current-buffer borges--buffer
      (save-restriction
        (widen)
        (cond
         ;; Put in already, by an earlier task (a block found in results
         ;; that ran here first puts in the results it was found in):
         ;; what was put inside them since (the found block's results
         ;; and its mark) stays, as Emacs writes a block's results once.
         ((equal (aref m 3) digest))
         ((borges--intact m)
          (save-excursion
            (if (and body borges--edited (not (borges--in-place m)))
                (borges--place m body handling indent hash)
              (let ((kept (borges--kept (buffer-substring-no-properties (aref m 1) (aref m 2))
                                        text body handling)))
                (if kept
                    ;; Only the text added: the marks of the blocks the
                    ;; old results hold stay on them.
                    (progn
                      (goto-char (+ (aref m 1) kept))
                      (insert body))
                  (let ((new (= (aref m 1) (aref m 2))))
                    (goto-char (aref m 1))
                    (delete-region (aref m 1) (aref m 2))
                    (insert text)
                    ;; New results, kept apart by a blank line from
                    ;; what follows them, as Emacs writes them: what
                    ;; an earlier block's results added after their
                    ;; block (code appended onto old results holding
                    ;; it) now follows them, where text was made for
                    ;; the blank line the document has there.
                    (when (and new (not (eobp)) (not (looking-at-p "[ \t]*$"))
                               (string-suffix-p "\n" text) (not (string-suffix-p "\n\n" text)))
                      (save-excursion (insert "\n"))))))
              (set-marker (aref m 2) (+ (aref m 1) (length text))))
            (aset m 3 digest)))
         ((and inline (< (aref m 0) (aref m 6)))
          (save-excursion
            (when (borges--put-inline m text inline)
              (aset m 3 digest))))
         ((and as-changed (< (aref m 0) (aref m 6)))
          (save-excursion
            (borges--place m body handling indent hash)
            (aset m 3 digest))))))))
;; Where text is the old results region old with body added (appended
;; at its end, prepended after its first line), the place in old it is
;; added at; nil where text is otherwise.
(defun borges--kept (old text body handling)
  (let ((at (cond ((not body) nil)
                  ((equal handling "append") (length old))
                  ((equal handling "prepend") (and (string-match "\n" old) (match-end 0))))))
    (and at (string= text (concat (substring old 0 at) body (substring old at))) at)))
(defun borges--defaults ()
  (let ((vars (list (cons "block" 'org-babel-default-header-args)
                    (cons "inline" 'org-babel-default-inline-header-args)
                    (cons "lob" 'org-babel-default-lob-header-args)))
        (prefix "org-babel-default-header-args:"))
    (dolist (lang '(BORGES-LANGUAGES))
      (let ((s (intern-soft (concat prefix lang))))
        (when (and s (boundp s))
          (push (cons (concat "lang:" lang) s) vars))))
    (mapcar (lambda (v) (cons (car v) (borges--plain (and (boundp (cdr v)) (symbol-value (cdr v))))))
            (sort vars (lambda (a b) (string< (car a) (car b)))))))
(defun borges--plain (v &optional depth)
  (setq depth (or depth 0))
  (when borges--lob-budget (setq borges--lob-budget (1- borges--lob-budget)))
  (cond ((and borges--lob-budget (< borges--lob-budget 0)) 'borges--too-big)
        ((stringp v) (substring-no-properties v))
        ((> depth 64) 'borges--too-deep)
        ((consp v)
         (let ((n (safe-length v)) out)
           (while (and (> n 0) (not (and borges--lob-budget (< borges--lob-budget 0))))
             (push (borges--plain (car v) (1+ depth)) out)
             (setq v (cdr v) n (1- n)))
           (nconc (nreverse out) (if (consp v) 'borges--circular (borges--plain v (1+ depth))))))
        ((vectorp v) (vconcat (mapcar (lambda (x) (borges--plain x (1+ depth))) v)))
        (t v)))
(defun borges--default-entries (alist)
  (let ((print-escape-newlines t) (print-length nil) (print-level nil))
    (delq nil (mapcar (lambda (e)
                        (and (consp e) (keywordp (car e))
                             (not (string-match-p "[ \t\n]" (symbol-name (car e))))
                             (let ((v (cdr e)))
                               (format "%s %s\n" (car e)
                                       (cond ((null v) "-")
                                             ((stringp v) (concat "s " (prin1-to-string (substring-no-properties v))))
                                             ((numberp v) (concat "n " (prin1-to-string v)))
                                             ((and (symbolp v) (functionp v)) (concat "f " (replace-regexp-in-string "\n" "\\n" (prin1-to-string v) t t)))
                                             (t (concat "x " (replace-regexp-in-string
                                                              "\n" "\\n" (prin1-to-string (borges--plain v)) t t))))))))
                      (and (proper-list-p alist) alist)))))
(defun borges--default-lines (defaults)
  (let (lines)
    (dolist (d defaults)
      (let ((entries (borges--default-entries (cdr d))))
        (push (format "%s %d\n" (car d) (length entries)) lines)
        (setq lines (append (reverse entries) lines))))
    (nreverse lines)))
;; The Library of Babel as org-babel-ref-resolve's assq reads it: the
;; first entry of each symbol. borges--lob-start holds those of the
;; buffer's start by symbol, each as (ENTRY . SPINE), SPINE its INFO's
;; first elements: an entry is changed when it is not that cons or its
;; language, body, parameters or other top elements are not those
;; (compared by eq, nothing copied: an ingested library may hold
;; thousands of entries, and this runs at every block; a change made
;; in place deeper inside an entry of the start is not seen).
(defconst borges--lob-max 256)
(defconst borges--lob-nodes 20000)
(defun borges--lob-spine (e)
  (let ((s (cdr e)) out)
    (dotimes (_ 8)
      (push (if (consp s) (car s) s) out)
      (setq s (and (consp s) (cdr s))))
    out))
(defun borges--lob-same (e old)
  (and old (eq e (car old))
       (let ((a (borges--lob-spine e)) (b (cdr old)) (same t))
         (while (and same a)
           (setq same (eq (car a) (car b)) a (cdr a) b (cdr b)))
         same)))
(defun borges--lob-each (f)
  (let* ((lob (and (boundp 'org-babel-library-of-babel) org-babel-library-of-babel))
         (n (safe-length lob)) (seen (make-hash-table :test 'eq)))
    (while (> n 0)
      (let ((e (car lob)))
        (when (and (consp e) (car e) (symbolp (car e)) (not (gethash (car e) seen)))
          (puthash (car e) t seen)
          (funcall f e)))
      (setq lob (cdr lob) n (1- n)))))
(defun borges--lob-firsts ()
  (let ((start (make-hash-table :test 'eq)))
    (borges--lob-each (lambda (e) (puthash (car e) (cons e (borges--lob-spine e)) start)))
    start))
;; The entries added or changed since the buffer was started, copied
;; (borges--plain): the first borges--lob-max of them, each within
;; borges--lob-nodes conses, strings and vector slots; past either, an
;; entry is (NAME . borges--too-big), reported by its name alone, so
;; that Borges says it does not know what a reference to it runs.
(defun borges--lob-changed ()
  (let ((count 0) out)
    (borges--lob-each
     (lambda (e)
       (unless (borges--lob-same e (and borges--lob-start (gethash (car e) borges--lob-start)))
         (setq count (1+ count))
         (push (if (> count borges--lob-max)
                   (cons (car e) 'borges--too-big)
                 (let* ((borges--lob-budget borges--lob-nodes)
                        (info (borges--plain (cdr e))))
                   (cons (car e) (if (< borges--lob-budget 0) 'borges--too-big info))))
               out))))
    (nreverse out)))
;; A line per entry: its name, language and body (Lisp strings, - for
;; other data) and the count of its parameters, then those
;; (borges--default-entries).
(defun borges--lob-lines (entries)
  (let ((print-escape-newlines t) (print-length nil) (print-level nil) lines)
    (dolist (e entries)
      (let* ((big (eq (cdr e) 'borges--too-big))
             (info (and (proper-list-p (cdr e)) (cdr e)))
             (lang (nth 0 info))
             (body (nth 1 info))
             (params (borges--default-entries (nth 2 info))))
        (push (if big
                  (format "%s + + 0\n" (prin1-to-string (symbol-name (car e))))
                (format "%s %s %s %d\n" (prin1-to-string (symbol-name (car e)))
                        (if (stringp lang) (prin1-to-string (substring-no-properties lang)) "-")
                        (if (stringp body) (prin1-to-string (substring-no-properties body)) "-")
                        (length params)))
              lines)
        (setq lines (append (reverse params) lines))))
    (nreverse lines)))
(defun borges--goto (key dir)
  (let ((m (borges--mark key)))
    (set-buffer borges--buffer)
    (setq default-directory dir)
    (setq borges--at key borges--tick (buffer-chars-modified-tick) borges--props org-keyword-properties
          borges--defaults (borges--defaults) borges--lob (borges--lob-changed))
    (goto-char (aref m 0))
    (when borges--resume (set-marker borges--resume nil))
    (setq borges--resume
          (save-excursion
            (save-restriction
              (widen)
              (let ((e (org-element-context)))
                (and (memq (org-element-type e) '(babel-call inline-babel-call inline-src-block src-block))
                     (copy-marker (org-element-property :end e)))))))))
(defun borges--say-changes ()
  (let ((here (marker-position (aref (borges--mark borges--at) 0)))
        (points (make-hash-table)))
    (dolist (k borges--keys)
      (let ((m (gethash k borges--marks)))
        (puthash (marker-position (aref m 0)) t points)
        (when (and (> (aref m 0) here) (not (gethash k borges--said)) (not (borges--intact m)))
          (puthash k t borges--said)
          (message (if (>= (aref m 0) (aref m 6))
                       "borges: this block deleted the block at line %d of the document from the Org buffer: Emacs would not run it, nor does Borges"
                     "borges: this block changed the block at line %d of the document in the Org buffer: Emacs would run it as the buffer now holds it, and so does Borges")
                   (aref m 5)))))
    (save-excursion
      (goto-char here)
      (end-of-line)
      (while (re-search-forward "\\(call\\|src\\)_\\|^[ \t]*#\\+\\(BEGIN_SRC\\|CALL:\\)" nil t)
        (let ((at (match-beginning 0)))
          (unless (or (gethash at points) (gethash (list 'added at) borges--said))
            (let* ((e (save-match-data (org-element-context)))
                   (begin (if (memq (org-element-type e) '(src-block babel-call))
                              (save-excursion (goto-char (org-element-property :post-affiliated e)) (line-beginning-position))
                            (org-element-property :begin e))))
              (when (and (memq (org-element-type e) '(babel-call inline-babel-call inline-src-block src-block))
                         (not (gethash begin points))
                         (not (and borges--resume (< at borges--resume)
                                   (progn
                                     (puthash (list 'added at) t borges--said)
                                     (message "borges: this block added to the Org buffer a block Emacs does not run (%s): org-babel-execute-buffer goes on from where this block ended before it ran, past it; nor does Borges"
                                              (buffer-substring-no-properties at (min (line-end-position) (+ at 60))))))))
                (puthash (list 'added at) t borges--said)
                (borges--add-mark begin e)
                (puthash begin t points)
                (message "borges: this block added to the Org buffer a block Emacs runs after it (%s): Borges runs it too"
                         (buffer-substring-no-properties at (min (line-end-position) (+ at 60))))))))))))
(defun borges--add-mark (begin e)
  (let* ((end (save-excursion
                (goto-char (org-element-property :end e))
                (if (memq (org-element-type e) '(inline-babel-call inline-src-block))
                    (skip-chars-backward " \t")
                  (skip-chars-backward " \t\n")
                  (forward-line 1))
                (point)))
         (key (+ 1073741824 borges--added)))
    (setq borges--added (1+ borges--added))
    (puthash key (vector (copy-marker begin t) (copy-marker end) (copy-marker end) nil
                         (buffer-substring-no-properties begin end) (line-number-at-pos begin) (copy-marker end))
             borges--marks)
    (setq borges--keys (append borges--keys (list key)))))
(defun borges--found-mark (key point block-end start end line text max nth region after old old-lead)
  (unless (gethash key borges--marks)
    (with-current-buffer borges--buffer
      (save-restriction
        (widen)
        ;; Where the report holds it, else past results an earlier task
        ;; of this Emacs put in before it, else (results put in since
        ;; above it that the report lacks, results it holds not put in
        ;; yet) the source block with as many before it.
        (let ((d (cond ((borges--text-at point block-end text) 0)
                       ((borges--text-at (+ point (- (point-max) max)) (+ block-end (- (point-max) max)) text)
                        (- (point-max) max))
                       ((let ((at (and region (borges--nth-block nth))))
                          (and at (borges--text-at at (+ at (- block-end point)) text) (- at point))))
                       (t (error "The block found in results at line %d of the Org buffer is not there in this Emacs's buffer" line)))))
          (setq point (+ point d) block-end (+ block-end d) start (+ start d) end (+ end d))
          ;; Its results region where the buffer holds the report's, the
          ;; old one the results put in replace where it holds that (not
          ;; put in yet), none where it holds none there (what follows
          ;; them in the report follows the block).
          (unless (or (not region) (borges--text-at block-end (+ block-end (length region)) region))
            (cond ((and old (borges--text-at block-end (+ block-end (length old)) old))
                   (setq start (+ block-end old-lead) end (+ block-end (length old))))
                  ((borges--follows block-end after)
                   (setq start block-end end block-end))
                  (t (error "The results of the block found in results at line %d of the Org buffer are not there in this Emacs's buffer" line)))))
        (puthash key (vector (copy-marker point t) (copy-marker start) (copy-marker end) nil
                             text line (copy-marker block-end))
                 borges--marks)
        ;; The report's marks past the executables are read by key, in
        ;; order: a block found past one not marked yet (its owner's
        ;; results not in this buffer yet: bufferForms leaves it to a
        ;; later task) takes its place in the order of keys, and the
        ;; gap is filled when that block is marked (borges--report
        ;; makes no report with a gap).
        (setq borges--keys (sort (append borges--keys (list key)) #'<)
              borges--added (max borges--added (- key 1073741823)))))))
;; Where the block run left point in the buffer off any block (text
;; inserted at the block's start with point kept before it: the block
;; at point-min inserting at point-min in save-excursion),
;; org-babel-insert-result finds no results place (the context at point
;; no block, goto-char of no position) and signals this error:
;; org-babel-execute-buffer stops there, nothing written. Left in
;; another block, it stops too, with Borges's own message.
(defun borges--point-off-block ()
  (when (buffer-live-p borges--buffer)
    (with-current-buffer borges--buffer
      (save-restriction
        (widen)
        (let* ((e (org-element-context))
               (type (org-element-type e)))
          (unless (memq type '(babel-call inline-babel-call inline-src-block src-block))
            (signal 'wrong-type-argument '(markerp nil)))
          ;; Left in another block: Emacs writes this block's results
          ;; at that one, which Borges does not model; it stops here,
          ;; saying so, rather than write them at this block.
          (let ((begin (if (memq type '(src-block babel-call))
                           (save-excursion (goto-char (org-element-property :post-affiliated e)) (line-beginning-position))
                         (org-element-property :begin e))))
            (unless (= begin (aref (borges--mark borges--at) 0))
              (error "borges: this block left point in the block at line %d of the Org buffer: Emacs would write its results there, which Borges does not model"
                     (line-number-at-pos begin)))))))))
;; A block that changed the buffer while a block found in results
;; before it is not marked signals: the buffer's marks, read by key, could
;; not be reported.
(defun borges--no-gap-edited ()
  (when (and borges--tick (buffer-live-p borges--buffer)
             (/= borges--tick (with-current-buffer borges--buffer (buffer-chars-modified-tick))))
    (let ((gap (borges--unmarked)))
      (when gap
        (error "This block changed the Org buffer while a block found in results before it (found block %d) is not marked in this Emacs's buffer: Borges cannot report the buffer" (- gap 1073741823))))))
;; The first key below the last found block marked that no mark has
;; (a block found in results not marked yet), nil for none.
(defun borges--unmarked ()
  (let ((k 1073741824) (last (+ 1073741824 borges--added)) gap)
    (while (and (not gap) (< k last))
      (unless (gethash k borges--marks) (setq gap k))
      (setq k (1+ k)))
    gap))
;; The beginning of the #+begin_src line of the buffer's source block
;; with nth before it, nil for none.
(defun borges--nth-block (nth)
  (save-excursion
    (goto-char (point-min))
    (let ((case-fold-search t) at)
      (while (and (not at) (re-search-forward "^[ \t]*#\\+begin_src\\b" nil t))
        (let ((e (save-excursion (beginning-of-line) (org-element-at-point))))
          (when (and (eq (org-element-type e) 'src-block)
                     (= (org-element-property :post-affiliated e) (line-beginning-position)))
            (if (= nth 0)
                (setq at (line-beginning-position))
              (setq nth (1- nth))))))
      at)))
;; Whether the text from pos, past blank lines, begins with after.
(defun borges--follows (pos after)
  (save-excursion
    (goto-char pos)
    (skip-chars-forward " \t\n")
    (borges--text-at (point) (min (point-max) (+ (point) (length after))) after)))
(defun borges--text-at (from to text)
  (and (<= 1 from) (<= to (point-max))
       (string= (buffer-substring-no-properties from to) text)))
(defun borges--report ()
  (when (and borges--tick (buffer-live-p borges--buffer))
    (with-current-buffer borges--buffer
      (save-restriction
        (widen)
        (prog1
            (unless (and (= borges--tick (buffer-chars-modified-tick))
                         (equal borges--props org-keyword-properties)
                         (equal borges--defaults (borges--defaults))
                         (equal borges--lob (borges--lob-changed)))
              (setq borges--edited t)
              ;; Marks read by key would put one block's results at
              ;; another's: no report is made past a gap.
              (borges--no-gap-edited)
              (borges--say-changes)
              ;; A block that changed its own text still gets its
              ;; results, as Emacs inserts them at the block it ran.
              (let ((m (borges--mark borges--at)))
                (when (<= (aref m 0) (aref m 6))
                  (aset m 4 (buffer-substring-no-properties (aref m 0) (aref m 6)))))
              (let ((lines (mapcar (lambda (k)
                                     (let ((m (gethash k borges--marks)))
                                       (format "%d %d %d %d %s %s\n"
                                               (1- (position-bytes (aref m 0))) (1- (position-bytes (aref m 6)))
                                               (1- (position-bytes (aref m 1)))
                                               (1- (position-bytes (aref m 2))) (or (aref m 3) "-")
                                               (if (borges--intact m) "=" "x"))))
                                   borges--keys))
                    (props (delq nil (mapcar (lambda (p)
                                               (and (stringp (car p)) (stringp (cdr p))
                                                    (not (string-match-p "[ \t\n]" (car p)))
                                                    (not (string-match-p "\n" (cdr p)))
                                                    (format "%s %s\n" (car p) (cdr p))))
                                             org-keyword-properties)))
                    (defaults (borges--default-lines (borges--defaults)))
                    (lob (borges--lob-lines (borges--lob-changed))))
                (concat (format "%d %d %d %d\n" (length lines) (length props) (length defaults) (length lob))
                        (apply #'concat lines) (apply #'concat props) (apply #'concat defaults) (apply #'concat lob)
                        (buffer-substring-no-properties (point-min) (point-max)))))
          (setq borges--tick nil))))))
`
