package engine

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestDroppedChainOfTwo: an Emacs Lisp block that added two Emacs Lisp
// blocks after itself, run again adding none, drops both, and the block
// of the document's Emacs after them runs again after it, as before they
// were added (it failed: "dependency e1 failed").
func TestDroppedChainOfTwo(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	ctx := context.Background()
	adderSrc := "#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\n"
	afterSrc := "#+name: after\n#+begin_src emacs-lisp :results silent\n(after)\n#+end_src\n\n* Here\n"
	doc := adderSrc + afterSrc
	v, err := e.Submit(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	adder := markAt{at: "#+begin_src emacs-lisp :results silent\n(adds)"}
	after := markAt{at: "#+begin_src emacs-lisp :results silent\n(after)"}
	added := adderSrc +
		"#+name: e1\n#+begin_src emacs-lisp :results silent\n(one)\n#+end_src\n\n" +
		"#+name: e2\n#+begin_src emacs-lisp :results silent\n(two)\n#+end_src\n\n" + afterSrc
	first := waitLaunches(t, rb.fakeBackend, 1)[0]
	rb.rmu.Lock()
	rb.reports[first.ID] = addedReport(t, added, adder, after,
		markAt{at: "#+begin_src emacs-lisp :results silent\n(one)"}, markAt{at: "#+begin_src emacs-lisp :results silent\n(two)"})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, first, Finished, 0)
	for n, want := range []string{"e1", "e2", "after"} {
		a := waitLaunches(t, rb.fakeBackend, n+2)[n+1]
		if a.Block != want {
			t.Fatalf("launch %d is %s, want %s", n+2, a.Block, want)
		}
		finish(rb.fakeBackend, a, Finished, 0)
	}
	waitState(t, e, v.ID, "after", Finished)
	if err := e.RestartBlock(ctx, v.ID, "adder"); err != nil {
		t.Fatal(err)
	}
	again := waitLaunches(t, rb.fakeBackend, 5)[4]
	rb.rmu.Lock()
	rb.reports[again.ID] = addedReport(t, "A line.\n"+doc, adder, after)
	rb.rmu.Unlock()
	finish(rb.fakeBackend, again, Finished, 0)
	for range 2000 {
		if l := rb.launches(); len(l) >= 6 {
			if l[5].Block != "after" {
				t.Fatalf("launch 6 is %s, want after", l[5].Block)
			}
			return
		}
		if d, _ := e.Document(v.ID); d != nil && d.State.Terminal() {
			t.Fatalf("document ended %s without running after again: %+v", d.State, d.Blocks)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("after never launched again")
}

// TestDroppedRefusedTwin: a block an Emacs Lisp block added that is not
// run (a second block of a submitted Emacs Lisp block's name), no longer
// added when it runs again, is dropped without touching the submitted
// block of its name (the server panicked).
func TestDroppedRefusedTwin(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	ctx := context.Background()
	doc := "#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\n" +
		"#+name: setup\n#+begin_src emacs-lisp :results silent\n(setup)\n#+end_src\n\n" +
		"#+name: later\n#+begin_src sh\necho later\n#+end_src\n\n* Here\n"
	v, err := e.Submit(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	adder := markAt{at: "#+begin_src emacs-lisp :results silent\n(adds)"}
	setup := markAt{at: "#+begin_src emacs-lisp :results silent\n(setup)"}
	later := markAt{at: "#+begin_src sh\necho later"}
	added := doc + "\n#+name: setup\n#+begin_src emacs-lisp :results silent\n(again)\n#+end_src\n"
	launched := 0
	runAll := func(r string) {
		for range 4000 {
			l := rb.launches()
			for ; launched < len(l); launched++ {
				a := l[launched]
				if a.Block == "adder" {
					rb.rmu.Lock()
					rb.reports[a.ID] = r
					rb.rmu.Unlock()
				}
				finish(rb.fakeBackend, a, Finished, 0)
			}
			if d, _ := e.Document(v.ID); d != nil && d.State.Terminal() && launched == len(rb.launches()) {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
		t.Fatal("the document did not end")
	}
	runAll(addedReport(t, added, adder, setup, later, markAt{at: "#+begin_src emacs-lisp :results silent\n(again)"}))
	if err := e.RestartBlock(ctx, v.ID, "adder"); err != nil {
		t.Fatal(err)
	}
	runAll(addedReport(t, "A line.\n"+doc, adder, setup, later))
	if err := e.RestartBlock(ctx, v.ID, "setup"); err != nil {
		t.Fatalf("the submitted block of the dropped one's name: %v", err)
	}
}

// TestReAddedBlockNewAttempt: a block dropped (its adder run again did
// not add it) and added again (run once more, it did) runs under a new
// attempt id, not its first one's, whose files and report are gone.
//
// The launches are counted as the test answers them, not taken from the
// backend after Submit: the adder's first launch may come before (on a
// loaded machine it did, and the test then waited for a launch that never
// came); the test waits for it first, so that it always does.
func TestReAddedBlockNewAttempt(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	ctx := context.Background()
	adderSrc := "#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\n"
	doc := adderSrc + "* Here\n"
	v, err := e.Submit(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	waitLaunches(t, rb.fakeBackend, 1) // the adder's, before the reports are made
	adder := markAt{at: "#+begin_src emacs-lisp :results silent\n(adds)"}
	adding := addedReport(t, adderSrc+"#+name: inserted\n#+begin_src sh\necho in\n#+end_src\n\n* Here\n", adder, markAt{at: "#+begin_src sh\necho in"})
	notAdding := addedReport(t, "A line.\n"+doc, adder)
	var inserted []string
	launched := 0 // the launches answered so far
	for n, report := range []string{adding, notAdding, adding} {
		if n > 0 {
			if err := e.RestartBlock(ctx, v.ID, "adder"); err != nil {
				t.Fatal(err)
			}
		}
		a := waitLaunches(t, rb.fakeBackend, launched+1)[launched]
		launched++
		if a.Block != "adder" {
			t.Fatalf("launched %s, want adder", a.Block)
		}
		rb.setReport(a.ID, report)
		finish(rb.fakeBackend, a, Finished, 0)
		if report == adding {
			ins := waitLaunches(t, rb.fakeBackend, launched+1)[launched]
			launched++
			if ins.Block != "inserted" {
				t.Fatalf("launched %s, want inserted", ins.Block)
			}
			inserted = append(inserted, ins.ID)
			finish(rb.fakeBackend, ins, Finished, 0)
		}
		waitState(t, e, v.ID, "adder", Finished)
	}
	if len(inserted) != 2 || inserted[0] == inserted[1] {
		t.Fatalf("the inserted block's attempts: %v", inserted)
	}
	if l := rb.launches(); len(l) != launched {
		t.Fatalf("%d launches, want %d: %v", len(l), launched, l)
	}
}

// adderDoc is an Emacs Lisp block that adds blocks to the buffer (adds),
// then rest.
func adderDoc(rest string) string {
	return "#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\n" + rest + "* Here\n"
}

var adderMark = markAt{at: "#+begin_src emacs-lisp :results silent\n(adds)"}

// setReport has attempt id leave report of the buffer.
func (r *reportBackend) setReport(id, report string) {
	r.rmu.Lock()
	r.reports[id] = report
	r.rmu.Unlock()
}

// submitAdding submits doc, whose adder (its first launch) ends adding
// blocks: the buffer reported is added, with marks (the adder's first).
// It returns the document's id.
func submitAdding(t *testing.T, e *Engine, rb *reportBackend, doc, added string, marks ...markAt) string {
	t.Helper()
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	first := waitLaunches(t, rb.fakeBackend, 1)[0]
	rb.setReport(first.ID, addedReport(t, added, append([]markAt{adderMark}, marks...)...))
	finish(rb.fakeBackend, first, Finished, 0)
	return v.ID
}

// rerunAdder restarts the adder of document id (doc), whose new attempt,
// launch n+1, ends adding nothing: a line put at the top of the buffer,
// marks those of the document's blocks after the adder.
func rerunAdder(t *testing.T, e *Engine, rb *reportBackend, id, doc string, n int, marks ...markAt) {
	t.Helper()
	if err := e.RestartBlock(context.Background(), id, "adder"); err != nil {
		t.Fatal(err)
	}
	again := waitLaunches(t, rb.fakeBackend, n+1)[n]
	rb.setReport(again.ID, addedReport(t, "A line.\n"+doc, append([]markAt{adderMark}, marks...)...))
	finish(rb.fakeBackend, again, Finished, 0)
}

// runningInserted is the attempt of the block inserted (launch 2), once
// it runs.
func runningInserted(t *testing.T, e *Engine, rb *reportBackend, id string) *Attempt {
	t.Helper()
	inserted := waitLaunches(t, rb.fakeBackend, 2)[1]
	rb.sink(Update{AttemptID: inserted.ID, State: Running})
	waitState(t, e, id, "inserted", Running)
	return inserted
}

// finishAll finishes every attempt launched from the (from+1)th on as it
// comes, until the document ends, and returns how many were launched;
// each prints out, if given (its script otherwise, as fakeBackend has
// it).
func finishAll(t *testing.T, e *Engine, rb *reportBackend, id string, from int, out ...string) int {
	t.Helper()
	for range 4000 {
		l := rb.launches()
		for ; from < len(l); from++ {
			if len(out) > 0 {
				rb.setOutput(l[from].ID, out[0])
			}
			finish(rb.fakeBackend, l[from], Finished, 0)
		}
		if d, _ := e.Document(id); d != nil && d.State.Terminal() && from == len(rb.launches()) {
			return from
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the document did not end")
	return 0
}

// droppedReferred runs a document whose adder adds a block, inserted,
// that block user (its #+begin_src line and body: user, and the blocks
// after it) refers to; once it ended, it runs the adder again, adding
// nothing. It returns the engine, backend, document's id and how many
// launches there were before the adder's new one.
func droppedReferred(t *testing.T, user string) (*Engine, *reportBackend, string, int) {
	t.Helper()
	return droppedReferredBy(t, user, "#+name: inserted\n#+begin_src sh\necho inserted\n#+end_src\n")
}

// droppedReferredBy is droppedReferred with the block added as inserted
// says (its one #+begin_src line followed by "echo inserted").
func droppedReferredBy(t *testing.T, user, inserted string) (*Engine, *reportBackend, string, int) {
	t.Helper()
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	doc := adderDoc("#+name: user\n" + user + "#+end_src\n\n")
	var marks []markAt
	for _, l := range strings.Split(user, "\n") {
		if strings.HasPrefix(l, "#+begin_src") {
			marks = append(marks, markAt{at: l})
		}
	}
	added := doc + "\n" + inserted
	begin := inserted[strings.Index(inserted, "#+begin_src"):]
	id := submitAdding(t, e, rb, doc, added, append(marks, markAt{at: begin[:strings.Index(begin, "echo inserted")+len("echo inserted")]})...)
	n := finishAll(t, e, rb, id, 1)
	waitState(t, e, id, "user", Finished)
	rerunAdder(t, e, rb, id, doc, n, marks...)
	return e, rb, id, n
}

// TestDroppedBlockReferrerFails: a block that took (:var, or a noweb
// reference evaluating it) the value of a block an Emacs Lisp block
// added, which that block run again no longer adds, runs again, as
// org-babel-execute-buffer would run it, and fails as Babel does on a
// reference it does not find, saying so with its line. It stayed
// finished with the value of a block no longer in the buffer; by noweb,
// it failed to start, lacking the block's results.
func TestDroppedBlockReferrerFails(t *testing.T) {
	e, _, id, _ := droppedReferred(t, "#+begin_src sh :var x=inserted\necho \"$x\"\n")
	referrerFailed(t, e, id)
	e, _, id, _ = droppedReferred(t, "#+begin_src sh :noweb yes\n<<inserted()>>\necho user\n")
	referrerFailedOn(t, e, id, "<<inserted()>>")
}

// userMark is the mark of block user of userAdding's document.
var userMark = markAt{at: "#+begin_src sh :var x=inserted"}

// userAdding submits a document whose block user refers (:var) to block
// inserted, which its adder adds after it, begun with the line begin,
// and returns the engine, its backend, the document's id and its text.
func userAdding(t *testing.T, begin string) (*Engine, *reportBackend, string, string) {
	t.Helper()
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	doc := adderDoc("#+name: user\n" + userMark.at + "\necho \"$x\"\n#+end_src\n\n")
	added := doc + "\n#+name: inserted\n" + begin + "\necho inserted\n#+end_src\n"
	return e, rb, submitAdding(t, e, rb, doc, added, userMark, markAt{at: begin + "\necho inserted"}), doc
}

// TestDroppedSessionBlockReferrerFails: a block of the document that
// refers (:var) to a block of a session an Emacs Lisp block added, which
// Babel runs again for the reference, fails as Babel does on a
// reference it does not find, with its line, once that Emacs Lisp block
// run again no longer adds it. Borges does not run the reference's run
// of an added block (its first run fails saying so); that failure stood
// after the drop, where Emacs's error is another.
func TestDroppedSessionBlockReferrerFails(t *testing.T) {
	e, rb, id, doc := userAdding(t, "#+begin_src sh :session s")
	n := finishAll(t, e, rb, id, 1)
	message := func() string {
		d, err := e.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		m, _ := blockMessage(d, "user")
		return m
	}
	first := message()
	if strings.Contains(first, "not found") {
		t.Fatalf("user's first message: %q, want not a reference not found", first)
	}
	rerunAdder(t, e, rb, id, doc, n, userMark)
	m := ""
	for range 2000 {
		if m = message(); m != first {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(m, "line 7") || !strings.Contains(m, ":var x=inserted") || !strings.Contains(m, "not found") {
		t.Errorf("user's message: %q, want the reference not found, with its line", m)
	}
}

// TestDroppedBlockRunningReferrerRunsAgain: a block that takes (:var) the
// value of a block an Emacs Lisp block added, still running when that
// block run again no longer adds it, is killed and runs again, as one that
// had ended does: it fails on the reference it no longer finds. It was
// left to finish with the dropped block's value. The value is that of
// the run of the added block user's reference makes (Babel runs the
// block again at the reference), its own task beside the block's own
// run: both end before user runs.
func TestDroppedBlockRunningReferrerRunsAgain(t *testing.T) {
	e, rb, id, doc := userAdding(t, "#+begin_src sh")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "user :var x=inserted", 1), Finished, 0)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "inserted", 1), Finished, 0)
	running := launchOf(t, rb.fakeBackend, "user", 1)
	rb.sink(Update{AttemptID: running.ID, State: Running})
	waitState(t, e, id, "user", Running)
	n := len(rb.launches())
	if n != 4 {
		t.Fatalf("%d launches before the adder's new run, want 4 (adder, user's reference's run of inserted, inserted, user): %v", n, rb.launches())
	}
	rerunAdder(t, e, rb, id, doc, n, userMark)
	waitKilled(t, rb.fakeBackend, running.ID)
	referrerFailed(t, e, id)
}

// TestDroppedBlockReferrersDependentsFollow: a block that depends (:var)
// on a referrer of a block no longer added, which runs again and fails,
// runs again and is not run: the referrer's reference error, a name
// neither the document nor the buffer has, stops the document there, as
// org-babel-execute-buffer stops (TestUnresolvedReferenceStops). It
// stayed finished with the referrer's first value.
func TestDroppedBlockReferrersDependentsFollow(t *testing.T) {
	e, _, id, _ := droppedReferred(t, "#+begin_src sh :var x=inserted\necho \"$x\"\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :var y=user\necho \"$y\"\n")
	referrerFailed(t, e, id)
	const held = "not run: org-babel-execute-buffer stopped before it, at the block at line 6, for block user, whose reference Emacs found no data for: Reference ‘inserted’ not found in this buffer"
	var m string
	for range 2000 {
		d, err := e.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		if m, _ = blockMessage(d, "after"); m == held {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Errorf("after's message: %q, want %q", m, held)
}

// TestDroppedBlockNowebReferrersDependentsFollow: a block that depends
// (:var) on a block that took in (noweb) a block no longer added runs
// again after that block's new run, without it: the run its reference
// makes of the block (Babel runs the block again at the reference), as
// the block's own run, runs again without the dropped block's body.
func TestDroppedBlockNowebReferrersDependentsFollow(t *testing.T) {
	const refRun = "after :var y=user"
	_, rb, _, n := droppedReferred(t, "#+begin_src sh :noweb yes\n<<inserted>>\necho user\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :var y=user\necho \"$y\"\n")
	var order []string
	for range 4000 {
		for _, a := range rb.launches()[n+1+len(order):] {
			order = append(order, a.Block)
			if a.Block == refRun && strings.Contains(a.Script, "echo inserted") {
				t.Errorf("%s's new run takes in the dropped block: %q", refRun, a.Script)
			}
			finish(rb.fakeBackend, a, Finished, 0)
		}
		if slices.Contains(order, "after") {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	// user's own run and the run of it for after's reference are
	// independent: either may launch first.
	if len(order) != 3 || order[2] != "after" || !slices.Contains(order, "user") || !slices.Contains(order, refRun) {
		t.Fatalf("launched after the drop: %v, want user and %s, then after", order, refRun)
	}
}

// referrerFailed waits until block user of document id has failed on its
// :var reference to the block inserted, no longer in the buffer, with
// Babel's error and its line.
func referrerFailed(t *testing.T, e *Engine, id string) {
	t.Helper()
	referrerFailedOn(t, e, id, ":var x=inserted")
}

// referrerFailedOn is referrerFailed of a reference written ref.
func referrerFailedOn(t *testing.T, e *Engine, id, ref string) {
	t.Helper()
	referrerFailedAt(t, e, id, "line 7", ref)
}

// referrerFailedAt is referrerFailedOn of a referrer at line (written
// "line N").
func referrerFailedAt(t *testing.T, e *Engine, id, line, ref string) {
	t.Helper()
	waitState(t, e, id, "user", Failed)
	d, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range d.Blocks {
		if b.Name == "user" && len(b.Instances) > 0 {
			if m := b.Instances[0].Message; !strings.Contains(m, line) || !strings.Contains(m, ref) || !strings.Contains(m, "not found") {
				t.Errorf("the referrer's message: %q, want the reference not found, with its line", m)
			}
		}
	}
}

// lateKillBackend reports the end of an attempt it is asked to kill only
// when the test says (end): a process that takes its time to die.
type lateKillBackend struct{ *reportBackend }

// dropRunningInserted submits a document whose adder inserts a block
// (#+begin_src header), runs the inserted block, then runs the adder again
// inserting nothing, and waits until the dropped block's attempt is
// killed: that attempt.
func dropRunningInserted(t *testing.T, e *Engine, rb *reportBackend, header string) *Attempt {
	t.Helper()
	doc := adderDoc("")
	added := doc + "\n#+name: inserted\n#+begin_src " + header + "\necho inserted\n#+end_src\n"
	id := submitAdding(t, e, rb, doc, added, markAt{at: "#+begin_src " + header + "\necho inserted"})
	inserted := runningInserted(t, e, rb, id)
	rerunAdder(t, e, rb, id, doc, 2)
	waitKilled(t, rb.fakeBackend, inserted.ID)
	return inserted
}

func (l lateKillBackend) Kill(ctx context.Context, id string) error {
	l.recordKill(id)
	return nil
}

// TestDroppedAttemptHoldsResources: the running attempt of a block no
// longer added holds the CPUs it claimed until its backend reports it
// ended, as a killed attempt does: a block needing them waits until
// then. They were free as the block was dropped, its process still
// running.
func TestDroppedAttemptHoldsResources(t *testing.T) {
	rb := newReportBackend()
	lb := lateKillBackend{rb}
	e, _ := startEngine(t, t.TempDir(), lb, Config{})
	ctx := context.Background()
	inserted := dropRunningInserted(t, e, rb, "sh :cpu 1.5")
	// Its process has not ended: a block needing the CPUs it holds
	// waits.
	v2, err := e.Submit(ctx, "#+name: big\n#+begin_src sh :cpu 1\necho big\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	waitNeeds(t, e, rb.fakeBackend, v2.ID, 3)
	rb.sink(Update{AttemptID: inserted.ID, State: Killed})
	if b := waitLaunches(t, rb.fakeBackend, 4)[3]; b.Block != "big" {
		t.Fatalf("launch 4 is %s, want big", b.Block)
	}
}

// waitNeeds waits until the first block of document id waits for the
// resources it needs, failing should more than launched attempts be
// launched meanwhile.
func waitNeeds(t *testing.T, e *Engine, f *fakeBackend, id string, launched int) {
	t.Helper()
	for range 2000 {
		if l := f.launches(); len(l) > launched {
			t.Fatalf("%s launched while a killed attempt still ran", l[launched].Block)
		}
		d, _ := e.Document(id)
		if d != nil && len(d.Blocks) > 0 && strings.HasPrefix(d.Blocks[0].Instances[0].Waiting, "needs") {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the block needing the CPUs never waited for them")
}

// TestDroppedBlockNowebReferrerRunsAgain: a block that took in (noweb) a
// block an Emacs Lisp block added, which that block run again no longer
// adds, runs again without it, as org-babel-execute-buffer expands a
// reference it does not find to nothing.
func TestDroppedBlockNowebReferrerRunsAgain(t *testing.T) {
	_, rb, _, n := droppedReferred(t, "#+begin_src sh :noweb yes\n<<inserted>>\necho user\n")
	if l := rb.launches(); !strings.Contains(l[n-1].Script, "echo inserted") {
		t.Fatalf("the user ran without the inserted block:\n%s", l[n-1].Script)
	}
	a := waitLaunches(t, rb.fakeBackend, n+2)[n+1]
	if a.Block != "user" || strings.Contains(a.Script, "echo inserted") || !strings.Contains(a.Script, "echo user") {
		t.Fatalf("launch %d is %s, want the user without the block no longer added:\n%s", n+2, a.Block, a.Script)
	}
}

// TestDroppedBlockNowebReferrersFound: the blocks that take in a block
// an Emacs Lisp block no longer adds by any noweb reference Org resolves
// run again without it: gathered by its :noweb-ref, or through a block
// they take in. They were found by a literal <<name>> in their own body
// only, and kept what they ran with.
func TestDroppedBlockNowebReferrersFound(t *testing.T) {
	for _, c := range []struct{ name, user, inserted string }{
		{"noweb-ref", "#+begin_src sh :noweb yes\n<<part>>\necho user\n",
			"#+begin_src sh :noweb-ref part\necho inserted\n#+end_src\n"},
		{"named noweb-ref", "#+begin_src sh :noweb yes\n<<part>>\necho user\n",
			"#+name: inserted\n#+begin_src sh :noweb-ref part\necho inserted\n#+end_src\n"},
		{"through a block", "#+begin_src sh :noweb yes\n<<mid>>\necho user\n#+end_src\n\n" +
			"#+name: mid\n#+begin_src sh :noweb yes\n<<inserted>>\n",
			"#+name: inserted\n#+begin_src sh\necho inserted\n#+end_src\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, rb, _, n := droppedReferredBy(t, c.user, c.inserted)
			userRanAgainWithout(t, rb, n)
		})
	}
}

// TestDroppedUnrunBlockNowebReferrerRunsAgain: a block that took in
// (noweb) a block an Emacs Lisp block added that Borges does not run (in
// a language it does not run, or of a session: listed, without a task),
// which that block run again no longer adds, runs again without it. It
// kept the body it took in.
func TestDroppedUnrunBlockNowebReferrerRunsAgain(t *testing.T) {
	for _, header := range []string{"conf", "python :session s"} {
		t.Run(header, func(t *testing.T) {
			_, rb, _, n := droppedReferredBy(t, "#+begin_src sh :noweb yes\n<<inserted>>\necho user\n",
				"#+name: inserted\n#+begin_src "+header+"\necho inserted\n#+end_src\n")
			userRanAgainWithout(t, rb, n)
		})
	}
}

// TestDroppedUnrunTwinLeavesReferrers: a second block of a submitted
// block's name that an Emacs Lisp block added (not run), no longer added
// when it runs again, leaves the blocks that refer to the submitted one
// as they are: Babel resolves their reference to the first block of the
// name, which is still there.
func TestDroppedUnrunTwinLeavesReferrers(t *testing.T) {
	e, rb, id, n := droppedReferredBy(t, "#+begin_src sh\necho user\n#+end_src\n\n#+name: dep\n#+begin_src sh :var x=user\necho \"$x\"\n",
		"#+name: user\n#+begin_src sh\necho inserted\n#+end_src\n")
	if l := finishAll(t, e, rb, id, n+1); l != n+1 {
		var again []string
		for _, a := range rb.launches()[n+1:] {
			again = append(again, a.Block)
		}
		t.Fatalf("run again after the drop of the twin: %v", again)
	}
}

// userRanAgainWithout checks that block user ran with the block inserted
// in its first n launches, and waits for its next launch, which must take
// in its own body without that block's.
func userRanAgainWithout(t *testing.T, rb *reportBackend, n int) {
	t.Helper()
	if !slices.ContainsFunc(rb.launches()[:n], func(a *Attempt) bool {
		return a.Block == "user" && strings.Contains(a.Script, "echo inserted")
	}) {
		t.Fatal("the user ran without the inserted block")
	}
	if a := launchOf(t, rb.fakeBackend, "user", 2); strings.Contains(a.Script, "echo inserted") || !strings.Contains(a.Script, "echo user") {
		t.Fatalf("user ran again with the block no longer added:\n%s", a.Script)
	}
}

// TestDroppedBlockSessionReferrerRunsItsSession: a block of a session
// that took in (noweb) a block no longer added, running or ended then,
// runs again as a restart runs a block of a session: its whole session
// again, in order, in a new interpreter, the old one closed once its
// running attempt is killed (locally, its interpreter with it). Its new
// attempt went to the session its killed attempt ran in, without the
// session's blocks before it run again.
func TestDroppedBlockSessionReferrerRunsItsSession(t *testing.T) {
	for _, running := range []bool{true, false} {
		t.Run(map[bool]string{true: "running", false: "ended"}[running], func(t *testing.T) {
			rb := newReportBackend()
			e, _ := startEngine(t, t.TempDir(), rb, Config{})
			pre := markAt{at: "#+begin_src sh :session s\n"}
			user := markAt{at: "#+begin_src sh :session s :noweb yes"}
			doc := adderDoc("#+name: pre\n" + pre.at + "x=1\n#+end_src\n\n#+name: user\n" + user.at + "\n<<inserted>>\necho $x\n#+end_src\n\n")
			added := doc + "\n#+name: inserted\n#+begin_src sh\necho inserted\n#+end_src\n"
			id := submitAdding(t, e, rb, doc, added, pre, user, markAt{at: "#+begin_src sh\necho inserted"})
			var first *Attempt
			from := 1
			for range 2000 {
				l := rb.launches()
				for ; from < len(l) && first == nil; from++ {
					if l[from].Block == "user" {
						first = l[from]
					} else {
						finish(rb.fakeBackend, l[from], Finished, 0)
					}
				}
				if first != nil {
					break
				}
				time.Sleep(5 * time.Millisecond)
			}
			if first == nil {
				t.Fatal("user never launched")
			}
			if running {
				rb.sink(Update{AttemptID: first.ID, State: Running})
				waitState(t, e, id, "user", Running)
			} else {
				finish(rb.fakeBackend, first, Finished, 0)
				waitState(t, e, id, "user", Finished)
				waitClosed(t, rb.fakeBackend, 1)
			}
			n := len(rb.launches())
			closed := len(rb.closedSessions())
			rerunAdder(t, e, rb, id, doc, n, pre, user)
			if running {
				// Closed once the attempt is killed (it was open).
				waitKilled(t, rb.fakeBackend, first.ID)
				for i := 0; i < 2000 && !slices.Contains(rb.closedSessions()[closed:], first.Session); i++ {
					time.Sleep(5 * time.Millisecond)
				}
				if c := rb.closedSessions()[closed:]; !slices.Contains(c, first.Session) {
					t.Errorf("sessions closed after the drop: %q, want %s", c, first.Session)
				}
			}
			again := launchOf(t, rb.fakeBackend, "pre", 2)
			if again.Session == first.Session {
				t.Fatalf("pre ran again in the session %s", first.Session)
			}
			finish(rb.fakeBackend, again, Finished, 0)
			if u := launchOf(t, rb.fakeBackend, "user", 2); u.Session != again.Session || strings.Contains(u.Script, "echo inserted") {
				t.Fatalf("user ran again in session %s (pre in %s):\n%s", u.Session, again.Session, u.Script)
			}
		})
	}
}

// removingBackend is a lateKillBackend that removes attempts' files
// (FileRemover), recording which.
type removingBackend struct {
	lateKillBackend
	mu      sync.Mutex
	removed []string
}

func (r *removingBackend) RemoveAttempts(ctx context.Context, ids []string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.removed = append(r.removed, ids...)
	return nil
}

func (r *removingBackend) wasRemoved(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Contains(r.removed, id)
}

// TestDroppedRunningAttemptFilesRemoved: the files of a dropped block's
// attempt, killed while it ran, go once it has ended (the drop leaves
// them to its end: it may still write them).
func TestDroppedRunningAttemptFilesRemoved(t *testing.T) {
	rb := newReportBackend()
	b := &removingBackend{lateKillBackend: lateKillBackend{rb}}
	e, _ := startEngine(t, t.TempDir(), b, Config{})
	inserted := dropRunningInserted(t, e, rb, "sh")
	if b.wasRemoved(inserted.ID) {
		t.Fatal("the files of a dropped attempt still running were removed")
	}
	rb.sink(Update{AttemptID: inserted.ID, State: Killed})
	for i := 0; i < 2000 && !b.wasRemoved(inserted.ID); i++ {
		time.Sleep(5 * time.Millisecond)
	}
	if !b.wasRemoved(inserted.ID) {
		t.Fatalf("the files of %s (dropped while running, then ended) were never removed", inserted.ID)
	}
}

// TestDroppedBlockEnvironmentTakersFollow: a block that took the
// environment an Emacs Lisp block left (plan.Task.EnvironmentOf), which
// runs again as a dependent of a referrer of a block no longer added,
// runs again after it, as a block that depends on it by :var does: the
// environment it ran with may be no more. It stayed finished with the
// first one. The Emacs Lisp block runs in an Emacs of its own (another
// placement), which the adder's run again does not run again.
func TestDroppedBlockEnvironmentTakersFollow(t *testing.T) {
	e, rb, id, n := droppedReferred(t, "#+begin_src sh :var x=inserted\necho \"$x\"\n#+end_src\n\n"+
		"#+name: lisp\n#+begin_src emacs-lisp :constraints rack==r1 :var y=user\n(setenv \"Y\" y)\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :constraints rack==r1\necho \"$Y\"\n")
	from := n + 1
	for range 4000 {
		l := rb.launches()
		for ; from < len(l); from++ {
			if l[from].Block == "after" {
				return
			}
			finish(rb.fakeBackend, l[from], Finished, 0)
		}
		time.Sleep(5 * time.Millisecond)
	}
	var launched []string
	for _, a := range rb.launches()[n+1:] {
		launched = append(launched, a.Block)
	}
	var states []string
	if d, err := e.Document(id); err == nil {
		for _, b := range d.Blocks {
			if len(b.Instances) > 0 {
				states = append(states, b.Name+": "+string(b.Instances[0].State)+" "+b.Instances[0].Message)
			}
		}
	}
	t.Fatalf("after did not run again; launched after the drop: %v; blocks: %q", launched, states)
}
