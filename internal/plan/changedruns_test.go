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
