package engine

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/store"
)

// TestHeldByAcrossRestart: a JavaScript block whose value Emacs cannot
// read stops the document, holding block after; block c after it, whose
// :cache yes results stood before the stop was known, is not held. The
// server restarts, the JavaScript block runs again and its value cannot
// be read again: after is held again, never launched, and c, which the
// stop never held, keeps its cached results, neither queued again nor
// held (the blocks held are stored, not guessed from their states).
func TestHeldByAcrossRestart(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, jsSlowAfter(" :results silent")+"\n"+
		cachedResults(t, "#+name: c\n#+begin_src sh :cache yes\necho c\n#+end_src\n", "c", "c\n"))
	waitState(t, e, id, "c", Finished)
	slow := endJS(t, rb, "'   '\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	// The run of slow after's :var s=slow makes, started before the
	// stop was known, finished as slow is (endedOrLaunched).
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after launched past the stop")
	}
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"1, ") {
		t.Fatalf("after: %q, want held by the stop at line 1", m)
	}
	if m, _ := blockMessage(d, "c"); !strings.HasPrefix(m, "cached:") {
		t.Fatalf("c: %q, want cached", m)
	}
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	if _, err := e2.Document(id); err != nil {
		t.Fatal(err)
	}
	if a, c := stored(e2, id, "after"), stored(e2, id, "c"); a.HeldBy != "js" || c.HeldBy != "" {
		t.Errorf("stored: after held by %q, c by %q; want js and none", a.HeldBy, c.HeldBy)
	}
	if err := e2.RestartBlock(context.Background(), id, "js"); err != nil {
		t.Fatal(err)
	}
	js := launchOf(t, rb.fakeBackend, "js", 2)
	rb.setOutput(js.ID, "'  '\n")
	finish(rb.fakeBackend, js, Finished, 0)
	if endedOrLaunched(e2, rb, id, "after") || launchedBlock(rb, "c") {
		t.Fatal("a block launched after the server restarted, though the stop holds it or its cached results stand")
	}
	d = waitDocumentEnded(t, e2, id)
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"1, ") {
		t.Errorf("after: %q, want held again by the stop at line 1", m)
	}
	if m, _ := blockMessage(d, "c"); !strings.HasPrefix(m, "cached:") {
		t.Errorf("c: %q, want still cached: the stop never held it", m)
	}
}

// ghostHolder rewrites, in the store in dir, the record of block name of
// document id as held by a task the document no longer has (a found
// block renamed or dropped), finished unrun; edit, if not nil, changes
// it further.
func ghostHolder(t *testing.T, dir, id, name string, edit func(*store.Instance)) {
	t.Helper()
	withStored(t, filepath.Join(dir, "borges.db"), id, func(st *store.Store, recs []*store.Instance) {
		var put []*store.Instance
		for _, r := range recs {
			if r.Block == name {
				r.HeldBy = "ghost"
				if edit != nil {
					edit(r)
				}
				put = append(put, r)
			}
		}
		if len(put) == 0 {
			t.Fatalf("no record of %s", name)
		}
		if err := st.PutInstances(put); err != nil {
			t.Fatal(err)
		}
	})
}

// TestHeldByGhostStopStands: after a restart, a block whose record names
// a holder the document no longer has is held by the stop that holds it
// now: lifting that stop runs it.
func TestHeldByGhostStopStands(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, jsSlowAfter(" :results silent"))
	slow := endJS(t, rb, "'   '\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	// The run of slow after's :var s=slow makes, started before the
	// stop was known, finished as slow is (endedOrLaunched).
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after launched past the stop")
	}
	waitDocumentEnded(t, e, id)
	stop()
	ghostHolder(t, dir, id, "after", nil)
	e2, _ := startEngine(t, dir, rb, Config{})
	if _, err := e2.Document(id); err != nil {
		t.Fatal(err)
	}
	if err := e2.RestartBlock(context.Background(), id, "js"); err != nil {
		t.Fatal(err)
	}
	js := launchOf(t, rb.fakeBackend, "js", 2)
	rb.setOutput(js.ID, "'ok'\n")
	finish(rb.fakeBackend, js, Finished, 0)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	waitDocumentEnded(t, e2, id)
}

// TestHeldByGhostNoStop: after a restart, a block whose record names a
// holder the document no longer has, held by no stop now, runs.
func TestHeldByGhostNoStop(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, "#+name: a\n#+begin_src sh\necho a\n#+end_src\n")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), Finished, 0)
	waitDocumentEnded(t, e, id)
	stop()
	ghostHolder(t, dir, id, "a", func(r *store.Instance) {
		r.State, r.AttemptID, r.Unlaunched = string(Finished), "", r.Attempts
		r.Message = failStopAt + "1, ghost"
	})
	e2, _ := startEngine(t, dir, rb, Config{})
	if _, err := e2.Document(id); err != nil {
		t.Fatal(err)
	}
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 2), Finished, 0)
	waitDocumentEnded(t, e2, id)
}
