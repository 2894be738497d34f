package engine

import (
	"context"
	"testing"
)

// TestReferenceRunQueuedAtReferrersTurn: the run a reference makes of a
// block (a block of a session run again for ":var v=c", a call with
// arguments "f(n=2)") is a task of its own that Emacs runs as it
// evaluates the referring block, before it: the queue takes it at its
// referrer's turn, not after every block of the document. With room for
// one block at a time, once the blocks before it have run the reference's
// run is admitted before w, the block after the referrer, and the
// referrer follows it. A block's :post is a task of its own too, which
// Emacs runs as it ends its block, before it goes on: admitted right
// after its block, before w.
func TestReferenceRunQueuedAtReferrersTurn(t *testing.T) {
	for _, c := range []struct {
		name, text, run string
		before          []string // run, one at a time, before the reference's
		after           map[string]State
	}{
		{"session rerun",
			"#+name: x\n#+begin_src sh :cpu 2\necho x\n#+end_src\n\n" +
				"#+name: c\n#+begin_src sh :cpu 2 :session s\necho c\n#+end_src\n\n" +
				"#+name: use\n#+begin_src sh :cpu 2 :var v=c\necho $v\n#+end_src\n\n" +
				"#+name: w\n#+begin_src sh :cpu 2\necho w\n#+end_src\n",
			"use :var v=c", []string{"x", "c"}, map[string]State{"use": Staged, "w": Queued}},
		{"call with arguments",
			"#+name: x\n#+begin_src sh :cpu 2\necho x\n#+end_src\n\n" +
				"#+name: f\n#+begin_src sh :cpu 2 :var n=1\necho $n\n#+end_src\n\n" +
				"#+name: use\n#+begin_src sh :cpu 2 :var v=f(n=2)\necho $v\n#+end_src\n\n" +
				"#+name: w\n#+begin_src sh :cpu 2\necho w\n#+end_src\n",
			"f(n=2)", []string{"x", "f"}, map[string]State{"use": Staged, "w": Queued}},
		{":post",
			"#+name: x\n#+begin_src sh :cpu 2\necho x\n#+end_src\n\n" +
				"#+name: f\n#+begin_src sh :cpu 2 :var s=\"\"\necho $s\n#+end_src\n\n" +
				"#+name: use\n#+begin_src sh :cpu 2 :post f(s=*this*)\necho u\n#+end_src\n\n" +
				"#+name: w\n#+begin_src sh :cpu 2\necho w\n#+end_src\n",
			"use :post f(s=*this*)", []string{"x", "f", "use"}, map[string]State{"w": Staged}},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, _, v := scheduled(t, c.text)
			ctx := context.Background()
			for _, name := range append(c.before, c.run) {
				for _, other := range []string{"x", "c", "f", "use", "w", c.run} {
					if other == name || !hasBlock(e, v.ID, other) {
						continue
					}
					if _, st := current(e, v.ID, other); st == Staged {
						t.Fatalf("%s staged where %s's turn is (one block at a time)", other, name)
					}
				}
				a, st := current(e, v.ID, name)
				if st != Staged {
					t.Fatalf("%s is %s at its turn, want staged", name, st)
				}
				finishAttempt(e, a)
				e.schedule(ctx)
			}
			wantStates(t, e, v.ID, "after "+c.run, c.after)
		})
	}
}

// hasBlock reports whether document doc has a block (or task) name.
func hasBlock(e *Engine, doc, name string) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.docs[doc].byName[name] != nil
}
