package engine

import (
	"fmt"
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
	drained := readsEnded(e)
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
		{Killed, "d.1-a.0.1", true, true},
		{Lost, "d.1-a.0.1", true, true},
		{Lost, "", true, false},
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

// TestEndUndecidedCallersAgree: over instances of every state, with and
// without an attempt and the mark, the start's scan decides the ends
// (atStartAgain), the failed removal decides them (undecidedEnds) and
// the reads made again leave them (readAgainAfterRemoval) for the same
// instances: ended (Killed and Lost as Finished and Failed), an attempt,
// marked; and read again the others whose read is wanted.
func TestEndUndecidedCallersAgree(t *testing.T) {
	ds := &docState{}
	b := &blockState{}
	ds.blocks = []*blockState{b}
	for _, st := range []State{Finished, Failed, Killed, Lost, Running, Queued} {
		for _, attempt := range []string{"", "d.1-a.0.1"} {
			for _, undecided := range []bool{true, false} {
				in := &instState{block: b}
				in.rec.State, in.rec.AttemptID, in.rec.EndUndecided = string(st), attempt, undecided
				in.rec.ResultStopReading = true // its read wanted again once Finished
				b.instances = append(b.instances, in)
			}
		}
	}
	ends := undecidedEnds(ds)
	for _, in := range b.instances {
		st := State(in.rec.State)
		ended := st == Finished || st == Failed || st == Killed || st == Lost
		want := in.rec.EndUndecided && in.rec.AttemptID != "" && ended
		read := !want && st == Finished && in.rec.AttemptID != ""
		name := fmt.Sprintf("%s, attempt %q, marked %v", st, in.rec.AttemptID, in.rec.EndUndecided)
		if got := endUndecided(in); got != want {
			t.Errorf("%s: endUndecided %v, want %v", name, got, want)
		}
		if _, got := ends[in]; got != want {
			t.Errorf("%s: the failed removal decides it %v, want %v", name, got, want)
		}
		wantAct := startLeaves
		if want {
			wantAct = startDecides
		} else if read {
			wantAct = startReads
		}
		if got := atStartAgain(ds, b, in); got != wantAct {
			t.Errorf("%s: the start does %d, want %d", name, got, wantAct)
		}
		if got := readAgainAfterRemoval(ds, b, in); got != read {
			t.Errorf("%s: read again after the removal %v, want %v", name, got, read)
		}
	}
}
