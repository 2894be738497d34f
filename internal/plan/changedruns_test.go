package plan

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestBufferEditsChangedNewRefRuns: an Emacs Lisp block gives block c,
// which referred to nothing, :var x=a (a language's default :var, a
// header it edited). org-babel-ref-resolve runs a at that reference, a
// run of its own that the submitted plan does not have: Decide gives c
// as changed, waiting for that new run (Decision.Runs), named after c as
// the submitted plan names it, its results written nowhere, not for a's
// own run (testdata/rerun_elisp_default_ref.org: a side effect of a is
// done once more).
func TestBufferEditsChangedNewRefRuns(t *testing.T) {
	d := changedRefDecision(t, "")
	if d.Kind != Changed {
		t.Fatalf("c: %+v", d)
	}
	checkNewRun(t, d, "c :var x=a", "a")
}

// TestBufferEditsChangedNewRefAfterRuns: an Emacs Lisp block rewrites
// c's header to :var x=b, b standing after c. Emacs runs b at that
// reference, before the blocks between c and b (testdata/
// rerun_elisp_ref_later_block.org): c waits for a new run of b, made at
// c's turn, not for b's own run after them.
func TestBufferEditsChangedNewRefAfterRuns(t *testing.T) {
	d, _ := refEditDecision(t, []string{
		"#+name: c\n#+begin_src sh\necho c\n#+end_src\n",
		"#+name: b\n#+begin_src sh\necho b\n#+end_src\n",
	}, 0, ":var x=b")
	if d.Kind != Changed {
		t.Fatalf("c: %+v", d)
	}
	checkNewRun(t, d, "c :var x=b", "b")
}

// checkNewRun checks that d's task waits for one new run, name, of
// block of, and for nothing else.
func checkNewRun(t *testing.T, d Decision, name, of string) {
	t.Helper()
	if !slices.Equal(d.Task.After, []string{name}) {
		t.Fatalf("c after %q, want the new run %q", d.Task.After, name)
	}
	if len(d.Runs) != 1 {
		t.Fatalf("c's new runs: %d, want 1", len(d.Runs))
	}
	r := d.Runs[0]
	if r.Block != name || r.called == nil || r.called.name != of || r.Index >= 0 || r.ResultsIndex() >= 0 {
		t.Fatalf("the new run: %s (called %+v, index %d, results at %d)", r.Block, r.called, r.Index, r.ResultsIndex())
	}
	if got := fmt.Sprint(r.After); strings.Contains(got, name) {
		t.Fatalf("the new run waits for itself: %s", got)
	}
}

// refEditsDecision is Decide's answer for blocks[at] (named c) after an
// Emacs Lisp block gave header arguments args to each of blocks[i] for
// i in to (a language's default :var reaches every block of it).
func refEditsDecision(t *testing.T, blocks []string, at int, args string, to ...int) Decision {
	t.Helper()
	e, task := editedBlocks(t, blocks, func(i int, b string) string {
		if !slices.Contains(to, i) {
			return b
		}
		return strings.Replace(b, "#+begin_src sh\n", "#+begin_src sh "+args+"\n", 1)
	})
	return e.Decide(task["c"])
}

// TestBufferEditsChangedNewRefSelf: an Emacs Lisp block gives every sh
// block a default :var x=data, data's own block included, so that data
// refers to itself: Emacs, resolving c's reference, runs data, whose
// reference runs data again, without end, and stops at c with "Variable
// binding depth exceeds max-specpdl-size" (data standing before the
// Emacs Lisp block or after c: testdata/stop_elisp_default_ref_self.org,
// _before.org). The new run of data for c is not planned without its own
// reference (c given data's value, as it was): c fails, naming its line
// and its :var, and stops the document there with Emacs's error.
func TestBufferEditsChangedNewRefSelf(t *testing.T) {
	for _, order := range []string{"data after", "data before"} {
		blocks := []string{
			"#+name: c\n#+begin_src sh\necho c\n#+end_src\n",
			"#+name: data\n#+begin_src sh\necho d\n#+end_src\n",
		}
		at := 0
		if order == "data before" {
			blocks[0], blocks[1], at = blocks[1], blocks[0], 1
		}
		d := refEditsDecision(t, blocks, at, ":var x=data", 0, 1)
		t.Logf("%s: %s", order, d.Why)
		if d.Kind != Fails || len(d.Runs) != 0 || !strings.Contains(d.Why, "line ") || !strings.Contains(d.Why, ":var x=data") || d.Stop != DepthExceeded {
			t.Errorf("%s: c: %v %q (stop %q), %d runs; want it to fail naming its line and :var x=data, stopping with %q", order, d.Kind, d.Why, d.Stop, len(d.Runs), DepthExceeded)
		}
	}
}

// TestBufferEditsChangedNewRefFile: an Emacs Lisp block gives c a
// reference to mk, a :results file block, before it or after it. Emacs's
// run of mk at that reference writes mk's :file again (ob-ref keeps
// "file" in its :results), at c's turn, where the blocks reading that
// file and the runs writing it are ordered by it (markFileReads orders
// only the runs planned from the document as submitted): c fails, naming
// its line and its :var, rather than leave the file to another writer.
func TestBufferEditsChangedNewRefFile(t *testing.T) {
	mk := "#+name: mk\n#+begin_src sh :results file :file out9.txt\necho m\n#+end_src\n"
	between := "#+name: between\n#+begin_src sh\ncat out9.txt\n#+end_src\n"
	c := "#+name: c\n#+begin_src sh\necho c\n#+end_src\n"
	for what, blocks := range map[string][]string{
		"mk after":  {c, between, mk},
		"mk before": {mk, between, c},
	} {
		at := slices.Index(blocks, c)
		d, _ := refEditDecision(t, blocks, at, ":var x=mk")
		t.Logf("%s: %s", what, d.Why)
		if d.Kind != Fails || len(d.Runs) != 0 || !strings.Contains(d.Why, fmt.Sprintf("line %d", 3+at*5)) || !strings.Contains(d.Why, ":var x=mk") || !strings.Contains(d.Why, ":file") {
			t.Errorf("%s: c: %v %q, %d runs; want it to fail naming its line, :var x=mk and the :file", what, d.Kind, d.Why, len(d.Runs))
		}
	}
}

// newRefEdits is the Edits of a document of block data and n blocks an
// Emacs Lisp block gave :var x=data (a language's default :var), and
// the submitted plan's tasks by name.
func newRefEdits(t *testing.T, n int) (*Edits, map[string]*Task) {
	t.Helper()
	blocks := []string{"#+name: data\n#+begin_src sh\necho d\n#+end_src\n"}
	for i := range n {
		blocks = append(blocks, fmt.Sprintf("#+name: c%d\n#+begin_src sh\necho c\n#+end_src\n", i))
	}
	return editedBlocks(t, blocks, func(i int, b string) string {
		if i == 0 {
			return b
		}
		return strings.Replace(b, "#+begin_src sh\n", "#+begin_src sh :var x=data\n", 1)
	})
}

// TestNewRunsScales: deciding every referrer of a document whose blocks
// an Emacs Lisp block gave a reference each (the engine decides each
// block as it writes the results document) looks at tasks of the
// buffer's plan in a number that grows with them, not with their
// square: runsOf walked the whole buffer's plan on each Decide (4,000
// referrers: a second). Twice the referrers, twice deciding them all, at
// most 2.5 times the tasks looked at.
func TestNewRunsScales(t *testing.T) {
	const n = 100
	looked := func(n int) int {
		e, task := newRefEdits(t, n)
		for range 2 {
			for i := range n {
				if d := e.Decide(task[fmt.Sprintf("c%d", i)]); d.Kind != Changed || len(d.Runs) != 1 {
					t.Fatalf("c%d: %v %q, %d runs", i, d.Kind, d.Why, len(d.Runs))
				}
			}
		}
		return e.runsOfVisited
	}
	growsLinearly(t, n, "referrers", looked)
}

// TestBufferEditsChangedRefSelfDirect: an Emacs Lisp block gives c a
// :var x=c, a reference to itself (testdata/stop_elisp_ref_self_direct.org
// rewrites one into it): Emacs, resolving it, runs c, whose reference
// runs c again, without end, and stops at c with "Variable binding depth
// exceeds max-specpdl-size". Before, c failed with a dependency cycle
// and the document went on past it.
func TestBufferEditsChangedRefSelfDirect(t *testing.T) {
	blocks := []string{
		"#+name: a\n#+begin_src sh\necho a\n#+end_src\n",
		"#+name: c\n#+begin_src sh\necho c\n#+end_src\n",
	}
	d := refEditsDecision(t, blocks, 1, ":var x=c", 1)
	if d.Kind != Fails || d.Stop != DepthExceeded {
		t.Errorf("c: %v %q (stop %q); want it to fail, stopping with %q", d.Kind, d.Why, d.Stop, DepthExceeded)
	}
}

// TestRefDroppedScales: n named blocks referring to a, an Emacs Lisp
// block rewrites each one's :var x=a into :var x=b; deciding every task
// of the submitted plan (each run of a is dropped: refDropped) looks at
// tasks in a number that grows with the referrers, not with their square:
// refDropped counted the runs of the reference by walking both plans for
// each run dropped (4,000 referrers: 11 s). Twice the referrers, at most
// 2.5 times the tasks looked at.
func TestRefDroppedScales(t *testing.T) {
	looked := func(n int) int {
		blocks := []string{"#+name: a\n#+begin_src sh\necho a\n#+end_src\n", "#+name: b\n#+begin_src sh\necho b\n#+end_src\n"}
		for i := range n {
			blocks = append(blocks, fmt.Sprintf("#+name: c%d\n#+begin_src sh :var x=a\necho c\n#+end_src\n", i))
		}
		e, _ := editedBlocks(t, blocks, func(_ int, b string) string { return strings.Replace(b, ":var x=a", ":var x=b", 1) })
		dropped := 0
		for range 2 {
			for _, tk := range e.old.Tasks {
				if d := e.Decide(tk); d.Kind == Deleted && tk.called != nil {
					dropped++
				}
			}
		}
		if dropped != 2*n {
			t.Fatalf("%d referrers: %d runs of a dropped, want %d", n, dropped/2, n)
		}
		return e.refsVisited
	}
	const n = 100
	growsLinearly(t, n, "referrers", looked)
}

// TestBufferEditsChangedRefCycle: an Emacs Lisp block gives c a :var
// x=b, b referring to c (testdata/stop_elisp_ref_cycle.org): Emacs,
// reaching either, runs the other at its reference, and that one again,
// without end, and stops at the first it reaches with "Variable binding
// depth exceeds max-specpdl-size", as for c referring to itself; a block
// after them that refers to neither runs as submitted (never reached).
// Before, the cycle failed c alone, the document going on past it.
func TestBufferEditsChangedRefCycle(t *testing.T) {
	c := "#+name: c\n#+begin_src sh\necho c\n#+end_src\n"
	b := "#+name: b\n#+begin_src sh :var z=c\necho b\n#+end_src\n"
	d := "#+name: d\n#+begin_src sh\necho d\n#+end_src\n"
	for what, blocks := range map[string][]string{"b after": {c, b, d}, "b before": {b, c, d}} {
		e, task := editedBlocks(t, blocks, func(_ int, b string) string {
			if b != c {
				return b
			}
			return strings.Replace(c, "#+begin_src sh\n", "#+begin_src sh :var x=b\n", 1)
		})
		first := task[strings.TrimPrefix(strings.SplitN(blocks[0], "\n", 2)[0], "#+name: ")]
		if d := e.Decide(first); d.Kind != Fails || d.Stop != DepthExceeded {
			t.Errorf("%s: %s: %v %q (stop %q); want it to fail, stopping with %q", what, first.Block, d.Kind, d.Why, d.Stop, DepthExceeded)
		}
		if d := e.Decide(task["d"]); d.Kind != Kept {
			t.Errorf("%s: d: %v %q", what, d.Kind, d.Why)
		}
	}
}
