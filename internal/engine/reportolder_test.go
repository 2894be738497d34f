package engine

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// asOlderRecords rewrites the records of document doc, in the store
// under dir, as an older Borges wrote them, before
// store.Instance.BufferReport: no attempt is said to have left a report
// of the Org buffer, nor to be known to have left none.
func asOlderRecords(t *testing.T, dir, doc string) {
	t.Helper()
	withStored(t, filepath.Join(dir, "borges.db"), doc, func(s *store.Store, recs []*store.Instance) {
		for _, r := range recs {
			r.BufferReport, r.BufferReportKnown = "", false
		}
		if err := s.PutInstances(recs); err != nil {
			t.Fatal(err)
		}
	})
}

// restartReportFailing runs lostDoc until slow runs, editor's report
// (changing after's body to echo edited; none unless report) read,
// stops the server, rewrites the records as an older Borges wrote them
// when older says so (asOlderRecords), and starts it again with every
// read of editor's report failing until heal is called; slow then ends.
func restartReportFailing(t *testing.T, report, older bool) (e *Engine, g2 *gatedReports, id, editor string, heal func()) {
	t.Helper()
	dir := t.TempDir()
	g := newGatedReports(nil)
	e, stop := startEngine(t, dir, g, Config{endRead: fastRetry(3)})
	rep := ""
	if report {
		rep = editedReport(t)
	}
	v, ed := editorEnds(t, e, g, rep, nil)
	slow := waitLaunches(t, g.fakeBackend, 2)[1]
	e, g2, heal = restartReadsFailing(t, e, stop, dir, g, v.ID, ed.ID, slow, older)
	return e, g2, v.ID, ed.ID, heal
}

// restartReadsFailing stops e (stop), its store under dir, starts it
// again (its records as an older Borges wrote them if older) with the
// reads of failing's report failing, finishes slow, and waits until
// that report was read more than prereadTries times.
func restartReadsFailing(t *testing.T, e *Engine, stop func(), dir string, g *gatedReports, id, failing string, slow *Attempt, older bool) (*Engine, *gatedReports, func()) {
	t.Helper()
	readsDrained(t, e)
	stop()
	if older {
		asOlderRecords(t, dir, id)
	}
	g2 := newGatedReports(g.reportBackend)
	heal := g2.failingReads(failing)
	slowRetry := &endReadRetry{timeout: time.Minute, tries: prereadTries, first: time.Millisecond, max: 2 * time.Second}
	e, _ = startEngine(t, dir, g2, Config{endRead: slowRetry, reportLostAfter: time.Hour})
	if _, err := e.Document(id); err != nil {
		t.Fatal(err)
	}
	finish(g2.fakeBackend, slow, Finished, 0)
	for i := 0; i < 4000 && g2.readsOf(failing) <= prereadTries; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	waitState(t, e, id, "slow", Finished)
	return e, g2, heal
}

// TestBufferReportOlderRecordHolds: a record of an older Borges (no
// store.Instance.BufferReport) of an Emacs Lisp block of the Emacs the
// document is written back from, whose report the server started again
// cannot read, is not taken as one that left no report: the block
// decided from it (after) waits, the results document is an error, and
// once the backend answers again after runs as the buffer has it.
func TestBufferReportOlderRecordHolds(t *testing.T) {
	heldThenEdited(t, true)
}

// heldThenEdited: editor's report, read before a restart (its record
// of an older Borges when older says so), that the server started again
// cannot read holds after (not launched, the results document an
// error); once the backend answers again, after runs as editor's buffer
// has it, and the results document is written from that buffer.
func heldThenEdited(t *testing.T, older bool) {
	e, g, id, _, heal := restartReportFailing(t, true, older)
	for _, l := range g.launches() {
		if l.Block == "after" {
			t.Fatalf("after launched while editor's report could not be read: %q", l.Script)
		}
	}
	if text, err := e.ResultDocument(context.Background(), id); err == nil {
		t.Errorf("results document while editor's report cannot be read: written:\n%s", text)
	}
	heal()
	after := waitLaunchOf(t, g.fakeBackend, "after")
	if !strings.Contains(after.Script, "echo edited") {
		t.Errorf("after launched as submitted, not as editor's buffer has it: %q", after.Script)
	}
	finish(g.fakeBackend, after, Finished, 0)
	waitDocState(t, e, id, Finished)
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil || !strings.Contains(text, "echo edited") {
		t.Errorf("results document once editor's report is read: err %v, written:\n%s", err, text)
	}
	readsDrained(t, e)
}

// TestBufferReportOlderRecordNone: a record of an older Borges whose
// attempt left no report, which cannot be read for a while after a
// start, is no report once read: after runs as submitted, nothing lost.
func TestBufferReportOlderRecordNone(t *testing.T) {
	e, g, id, editor, heal := restartReportFailing(t, false, true)
	heal()
	after := waitLaunchOf(t, g.fakeBackend, "after")
	if !strings.Contains(after.Script, "echo after") {
		t.Errorf("after launched otherwise than submitted, with no report: %q", after.Script)
	}
	finish(g.fakeBackend, after, Finished, 0)
	waitDocState(t, e, id, Finished)
	if why := e.reportLost(editor); why != "" {
		t.Errorf("editor's report, none, lost: %s", why)
	}
	if _, err := e.ResultDocument(context.Background(), id); err != nil {
		t.Errorf("results document: %v", err)
	}
	readsDrained(t, e)
}

const olderTwoEditors = "#+name: editor1\n#+begin_src emacs-lisp :results silent\n(message \"x\")\n#+end_src\n\n" +
	"#+name: editor2\n#+begin_src emacs-lisp :results silent\n(message \"y\")\n#+end_src\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :after slow\necho after\n#+end_src\n"

// TestBufferReportOlderMaybeNoneEarlierEditor: with records of an older
// Borges, editor2's report (it left none) cannot be read at the start,
// so it is not known to be none; once read as none, after runs with
// editor1's edits, the report the buffer holds, never as submitted
// (reportBefore keeps nothing decided from a report not known to be
// one).
func TestBufferReportOlderMaybeNoneEarlierEditor(t *testing.T) {
	dir := t.TempDir()
	g := newGatedReports(nil)
	e, stop := startEngine(t, dir, g, Config{endRead: fastRetry(3)})
	v, err := e.Submit(context.Background(), olderTwoEditors)
	if err != nil {
		t.Fatal(err)
	}
	ed1 := waitLaunchOf(t, g.fakeBackend, "editor1")
	g.setReport(ed1.ID, marksReport(t, strings.Replace(olderTwoEditors, "echo after", "echo edited", 1), "", 3))
	finish(g.fakeBackend, ed1, Finished, 0)
	ed2 := waitLaunchOf(t, g.fakeBackend, "editor2")
	finish(g.fakeBackend, ed2, Finished, 0)
	slow := waitLaunchOf(t, g.fakeBackend, "slow")
	e, g2, heal := restartReadsFailing(t, e, stop, dir, g, v.ID, ed2.ID, slow, true)
	heal()
	after := waitLaunchOf(t, g2.fakeBackend, "after")
	if !strings.Contains(after.Script, "echo edited") {
		t.Errorf("after launched as submitted, not with editor1's edits: %q", after.Script)
	}
	finish(g2.fakeBackend, after, Finished, 0)
	readsDrained(t, e)
}
