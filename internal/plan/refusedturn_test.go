package plan

import (
	"fmt"
	"github.com/wallyqs/borges/internal/org"
	"slices"
	"strings"
	"testing"
)

// The blocks of the documents below: an Emacs Lisp block that edits the
// Org buffer (its report says how), a plain block after the refused one,
// the refused block ref (:var x=5, :eval no), and two plain blocks.
const (
	turnEditor = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(message \"edit\")\n#+end_src\n"
	turnAfter  = "#+name: after\n#+begin_src sh\necho after\n#+end_src\n"
	turnRef    = "#+name: ref\n#+begin_src sh :var x=5 :eval no\necho ref\n#+end_src\n"
	turnFirst  = "#+name: first\n#+begin_src sh\necho first\n#+end_src\n"
	turnC      = "#+name: c\n#+begin_src sh\necho c\n#+end_src\n"
)

// TestBufferEditsRefusedTurnStops: an Emacs Lisp block rewrites the :var
// value of ref, a block :eval no refuses, into :var x=ref, a reference
// to ref itself, where ref's value as submitted made no run for a
// reference: a literal (testdata/stop_elisp_ref_self_eval_no_literal.org),
// a reference to another block :eval refuses (_refused_target.org), to a
// named table (_table.org). Emacs, resolving ref's :var values before it
// refuses it, stops there with DepthExceeded; no task stands at ref's
// turn, so the first task after it fails (its own run, and a run a
// reference of it makes there), naming ref, with that stop. A task
// before ref is kept, and so is one after it when an Emacs Lisp block
// stands between ref and it (Emacs passed ref before that block ran,
// and the report may be of the buffer it left). Before, every task was
// kept, and the block after ref ran.
func TestBufferEditsRefusedTurnStops(t *testing.T) {
	const after = "#+name: after\n#+begin_src sh :var y=c\necho after\n#+end_src\n"
	// The table after a: each part begins with its block's #+name
	// (editedBlocks's marks).
	const a = "#+name: a\n#+begin_src sh :eval no\necho a\n#+end_src\n\n#+name: tbl\n| 1 | 2 |\n"
	for what, ref := range map[string]string{
		"literal":        "#+name: ref\n#+begin_src sh :var x=5 :eval no\necho ref\n#+end_src\n",
		"refused target": "#+name: ref\n#+begin_src sh :var x=a :eval no\necho ref\n#+end_src\n",
		"table":          "#+name: ref\n#+begin_src sh :var x=tbl :eval no\necho ref\n#+end_src\n",
	} {
		self := func(_ int, b string) string {
			for _, v := range []string{":var x=5 ", ":var x=a ", ":var x=tbl "} {
				b = strings.Replace(b, v, ":var x=ref ", 1)
			}
			return b
		}
		e, task := editedBlocks(t, []string{turnFirst, turnEditor, ref, after, turnC, a}, self)
		for _, name := range []string{"after", "after :var y=c"} {
			tk := task[name]
			if tk == nil {
				t.Fatalf("%s: no task %s: %v", what, name, task)
			}
			if d := e.Decide(tk); d.Kind != Fails || d.Stop != DepthExceeded || !strings.Contains(d.Why, "block ref") {
				t.Errorf("%s: %s: %v %q (stop %q); want it to fail naming ref, stopping with %q", what, name, d.Kind, d.Why, d.Stop, DepthExceeded)
			}
		}
		for _, name := range []string{"first", "editor"} {
			if d := e.Decide(task[name]); d.Kind != Kept {
				t.Errorf("%s: %s: %v %q; want it kept (before ref)", what, name, d.Kind, d.Why)
			}
		}
		// The Emacs Lisp block after ref: Emacs passed ref with the
		// text it had then.
		e, task = editedBlocks(t, []string{turnFirst, ref, turnEditor, after, turnC, a}, self)
		if d := e.Decide(task["after"]); d.Kind != Kept {
			t.Errorf("%s, editor after ref: after: %v %q; want it kept", what, d.Kind, d.Why)
		}
	}
}

// TestBufferEditsRefusedTurnOtherValues: an Emacs Lisp block rewrites
// the :var x=5 of ref, a block :eval no refuses, into a value whose
// reading stops Emacs at ref otherwise than by a reference back to it:
// a Lisp form (:var x=(error "boom"), stop_elisp_ref_eval_no_lisp.org),
// and a reference naming no block (:var x=nosuch,
// stop_elisp_ref_eval_no_missing.org). The block after ref waits for
// the form's run in the document's Emacs at ref's turn, whose error
// stops the document there (TestBufferEditsRefusedTurnLispRuns), or
// fails stopping as Emacs does at ref with Reference ‘nosuch’ not
// found in this buffer, no block run between the report and ref being
// able to write that name. Before, the block after ref failed saying
// Borges did not know whether Emacs stops at ref for the Lisp form.
func TestBufferEditsRefusedTurnOtherValues(t *testing.T) {
	e, task := editedBlocks(t, []string{turnEditor, turnRef, turnAfter}, func(_ int, b string) string {
		return strings.Replace(b, ":var x=5 ", `:var x=(error "boom") `, 1)
	})
	if d := e.Decide(task["after"]); d.Kind != Changed || len(d.Runs) != 1 || d.Runs[0].LispVarOf() != "ref" {
		t.Errorf("(error \"boom\"): after: %v %q, runs %d; want it to wait for the form's run", d.Kind, d.Why, len(d.Runs))
	}
	e, task = editedBlocks(t, []string{turnEditor, turnRef, turnAfter}, func(_ int, b string) string {
		return strings.Replace(b, ":var x=5 ", ":var x=nosuch ", 1)
	})
	const stop = "Reference ‘nosuch’ not found in this buffer"
	if d := e.Decide(task["after"]); d.Kind != Fails || d.Stop != stop || !strings.Contains(d.Why, "block ref") {
		t.Errorf("nosuch: after: %v %q (stop %q); want it to fail naming ref, stopping with %q", d.Kind, d.Why, d.Stop, stop)
	}
}

// TestBufferEditsRefusedTurnUnchangedLisp: an Emacs Lisp block changes
// the Org buffer elsewhere, leaving ref, a block :eval no refuses whose
// :var value is Lisp (:var x=(list 1 2)), as submitted. The submitted
// plan already has ref's Lisp value evaluated at its turn (a task whose
// run stops the document as Emacs would), so the block after ref is
// kept, as Emacs runs it
// (testdata/stop_elisp_ref_eval_no_lisp_unchanged.org). Before, it
// failed, Borges saying it did not know whether Emacs stops at ref.
// Where the buffer rewrote ref's value into another form, the run of
// the value as submitted is not run, and the block after ref waits for
// that of the form the buffer holds
// (stop_elisp_ref_eval_no_lisp_rewritten.org); before, it failed
// saying Borges did not know.
func TestBufferEditsRefusedTurnUnchangedLisp(t *testing.T) {
	const ref = "#+name: ref\n#+begin_src sh :eval no :var x=(list 1 2)\necho $x\n#+end_src\n"
	blocks := []string{turnEditor, ref, turnAfter}
	doc, p, task := planned(t, "* T\n\n"+strings.Join(blocks, "\n"))
	buf := "* T\n\n" + strings.Join(blocks, "\n") + "\nedited\n"
	e, err := BufferEdits(doc, p, bufferReport(t, len(blocks), "", blocks, len("* T\n\n"), buf), Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if d := e.Decide(task["after"]); d.Kind != Kept {
		t.Errorf("after: %v %q (stop %q); want it kept (ref as submitted)", d.Kind, d.Why, d.Stop)
	}
	e, task = editedBlocks(t, blocks, func(_ int, b string) string {
		return strings.Replace(b, "(list 1 2)", `(error "boom")`, 1)
	})
	d := e.Decide(task["after"])
	if d.Kind != Changed || len(d.Runs) != 1 || d.Runs[0].lispVar.form != `(error "boom")` {
		t.Fatalf("ref rewritten: after: %v %q, runs %d; want it to wait for the run of the form the buffer holds", d.Kind, d.Why, len(d.Runs))
	}
	deleted := 0
	for _, o := range e.old.Tasks {
		if o.LispVarOf() == "ref" {
			deleted++
			if d := e.Decide(o); d.Kind != Deleted {
				t.Errorf("ref rewritten: %s: %v %q; want it not run (the buffer's form is evaluated instead)", o.Block, d.Kind, d.Why)
			}
		}
	}
	if deleted != 1 {
		t.Errorf("ref rewritten: %d tasks of ref's value as submitted; want 1", deleted)
	}
}

// lobEditor is an Emacs Lisp block named editor whose body is body.
func lobEditor(body string) string {
	return "#+name: editor\n#+begin_src emacs-lisp :results silent\n" + body + "\n#+end_src\n"
}

// TestBufferEditsRefusedTurnMissingName: an Emacs Lisp block rewrites
// the :var x=5 of ref, a block :eval no refuses, into a reference
// naming no block org-babel-ref-resolve finds: none of the name, one
// only under a COMMENT heading (a, stop_elisp_ref_eval_no_comment_target.org;
// ref itself there, stop_elisp_ref_self_eval_no_comment.org). Emacs
// stops at ref with Reference ‘NAME’ not found in this buffer, and the
// block after it fails with that stop. Where a block run between the
// report (after the Emacs Lisp block) and ref may write the name (its
// results written as Org text, its :var reference running a block), or
// a reference of ref resolved before the missing one may, Borges does
// not know, and the block after ref fails saying so, with no stop; so
// too where Lisp run before ref in the document's Emacs may have put the
// name in the Library of Babel (since the report, which holds its
// entries: TestBufferEditsRefusedTurnLibraryEntry) or Org's ID list,
// where org-babel-ref-resolve looks after the buffer: only Lisp
// that edits the buffer and sets no variable (bufferEditLisp) is known
// not to.
func TestBufferEditsRefusedTurnMissingName(t *testing.T) {
	const a = "#+name: a\n#+begin_src sh :eval no\necho a\n#+end_src\n"
	const comment = "\n* COMMENT hidden\n"
	const next = "\n* next\n"
	rewrite := func(value string) func(int, string) string {
		return func(_ int, b string) string {
			return strings.Replace(b, ":var x=5 ", ":var x="+value+" ", 1)
		}
	}
	for _, tc := range []struct {
		what, value string
		blocks      []string
		stop        string
	}{
		{"missing", "nosuch", []string{turnEditor, turnRef, turnAfter}, "Reference ‘nosuch’ not found in this buffer"},
		{"missing, c before", "nosuch", []string{turnC, turnEditor, turnRef, turnAfter}, "Reference ‘nosuch’ not found in this buffer"},
		{"comment target", "a", []string{turnEditor + comment, a, turnRef + next, turnAfter}, "Reference ‘a’ not found in this buffer"},
		{"self under comment", "ref", []string{turnEditor + comment, turnRef + next, turnAfter}, "Reference ‘ref’ not found in this buffer"},
		{"raw results between", "nosuch", []string{turnEditor, "#+name: raw\n#+begin_src sh :results raw\necho raw\n#+end_src\n", turnRef, turnAfter}, ""},
		{"wrapped results between", "nosuch", []string{turnEditor, "#+name: w\n#+begin_src sh :wrap example\necho w\n#+end_src\n", turnRef, turnAfter}, ""},
		{"reference between", "nosuch", []string{turnEditor, "#+name: r\n#+begin_src sh :var y=c\necho r\n#+end_src\n", turnRef, turnAfter, turnC}, ""},
		{"reference before in ref", "c y=nosuch", []string{turnEditor, turnRef, turnAfter, turnC}, ""},
		// Lisp run before ref that may put the name in the Library of
		// Babel or Org's ID list, where org-babel-ref-resolve looks
		// after the buffer; these reports hold no entry: Emacs may run on.
		{"library of babel ingested", "nosuch", []string{lobEditor("(org-babel-lob-ingest \"lib.org\")"), turnRef, turnAfter}, ""},
		{"library of babel pushed", "nosuch", []string{lobEditor("(push (list 'nosuch \"emacs-lisp\" \"42\" nil \"\" \"nosuch\" 0) org-babel-library-of-babel)"), turnRef, turnAfter}, ""},
		{"ID list set", "nosuch", []string{lobEditor("(org-id-add-location \"nosuch\" \"ids.org\")"), turnRef, turnAfter}, ""},
		{"library of babel before the editor", "nosuch", []string{"#+name: lob\n#+begin_src emacs-lisp :results silent\n(org-babel-lob-ingest \"lib.org\")\n#+end_src\n", turnEditor, turnRef, turnAfter}, ""},
		{"Lisp :var value before", "nosuch", []string{"#+name: lisp\n#+begin_src sh :var y=(org-babel-lob-ingest \"lib.org\")\necho $y\n#+end_src\n", turnEditor, turnRef, turnAfter}, ""},
		{"buffer edits before", "nosuch", []string{lobEditor("(save-excursion (goto-char (point-min)) (while (search-forward \"zz\" nil t) (replace-match \"yy\")))"), turnRef, turnAfter}, "Reference ‘nosuch’ not found in this buffer"},
	} {
		e, task := editedBlocks(t, tc.blocks, rewrite(tc.value))
		d := e.Decide(task["after"])
		if d.Kind != Fails || d.Stop != tc.stop || !strings.Contains(d.Why, "block ref") {
			t.Errorf("%s: after: %v %q (stop %q); want it to fail naming ref, stopping with %q", tc.what, d.Kind, d.Why, d.Stop, tc.stop)
		}
		if d := e.Decide(task["editor"]); d.Kind != Kept {
			t.Errorf("%s: editor: %v %q; want it kept", tc.what, d.Kind, d.Why)
		}
	}
}

// TestBufferEditsRefusedTurnMissingAfterTableReader: ref1, a block
// :eval never refuses, before ref2, whose :var an Emacs Lisp block
// rewrote into a reference naming nothing: ref1's :var, rewritten into a
// reference to a named table, reads the table and runs nothing, so it
// writes no name, and Emacs stops at ref2 with Reference ‘nosuch’ not
// found in this buffer (stop_elisp_ref_eval_no_table_reader_before.org,
// ref2 last: _table_reader_before_last.org).
// Before, any :var reference counted as a block that may write a name,
// and Borges said it did not know.
func TestBufferEditsRefusedTurnMissingAfterTableReader(t *testing.T) {
	const (
		ref1 = "#+name: tbl\n| 1 |\n\n#+name: ref1\n#+begin_src sh :var x=5 :eval never\necho ref1\n#+end_src\n"
		mid  = "#+name: mid\n#+begin_src sh\necho mid\n#+end_src\n"
		ref2 = "#+name: ref2\n#+begin_src sh :var x=5 :eval no\necho ref2\n#+end_src\n"
		stop = "Reference ‘nosuch’ not found in this buffer"
	)
	rewrite := func(i int, b string) string {
		switch b {
		case ref1:
			return strings.Replace(b, ":var x=5 ", ":var x=tbl ", 1)
		case ref2:
			return strings.Replace(b, ":var x=5 ", ":var x=nosuch ", 1)
		}
		return b
	}
	e, task := editedBlocks(t, []string{turnEditor, ref1, mid, ref2, turnAfter}, rewrite)
	if d := e.Decide(task["after"]); d.Kind != Fails || d.Stop != stop || !strings.Contains(d.Why, "block ref2") {
		t.Errorf("after: %v %q (stop %q); want it to fail naming ref2, stopping with %q", d.Kind, d.Why, d.Stop, stop)
	}
	if d := e.Decide(task["mid"]); d.Kind != Kept {
		t.Errorf("mid: %v %q; want it kept", d.Kind, d.Why)
	}
	e, _ = editedBlocks(t, []string{turnEditor, ref1, ref2}, rewrite)
	if s, ok := e.EndStop(); !ok || s.Stop != stop || s.Name != "ref2" {
		t.Errorf("ref2 last: EndStop %+v %v; want ref2's stop with %q", s, ok, stop)
	}
}

// TestBufferEditsRefusedEndStop: ref, a block :eval no refuses whose
// :var an Emacs Lisp block rewrote into a reference to ref itself, is
// the last block of the document (stop_elisp_ref_self_eval_no_last.org):
// no task stands after it to fail with Emacs's stop, so EndStop gives
// it, naming ref, for the document's notes. With a task after ref, that
// task fails so and EndStop gives none; nor does it where ref's reading
// stops nothing.
func TestBufferEditsRefusedEndStop(t *testing.T) {
	self := func(_ int, b string) string { return strings.Replace(b, ":var x=5 ", ":var x=ref ", 1) }
	e, _ := editedBlocks(t, []string{turnFirst, turnEditor, turnRef}, self)
	s, ok := e.EndStop()
	if !ok || s.Stop != DepthExceeded || s.Name != "ref" || !strings.Contains(s.Note(), "block ref") || !strings.Contains(s.Note(), DepthExceeded) {
		t.Errorf("ref last: EndStop %+v %v (%q); want ref's stop with %q", s, ok, s.Note(), DepthExceeded)
	}
	e, _ = editedBlocks(t, []string{turnFirst, turnEditor, turnRef}, func(_ int, b string) string { return strings.Replace(b, ":var x=5 ", ":var x=nosuch ", 1) })
	if s, ok := e.EndStop(); !ok || s.Stop != "Reference ‘nosuch’ not found in this buffer" {
		t.Errorf("ref last, missing: EndStop %+v %v; want the reference not found", s, ok)
	}
	e, _ = editedBlocks(t, []string{turnFirst, turnEditor, turnRef, turnAfter}, self)
	if s, ok := e.EndStop(); ok {
		t.Errorf("after ref: EndStop %+v; want none (after fails with the stop)", s)
	}
	e, _ = editedBlocks(t, []string{turnFirst, turnEditor, turnRef}, func(_ int, b string) string { return b })
	if s, ok := e.EndStop(); ok {
		t.Errorf("ref as submitted: EndStop %+v; want none", s)
	}
	e, _ = editedBlocks(t, []string{turnFirst, turnRef, turnEditor}, self)
	if s, ok := e.EndStop(); ok {
		t.Errorf("editor after ref: EndStop %+v; want none", s)
	}
}

// TestBufferEditsQueryReaderStops: an Emacs Lisp block rewrites the
// :var x=a of ref, a block :eval query asks about, into :var x=ref
// (stop_elisp_ref_self_eval_query.org). Emacs resolves ref's :var
// values before it asks, and stops there with DepthExceeded: the run of
// a the submitted plan makes at ref's turn for its reference fails with
// that stop, naming ref, rather than run (the plan's stop, the question,
// coming after it). With ref's reference left to a, it is kept.
func TestBufferEditsQueryReaderStops(t *testing.T) {
	const ref = "#+name: ref\n#+begin_src sh :var x=a :eval query\necho ref\n#+end_src\n"
	const a = "#+name: a\n#+begin_src sh\necho a\n#+end_src\n"
	blocks := []string{turnEditor, ref, a, turnAfter}
	e, task := editedBlocks(t, blocks, func(_ int, b string) string { return strings.Replace(b, ":var x=a ", ":var x=ref ", 1) })
	run := task["ref :var x=a"]
	if run == nil {
		t.Fatalf("no run of a for ref: %v", task)
	}
	if d := e.Decide(run); d.Kind != Fails || d.Stop != DepthExceeded || !strings.Contains(d.Why, "block ref") {
		t.Errorf("the run of a for ref: %v %q (stop %q); want it to fail naming ref, stopping with %q", d.Kind, d.Why, d.Stop, DepthExceeded)
	}
	e, task = editedBlocks(t, blocks, func(_ int, b string) string {
		return strings.Replace(b, "(message \"edit\")", "(message \"other\")", 1)
	})
	if d := e.Decide(task["ref :var x=a"]); d.Kind != Kept {
		t.Errorf("ref as submitted: the run of a for ref: %v %q; want it kept", d.Kind, d.Why)
	}
}

// TestBufferEditsRefusedTurnLispRuns: an Emacs Lisp block rewrites the
// :var x=5 of ref, a block :eval no refuses, into Lisp forms. The tasks
// after ref (its own run, and the Lisp :var value of a block after it)
// wait for a run of each form in the document's Emacs at ref's turn,
// chained in order, whose failure stops the document at ref
// (RefusedReaders): the same runs each time Edits is asked. Where ref
// reads something else Borges does not evaluate (a form that may change
// the buffer), or a refused block whose reading stops Emacs
// surely stands after ref, the block after fails saying Borges does
// not know whether Emacs stops at ref. Before, it always failed so
// (stop_elisp_ref_eval_no_lisp.org).
func TestBufferEditsRefusedTurnLispRuns(t *testing.T) {
	rewrite := func(value string) func(int, string) string {
		return func(_ int, b string) string {
			return strings.Replace(b, ":var x=5 ", ":var "+value+" ", 1)
		}
	}
	const lispAfter = "#+name: later\n#+begin_src sh :var y=(+ 1 2)\necho $y\n#+end_src\n"
	e, task := editedBlocks(t, []string{turnEditor, turnRef, turnAfter, lispAfter}, rewrite(`x=(error "boom") y=1 z=(setq my-count 2)`))
	d := e.Decide(task["after"])
	if d.Kind != Changed || len(d.Runs) != 2 {
		t.Fatalf("after: %v %q, runs %d; want it to wait for two runs", d.Kind, d.Why, len(d.Runs))
	}
	first, second := d.Runs[0], d.Runs[1]
	if first.lispVar.form != `(error "boom")` || second.lispVar.form != "(setq my-count 2)" {
		t.Errorf("runs: %q, %q; want the forms in order", first.lispVar.form, second.lispVar.form)
	}
	if !first.FailureStops || first.Session == nil || first.Session.Key != task["editor"].Session.Key || !slices.Contains(first.After, "editor") {
		t.Errorf("first run: stops %v, session %v, after %q; want it in the document's Emacs after editor, stopping", first.FailureStops, first.Session, first.After)
	}
	if at, ok := first.FirstRefusedReader(); !ok || at.Line != e.exes[1].Line || at.Index != e.exes[1].Index || e.exes[1].Name != "ref" {
		t.Errorf("first run: refused reader %v %v; want ref's place", at, ok)
	}
	if !slices.Contains(second.After, first.Block) {
		t.Errorf("second run after %q; want it after %s", second.After, first.Block)
	}
	if !slices.Contains(d.Task.After, first.Block) || !slices.Contains(d.Task.After, second.Block) {
		t.Errorf("after waits for %q; want the runs", d.Task.After)
	}
	if again := e.Decide(task["after"]); len(again.Runs) != 2 || again.Runs[0] != first {
		t.Errorf("asked again: runs %v; want the same", again.Runs)
	}
	for _, o := range e.old.Tasks {
		if o.LispVarOf() == "later" {
			if d := e.Decide(o); d.Kind != Changed || !slices.Contains(d.Task.After, second.Block) {
				t.Errorf("%s: %v %q; want it after the runs", o.Block, d.Kind, d.Why)
			}
		}
	}
	if d := e.Decide(task["editor"]); d.Kind != Kept {
		t.Errorf("editor: %v %q; want it kept (before ref)", d.Kind, d.Why)
	}
	for _, value := range []string{`x=(shell-command "touch f")`, `x=(+ 1 2) y=(insert "x")`} {
		e, task := editedBlocks(t, []string{turnEditor, turnRef, turnAfter}, rewrite(value))
		if d := e.Decide(task["after"]); d.Kind != Fails || len(d.Runs) != 0 || !strings.Contains(d.Why, "does not know") {
			t.Errorf("%s: after: %v %q; want it to fail saying Borges does not know", value, d.Kind, d.Why)
		}
	}
	// A refused block whose reading surely stops Emacs after ref's
	// forms: which stop comes first only their run tells.
	const two = "#+name: two\n#+begin_src sh :var w=5 :eval no\necho w\n#+end_src\n"
	e, task = editedBlocks(t, []string{turnEditor, turnRef, two, turnAfter}, func(i int, b string) string {
		return strings.Replace(rewrite(`x=(error "boom")`)(i, b), ":var w=5 ", ":var w=nosuch ", 1)
	})
	if d := e.Decide(task["after"]); d.Kind != Fails || d.Stop != "" || !strings.Contains(d.Why, "does not know") || !strings.Contains(d.Why, "block ref") {
		t.Errorf("with two after ref: after: %v %q (stop %q); want it to fail saying Borges does not know about ref", d.Kind, d.Why, d.Stop)
	}
}

// TestBufferEditsRefusedTurnOtherReference: an Emacs Lisp block rewrites
// the :var x=first of ref, a block :eval no refuses, into :var x=c, a
// reference to another block (rerun_elisp_ref_eval_no_failing.org).
// Emacs runs c at ref's turn; the plan made a run of first there, for
// ref as submitted, and plans none of c. The block after ref fails
// saying Borges does not know what Emacs does at ref, rather than run
// as if ref had read first. Before, it ran, c never run at ref's turn.
func TestBufferEditsRefusedTurnOtherReference(t *testing.T) {
	ref := strings.Replace(turnRef, ":var x=5", ":var x=first", 1)
	e, task := editedBlocks(t, []string{turnFirst, turnEditor, ref, turnAfter, turnC}, func(_ int, b string) string {
		return strings.Replace(b, ":var x=first", ":var x=c", 1)
	})
	if d := e.Decide(task["after"]); d.Kind != Fails || d.Stop != "" || !strings.Contains(d.Why, "block ref") || !strings.Contains(d.Why, "does not know") {
		t.Errorf("after: %v %q (stop %q); want it to fail saying Borges does not know what Emacs does at ref", d.Kind, d.Why, d.Stop)
	}
	// As submitted: ref reads first, whose run the plan makes.
	e, task = editedBlocks(t, []string{turnFirst, turnEditor, ref, turnAfter, turnC}, func(_ int, b string) string { return b })
	if d := e.Decide(task["after"]); d.Kind != Kept {
		t.Errorf("ref as submitted: after: %v %q; want it kept", d.Kind, d.Why)
	}
}

// TestBufferEditsRefusedTurnLispRunMovedLines: lines added before ref
// in the Org buffer (an earlier block's results, the usual case) move
// ref there; the program of the run of its rewritten form is built from
// the buffer's block, at its place there. Before, the run named ref's
// submitted line, and building it failed with "task ref does not match
// the document" (stop_elisp_ref_eval_no_lisp_after_results.org).
func TestBufferEditsRefusedTurnLispRunMovedLines(t *testing.T) {
	e, task := editedBlocks(t, []string{turnEditor, turnRef, turnAfter}, func(i int, b string) string {
		switch i {
		case 0:
			return b + "\nan inserted line\nanother\n"
		case 1:
			return strings.Replace(b, ":var x=5 ", ":var x=(+ 1 2) ", 1)
		}
		return b
	})
	d := e.Decide(task["after"])
	if d.Kind != Changed || len(d.Runs) != 1 {
		t.Fatalf("after: %v %q, runs %d; want it to wait for one run", d.Kind, d.Why, len(d.Runs))
	}
	prog, err := RenderIn(e.Doc, d.Runs[0], nil, nil)
	if err != nil {
		t.Fatalf("the run's program: %v", err)
	}
	if !strings.Contains(prog, "(+ 1 2)") {
		t.Errorf("the run's program does not evaluate the form:\n%s", prog)
	}
}

// TestBufferEditsRefusedTurnLibraryEntry: ref, a block :eval no whose
// :var x=5 an Emacs Lisp block rewrote into a reference: to an entry of
// pure Emacs Lisp the report's Library of Babel holds, the turn waits
// for a run evaluating its body, as Emacs runs the entry there
// (stop_elisp_ref_eval_no_lob.org, _lob_error.org); to a shell entry
// or to a block of the buffer, which Emacs runs there too and Borges
// plans no run of at that turn, the block after ref fails saying Borges
// does not know (stop_elisp_ref_eval_no_lob_writes.org,
// _block_writes.org): before, the block ran as if ref's reading ran
// nothing.
func TestBufferEditsRefusedTurnLibraryEntry(t *testing.T) {
	const logger = "#+name: logger\n#+begin_src sh :results silent\necho ran >> log.txt\n#+end_src\n"
	for _, tc := range []struct {
		what, value string
		library     []org.LibraryEntry
		blocks      []string
		form        string // the run's form; "" for a failure saying Borges does not know
	}{
		// Wrapped as Emacs wraps it, "(progn %s\n)" (review F4).
		{"pure entry", "nosuch", []org.LibraryEntry{{Name: "nosuch", Lang: "emacs-lisp", Body: "42"}}, []string{turnEditor, turnRef, turnAfter}, "(progn 42\n)"},
		{"shell entry", "nosuch", []org.LibraryEntry{{Name: "nosuch", Lang: "sh", Body: "echo ran >> log.txt"}}, []string{turnEditor, turnRef, turnAfter}, ""},
		{"entry reading the buffer", "nosuch", []org.LibraryEntry{{Name: "nosuch", Lang: "emacs-lisp", Body: "(buffer-string)"}}, []string{turnEditor, turnRef, turnAfter}, ""},
		{"block of the buffer", "logger", nil, []string{turnEditor, turnRef, logger, turnAfter}, ""},
		// Emacs expands noweb references in the body (running <<x()>>'s block): review F2.
		{"entry :noweb yes", "nosuch", reportedLibrary(t, `"nosuch" "emacs-lisp" "42" 1`+"\n:noweb s \"yes\"\n"), []string{turnEditor, turnRef, turnAfter}, ""},
		{"entry :noweb no", "nosuch", reportedLibrary(t, `"nosuch" "emacs-lisp" "42" 1`+"\n:noweb s \"no\"\n"), []string{turnEditor, turnRef, turnAfter}, "(progn 42\n)"},
	} {
		e, task := editedBlocksLibrary(t, tc.blocks, func(_ int, b string) string {
			return strings.Replace(b, ":var x=5 ", ":var x="+tc.value+" ", 1)
		}, tc.library)
		d := e.Decide(task["after"])
		if tc.form == "" {
			if d.Kind != Fails || d.Stop != "" || !strings.Contains(d.Why, "does not know") || !strings.Contains(d.Why, "block ref") {
				t.Errorf("%s: after: %v %q (stop %q); want it to fail saying Borges does not know", tc.what, d.Kind, d.Why, d.Stop)
			}
			continue
		}
		if len(d.Runs) != 1 || d.Runs[0].lispVar == nil || d.Runs[0].lispVar.form != tc.form || !d.Runs[0].FailureStops {
			t.Errorf("%s: after: %v %q, runs %v; want one run of %s whose failure stops", tc.what, d.Kind, d.Why, d.Runs, tc.form)
		}
	}
}

// reportedLibrary is the Library of Babel entries of a buffer report
// whose entry lines are lines.
func reportedLibrary(t *testing.T, lines string) []org.LibraryEntry {
	t.Helper()
	n := strings.Count(lines, "\n")
	r, err := org.ParseBufferReport(fmt.Sprintf("0 0 3 %d\nblock 0\ninline 0\nlob 0\n%s", n, lines))
	if err != nil {
		t.Fatal(err)
	}
	return r.Library
}

// editedBlocksLibrary is editedBlocks with the report holding library,
// the Library of Babel entries the document's Emacs reports.
func editedBlocksLibrary(t *testing.T, blocks []string, edit func(i int, b string) string, library []org.LibraryEntry) (*Edits, map[string]*Task) {
	t.Helper()
	doc, p, task := planned(t, "* T\n\n"+strings.Join(blocks, "\n"))
	edited := make([]string, len(blocks))
	for i, b := range blocks {
		edited[i] = edit(i, b)
	}
	r := bufferReport(t, len(blocks), "", edited, len("* T\n\n"), "* T\n\n"+strings.Join(edited, "\n"))
	for i := range r.Marks[:len(blocks)] {
		r.Marks[i].Changed = edited[i] != blocks[i]
	}
	r.Library = library
	e, err := BufferEdits(doc, p, r, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	return e, task
}
