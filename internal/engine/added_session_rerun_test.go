package engine

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
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

// waitBlockListed waits until document id lists block name (listed), or
// no longer does (!listed), and fails the test if it never comes to.
func waitBlockListed(t *testing.T, e *Engine, id, name string, listed bool) {
	t.Helper()
	for range 2000 {
		if v, _ := e.Document(id); v != nil && slices.ContainsFunc(v.Blocks, func(b BlockView) bool { return b.Name == name }) == listed {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("block %s listed: never %v", name, listed)
}

// adderReports restarts the adder of document id, whose n launches have
// ended, has its new attempt report the buffer added (marks: the
// executables after the adder), finishes every launch after it until the
// document ends, and returns the blocks launched after the adder.
func adderReports(t *testing.T, e *Engine, rb *reportBackend, id string, n int, added string, marks []markAt) []string {
	t.Helper()
	if err := e.RestartBlock(context.Background(), id, "adder"); err != nil {
		t.Fatal(err)
	}
	again := waitLaunches(t, rb.fakeBackend, n+1)[n]
	rb.setReport(again.ID, addedReport(t, added, append([]markAt{adderMark}, marks...)...))
	finish(rb.fakeBackend, again, Finished, 0)
	finishAll(t, e, rb, id, n+1)
	var order []string
	for _, a := range rb.launches()[n+1:] {
		order = append(order, a.Block)
	}
	return order
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
			postAfterPre(t, e, rb, id, pre, 2)
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

// postAfterPre finishes pre's attempt, then post's nth, which must run in
// pre's session, and waits for post to be finished.
func postAfterPre(t *testing.T, e *Engine, rb *reportBackend, id string, pre *Attempt, n int) {
	t.Helper()
	finish(rb.fakeBackend, pre, Finished, 0)
	post := launchOf(t, rb.fakeBackend, "post", n)
	if post.Session != pre.Session {
		t.Fatalf("post ran in session %s, pre in %s", post.Session, pre.Session)
	}
	finish(rb.fakeBackend, post, Finished, 0)
	waitState(t, e, id, "post", Finished)
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
	waitBlockListed(t, e, id, "inserted", false)
	postAfterPre(t, e, rb, id, pre, 1)
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
	added, marks := withInserted([]string{"#+name: one\n#+begin_src sh :session s\necho one\n#+end_src\n\n"},
		[]string{"#+name: two\n#+begin_src sh :session s\necho two\n#+end_src\n\n"})
	order := adderReports(t, e, rb, id, n, added, marks)
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

// TestFoundSessionBlocksRunTheirSessionOnce: blocks of a session found in
// the raw output of two blocks, f1 and f2, that end one after the other
// (each once every other block that can run has ended), run in the
// session's interpreter in their place: the session's blocks after f1
// and f2 wait for them, as Emacs runs them after those, and the session
// runs once; with f1 and f2 run again once the document ended (the
// interpreter closed), it runs again once, though the second block is
// found after the session's new run could have run past its place. It
// ran a third time: the session's blocks had run past both places.
func TestFoundSessionBlocksRunTheirSessionOnce(t *testing.T) {
	for _, restart := range []bool{false, true} {
		t.Run(map[bool]string{false: "first run", true: "finders restarted"}[restart], func(t *testing.T) {
			foundSessionBlocksOnce(t, restart)
		})
	}
}

// submitRoomy submits doc to an engine whose backend has room for the
// blocks that hold others and those of a session at once.
func submitRoomy(t *testing.T, doc string) (*Engine, *reportBackend, *DocumentView) {
	t.Helper()
	rb := newReportBackend()
	rb.capacity = plan.Resources{CPUs: 8, MemMB: 8192}
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return e, rb, v
}

func foundSessionBlocksOnce(t *testing.T, restart bool) {
	e, rb, v := submitRoomy(t, "#+name: pre\n#+begin_src sh :session s\nx=1\n#+end_src\n\n"+
		"#+name: f1\n#+begin_src sh :results raw\necho first finder\n#+end_src\nText one.\n\n"+
		"#+name: f2\n#+begin_src sh :results raw\necho second finder\n#+end_src\nText two.\n\n"+
		"#+name: post\n#+begin_src sh :session s\necho post $x\n#+end_src\n")
	outputs := map[string]string{
		"f1": "#+begin_src sh :session s\necho one $x\n#+end_src\n",
		"f2": "#+begin_src sh :session s\necho two $x\n#+end_src\n",
	}
	done := 0
	if restart {
		// The first run's finders print no block.
		done = finishAll(t, e, rb, v.ID, 0)
		for _, f := range []string{"f1", "f2"} {
			if err := e.RestartBlock(context.Background(), v.ID, f); err != nil {
				t.Fatal(err)
			}
		}
	}
	finders := map[string]*Attempt{}
	// settle finishes every launch but the finders' until nothing runs
	// and every block not ended but the finders waits for another (or,
	// end, until the document ends); it reports whether the document
	// ended.
	settle := func(end bool) bool {
		t.Helper()
		for range 4000 {
			l := rb.launches()
			for ; done < len(l); done++ {
				if out, ok := outputs[l[done].Block]; ok {
					rb.setOutput(l[done].ID, out)
					finders[l[done].Block] = l[done]
					continue
				}
				finish(rb.fakeBackend, l[done], Finished, 0)
			}
			d, _ := e.Document(v.ID)
			if d != nil && d.State.Terminal() {
				return true
			}
			still := false
			for _, b := range d.Blocks {
				for _, in := range b.Instances {
					if _, f := outputs[b.Name]; !f && !in.State.Terminal() && (in.State != Queued || !strings.HasPrefix(in.Waiting, "waiting for ")) {
						still = true
					}
				}
			}
			if !still && !end && done == len(rb.launches()) && len(finders) == 2 {
				return false
			}
			time.Sleep(5 * time.Millisecond)
		}
		var states []string
		if d, _ := e.Document(v.ID); d != nil {
			for _, b := range d.Blocks {
				for _, in := range b.Instances {
					states = append(states, b.Name+" "+string(in.State)+" "+in.Waiting)
				}
			}
		}
		t.Fatalf("the document did not settle: %q", states)
		return false
	}
	for _, f := range []string{"f1", "f2"} {
		if settle(false) {
			t.Fatalf("the document ended before %s did", f)
		}
		finish(rb.fakeBackend, finders[f], Finished, 0)
		waitBlockListed(t, e, v.ID, f+"-found-1", true)
	}
	if !settle(true) {
		t.Fatal("the document did not end")
	}
	var order []string
	for _, a := range rb.launches() {
		order = append(order, a.Block)
	}
	want := map[string]int{"pre": 1, "post": 1, "f1-found-1": 1, "f2-found-1": 1}
	if restart {
		want["pre"], want["post"] = 2, 2
	}
	for b, n := range want {
		if got := countLaunches(rb, b); got != n {
			t.Errorf("%s launched %d times, want %d: %q", b, got, n, order)
		}
	}
}

// TestFoundSessionBlockAfterTheSession: a block of a session found in the
// results of a block after all the session's blocks runs in the
// session's interpreter, which stays open for it while that block runs,
// as the document's Emacs keeps it open for a block it may insert: the
// session does not run again. A block whose results may hold one that
// takes a later block of the session's value (:var) is not waited for
// by it: Emacs runs that block first, resolving the reference.
func TestFoundSessionBlockAfterTheSession(t *testing.T) {
	e, rb, v := submitRoomy(t, "#+name: f0\n#+begin_src sh :results raw :var v=post\necho \"$v\"\n#+end_src\nText zero.\n\n"+
		"#+name: pre\n#+begin_src sh :session s\nx=1\n#+end_src\n\n"+
		"#+name: post\n#+begin_src sh :session s\necho post $x\n#+end_src\n\n"+
		"#+name: later\n#+begin_src sh :var p=post\necho \"$p\"\n#+end_src\n\n"+
		"#+name: f1\n#+begin_src sh :results raw\necho finder\n#+end_src\nText one.\n")
	var f1 *Attempt
	done := 0
	for range 4000 {
		l := rb.launches()
		for ; done < len(l); done++ {
			if l[done].Block == "f1" {
				f1 = l[done]
				rb.setOutput(f1.ID, "#+begin_src sh :session s\necho found $x\n#+end_src\n")
				continue
			}
			finish(rb.fakeBackend, l[done], Finished, 0)
		}
		// later launched after post ended: the pass that launched it
		// closed the sessions whose blocks had all ended.
		if d, _ := e.Document(v.ID); f1 != nil && d != nil && slices.ContainsFunc(d.Blocks, func(b BlockView) bool { return b.Name == "later" && b.State == Finished }) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if f1 == nil {
		t.Fatal("f1 never launched")
	}
	waitState(t, e, v.ID, "post", Finished)
	pre := launchOf(t, rb.fakeBackend, "pre", 1)
	if c := rb.closedSessions(); slices.Contains(c, pre.Session) {
		t.Fatalf("session %s closed while f1, which may hold a block of it, runs", pre.Session)
	}
	finish(rb.fakeBackend, f1, Finished, 0)
	found := launchOf(t, rb.fakeBackend, "f1-found-1", 1)
	if found.Session != pre.Session {
		t.Fatalf("the found block ran in session %s, pre in %s", found.Session, pre.Session)
	}
	finishAll(t, e, rb, v.ID, done)
	if n := countLaunches(rb, "pre"); n != 1 {
		t.Errorf("pre launched %d times, want 1", n)
	}
}

// changedInserted runs insertSessionDoc with block inserted (header, body
// x=2) added before post; runs the adder again, which inserts it as
// otherwise (with header and body x=3); and returns the blocks launched
// after the adder ran again. before, if not nil, is done once the first
// run launched the inserted block (launched: the number of launches then).
func changedInserted(t *testing.T, header, otherwiseHeader string, before func(e *Engine, rb *reportBackend, id string) int) (*reportBackend, []string) {
	t.Helper()
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	added, marks := withInserted([]string{"#+name: inserted\n" + header + "\nx=2\n#+end_src\n\n"}, nil)
	id := submitAdding(t, e, rb, insertSessionDoc, added, marks...)
	from := 1
	if before != nil {
		from = before(e, rb, id)
	}
	n := finishAll(t, e, rb, id, from)
	otherwise, marks := withInserted([]string{"#+name: inserted\n" + otherwiseHeader + "\nx=3\n#+end_src\n\n"}, nil)
	return rb, adderReports(t, e, rb, id, n, otherwise, marks)
}

// TestChangedOutOfItsSessionRunsAgain: an inserted block of a session
// that ran there, which the adder run again inserts with no session (or
// in another), is a new block to Emacs: it runs again, as its session
// does (what it left in the interpreter is there). It never ran again:
// only the old session's blocks, which it is no longer among, were.
func TestChangedOutOfItsSessionRunsAgain(t *testing.T) {
	for _, otherwise := range []string{"#+begin_src sh", "#+begin_src sh :session other"} {
		t.Run(otherwise, func(t *testing.T) {
			rb, order := changedInserted(t, "#+begin_src sh :session s", otherwise, nil)
			if got := countLaunches(rb, "inserted"); got != 2 {
				t.Fatalf("inserted, changed, launched %d times (after the adder: %q), want 2", got, order)
			}
			if got := countLaunches(rb, "pre"); got != 2 {
				t.Errorf("pre launched %d times (after the adder: %q), want 2: its session held x=2", got, order)
			}
		})
	}
}

// TestChangedKilledSessionBlockRunsAgain: an inserted block of a session
// killed on request, which the adder run again inserts otherwise, is a
// new block to Emacs: it runs, and the session's later block with it. It
// stayed killed, post blocked behind it.
func TestChangedKilledSessionBlockRunsAgain(t *testing.T) {
	header := "#+begin_src sh :session s"
	rb, order := changedInserted(t, header, header, func(e *Engine, rb *reportBackend, id string) int {
		pre := waitLaunches(t, rb.fakeBackend, 2)[1]
		finish(rb.fakeBackend, pre, Finished, 0)
		ins := launchOf(t, rb.fakeBackend, "inserted", 1)
		rb.sink(Update{AttemptID: ins.ID, State: Running})
		waitState(t, e, id, "inserted", Running)
		if err := e.KillBlock(context.Background(), id, "inserted"); err != nil {
			t.Fatal(err)
		}
		waitKilled(t, rb.fakeBackend, ins.ID)
		rb.sink(Update{AttemptID: ins.ID, State: Killed})
		return 3
	})
	if got := countLaunches(rb, "inserted"); got != 2 {
		t.Fatalf("inserted, changed after it was killed, launched %d times (after the adder: %q), want 2", got, order)
	}
	if got := countLaunches(rb, "post"); got != 1 {
		t.Errorf("post launched %d times (after the adder: %q), want 1", got, order)
	}
}

// TestChangedSessionBlockFollowers: a block that takes the value of a
// block of a session (later, :var p=post) runs again when an inserted
// block of that session changes and the session runs again (post with
// it), as it does when the inserted block is dropped. It kept post's old
// value.
func TestChangedSessionBlockFollowers(t *testing.T) {
	laterMark := markAt{at: "#+begin_src sh :var p=post\necho later"}
	doc := adderDoc("#+name: pre\n" + sessionPre.at + "\n#+end_src\n\n#+name: post\n" + sessionPost.at + " $x\n#+end_src\n\n" +
		"#+name: later\n" + laterMark.at + " $p\n#+end_src\n\n")
	with := func(body string) (string, []markAt) {
		ins := "#+name: inserted\n#+begin_src sh :session s\n" + body + "\n#+end_src\n\n"
		at := strings.Index(doc, "#+name: post")
		return doc[:at] + ins + doc[at:], []markAt{sessionPre, sessionPost, laterMark, {at: "#+begin_src sh :session s\n" + body}}
	}
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	added, marks := with("x=2")
	id := submitAdding(t, e, rb, doc, added, marks...)
	n := finishAll(t, e, rb, id, 1)
	otherwise, marks := with("x=3")
	adderReports(t, e, rb, id, n, otherwise, marks)
	if got := countLaunches(rb, "later"); got != 2 {
		t.Fatalf("later launched %d times, want 2: post ran again", got)
	}
}
