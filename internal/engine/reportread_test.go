package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// heldReports is a backend whose reads of the reports of the Org buffer
// of the document's Emacs (session.BufferFile) are held, for the attempt
// held, until released, and then fail for the attempt broken.
type heldReports struct{ *countedReads }

func newHeldReports() *heldReports {
	c := newCountedReads()
	c.ofReports = true
	return &heldReports{c}
}

// endHeld ends attempt a, finished, whose report's reads h holds, and
// waits, bounded, until the first of them has begun. The end is reported
// from a goroutine of its own, as a backend's are: one that reads the
// report as it is applied does not hold the test.
func (h *heldReports) endHeld(t *testing.T, a *Attempt) {
	t.Helper()
	h.hold(t, a.ID)
	go finish(h.fakeBackend, a, Finished, 0)
	select {
	case <-h.entered:
	case <-time.After(time.Minute):
		t.Fatal("the report of the Emacs Lisp block's buffer never read once it ended")
	}
}

// answeredWhileHeld checks, bounded, that e answers a view of document id
// and takes another document while the report of an Emacs Lisp block's
// buffer is being read: the read is not made under the engine's lock.
func answeredWhileHeld(t *testing.T, e *Engine, h *heldReports, id string) {
	t.Helper()
	answeredBounded(t, h, "a status and another document's submit waited while the report of the Emacs Lisp block's buffer was read: read under the engine's lock", func() error {
		if _, err := e.Document(id); err != nil {
			return err
		}
		_, err := e.Submit(context.Background(), "#+name: other\n#+begin_src sh\necho other\n#+end_src\n")
		return err
	})
}

// TestBufferReportReadOffLock: the report of the Org buffer an Emacs Lisp
// block leaves is read once its attempt has ended, and the read takes
// long: a status and another document's submit are answered meanwhile
// (it is not read under the engine's lock); the blocks after it wait for
// the report, saying so, the document running; once read, the block it
// added runs, then the block after it.
func TestBufferReportReadOffLock(t *testing.T) {
	h := newHeldReports()
	e, _ := startEngine(t, t.TempDir(), h, Config{})
	v, err := e.Submit(context.Background(), addingDoc)
	if err != nil {
		t.Fatal(err)
	}
	editor := waitLaunches(t, h.fakeBackend, 1)[0]
	h.setReport(editor.ID, addingReport(t))
	h.endHeld(t, editor)
	answeredWhileHeld(t, e, h, v.ID)
	if !waitsOn(e, v.ID, "after", "editor (the Org buffer it left being read)") {
		t.Fatal("after not waiting for the report of editor's buffer")
	}
	if d, err := e.Document(v.ID); err != nil || d.State != Running {
		t.Fatalf("the document while editor's report is read: %v, want running", err)
	}
	if launchedBlock(h.reportBackend, "after") {
		t.Fatal("after launched while editor's report was not read")
	}
	h.release()
	checkReportApplied(t, e, h.reportBackend, v.ID, reportAdds, 1)
}

// reportEffect is what a report of editor's buffer does to addingDoc.
type reportEffect int

const (
	reportAdds    reportEffect = iota // a block added before after
	reportDeletes                     // after deleted
	reportUnread                      // a report that adds, never read: lost
)

// checkReportApplied finishes every attempt launched of document id from
// the from'th on (those of the document submitted meanwhile too) until it
// ends, and checks that what the report did applies.
func checkReportApplied(t *testing.T, e *Engine, rb *reportBackend, id string, effect reportEffect, from int) {
	t.Helper()
	finishAll(t, e, rb, id, from)
	d, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, b := range d.Blocks {
		in := b.Instances[0]
		states[b.Name] = string(in.State)
		switch {
		case b.Name == "added" && b.AddedBy != "editor":
			t.Errorf("added, added by %q, want editor", b.AddedBy)
		case b.Name == "after" && effect == reportDeletes && (in.State != Finished || in.Attempts != 0 || !strings.Contains(in.Message, "deleted")):
			t.Errorf("after: %s after %d attempts (%q), want finished without running, deleted", in.State, in.Attempts, in.Message)
		case b.Name == "after" && effect == reportUnread && (in.State != Failed || in.Attempts != 0 || !strings.Contains(in.Message, "is lost")):
			t.Errorf("after: %s after %d attempts (%q), want failed without running, editor's report lost", in.State, in.Attempts, in.Message)
		case b.Name == "after" && effect != reportDeletes && effect != reportUnread && (in.State != Finished || in.Attempts != 1):
			t.Errorf("after: %s after %d attempts, want finished once", in.State, in.Attempts)
		}
	}
	if _, ok := states["added"]; ok != (effect == reportAdds) {
		t.Errorf("blocks %v: the added block listed %v, want %v", states, ok, effect == reportAdds)
	}
	if want := map[bool]State{false: Finished, true: Failed}[effect == reportUnread]; d.State != want {
		t.Errorf("document %s, want %s; blocks %v", d.State, want, states)
	}
}

// deletingReport is the report of addingDoc's buffer after its editor
// deleted the block after it.
func deletingReport(t *testing.T) string {
	at := strings.Index(addingDoc, "#+name: after")
	buffer := addingDoc[:at] + "Deleted.\n"
	return addedReport(t, buffer, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "Deleted.", deleted: true})
}

// TestBufferReportEffectsOffLock: what the report of an Emacs Lisp
// block's buffer, read off the lock, does applies as when it was read
// under it: the block it added runs, the block it deleted does not; a
// report that cannot be read (every try failing, round after round) is
// never taken as no report: lost (here at once, Config.reportLostAfter),
// the block after it fails saying so; a server stopped while it is read (its record keeping it
// as not read) reads it again when started, and the same applies.
func TestBufferReportEffectsOffLock(t *testing.T) {
	for _, c := range []struct {
		name   string
		effect reportEffect
	}{{"adds", reportAdds}, {"deletes", reportDeletes}, {"unread", reportUnread}} {
		for _, restart := range []bool{false, true} {
			name := c.name
			if restart {
				name += "/restarted"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				retry := &endReadRetry{timeout: time.Minute, tries: 3, first: time.Millisecond, max: time.Millisecond}
				cfg := Config{endRead: retry, reportLostAfter: lostAtOnce}
				h := newHeldReports()
				e, stop := startEngine(t, dir, h, cfg)
				v, err := e.Submit(context.Background(), addingDoc)
				if err != nil {
					t.Fatal(err)
				}
				editor := waitLaunches(t, h.fakeBackend, 1)[0]
				report := addingReport(t)
				if c.effect == reportDeletes {
					report = deletingReport(t)
				}
				h.setReport(editor.ID, report)
				if c.effect == reportUnread {
					h.mu.Lock()
					h.broken = editor.ID
					h.mu.Unlock()
				}
				h.endHeld(t, editor)
				answeredWhileHeld(t, e, h, v.ID)
				if !restart {
					h.release()
					checkReportApplied(t, e, h.reportBackend, v.ID, c.effect, 1)
					return
				}
				stop()
				h2 := newHeldReports()
				h2.reports, h2.outputs, h2.broken = h.reports, h.outputs, h.broken
				e2, _ := startEngine(t, dir, h2, cfg)
				checkReportApplied(t, e2, h2.reportBackend, v.ID, c.effect, 0)
			})
		}
	}
}

// TestBufferReportFoundStopOffLock: in a document whose Emacs Lisp block
// changes nothing (no report), the shell block after it waits for that
// block's report to be read, off the lock, then runs, and the block of no
// language in its results stops the document before the Emacs Lisp block
// after it, as Emacs does; a server stopped while the report is read
// does the same once started again (running the Emacs Lisp block again,
// its Emacs open then).
func TestBufferReportFoundStopOffLock(t *testing.T) {
	const doc = "#+begin_src emacs-lisp\n(message \"hi\")\n#+end_src\n\n" + stopBesideEmacsDoc
	for _, restart := range []bool{false, true} {
		t.Run(map[bool]string{false: "running", true: "restarted"}[restart], func(t *testing.T) {
			r := startHeldRun(t, doc, "")
			e, h, v := r.e, r.h, r.v
			answeredWhileHeld(t, e, h, v.ID)
			fb := h.fakeBackend
			if restart {
				var h2 *heldReports
				e, h2 = r.restarted(t)
				fb = h2.fakeBackend
				// Its Emacs open (block-3 to come), it runs again
				// from its first block, which edits nothing.
				finishLaunch(fb, waitLaunchOf(t, fb, "block-1"), "")
			} else {
				h.release()
			}
			shell := waitLaunchOf(t, fb, "block-2")
			finishLaunch(fb, shell, "#+begin_src nolang\nx\n#+end_src\n")
			d := waitDocumentEnded(t, e, v.ID)
			if msg, ok := blockMessage(d, "block-3"); !ok || !strings.Contains(msg, "org-babel-execute-buffer stopped before it") {
				t.Errorf("block-3: %q; want not run, held by the stop", msg)
			}
		})
	}
}

// waitLaunchOf waits, bounded, for the launch of block name.
func waitLaunchOf(t *testing.T, fb *fakeBackend, name string) *Attempt {
	t.Helper()
	for range 4000 {
		for _, a := range fb.launches() {
			if a.Block == name {
				return a
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s not launched", name)
	return nil
}

// reportReadsEnded waits, bounded, until no report of document id's
// buffer is being read nor left unread, and returns the document.
func reportReadsEnded(t *testing.T, e *Engine, id string) *DocumentView {
	t.Helper()
	for range 4000 {
		e.mu.Lock()
		ds := e.docs[id]
		pending := ds == nil || len(ds.reportReads) > 0
		for _, b := range ds.allBlocks() {
			for _, in := range b.instances {
				pending = pending || in.rec.BufferUnread
			}
		}
		e.mu.Unlock()
		if !pending {
			d, err := e.Document(id)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the report of editor's buffer never applied")
	return nil
}

// TestBufferReportKilledWhileRead: a document killed while the report of
// its Emacs Lisp block's buffer is read stays killed once the report is
// read: the block the report adds is listed killed on request and never
// runs, nor after a server restart that reads the report again.
func TestBufferReportKilledWhileRead(t *testing.T) {
	for _, restart := range []bool{false, true} {
		t.Run(map[bool]string{false: "running", true: "restarted"}[restart], func(t *testing.T) {
			r := startHeldRun(t, addingDoc, addingReport(t))
			e, h, v := r.e, r.h, r.v
			if err := e.KillDocument(context.Background(), v.ID); err != nil {
				t.Fatal(err)
			}
			rb := h.reportBackend
			if restart {
				var h2 *heldReports
				e, h2 = r.restarted(t)
				rb = h2.reportBackend
			} else {
				h.release()
			}
			d := reportReadsEnded(t, e, v.ID)
			added := false
			for _, b := range d.Blocks {
				added = added || b.Name == "added"
				for _, in := range b.Instances {
					if !in.State.Terminal() {
						t.Errorf("%s: %s after the kill, want ended", b.Name, in.State)
					}
					if b.Name == "added" && (in.State != Killed || in.Message != "killed on request") {
						t.Errorf("added: %s (%q), want killed on request", in.State, in.Message)
					}
				}
			}
			if !added {
				t.Error("the block the report adds not listed")
			}
			if launchedBlock(rb, "added") || launchedBlock(rb, "after") {
				t.Error("a block of the killed document launched")
			}
		})
	}
}

// allBlocks is ds's blocks, none for no document.
func (ds *docState) allBlocks() []*blockState {
	if ds == nil {
		return nil
	}
	return ds.blocks
}

// heldRun is a document submitted to an engine whose first block, an
// Emacs Lisp block, has ended, the read of the report of its buffer held.
type heldRun struct {
	dir  string
	h    *heldReports
	e    *Engine
	stop func()
	v    *DocumentView
}

// startHeldRun submits doc and ends its first launch, report (none for
// "") the report of its buffer, whose read is held.
func startHeldRun(t *testing.T, doc, report string) heldRun {
	t.Helper()
	r := heldRun{dir: t.TempDir(), h: newHeldReports()}
	r.e, r.stop = startEngine(t, r.dir, r.h, Config{})
	v, err := r.e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	r.v = v
	first := waitLaunches(t, r.h.fakeBackend, 1)[0]
	if report != "" {
		r.h.setReport(first.ID, report)
	}
	r.h.endHeld(t, first)
	return r
}

// restarted stops r's engine, the read still held, and starts another on
// its store, whose backend has r's reports and outputs.
func (r heldRun) restarted(t *testing.T) (*Engine, *heldReports) {
	t.Helper()
	r.stop()
	h2 := newHeldReports()
	h2.reports, h2.outputs = r.h.reports, r.h.outputs
	e, _ := startEngine(t, r.dir, h2, Config{})
	return e, h2
}
