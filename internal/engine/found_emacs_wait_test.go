package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// foundAfterEmacsDoc has a shell block before an Emacs Lisp block,
// which waits for it, that writes its code results under its name after
// that block: the block Emacs finds there stands after every task of the
// document's Emacs (testdata/found_after_emacs_named.org of package
// plan, checked against Emacs).
const foundAfterEmacsDoc = "#+name: a\n#+begin_src sh :results code\necho 'echo nested'\n#+end_src\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\nText between.\n\n#+RESULTS: a\n: old\nText after.\n"

// foundAfterEmacsWant is foundAfterEmacsDoc as Emacs leaves it.
const foundAfterEmacsWant = "#+name: a\n#+begin_src sh :results code\necho 'echo nested'\n#+end_src\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+RESULTS:\n: 3\n\nText between.\n\n" +
	"#+RESULTS: a\n#+begin_src sh\necho nested\n#+end_src\n\n#+RESULTS:\n: nested\n\nText after.\n"

// TestFoundWaitsForEmacsTask: the shell block has finished and the task
// of the document's Emacs runs: the block found in its results is not
// listed, let alone launched, then (the wait for every task of that Emacs,
// plan.FoundAfterEmacs), but once that task has ended, once, and its
// results are written after it as Emacs writes them; the same when the
// server is started again on its store in between (the Emacs's attempt
// recovered, ending on the new server), and a server started again once
// the document has finished launches nothing more.
func TestFoundWaitsForEmacsTask(t *testing.T) {
	for _, restart := range []bool{false, true} {
		t.Run(map[bool]string{false: "live", true: "restarted in between"}[restart], func(t *testing.T) {
			dir, rb, e, stop, id := submitOnDisk(t, foundAfterEmacsDoc)
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), "echo nested\n")
			waitState(t, e, id, "a", Finished)
			lisp := launchOf(t, rb.fakeBackend, "block-2", 1)
			checkFoundUnlaunched(t, e, rb.fakeBackend, id)
			launches := 3
			if restart {
				stop()
				e, stop = startEngine(t, dir, rb, Config{})
				if !slices.ContainsFunc(rb.recover, func(a *Attempt) bool { return a.ID == lisp.ID }) {
					t.Fatalf("the Emacs's attempt %s, running, was not recovered", lisp.ID)
				}
				// The Emacs's task runs again on the new server:
				// its session did not outlive the old one.
				lisp = launchOf(t, rb.fakeBackend, "block-2", 2)
				checkFoundUnlaunched(t, e, rb.fakeBackend, id)
				launches++
			}
			finishLaunch(rb.fakeBackend, lisp, "3")
			found := launchOf(t, rb.fakeBackend, "a-found-1", 1)
			if !strings.Contains(found.Script, "echo nested") {
				t.Fatalf("the block found launched %q", found.Script)
			}
			finishLaunch(rb.fakeBackend, found, "nested\n")
			if d := waitDocumentEnded(t, e, id); d.State != Finished {
				t.Fatalf("document %s, want finished", d.State)
			}
			got, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if got != foundAfterEmacsWant {
				t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, foundAfterEmacsWant)
			}
			if n := len(rb.launches()); n != launches {
				t.Errorf("%d launches, want %d (the block found runs once)", n, launches)
			}
			stop()
			e2, stop2 := startEngine(t, dir, rb, Config{})
			t.Cleanup(stop2)
			waitDocumentFinished(t, e2, id)
			if again, err := e2.ResultDocument(context.Background(), id); err != nil || again != foundAfterEmacsWant {
				t.Errorf("results document reloaded (%v):\n%s\nwant:\n%s", err, again, foundAfterEmacsWant)
			}
			if n := len(rb.launches()); n != launches {
				t.Errorf("%d launches after the reload, want %d (nothing launched by it)", n, launches)
			}
		})
	}
}

// checkFoundUnlaunched checks that document id of e, whose Emacs's task
// runs, has launched no block found in results and has not even searched
// for them: fb has launched its two blocks alone, and no block found is
// listed. The search is made when a block's results have been read,
// before the blocks waiting for it launch, so by the time the Emacs's
// task is launched a search beside it (one not waiting for every task of
// that Emacs, plan.FoundAfterEmacs) would have listed the block found,
// queued behind the Emacs Lisp block: listing it is what the wait
// prevents, not launching it, which its place after that block prevents
// anyway.
func checkFoundUnlaunched(t *testing.T, e *Engine, fb *fakeBackend, id string) {
	t.Helper()
	for _, a := range fb.launches() {
		if a.Block != "a" && a.Block != "block-2" {
			t.Fatalf("%s launched while the Emacs's task runs", a.Block)
		}
	}
	v, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range v.Blocks {
		if b.AddedBy != "" {
			t.Errorf("block %s found in %s's results is listed (%s) while the Emacs's task runs", b.Name, b.AddedBy, b.State)
		}
	}
}

// foundEvalNoDoc is testdata/found_evalno_named_elisp.org of package
// plan (checked against Emacs) without its text before the blocks: a
// shell block before an Emacs Lisp block writes, under its name after
// it, an :eval no block and a shell block.
const foundEvalNoDoc = "#+name: a\n#+begin_src sh :results raw\nprintf '#+begin_src sh :eval no\\necho skipped\\n#+end_src\\n\\n#+begin_src sh\\necho nested\\n#+end_src\\n'\n#+end_src\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\nText between.\n\n#+RESULTS: a\n: old\nText after.\n"

// foundEvalNoWant is foundEvalNoDoc as Emacs leaves it.
const foundEvalNoWant = "#+name: a\n#+begin_src sh :results raw\nprintf '#+begin_src sh :eval no\\necho skipped\\n#+end_src\\n\\n#+begin_src sh\\necho nested\\n#+end_src\\n'\n#+end_src\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n#+RESULTS:\n: 3\n\nText between.\n\n" +
	"#+RESULTS: a\n#+begin_src sh :eval no\necho skipped\n#+end_src\n\n#+begin_src sh\necho nested\n#+end_src\n\n#+RESULTS:\n: nested\n\nText after.\n"

// TestFoundEvalNoSkipped: of the two blocks found in foundEvalNoDoc's
// results, Emacs skips the first (:eval no) and runs the second once the
// Emacs Lisp block has run: the first is listed not run, saying why,
// the second runs, and the document finishes as Emacs leaves it.
func TestFoundEvalNoSkipped(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundEvalNoDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), "#+begin_src sh :eval no\necho skipped\n#+end_src\n\n#+begin_src sh\necho nested\n#+end_src\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), "3")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a-found-2", 1), "nested\n")
	d := waitDocumentEnded(t, e, id)
	if d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
	skipped := false
	for _, b := range d.Blocks {
		if b.AddedBy == "a" && !b.Runnable {
			skipped = strings.Contains(b.Reason, ":eval no")
		}
	}
	if !skipped {
		t.Errorf("the :eval no block found is not listed not run for its :eval: %+v", d.Blocks)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got != foundEvalNoWant {
		t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, foundEvalNoWant)
	}
	if n := len(rb.launches()); n != 3 {
		t.Errorf("%d launches, want 3", n)
	}
}

// foundVarEvalNoDoc is foundEvalNoDoc with its :eval no block named x
// and the shell block after it taking x as a :var value
// (testdata/found_var_evalno_found.org of package plan, checked against
// Emacs): org-babel-ref-resolve runs x, :eval refuses, the value is nil.
const foundVarEvalNoDoc = "#+name: a\n#+begin_src sh :results raw\nprintf '#+name: x\\n#+begin_src sh :eval no\\necho skipped\\n#+end_src\\n\\n#+begin_src sh :var v=x\\necho \"v=[$v]\"\\n#+end_src\\n'\n#+end_src\n\n" +
	"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\nText between.\n\n#+RESULTS: a\n: old\nText after.\n"

// TestFoundVarNamesRefusedFound: the shell block found after an :eval
// no block found, and naming it in its :var, runs with nil as Emacs runs
// it, where it had been listed not run for a block Borges had not
// planned.
func TestFoundVarNamesRefusedFound(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundVarEvalNoDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), "#+name: x\n#+begin_src sh :eval no\necho skipped\n#+end_src\n\n#+begin_src sh :var v=x\necho \"v=[$v]\"\n#+end_src\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), "3")
	found := launchOf(t, rb.fakeBackend, "a-found-2", 1)
	if !strings.Contains(found.Script, "nil") {
		t.Errorf("the block found launched without v=nil:\n%s", found.Script)
	}
	finishLaunch(rb.fakeBackend, found, "v=[nil]\n")
	if d := waitDocumentEnded(t, e, id); d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if want := "#+begin_src sh :var v=x\necho \"v=[$v]\"\n#+end_src\n\n#+RESULTS:\n: v=[nil]\n"; !strings.Contains(got, want) {
		t.Errorf("results document:\n%s\nwant it to hold:\n%s", got, want)
	}
}

// TestVarNamesRefusedBlock: a block of the document naming a block :eval
// no refuses in its :var, and a #+call: of it, runs with the string
// "nil" for each, as Emacs runs it (testdata/ref_call_eval_no.org of
// package plan, checked against Emacs), where the document had been
// refused.
func TestVarNamesRefusedBlock(t *testing.T) {
	doc := "#+name: x\n#+begin_src sh :eval no\necho skipped\n#+end_src\n\n#+name: c\n#+call: x()\n\n" +
		"#+begin_src sh :var v=x :var w=c\necho \"v=[$v] w=[$w]\"\n#+end_src\n"
	_, rb, e, _, id := submitOnDisk(t, doc)
	run := launchOf(t, rb.fakeBackend, "block-2", 1)
	if !strings.Contains(run.Script, "v='nil'\nw='nil'\n") {
		t.Errorf("the block launched without v and w nil:\n%s", run.Script)
	}
	finishLaunch(rb.fakeBackend, run, "v=[nil] w=[nil]\n")
	if d := waitDocumentEnded(t, e, id); d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if want := "echo \"v=[$v] w=[$w]\"\n#+end_src\n\n#+RESULTS:\n: v=[nil] w=[nil]\n"; !strings.HasSuffix(got, want) {
		t.Errorf("results document:\n%s\nwant it to end:\n%s", got, want)
	}
}

// TestFoundVarNamesRefusedFoundReadSignals: as TestFoundVarNamesRefusedFound,
// but the :eval no block found has header arguments whose reading may
// signal (an empty :var value, a Lisp form): Emacs reads them for the
// reference before :eval refuses it, and stops there ("Reference ‘’ not
// found in this buffer", "boom"; checked with Emacs). The block found
// naming it is not run with "nil": it is not run, saying why; so is the
// block found itself where Borges does not know whether its reading
// signals (*this*).
func TestFoundVarNamesRefusedFoundReadSignals(t *testing.T) {
	// An empty :var value stops Emacs at the block found, with the
	// error Borges knows (plan.refusedReadStop); a Lisp value may
	// signal anything, and the block referring to it is not run.
	for header, want := range map[string]string{
		":var y=":                 `org-babel-execute-buffer, reading its header arguments before :eval refuses it, stops there: "Reference ‘’ not found in this buffer"`,
		`:dir (error \"boom\")`:   "Emacs reads its header arguments",
		`:var y=(error \"boom\")`: "Emacs reads its header arguments",
		// *this*, which the Emacs Lisp block run before may have
		// bound: the block found is not run, saying why, not
		// skipped as if Emacs skipped it.
		":var y=*this*": "evaluating :var y=*this*, which a block run before may have bound or not",
	} {
		t.Run(header, func(t *testing.T) {
			doc := strings.Replace(foundVarEvalNoDoc, ":eval no", ":eval no "+header, 1)
			_, rb, e, _, id := submitOnDisk(t, doc)
			out := "#+name: x\n#+begin_src sh :eval no " + strings.ReplaceAll(header, `\"`, `"`) + "\necho skipped\n#+end_src\n\n#+begin_src sh :var v=x\necho \"v=[$v]\"\n#+end_src\n"
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), out)
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 1), "3")
			d := waitDocumentEnded(t, e, id)
			for _, l := range rb.launches() {
				if l.Block != "a" && l.Block != "block-2" {
					t.Errorf("%s launched:\n%s", l.Block, l.Script)
				}
			}
			said := false
			for _, b := range d.Blocks {
				if b.AddedBy == "a" && strings.Contains(b.Reason, want) {
					said = true
				}
			}
			if !said {
				t.Errorf("no block found in a's results says why it is not run: %+v", d.Blocks)
			}
		})
	}
}
