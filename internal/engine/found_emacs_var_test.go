package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// A shell block found in results, before the document's Emacs Lisp block
// later, whose :var x=later names it: Emacs resolves the reference as it
// runs the found block, running later there for it (got 1), and runs
// later again at its own turn (: 2) (found_before_emacs_var.org of
// internal/plan, checked with Emacs 28.2).

// foundVarDoc is found_before_emacs_var.org.
const foundVarDoc = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh :var x=later' 'echo \"got $x\"' '#+end_src'\n#+end_src\nText right after.\n\n" +
	"#+name: later\n#+begin_src emacs-lisp\n(setq borges-n (1+ (if (boundp 'borges-n) borges-n 0)))\n#+end_src\n"

// foundVarRaw is the shell block's output: the block found.
const foundVarRaw = "#+begin_src sh :var x=later\necho \"got $x\"\n#+end_src\n"

// foundVarWant is foundVarDoc as Emacs writes it.
const foundVarWant = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh :var x=later' 'echo \"got $x\"' '#+end_src'\n#+end_src\n\n" +
	"#+RESULTS:\n" + foundVarRaw + "\n#+RESULTS:\n: got 1\n\nText right after.\n\n" +
	"#+name: later\n#+begin_src emacs-lisp\n(setq borges-n (1+ (if (boundp 'borges-n) borges-n 0)))\n#+end_src\n\n#+RESULTS: later\n: 2\n"

// foundVarRun is the task of the run of later the found block's
// reference makes.
const foundVarRun = "block-1-found-1 :var x=later"

// runFoundVar answers foundVarDoc's launches from the run of later for
// the reference on (the shell block answered), checking each waits for
// the one before it, and that later's own run puts the found block's
// results in the buffer, and checks the document is written as Emacs
// writes it, after n launches in all.
func runFoundVar(t *testing.T, e *Engine, rb *reportBackend, id string, run *Attempt, n int) {
	t.Helper()
	if launchedBlock(rb, "block-1-found-1") || launchedBlock(rb, "later") {
		t.Fatal("the block found, or later, launched before the run of later for the reference ended")
	}
	if !strings.Contains(run.Script, "(borges--goto ") {
		t.Errorf("the run for the reference is not in the document's Emacs:\n%s", run.Script)
	}
	finishLaunch(rb.fakeBackend, run, "d1")
	found := launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	if !strings.Contains(found.Script, "x='1'") {
		t.Errorf("the block found does not get x=1 from the run for its reference:\n%s", found.Script)
	}
	if launchedBlock(rb, "later") {
		t.Fatal("later launched before the block found ended")
	}
	finishLaunch(rb.fakeBackend, found, "got 1\n")
	later := launchOf(t, rb.fakeBackend, "later", 1)
	if !strings.Contains(later.Script, "(borges--found-mark 1073741824 ") || !strings.Contains(later.Script, "(borges--put-result 1073741824 \"\n#+RESULTS:\n: got 1\n\"") {
		t.Errorf("later does not put the found block's results in the buffer:\n%s", later.Script[max(0, len(later.Script)-1500):])
	}
	finishLaunch(rb.fakeBackend, later, "2")
	finishedAs(t, e, rb.fakeBackend, id, foundVarWant, n)
}

// TestFoundVarRunsEmacsLispBlock: the run of later for the found block's
// reference is planned and runs in the document's Emacs before the found
// block, which gets its value, and later runs again at its own turn; the
// document is written as Emacs writes it, and a server started again
// shows the same, launching nothing.
func TestFoundVarRunsEmacsLispBlock(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, foundVarDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundVarRaw)
	runFoundVar(t, e, rb, id, launchOf(t, rb.fakeBackend, foundVarRun, 1), 4)
	stop()
	checkRestartedSame(t, dir, rb, id, foundVarWant, 4)
}

// TestFoundVarRunsEmacsLispBlockRestartMidRun: the server stops while
// the run for the reference runs; started again, the document's Emacs
// runs it again (its session was open), the found block and later
// waiting for it still.
func TestFoundVarRunsEmacsLispBlockRestartMidRun(t *testing.T) {
	dir, rb, _, stop, id := submitOnDisk(t, foundVarDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundVarRaw)
	launchOf(t, rb.fakeBackend, foundVarRun, 1)
	stop()
	e, _ := startEngine(t, dir, rb, Config{})
	// block-1, the run for the reference twice, the block found, later.
	runFoundVar(t, e, rb, id, launchOf(t, rb.fakeBackend, foundVarRun, 2), 5)
}

// foundVarStopDoc is foundVarDoc with later signalling an error, and a
// block after it (found_before_emacs_var_stop.org of internal/plan,
// checked with Emacs 28.2): Emacs runs later resolving the found block's
// reference, which signals, and org-babel-execute-buffer stops at the
// found block, which is not run, nor later at its own turn, nor the
// block after it; the shell block's results stay.
const foundVarStopDoc = "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src sh :var x=later' 'echo \"got $x\"' '#+end_src'\n#+end_src\nText right after.\n\n" +
	"#+name: later\n#+begin_src emacs-lisp\n(error \"boom\")\n#+end_src\n\n" + afterBlock

// TestFoundVarLispErrorStops: the run of later for the found block's
// reference signals an error, which stops the document at the block
// found: it is not run, saying why, and neither are later and the block
// after it; the results document has the shell block's results only,
// and a server started again shows the same, launching nothing.
func TestFoundVarLispErrorStops(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, foundVarStopDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundVarRaw)
	signalled(rb, launchOf(t, rb.fakeBackend, foundVarRun, 1), "boom")
	d := waitDocumentEnded(t, e, id)
	for _, b := range []string{"block-1-found-1", "later", "after"} {
		if launchedBlock(rb, b) {
			t.Errorf("%s launched, though the run for the found block's reference stopped the document before it", b)
		}
	}
	// The block found is at line 6 of the Org buffer (of the results
	// document): its #+begin_src, under block-1's #+RESULTS:.
	if msg := foundMessage(d, "block-1-found-1"); !strings.HasPrefix(msg, failStopIn+"6 of the Org buffer, for block later,") || !strings.HasSuffix(msg, ": boom") {
		t.Errorf("the block found says %q, want the stop its reference's run made in it, at its own line 6 of the Org buffer (boom)", msg)
	}
	if notes := strings.Join(d.Notes, "\n"); !strings.Contains(notes, "stops this document at block block-1-found-1, found in results at line 6 of the Org buffer, resolving its reference, for block later,") {
		t.Errorf("the document's notes do not say it stopped at the block found, at its own line 6 of the Org buffer, resolving its reference: %q", d.Notes)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(foundVarStopDoc, "#+end_src\nText", "#+end_src\n\n#+RESULTS:\n"+foundVarRaw+"\nText", 1)
	if got != want {
		t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	d2 := waitDocumentEnded(t, e2, id)
	again, err := e2.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if msg := foundMessage(d2, "block-1-found-1"); again != want || msg != foundMessage(d, "block-1-found-1") || len(rb.launches()) != 2 {
		t.Errorf("after a restart %d attempts, the block found saying %q, and\n%s\nwant 2, the same message, and\n%s", len(rb.launches()), msg, again, want)
	}
}

// foundMessage is the message of block name of d, one added or found.
func foundMessage(d *DocumentView, name string) string {
	for _, b := range d.Blocks {
		if b.Name == name && len(b.Instances) == 1 {
			return b.Instances[0].Message
		}
	}
	return ""
}

// TestFoundRefLispErrorStopsVariants: as TestFoundVarLispErrorStops, the
// reference a noweb call of the block found, its :results silent, the
// block found Emacs Lisp, or the reference the second of two :var values,
// whose first runs an Emacs Lisp block that ends
// (found_before_emacs_noweb_stop.org, _var_stop_silent.org,
// _var_stop_void.org, _var_stop_second.org of internal/plan, checked
// with Emacs 28.2): the error stops the document at the block found all
// the same.
func TestFoundRefLispErrorStopsVariants(t *testing.T) {
	for _, tc := range []struct {
		name, found string
		ends        []progOutput // the runs before the one that signals
	}{
		{"noweb", "#+begin_src sh :noweb yes\necho \"got <<later()>>\"\n#+end_src\n", nil},
		{"silent", "#+begin_src sh :results silent :var x=later\necho \"got $x\"\n#+end_src\n", nil},
		{"emacs-lisp", "#+begin_src emacs-lisp :var x=later\n(list \"found\" x)\n#+end_src\n", nil},
		{"second", "#+begin_src sh :var y=first x=later\necho \"got $x $y\"\n#+end_src\n", []progOutput{{"(setq borges-first t)", "t"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := strings.Split(strings.TrimSuffix(tc.found, "\n"), "\n")
			printf := "printf '%s\\n'"
			for _, l := range lines {
				printf += " '" + l + "'"
			}
			doc := "#+begin_src sh :results raw\n" + printf + "\n#+end_src\nText right after.\n\n" +
				"#+name: first\n#+begin_src emacs-lisp\n(setq borges-first t)\n#+end_src\n\n" +
				"#+name: later\n#+begin_src emacs-lisp\n(error \"boom\")\n#+end_src\n\n" + afterBlock
			_, rb, e, _, id := submitOnDisk(t, doc)
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), tc.found)
			done := map[string]bool{}
			for _, o := range append(tc.ends, progOutput{"(error ", ""}) {
				var a *Attempt
				for i := 0; i < 2000 && a == nil; i++ {
					for _, l := range rb.launches() {
						if !done[l.ID] && strings.Contains(l.Script, o.prog) {
							a = l
						}
					}
					if a == nil {
						time.Sleep(5 * time.Millisecond)
					}
				}
				if a == nil {
					t.Fatalf("%q was not launched", o.prog)
				}
				done[a.ID] = true
				if o.prog == "(error " {
					signalled(rb, a, "boom")
				} else {
					finishLaunch(rb.fakeBackend, a, o.out)
				}
			}
			d := waitDocumentEnded(t, e, id)
			if n := len(rb.launches()); n != 2+len(tc.ends) {
				for _, l := range rb.launches() {
					t.Logf("launched %s", l.Block)
				}
				t.Errorf("%d attempts, want %d: the shell block and the runs for the found block's references", n, 2+len(tc.ends))
			}
			if msg := foundMessage(d, "block-1-found-1"); !strings.HasPrefix(msg, "not run: org-babel-execute-buffer stopped in it, resolving a reference") || !strings.HasSuffix(msg, ": boom") {
				t.Errorf("the block found says %q, want the stop its reference's run made in it (boom)", msg)
			}
			got, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if want := strings.Replace(doc, "#+end_src\nText", "#+end_src\n\n#+RESULTS:\n"+tc.found+"\nText", 1); got != want {
				t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
			}
		})
	}
}

// TestFoundVarLispErrorRestartLifts: restarting the run for the found
// block's reference that stopped the document runs it again; ending now,
// it lifts the stop: the block found runs with its value, and so do
// later at its own turn and the block after it; the results document
// has the block found's results under it, and later's and the block
// after's (written from what the runs gave: Emacs is not asked what it
// would write once later no longer signals), and the stop's note is
// gone.
func TestFoundVarLispErrorRestartLifts(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundVarStopDoc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundVarRaw)
	signalled(rb, launchOf(t, rb.fakeBackend, foundVarRun, 1), "boom")
	waitDocumentEnded(t, e, id)
	if err := e.RestartBlock(context.Background(), id, foundVarRun); err != nil {
		t.Fatal(err)
	}
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, foundVarRun, 2), "1")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1-found-1", 1), "got 1\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "later", 1), "2")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), "after\n")
	got := finishedStopGone(t, e, id, "stops this document")
	want := strings.Replace(foundVarStopDoc, "#+end_src\nText", "#+end_src\n\n#+RESULTS:\n"+foundVarRaw+"\n#+RESULTS:\n: got 1\n\nText", 1)
	want = strings.Replace(want, "(error \"boom\")\n#+end_src\n", "(error \"boom\")\n#+end_src\n\n#+RESULTS: later\n: 2\n", 1)
	want += "\n#+RESULTS: after\n: after\n"
	if got != want {
		t.Errorf("results document after the restart:\n%s\nwant:\n%s", got, want)
	}
}
