package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// insertSessionDoc is an adder followed by two blocks of session s, pre and
// post; insertedAt is where a block inserted between them goes.
var (
	sessionPre       = markAt{at: "#+begin_src sh :session s\nx=1"}
	sessionPost      = markAt{at: "#+begin_src sh :session s\necho post"}
	insertSessionDoc = adderDoc("#+name: pre\n" + sessionPre.at + "\n#+end_src\n\n#+name: post\n" + sessionPost.at + " $x\n#+end_src\n\n")
)

// withInserted is insertSessionDoc with blocks put before post (between) and
// at its end (last), and the marks of the executables after the adder
// (the inserted ones last, in the order given: between's, then last's).
func withInserted(between, last []string) (string, []markAt) {
	at := strings.Index(insertSessionDoc, "#+name: post")
	end := strings.Index(insertSessionDoc, "* Here")
	added := insertSessionDoc[:at] + strings.Join(between, "") + insertSessionDoc[at:end] + strings.Join(last, "") + insertSessionDoc[end:]
	marks := []markAt{sessionPre, sessionPost}
	for _, b := range append(slices.Clone(between), last...) {
		begin := b[strings.Index(b, "#+begin_src"):]
		marks = append(marks, markAt{at: begin[:strings.Index(begin, "\n#+end_src")]})
	}
	return added, marks
}

// countLaunches is how many attempts of block name were launched.
func countLaunches(rb *reportBackend, name string) int {
	n := 0
	for _, a := range rb.launches() {
		if a.Block == name {
			n++
		}
	}
	return n
}

// TestDroppedSessionBlockRunsItsSessionAgain: a block of a session that
// an Emacs Lisp block inserted and that ran in the session's interpreter
// (x=2), which that block run again no longer inserts, leaves in the
// interpreter what it did, which org-babel-execute-buffer, not finding
// the block, never does: the session runs again, in order, in a new
// interpreter (pre, then post, which sees x=1), the old one closed, a
// running attempt of it killed. Its blocks stayed as they were, post
// with the value the dropped block left, or still running in the
// interpreter it left.
func TestDroppedSessionBlockRunsItsSessionAgain(t *testing.T) {
	for _, running := range []bool{false, true} {
		t.Run(map[bool]string{false: "ended", true: "post running"}[running], func(t *testing.T) {
			rb := newReportBackend()
			e, _ := startEngine(t, t.TempDir(), rb, Config{})
			added, marks := withInserted([]string{"#+name: inserted\n#+begin_src sh :session s\nx=2\n#+end_src\n\n"}, nil)
			id := submitAdding(t, e, rb, insertSessionDoc, added, marks...)
			var post *Attempt
			for n := 2; n <= 4; n++ {
				a := waitLaunches(t, rb.fakeBackend, n)[n-1]
				if a.Block == "post" && running {
					rb.sink(Update{AttemptID: a.ID, State: Running})
					waitState(t, e, id, "post", Running)
					post = a
					break
				}
				finish(rb.fakeBackend, a, Finished, 0)
				if a.Block == "post" {
					post = a
					break
				}
			}
			if post == nil {
				t.Fatalf("post never launched: %d launches", len(rb.launches()))
			}
			if countLaunches(rb, "inserted") != 1 {
				t.Fatalf("inserted launched %d times before the drop", countLaunches(rb, "inserted"))
			}
			if !running {
				waitState(t, e, id, "post", Finished)
				waitClosed(t, rb.fakeBackend, 1)
			}
			closed := len(rb.closedSessions())
			rerunAdder(t, e, rb, id, insertSessionDoc, len(rb.launches()), sessionPre, sessionPost)
			if running {
				waitKilled(t, rb.fakeBackend, post.ID)
			}
			pre := launchOf(t, rb.fakeBackend, "pre", 2)
			if pre.Session == post.Session {
				t.Fatalf("pre ran again in the interpreter the dropped block ran in (%s)", post.Session)
			}
			finish(rb.fakeBackend, pre, Finished, 0)
			again := launchOf(t, rb.fakeBackend, "post", 2)
			if again.Session != pre.Session {
				t.Fatalf("post ran again in session %s, pre in %s", again.Session, pre.Session)
			}
			finish(rb.fakeBackend, again, Finished, 0)
			waitState(t, e, id, "post", Finished)
			if running {
				// Closed once post's attempt is killed (ended, it was
				// closed before the drop).
				for i := 0; i < 2000 && !slices.Contains(rb.closedSessions()[closed:], post.Session); i++ {
					time.Sleep(5 * time.Millisecond)
				}
				if c := rb.closedSessions()[closed:]; !slices.Contains(c, post.Session) {
					t.Errorf("sessions closed after the drop: %q, want %s", c, post.Session)
				}
			}
			if n := countLaunches(rb, "inserted"); n != 1 {
				t.Errorf("the dropped block launched %d times", n)
			}
		})
	}
}

// TestDroppedQueuedSessionBlockLeavesItsSession: a block of a session an
// Emacs Lisp block inserted that had not launched when that block, run
// again, no longer inserts it leaves the interpreter as it was: the
// session is not run again, post runs after pre in it.
func TestDroppedQueuedSessionBlockLeavesItsSession(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	added, marks := withInserted([]string{"#+name: inserted\n#+begin_src sh :session s\nx=2\n#+end_src\n\n"}, nil)
	id := submitAdding(t, e, rb, insertSessionDoc, added, marks...)
	// pre runs; inserted waits for it, queued, while the adder runs again.
	pre := waitLaunches(t, rb.fakeBackend, 2)[1]
	if pre.Block != "pre" {
		t.Fatalf("launched %s, want pre", pre.Block)
	}
	rb.sink(Update{AttemptID: pre.ID, State: Running})
	waitState(t, e, id, "pre", Running)
	rerunAdder(t, e, rb, id, insertSessionDoc, 2, sessionPre, sessionPost)
	for i := 0; i < 2000; i++ {
		if v, _ := e.Document(id); v != nil && !slices.ContainsFunc(v.Blocks, func(b BlockView) bool { return b.Name == "inserted" }) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	finish(rb.fakeBackend, pre, Finished, 0)
	post := launchOf(t, rb.fakeBackend, "post", 1)
	if post.Session != pre.Session {
		t.Fatalf("post ran in session %s, pre in %s", post.Session, pre.Session)
	}
	finish(rb.fakeBackend, post, Finished, 0)
	waitState(t, e, id, "post", Finished)
	if n := countLaunches(rb, "pre"); n != 1 {
		t.Errorf("pre launched %d times, want 1", n)
	}
	if n := countLaunches(rb, "inserted"); n != 0 {
		t.Errorf("the dropped block launched %d times", n)
	}
}

// TestAddedSessionBlocksRunTheirSessionOnce: several blocks of a session
// that an Emacs Lisp block run again inserts at once, the session's
// interpreter closed, run the session again once, in a new interpreter:
// pre, one, post, two.
func TestAddedSessionBlocksRunTheirSessionOnce(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	id := submitAdding(t, e, rb, insertSessionDoc, insertSessionDoc, sessionPre, sessionPost)
	n := finishAll(t, e, rb, id, 1)
	waitClosed(t, rb.fakeBackend, 1)
	if err := e.RestartBlock(context.Background(), id, "adder"); err != nil {
		t.Fatal(err)
	}
	again := waitLaunches(t, rb.fakeBackend, n+1)[n]
	added, marks := withInserted([]string{"#+name: one\n#+begin_src sh :session s\necho one\n#+end_src\n\n"},
		[]string{"#+name: two\n#+begin_src sh :session s\necho two\n#+end_src\n\n"})
	rb.setReport(again.ID, addedReport(t, added, append([]markAt{adderMark}, marks...)...))
	finish(rb.fakeBackend, again, Finished, 0)
	finishAll(t, e, rb, id, n+1)
	var order []string
	for _, a := range rb.launches()[n+1:] {
		order = append(order, a.Block)
	}
	if want := []string{"pre", "one", "post", "two"}; !slices.Equal(order, want) {
		t.Fatalf("ran %q after the adder, want %q", order, want)
	}
}

// TestChangedSessionBlockRunsItsSessionAgain: a block of a session that an
// Emacs Lisp block inserted and that ran in the session's interpreter,
// which that block run again inserts otherwise (x=3 for x=2), runs its
// session again, in order, in a new interpreter: what the block it
// replaces did is there, which Emacs never ran. It ran again alone, its
// block after it (post) keeping the value the old one left.
func TestChangedSessionBlockRunsItsSessionAgain(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	added, marks := withInserted([]string{"#+name: inserted\n#+begin_src sh :session s\nx=2\n#+end_src\n\n"}, nil)
	id := submitAdding(t, e, rb, insertSessionDoc, added, marks...)
	n := finishAll(t, e, rb, id, 1)
	first := launchOf(t, rb.fakeBackend, "pre", 1)
	waitClosed(t, rb.fakeBackend, 1)
	if err := e.RestartBlock(context.Background(), id, "adder"); err != nil {
		t.Fatal(err)
	}
	again := waitLaunches(t, rb.fakeBackend, n+1)[n]
	otherwise, marks := withInserted([]string{"#+name: inserted\n#+begin_src sh :session s\nx=3\n#+end_src\n\n"}, nil)
	rb.setReport(again.ID, addedReport(t, otherwise, append([]markAt{adderMark}, marks...)...))
	finish(rb.fakeBackend, again, Finished, 0)
	finishAll(t, e, rb, id, n+1)
	var order []string
	for _, a := range rb.launches()[n+1:] {
		order = append(order, a.Block)
		if a.Session == first.Session {
			t.Errorf("%s ran again in the first interpreter, %s", a.Block, a.Session)
		}
	}
	if want := []string{"pre", "inserted", "post"}; !slices.Equal(order, want) {
		t.Fatalf("ran %q after the adder, want %q", order, want)
	}
}
