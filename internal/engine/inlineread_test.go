package engine

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// fastRetry reads an inline value again at once after a failure, tries
// times in all.
func fastRetry(tries int) *endReadRetry {
	return &endReadRetry{timeout: time.Minute, tries: tries, first: time.Millisecond, max: time.Millisecond}
}

// neverGivesUp reads an inline value again for as long as it is wanted.
const neverGivesUp = 1 << 30

// waitReadsEnded waits, bounded, for e's reads of inline values to end,
// and reports whether they did.
func waitReadsEnded(e *Engine) bool {
	select {
	case <-readsEnded(e):
		return true
	case <-time.After(time.Minute):
		return false
	}
}

// inlineThenAfter has an inline block of several lines of output, which
// Babel refuses inline, then block slow, then block after, which refers
// to slow.
const inlineThenAfter = "Text src_sh[:results output]{echo 1; echo 2} here.\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n"

// unreadThenAfter submits inlineThenAfter to e, has the inline block's
// output fail to be read (every try, as e's schedule gives up), slow end,
// and after launch, and returns the document's id.
func unreadThenAfter(t *testing.T, e *Engine, fr *failingReads) string {
	t.Helper()
	v, err := e.Submit(context.Background(), inlineThenAfter)
	if err != nil {
		t.Fatal(err)
	}
	in := launchOf(t, fr.fakeBackend, "inline-1", 1)
	slow := launchOf(t, fr.fakeBackend, "slow", 1)
	fr.failReads(true)
	endWith(t, e, fr.reportBackend, v.ID, in, "1\n2\n")
	finish(fr.fakeBackend, slow, Finished, 0)
	if !endedOrLaunched(e, fr.reportBackend, v.ID, "after") {
		t.Fatal("after not launched once the reads of the inline value gave up")
	}
	return v.ID
}

// TestInlineValueReadStopsWithEngine: the engine stops while an inline
// block's output is read: the read is cancelled, ends, and stores
// nothing after the store is closed.
func TestInlineValueReadStopsWithEngine(t *testing.T) {
	c := newCountedReads()
	logs := &syncBuffer{}
	e, stop := startEngine(t, t.TempDir(), c, Config{Logger: slog.New(slog.NewTextHandler(logs, nil))})
	_, err := e.Submit(context.Background(), "Text src_sh{echo 1} here.\n")
	if err != nil {
		t.Fatal(err)
	}
	endHeld(t, c, launchOf(t, c.fakeBackend, "inline-1", 1), "1\n")
	stop()
	c.release()
	if !waitReadsEnded(e) {
		t.Fatal("the read of the inline value did not end with the engine")
	}
	if strings.Contains(logs.String(), "not stored") {
		t.Errorf("the read of the inline value stored after the engine stopped:\n%s", logs.String())
	}
}

// TestInlineValueReadNoStore: on a server with no store, reads that keep
// failing give up and free the blocks after the inline block, and a read
// under way ends with the engine.
func TestInlineValueReadNoStore(t *testing.T) {
	fr := &failingReads{reportBackend: newReportBackend()}
	e := New(Config{Backend: fr, endRead: fastRetry(3)})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	id := unreadThenAfter(t, e, fr)
	// A read that never gives up ends with the engine.
	e.mu.Lock()
	e.cfg.endRead = fastRetry(neverGivesUp)
	e.mu.Unlock()
	if err := e.RestartBlock(ctx, id, "inline-1"); err != nil {
		t.Fatal(err)
	}
	in2 := launchOf(t, fr.fakeBackend, "inline-1", 2)
	endWith(t, e, fr.reportBackend, id, in2, "1\n2\n")
	cancel()
	if !waitReadsEnded(e) {
		t.Fatal("the read of the inline value did not end with the engine")
	}
}

// TestInlineValueStaleReadStops: the inline block's output cannot be
// read; it is run again, and its new attempt killed: the read of the
// attempt before stops, and the document ends, not waiting for it.
func TestInlineValueStaleReadStops(t *testing.T) {
	fr := &failingReads{reportBackend: newReportBackend()}
	e, _ := startEngine(t, t.TempDir(), fr, Config{endRead: fastRetry(neverGivesUp)})
	v, err := e.Submit(context.Background(), "Text src_sh[:results output]{echo 1; echo 2} here.\n\n"+
		"#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	id := v.ID
	in := launchOf(t, fr.fakeBackend, "inline-1", 1)
	after := launchOf(t, fr.fakeBackend, "after", 1)
	finish(fr.fakeBackend, after, Finished, 0)
	// after's output, read once it ended (for whether its results
	// stop Emacs), read before the reads fail: that read would never
	// give up either.
	waitState(t, e, id, "after", Finished)
	if !waitReadsEnded(e) {
		t.Fatal("after's output never read")
	}
	fr.failReads(true)
	endWith(t, e, fr.reportBackend, id, in, "1\n2\n")
	if err := e.RestartBlock(context.Background(), id, "inline-1"); err != nil {
		t.Fatal(err)
	}
	in2 := launchOf(t, fr.fakeBackend, "inline-1", 2)
	if err := e.KillBlock(context.Background(), id, "inline-1"); err != nil {
		t.Fatal(err)
	}
	finish(fr.fakeBackend, in2, Killed, 0)
	if d := waitDocumentEnded(t, e, id); d.State == Running {
		t.Fatalf("document %s", d.State)
	}
	if !waitReadsEnded(e) {
		t.Fatal("the read of the attempt before did not stop")
	}
}

// unreadNote is what the notes say of an inline value not read.
const unreadNote = "could not be read"

// TestInlineValueUnreadGivesUp: the inline block's output cannot be read
// by any try: the blocks after it run, the notes say its value could not
// be checked, and a server started again, the output readable by then,
// says the same: no stop made after the fact.
func TestInlineValueUnreadGivesUp(t *testing.T) {
	dir := t.TempDir()
	fr := &failingReads{reportBackend: newReportBackend()}
	cfg := Config{endRead: fastRetry(3)}
	e, stop := startEngine(t, dir, fr, cfg)
	id := unreadThenAfter(t, e, fr)
	finish(fr.fakeBackend, launchOf(t, fr.fakeBackend, "after", 1), Finished, 0)
	check := func(d *DocumentView) {
		t.Helper()
		notes := strings.Join(d.Notes, "\n")
		if strings.Contains(notes, "stops this document") || !strings.Contains(notes, unreadNote) {
			t.Errorf("notes %q: want the inline value not read, and no stop", notes)
		}
	}
	check(waitDocumentEnded(t, e, id))
	stop()
	fr.failReads(false)
	e2, _ := startEngine(t, dir, fr, cfg)
	check(waitDocumentEnded(t, e2, id))
}

// TestInlineValueOlderRecord: a record stored before inline values were
// kept has none: an ended document loaded with it stays ended, its
// output not read again.
func TestInlineValueOlderRecord(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, "Text src_sh{echo 1} here.\n\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), "1\n")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	waitDocumentEnded(t, e, id)
	stop()
	st, recs := storedRecords(t, dir, id)
	var old []*store.Instance
	for _, r := range recs {
		if r.InlineRead {
			r.InlineRead, r.InlineStop = false, ""
			old = append(old, r)
		}
	}
	if err := st.Commit(old, nil, 0); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if len(old) != 1 {
		t.Fatalf("%d records with their inline value read, want 1", len(old))
	}
	fr := &failingReads{reportBackend: rb, fail: true}
	e2, _ := startEngine(t, dir, fr, Config{endRead: fastRetry(neverGivesUp)})
	for range 2 {
		if d, err := e2.Document(id); err != nil || d.State != Finished {
			t.Fatalf("document after a start over an older record: %v, %v; want finished", d, err)
		}
	}
	e2.mu.Lock()
	n := len(e2.docs[id].endReads)
	e2.mu.Unlock()
	if n != 0 {
		t.Errorf("%d inline values read over an older record of an ended document, want none", n)
	}
}
