package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// laterRefEditor and laterRefRest make the document of plan testdata/
// rerun_elisp_ref_later_block.org: an Emacs Lisp block rewrites ref's
// :var x=a into :var x=b (the report says so), b standing after ref and
// reading what w, a block between, writes.
const laterRefEditor = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(ignore)\n#+end_src\n\n"

func laterRefRest(ref string) string {
	return "#+name: a\n#+begin_src sh\necho from-a\n#+end_src\n\n" +
		"#+name: ref\n#+begin_src sh :var x=" + ref + "\necho \"got [$x]\"\n#+end_src\n\n" +
		"#+name: w\n#+begin_src sh\necho written > fi.txt\n#+end_src\n\n" +
		"#+name: b\n#+begin_src sh\ncat fi.txt 2>/dev/null || echo none\n#+end_src\n"
}

// laterRefOutputs are what each task of that document prints: b's new
// run for ref's reference, made before w, prints none; b's own, after
// w, what w wrote. The run of a for ref's reference as submitted (ref
// :var x=a) is none of them: Emacs never makes it, and laterRefRun
// fails the test should it launch.
var laterRefOutputs = map[string]string{"a": "from-a\n", "ref :var x=b": "none\n",
	"ref": "got [none]\n", "w": "", "b": "written\n"}

// laterRefRun submits that document, has the editor's report rewrite
// ref's :var, and answers every launch after it (laterRefOutputs) until
// the document ends, unless stopAt names a launch, left unanswered: it
// returns then. It returns the launches answered, in order.
func laterRefRun(t *testing.T, e *Engine, rb *reportBackend, id, stopAt string) []*Attempt {
	t.Helper()
	ed := launchOf(t, rb.fakeBackend, "editor", 1)
	rb.rmu.Lock()
	rb.reports[ed.ID] = marksReport(t, laterRefEditor+laterRefRest("b"), "", 2)
	rb.rmu.Unlock()
	finish(rb.fakeBackend, ed, Finished, 0)
	done := map[string]bool{ed.ID: true}
	return driveLaunches(t, e, rb, id, done, func(a *Attempt) (string, bool) {
		if a.Block == stopAt {
			return "", true
		}
		out, ok := laterRefOutputs[a.Block]
		if !ok {
			t.Fatalf("launched %q: the run for ref's reference as submitted, or a task the document has not", a.Block)
		}
		if a.Block == "ref" && !strings.Contains(a.Script, "none") {
			t.Errorf("ref runs without b's new run's value: %q", a.Script)
		}
		return out, false
	})
}

// laterRefWant is the document written back: ref as the buffer holds
// it, its results given b's run at the reference.
const laterRefWant = laterRefEditor +
	"#+name: a\n#+begin_src sh\necho from-a\n#+end_src\n\n#+RESULTS: a\n: from-a\n\n" +
	"#+name: ref\n#+begin_src sh :var x=b\necho \"got [$x]\"\n#+end_src\n\n#+RESULTS: ref\n: got [none]\n\n" +
	"#+name: w\n#+begin_src sh\necho written > fi.txt\n#+end_src\n\n#+RESULTS: w\n\n" +
	"#+name: b\n#+begin_src sh\ncat fi.txt 2>/dev/null || echo none\n#+end_src\n\n#+RESULTS: b\n: written\n"

// TestElispRefToLaterBlockRuns: an Emacs Lisp block rewrites the
// referrer's :var x=a into :var x=b, b standing after the referrer and
// reading what a block between writes (plan testdata/
// rerun_elisp_ref_later_block.org). Emacs runs b at the reference,
// before that block: so does Borges, a run of its own made at ref's
// turn, before ref, whose value ref gets, b's own run after the writer;
// the results document is Emacs's, and a server started again writes it
// alike, running nothing again. The run of a the submitted plan made for
// ref's reference as submitted (ref :var x=a) is not launched: Emacs
// never makes it (review F1: it ran beside the Emacs Lisp block).
func TestElispRefToLaterBlockRuns(t *testing.T) {
	dir, rb, e, stop, id := startSubmitted(t, laterRefEditor+laterRefRest("a"))
	var order []string
	for _, a := range laterRefRun(t, e, rb, id, "") {
		order = append(order, a.Block)
	}
	d := waitDocumentEnded(t, e, id)
	run, ref := slices.Index(order, "ref :var x=b"), slices.Index(order, "ref")
	if run < 0 || ref < 0 || run > ref {
		t.Fatalf("launches %v: b's run for ref's reference not before ref", order)
	}
	for _, n := range []string{"a", "w", "b", "ref", "ref :var x=b"} {
		if c := count(order, n); c != 1 {
			t.Errorf("%s launched %d times (%v), want once", n, c, order)
		}
	}
	if v := blockViewNamed(d, "ref :var x=a"); len(v.Instances) == 0 || v.Instances[0].Attempts != 0 || !strings.Contains(v.Instances[0].Message, "not run") {
		t.Errorf("the run for ref's reference as submitted: %+v, want it not run, saying so", v)
	}
	if v := blockViewNamed(d, "ref"); v.State != Finished {
		t.Fatalf("ref: %+v", v)
	}
	checkWrittenAlike(t, e, stop, dir, rb, id, laterRefWant)
}

// startSubmitted starts an engine on a new store (dir) with a report
// backend, and submits doc to it (id).
func startSubmitted(t *testing.T, doc string) (dir string, rb *reportBackend, e *Engine, stop func(), id string) {
	t.Helper()
	dir, rb = t.TempDir(), newReportBackend()
	e, stop = startEngine(t, dir, rb, Config{})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return dir, rb, e, stop, v.ID
}

// checkWrittenAlike checks that e writes document id's results as want,
// and that a server started again on dir once e is stopped writes them
// alike, launching nothing.
func checkWrittenAlike(t *testing.T, e *Engine, stop func(), dir string, rb *reportBackend, id, want string) {
	t.Helper()
	live, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if live != want {
		t.Fatalf("results document:\n%s\nwant\n%s", live, want)
	}
	l := len(rb.launches())
	stop()
	if again, l2 := restartedResults(t, dir, rb, id); again != live || l2 != l {
		t.Errorf("after a restart %d attempts and\n%s\nwant %d and (live)\n%s", l2, again, l, live)
	}
}

// ed is the editor's launch.
func ed(t *testing.T, rb *reportBackend) *Attempt { return launchOf(t, rb.fakeBackend, "editor", 1) }

// count is how many of list are s.
func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// TestElispRefToLaterBlockRunRestart: a server stopped while b's new run
// for ref's reference runs (TestElispRefToLaterBlockRuns) and started
// again knows that run from its stored state, decided again from the
// same report: it takes its attempt up rather than run b there again,
// and ref gets its value; the results document is the one a server
// running through writes.
func TestElispRefToLaterBlockRunRestart(t *testing.T) {
	dir, rb, e, stop, id := startSubmitted(t, laterRefEditor+laterRefRest("a"))
	done := map[string]bool{ed(t, rb).ID: true}
	for _, a := range laterRefRun(t, e, rb, id, "ref :var x=b") {
		done[a.ID] = true
	}
	stop()
	e2, stop2 := startEngine(t, dir, rb, Config{})
	t.Cleanup(stop2)
	run := launchOf(t, rb.fakeBackend, "ref :var x=b", 1)
	rb.setOutput(run.ID, laterRefOutputs[run.Block])
	finish(rb.fakeBackend, run, Finished, 0)
	done[run.ID] = true
	// What is still to run after it, answered.
	driveLaunches(t, e2, rb, id, done, func(a *Attempt) (string, bool) {
		if a.Block == "ref :var x=b" {
			t.Fatalf("b's run for ref's reference launched again (%s)", a.ID)
		}
		if a.Block == "ref" && !strings.Contains(a.Script, "none") {
			t.Errorf("ref runs without b's new run's value: %q", a.Script)
		}
		return laterRefOutputs[a.Block], false
	})
	got, err := e2.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != laterRefWant {
		t.Fatalf("results document:\n%s\nwant\n%s", got, laterRefWant)
	}
}

// answerLaunches finishes every launch of document id past the first
// from, its output what answer gives, until the document has ended, and
// returns how many times each block was launched among them. Bounded:
// polls for at most a minute.
func answerLaunches(t *testing.T, e *Engine, rb *reportBackend, id string, from int, answer func(*Attempt) string) map[string]int {
	t.Helper()
	done := map[string]bool{}
	for _, a := range rb.launches()[:from] {
		done[a.ID] = true
	}
	launched := map[string]int{}
	for _, a := range driveLaunches(t, e, rb, id, done, func(a *Attempt) (string, bool) { return answer(a), false }) {
		launched[a.Block]++
	}
	return launched
}

// driveLaunches finishes the launches of document id that done does not
// hold, in the order launched, their output what answer gives, until
// the document has ended, or answer says stop (that launch left
// unanswered): it marks those it finished done and returns them, in
// order. Bounded: polls for at most a minute.
func driveLaunches(t *testing.T, e *Engine, rb *reportBackend, id string, done map[string]bool, answer func(*Attempt) (out string, stop bool)) []*Attempt {
	t.Helper()
	var order []*Attempt
	for polls := 0; ; polls++ {
		if polls >= 12000 {
			t.Fatalf("after %d polls, launches %v and the document not ended", polls, order)
		}
		if d, _ := e.Document(id); d != nil && d.State != Running && d.State != Queued {
			return order
		}
		answered := false
		for _, a := range rb.launches() {
			if done[a.ID] {
				continue
			}
			out, stop := answer(a)
			if stop {
				return order
			}
			done[a.ID], answered = true, true
			order = append(order, a)
			rb.setOutput(a.ID, out)
			finish(rb.fakeBackend, a, Finished, 0)
		}
		if !answered {
			time.Sleep(5 * time.Millisecond)
		}
	}
}
