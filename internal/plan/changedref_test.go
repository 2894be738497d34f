package plan

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestBufferEditsChangedNewRef: a block of the document that an Emacs
// Lisp block before it changed to refer to a block it did not refer to
// (:var x=a, as a language's default :var the Lisp block set gives it)
// runs as the buffer holds it: org-babel-ref-resolve runs a again at
// that reference, a run the submitted plan does not have. Decide gives
// the block as changed, its value served by a's own run (a known
// difference from Emacs: a's side effects are done once less,
// testdata/rerun_elisp_default_ref.org).
func TestBufferEditsChangedNewRef(t *testing.T) {
	d := changedRefDecision(t, "")
	if d.Kind != Changed {
		t.Fatalf("c: %+v", d)
	}
	if !slices.Equal(d.Task.After, []string{"a"}) {
		t.Fatalf("c after %q, want a's own run", d.Task.After)
	}
}

// TestBufferEditsChangedNewRefSession: the same reference to a block of
// a session, which the block's own run cannot serve (the session counts
// each run), keeps the failure, naming the block and the reference as
// written, not the run's name.
func TestBufferEditsChangedNewRefSession(t *testing.T) {
	d := changedRefDecision(t, " :session s")
	if d.Kind != Fails || !strings.Contains(d.Why, "block a (:var x=a)") || strings.Contains(d.Why, "c :var") {
		t.Fatalf("c: %+v", d)
	}
}

// changedRefDecision is Decide's answer for block c after an Emacs Lisp
// block gave it :var x=a in the Org buffer, block a's header being
// header.
func changedRefDecision(t *testing.T, header string) Decision {
	t.Helper()
	d, _ := refEditDecision(t, []string{
		"#+name: a\n#+begin_src sh" + header + "\necho a\n#+end_src\n",
		"#+name: c\n#+begin_src sh\necho c\n#+end_src\n",
	}, 1, ":var x=a")
	return d
}

// refEditDecision is Decide's answer for blocks[at] (named c) after an
// Emacs Lisp block gave it header arguments args in the Org buffer, and
// the submitted plan's tasks by name.
func refEditDecision(t *testing.T, blocks []string, at int, args string) (Decision, map[string]*Task) {
	t.Helper()
	doc, p, task := planned(t, "* T\n\n"+strings.Join(blocks, "\n"))
	edited := slices.Clone(blocks)
	edited[at] = strings.Replace(edited[at], "#+begin_src sh\n", "#+begin_src sh "+args+"\n", 1)
	r := bufferReport(t, len(blocks), "", edited, len("* T\n\n"), "* T\n\n"+strings.Join(edited, "\n"))
	for i := range r.Marks[:len(blocks)] {
		r.Marks[i].Changed = i == at
	}
	e, err := BufferEdits(doc, p, r, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	return e.Decide(task["c"]), task
}

// TestBufferEditsChangedNewRefAfter: an Emacs Lisp block rewrites c's
// header to :var x=b, b standing after c. Emacs runs b at that
// reference, before the blocks between c and b; b's own run comes after
// them, so it cannot serve the reference (testdata/
// rerun_elisp_ref_later_block.org: the value would be neither run's, or
// b's own, which a block between may change). c fails, naming its line
// and the :var, rather than wait for b's own run (or run with an empty
// value).
func TestBufferEditsChangedNewRefAfter(t *testing.T) {
	d, task := refEditDecision(t, []string{
		"#+name: c\n#+begin_src sh\necho c\n#+end_src\n",
		"#+name: b\n#+begin_src sh\necho b\n#+end_src\n",
	}, 0, ":var x=b")
	want := fmt.Sprintf("line %d", task["c"].Line)
	if d.Kind != Fails || !strings.Contains(d.Why, want) || !strings.Contains(d.Why, ":var x=b") || !strings.Contains(d.Why, "after") {
		t.Fatalf("c: %+v (want a failure naming %s and :var x=b)", d, want)
	}
	if d.Task != nil {
		t.Fatalf("c runs as %+v", d.Task)
	}
}
