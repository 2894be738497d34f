package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestAddedSessionBlockRuns: a block of a session that an Emacs Lisp
// block inserts after itself runs in that session's interpreter, as
// org-babel-execute-buffer runs it where it finds it: after the blocks
// of the session before it (pre), before those after it (post), which
// wait for it. The session stays open for it though its blocks before
// the inserting block had all ended; with no block of the session after
// it (tail), it is closed once the inserted block has ended. It was
// listed as not run.
func TestAddedSessionBlockRuns(t *testing.T) {
	for _, tail := range []bool{false, true} {
		t.Run(map[bool]string{false: "before post", true: "last"}[tail], func(t *testing.T) {
			rb := newReportBackend()
			e, _ := startEngine(t, t.TempDir(), rb, Config{})
			pre := markAt{at: "#+begin_src sh :session s\nx=1"}
			post := markAt{at: "#+begin_src sh :session s\necho post"}
			doc := "#+name: pre\n" + pre.at + "\n#+end_src\n\n" + adderDoc("")
			if !tail {
				doc = strings.TrimSuffix(doc, "* Here\n") + "#+name: post\n" + post.at + " $x\n#+end_src\n\n* Here\n"
			}
			inserted := "#+name: inserted\n#+begin_src sh :session s\necho inserted $x\n#+end_src\n\n"
			at := strings.Index(doc, "#+name: post")
			if tail {
				at = strings.Index(doc, "* Here")
			}
			added := doc[:at] + inserted + doc[at:]
			marks := []markAt{pre, adderMark}
			if !tail {
				marks = append(marks, post)
			}
			marks = append(marks, markAt{at: "#+begin_src sh :session s\necho inserted"})
			id := submitAddingAfter(t, e, rb, doc, added, marks...)
			ins := launchOf(t, rb.fakeBackend, "inserted", 1)
			first := launchOf(t, rb.fakeBackend, "pre", 1)
			if ins.Session == "" || ins.Session != first.Session {
				t.Fatalf("inserted ran in session %q, pre in %q", ins.Session, first.Session)
			}
			if slices.Contains(rb.closedSessions(), first.Session) {
				t.Fatalf("session %s closed before the inserted block ended", first.Session)
			}
			if !tail && slices.ContainsFunc(rb.launches(), func(a *Attempt) bool { return a.Block == "post" }) {
				t.Fatal("post launched before the inserted block ended")
			}
			finish(rb.fakeBackend, ins, Finished, 0)
			if !tail {
				p := launchOf(t, rb.fakeBackend, "post", 1)
				if p.Session != first.Session {
					t.Fatalf("post ran in session %q, pre in %q", p.Session, first.Session)
				}
				finish(rb.fakeBackend, p, Finished, 0)
			}
			waitState(t, e, id, "inserted", Finished)
			for i := 0; i < 2000 && !slices.Contains(rb.closedSessions(), first.Session); i++ {
				time.Sleep(5 * time.Millisecond)
			}
			if c := rb.closedSessions(); !slices.Contains(c, first.Session) {
				t.Fatalf("closed %q, want %s", c, first.Session)
			}
		})
	}
}

// submitAddingAfter submits doc, finishes the blocks that launch before
// its adder, and has the adder end adding blocks (added, marks: see
// addedReport). It returns the document's id.
func submitAddingAfter(t *testing.T, e *Engine, rb *reportBackend, doc, added string, marks ...markAt) string {
	t.Helper()
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 10; n++ {
		a := waitLaunches(t, rb.fakeBackend, n)[n-1]
		if a.Block == "adder" {
			rb.setReport(a.ID, addedReport(t, added, marks...))
			finish(rb.fakeBackend, a, Finished, 0)
			return v.ID
		}
		finish(rb.fakeBackend, a, Finished, 0)
	}
	t.Fatal("the adder did not launch among the first 10 launches")
	return ""
}

// TestAddedSessionBlockRunsItsSessionAgain: a block of a session that an
// Emacs Lisp block run again (restarted once the document ended) inserts
// among the session's blocks, which have all run and whose interpreter
// was closed, runs its whole session again, in order, in a new
// interpreter, as a restart of one of its blocks does: pre, then the
// inserted block, then post.
func TestAddedSessionBlockRunsItsSessionAgain(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	pre := markAt{at: "#+begin_src sh :session s\nx=1"}
	post := markAt{at: "#+begin_src sh :session s\necho post"}
	doc := "#+name: pre\n" + pre.at + "\n#+end_src\n\n" + adderDoc("#+name: post\n"+post.at+" $x\n#+end_src\n\n")
	id := submitAddingAfter(t, e, rb, doc, doc, pre, adderMark, post)
	n := finishAll(t, e, rb, id, 2)
	first := launchOf(t, rb.fakeBackend, "pre", 1)
	for i := 0; i < 2000 && !slices.Contains(rb.closedSessions(), first.Session); i++ {
		time.Sleep(5 * time.Millisecond)
	}
	if !slices.Contains(rb.closedSessions(), first.Session) {
		t.Fatalf("session %s never closed", first.Session)
	}
	if err := e.RestartBlock(context.Background(), id, "adder"); err != nil {
		t.Fatal(err)
	}
	again := waitLaunches(t, rb.fakeBackend, n+1)[n]
	if again.Block != "adder" {
		t.Fatalf("launch %d is %s, want adder", n+1, again.Block)
	}
	at := strings.Index(doc, "#+name: post")
	added := doc[:at] + "#+name: inserted\n#+begin_src sh :session s\necho inserted $x\n#+end_src\n\n" + doc[at:]
	rb.setReport(again.ID, addedReport(t, added, pre, adderMark, post, markAt{at: "#+begin_src sh :session s\necho inserted"}))
	finish(rb.fakeBackend, again, Finished, 0)
	var order []string
	session := ""
	for k := n + 1; k < n+4; k++ {
		a := waitLaunches(t, rb.fakeBackend, k+1)[k]
		order = append(order, a.Block)
		if session == "" {
			session = a.Session
		}
		if a.Session != session || a.Session == first.Session {
			t.Fatalf("%s ran in session %q (the first %s, the new one %s)", a.Block, a.Session, first.Session, session)
		}
		finish(rb.fakeBackend, a, Finished, 0)
	}
	if want := []string{"pre", "inserted", "post"}; !slices.Equal(order, want) {
		t.Fatalf("ran %q, want %q", order, want)
	}
}
