package engine

import (
	"context"
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
	adder := markAt{at: "#+begin_src emacs-lisp :results silent\n(adds)"}
	adding := addedReport(t, adderSrc+"#+name: inserted\n#+begin_src sh\necho in\n#+end_src\n\n* Here\n", adder, markAt{at: "#+begin_src sh\necho in"})
	notAdding := addedReport(t, "A line.\n"+doc, adder)
	var inserted []string
	for n, report := range []string{adding, notAdding, adding} {
		l := rb.launches()
		if n > 0 {
			if err := e.RestartBlock(ctx, v.ID, "adder"); err != nil {
				t.Fatal(err)
			}
		}
		for range 400 {
			if len(rb.launches()) > len(l) {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if len(rb.launches()) == len(l) {
			d, _ := e.Document(v.ID)
			t.Fatalf("round %d: nothing launched: %+v", n, d)
		}
		a := rb.launches()[len(l)]
		rb.rmu.Lock()
		rb.reports[a.ID] = report
		rb.rmu.Unlock()
		finish(rb.fakeBackend, a, Finished, 0)
		if report == adding {
			ins := waitLaunches(t, rb.fakeBackend, len(l)+2)[len(l)+1]
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
}
