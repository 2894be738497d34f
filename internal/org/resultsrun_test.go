package org

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

// TestReportResults: the blocks org-babel-execute-buffer finds in the
// results it has just written (TestAgainstEmacs/results_run_* holds the
// same against Emacs): searched where the block had results already or
// nothing separates it from what follows, not where a blank line (a
// space, for an inline block) does; chained through the results of the
// blocks found (added, keyed AddedKey and up).
func TestReportResults(t *testing.T) {
	cases := []struct {
		name, text string
		// outputs are the outputs of the executables, in order; added
		// those of the blocks found, in the order found.
		outputs, added []string
		// found are the lines the blocks found start on (their
		// point's), in order; deleted the number of the document's
		// executables inside results replaced.
		found   []string
		deleted int
	}{
		{name: "code results, no blank line",
			text:    "#+begin_src sh :results code\necho 'echo x'\n#+end_src\nText.\n",
			outputs: []string{"echo x\n"},
			found:   []string{"#+begin_src sh"}},
		{name: "code results, a blank line",
			text:    "#+begin_src sh :results code\necho 'echo x'\n#+end_src\n\nText.\n",
			outputs: []string{"echo x\n"}},
		{name: "code results at the end of the text",
			text:    "#+begin_src sh :results code\necho 'echo x'\n#+end_src\n",
			outputs: []string{"echo x\n"},
			found:   []string{"#+begin_src sh"}},
		// A block ending an item: the blank lines after it are the
		// item's, its element ends at its last line, where its results
		// go (TestAgainstEmacs/results_run:_blocks_ending_items).
		{name: "code results of a block ending an item",
			text:    "- item\n  #+begin_src sh :results code\n  echo 'echo x'\n  #+end_src\n\nNext.\n",
			outputs: []string{"echo x\n"},
			found:   []string{"  #+begin_src sh"}},
		{name: "code results of a block ending an item, two blank lines",
			text:    "- item\n  #+begin_src sh :results code\n  echo 'echo x'\n  #+end_src\n\n\n  Text.\n",
			outputs: []string{"echo x\n"},
			found:   []string{"  #+begin_src sh"}},
		{name: "code results of a block ending a nested item",
			text:    "- outer\n  - inner\n    #+begin_src sh :results code\n    echo 'echo x'\n    #+end_src\n\n  - inner two\n",
			outputs: []string{"echo x\n"},
			found:   []string{"    #+begin_src sh"}},
		{name: "code results of a block ending an item at the end of the text",
			text:    "- item\n  #+begin_src sh :results code\n  echo 'echo x'\n  #+end_src\n\n",
			outputs: []string{"echo x\n"},
			found:   []string{"  #+begin_src sh"}},
		{name: "code results of a block in an item, text after it",
			text:    "- item\n  #+begin_src sh :results code\n  echo 'echo x'\n  #+end_src\n\n  more\n\nNext.\n",
			outputs: []string{"echo x\n"}},
		{name: "code results of a block ending a drawer in an item",
			text:    "- item\n  :D:\n  #+begin_src sh :results code\n  echo 'echo x'\n  #+end_src\n\n  :END:\n\nNext.\n",
			outputs: []string{"echo x\n"}},
		{name: "code results replaced after a blank line",
			text:    "#+begin_src sh :results code\necho 'echo x'\n#+end_src\n\n#+RESULTS:\n#+begin_src sh\necho old\n#+end_src\n\n#+RESULTS:\n: old\n\nText.\n",
			outputs: []string{"echo x\n", "old\n"},
			found:   []string{"#+begin_src sh"}, deleted: 1},
		{name: "a call in raw results",
			text:    "#+name: sq\n#+begin_src sh\necho 4\n#+end_src\n\n#+begin_src sh :results raw\necho '#+call: sq()'\n#+end_src\nAfter.\n",
			outputs: []string{"4\n", "#+call: sq()\n"},
			found:   []string{"#+call: sq()"}},
		{name: "an inline block printing one, no space",
			text:    "Here src_sh[:results raw]{echo 'src_sh{echo 9}'}and on.\n",
			outputs: []string{"src_sh{echo 9}\n"},
			found:   []string{"Here src_sh[:results raw]{echo 'src_sh{echo 9}'} src_sh{echo 9}"}},
		{name: "an inline block printing one, a space",
			text:    "Here src_sh[:results raw]{echo 'src_sh{echo 9}'} and on.\n",
			outputs: []string{"src_sh{echo 9}\n"}},
		{name: "a chain two deep",
			text:    "#+begin_src sh :results raw\necho ...\n#+end_src\nTail.\n",
			outputs: []string{"#+begin_src sh :results raw\necho ...\n#+end_src\ntext\n"},
			added:   []string{"#+begin_src sh\necho deep\n#+end_src\n"},
			found:   []string{"#+begin_src sh :results raw", "#+begin_src sh"}},
		{name: "a block found, a blank line after it",
			text:    "#+begin_src sh :results raw\necho ...\n#+end_src\nTail.\n",
			outputs: []string{"#+begin_src sh :results code\necho ...\n#+end_src\n\ntext\n"},
			added:   []string{"echo never\n"},
			found:   []string{"#+begin_src sh :results code"}},
		// A found block :results raw append (prepend) whose output
		// prints a block followed by text: the nested block's
		// results go in the middle of what was put in, which
		// write-back leaves there, once (TestAgainstEmacs/found_sh_
		// :results_raw_append_in_a_found_block's_results_with_text_after).
		{name: "found raw append printing a block and text",
			text:    "#+begin_src sh :results raw\necho ...\n#+end_src\nTail.\n",
			outputs: []string{"#+begin_src sh :results raw append\necho ...\n#+end_src\nafter outer\n"},
			added:   []string{"#+begin_src sh\necho nested\n#+end_src\nafter inner\n", "nested\n"},
			found:   []string{"#+begin_src sh :results raw append", "#+begin_src sh"}},
		{name: "found raw prepend printing a block and text",
			text:    "#+begin_src sh :results raw\necho ...\n#+end_src\nTail.\n",
			outputs: []string{"#+begin_src sh :results raw prepend\necho ...\n#+end_src\nafter outer\n"},
			added:   []string{"#+begin_src sh\necho nested\n#+end_src\nafter inner\n", "nested\n"},
			found:   []string{"#+begin_src sh :results raw prepend", "#+begin_src sh"}},
		{name: "found drawer append printing a block and text",
			text:    "#+begin_src sh :results raw\necho ...\n#+end_src\nTail.\n",
			outputs: []string{"#+begin_src sh :results drawer append\necho ...\n#+end_src\nafter outer\n"},
			added:   []string{"#+begin_src sh\necho nested\n#+end_src\nafter inner\n", "nested\n"},
			found:   []string{"#+begin_src sh :results drawer append", "#+begin_src sh"}},
		{name: "found raw append with old results printing a block and text",
			text:    "#+begin_src sh :results raw\necho ...\n#+end_src\nTail.\n",
			outputs: []string{"#+begin_src sh :results raw append\necho ...\n#+end_src\n\n#+RESULTS:\nold\n\nafter outer\n"},
			added:   []string{"#+begin_src sh\necho nested\n#+end_src\nafter inner\n", "nested\n"},
			found:   []string{"#+begin_src sh :results raw append", "#+begin_src sh"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, results := outputsOf(t, c.text, c.outputs)
			exes := doc.Executables()
			rep := doc.ReportResults(results, nil)
			// The blocks found run, and their results are written
			// in turn (bounded by the outputs given).
			for j := 0; j < len(c.added) && len(rep.Marks) > len(exes)+j; j++ {
				results[AddedKey+j] = Result{Output: c.added[j]}
				rep = doc.ReportResults(results, rep)
			}
			var found []string
			for _, m := range rep.Marks[len(exes):] {
				line, _, _ := strings.Cut(rep.Text[m.Point:], "\n")
				if strings.HasPrefix(line, "src_") {
					// An inline block: its whole line.
					start := strings.LastIndex(rep.Text[:m.Point], "\n") + 1
					line, _, _ = strings.Cut(rep.Text[start:], "\n")
				}
				found = append(found, line)
			}
			if strings.Join(found, "|") != strings.Join(c.found, "|") {
				t.Errorf("found %q, want %q in\n%s", found, c.found, rep.Text)
			}
			deleted := 0
			for _, m := range rep.Marks[:len(exes)] {
				if m.Changed && m.Point >= m.BlockEnd {
					deleted++
				}
			}
			if deleted != c.deleted {
				t.Errorf("%d executables deleted, want %d in\n%s", deleted, c.deleted, rep.Text)
			}
			if got := doc.WriteResultsIn(results, rep); got != rep.Text {
				t.Errorf("written back:\n%s\nthe report's text:\n%s", got, rep.Text)
			}
		})
	}
}

// TestReportResultsOfEmacs: a report of the document's Emacs is kept as it
// is (what Emacs Lisp blocks changed is not searched so).
func TestReportResultsOfEmacs(t *testing.T) {
	doc, err := Parse("#+begin_src sh :results code\necho 'echo x'\n#+end_src\nText.\n")
	if err != nil {
		t.Fatal(err)
	}
	rep := &BufferReport{Text: doc.Text, Marks: []BufferMark{{Point: 0, BlockEnd: 46}}}
	if got := doc.ReportResults(map[int]Result{0: {Output: "echo x\n"}}, rep); got != rep {
		t.Errorf("a report of the document's Emacs made into another")
	}
}

// TestResultsAsOrgText: the results that may hold a block Emacs finds
// are those put in as Org text.
func TestResultsAsOrgText(t *testing.T) {
	cases := []struct {
		header string
		want   bool
	}{
		{"", false},
		{":results output", false},
		{":results verbatim", false},
		{":results raw", true},
		{":results output drawer", true},
		{":results org", true},
		{":results code", true},
		{":results list", true},
		{":wrap src sh", true},
		{":wrap", true},
		// As Emacs 28.2 writes and searches them (the plan's
		// results_run_wrap fixture).
		{":results output :wrap example", false},
		{":results raw :wrap EXAMPLE", false},
		{":results output :wrap example foo", false},
		{":results output :wrap export html", false},
		{":results output :wrap verse", false},
		{":results raw :wrap comment", false},
		{":results output :wrap quote", true},
		{":results output :wrap center", true},
		{":results output :wrap note", true},
		{":results value :wrap src", true},
		{":results html", false},
		// `:results wrap`, drawer's spelling before Org 7.9.2, written
		// as drawer is (unescaped in a :results: drawer).
		{":results output wrap", true},
		{":results wrap", true},
		// html and latex come first in org-babel-insert-result's
		// choice of a wrapping: an export block, escaped.
		{":results raw html", false},
		{":results output drawer latex", false},
		{":results output wrap html", false},
		{":results org latex", false},
		{":results raw html :wrap", true},
	}
	for _, c := range cases {
		doc, err := Parse("#+begin_src sh " + c.header + "\necho\n#+end_src\n")
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Blocks) != 1 {
			t.Fatalf("%q: %d blocks", c.header, len(doc.Blocks))
		}
		if got := ResultsAsOrgText(doc.Blocks[0].Args); got != c.want {
			t.Errorf("%q: %v, want %v", c.header, got, c.want)
		}
	}
}

// TestWriteResultsInFoundEmptyTable: the results of a block found in
// results, written where it had none (ReportResults: the blank line
// before #+RESULTS: put in with them), are not written again by
// WriteResultsIn. An Emacs Lisp value (nil nil), a table whose rows are
// all empty, writes #+RESULTS: and one empty line, and written again
// over them one more (fixture found_elisp_no_emacs_nils.org, checked with
// Emacs 28.2 / Org 9.5.5).
func TestWriteResultsInFoundEmptyTable(t *testing.T) {
	const doc = "#+begin_src sh :results raw\nprintf x\n#+end_src\nText right after.\n"
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	results := map[int]Result{
		d.Executables()[0].Index: {Output: "#+begin_src emacs-lisp\n(list nil nil)\n#+end_src\n"},
		AddedKey:                 {Output: "(nil nil)", Reader: ReadLisp},
	}
	rep := d.ReportResults(results, nil)
	if len(rep.Marks) != 2 {
		t.Fatalf("%d marks, want the found block's too", len(rep.Marks))
	}
	const want = "#+begin_src sh :results raw\nprintf x\n#+end_src\n\n#+RESULTS:\n#+begin_src emacs-lisp\n(list nil nil)\n#+end_src\n\n#+RESULTS:\n\n\nText right after.\n"
	if got := d.WriteResultsIn(results, rep); got != want {
		t.Fatalf("wrote\n%q\nwant\n%q", got, want)
	}
}

// TestPlacesAdded: a report marks a place for the results of the blocks
// found in the results it was made of, not for those of a block found in
// results written since (AddedKey+1 here); a mark past the blocks found
// that is no block the search found under its key (a block an Emacs
// Lisp block added, marked by Emacs where the block found later would
// be counted) places nothing: an error, never those results written at
// it.
func TestPlacesAdded(t *testing.T) {
	const doc = "#+begin_src sh :results raw\nprintf x\n#+end_src\nText right after.\n\n#+begin_src sh :results raw\nprintf y\n#+end_src\n"
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	exes := d.Executables()
	results := map[int]Result{
		exes[0].Index: {Output: "#+begin_src sh\necho 1\n#+end_src\n"},
		AddedKey:      {Output: "1"},
	}
	rep := d.ReportResults(results, nil)
	places := func(results map[int]Result, rep, searched *BufferReport) bool {
		t.Helper()
		ok, err := d.PlacesAdded(results, rep, searched)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !places(results, rep, rep) {
		t.Errorf("a report of the results written does not place the block found in them")
	}
	results[exes[1].Index] = Result{Output: "#+begin_src sh\necho 2\n#+end_src\n"}
	results[AddedKey+1] = Result{Output: "2"}
	all := d.ReportResults(results, nil)
	if places(results, rep, all) {
		t.Errorf("a report made before the second block's results places the block found in them")
	}
	if !places(results, all, all) {
		t.Errorf("a report of all the results written does not place both blocks found")
	}
	// As Emacs reports it: the first block's results, the block found
	// in them, and a block added at the end, marked past it, where the
	// search of all the results has the block found in the second's.
	const added = "#+begin_src sh\necho added\n#+end_src\n"
	emacs := &BufferReport{Text: rep.Text + added, Marks: append([]BufferMark(nil), rep.Marks...)}
	for i := range emacs.Marks {
		emacs.Marks[i].FoundIn = 0
	}
	p := len(rep.Text)
	emacs.Marks = append(emacs.Marks, BufferMark{Point: p, BlockEnd: p + len(added), Start: p + len(added), End: p + len(added)})
	if ok, err := d.PlacesAdded(results, emacs, all); ok || !errors.Is(err, ErrFoundMarkNotFound) || !strings.Contains(err.Error(), "line 18 ") || !strings.Contains(err.Error(), "added it there") {
		t.Errorf("a block added, marked where the second block found is keyed: %v, %v", ok, err)
	}
	if _, err := d.ReportFoundAfter(results, results, emacs, all); !errors.Is(err, ErrFoundMarkNotFound) {
		t.Errorf("ReportFoundAfter of a report marking a block added: %v", err)
	}
	// Marked past every block the search found (none found in the
	// second block's results): placed once Borges ran it from that
	// report (its results keyed by its mark), an error while it has none.
	ran := map[int]Result{exes[0].Index: results[exes[0].Index], AddedKey: results[AddedKey], AddedKey + 1: {Output: "added"}}
	if !places(ran, emacs, rep) {
		t.Errorf("a block added past every block found, run, is not placed")
	}
	delete(ran, AddedKey+1)
	if ok, err := d.PlacesAdded(ran, emacs, rep); ok || !errors.Is(err, ErrFoundMarkNotFound) {
		t.Errorf("a block added past every block found, not run: %v, %v", ok, err)
	}
	// The same block :results raw, run, its output a source block,
	// which org-babel-execute-buffer finds in its results and runs:
	// Borges searches no results of a block so added, and refuses the
	// report, naming its line, never placing it without them. Output
	// holding no block, or a block put in as verbatim text (`: `), is
	// placed.
	const raw = "#+begin_src sh :results raw\nprintf deep\n#+end_src\n"
	rawRep := &BufferReport{Text: rep.Text + raw, Marks: append(append([]BufferMark(nil), emacs.Marks[:len(emacs.Marks)-1]...), BufferMark{Point: p, BlockEnd: p + len(raw), Start: p + len(raw), End: p + len(raw)})}
	ran[AddedKey+1] = Result{Output: "#+begin_src sh\necho deep\n#+end_src\n"}
	if ok, err := d.PlacesAdded(ran, rawRep, rep); ok || !errors.Is(err, ErrFoundMarkNotFound) || !strings.Contains(err.Error(), "line 18 ") || !strings.Contains(err.Error(), "may hold a block") {
		t.Errorf("a raw block added past every block found, its results a block: %v, %v", ok, err)
	}
	if !places(ran, emacs, rep) {
		t.Errorf("a block added past every block found, its results a block put in verbatim, is not placed")
	}
	ran[AddedKey+1] = Result{Output: "deep"}
	if !places(ran, rawRep, rep) {
		t.Errorf("a raw block added past every block found, its results no block, is not placed")
	}
	ran[AddedKey+1] = Result{Output: "added"}
	// The first block found, marked by Emacs (no owner named), inside
	// its owner's results: placed.
	emacs.Marks = emacs.Marks[:len(emacs.Marks)-1]
	emacs.Text = rep.Text
	if !places(map[int]Result{AddedKey: results[AddedKey]}, emacs, all) {
		t.Errorf("the block found, marked by Emacs in its owner's results, is not placed")
	}
}

// foundAfterReport is the document of the ReportFoundAfter tests (two raw
// shell blocks), its executables, the first block's results (an Emacs
// Lisp block) and the report of the Emacs that block ran in: the first
// block's results, the block found in them, and text it inserted at the
// end.
func foundAfterReport(t *testing.T) (*Document, []*Block, map[int]Result, *BufferReport) {
	t.Helper()
	const doc = "#+begin_src sh :results raw\nprintf x\n#+end_src\nText right after.\n\n#+begin_src sh :results raw\nprintf y\n#+end_src\nText after.\n"
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	exes := d.Executables()
	first := map[int]Result{exes[0].Index: {Output: "#+begin_src emacs-lisp\n(insert)\n#+end_src\n"}}
	rep := d.ReportResults(first, nil)
	return d, exes, first, &BufferReport{Text: rep.Text + "\nInserted.\n", Marks: rep.Marks}
}

// foundAfterFinished are the finished results of foundAfterReport's
// document: the first block's, the block found in them (nil), and the
// second block's, holding a shell block found in them.
func foundAfterFinished(exes []*Block, first map[int]Result) map[int]Result {
	return map[int]Result{
		exes[0].Index: first[exes[0].Index],
		AddedKey:      {Output: ""},
		exes[1].Index: {Output: "#+begin_src sh\necho 2\n#+end_src\n"},
	}
}

// TestReportFoundAfter: a report of the Emacs blocks found in results ran
// in, made before the second block's results were written, gets them
// written in its text (what that Emacs inserted stays) and the block found
// in them marked under the key the search of results gave it; a search
// that found another block there, or none, or the same block text in
// the results of another block (its owner), is an error, never results
// left out or written at another block.
func TestReportFoundAfter(t *testing.T) {
	d, exes, first, rep := foundAfterReport(t)
	results := foundAfterFinished(exes, first)
	results[AddedKey+1] = Result{Output: "2"}
	searched := d.ReportResults(results, nil)
	ext, err := d.ReportFoundAfter(results, results, rep, searched)
	if err != nil {
		t.Fatal(err)
	}
	got := d.WriteResultsIn(results, ext)
	if !strings.Contains(got, "#+RESULTS:\n: 2\n\nText after.\n\nInserted.\n") {
		t.Errorf("wrote\n%s", got)
	}
	other := d.ReportResults(map[int]Result{exes[0].Index: first[exes[0].Index], exes[1].Index: {Output: "#+begin_src sh\necho 3\n#+end_src\n"}}, nil)
	if _, err := d.ReportFoundAfter(results, results, rep, other); err == nil || !strings.Contains(err.Error(), "is not the one found there") {
		t.Errorf("another block searched there: %v", err)
	}
	if _, err := d.ReportFoundAfter(results, results, rep, d.ReportResults(first, nil)); err == nil {
		t.Errorf("no block searched there: no error")
	}
	// The same block text, found in the first block's results in the
	// search (as when an identical block stands in both): another
	// block's, an error too.
	owner := &BufferReport{Text: searched.Text, Marks: append([]BufferMark(nil), searched.Marks...)}
	owner.Marks[len(owner.Marks)-1].FoundIn = 1
	if _, err := d.ReportFoundAfter(results, results, rep, owner); err == nil || !strings.Contains(err.Error(), "is not the one found there") {
		t.Errorf("an identical block of another owner: %v", err)
	}
}

// TestReportFoundAfterUnfinished: a block found after the Emacs reported
// whose run failed (or is running) has no results written in the report
// (only finished ones are), but keeps its mark there, so that its failure
// drawer (or its output so far under its status) is written at it, never
// left out of the document.
func TestReportFoundAfterUnfinished(t *testing.T) {
	d, exes, first, rep := foundAfterReport(t)
	finished := foundAfterFinished(exes, first)
	for _, status := range []string{"failed: exit status 1", "running"} {
		results := map[int]Result{AddedKey + 1: {Output: "partial", Status: status}}
		for k, r := range finished {
			results[k] = r
		}
		ext, err := d.ReportFoundAfter(finished, results, rep, d.ReportResults(finished, nil))
		if err != nil {
			t.Fatal(err)
		}
		got := d.WriteResultsIn(results, ext)
		if !strings.Contains(got, "echo 2\n#+end_src\n\n#+RESULTS:\n") || !strings.Contains(got, status) || !strings.Contains(got, "partial") || !strings.Contains(got, "\nInserted.\n") {
			t.Errorf("%s: wrote\n%s", status, got)
		}
	}
}

// TestPlacesAddedChangedDocumentBlock: in a document with no Emacs Lisp
// block of its own, a report of the Emacs blocks found in results run in
// that marks a block of the document changed past the first block found
// (an Emacs Lisp block found changed it before org-babel-execute-buffer
// came to it, and Emacs runs it as changed) places nothing: an error
// naming its line, never the results of the block as submitted written
// under it as changed (fixture found_elisp_edits_later_block_plain.org of
// internal/plan). A block changed before the first block found (it ran
// before any did), or deleted, is no such error.
func TestPlacesAddedChangedDocumentBlock(t *testing.T) {
	const doc = "#+begin_src sh\necho earlier\n#+end_src\n\n#+begin_src sh :results raw\nprintf x\n#+end_src\nText right after.\n\n#+begin_src sh\necho later\n#+end_src\n"
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	exes := d.Executables()
	results := map[int]Result{
		exes[0].Index: {Output: "earlier"},
		exes[1].Index: {Output: "#+begin_src emacs-lisp\n(ignore)\n#+end_src\n"},
		AddedKey:      {Output: "nil", Reader: ReadLisp},
		exes[2].Index: {Output: "later"},
	}
	searched := d.ReportResults(results, nil)
	if len(searched.Marks) != len(exes)+1 {
		t.Fatalf("%d marks, want the found block's too", len(searched.Marks))
	}
	// edited is searched with old replaced by new in the block of mark
	// i, as the Emacs blocks found ran in reports it: that mark changed
	// (deleted, when new is ""), the marks after it moved.
	edited := func(i int, old, new string) *BufferReport {
		t.Helper()
		rep := editReport(t, searched, searched.Marks[i].Point, old, new)
		rep.Marks[i].Changed = true
		if new == "" {
			rep.Marks[i].BlockEnd = rep.Marks[i].Point
		}
		return rep
	}
	later := edited(2, "echo later", "echo edited-later")
	line := "line " + strconv.Itoa(1+strings.Count(later.Text[:later.Marks[2].Point], "\n")) + " "
	if ok, err := d.PlacesAdded(results, later, searched); ok || !errors.Is(err, ErrFoundMarkNotFound) || !strings.Contains(err.Error(), line) || !strings.Contains(err.Error(), "a block of the document") {
		t.Errorf("a later block of the document changed: %v, %v (want %q)", ok, err, line)
	}
	if _, err := d.ReportFoundAfter(results, results, later, searched); !errors.Is(err, ErrFoundMarkNotFound) {
		t.Errorf("ReportFoundAfter of a report marking a later block changed: %v", err)
	}
	if ok, err := d.PlacesAdded(results, edited(0, "echo earlier", "echo edited-earlier"), searched); !ok || err != nil {
		t.Errorf("an earlier block of the document changed, which ran before any block found: %v, %v", ok, err)
	}
	// Text outside the blocks: a plain line before the later block
	// changes nothing it runs; a #+header: line put above it does.
	if ok, err := d.PlacesAdded(results, editReport(t, searched, searched.Marks[2].Point, "#+begin_src sh\necho later", "Inserted.\n#+begin_src sh\necho later"), searched); !ok || err != nil {
		t.Errorf("a plain line put before a later block of the document: %v, %v", ok, err)
	}
	if _, err := d.PlacesAdded(results, editReport(t, searched, searched.Marks[2].Point, "#+begin_src sh\necho later", "#+header: :var x=1\n#+begin_src sh\necho later"), searched); !errors.Is(err, ErrFoundMarkNotFound) || !strings.Contains(err.Error(), line) {
		t.Errorf("a #+header: line put above a later block of the document: %v (want %q)", err, line)
	}
	if _, err := d.PlacesAdded(results, editReport(t, searched, searched.Marks[2].Point, "#+begin_src sh\necho later", "#+header: :var x=1\nPlain.\n#+begin_src sh\necho later"), searched); !errors.Is(err, ErrFoundMarkNotFound) {
		t.Errorf("a #+header: line and a plain line put above a later block of the document: %v", err)
	}
	gone := searched.Marks[2]
	if ok, err := d.PlacesAdded(results, edited(2, searched.Text[gone.Point:gone.BlockEnd], ""), searched); !ok || err != nil {
		t.Errorf("a later block of the document deleted, which Emacs does not run: %v, %v", ok, err)
	}
}

// editReport is rep with old, the first at or after from, replaced by new
// in its text, its marks past it moved, none marked found in results
// (as the document's Emacs reports them).
func editReport(t *testing.T, rep *BufferReport, from int, old, new string) *BufferReport {
	t.Helper()
	at := strings.Index(rep.Text[from:], old)
	if at < 0 {
		t.Fatalf("%q not in the report", old)
	}
	at += from
	out := &BufferReport{Text: rep.Text[:at] + new + rep.Text[at+len(old):], Marks: append([]BufferMark(nil), rep.Marks...)}
	for j := range out.Marks {
		n := &out.Marks[j]
		n.FoundIn = 0
		for _, p := range []*int{&n.Point, &n.BlockEnd, &n.Start, &n.End} {
			switch {
			case *p >= at+len(old):
				*p += len(new) - len(old)
			case *p > at:
				*p = at // in the text replaced, as a marker there
			}
		}
	}
	return out
}

// TestPlacesAddedChangedOutsideBlocks: in a document with no Emacs Lisp
// block of its own, a report of the Emacs blocks found in results run in
// whose text differs from the results written outside results and blocks
// found, where org-babel-execute-buffer reads what a later block runs (a
// #+header: line put above it, a property drawer on its heading, a named
// table it reads), places nothing: an error naming the line, never the
// results of the block as submitted written under it (fixtures
// found_elisp_edits_later_header_line.org, _later_property.org,
// found_elisp_edits_named_table.org of internal/plan). The same text
// put back, or a later block's old results changed, is no error.
func TestPlacesAddedChangedOutsideBlocks(t *testing.T) {
	const doc = "#+NAME: tbl\n| a |\n\n#+begin_src sh :results raw\nprintf x\n#+end_src\nText right after.\n\n* Later\n#+begin_src sh :var x=tbl\necho later\n#+end_src\n\n#+RESULTS:\n: old\n\nText after.\n"
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	exes := d.Executables()
	results := map[int]Result{
		exes[0].Index: {Output: "#+begin_src emacs-lisp\n(ignore)\n#+end_src\n"},
		AddedKey:      {Output: "nil", Reader: ReadLisp},
	}
	searched := d.ReportResults(results, nil)
	if len(searched.Marks) != len(exes)+1 {
		t.Fatalf("%d marks, want the found block's too", len(searched.Marks))
	}
	lineOf := func(rep *BufferReport, s string) string {
		return "line " + strconv.Itoa(1+strings.Count(rep.Text[:strings.Index(rep.Text, s)], "\n")) + " "
	}
	for _, c := range []struct{ name, old, new, line string }{
		{"a header line", "#+begin_src sh :var", "#+header: :var who=\"edited\"\n#+begin_src sh :var", "#+header:"},
		{"a property drawer", "* Later\n", "* Later\n:PROPERTIES:\n:header-args:sh: :var who=\"edited\"\n:END:\n", ":PROPERTIES:"},
		{"a named table", "| a |", "| z |", "| z |"},
	} {
		rep := editReport(t, searched, 0, c.old, c.new)
		line := lineOf(rep, c.line)
		if ok, err := d.PlacesAdded(results, rep, searched); ok || !errors.Is(err, ErrFoundMarkNotFound) || !strings.Contains(err.Error(), line) {
			t.Errorf("%s changed: %v, %v (want %q)", c.name, ok, err, line)
		}
		if _, err := d.ReportFoundAfter(results, results, rep, searched); !errors.Is(err, ErrFoundMarkNotFound) {
			t.Errorf("ReportFoundAfter of %s changed: %v", c.name, err)
		}
	}
	for _, c := range []struct{ name, old, new string }{
		{"the same text put back", "echo later", "echo later"},
		{"a later block's old results", ": old", ": new"},
	} {
		if ok, err := d.PlacesAdded(results, editReport(t, searched, 0, c.old, c.new), searched); !ok || err != nil {
			t.Errorf("%s: %v, %v", c.name, ok, err)
		}
	}
}

// TestPlacesAddedChangedBetweenFound: a block of the document between a
// block found that runs no Lisp (a shell block) and the Emacs Lisp block
// found after it that changes it ran before that one did, and Emacs
// writes it as changed over its results (found_elisp_edits_block_between.org
// of internal/plan): no error, the first block found that may change the
// buffer being that Emacs Lisp block.
func TestPlacesAddedChangedBetweenFound(t *testing.T) {
	const doc = "#+begin_src sh :results raw\nprintf x\n#+end_src\nText right after.\n\n#+begin_src sh\necho middle\n#+end_src\n\n#+begin_src sh :results raw\nprintf y\n#+end_src\nText right after two.\n"
	d, err := Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	exes := d.Executables()
	results := map[int]Result{
		exes[0].Index: {Output: "#+begin_src sh\necho found-sh\n#+end_src\n"},
		exes[1].Index: {Output: "middle"},
		exes[2].Index: {Output: "#+begin_src emacs-lisp\n(ignore)\n#+end_src\n"},
		AddedKey:      {Output: "found-sh"},
		AddedKey + 1:  {Output: "nil", Reader: ReadLisp},
	}
	searched := d.ReportResults(results, nil)
	if len(searched.Marks) != len(exes)+2 {
		t.Fatalf("%d marks, want the found blocks' too", len(searched.Marks))
	}
	rep := editReport(t, searched, searched.Marks[1].Point, "echo middle", "echo edited-middle")
	rep.Marks[1].Changed = true
	if ok, err := d.PlacesAdded(results, rep, searched); !ok || err != nil {
		t.Errorf("a block changed between a shell block found and the Emacs Lisp block found that changed it: %v, %v", ok, err)
	}
}
