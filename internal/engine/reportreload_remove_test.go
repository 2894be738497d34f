package engine

import (
	"testing"
	"time"
)

// TestBufferReportReadAgainWhileRemoving: an attempt that ends while its
// document is being removed (its removal waiting for its tasks' kills),
// whose end waits for the read again of a report let go, has that read
// end at once, unread (docReads: the removal stopped the document's
// reads), and its end left undecided: not decided again, which would
// read again at once, and so on while the removal waits. A removal that
// fails (unremove) decides it, the report read again.
func TestBufferReportReadAgainWhileRemoving(t *testing.T) {
	e, g, v, editor := editorLetGo(t)
	// The document is being removed, as RemoveDocument does before it
	// waits for the kills of its tasks; after's attempt ends meanwhile
	// while editor's report, let go, is to be read again.
	e.mu.Lock()
	ds := e.docs[v.ID]
	delete(e.docs, v.ID)
	ds.removing = true
	ds.stopReads()
	started := e.reloadsStarted
	ds.edits = nil
	in := ds.byName["after"].instances[0]
	in.rec.AttemptID, in.rec.State = "after-attempt", string(Finished)
	e.noteAttemptEnd(in)
	e.persistLater(in.rec)
	e.mu.Unlock()
	drained := make(chan struct{})
	go func() { e.reading.Wait(); close(drained) }()
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for i := 0; ; i++ {
		e.mu.Lock()
		n := e.reloadsStarted - started
		e.mu.Unlock()
		if n > 2 {
			t.Fatalf("%d reads again of editor's report started while the document is being removed, want at most 2", n)
		}
		if i == 12000 {
			t.Fatal("the reads again of editor's report never ended while the document is being removed")
		}
		select {
		case <-drained:
		case <-tick.C:
			continue
		}
		break
	}
	e.mu.Lock()
	undecided := in.rec.EndUndecided
	e.mu.Unlock()
	if !undecided {
		t.Error("after's end decided while the document is being removed, editor's report not read again")
	}
	// The removal fails: the end is decided, the report read again.
	reads := g.readsOf(editor.ID)
	e.unremove(ds)
	readsDrained(t, e)
	e.mu.Lock()
	undecided = in.rec.EndUndecided
	e.mu.Unlock()
	if undecided {
		t.Error("after's end still undecided once the removal failed")
	}
	if g.readsOf(editor.ID) == reads {
		t.Error("editor's report not read again once the removal failed")
	}
}

// TestEndUndecidedOneDefinition: an end left undecided is one of an
// attempt that has ended, marked so on its record; the start's scan
// (readAtEndAgain), the failed removal's (undecidedEndsAgain) and the
// reads made again (endReadsAgain) share it (endUndecided), where the
// first two spelled it apart (the second left the ended state to
// endsDecided).
func TestEndUndecidedOneDefinition(t *testing.T) {
	for _, c := range []struct {
		state     State
		attempt   string
		undecided bool
		want      bool
	}{
		{Finished, "d.1-a.0.1", true, true},
		{Failed, "d.1-a.0.1", true, true},
		{Running, "d.1-a.0.1", true, false},
		{Finished, "", true, false},
		{Finished, "d.1-a.0.1", false, false},
	} {
		in := &instState{}
		in.rec.State, in.rec.AttemptID, in.rec.EndUndecided = string(c.state), c.attempt, c.undecided
		if got := endUndecided(in); got != c.want {
			t.Errorf("endUndecided(%s, %q, undecided %v) = %v, want %v", c.state, c.attempt, c.undecided, got, c.want)
		}
	}
}
