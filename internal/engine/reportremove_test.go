package engine

import (
	"context"
	"testing"
)

// TestRemoveStopsReportReads: removing a document whose Emacs Lisp
// block's report is being read (the read held by a backend that does not
// answer) stops that read at once: once RemoveDocument returns, no read
// of it is under way (the backend counts them), and nothing of the
// document is written to the store after it, the backend answering then.
func TestRemoveStopsReportReads(t *testing.T) {
	g := newGatedReports(nil)
	open := g.hold(t)
	e, _ := startEngine(t, t.TempDir(), g, Config{})
	v, editor := editorEnds(t, e, g, marksReport(t, lostDoc, "", -1), nil)
	if got := <-g.entered; got != editor.ID {
		t.Fatalf("read the report of %s, want editor's (%s)", got, editor.ID)
	}
	if err := e.RemoveDocument(context.Background(), v.ID); err != nil {
		t.Fatal(err)
	}
	g.mu.Lock()
	inflight := g.inflight
	g.mu.Unlock()
	if inflight != 0 {
		t.Errorf("%d reads of the removed document's report still under way once it was removed", inflight)
	}
	open()
	readsDrained(t, e)
	noneStoredAfterRemoval(t, e, v.ID)
	if _, err := e.Document(v.ID); err == nil {
		t.Error("the removed document is there again")
	}
}

// noneStoredAfterRemoval checks that no record of document id, removed,
// was written once what was queued is flushed.
func noneStoredAfterRemoval(t *testing.T, e *Engine, id string) {
	t.Helper()
	if err := e.flush(); err != nil {
		t.Fatal(err)
	}
	recs, err := e.store.DocumentInstances(id)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) > 0 {
		t.Errorf("%d records of the removed document written after its removal: %+v", len(recs), recs[0])
	}
}
