package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// finderSessionDoc has finder x, whose output Perl writes to a file
// (:results output drawer: read once it ended, and searched for blocks),
// then q, and z, of session s, which refers to q.
const finderSessionDoc = "#+name: x\n#+begin_src perl :results output drawer\nprint \"x\";\n#+end_src\n\n#+RESULTS: x\n: old\n\n" +
	"#+name: q\n#+begin_src sh\necho q\n#+end_src\n\n" +
	"#+name: z\n#+begin_src sh :session s :var v=q\necho \"z $v\"\n#+end_src\n"

// TestSessionBlockRestartedWaitsForFoundAfterRead: z, of session s, run
// again on request while q, which it refers to, runs again, is queued
// while finder x's new output, holding a block of session s, is read once
// it ended. q, and the run of q z's :var v=q makes, end during that
// read: z waits for the read, as for a finder still
// running (the found block, run in session s before z, is added only once
// the read ends), and is not launched until then.
func TestSessionBlockRestartedWaitsForFoundAfterRead(t *testing.T) {
	// The run of q z's :var v=q makes (Babel runs q again at the
	// reference): z waits for it, beside the read.
	const zRun = "z :var v=q"
	e, c, v := submitCounted(t, finderSessionDoc)
	ctx := context.Background()
	x := launchOf(t, c.fakeBackend, "x", 1)
	q := launchOf(t, c.fakeBackend, "q", 1)
	c.setOutput(x.ID, "nothing\n")
	finish(c.fakeBackend, x, Finished, 0)
	waitEndReadsDone(t, e, v.ID)
	finish(c.fakeBackend, q, Finished, 0)
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, zRun, 1), Finished, 0)
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, "z", 1), Finished, 0)
	waitDocumentEnded(t, e, v.ID)

	for _, name := range []string{"q", "z", "x"} {
		if err := e.RestartBlock(ctx, v.ID, name); err != nil {
			t.Fatal(err)
		}
	}
	q = launchOf(t, c.fakeBackend, "q", 2)
	x = launchOf(t, c.fakeBackend, "x", 2)
	endHeld(t, c, x, "#+begin_src sh :session s\necho found\n#+end_src\n")
	finish(c.fakeBackend, q, Finished, 0)
	// z run again makes its reference again: that run of q ends too.
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, zRun, 2), Finished, 0)
	for range 100 {
		if n := countLaunches(c.reportBackend, "z"); n != 1 {
			c.release()
			t.Fatalf("z launched %d times while x's output, holding a block of its session, was read, want once (before)", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.release()
	found := waitFoundLaunch(t, c)
	finish(c.fakeBackend, found, Finished, 0)
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, "z", 2), Finished, 0)
	if d := waitDocumentEnded(t, e, v.ID); d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
	if a := launchedFound(c); a == nil || !strings.Contains(a.Script, "echo found") {
		t.Errorf("the block found in x's output never ran")
	}
}

// waitEndReadsDone waits, bounded, until document id has no attempt-end
// read going on.
func waitEndReadsDone(t *testing.T, e *Engine, id string) {
	t.Helper()
	for range 2000 {
		e.mu.Lock()
		n := len(e.docs[id].endReads)
		e.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("attempt-end reads never ended")
}
