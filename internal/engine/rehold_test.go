package engine

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// TestReholdStopErrorChanged: the stop holding the blocks stays the same
// block at the same place, but its error is another: the blocks it holds
// say the error as it stands, as their messages name it (holdSeen keeps
// the error weighed too, not only the stop's block and place).
func TestReholdStopErrorChanged(t *testing.T) {
	h := newHeldBench(t, 0, 2)
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	h.js2.refErr = "another later error"
	h.e.toRehold(h.ds)
	h.e.rehold(h.ds)
	for _, b := range h.held {
		if m := b.instances[0].rec.Message; !strings.HasSuffix(m, ": another later error") {
			t.Errorf("%s: %q, want the stop's error as it stands", b.name, m)
		}
	}
}

// TestAddedPostsFollowBlocks: the index of the :post tasks of added
// blocks (appendAddedPosts, which bufferNames reads) follows the blocks as
// they come and go: a :post added after it was made is in it, one
// dropped is not.
func TestAddedPostsFollowBlocks(t *testing.T) {
	ds := &docState{byName: map[string]*blockState{}}
	by := &blockState{doc: ds, name: "adder"}
	post := func(name string) *blockState {
		b, _ := ds.placeAdded(&plan.Task{Block: name, Post: true, Instances: 1}, plan.Addition{Key: 1, Line: 3}, by, nil)
		return b
	}
	post("p1")
	if got := ds.appendAddedPosts(nil, "adder"); !slices.Equal(got, []string{"p1"}) {
		t.Fatalf("posts %q, want [p1]", got)
	}
	p2 := post("p2")
	if got := ds.appendAddedPosts(nil, "adder"); !slices.Equal(got, []string{"p1", "p2"}) {
		t.Fatalf("posts once p2 is added %q, want [p1 p2]", got)
	}
	ds.blocks = slices.DeleteFunc(ds.blocks, func(b *blockState) bool { return b == p2 })
	delete(ds.byName, p2.name)
	ds.failStopsChanged(p2)
	if got := ds.appendAddedPosts(nil, "adder"); !slices.Equal(got, []string{"p1"}) {
		t.Fatalf("posts once p2 is dropped %q, want [p1]", got)
	}
	if got := ds.appendAddedPosts(nil, "other"); len(got) != 0 {
		t.Errorf("posts of a block that added none: %q", got)
	}
}

// wantHeldByStop checks that each of blocks says a stop holds it, the
// stop of block by, as weighing it against the stop as it stands says,
// and that the index of the blocks held has them (wantWeighed). The
// caller holds e.mu.
func wantHeldByStop(t *testing.T, ds *docState, by string, blocks ...*blockState) {
	t.Helper()
	for _, b := range blocks {
		if m := b.instances[0].rec.Message; !strings.Contains(m, "for block "+by+",") {
			t.Errorf("%s: %q, want held by %s", b.name, m, by)
		}
	}
	wantWeighed(t, ds, blocks...)
}

// TestReholdIndexLiftAndLearnAgain: the earlier stop, learned, then
// lifted (its block queued again: the blocks it held with it), the stop
// moved later, then learned again: the blocks the later stop held in
// between, which left the index and came back to it, are held by the
// earlier one again.
func TestReholdIndexLiftAndLearnAgain(t *testing.T) {
	h := newHeldBench(t, 3, 2)
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	h.learn(t)
	wantHeldByStop(t, h.ds, "js1", h.held...)
	h.js1.refErr = ""
	lifted := h.e.failStopLifted(h.ds, []*blockState{h.js1})
	if len(lifted.blocks) != len(h.held) {
		t.Fatalf("lifting js1 queued %d blocks again, want %d", len(lifted.blocks), len(h.held))
	}
	if recs := h.e.rehold(h.ds); len(recs) != 0 || len(h.ds.held) != 0 {
		t.Fatalf("the stop moved later: %d records changed, %d blocks held; want none", len(recs), len(h.ds.held))
	}
	held := h.held
	h.held, h.heldMsg = nil, nil
	for _, b := range held {
		h.holdByLater(t, b)
	}
	h.e.rehold(h.ds)
	wantHeldByStop(t, h.ds, "js2", held...)
	h.learn(t)
	wantHeldByStop(t, h.ds, "js1", held...)
}

// TestReholdIndexAddedBlock: a block an Emacs Lisp block added to the
// buffer after both stops, held by the later one once the index was
// made, is held by the earlier one learned; dropped (no longer added),
// it leaves the index, and its records are not weighed again.
func TestReholdIndexAddedBlock(t *testing.T) {
	h := newHeldBench(t, 3, 1)
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	after := place{math.MaxInt, 0} // after the last of the document's blocks
	added, _ := h.ds.placeAdded(&plan.Task{Block: "added", Lang: "sh", Index: 100, Line: 40, Instances: 1},
		plan.Addition{Key: 100, Line: 40}, h.js1, &after)
	if !addedRun(added) {
		t.Fatal("the added block is not an added block's own run")
	}
	h.holdByLater(t, added)
	h.learn(t)
	wantHeldByStop(t, h.ds, "js1", h.held...)

	h.unlearn()
	h.e.dropFound(h.ds, []*blockState{added})
	msg := added.instances[0].rec.Message
	h.learn(t)
	if _, ok := h.ds.held[added]; ok {
		t.Error("a dropped block stays in the index of the blocks held")
	}
	if m := added.instances[0].rec.Message; m != msg {
		t.Errorf("a dropped block weighed again: %q, was %q", m, msg)
	}
}

// TestReholdIndexFromStore: a document whose index is not known (read
// from the store: nil) has its held blocks found by looking at every
// block once.
func TestReholdIndexFromStore(t *testing.T) {
	h := newHeldBench(t, 3, 2)
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	h.ds.heldForget()
	h.learn(t)
	wantHeldByStop(t, h.ds, "js1", h.held...)
}

// wantWeighed checks that each of blocks says what weighing it against
// the document's stop as it stands says (failureStopAt), held by that
// stop, and that the index of the blocks held has just the blocks a stop
// holds. The caller holds e.mu.
func wantWeighed(t *testing.T, ds *docState, blocks ...*blockState) {
	t.Helper()
	f, at, msg := ds.failedStop()
	for _, b := range blocks {
		why, by := failureStopAt(b, f, at, msg)
		if why == "" {
			t.Fatalf("%s: no stop holds it", b.name)
		}
		if m := b.instances[0].rec.Message; m != why {
			t.Errorf("%s: %q, want %q", b.name, m, why)
		}
		if ds.failHeld[b] != by || b.instances[0].rec.HeldBy != by.name {
			t.Errorf("%s: held by %v (record: %q), want %s", b.name, ds.failHeld[b], b.instances[0].rec.HeldBy, by.name)
		}
	}
	wantIndexExact(t, ds)
}

// wantIndexExact checks that the index of the blocks held, merged, has
// every block of ds a stop holds and no other. The caller holds e.mu.
func wantIndexExact(t *testing.T, ds *docState) {
	t.Helper()
	ds.heldMerge()
	for _, b := range ds.blocks {
		_, in := ds.held[b]
		if want := stopHolding(b); in != want {
			t.Errorf("%s: in the index of the blocks held %v, want %v", b.name, in, want)
		}
	}
	for b := range ds.held {
		if ds.byName[b.name] != b {
			t.Errorf("%s: in the index of the blocks held, not a block of the document", b.name)
		}
	}
}

// TestReholdStopGoneUnlifted: the earlier stop learned, then gone
// without its holds lifted (its block no longer stops, its blocks not
// queued again): the blocks it held are held by the later stop, as
// weighing them against the stop as it stands says, not by the stop gone.
func TestReholdStopGoneUnlifted(t *testing.T) {
	h := newHeldBench(t, 3, 2)
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	h.learn(t)
	h.js1.refErr = ""
	h.e.toRehold(h.ds)
	h.e.rehold(h.ds)
	wantHeldByStop(t, h.ds, "js2", h.held...)
	wantWeighed(t, h.ds, h.held...)
}

// TestReholdStopPlaceMovedLater: the same block stops, but later in the
// buffer (a reader before it that ran it no longer does: dropNextReader,
// and no lift): the blocks it holds name the line it stops at now.
func TestReholdStopPlaceMovedLater(t *testing.T) {
	h := newHeldBench(t, 3, 2)
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	reader := h.ds.blocks[0] // the first filler block, read js1 in its place
	h.js1.dependents = append(h.js1.dependents, reader)
	h.js1.nextReaders = map[*blockState]bool{reader: true}
	h.ds.linksChanged()
	h.learn(t)
	wantWeighed(t, h.ds, h.held...)
	before := h.held[0].instances[0].rec.Message
	h.js1.dropNextReader(reader)
	if _, at, _ := h.ds.failedStop(); at != placeOf(h.js1) {
		t.Fatalf("the stop is at %v, want js1's own place %v", at, placeOf(h.js1))
	}
	h.e.toRehold(h.ds)
	h.e.rehold(h.ds)
	if m := h.held[0].instances[0].rec.Message; m == before {
		t.Errorf("%s still says the line the stop was at: %q", h.held[0].name, m)
	}
	wantWeighed(t, h.ds, h.held...)
}

// TestLostSessionLiftsStop: a block of a session lost with its
// interpreter queues the session's other blocks again, a stop among them
// too: the blocks that stop held are queued again, waiting for it (as
// a restart lifts it: failStopLifted), not left held by a stop that is
// gone.
func TestLostSessionLiftsStop(t *testing.T) {
	doc := "#+name: s0\n#+begin_src sh :session S\necho a\n#+end_src\n\n" +
		"#+name: js1\n#+begin_src sh :session S\necho b\n#+end_src\n\n" +
		"#+name: js2\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n" +
		"#+name: after0\n#+begin_src sh\necho after\n#+end_src\n\n" +
		"#+name: after1\n#+begin_src sh\necho after\n#+end_src\n"
	h := newHeldDoc(t, doc, 2)
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	h.ds.failStopsSync.forget() // js1, a shell block, stops only by its error
	h.js1.refErr = "earlier error"
	h.learn(t)
	h.e.restartLostSessionLocked(h.ds.byName["s0"].instances[0])
	for _, b := range h.held {
		if _, ok := h.ds.failHeld[b]; ok {
			t.Errorf("%s: still held by %s", b.name, h.ds.failHeld[b].name)
		}
		if in := b.instances[0]; State(in.rec.State) != Queued || in.rec.WaitsFor != "js1" {
			t.Errorf("%s: %s waiting for %q (%q), want queued waiting for js1", b.name, in.rec.State, in.rec.WaitsFor, in.rec.Message)
		}
	}
	h.e.rehold(h.ds)
	wantIndexExact(t, h.ds)
}

// TestReholdTouchedOnce: a block touched many times between two merges
// of the index of the blocks held is kept once to be looked at again
// (heldSync), and a block that leaves (queued again) leaves the index.
func TestReholdTouchedOnce(t *testing.T) {
	h := newHeldBench(t, 3, 2)
	h.e.mu.Lock()
	defer h.e.mu.Unlock()
	h.learn(t)
	b := h.held[0]
	for range 3 {
		h.e.touchBlock(b)
	}
	if len(h.ds.heldSync.blocks) != 1 {
		t.Errorf("%d blocks to look at again, want 1 (touched 3 times)", len(h.ds.heldSync.blocks))
	}
	for _, in := range b.instances {
		h.e.requeue(in, time.Now(), "runs again")
	}
	h.e.touchBlock(b)
	wantIndexExact(t, h.ds)
	if _, ok := h.ds.held[b]; ok {
		t.Errorf("%s, queued again, is in the index of the blocks held", b.name)
	}
}
