package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// callRestartDoc: f appends its n to a log and prints how many lines the
// log holds; h calls f(n=2) in a :var, nw in a noweb reference, g in a
// :var (nest reads g, and its run of g calls f(n=4) again), and sess, a
// block of a session, calls f(n=5).
const callRestartDoc = "#+name: f\n#+begin_src sh :var n=0\necho $n >> log; wc -l < log\n#+end_src\n\n" +
	"#+name: h\n#+begin_src sh :var y=f(n=2)\necho \"h $y\"\n#+end_src\n\n" +
	"#+name: nw\n#+begin_src sh :noweb yes\necho \"nw <<f(n=3)>>\"\n#+end_src\n\n" +
	"#+name: g\n#+begin_src sh :var m=f(n=4)\necho \"g $m\"\n#+end_src\n\n" +
	"#+name: nest\n#+begin_src sh :var k=g\necho \"nest $k\"\n#+end_src\n\n" +
	"#+name: sess\n#+begin_src sh :session s :var y=f(n=5)\necho \"sess $y\"\n#+end_src\n"

// TestRestartRunsCallsAgain: a restart of a block runs again the calls
// its run makes (each a task of its own at its place), nested ones too,
// and the block gets their new values; a restart of the callee runs it
// alone. Emacs 28.2 / Org 9.5.5, org-babel-execute-buffer on
// callRestartDoc then org-babel-execute-src-block on h, nw, nest, sess
// and f in turn: the buffer leaves 6 lines in the log (f's own run, one
// for each call, and nest's run of g calls f(n=4) again); h then appends
// one (h gets 7), nw one (8), nest one, running g again (g 9, g's own
// results left "g 4"), sess one (10), and f one (11) and nothing else:
// each C-c C-c resolves the block's references anew
// (org-babel-ref-resolve runs the callee each time), and re-running the
// callee runs no block referring to it.
func TestRestartRunsCallsAgain(t *testing.T) {
	e, rb, id := submitToReport(t, callRestartDoc)
	fb, ctx := rb.fakeBackend, context.Background()
	lines, done := 0, 0
	// run finishes the launches until the document ends, each run of
	// f printing the log's new length: the blocks launched, and the
	// scripts they ran.
	run := func() (blocks []string, scripts map[string]string) {
		t.Helper()
		scripts = map[string]string{}
		for _, a := range finishEach(t, e, fb, id, &done, func(a *Attempt) string {
			if strings.Contains(a.Script, ">> log") {
				lines++
				return fmt.Sprintf("%d\n", lines)
			}
			return a.Block + "\n"
		}) {
			blocks = append(blocks, a.Block)
			scripts[a.Block] = a.Script
		}
		slices.Sort(blocks)
		return blocks, scripts
	}
	run()
	if lines != 6 {
		t.Fatalf("the document ran f %d times, want 6 (as Emacs)", lines)
	}
	for _, c := range []struct {
		block string
		runs  []string // the blocks launched again
		value string   // in the restarted block's (or its caller's) script
		in    string
	}{
		{"h", []string{"f(n=2)", "h"}, "y='7'", "h"},
		{"nw", []string{"f(n=3)", "nw"}, "nw 8", "nw"},
		{"nest", []string{"g :var m=f(n=4)", "nest", "nest :var k=g"}, "m='9'", "nest :var k=g"},
		{"sess", []string{"f(n=5)", "sess"}, "y='10'", "sess"},
		{"f", []string{"f"}, "", ""},
	} {
		if err := e.RestartBlock(ctx, id, c.block); err != nil {
			t.Fatal(err)
		}
		got, scripts := run()
		if !slices.Equal(got, c.runs) {
			t.Errorf("restart of %s ran %q, want %q", c.block, got, c.runs)
		}
		if c.in != "" && !strings.Contains(scripts[c.in], c.value) {
			t.Errorf("restart of %s: %s ran without the call's new value %q:\n%s", c.block, c.in, c.value, scripts[c.in])
		}
	}
	if lines != 11 {
		t.Errorf("f ran %d times in all, want 11 (as Emacs)", lines)
	}
	// Why f(n=2) is queued again, read under the lock the restart
	// holds (the live view races the scheduler, which may have
	// launched it already).
	if m := queuedWhy(e, id, "h", "f(n=2)"); m != callRunsAgainWhy("h") {
		t.Errorf("f(n=2) queued saying %q, want %q", m, callRunsAgainWhy("h"))
	}
	if got, _ := run(); !slices.Equal(got, []string{"f(n=2)", "h"}) {
		t.Errorf("restart of h ran %q, want f(n=2) and h", got)
	}
}

// queuedWhy runs block of document id again as a restart does
// (runAgain, the document ended: nothing to kill) and returns, read
// under the same hold of the lock, why the instance of block other is
// queued again ("" if it is not).
func queuedWhy(e *Engine, id, block, other string) string {
	e.mu.Lock()
	defer e.poke()
	defer e.mu.Unlock()
	ds := e.docs[id]
	e.runAgain(ds, ds.byName[block], e.now(), func(*blockState) string { return "restart requested" }, nil)
	if x := ds.byName[other]; x != nil && len(x.instances) == 1 && State(x.instances[0].rec.State) == Queued {
		return x.instances[0].rec.Message
	}
	return ""
}

// TestRestartRunsCalledSessionAgain: a restart of a block referring to a
// block of a session, with arguments (counter(n=2)) or without (counter),
// runs its session again, in a new interpreter, as a restart of that
// session's block does (README, Kill and restart): the run the reference
// makes may need what the session's blocks before it left there, and
// the session's interpreter is closed once its blocks have all ended
// (sessionsToClose). Emacs 28.2 / Org 9.5.5 (execute-buffer, then
// org-babel-execute-src-block on h) runs counter once more in the
// interpreter the buffer left, other not again: for counter(n=2) the
// log holds 0, 2, other, 2, and h gets 4 (the session's line count).
// Borges runs counter, the reference's run and other again in the new
// interpreter (the appended lines differ from Emacs's), and h gets the
// new value; counter and other say why they run again.
func TestRestartRunsCalledSessionAgain(t *testing.T) {
	for _, ref := range []string{"counter(n=2)", "counter"} {
		t.Run(ref, func(t *testing.T) {
			doc := "#+name: counter\n#+begin_src sh :session s :var n=0\necho $n >> log; wc -l < log\n#+end_src\n\n" +
				"#+name: h\n#+begin_src sh :var y=" + ref + "\necho \"h $y\"\n#+end_src\n\n" +
				"#+name: other\n#+begin_src sh :session s\necho other >> log\n#+end_src\n"
			e, rb, id := submitToReport(t, doc)
			fb, ctx := rb.fakeBackend, context.Background()
			done, outs := 0, map[string]int{}
			run := func() (blocks []string, scripts map[string]string, sessions map[string]string) {
				t.Helper()
				scripts, sessions = map[string]string{}, map[string]string{}
				for _, a := range finishEach(t, e, fb, id, &done, func(*Attempt) string { return fmt.Sprintf("%d\n", done) }) {
					outs[a.Block] = slices.Index(fb.launches(), a) + 1
					blocks = append(blocks, a.Block)
					scripts[a.Block], sessions[a.Block] = a.Script, a.Session
				}
				slices.Sort(blocks)
				return blocks, scripts, sessions
			}
			_, _, before := run()
			if err := e.RestartBlock(ctx, id, "h"); err != nil {
				t.Fatal(err)
			}
			call := "h :var y=" + ref
			got, scripts, after := run()
			if want := []string{"counter", "h", call, "other"}; !slices.Equal(got, want) {
				t.Errorf("restart of h ran %q, want %q", got, want)
			}
			if after[call] == "" || after[call] == before[call] || after["counter"] != after[call] {
				t.Errorf("%s ran in session %q (before %q, counter in %q), want counter's new interpreter", call, after[call], before[call], after["counter"])
			}
			if want := fmt.Sprintf("y='%d'", outs[call]); outs[call] <= 4 || !strings.Contains(scripts["h"], want) {
				t.Errorf("h ran without the call's new value %q:\n%s", want, scripts["h"])
			}
			for _, b := range []string{"counter", "other"} {
				if m := queuedWhy(e, id, "h", b); m != sessionRunsAgainWhy("h") {
					t.Errorf("%s queued saying %q, want %q", b, m, sessionRunsAgainWhy("h"))
				}
			}
			run()
		})
	}
}

// finishEach finishes, in order, the launches of fb after the first
// *done (counted in it) until document id has ended, each printing
// out(its attempt), and returns them.
func finishEach(t *testing.T, e *Engine, fb *fakeBackend, id string, done *int, out func(*Attempt) string) []*Attempt {
	t.Helper()
	var ran []*Attempt
	for range 100 {
		if !nextLaunch(e, fb, id, *done) {
			break
		}
		a := fb.launches()[*done]
		*done++
		fb.setOutput(a.ID, out(a))
		finish(fb, a, Finished, 0)
		ran = append(ran, a)
	}
	return ran
}

// nextLaunch waits until fb has launched more than done attempts (true)
// or the document id has ended (false).
func nextLaunch(e *Engine, fb *fakeBackend, id string, done int) bool {
	for range 12000 {
		if len(fb.launches()) > done {
			return true
		}
		if d, _ := e.Document(id); d != nil && d.State != Running && d.State != Queued {
			return len(fb.launches()) > done
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

// TestRestartedCallAcrossServerRestart: a restart stored, then the server
// started again before the block ran: the call queued again with it runs
// again (a second launch of f(n=2), whichever server makes it), and the
// block gets its new value.
func TestRestartedCallAcrossServerRestart(t *testing.T) {
	const doc = "#+name: f\n#+begin_src sh :var n=0\necho $n >> log; wc -l < log\n#+end_src\n\n" +
		"#+name: h\n#+begin_src sh :var y=f(n=2)\necho \"h $y\"\n#+end_src\n"
	dir, rb, e, stop, id := submitOnDisk(t, doc)
	finishLaunches(t, rb.fakeBackend, 1, 3, func(block string, _ int) string { return "old\n" })
	waitDocumentEnded(t, e, id)
	if err := e.RestartBlock(context.Background(), id, "h"); err != nil {
		t.Fatal(err)
	}
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "f(n=2)", 2), "new\n")
	again := launchOf(t, rb.fakeBackend, "h", 2)
	if !strings.Contains(again.Script, "y='new'") {
		t.Errorf("h ran again without the call's new value:\n%s", again.Script)
	}
	finishWith(rb.fakeBackend, again, "h new\n")
	waitDocumentEnded(t, e2, id)
	if n := len(rb.fakeBackend.launches()); n != 5 {
		t.Errorf("%d launches, want 5 (f, f(n=2) and h, then f(n=2) and h again)", n)
	}
}

// TestRestartRunsEmacsLispCallAlone: a restart of a block calling an
// Emacs Lisp block runs the call again alone in the document's Emacs, as
// a Lisp :var value is (the document's other Emacs Lisp blocks, f's own
// run among them, not again). Emacs 28.2 / Org 9.5.5 (execute-buffer,
// then org-babel-execute-src-block on h) runs f(n=2) once more in the
// Emacs the buffer left, whose counter is 2 by then: h gets 4. Borges
// runs it in the document's Emacs as it stands then, which may be a new
// one (the one that ran the buffer ends once its blocks have), its
// counter started again: h may get 2.
func TestRestartRunsEmacsLispCallAlone(t *testing.T) {
	const doc = "#+name: f\n#+begin_src emacs-lisp :var n=0\n(setq cnt (+ n (if (boundp 'cnt) cnt 0)))\n#+end_src\n\n" +
		"#+name: h\n#+begin_src sh :var y=f(n=2)\necho \"h $y\"\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	done := 0
	run := func() (blocks []string) {
		t.Helper()
		for _, a := range finishEach(t, e, rb.fakeBackend, id, &done, func(*Attempt) string { return "2\n" }) {
			blocks = append(blocks, a.Block)
		}
		slices.Sort(blocks)
		return blocks
	}
	run()
	if err := e.RestartBlock(t.Context(), id, "h"); err != nil {
		t.Fatal(err)
	}
	if got, want := run(), []string{"h", "h :var y=f(n=2)"}; !slices.Equal(got, want) {
		t.Errorf("restart of h ran %q, want %q", got, want)
	}
}

// TestRestartRunsCallsOfPost: the :post of a restarted block runs again
// with it, and so does the call the block its :post calls makes (found
// in a second round: the call belongs to the :post's run), as
// org-babel-execute-src-block resolves the :post, and the called block's
// :var values with it, at every run of the block.
func TestRestartRunsCallsOfPost(t *testing.T) {
	const doc = "#+name: a\n#+begin_src sh :post p(x=*this*)\necho a\n#+end_src\n\n" +
		"#+name: p\n#+begin_src sh :var x=\"\" :var z=f(n=9)\necho \"p $x $z\"\n#+end_src\n\n" +
		"#+name: f\n#+begin_src sh :var n=0\necho $n\n#+end_src\n"
	restartsRun(t, doc, restartRuns{"a", []string{"a", "a :post p(x=*this*)", "f(n=9)"}})
}

// TestRestartCachedCallOwnArguments: a restart of a block calling a
// :cache yes block with the callee's own arguments (f(n=0), f's own
// hash) runs the block alone: Emacs 28.2 / Org 9.5.5 (execute-buffer,
// then C-c C-c on i) finds f's results under that hash and runs nothing
// for the call (the document's first run still runs it: plan's
// calledResultsKept). A call with other arguments misses the hash and
// runs again (h).
func TestRestartCachedCallOwnArguments(t *testing.T) {
	const doc = "#+name: f\n#+begin_src sh :var n=0 :cache yes\necho $n >> log; wc -l < log\n#+end_src\n\n" +
		"#+name: i\n#+begin_src sh :var y=f(n=0)\necho \"i $y\"\n#+end_src\n\n" +
		"#+name: h\n#+begin_src sh :var y=f(n=2)\necho \"h $y\"\n#+end_src\n"
	restartsRun(t, doc, restartRuns{"i", []string{"i"}}, restartRuns{"h", []string{"f(n=2)", "h"}})
}

// restartRuns is a block to restart and the blocks its restart runs.
type restartRuns struct {
	block string
	runs  []string
}

// restartsRun submits doc, finishes its launches (ranSorted), then
// restarts each block in turn, checking the blocks its restart runs.
func restartsRun(t *testing.T, doc string, restarts ...restartRuns) {
	t.Helper()
	e, rb, id := submitToReport(t, doc)
	done := 0
	ranSorted(t, e, rb.fakeBackend, id, &done)
	for _, c := range restarts {
		if err := e.RestartBlock(t.Context(), id, c.block); err != nil {
			t.Fatal(err)
		}
		if got := ranSorted(t, e, rb.fakeBackend, id, &done); !slices.Equal(got, c.runs) {
			t.Errorf("restart of %s ran %q, want %q", c.block, got, c.runs)
		}
	}
}

// ranSorted finishes the launches of fb after the first *done until
// document id has ended (finishEach), each printing its block's name,
// and returns their blocks, sorted.
func ranSorted(t *testing.T, e *Engine, fb *fakeBackend, id string, done *int) []string {
	t.Helper()
	var blocks []string
	for _, a := range finishEach(t, e, fb, id, done, func(a *Attempt) string { return a.Block + "\n" }) {
		blocks = append(blocks, a.Block)
	}
	slices.Sort(blocks)
	return blocks
}
