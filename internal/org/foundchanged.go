package org

import (
	"errors"
	"fmt"
	"strings"
)

// ErrFoundInChangedBuffer: org-babel-execute-buffer finds a block in
// results written in the Org buffer of the document's Emacs, which a
// task of that Emacs changed, and runs it; Borges searches no results
// there (the engine's searchesBesideEmacs), so it has not run it.
var ErrFoundInChangedBuffer = errors.New("Emacs finds a block in results written in the Org buffer an Emacs Lisp block changed, and runs it; Borges does not run it")

// FoundInChangedBuffer checks rep, the report of the document's Emacs
// whose buffer a task of it changed, with the results (keyed as
// WriteResultsIn has them) written in as write-back writes them: where
// org-babel-execute-buffer finds a block in results written there that
// rep has no mark of (a block neither of the document nor added by an
// Emacs Lisp block, so not run) and that Emacs runs (evaluated), it
// returns an error wrapping
// ErrFoundInChangedBuffer naming that block's line in the buffer, rather
// than a document written without its results. The results write-back
// writes are searched as Emacs searches them (writeRound: from the
// marker it set at the block's end); those that Emacs put in its buffer
// (a digest), of a block of the document that Emacs has not changed,
// are searched where the document submitted has the block's results
// already or nothing between the block and what follows.
func (d *Document) FoundInChangedBuffer(results map[int]Result, rep *BufferReport) error {
	exes := d.Executables()
	if rep == nil || len(rep.Marks) < len(exes) {
		return nil
	}
	cur := &BufferReport{Text: rep.Text, Properties: rep.Properties, Defaults: rep.Defaults,
		Marks: append([]BufferMark(nil), rep.Marks...)}
	if next, wrote := cur.writeRound(d, results, len(exes)); wrote && len(next.Marks) > len(rep.Marks) {
		if nd, err := parseWith(next.Text, next.Properties, next.Defaults); err == nil {
			nd.Visit = d.Visit
			runs := map[int]bool{}
			for _, x := range nd.Executables() {
				runs[nd.Point(x)] = evaluated(x)
			}
			for _, m := range next.Marks[len(rep.Marks):] {
				if runs[m.Point] {
					return foundLineErr(next, m.Point)
				}
			}
		}
	}
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
	return fmt.Errorf("%w: the block at line %d of its Org buffer", ErrFoundInChangedBuffer, 1+strings.Count(rep.Text[:min(p, len(rep.Text))], "\n"))
}
