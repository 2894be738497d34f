package engine

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// TestReadNextNotRunNamesCycle: the reader is not run when the block it
// runs for its reference would wait for it; the message names what
// closes that circle of waits: the document's Emacs running its blocks
// in their order. (A finder referring to the reader no longer closes
// one: its reference is a run of the reader of its own, and every block
// runs, as TestReadNextSessionAfterFinder pins.)
func TestReadNextNotRunNamesCycle(t *testing.T) {
	t.Run("emacs", func(t *testing.T) {
		e, rb, id := submitToReport(t, readNextAround("#+name: lisp\n#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n",
			"#+begin_src emacs-lisp\n\"later\"\n#+end_src\n"))
		endEach(t, rb, "block-1", "", "lisp", "", "data", "")
		d := waitDocumentEnded(t, e, id)
		readerNotRun(t, rb, d)
		if m, _ := blockMessage(d, "user"); !strings.Contains(m, ": the buffer of the document's Emacs holds the results of block lisp before block data runs") {
			t.Errorf("user: %q, want it to blame the document's Emacs", m)
		}
	})
}

// TestWaitWhy: what each kind of wait says closes a circle of waits
// (waitWhy), and whether Emacs waits so too; and the reader's message
// (nextCycleWhy), which does not say that Emacs runs the block where
// every wait on the way is one Emacs makes too (it would evaluate the
// reader again), nor that the waits are for blocks between the two.
func TestWaitWhy(t *testing.T) {
	ds := &docState{}
	y := &blockState{name: "y", doc: ds, task: &plan.Task{Block: "y", BufferPrev: "prev", ResultsWith: "owner"}}
	w := func(name string, kind waitKind) queuedWait {
		return queuedWait{block: &blockState{name: name}, name: name, kind: kind}
	}
	post := &blockState{name: "p", doc: ds, task: &plan.Task{Block: "p", Post: true, ResultsWith: "owner"}}
	reading := &blockState{name: "r", doc: ds, task: &plan.Task{Block: "r", ReadsOutput: true, ResultsWith: "owner"}}
	inSession := &blockState{name: "s2", doc: ds, task: (&plan.Task{Block: "s2", Session: &plan.Session{Name: "s"}}).InSessionAfter("s1")}
	for _, c := range []struct {
		name     string
		y        *blockState
		w        queuedWait
		want     string
		emacsToo bool
	}{
		{"buffer order", y, w("prev", waitDependency), "the document's Emacs runs block prev before block y", false},
		{"session order", inSession, w("s1", waitDependency), "session s runs block s1 before block s2", false},
		{"post", post, w("owner", waitDependency), "block p, a :post of block owner, runs after it", true},
		{"reading", reading, w("owner", waitDependency), "block r reads what block owner printed", true},
		{"reference", y, w("z", waitDependency), "block y refers to block z or runs after it, as its :after says", true},
		{"found after", y, queuedWait{block: &blockState{name: "o-found-1", addedBy: "o", found: true}, name: "o-found-1", kind: waitDependency}, "block y runs after block o-found-1, found in the results of a block its :after names", true},
		{"added after", y, queuedWait{block: &blockState{name: "added-1", addedBy: "o"}, name: "added-1", kind: waitDependency}, "block y runs after block added-1, added to the Org buffer by a block its :after names", true},
		{"buffer", y, w("b", waitBuffer), "the buffer of the document's Emacs holds the results of block b before block y runs", false},
		{"environment", y, w("env", waitEnvironment), "block y takes the environment block env leaves in the document's Emacs", false},
		{"failure stop", y, w("f", waitFailStop), "block y waits for block f, run again after it stopped the document, to end", false},
		{"finder", y, w("f", waitFinder), "block y, of a session, waits for block f, before it, whose results may hold blocks", false},
		{"replaced", y, w("o", waitReplaced), "block y stands in the results of block o, and waits for it", false},
		{"next", y, w("n", waitNext), "block y runs block n, the next element of a name, for a reference", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			why, emacsToo := ds.waitWhy(c.y, c.w)
			if why != c.want || emacsToo != c.emacsToo {
				t.Errorf("waitWhy = %q, %v; want %q, %v", why, emacsToo, c.want, c.emacsToo)
			}
		})
	}
	nw := plan.NextWait{Writer: "w", Data: "d", Next: "data"}
	const head = "not run: block w wrote nothing under #+name: d, and Babel runs the next element so named, block data, for the reference; "
	if got, want := nextCycleWhy(nw, "data", "block f, of a session…", false), head+"Emacs runs it here, within this block's evaluation, but in Borges it waits for this block: block f, of a session…"; got != want {
		t.Errorf("Borges' own wait:\n%s\nwant:\n%s", got, want)
	}
	if got, want := nextCycleWhy(nw, "data", "block data refers to block z…", true), head+"it waits for this block, and so does Emacs, which would evaluate this block again within its evaluation: block data refers to block z…"; got != want {
		t.Errorf("Emacs's own waits:\n%s\nwant:\n%s", got, want)
	}
}
