package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/session"
)

// twoEditorsDoc has two Emacs Lisp blocks, each followed by a shell
// block decided from the buffer it reports.
const twoEditorsDoc = "#+name: e1\n#+begin_src emacs-lisp :results silent\n(message \"1\")\n#+end_src\n\n" +
	"#+name: a1\n#+begin_src sh\necho a1\n#+end_src\n\n" +
	"#+name: e2\n#+begin_src emacs-lisp :results silent\n(message \"2\")\n#+end_src\n\n" +
	"#+name: a2\n#+begin_src sh\necho a2\n#+end_src\n"

// finishReporting finishes every attempt launched of document id from
// the from'th on until it ends, each Emacs Lisp block's (named e...)
// leaving report, and returns the attempts by block.
func finishReporting(t testing.TB, e *Engine, rb *reportBackend, id, report string) map[string]*Attempt {
	t.Helper()
	byBlock := map[string]*Attempt{}
	from := 0
	for range 4000 {
		l := rb.launches()
		for ; from < len(l); from++ {
			if strings.HasPrefix(l[from].Block, "e") {
				rb.rmu.Lock()
				rb.reports[l[from].ID] = report
				rb.rmu.Unlock()
			}
			byBlock[l[from].Block] = l[from]
			finish(rb.fakeBackend, l[from], Finished, 0)
		}
		if d, _ := e.Document(id); d != nil && d.State.Terminal() && from == len(rb.launches()) {
			return byBlock
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the document did not end")
	return nil
}

// a1Silenced is twoEditorsDoc as a buffer whose a1 writes no results.
var a1Silenced = strings.Replace(twoEditorsDoc, "#+begin_src sh\necho a1", "#+begin_src sh :results none\necho a1", 1)

// TestBufferReportLetGoReadOffLock: a report of the Org buffer whose
// text was let go (a budget that keeps none once read), needed again to
// decide what a block ran (the results document: editsOf, for the block
// decided from the first of two Emacs Lisp blocks' reports), is read
// again off the engine's lock: while that read is held, a view of the
// document is answered; once read, the results document is the same as
// before. The report changes a1 (its results none): a results document
// written without waiting for it writes a1's results.
func TestBufferReportLetGoReadOffLock(t *testing.T) {
	withReportBudget(t, 1)
	dir := t.TempDir()
	h := newHeldReports()
	e, stop := startEngine(t, dir, h, Config{})
	v, err := e.Submit(context.Background(), twoEditorsDoc)
	if err != nil {
		t.Fatal(err)
	}
	byBlock := finishReporting(t, e, h.reportBackend, v.ID, marksReport(t, a1Silenced, "", 1))
	readsDrained(t, e)
	first, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(first, "#+RESULTS: a1") {
		t.Fatalf("a1's results written, its results none in the buffer e1 left:\n%s", first)
	}
	// Started again, a1 is decided from e1's report anew: its text,
	// let go once the document is planned, is read again.
	stop()
	h2 := newHeldReports()
	h2.reports, h2.outputs = h.reports, h.outputs
	h = h2
	e, _ = startEngine(t, dir, h, Config{})
	if _, err := e.Document(v.ID); err != nil {
		t.Fatal(err)
	}
	readsDrained(t, e)
	// The new server's end check writes the document back off the
	// lock, reading e1's report again and keeping it (pinned) while it
	// runs: a ResultDocument meanwhile finds it kept, not let go.
	endChecked(t, e, v.ID)
	e1 := byBlock["e1"].ID
	before := h.reads(e1)
	h.hold(t, e1)
	written := make(chan string, 1)
	go func() {
		text, err := e.ResultDocument(context.Background(), v.ID)
		if err != nil {
			t.Error(err)
		}
		written <- text
	}()
	select {
	case <-h.entered:
	case <-time.After(time.Minute):
		h.release()
		t.Fatalf("the report of e1, let go, never read again (read %d times, %d before)", h.reads(e1), before)
	}
	answeredBounded(t, h, "a view waited while the report of e1, let go, was read again: read under the engine's lock", func() error {
		_, err := e.Document(v.ID)
		return err
	})
	h.release()
	// a2's output is the first backend's: only a1 is compared.
	if got := <-written; strings.Contains(got, "#+RESULTS: a1") || !strings.Contains(got, "#+begin_src sh :results none\necho a1") {
		t.Errorf("with e1's report read again, a1 is written as submitted, not as the buffer e1 left holds it:\n%s", got)
	}
}

// outputsCounted is heldReports counting the reads of the attempts'
// outputs (not of the reports of the Org buffer).
type outputsCounted struct {
	*heldReports
	omu sync.Mutex
	out map[string]int
}

func (o *outputsCounted) ReadLog(ctx context.Context, id, stream string, offset int64, limit int) ([]byte, int64, error) {
	if stream != session.BufferFile {
		o.omu.Lock()
		o.out[id]++
		o.omu.Unlock()
	}
	return o.heldReports.ReadLog(ctx, id, stream, offset, limit)
}

// TestBufferReportEndWaitsForRead: an attempt that ends while the report
// of the buffer it is decided from is being read (off the lock) has its
// end decided once that report is read, not from its block as submitted
// (reportBefore answering "" then): here the report changes the block so
// that its results may stop Emacs, and its output is read for it. Decided
// from the block as submitted (:results none), the end would be kept as
// one whose output is never read. So too when the server stops before
// the report is read: the one started again decides it once it has read
// the report (store.Instance.EndUndecided).
func TestBufferReportEndWaitsForRead(t *testing.T) {
	t.Run("running", func(t *testing.T) { endWaitsForRead(t, false) })
	t.Run("restarted", func(t *testing.T) { endWaitsForRead(t, true) })
}

func endWaitsForRead(t *testing.T, restart bool) {
	const doc = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(message \"x\")\n#+end_src\n\n" +
		"#+name: after\n#+begin_src sh :results none\necho after\n#+end_src\n"
	buffer := strings.Replace(doc, "#+begin_src sh :results none", "#+begin_src sh", 1)
	dir := t.TempDir()
	o := &outputsCounted{heldReports: newHeldReports(), out: map[string]int{}}
	e, stop := startEngine(t, dir, o, Config{})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	editor := waitLaunches(t, o.fakeBackend, 1)[0]
	o.setReport(editor.ID, marksReport(t, buffer, "", 1))
	o.endHeld(t, editor)
	// after's attempt ends while editor's report is read.
	e.mu.Lock()
	in := e.docs[v.ID].byName["after"].instances[0]
	in.rec.AttemptID, in.rec.State = "after-attempt", string(Finished)
	e.noteAttemptEnd(in)
	e.persistLater(in.rec)
	e.mu.Unlock()
	if restart {
		stop()
		o2 := &outputsCounted{heldReports: newHeldReports(), out: map[string]int{}}
		o2.reports, o2.outputs = o.reports, o.outputs
		o = o2
		e, _ = startEngine(t, dir, o, Config{})
	}
	o.release()
	readsDrained(t, e)
	o.omu.Lock()
	n := o.out["after-attempt"]
	o.omu.Unlock()
	if n == 0 {
		t.Error("after's output never read for whether its results stop Emacs: its end was decided from the block as submitted while editor's report was read")
	}
	e.mu.Lock()
	undecided := e.docs[v.ID].byName["after"].instances[0].rec.EndUndecided
	e.mu.Unlock()
	if undecided {
		t.Error("after's end still undecided once editor's report was read")
	}
}

// TestBufferReportLetGoHoldsLaunch: a block to launch decided from a
// report whose text was let go (a budget that keeps none once read) is
// held while that report is read again off the engine's lock: a view is
// answered meanwhile; once read, the block launches and the document
// ends.
func TestBufferReportLetGoHoldsLaunch(t *testing.T) {
	withReportBudget(t, 1)
	g := newGatedReports(nil)
	e, _ := startEngine(t, t.TempDir(), g, Config{})
	v, err := e.Submit(context.Background(), twoEditorsDoc)
	if err != nil {
		t.Fatal(err)
	}
	report := reportText(t, twoEditorsDoc, "Prefix.\n")
	e1 := waitLaunches(t, g.fakeBackend, 1)[0]
	g.setReport(e1.ID, report)
	g.mu.Lock()
	g.only, g.after = e1.ID, 1
	g.mu.Unlock()
	open := g.hold(t)
	finish(g.fakeBackend, e1, Finished, 0)
	select {
	case <-g.entered:
	case <-time.After(time.Minute):
		open()
		t.Fatalf("e1's report, let go, never read again for a1 (read %d times)", g.readsOf(e1.ID))
	}
	viewed := make(chan error, 1)
	go func() {
		_, err := e.Document(v.ID)
		viewed <- err
	}()
	select {
	case err := <-viewed:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(time.Minute):
		open()
		t.Fatal("a view waited while e1's report, let go, was read again for a1: read under the engine's lock")
	}
	if launchedBlock(g.reportBackend, "a1") {
		t.Error("a1 launched before the report it is decided from was read again")
	}
	open()
	finishReporting(t, e, g.reportBackend, v.ID, report)
	d, err := e.Document(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
}
