package engine

import (
	"context"
	"strings"
	"testing"
)

// TestValuesReachDependents: a block's result reaches the blocks that
// refer to it as Babel would give it them.
func TestValuesReachDependents(t *testing.T) {
	for _, c := range []struct {
		name, doc, output string
		// The dependent's block, and how its script begins.
		block, script string
		// The run of the block the dependent's reference makes (Babel
		// runs it again at the reference, the dependent taking that
		// run's value), "" for none (data, or a cached block whose
		// hash is current there).
		ref string
	}{
		// A :cache yes block run for the first time feeds its dependents
		// its results as Babel reads them back from the document
		// ("computed", not "computed\n"); plan's
		// TestAgainstEmacs/cached_values checks the values against Emacs.
		{name: "fresh cached value",
			doc: "#+name: cached\n#+begin_src sh :cache yes :results output\necho computed\n#+end_src\n\n" +
				"#+name: user\n#+begin_src sh :var x=cached :results output\necho \"[$x]\"\n#+end_src\n",
			output: "computed\n", block: "user", script: "x='computed'\n"},
		// A table result with its column names put back reaches the
		// blocks that refer to it with them (Babel's language functions
		// reassemble it before returning it); plan's
		// TestAgainstEmacs/column_names checks against Emacs.
		{name: "column names",
			doc: "#+name: tbl\n| h |\n|---|\n| 1 |\n| 2 |\n\n#+name: a\n#+begin_src sh :var x=tbl :colnames yes\necho \"$x\"\n#+end_src\n\n" +
				"#+name: b\n#+begin_src sh :var y=a :colnames no :results output\necho \"$y\"\n#+end_src\n",
			output: "1\n2\n", block: "b", script: "y='h\n1\n2'\n", ref: "b :var y=a"},
		// A #+name: on a block's anonymous results names what the
		// block writes there when it runs, read back ("42", not the
		// "17" the document had); plan's TestAgainstEmacs/hunt6b_written
		// checks against Emacs.
		{name: "named results written over",
			doc: "#+begin_src sh :results output\necho 42\n#+end_src\n\n#+name: data\n#+RESULTS:\n: 17\n\n" +
				"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n",
			output: "42\n", block: "user", script: "x='42'\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, fb, stop := newTestEngine(t, t.TempDir())
			t.Cleanup(stop)
			if _, err := e.Submit(context.Background(), c.doc); err != nil {
				t.Fatal(err)
			}
			// The block referred to: the first launch, or the second
			// where the reference's run came first.
			l := waitLaunches(t, fb, 1)
			if l[0].Block == c.ref {
				l = waitLaunches(t, fb, 2)[1:]
			}
			fb.setOutput(l[0].ID, c.output)
			finish(fb, l[0], Finished, 0)
			if c.ref != "" {
				r := launchOf(t, fb, c.ref, 1)
				fb.setOutput(r.ID, c.output)
				finish(fb, r, Finished, 0)
			}
			if d := launchOf(t, fb, c.block, 1); !strings.HasPrefix(d.Script, c.script) {
				t.Fatalf("dependent: %s %q", d.Block, d.Script)
			}
		})
	}
}

// Column names taken off a :var table go back above the table result.
func TestColnamesWrittenBack(t *testing.T) {
	const doc = "#+name: tbl\n| h |\n|---|\n| 1 |\n| 2 |\n\n#+name: user\n#+begin_src sh :var x=tbl :colnames yes\necho \"$x\"\n#+end_src\n"
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, fb, 1)
	fb.setOutput(l[0].ID, "1\n2\n")
	finish(fb, l[0], Finished, 0)
	waitState(t, e, v.ID, "user", Finished)
	res, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res, "#+RESULTS: user\n| h |\n|---|\n| 1 |\n| 2 |\n") {
		t.Fatalf("results document:\n%s", res)
	}
}

// TestRewrittenDataNotFound: a #+name: on a block's anonymous results
// names what the block writes there; when that is nothing Babel reads as
// data (the block printed nothing, or wrote a drawer), Emacs stops at the
// block reading it with "Reference not found". The reader fails with
// that, naming the data and its line, and is not launched with the old
// value; plan's TestAgainstEmacs/refsfix_not_found checks against Emacs.
func TestRewrittenDataNotFound(t *testing.T) {
	for _, c := range []struct{ name, results, output string }{
		{"nothing printed", "output", ""},
		{"a drawer", "output drawer", "new\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := "#+begin_src sh :results " + c.results + "\necho new\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n" +
				"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n"
			e, fb, id := runFirst(t, doc, c.output, Finished)
			referrerFailedAt(t, e, id, "line 9", ":var x=data")
			if n := len(fb.launches()); n != 1 {
				t.Errorf("%d launches, want the writer's only", n)
			}
		})
	}
}

// TestReadBackKept: the results a block writes over named data are read
// back once, then kept with the block (the scheduling pass and the
// result documents ask for them again and again, under the engine's
// lock).
func TestReadBackKept(t *testing.T) {
	const doc = "#+begin_src sh :results output\necho 42\n#+end_src\n\n#+name: data\n#+RESULTS:\n: 17\n\n" +
		"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n"
	e, fb, id := runFirst(t, doc, "42\n", Finished)
	waitLaunches(t, fb, 2)
	e.mu.Lock()
	defer e.mu.Unlock()
	ds := e.docs[id]
	writer := ds.byName["block-1"]
	if writer == nil || len(writer.readBacks) != 1 {
		t.Fatalf("the writer's read-backs kept: %+v", writer)
	}
	for k, r := range writer.readBacks {
		if r.v.Scalar != "42" {
			t.Errorf("%q: %+v, want 42", k, r)
		}
	}
}
