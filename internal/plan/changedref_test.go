package plan

import (
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
	blocks := []string{
		"#+name: a\n#+begin_src sh" + header + "\necho a\n#+end_src\n",
		"#+name: c\n#+begin_src sh\necho c\n#+end_src\n",
	}
	doc, p, task := planned(t, "* T\n\n"+strings.Join(blocks, "\n"))
	edited := slices.Clone(blocks)
	edited[1] = strings.Replace(edited[1], "#+begin_src sh\n", "#+begin_src sh :var x=a\n", 1)
	r := bufferReport(t, len(blocks), "", edited, len("* T\n\n"), "* T\n\n"+strings.Join(edited, "\n"))
	r.Marks[0].Changed, r.Marks[1].Changed = false, true
	e, err := BufferEdits(doc, p, r, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	return e.Decide(task["c"])
}
