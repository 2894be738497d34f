package engine

import (
	"testing"

	"github.com/wallyqs/borges/internal/plan/plantest"
)

// readNextSessionDoc: the writer writes nothing over the data block user
// reads, whose next element of that name is a block of session s, after
// block first of that session, which refers to the reader (plan
// testdata readfix_next_session_after.org). Emacs runs block data
// within the reader's evaluation, before block first: no recursion.
const readNextSessionDoc = writerOverData +
	"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n" +
	"#+name: first\n#+begin_src sh :session s :var y=user :results output\necho \"first [$y]\"\n#+end_src\n\n" +
	"#+name: data\n#+begin_src sh :session s :results output\necho later\n#+end_src\n"

// TestReadNextSessionAfterReferrer: Borges takes the document (no
// "Variable binding depth exceeds max-specpdl-size": the way back from
// block data to the reader is the order of its session, not a
// reference Babel resolves) and runs it as Emacs does: block data, run
// for the reader's reference, goes to the session before block first,
// which waits for the reader; the document ends with every block run.
func TestReadNextSessionAfterReferrer(t *testing.T) {
	e, rb, id := submitToReport(t, readNextSessionDoc)
	endLaunch(t, rb, "block-1", 1, "", Finished)
	endLaunch(t, rb, "data", 1, "later\n", Finished)
	userBinds(t, rb, "later")
	// first's reference is a run of user of its own.
	endLaunch(t, rb, "first :var y=user", 1, "[later]\n", Finished)
	endLaunch(t, rb, "first", 1, "first [[later]]\n", Finished)
	everyBlockRan(t, waitDocumentEnded(t, e, id))
}

// readNextSessionBetweenDoc: a block of session s between the reader and
// block data, the next element of the name it reads, later in s.
var readNextSessionBetweenDoc = readNextAround("#+name: between\n#+begin_src sh :session s :results output\necho between\n#+end_src\n\n",
	"#+begin_src sh :session s :results output silent\necho later\n#+end_src\n")

// TestReadNextSessionBetween: as TestReadNextSessionAfterReferrer, but the
// block of session s between the reader and block data does not refer
// to the reader (plan testdata waitsfix_session_between.org): Emacs runs
// it after the reader, and block data, run for the reader's reference,
// goes to the session before it. Borges has it wait for the reader, so
// that the session gets the two in Emacs's order, and the document ends
// with every block run.
func TestReadNextSessionBetween(t *testing.T) {
	e, rb, id := submitToReport(t, readNextSessionBetweenDoc)
	endLaunch(t, rb, "block-1", 1, "", Finished)
	endLaunch(t, rb, "data", 1, "later\n", Finished)
	if launchedBlock(rb, "between") {
		t.Fatal("between launched before the reader ran: Emacs sends it to the session after block data")
	}
	userBinds(t, rb, "later")
	endLaunch(t, rb, "between", 1, "between\n", Finished)
	everyBlockRan(t, waitDocumentEnded(t, e, id))
}

// TestWaitWhyReaderBefore: what the wait of such a block between for the
// reader says, when it closes a circle of waits (waitWhy): Borges' own,
// to keep Emacs's order in the session.
func TestWaitWhyReaderBefore(t *testing.T) {
	_, p := plantest.Planned(t, readNextSessionBetweenDoc)
	ds := &docState{}
	for _, task := range p.Tasks {
		if task.Block != "between" {
			continue
		}
		y := &blockState{name: "between", doc: ds, task: task}
		why, emacsToo := ds.waitWhy(y, queuedWait{block: &blockState{name: "user"}, name: "user", kind: waitReader})
		if want := "block between, of session s, runs after block user, which may send the session a later block first"; why != want || emacsToo {
			t.Errorf("waitWhy = %q, %v; want %q, false", why, emacsToo, want)
		}
		return
	}
	t.Fatal("no task between")
}

// everyBlockRan fails t unless document d stopped nowhere and every
// instance of its blocks finished.
func everyBlockRan(t *testing.T, d *DocumentView) {
	t.Helper()
	noStop(t, d)
	for _, b := range d.Blocks {
		for _, in := range b.Instances {
			if in.State != Finished {
				t.Errorf("%s: %s %q", b.Name, in.State, in.Message)
			}
		}
	}
}
