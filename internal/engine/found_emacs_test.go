package engine

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A document with Emacs Lisp blocks (run in the document's Emacs) is
// searched for blocks in the results written as one without (found.go's
// searchesBesideEmacs) where none of that Emacs's tasks has changed its
// buffer, every task of it before the blocks found has ended and none
// after them has run (plan.FoundAfterEmacs): those wait for the blocks
// found and put their results in its buffer. Otherwise it is searched
// for a stop only (foundStopBesideEmacs): these tests show that then no
// block found runs however the document runs, nor is one added on a
// reload where the live engine added none, while a block found before
// an Emacs's last task that launches nothing (a reading of a block's
// output, at that block's turn) runs before it; a block of no language found stops the Emacs
// Lisp blocks after it, as in Emacs, while no Emacs Lisp block has
// changed the buffer (found so before a task of that Emacs, the blocks
// found before it run: TestFoundRunsThenStopBeforeEmacs).

// foundEmacsDoc has Emacs Lisp blocks that edit nothing in the Org
// buffer, around shell blocks whose results hold blocks Emacs finds.
const foundEmacsDoc = "Blocks in the results a shell block has just written, in a document\nthat also has an Emacs Lisp block, which edits nothing.\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n" +
	"#+begin_src sh :results code\necho 'echo nested'\n#+end_src\nText right after.\n\n" +
	"#+begin_src sh :results raw\necho 'src_sh{echo inline}'\n#+end_src\nText after the raw.\n\n" +
	"#+begin_src emacs-lisp\n(* 2 3)\n#+end_src\n"

// foundEmacsSearched is foundEmacsDoc as Emacs writes it: the blocks
// found in the shell blocks' results run before the Emacs Lisp block
// after them (found_before_emacs.org of internal/plan).
const foundEmacsSearched = "Blocks in the results a shell block has just written, in a document\nthat also has an Emacs Lisp block, which edits nothing.\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+RESULTS:\n: 3\n\n" +
	"#+begin_src sh :results code\necho 'echo nested'\n#+end_src\n\n#+RESULTS:\n#+begin_src sh\necho nested\n#+end_src\n\n#+RESULTS:\n: nested\n\nText right after.\n\n" +
	"#+begin_src sh :results raw\necho 'src_sh{echo inline}'\n#+end_src\n\n#+RESULTS:\nsrc_sh{echo inline} {{{results(=inline=)}}}\n\nText after the raw.\n\n" +
	"#+begin_src emacs-lisp\n(* 2 3)\n#+end_src\n\n#+RESULTS:\n: 6\n"

// foundEmacsOutputs answers foundEmacsDoc's launches.
var foundEmacsOutputs = []progOutput{
	{"(+ 1 2)", "3"},
	{"(* 2 3)", "6"},
	{"echo 'echo nested'", "echo nested\n"},
	{"echo 'src_sh{echo inline}'", "src_sh{echo inline}\n"},
	{"echo nested", "nested\n"},
	{"echo inline", "inline\n"},
}

// checkNoneAdded fails the test if document id of e lists a block added
// to it (found in results or added by an Emacs Lisp block).
func checkNoneAdded(t *testing.T, e *Engine, id string) {
	t.Helper()
	v, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range v.Blocks {
		if b.AddedBy != "" {
			t.Errorf("block %s added by %s: a document with Emacs Lisp blocks is not searched", b.Name, b.AddedBy)
		}
	}
}

// TestFoundBeforeEmacsLispRestarted: in a document whose Emacs Lisp
// blocks edit nothing, the blocks found in the results written before
// an Emacs Lisp block run before it, as Emacs runs them; running that
// block again (its session from its first block) leaves the same text,
// and a server started again on the same store shows the document
// finished with that text, launching nothing.
func TestFoundBeforeEmacsLispRestarted(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	id := checkFoundRun(t, e, rb, foundEmacsDoc, foundEmacsOutputs, 6, foundEmacsSearched)
	if err := e.RestartBlock(context.Background(), id, "block-4"); err != nil {
		t.Fatal(err)
	}
	// The session runs again from its first block: block-1, block-4.
	for n, want := range []struct{ block, out string }{{"block-1", "3"}, {"block-4", "6"}} {
		ls := waitLaunches(t, rb.fakeBackend, 7+n)
		if len(ls) < 7+n {
			t.Fatalf("%d launches, want %d", len(ls), 7+n)
		}
		a := ls[6+n]
		if a.Block != want.block {
			t.Fatalf("launch %d is of %s, want %s", 7+n, a.Block, want.block)
		}
		rb.setOutput(a.ID, want.out)
		finish(rb.fakeBackend, a, Finished, 0)
	}
	waitDocumentFinished(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != foundEmacsSearched {
		t.Fatalf("results document after the restart:\n%s\nwant:\n%s", got, foundEmacsSearched)
	}
	stop()
	if again, l := restartedResults(t, dir, rb, id); again != foundEmacsSearched || l != 8 {
		t.Errorf("after a restart %d attempts and\n%s\nwant 8 and\n%s", l, again, foundEmacsSearched)
	}
}

// TestFoundRunsWhenEmacsEndsUnlaunched: the Emacs's last task launching
// nothing (the reading of a JavaScript value block's output, not needed)
// stands at its block's turn, after the block found in the shell block's
// results (plan's taskPlaces: Babel reads the output in the block's
// run), so that block runs beside that Emacs, before it, as Emacs runs
// it, and the results document holds its results; live and reloaded,
// launching nothing more. It stood nowhere once: the block found was
// not run, and the results document refused (org.ErrFoundNotPlaced).
func TestFoundRunsWhenEmacsEndsUnlaunched(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	doc := "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n" +
		"#+begin_src sh :results code\necho 'echo nested'\n#+end_src\nText right after.\n\n" +
		"#+begin_src js\nreturn 1\n#+end_src\n"
	// As Emacs 28.2 writes it.
	want := "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+RESULTS:\n: 3\n\n" +
		"#+begin_src sh :results code\necho 'echo nested'\n#+end_src\n\n#+RESULTS:\n#+begin_src sh\necho nested\n#+end_src\n\n#+RESULTS:\n: nested\n\nText right after.\n\n" +
		"#+begin_src js\nreturn 1\n#+end_src\n\n#+RESULTS:\n: 1\n"
	id := checkFoundRun(t, e, rb, doc, []progOutput{
		{"(+ 1 2)", "3"},
		{"echo 'echo nested'", "echo nested\n"},
		{"return 1", "1\n"},
		{"echo nested", "nested\n"},
	}, 4, want)
	stop()
	if again, l := restartedResults(t, dir, rb, id); again != want || l != 4 {
		t.Errorf("after a restart %d attempts and\n%s\nwant 4 and\n%s", l, again, want)
	}
}

// stopBesideEmacsDoc has a shell block whose raw results hold a block of
// no language, then an Emacs Lisp block, which Emacs does not reach.
const stopBesideEmacsDoc = "#+begin_src sh :results raw\nprintf '#+begin_src nolang\\nx\\n#+end_src\\n'\n#+end_src\nText right after.\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n"

// stopBesideEmacsWant is stopBesideEmacsDoc as Emacs leaves it: stopped at
// the block found ("No org-babel-execute function for nolang!").
const stopBesideEmacsWant = "#+begin_src sh :results raw\nprintf '#+begin_src nolang\\nx\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS:\n#+begin_src nolang\nx\n#+end_src\n\nText right after.\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n"

// stopBesideEmacsWhy is what the Emacs Lisp block of stopBesideEmacsDoc
// says, held by the stop.
const stopBesideEmacsWhy = "not run: org-babel-execute-buffer stopped before it, at the block of language \"nolang\" at line 5 of the Org buffer: \"No org-babel-execute function for nolang!\""

// checkStoppedBesideEmacs checks that document id of e is stopped at the
// block of no language stopBesideEmacsDoc's shell block writes: its
// Emacs Lisp block not run, saying why, the notes saying where it
// stopped, the block found listed not run, saying why, and
// stopBesideEmacsWant as its results.
func checkStoppedBesideEmacs(t *testing.T, e *Engine, id string) {
	t.Helper()
	checkStoppedBesideEmacsAt(t, e, id, "block-2", stopBesideEmacsWhy, stopBesideEmacsWant)
}

// checkStoppedBesideEmacsAt is checkStoppedBesideEmacs for a document
// whose held Emacs Lisp block is held, saying why, and whose results
// document is want.
func checkStoppedBesideEmacsAt(t *testing.T, e *Engine, id, held, why, want string) {
	t.Helper()
	d := waitDocumentEnded(t, e, id)
	var added []BlockView
	for _, b := range d.Blocks {
		if b.AddedBy != "" {
			added = append(added, b)
		}
	}
	if len(added) != 1 || !added[0].Found || added[0].Runnable || !strings.Contains(added[0].Reason, "No org-babel-execute function for nolang!") {
		t.Errorf("blocks added: %+v; want exactly one, the block found that stops the document, not run, saying why", added)
	}
	if msg, ok := blockMessage(d, held); !ok || msg != why {
		t.Errorf("%s: %q; want not run, %q", held, msg, why)
	}
	if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, "stops this document") || !strings.Contains(n, "No org-babel-execute function for nolang!") {
		t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
}

// TestFoundStopBesideEmacsLisp: a block of no language in the results
// written stops a document with Emacs Lisp blocks as Emacs does, while
// no Emacs Lisp block has changed the Org buffer (the search is in the
// document's places): the Emacs Lisp block after it, which waits for the
// shell block's results to put them in its buffer, is never launched,
// and says why; a server started again on the same store shows the same,
// launching nothing.
func TestFoundStopBesideEmacsLisp(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	v, err := e.Submit(context.Background(), stopBesideEmacsDoc)
	if err != nil {
		t.Fatal(err)
	}
	ls := waitLaunches(t, rb.fakeBackend, 1)
	if len(ls) != 1 || !strings.Contains(ls[0].Script, "printf") {
		t.Fatalf("launches: %+v", ls)
	}
	rb.setOutput(ls[0].ID, "#+begin_src nolang\nx\n#+end_src\n")
	finish(rb.fakeBackend, ls[0], Finished, 0)
	checkStoppedBesideEmacs(t, e, v.ID)
	if l := rb.launches(); len(l) != 1 {
		t.Errorf("%d attempts, want 1 (the Emacs Lisp block after the stop not run)", len(l))
	}
	stop()
	e2, stop2 := startEngine(t, dir, rb, Config{})
	t.Cleanup(stop2)
	checkStoppedBesideEmacs(t, e2, v.ID)
	if l := rb.launches(); len(l) != 1 {
		t.Errorf("%d attempts after the reload, want 1 (nothing launched by it)", len(l))
	}
}

// TestFoundStopBesideEmacsLispRestartedAfterPlainBlock: the stop is found
// again by a server started again where the first block that finished
// writes results that cannot hold a block (a plain shell block before
// the raw one): the Emacs Lisp block stays held, saying why, the notes
// say where the document stops, and nothing is launched; the raw block
// run again with plain output then lifts the stop, as on the live server.
func TestFoundStopBesideEmacsLispRestartedAfterPlainBlock(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	doc := "#+begin_src sh\necho first\n#+end_src\n\n" + stopBesideEmacsDoc
	first := "#+begin_src sh\necho first\n#+end_src\n\n#+RESULTS:\n: first\n\n"
	why := strings.Replace(stopBesideEmacsWhy, "at line 5 ", "at line 12 ", 1)
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	// Both shell blocks may run at once: each is answered by its script.
	ls := waitLaunches(t, rb.fakeBackend, 2)
	if len(ls) != 2 {
		t.Fatalf("launches: %+v, want the two shell blocks", ls)
	}
	for _, a := range ls {
		switch {
		case strings.Contains(a.Script, "echo first"):
			rb.setOutput(a.ID, "first\n")
		case strings.Contains(a.Script, "printf"):
			rb.setOutput(a.ID, "#+begin_src nolang\nx\n#+end_src\n")
		default:
			t.Fatalf("launch of %s: %q, want a shell block", a.Block, a.Script)
		}
		finish(rb.fakeBackend, a, Finished, 0)
	}
	checkStoppedBesideEmacsAt(t, e, v.ID, "block-3", why, first+stopBesideEmacsWant)
	stop()
	e2, stop2 := startEngine(t, dir, rb, Config{})
	t.Cleanup(stop2)
	checkStoppedBesideEmacsAt(t, e2, v.ID, "block-3", why, first+stopBesideEmacsWant)
	if l := rb.launches(); len(l) != 2 {
		t.Fatalf("%d attempts after the reload, want 2 (the Emacs Lisp block held)", len(l))
	}
	checkStopBesideEmacsLifted(t, e2, rb, v.ID, "block-2", 2, first)
}

// TestFoundStopBesideEmacsLispLifted: the shell block of
// stopBesideEmacsDoc run again, its new results holding no block, lifts
// the stop: the Emacs Lisp block it held runs, and its results are
// written.
func TestFoundStopBesideEmacsLispLifted(t *testing.T) {
	rb := newReportBackend()
	e, stop := startEngine(t, t.TempDir(), rb, Config{})
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), stopBesideEmacsDoc)
	if err != nil {
		t.Fatal(err)
	}
	ls := waitLaunches(t, rb.fakeBackend, 1)
	rb.setOutput(ls[0].ID, "#+begin_src nolang\nx\n#+end_src\n")
	finish(rb.fakeBackend, ls[0], Finished, 0)
	checkStoppedBesideEmacs(t, e, v.ID)
	checkStopBesideEmacsLifted(t, e, rb, v.ID, "block-1", 1, "")
}

// checkStopBesideEmacsLifted runs again block, the shell block of
// stopBesideEmacsDoc in document id of e (after before, its text, and
// launched attempts in all), with output holding no block, and checks
// that the stop is lifted: the Emacs Lisp block it held runs, and the
// results document is as Emacs writes it.
func checkStopBesideEmacsLifted(t *testing.T, e *Engine, rb *reportBackend, id, block string, launched int, before string) {
	t.Helper()
	if err := e.RestartBlock(context.Background(), id, block); err != nil {
		t.Fatal(err)
	}
	for n, want := range []struct{ script, out string }{{"printf", "plain\n"}, {"(+ 1 2)", "3"}} {
		ls := waitLaunches(t, rb.fakeBackend, launched+1+n)
		if len(ls) != launched+1+n || !strings.Contains(ls[launched+n].Script, want.script) {
			t.Fatalf("launch %d: %+v, want the block of %q", launched+1+n, ls, want.script)
		}
		rb.setOutput(ls[launched+n].ID, want.out)
		finish(rb.fakeBackend, ls[launched+n], Finished, 0)
	}
	waitDocumentFinished(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := before + "#+begin_src sh :results raw\nprintf '#+begin_src nolang\\nx\\n#+end_src\\n'\n#+end_src\n\n#+RESULTS:\nplain\n\nText right after.\n\n" +
		"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+RESULTS:\n: 3\n"
	if got != want {
		t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
}

// TestFoundNoStopBesideEmacsLispBufferChanged: where an Emacs Lisp block
// has changed the Org buffer (it reports it), the results written are
// not searched, whose places are no longer the document's: the block of
// no language in them stops nothing (Emacs stops there; not reproduced),
// and the Emacs Lisp block after it runs.
func TestFoundNoStopBesideEmacsLispBufferChanged(t *testing.T) {
	doc := "#+begin_src emacs-lisp\n(insert \"A line.\\n\")\n#+end_src\n\n" + stopBesideEmacsDoc
	checkNoStopBesideEmacsReported(t, reportText(t, doc, "A line.\n"))
}

// TestFoundNoStopBesideEmacsLispReportUnreadable: a report of the Org
// buffer that cannot be read (here not a report) may be of a changed
// buffer: it counts as a change, not as no report, so the results are
// not searched in the document's places and the block of no language in
// them stops nothing.
func TestFoundNoStopBesideEmacsLispReportUnreadable(t *testing.T) {
	checkNoStopBesideEmacsReported(t, "not a report of a buffer\n")
}

// checkNoStopBesideEmacsReported runs stopBesideEmacsDoc after an Emacs
// Lisp block inserting a line whose attempt reports report as its Org
// buffer, and checks that nothing stops the document: the Emacs Lisp
// block after the block of no language found runs.
func checkNoStopBesideEmacsReported(t *testing.T, report string) {
	t.Helper()
	rb := newReportBackend()
	e, stop := startEngine(t, t.TempDir(), rb, Config{})
	t.Cleanup(stop)
	doc := "#+begin_src emacs-lisp\n(insert \"A line.\\n\")\n#+end_src\n\n" + stopBesideEmacsDoc
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for n, want := range []struct{ script, out string }{{"(insert", "nil"}, {"printf", "#+begin_src nolang\nx\n#+end_src\n"}, {"(+ 1 2)", "3"}} {
		ls := waitLaunches(t, rb.fakeBackend, 1+n)
		if len(ls) != 1+n || !strings.Contains(ls[n].Script, want.script) {
			t.Fatalf("launch %d: %+v, want the block of %q", 1+n, ls, want.script)
		}
		if n == 0 {
			rb.rmu.Lock()
			rb.reports[ls[0].ID] = report
			rb.rmu.Unlock()
		}
		rb.setOutput(ls[n].ID, want.out)
		finish(rb.fakeBackend, ls[n], Finished, 0)
	}
	waitDocumentFinished(t, e, v.ID)
	checkNoneAdded(t, e, v.ID)
	d, err := e.Document(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Join(d.Notes, "\n"); strings.Contains(n, "stops this document") {
		t.Errorf("notes %q: the buffer changed, the results written are not searched", d.Notes)
	}
}

// TestFoundEmacsLispAfterEveryEmacsTask: a block found in the results of
// a shell block that stands after every Emacs Lisp block, none of which
// changed the Org buffer, stands in the buffer where it stands in the
// document's own results, and runs as in a document without Emacs Lisp
// (Emacs writes `: nested` after it), live and on a server started
// again, which launches nothing more.
func TestFoundEmacsLispAfterEveryEmacsTask(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	doc := "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n" +
		"#+begin_src sh :results code\necho 'echo nested'\n#+end_src\nText right after.\n"
	want := "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+RESULTS:\n: 3\n\n" +
		"#+begin_src sh :results code\necho 'echo nested'\n#+end_src\n\n#+RESULTS:\n#+begin_src sh\necho nested\n#+end_src\n\n#+RESULTS:\n: nested\n\nText right after.\n"
	id := checkFoundRun(t, e, rb, doc, []progOutput{
		{"(+ 1 2)", "3"},
		{"echo 'echo nested'", "echo nested\n"},
		{"echo nested", "nested\n"},
	}, 3, want)
	v, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	added := 0
	for _, b := range v.Blocks {
		if b.AddedBy != "" {
			added++
		}
	}
	if added != 1 {
		t.Errorf("%d blocks found in results, want 1", added)
	}
	stop()
	e2, stop2 := startEngine(t, dir, rb, Config{})
	t.Cleanup(stop2)
	got, err := e2.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("results document reloaded:\n%s\nwant:\n%s", got, want)
	}
	if l := rb.launches(); len(l) != 3 {
		t.Errorf("%d attempts after the reload, want 3 (nothing launched by it)", len(l))
	}
}

// answerInOrder answers the launches of fb whose scripts hold the
// programs of order, in that order (waiting for each to be launched,
// and each block to have finished before the next is answered),
// then any other launch with "x\n" until document id of e has finished.
// It returns the results document and the number of launches.
func answerInOrder(t *testing.T, e *Engine, fb *fakeBackend, id string, order []progOutput) (string, int) {
	t.Helper()
	done := map[string]bool{}
	answer := func(a *Attempt, out string) {
		done[a.ID] = true
		fb.setOutput(a.ID, out)
		finish(fb, a, Finished, 0)
	}
	for _, o := range order {
		var a *Attempt
		for i := 0; i < 2000 && a == nil; i++ {
			for _, l := range fb.launches() {
				if !done[l.ID] && strings.Contains(l.Script, o.prog) {
					a = l
					break
				}
			}
			if a == nil {
				time.Sleep(5 * time.Millisecond)
			}
		}
		if a == nil {
			for _, l := range fb.launches() {
				t.Logf("launched %s %v: %q", l.Block, done[l.ID], l.Script[max(0, len(l.Script)-80):])
			}
			t.Fatalf("%q was not launched", o.prog)
		}
		answer(a, o.out)
		waitState(t, e, id, a.Block, Finished)
	}
	for range 4000 {
		if d, _ := e.Document(id); d != nil && d.State == Finished {
			got, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			return got, len(fb.launches())
		}
		for _, l := range fb.launches() {
			if !done[l.ID] {
				answer(l, "x\n")
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("document %s has not finished", id)
	return "", 0
}

// TestFoundBesideEmacsFinishOrder: a block (a) before an Emacs Lisp
// block writes its results after it, to its #+RESULTS: line there, and
// another before it writes a block found before it; whichever of the
// two finishes first (both before the Emacs Lisp block runs, which waits
// for them), and on a server started again, the blocks found run: the
// one found before the Emacs Lisp block before it, the one in a's
// results after it.
func TestFoundBesideEmacsFinishOrder(t *testing.T) {
	doc := "#+name: a\n#+begin_src sh :results code\necho 'echo a'\n#+end_src\n\n" +
		"#+begin_src sh :results code\necho 'echo one'\n#+end_src\nText right after.\n\n" +
		"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n" +
		"#+RESULTS: a\n: old\nText after a's results.\n"
	a := progOutput{"echo 'echo a'", "echo a\n"}
	s1 := progOutput{"echo 'echo one'", "echo one\n"}
	el := progOutput{"(+ 1 2)", "3"}
	f1, fa := progOutput{"echo one", "one\n"}, progOutput{"echo a", "a\n"}
	type outcome struct {
		doc      string
		launches int
	}
	var got []outcome
	for _, order := range [][]progOutput{{s1, a, f1, el, fa}, {a, s1, f1, el, fa}} {
		dir, rb, e, stop, id := submitOnDisk(t, doc)
		res, n := answerInOrder(t, e, rb.fakeBackend, id, order)
		got = append(got, outcome{res, n})
		stop()
		if again, l := restartedResults(t, dir, rb, id); again != res || l != n {
			t.Errorf("%s finished first: after a restart %d launches and\n%s\nwant %d and\n%s", order[0].prog, l, again, n, res)
		}
	}
	if got[0] != got[1] {
		t.Errorf("the block writing before the Emacs Lisp block finished first: %d launches,\n%s\na first: %d launches,\n%s", got[0].launches, got[0].doc, got[1].launches, got[1].doc)
	}
	if got[0].launches != 5 {
		t.Errorf("%d launches, want 5: the two blocks, the Emacs Lisp block and the two blocks found", got[0].launches)
	}
	if !strings.Contains(got[0].doc, "#+begin_src sh\necho one\n#+end_src\n\n#+RESULTS:\n: one\n") {
		t.Errorf("the block found before the Emacs Lisp block has not its results:\n%s", got[0].doc)
	}
}

// TestFoundCallBothSidesRuns: an Emacs Lisp block called with arguments
// before and after a block found in results (internal/plan's
// found_call_both_sides.org): the run made for the reference before stands
// at its caller's turn (plan's taskPlaces leaves out the tasks waiting for
// it only for the order of the document's Emacs), before the block found,
// so that block runs beside that Emacs and its results are written, as
// Emacs 28.2 writes them, where the document was written without them.
func TestFoundCallBothSidesRuns(t *testing.T) {
	d, err := os.ReadFile(filepath.Join("..", "plan", "testdata", "found_call_both_sides.org"))
	if err != nil {
		t.Fatal(err)
	}
	_, rb, e, _, id := submitOnDisk(t, string(d))
	names := map[string]string{"block-3": "before", "block-4": "prints", "block-4-found-1": "nested", "block-5": "after"}
	outs := map[string]string{"before": "before: 2 29\n", "prints": "echo nested\n", "nested": "nested\n", "after": "after: 2 42\n"}
	dr := &rawAppendDriver{t: t, rb: rb, em: newEmacsRunner(t, rb), names: names, outs: outs, done: map[string]bool{}}
	dr.untilFinished(e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := "#+RESULTS:\n#+begin_src sh\necho nested\n#+end_src\n\n#+RESULTS:\n: nested\n\nText right after.\n"
	if !strings.Contains(got, want) {
		t.Fatalf("results document:\n%s\nwant the block found run, its results written as Emacs writes them:\n%s", got, want)
	}
}
