package plan

import (
	"strings"
	"testing"
)

// TestBufferEditsChangedNewRefSession: a reference an Emacs Lisp block
// gave block c (TestBufferEditsChangedNewRefRuns) to a block of a
// session, whose run there Borges does not plan from the buffer (the
// session counts each run), keeps the failure, naming the block and the reference as
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
	e, task := editedBlocks(t, blocks, func(i int, b string) string {
		if i != at {
			return b
		}
		return strings.Replace(b, "#+begin_src sh\n", "#+begin_src sh "+args+"\n", 1)
	})
	return e.Decide(task["c"]), task
}

// editedBlocks is the Edits of a document of blocks (each a block's
// text, after a heading) that an Emacs Lisp block edited into what edit
// makes of each (by its place), those it changed marked changed, and the
// submitted plan's tasks by name.
func editedBlocks(t *testing.T, blocks []string, edit func(i int, b string) string) (*Edits, map[string]*Task) {
	t.Helper()
	return editedBlocksLibrary(t, blocks, edit, nil)
}
