package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// lostDoc: slow runs while editor's report is kept; after, which waits
// for slow, is decided from editor's report once slow ends, the report
// let go by then (a budget that keeps none). after waits through
// :after, not :var x=slow: a reference is a run of slow of its own
// (Babel runs slow again at it), which after would wait for instead.
const lostDoc = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(message \"x\")\n#+end_src\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :after slow\necho after\n#+end_src\n"

// reportLetGoThenSlowEnds runs lostDoc on a gated report backend until
// slow is running, editor's report read and let go; fault (given g and
// editor's attempt) then breaks its reads, and slow ends: after is
// decided from editor's report, read again. It returns the engine, the
// backend, the document's id, editor's attempt and how many times its
// report was read before the fault.
func reportLetGoThenSlowEnds(t *testing.T, lostAfter time.Duration, fault func(g *gatedReports, editor string)) (e *Engine, g *gatedReports, id, editorID string, readsBefore int) {
	t.Helper()
	withReportBudget(t, 1)
	g = newGatedReports(nil)
	e, _ = startEngine(t, t.TempDir(), g, Config{endRead: fastRetry(3), reportLostAfter: lostAfter})
	v, err := e.Submit(context.Background(), lostDoc)
	if err != nil {
		t.Fatal(err)
	}
	editor := waitLaunches(t, g.fakeBackend, 1)[0]
	g.setReport(editor.ID, marksReport(t, lostDoc, "", -1))
	finish(g.fakeBackend, editor, Finished, 0)
	slow := waitLaunches(t, g.fakeBackend, 2)[1]
	readsDrained(t, e)
	if g.readsOf(editor.ID) == 0 {
		t.Fatal("editor's report never read")
	}
	readsBefore = g.readsOf(editor.ID)
	fault(g, editor.ID)
	e.mu.Lock()
	// The edits found for slow's launch give way, as to those of
	// another report found since.
	e.docs[v.ID].edits = nil
	e.mu.Unlock()
	finish(g.fakeBackend, slow, Finished, 0)
	return e, g, v.ID, editor.ID, readsBefore
}

// lostAtOnce has a report lost once its reads again failed
// reportReloadRounds times, however short the time they took.
const lostAtOnce = time.Nanosecond

// TestBufferReportReadAgainOutageNotLost: a report let go whose reads
// again fail for more rounds than reportReloadRounds, all within the
// time a report is read again before it is lost (Config.reportLostAfter),
// is not lost: once the backend answers again, the block held on it runs.
func TestBufferReportReadAgainOutageNotLost(t *testing.T) {
	e, g, id, editor, _ := reportLetGoThenSlowEnds(t, time.Hour, func(g *gatedReports, editor string) {
		g.mu.Lock()
		g.failing[editor] = g.n[editor] + (reportReloadRounds+2)*prereadTries
		g.mu.Unlock()
	})
	after := waitLaunches(t, g.fakeBackend, 3)[2]
	if after.Block != "after" {
		t.Fatalf("launched %s, want after", after.Block)
	}
	if why := e.reportLost(editor); why != "" {
		t.Errorf("editor's report lost after a short outage: %s", why)
	}
	finish(g.fakeBackend, after, Finished, 0)
	waitDocState(t, e, id, Finished)
}

// TestBufferReportLostEndsBlocks: a report of the Org buffer let go that
// can never be read again (every read fails, its file is gone, or what
// is read is no report) is read a bounded number of times, with waits
// between them; the block held on it then ends failed, its message
// naming the Emacs Lisp block (its line) whose report is lost and why,
// and the document ends; the results document is a lasting error that
// says the report is lost (ErrReportLost), not one to try again later.
func TestBufferReportLostEndsBlocks(t *testing.T) {
	for _, c := range []struct {
		name  string
		fault func(g *gatedReports, editor string)
		why   string
	}{
		{"read fails", func(g *gatedReports, editor string) { g.failingReads(editor) }, "the agent cannot be reached"},
		{"gone", func(g *gatedReports, editor string) { g.setReport(editor, "") }, "no longer there"},
		{"corrupt", func(g *gatedReports, editor string) { g.setReport(editor, "not a report\n") }, "not a report"},
	} {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			e, g, id, editor, before := reportLetGoThenSlowEnds(t, lostAtOnce, c.fault)
			waitState(t, e, id, "after", Failed)
			waitDocState(t, e, id, Failed)
			v, err := e.Document(id)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range v.Blocks {
				if b.Name != "after" {
					continue
				}
				msg := ""
				if len(b.Instances) > 0 {
					msg = b.Instances[0].Message
				}
				t.Logf("after: %s", msg)
				if !strings.Contains(msg, "editor") || !strings.Contains(msg, "line 1") || !strings.Contains(msg, c.why) {
					t.Errorf("after's message %q names neither the block editor (line 1) nor why its report was lost (%q)", msg, c.why)
				}
			}
			readsDrained(t, e)
			if n, most := g.readsOf(editor), before+reportReloadRounds*prereadTries; n > most {
				t.Errorf("editor's report read %d times, more than %d", n, most)
			}
			text, err := e.ResultDocument(context.Background(), id)
			if !errors.Is(err, ErrReportLost) {
				t.Errorf("results document with editor's report lost: err %v, want ErrReportLost; written:\n%s", err, text)
			} else if !strings.Contains(err.Error(), "line 1") {
				t.Errorf("results document error %q does not name editor's line", err)
			}
			// Asked again, it is not read again: lost is lasting.
			before = g.readsOf(editor)
			if _, err := e.ResultDocument(context.Background(), id); !errors.Is(err, ErrReportLost) {
				t.Errorf("results document asked again: err %v, want ErrReportLost", err)
			}
			readsDrained(t, e)
			if n := g.readsOf(editor); n != before {
				t.Errorf("a lost report read again (%d reads, then %d)", before, n)
			}
		})
	}
}

// TestBufferReportReadAgainTransient: a report let go whose reads again
// fail for a while, more than one read again's tries but within the
// bound, is read once they succeed: the block held on it runs, and the
// results document is written.
func TestBufferReportReadAgainTransient(t *testing.T) {
	e, g, id, editor, before := reportLetGoThenSlowEnds(t, lostAtOnce, func(g *gatedReports, editor string) {
		g.mu.Lock()
		g.failing[editor] = g.n[editor] + prereadTries + 1
		g.mu.Unlock()
	})
	after := waitLaunches(t, g.fakeBackend, 3)[2]
	if after.Block != "after" {
		t.Fatalf("launched %s, want after", after.Block)
	}
	finish(g.fakeBackend, after, Finished, 0)
	waitDocState(t, e, id, Finished)
	var err error
	for range 200 {
		if _, err = e.ResultDocument(context.Background(), id); !errors.Is(err, ErrReportUnread) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("results document once editor's report reads again: %v", err)
	}
	if g.readsOf(editor) <= before+prereadTries+1 {
		t.Errorf("editor's report read %d times: never read again after it failed", g.readsOf(editor))
	}
}

// TestBufferReportLostResultsDocument: a document ended, the reports of
// its Emacs' buffer let go, whose latest report can never be read again:
// the results document answers ErrReportUnread (try again later) for a
// bounded number of reads again, then ErrReportLost, naming the block
// that left it, without reading it any more.
func TestBufferReportLostResultsDocument(t *testing.T) {
	withReportBudget(t, 1)
	g := newGatedReports(nil)
	e, _ := startEngine(t, t.TempDir(), g, Config{endRead: fastRetry(3), reportLostAfter: lostAtOnce})
	v, err := e.Submit(context.Background(), twoEditorsDoc)
	if err != nil {
		t.Fatal(err)
	}
	byBlock := finishReporting(t, e, g.reportBackend, v.ID, reportText(t, twoEditorsDoc, "Prefix.\n"))
	// The end check's write-back pins the reports it reads while it
	// runs, after their reads have ended: one still writing when the
	// document is asked for has e2's report at hand, not let go.
	endChecked(t, e, v.ID)
	readsDrained(t, e)
	e2 := byBlock["e2"].ID
	before := g.readsOf(e2)
	g.failingReads(e2)
	// Each answers 503 at once while a read again waits (reloadPause).
	for range 4000 {
		_, err = e.ResultDocument(context.Background(), v.ID)
		if !errors.Is(err, ErrReportUnread) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !errors.Is(err, ErrReportLost) || !strings.Contains(err.Error(), "e2 (line 11)") {
		t.Fatalf("results document with e2's report never read again: err %v, want ErrReportLost naming e2 (line 11)", err)
	}
	readsDrained(t, e)
	if n, most := g.readsOf(e2), before+reportReloadRounds*prereadTries; n > most {
		t.Errorf("e2's report read %d times, more than %d", n, most)
	}
	if v, _ := e.Document(v.ID); v == nil || v.State != Finished {
		t.Errorf("document no longer finished once a report was lost: %+v", v)
	}
}
