package engine

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// failingReads has every read of the reports of attempts fail until
// the returned func is called.
func (g *gatedReports) failingReads(attempts ...string) (heal func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, a := range attempts {
		g.failing[a] = 1 << 30
	}
	return func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		for _, a := range attempts {
			g.failing[a] = 0
		}
	}
}

// TestBufferReportReadAgainFails: a report of the Org buffer read
// before, let go, whose read again fails at every try, stays a report
// (e.reports), not one known as none: the blocks decided from it are
// not decided as if the buffer were as submitted; once the backend
// answers again, it is read. A results document that needs it while it
// cannot be read is an error (ErrReportUnread), not one written as the
// blocks were submitted.
func TestBufferReportReadAgainFails(t *testing.T) {
	withReportBudget(t, 1)
	dir := t.TempDir()
	g := newGatedReports(nil)
	e, stop := startEngine(t, dir, g, Config{endRead: fastRetry(3)})
	v, err := e.Submit(context.Background(), twoEditorsDoc)
	if err != nil {
		t.Fatal(err)
	}
	byBlock := finishReporting(t, e, g.reportBackend, v.ID, marksReport(t, a1Silenced, "", 1))
	readsDrained(t, e)
	stop()
	g2 := newGatedReports(g.reportBackend)
	e, _ = startEngine(t, dir, g2, Config{endRead: fastRetry(3)})
	if _, err := e.Document(v.ID); err != nil {
		t.Fatal(err)
	}
	readsDrained(t, e)
	e1, e2 := byBlock["e1"].ID, byBlock["e2"].ID
	heal := g2.failingReads(e1, e2)
	text, err := e.ResultDocument(context.Background(), v.ID)
	if !errors.Is(err, ErrReportUnread) {
		t.Errorf("results document with e1's report unreadable again: err %v, want ErrReportUnread; written:\n%s", err, text)
	}
	e.mu.Lock()
	ds := e.docs[v.ID]
	r := e.reloadReport(ds, e1)
	e.mu.Unlock()
	<-r.done
	readsDrained(t, e)
	if _, ok := e.reports.Load(e1); !ok {
		t.Error("e1's report, read before, forgotten once a read again failed")
	}
	if _, none := e.unreported.Load(e1); none {
		t.Error("e1 taken as an attempt that left no report once a read again failed")
	}
	heal()
	// A read again after one that failed waits first (reloadPause):
	// meanwhile the results document answers ErrReportUnread at once.
	for range 4000 {
		if text, err = e.ResultDocument(context.Background(), v.ID); !errors.Is(err, ErrReportUnread) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	if g2.readsOf(e1) == 0 {
		t.Error("e1's report never read again")
	}
	_ = text
}

// sixEditorsDoc has six Emacs Lisp blocks, each leaving a report.
var sixEditorsDoc = func() string {
	var b strings.Builder
	for i := 1; i <= 6; i++ {
		fmt.Fprintf(&b, "#+name: e%d\n#+begin_src emacs-lisp :results silent\n(message \"%d\")\n#+end_src\n\n", i, i)
	}
	return b.String()
}()

// reloadsOfSix ends sixEditorsDoc on e, its reports let go (a budget
// that keeps none), and starts the reads again of all six, whose reads
// g holds; it returns the document, the reads and what lets them go on.
func reloadsOfSix(t *testing.T, e *Engine, g *gatedReports) (*DocumentView, []*reportReload, func()) {
	t.Helper()
	v, err := e.Submit(context.Background(), sixEditorsDoc)
	if err != nil {
		t.Fatal(err)
	}
	byBlock := finishReporting(t, e, g.reportBackend, v.ID, reportText(t, sixEditorsDoc, "Prefix.\n"))
	readsDrained(t, e)
	open := g.hold(t)
	var rs []*reportReload
	e.mu.Lock()
	ds := e.docs[v.ID]
	for i := 1; i <= 6; i++ {
		rs = append(rs, e.reloadReport(ds, byBlock[fmt.Sprintf("e%d", i)].ID))
	}
	e.mu.Unlock()
	return v, rs, open
}

// TestBufferReportReadAgainBounded: the reads again of reports let go
// are at most reportPrereads at once; one not begun when its document
// is removed is not made.
func TestBufferReportReadAgainBounded(t *testing.T) {
	withReportBudget(t, 1)
	g := newGatedReports(nil)
	e, _ := startEngine(t, t.TempDir(), g, Config{endRead: fastRetry(3)})
	v, rs, open := reloadsOfSix(t, e, g)
	for i := range reportPrereads {
		select {
		case <-g.entered:
		case <-time.After(time.Minute):
			t.Fatalf("%d reads again under way at once, want %d", i, reportPrereads)
		}
	}
	// Only a read over the bound could enter now: a wait that ends
	// without one proves nothing, one that sees one fails.
	select {
	case a := <-g.entered:
		t.Errorf("read again of %s begun with %d under way: no bound", a, reportPrereads)
	case <-time.After(200 * time.Millisecond):
	}
	before := map[string]int{}
	for _, r := range rs {
		before[r.attempt] = g.readsOf(r.attempt)
	}
	if err := e.RemoveDocument(context.Background(), v.ID); err != nil {
		t.Fatal(err)
	}
	open()
	for _, r := range rs {
		<-r.done
	}
	readsDrained(t, e)
	unread := 0
	for _, r := range rs {
		if g.readsOf(r.attempt) == before[r.attempt] {
			unread++
		}
	}
	if unread < len(rs)-reportPrereads {
		t.Errorf("%d reads again not begun before the removal made after it, of %d", len(rs)-reportPrereads-unread, len(rs)-reportPrereads)
	}
}

// TestBufferReportReadAgainStops: a read again held by its backend ends
// as the engine stops: the stop does not wait for it.
func TestBufferReportReadAgainStops(t *testing.T) {
	withReportBudget(t, 1)
	g := newGatedReports(nil)
	e, stop := startEngine(t, t.TempDir(), g, Config{endRead: fastRetry(3)})
	_, _, _ = reloadsOfSix(t, e, g)
	select {
	case <-g.entered:
	case <-time.After(time.Minute):
		t.Fatal("no read again under way")
	}
	stopped := make(chan struct{})
	go func() { stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(heldReadLimit / 2):
		t.Fatal("the engine's stop waited for a read again held by its backend")
	}
}

// TestBufferReportLoadBounded: at a start, the reports of the Org buffer
// read for the documents that may still run are kept (pinned) until
// they are adopted, in batches: what is kept at once is at most
// reportBudget plus the reports of one document, however many documents
// there are.
func TestBufferReportLoadBounded(t *testing.T) {
	const doc = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(message \"x\")\n#+end_src\n\n" +
		"#+name: after\n#+begin_src sh\necho after\n#+end_src\n"
	report := reportText(t, doc, "Prefix.\n")
	one := reportCost(len(report)) // each document's reports: one
	withReportBudget(t, one+one/2)
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	const docs = 5
	for i := range docs {
		if _, err := e.Submit(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		l := waitLaunches(t, rb.fakeBackend, 2*i+1)
		editor := l[2*i]
		rb.setReport(editor.ID, report)
		finish(rb.fakeBackend, editor, Finished, 0)
		waitLaunches(t, rb.fakeBackend, 2*i+2) // after: left running
	}
	readsDrained(t, e)
	stop()
	rb2 := newReportBackend()
	rb2.reports, rb2.outputs = rb.reports, rb.outputs
	e2, _ := startEngine(t, dir, rb2, Config{})
	readsDrained(t, e2)
	rb2.rmu.Lock()
	read := rb2.reads
	rb2.rmu.Unlock()
	if read < docs {
		t.Fatalf("%d reports read at the start, want %d", read, docs)
	}
	if most, bound := e2.parsedReports.most, reportBudget+one; most > bound {
		t.Errorf("%d bytes of reports kept at once at the start (%d reports), over the budget plus one document's (%d)", most, most/one, bound)
	}
}

// editorLetGo has an Emacs Lisp block (editor) end with a report that
// marks after's body, the block after it (slow) left running, and
// editor's report read, then let go (a budget that keeps none).
func editorLetGo(t *testing.T) (*Engine, *gatedReports, *DocumentView, *Attempt) {
	t.Helper()
	const doc = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(message \"x\")\n#+end_src\n\n" +
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
		"#+name: after\n#+begin_src sh :results none :var x=slow\necho after\n#+end_src\n"
	buffer := strings.Replace(doc, "#+begin_src sh :results none", "#+begin_src sh", 1)
	withReportBudget(t, 1)
	g := newGatedReports(nil)
	e, _ := startEngine(t, t.TempDir(), g, Config{endRead: fastRetry(3)})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	editor := waitLaunches(t, g.fakeBackend, 1)[0]
	g.setReport(editor.ID, marksReport(t, buffer, "", 2))
	finish(g.fakeBackend, editor, Finished, 0)
	waitLaunches(t, g.fakeBackend, 2) // slow, left running
	readsDrained(t, e)
	if g.readsOf(editor.ID) == 0 {
		t.Fatal("editor's report never read")
	}
	return e, g, v, editor
}

// TestBufferReportEndWaitsForReadAgain: an attempt that ends while the
// report of the buffer it is decided from, let go (a budget that keeps
// none), is read again off the lock has its end decided once that read
// ends (reportReload.holdEnd), not left undecided.
func TestBufferReportEndWaitsForReadAgain(t *testing.T) {
	e, g, v, editor := editorLetGo(t)
	g.mu.Lock()
	g.only, g.after = editor.ID, g.n[editor.ID]
	g.mu.Unlock()
	open := g.hold(t)
	// after's attempt ends (slow still running: after was never
	// launched here) while editor's report, let go, is to be read.
	e.mu.Lock()
	ds := e.docs[v.ID]
	// The edits found for slow's launch give way, as to those of
	// another report found since (docState.edits keeps the latest).
	ds.edits = nil
	in := ds.byName["after"].instances[0]
	in.rec.AttemptID, in.rec.State = "after-attempt", string(Finished)
	e.noteAttemptEnd(in)
	e.persistLater(in.rec)
	undecided := in.rec.EndUndecided
	e.mu.Unlock()
	if !undecided {
		t.Fatal("after's end decided with editor's report let go and not read again")
	}
	select {
	case <-g.entered:
	case <-time.After(time.Minute):
		t.Fatal("editor's report, let go, never read again for after's end")
	}
	open()
	readsDrained(t, e)
	e.mu.Lock()
	undecided = e.docs[v.ID].byName["after"].instances[0].rec.EndUndecided
	e.mu.Unlock()
	if undecided {
		t.Error("after's end still undecided once editor's report was read again")
	}
}
