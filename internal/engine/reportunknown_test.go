package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// editedReport is the report of lostDoc's buffer after editor changed
// after's body to echo edited.
func editedReport(t *testing.T) string {
	return marksReport(t, strings.Replace(lostDoc, "echo after", "echo edited", 1), "", 2)
}

// editorEnds submits lostDoc to e, running on g, and ends editor's
// attempt, its report report (none when ""), once prepare (nil: none)
// was given that attempt's id; it returns the document and the attempt.
func editorEnds(t *testing.T, e *Engine, g *gatedReports, report string, prepare func(attempt string)) (*DocumentView, *Attempt) {
	t.Helper()
	v, err := e.Submit(context.Background(), lostDoc)
	if err != nil {
		t.Fatal(err)
	}
	ed := waitLaunches(t, g.fakeBackend, 1)[0]
	if report != "" {
		g.setReport(ed.ID, report)
	}
	if prepare != nil {
		prepare(ed.ID)
	}
	finish(g.fakeBackend, ed, Finished, 0)
	return v, ed
}

// firstReadFails submits lostDoc, editor's report changing after's
// body (echo edited), with every read of editor's report failing, and
// ends editor: the first read of its report, at its end, fails at
// every try. It waits until that read failed rounds times (tries reads
// each) and returns the engine, the backend, the document's id, editor's
// attempt, the report's heal and the edited document.
func firstReadFails(t *testing.T, cfg Config, rounds int) (e *Engine, g *gatedReports, id, editor string, heal func()) {
	t.Helper()
	g = newGatedReports(nil)
	e, _ = startEngine(t, t.TempDir(), g, cfg)
	v, ed := editorEnds(t, e, g, editedReport(t), func(a string) { heal = g.failingReads(a) })
	waitState(t, e, v.ID, "editor", Finished)
	want := rounds * cfg.endRead.tries
	for i := 0; i < 4000 && g.readsOf(ed.ID) < want; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	if n := g.readsOf(ed.ID); n < want {
		t.Fatalf("editor's report read %d times, want at least %d", n, want)
	}
	return e, g, v.ID, ed.ID, heal
}

// TestBufferReportFirstReadFailsHolds: the first read of an Emacs Lisp
// block's report, at its end, that fails at every try does not count as
// no report: the blocks decided from it (slow, after) stay held, the
// results document answers ErrReportUnread (not one written without
// the buffer's edits), and, once the backend answers again, after runs
// as the buffer has it.
func TestBufferReportFirstReadFailsHolds(t *testing.T) {
	e, g, id, editor, heal := firstReadFails(t, Config{endRead: fastRetry(3), reportLostAfter: time.Hour}, 2)
	for _, l := range g.launches() {
		if l.Block != "editor" {
			t.Fatalf("%s launched while editor's report could not be read: %q", l.Block, l.Script)
		}
	}
	if text, err := e.ResultDocument(context.Background(), id); !errors.Is(err, ErrReportUnread) {
		t.Errorf("results document while editor's report cannot be read: err %v, want ErrReportUnread; written:\n%s", err, text)
	}
	if why := e.reportLost(editor); why != "" {
		t.Errorf("editor's report lost within reportLostAfter: %s", why)
	}
	heal()
	slow := waitLaunchOf(t, g.fakeBackend, "slow")
	finish(g.fakeBackend, slow, Finished, 0)
	after := waitLaunchOf(t, g.fakeBackend, "after")
	if !strings.Contains(after.Script, "echo edited") {
		t.Errorf("after launched as submitted, not as editor's buffer has it: %q", after.Script)
	}
	finish(g.fakeBackend, after, Finished, 0)
	waitDocState(t, e, id, Finished)
	readsDrained(t, e)
}

// TestBufferReportFirstReadLost: the first read of an Emacs Lisp block's
// report that fails at every try, round after round, is lost once
// reportReloadRounds rounds failed (and Config.reportLostAfter passed):
// the blocks held on it end failed naming the block whose report is
// lost, and the results document is ErrReportLost; the report is read
// a bounded number of times.
func TestBufferReportFirstReadLost(t *testing.T) {
	cfg := Config{endRead: fastRetry(3), reportLostAfter: lostAtOnce}
	e, g, id, editor, _ := firstReadFails(t, cfg, 1)
	waitState(t, e, id, "slow", Failed)
	waitDocState(t, e, id, Failed)
	for _, l := range g.launches() {
		if l.Block != "editor" {
			t.Errorf("%s launched though editor's report was never read: %q", l.Block, l.Script)
		}
	}
	v, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range v.Blocks {
		if b.Name == "slow" && (len(b.Instances) == 0 || !strings.Contains(b.Instances[0].Message, "editor (line 1)")) {
			t.Errorf("slow's instances %+v do not name editor (line 1), whose report is lost", b.Instances)
		}
	}
	if _, err := e.ResultDocument(context.Background(), id); !errors.Is(err, ErrReportLost) {
		t.Errorf("results document with editor's report lost: err %v, want ErrReportLost", err)
	}
	readsDrained(t, e)
	// Its record does not say it left a report, which a restart would
	// then take as there (reportsToPreread): not known.
	e.mu.Lock()
	rec := e.docs[id].byName["editor"].instances[0].rec
	e.mu.Unlock()
	if rec.AttemptID != editor {
		t.Fatalf("editor's record is of attempt %q, want %q", rec.AttemptID, editor)
	}
	if rec.BufferReport != "" || rec.BufferReportKnown {
		t.Errorf("lost report's record: BufferReport %q, known %v; want neither", rec.BufferReport, rec.BufferReportKnown)
	}
	if n, most := g.readsOf(editor), reportReloadRounds*cfg.endRead.tries; n > most {
		t.Errorf("editor's report read %d times, more than %d", n, most)
	}
}
