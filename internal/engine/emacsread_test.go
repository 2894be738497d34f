package engine

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// TestEmacsReadsOutputOnlyWhenNeeded: a Ruby block's output under
// :results output table that is a Lisp call is read by a task of its own
// (a batch Emacs, here the fake backend), whose value replaces the
// block's; output Borges reads itself runs no such task and the block's
// own results stand; a block that failed runs none either, and writes
// nothing: org-babel-eval's nil stops Emacs there (plan.RubyTableNilError),
// its results left as they were. plan's
// TestAgainstEmacs/ruby_values_and_output checks the values against Emacs.
func TestEmacsReadsOutputOnlyWhenNeeded(t *testing.T) {
	const doc = "#+begin_src ruby :results output table\nputs x\n#+end_src\n"
	const reader = "block-1 output read by Emacs"
	for _, c := range []struct {
		name, output string
		failed       bool
		readOut      string // what the Emacs task prints, "" when it must not run
		readFails    bool   // no Emacs where it runs
		want         string
	}{
		{name: "a call", output: "(+ 1 2)\n", readOut: "3", want: "#+RESULTS:\n: 3\n"},
		{name: "a quoted list", output: "'(1 2)\n", want: "#+RESULTS:\n| 1 | 2 |\n"},
		// Without Emacs, the block fails as for any missing program.
		{name: "no emacs", output: "(+ 1 2)\n", readOut: "emacs: not found\n", readFails: true, want: "#+RESULTS:\n:results:\nborges: failed — exit status 127\n"},
		{name: "a failed block", output: "(+ 1 2)\n", failed: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			ended := Finished
			if c.failed {
				ended = Failed
			}
			e, fb, id := runFirst(t, doc, c.output, ended)
			if c.readOut != "" {
				l := waitLaunches(t, fb, 2)
				if l[1].Block != reader || !strings.Contains(l[1].Script, "(org-babel-ruby-table-or-string \"(+ 1 2)\n\")") {
					t.Fatalf("reader: %s %q", l[1].Block, l[1].Script)
				}
				fb.setOutput(l[1].ID, c.readOut)
				if c.readFails {
					finish(fb, l[1], Failed, 127)
					waitState(t, e, id, reader, Failed)
				} else {
					finish(fb, l[1], Finished, 0)
					waitState(t, e, id, reader, Finished)
				}
			} else {
				want := Finished
				if c.failed {
					want = Failed
				}
				// Not run, the reader is not shown (TestReaderShownOnlyOnceItRuns).
				waitDocState(t, e, id, want)
				if n := len(fb.launches()); n != 1 {
					t.Fatalf("%d launches, want the block's only", n)
				}
			}
			res, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if c.want == "" && strings.Contains(res, "#+RESULTS") || !strings.Contains(res, c.want) {
				t.Fatalf("results document:\n%s", res)
			}
		})
	}
}

// TestEmacsReadValueReachesDependents: a block referring to one whose
// output Emacs reads gets the value read, whether the reading task ran
// or not. The value is that of the run its reference makes of the block
// (Babel runs the block again at the reference, reading its output as
// a value written: :results silent dropped), read by a task of its own
// when Emacs must read it.
func TestEmacsReadValueReachesDependents(t *testing.T) {
	const doc = "#+name: ev\n#+begin_src ruby :results output table\nputs x\n#+end_src\n\n" +
		"#+name: user\n#+begin_src sh :var x=ev :results output\necho \"$x\"\n#+end_src\n"
	const refRun = "user :var x=ev"
	for _, c := range []struct {
		name, output string
		readOut      string // what the Emacs task prints, "" when it must not run
		script       string // how the dependent's script begins
	}{
		{name: "read by Emacs", output: "(concat \"4\" \"2\")\n", readOut: `"42"`, script: "x='42'\n"},
		{name: "read by Borges", output: "42\n", script: "x='42'\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, fb, stop := newTestEngine(t, t.TempDir())
			t.Cleanup(stop)
			if _, err := e.Submit(context.Background(), doc); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"ev", refRun} {
				a := launchOf(t, fb, name, 1)
				fb.setOutput(a.ID, c.output)
				finish(fb, a, Finished, 0)
			}
			if c.readOut != "" {
				r := launchOf(t, fb, plan.ReaderOf(refRun), 1)
				fb.setOutput(r.ID, c.readOut)
				finish(fb, r, Finished, 0)
			}
			user := launchOf(t, fb, "user", 1)
			if !strings.HasPrefix(user.Script, c.script) {
				t.Fatalf("dependent: %s %q", user.Block, user.Script)
			}
			if c.readOut == "" {
				for _, a := range fb.launches() {
					if a.Block == plan.ReaderOf(refRun) {
						t.Errorf("%s launched, its output read by Borges", a.Block)
					}
				}
			}
		})
	}
}

// TestEmacsReadAgainOnRestart: a block run again has its output read
// again, by Emacs only when the new output needs it.
func TestEmacsReadAgainOnRestart(t *testing.T) {
	const doc = "#+name: ev\n#+begin_src ruby :results output table\nputs x\n#+end_src\n"
	reader := plan.ReaderOf("ev")
	e, fb, id := runFirst(t, doc, "(+ 1 2)\n", Finished)
	l := waitLaunches(t, fb, 2)
	fb.setOutput(l[1].ID, "3")
	finish(fb, l[1], Finished, 0)
	waitState(t, e, id, reader, Finished)
	results := func(want string) {
		t.Helper()
		res, err := e.ResultDocument(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(res, want) {
			t.Fatalf("results document:\n%s", res)
		}
	}
	results("#+RESULTS: ev\n: 3\n")

	// Run again, printing what Borges reads itself: no Emacs, and not
	// the earlier reading's results.
	if err := e.RestartBlock(context.Background(), id, "ev"); err != nil {
		t.Fatal(err)
	}
	l = waitLaunches(t, fb, 3)
	fb.setOutput(l[2].ID, "'(1 2)\n")
	finish(fb, l[2], Finished, 0)
	waitState(t, e, id, reader, Finished)
	results("#+RESULTS: ev\n| 1 | 2 |\n")
	if n := len(fb.launches()); n != 3 {
		t.Fatalf("%d launches, want no reading by Emacs", n)
	}

	// And again, printing a call: read by Emacs.
	if err := e.RestartBlock(context.Background(), id, "ev"); err != nil {
		t.Fatal(err)
	}
	l = waitLaunches(t, fb, 4)
	fb.setOutput(l[3].ID, "(+ 2 2)\n")
	finish(fb, l[3], Finished, 0)
	l = waitLaunches(t, fb, 5)
	if l[4].Block != reader {
		t.Fatalf("fifth launch: %s", l[4].Block)
	}
	fb.setOutput(l[4].ID, "4")
	finish(fb, l[4], Finished, 0)
	waitState(t, e, id, reader, Finished)
	results("#+RESULTS: ev\n: 4\n")
}

// runFirst starts an engine on doc and ends its first launch as ended,
// having printed output; it returns the document's id.
func runFirst(t *testing.T, doc, output string, ended State) (*Engine, *fakeBackend, string) {
	t.Helper()
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, fb, 1)
	fb.setOutput(l[0].ID, output)
	code := 0
	if ended != Finished {
		code = 1
	}
	finish(fb, l[0], ended, code)
	return e, fb, v.ID
}

// TestReaderShownOnlyOnceItRuns: a document's view lists the task reading
// a block's output in Emacs only once it runs. Most never do (Borges reads
// the output itself), and a line saying so under nearly every Ruby,
// Python and JavaScript block would hide the blocks' own.
func TestReaderShownOnlyOnceItRuns(t *testing.T) {
	const doc = "#+begin_src ruby :results output table\nputs x\n#+end_src\n"
	const reader = "block-1 output read by Emacs"
	names := func(e *Engine, id string) []string {
		v, err := e.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		var n []string
		for _, b := range v.Blocks {
			n = append(n, b.Name)
		}
		return n
	}
	t.Run("not run", func(t *testing.T) {
		e, _, id := runFirst(t, doc, "'(1 2)\n", Finished)
		waitDocState(t, e, id, Finished)
		if got := names(e, id); strings.Join(got, ",") != "block-1" {
			t.Fatalf("blocks shown: %q", got)
		}
	})
	t.Run("run", func(t *testing.T) {
		e, fb, id := runFirst(t, doc, "(+ 1 2)\n", Finished)
		l := waitLaunches(t, fb, 2)
		fb.setOutput(l[1].ID, "3")
		finish(fb, l[1], Finished, 0)
		waitState(t, e, id, reader, Finished)
		if got := names(e, id); strings.Join(got, ",") != "block-1,"+reader {
			t.Fatalf("blocks shown: %q", got)
		}
	})
}

// waitDocState waits until document id is in state want.
func waitDocState(t *testing.T, e *Engine, id string, want State) {
	t.Helper()
	for range 2000 {
		if v, _ := e.Document(id); v != nil && v.State == want {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	v, _ := e.Document(id)
	t.Fatalf("document %s never reached %s: %+v", id, want, v)
}

// TestEmacsReadBeforeSessionReadBack: a block of a session reading back
// the results another block of it writes over named data waits for the
// task reading that block's output in Emacs, and binds the value read,
// not the raw output (without a session it waits too).
func TestEmacsReadBeforeSessionReadBack(t *testing.T) {
	for _, session := range []string{" :session s", ""} {
		t.Run(session, func(t *testing.T) {
			doc := "#+begin_src ruby :results output table" + session + "\nputs x\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n" +
				"#+name: user\n#+begin_src ruby :var x=data :results output" + session + "\nputs x\n#+end_src\n"
			e, fb, id := runFirst(t, doc, "(list 1 (+ 1 1))\n", Finished)
			l := waitLaunches(t, fb, 2)
			if l[1].Block != plan.ReaderOf("block-1") {
				t.Fatalf("second launch: %s, want the reading of the output", l[1].Block)
			}
			fb.setOutput(l[1].ID, "((1 2))")
			finish(fb, l[1], Finished, 0)
			waitState(t, e, id, plan.ReaderOf("block-1"), Finished)
			l = waitLaunches(t, fb, 3)
			if last := l[2]; last.Block != "user" || !strings.Contains(last.Script, "x=[[1, 2]]") {
				t.Fatalf("dependent: %s %q", last.Block, last.Script)
			}
		})
	}
}
