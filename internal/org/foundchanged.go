package org

import (
	"errors"
	"fmt"
	"strings"
)

// ErrFoundInChangedBuffer: org-babel-execute-buffer finds a block in
// results written in the Org buffer of the document's Emacs, which a
// task of that Emacs changed, and runs it; Borges has not run it (the
// engine's searchChanged runs only those found after every task of that
// Emacs, beside it, in results it did not put in its buffer itself).
var ErrFoundInChangedBuffer = errors.New("Emacs finds a block in results written in the Org buffer an Emacs Lisp block changed, and runs it; Borges does not run it")

// foundInEmacsResults checks the results that the Emacs reporting rep,
// the report of the document's Emacs whose buffer a task of it changed,
// put in its buffer (a digest), of a block of the document that Emacs
// has not changed: where org-babel-execute-buffer finds in them a block
// rep has no mark of (so not run) and that Emacs runs (evaluated), it is
// an error wrapping ErrFoundInChangedBuffer naming that block's line in
// the buffer, rather than a document written without its results. They
// are searched as Emacs searches them, where the document submitted has
// the block's results already or nothing between the block and what
// follows (ChangedWriteReport searches the results write-back writes).
func (d *Document) foundInEmacsResults(rep *BufferReport) error {
	exes := d.Executables()
	now, err := rep.Document(d.Visit)
	if err != nil {
		return nil
	}
	marked := map[int]bool{}
	for _, m := range rep.Marks {
		marked[m.Point] = true
	}
	// The places of the buffer's blocks Emacs runs, unmarked: taken once
	// for every result searched below.
	var unmarkedRuns []int
	for _, x := range now.Executables() {
		if p := now.Point(x); !marked[p] && evaluated(x) {
			unmarkedRuns = append(unmarkedRuns, p)
		}
	}
	for i, b := range exes {
		m := rep.Marks[i]
		if m.Digest == "" || m.Changed || m.End <= m.Start || b.Inline > 0 {
			continue
		}
		if _, had := d.parser().existingResult(b); !had && d.elementEnd(b) != d.LineStart(b.EndLine+1) {
			// New results put in before Emacs's marker (a blank
			// line between the block and what follows): not
			// searched.
			continue
		}
		for _, p := range unmarkedRuns {
			if p >= m.Start && p < m.End {
				return foundLineErr(rep, p)
			}
		}
	}
	return nil
}

// evaluated reports whether org-babel-execute-buffer, finding block b,
// runs it: not under :eval no or never (org-babel-check-evaluate,
// EvalRefused), where Emacs writes nothing for it, as Borges does. A
// block :eval query is run (in batch, Emacs stops there), so it is
// refused.
func evaluated(b *Block) bool {
	_, refused := EvalRefused(b.Args)
	return !refused
}

// foundLineErr is ErrFoundInChangedBuffer for the block at point p of
// rep's buffer.
func foundLineErr(rep *BufferReport, p int) error {
	return foundLineErrOf(ErrFoundInChangedBuffer, rep, p)
}

// foundLineErrOf is err for the block at point p of rep's buffer, naming
// its line.
func foundLineErrOf(err error, rep *BufferReport, p int) error {
	return fmt.Errorf("%w: the block at line %d of its Org buffer", err, 1+strings.Count(rep.Text[:min(p, len(rep.Text))], "\n"))
}

// ErrFoundNotPlaced: org-babel-execute-buffer finds a block in results
// written in the Org buffer of the document's Emacs, which no task of
// that Emacs changed, and runs it; Borges has not run it, as it cannot
// place it among that Emacs's tasks (plan.FoundAfterEmacs: a task of that
// Emacs with no place in the buffer, a run no task of known place
// names, say).
var ErrFoundNotPlaced = errors.New("Emacs finds a block in results written in the Org buffer of the document's Emacs, and runs it; Borges, which cannot place it among that Emacs's tasks, does not run it")

// FoundNotPlaced checks the results written of a document with an Emacs
// of its own, no task of which changed its buffer, none of the blocks
// found in them run (the engine could not place them among that Emacs's
// tasks): cur is the buffer with them written (ReportResults, with no
// report before), and stop the key of the block found where
// org-babel-execute-buffer stops (-1 when none). Where Emacs finds a
// block in them before the stop and runs it (evaluated), it is an error
// wrapping ErrFoundNotPlaced naming that block's line in the buffer,
// rather than a document written without its results.
func (d *Document) FoundNotPlaced(cur *BufferReport, stop int) error {
	return d.foundRun(cur, len(d.Executables()), stop, ErrFoundNotPlaced, func(int) bool { return false })
}

// foundRun is an error wrapping base naming the line of the first block
// cur marks past its first from marks that org-babel-execute-buffer runs
// (evaluated) before the block found where it stops (stop, a key, -1
// when none), whose results (by its key, AddedKey and up) are not among
// those Borges has (has); nil when there is none.
func (d *Document) foundRun(cur *BufferReport, from, stop int, base error, has func(key int) bool) error {
	if len(cur.Marks) <= from {
		return nil
	}
	n := len(d.Executables())
	nd, err := parseWith(cur.Text, cur.Properties, cur.Defaults)
	if err != nil {
		return fmt.Errorf("%w: the Org buffer with the results written cannot be read: %v", base, err)
	}
	nd.Visit = d.Visit
	runs := map[int]bool{}
	for _, x := range nd.Executables() {
		runs[nd.Point(x)] = evaluated(x)
	}
	stopAt := len(cur.Text) + 1
	if j := n + stop - AddedKey; stop >= AddedKey && j < len(cur.Marks) {
		stopAt = cur.Marks[j].Point
	}
	for i := from; i < len(cur.Marks); i++ {
		m := cur.Marks[i]
		if !has(AddedKey+i-n) && runs[m.Point] && m.Point < stopAt {
			return foundLineErrOf(base, cur, m.Point)
		}
	}
	return nil
}

// ReportChanged is rep, the report of the document's Emacs whose buffer
// a task of it changed, with the results (keyed as WriteResultsIn has
// them, AddedKey+j for the j-th mark past the document's executables)
// written in it as org-babel-execute-buffer goes on in that buffer once
// the last task of that Emacs has run, round by round (writeRound, as
// ReportResults writes the document's): the blocks it finds in them
// marked past rep's marks, in the order found, so that they run as the
// blocks found in a document without Emacs Lisp run, their results
// keyed past those of the blocks rep marks. prev, when not nil, is a
// report ReportChanged made of rep before, whose marks (and so keys) it
// keeps: the results it wrote are not written again.
func (d *Document) ReportChanged(results map[int]Result, rep, prev *BufferReport) *BufferReport {
	exes := d.Executables()
	if rep == nil || len(rep.Marks) < len(exes) {
		return rep
	}
	cur := prev
	if cur == nil || !cur.fromResults || len(cur.Marks) < len(rep.Marks) {
		cur = rep.copyForResults()
	}
	cur = cur.writeRounds(d, results, len(exes))
	return cur
}

// ChangedWriteReport is the report write-back writes the results
// document from, in place of rep, the report of the document's Emacs
// whose buffer a task of it changed: rep with the finished results
// written in it (ReportChanged, going on from prev, the report the
// search of them kept, nil when none) and the blocks found in them
// marked, what that Emacs put in its buffer left as it has it
// (WriteResultsIn writes the others of all, every result to write). A
// block found there that Emacs runs (evaluated) with no result among
// all (not run: a task of that Emacs stands after it, which Borges does
// not have mark it) is an error wrapping ErrFoundInChangedBuffer naming
// its line, as is one found in results that Emacs put in its buffer
// itself (foundInEmacsResults), which no search marks: never a
// document written without their results. stop is the key of the block
// found where org-babel-execute-buffer stops (a language Babel has no
// function for: plan.Edits.Stop), -1 when none: neither it nor a block
// after it in the buffer runs there.
func (d *Document) ChangedWriteReport(finished, all map[int]Result, rep, prev *BufferReport, stop int) (*BufferReport, error) {
	exes := d.Executables()
	if rep == nil || len(rep.Marks) < len(exes) {
		return rep, nil
	}
	if err := d.foundInEmacsResults(rep); err != nil {
		return nil, err
	}
	cur := d.ReportChanged(finished, rep, prev)
	if err := d.foundRun(cur, len(rep.Marks), stop, ErrFoundInChangedBuffer, func(key int) bool {
		_, ok := all[key]
		return ok
	}); err != nil {
		return nil, err
	}
	if len(cur.Marks) == len(rep.Marks) {
		// Nothing found: rep as it is.
		return rep, nil
	}
	out := &BufferReport{Text: cur.Text, Properties: cur.Properties, Defaults: cur.Defaults,
		Marks: append([]BufferMark(nil), cur.Marks...)}
	return out, nil
}
