package engine

import (
	"path/filepath"

	"context"
	"fmt"
	"github.com/wallyqs/borges/internal/store"
	"testing"
	"time"
)

// readsDrained waits, bounded, until no read of a report (nor of an
// output at an attempt's end) is under way in e.
func readsDrained(t testing.TB, e *Engine) {
	t.Helper()
	select {
	case <-readsEnded(e):
	case <-time.After(time.Minute):
		t.Fatal("the reads of reports never ended")
	}
}

// readsEnded is closed once, e.mu held, no read is under way in e (nor
// starting: each starts under e.mu). It looks at e.reading's count, not
// its WaitGroup: a Wait while the engine runs races with the start of a
// read from none under way (WaitGroup.Add from 0), as a read again of a
// report started by the end checks (reportLocked) does. It gives up,
// never closed, after about two minutes.
func readsEnded(e *Engine) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		for range 120000 {
			e.mu.Lock()
			n := e.reading.underway()
			e.mu.Unlock()
			if n == 0 {
				close(done)
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()
	return done
}

// TestBufferReportUnreadableReadOnce: a report of the Org buffer that
// cannot be read (larger than a result may be, or not a report) is read
// once, off the engine's lock, when its Emacs Lisp block ends: what the
// engine decides of the blocks after it (their launch, their ends, the
// results written) reads it no more, as a read of it under the lock
// would hold every view for as long as the backend takes.
func TestBufferReportUnreadableReadOnce(t *testing.T) {
	for _, c := range []struct {
		name   string
		max    int
		report func(t *testing.T) string
	}{
		{"larger", 40, addingReport},
		{"unparsable", 0, func(*testing.T) string { return "not a report of the buffer\n" }},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newHeldReports()
			e, _ := startEngine(t, t.TempDir(), h, Config{MaxResultBytes: c.max})
			v, editor := submitHeldAdding(t, e, h, c.report(t))
			h.endHeld(t, editor)
			h.release()
			finishAll(t, e, h.reportBackend, v.ID, 1)
			if _, err := e.ResultDocument(context.Background(), v.ID); err != nil {
				t.Fatal(err)
			}
			if n := h.reads(editor.ID); n != 1 {
				t.Errorf("the report that cannot be read was read %d times, want once (off the lock)", n)
			}
		})
	}
}

// TestBufferReportNotReadAgainOnceOthersRead: the report of an Emacs Lisp
// block's buffer, read off the lock, is not read again under it once the
// reports of other documents' Emacs were read since (whatever the engine
// keeps of them, or lets go): the end of the block after it, which
// searches its results beside it, is decided while every later read of
// that report is held, a view answered meanwhile. A read under the lock
// would hold the view (and be counted as a held read never let go).
// So too with a budget for parsed reports that keeps none once applied
// (reportBudget): what the end decides needs only whether it left one.
func TestBufferReportNotReadAgainOnceOthersRead(t *testing.T) {
	t.Run("kept", notReadAgainOnceOthersRead)
	t.Run("let_go", func(t *testing.T) {
		withReportBudget(t, 1)
		notReadAgainOnceOthersRead(t)
	})
}

func notReadAgainOnceOthersRead(t *testing.T) {
	h := newHeldReports()
	e, _ := startEngine(t, t.TempDir(), h, Config{})
	v, editor := submitHeldAdding(t, e, h, addingReport(t))
	h.endHeld(t, editor)
	h.release()
	added := waitLaunchOf(t, h.fakeBackend, "added")
	// Other documents' Emacs reported their buffers meanwhile.
	for i := range 2 * recentDocs {
		other := fmt.Sprintf("other-%d", i)
		h.setReport(other, addingReport(t))
		if _, _, err := e.readReport(context.Background(), other); err != nil {
			t.Fatal(err)
		}
	}
	h.mu.Lock()
	h.gate = make(chan struct{}) // the first hold's was let go
	h.mu.Unlock()
	h.hold(t, editor.ID)
	go finish(h.fakeBackend, added, Finished, 0)
	answeredBounded(t, h, "the end of the block the report added waited for a read of the report under the engine's lock", func() error {
		for range 4000 {
			d, err := e.Document(v.ID)
			if err != nil {
				return err
			}
			for _, b := range d.Blocks {
				if b.Name == "added" && b.Instances[0].State.Terminal() {
					return nil
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
		return fmt.Errorf("added's end never applied")
	})
	h.release()
	finishAll(t, e, h.reportBackend, v.ID, 1)
}

// TestBufferReportLoadOffLock: a document that had ended, planned again
// on a server started again when first asked for (a stub until then),
// has the reports of its Emacs' buffer read off the engine's lock: while
// that read takes long, another document is taken.
func TestBufferReportLoadOffLock(t *testing.T) {
	dir := t.TempDir()
	v, editor, h := endedAdding(t, dir)
	h2 := newHeldReports()
	h2.reports, h2.outputs = h.reports, h.outputs
	h2.hold(t, editor.ID)
	e2, _ := startEngine(t, dir, h2, Config{})
	viewed := make(chan error, 1)
	go func() {
		_, err := e2.Document(v.ID)
		viewed <- err
	}()
	select {
	case <-h2.entered:
	case <-time.After(time.Minute):
		t.Fatal("the report of editor's buffer never read once its document was asked for")
	}
	answeredBounded(t, h2, "another document's submit waited while the report of a document planned again was read: read under the engine's lock", func() error {
		_, err := e2.Submit(context.Background(), "#+name: other\n#+begin_src sh\necho other\n#+end_src\n")
		return err
	})
	h2.release()
	if err := <-viewed; err != nil {
		t.Fatal(err)
	}
	d, err := e2.Document(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	added := addedListed(d)
	if !added || d.State != Finished {
		t.Errorf("document %s, the added block listed %v; want finished, listed", d.State, added)
	}
}

// endedAdding runs addingDoc, its editor adding a block, to its end on
// an engine with its store in dir, stopped then; it returns the
// document, editor's attempt and the backend, holding their reports.
func endedAdding(t *testing.T, dir string) (*DocumentView, *Attempt, *heldReports) {
	t.Helper()
	h := newHeldReports()
	e, stop := startEngine(t, dir, h, Config{})
	v, editor := submitHeldAdding(t, e, h, addingReport(t))
	finishAll(t, e, h.reportBackend, v.ID, 0)
	stop()
	return v, editor, h
}

// addedListed reports whether d lists the block editor added.
func addedListed(d *DocumentView) bool {
	for _, b := range d.Blocks {
		if b.Name == "added" && b.AddedBy == "editor" {
			return true
		}
	}
	return false
}

// removedWhileRead submits addingDoc, ends its editor, report (broken:
// every read failing) the report of its buffer, whose first read is held,
// and removes the document before letting the read go on; it returns the
// engine, backend and editor's attempt once every read has ended.
func removedWhileRead(t *testing.T, report string, broken bool) (*Engine, *heldReports, string) {
	t.Helper()
	retry := &endReadRetry{timeout: time.Minute, tries: 3, first: time.Millisecond, max: time.Millisecond}
	h := newHeldReports()
	e, _ := startEngine(t, t.TempDir(), h, Config{endRead: retry})
	v, editor := submitHeldAdding(t, e, h, report)
	if broken {
		h.mu.Lock()
		h.broken = editor.ID
		h.mu.Unlock()
	}
	h.endHeld(t, editor)
	if err := e.RemoveDocument(context.Background(), v.ID); err != nil {
		t.Fatal(err)
	}
	h.release()
	readsDrained(t, e)
	return e, h, editor.ID
}

// TestBufferReportRetriesStopOnRemoval: the reads of a report that fail,
// tried again, stop once its document is removed: the report matters to
// nothing any more.
func TestBufferReportRetriesStopOnRemoval(t *testing.T) {
	_, h, editor := removedWhileRead(t, addingReport(t), true)
	if n := h.reads(editor); n != 1 {
		t.Errorf("the report of a removed document read %d times, want once (the read under way)", n)
	}
}

// TestBufferReportForgottenOnRemoval: a report read while its document is
// removed is not kept once read (nor the knowledge that there is none):
// nothing of the removed document stays in the engine.
func TestBufferReportForgottenOnRemoval(t *testing.T) {
	for _, report := range []string{"", "REPORT"} {
		t.Run(map[string]string{"": "none", "REPORT": "report"}[report], func(t *testing.T) {
			if report != "" {
				report = addingReport(t)
			}
			e, _, editor := removedWhileRead(t, report, false)
			if _, ok := e.unreported.Load(editor); ok {
				t.Error("the removed document's attempt still known to hold no report")
			}
			if kept := reportKept(e, editor); kept {
				t.Error("the removed document's report still kept")
			}
		})
	}
}

// reportKept reports whether e keeps the report of attempt a.
func reportKept(e *Engine, a string) bool {
	_, ok := e.reports.Load(a)
	return ok
}

// TestBufferReportUnreadKeptWhenStopping: a server stopped while it
// starts, before the reads of the reports not read when the one before it
// stopped could begin, keeps them as not read (store.Instance.
// BufferUnread): a server started after it reads them, and what they do
// applies (here, after a kill of the document, the block the report adds
// is killed, never run).
func TestBufferReportUnreadKeptWhenStopping(t *testing.T) {
	r := startHeldRun(t, addingDoc, addingReport(t))
	if err := r.e.KillDocument(context.Background(), r.v.ID); err != nil {
		t.Fatal(err)
	}
	r.stop()
	// Started, and stopped at once: its context ended before it loads.
	h2 := newHeldReports()
	h2.reports, h2.outputs = r.h.reports, r.h.outputs
	st, err := store.Open(filepath.Join(r.dir, "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	e2 := New(Config{Backend: h2, Store: st})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := e2.Start(ctx); err != nil {
		t.Log(err)
	}
	select {
	case <-e2.stopped:
	case <-time.After(time.Minute):
		t.Fatal("the server stopped at its start never stopped")
	}
	// Not read either, under the lock, by what the start decided from
	// the buffer (adopt): it stays for the next start to read off it.
	if n := h2.reads(waitLaunchOf(t, r.h.fakeBackend, "editor").ID); n != 0 {
		t.Errorf("editor's report, not read, read %d times by a server stopped at its start (under its lock), want none", n)
	}
	recs, err := st.DocumentInstances(r.v.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		if rec.Block == "editor" && !rec.BufferUnread {
			t.Error("editor's report, not read, stored as read by a server stopped at its start")
		}
	}
	st.Close()
	h3 := newHeldReports()
	h3.reports, h3.outputs = r.h.reports, r.h.outputs
	e3, _ := startEngine(t, r.dir, h3, Config{})
	d := reportReadsEnded(t, e3, r.v.ID)
	for _, b := range d.Blocks {
		if in := b.Instances[0]; b.Name == "added" && in.State != Killed {
			t.Errorf("added: %s (%q), want killed on request", in.State, in.Message)
		}
	}
	if launchedBlock(h3.reportBackend, "added") || launchedBlock(h3.reportBackend, "after") {
		t.Error("a block of the killed document launched")
	}
}

// TestBufferReportBeforeWhileRead: an Emacs Lisp block run again, the
// report of its buffer being read, does not have that report read under
// the lock, nor taken as none, by what looks at the buffer before the
// blocks after it (their results written as they ran): the results
// document is answered meanwhile, and once the report is read, what it
// does applies (the block the first run added is no longer listed).
func TestBufferReportBeforeWhileRead(t *testing.T) {
	h := newHeldReports()
	e, _ := startEngine(t, t.TempDir(), h, Config{})
	v, _ := submitHeldAdding(t, e, h, addingReport(t))
	n := finishAll(t, e, h.reportBackend, v.ID, 0)
	if err := e.RestartBlock(context.Background(), v.ID, "editor"); err != nil {
		t.Fatal(err)
	}
	again := waitLaunches(t, h.fakeBackend, n+1)[n]
	if again.Block != "editor" {
		t.Fatalf("%s launched, want editor run again", again.Block)
	}
	h.setReport(again.ID, deletingReport(t))
	h.endHeld(t, again)
	answeredBounded(t, h, "the results document waited while the report of editor's buffer, run again, was read: read under the engine's lock", func() error {
		_, err := e.ResultDocument(context.Background(), v.ID)
		return err
	})
	h.release()
	finishAll(t, e, h.reportBackend, v.ID, n+1)
	d := reportReadsEnded(t, e, v.ID)
	for _, b := range d.Blocks {
		if b.Name == "added" {
			t.Error("added still listed once editor, run again, reported a buffer without it")
		}
	}
	if d.State != Finished {
		t.Errorf("document %s, want finished", d.State)
	}
}

// submitHeldAdding submits addingDoc to e and returns it with its editor's
// attempt, launched, report the report of its buffer.
func submitHeldAdding(t *testing.T, e *Engine, h *heldReports, report string) (*DocumentView, *Attempt) {
	t.Helper()
	v, err := e.Submit(context.Background(), addingDoc)
	if err != nil {
		t.Fatal(err)
	}
	editor := waitLaunches(t, h.fakeBackend, 1)[0]
	h.setReport(editor.ID, report)
	return v, editor
}

// answeredBounded checks, bounded, that f returns, without error, while
// h holds a read; failing, it lets the read go and says why.
func answeredBounded(t *testing.T, h *heldReports, why string, f func() error) {
	t.Helper()
	answered := make(chan error, 1)
	go func() { answered <- f() }()
	select {
	case err := <-answered:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(60 * time.Second):
		h.release()
		t.Fatal(why)
	}
}
