package engine

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// Every test of the package has the indexes of stopindex.go checked
// against a search of every block each time one is read (a benchmark
// turns it off: withoutIndexChecks).
func init() { checkIndexes = mustMatchSearch }

// mustMatchSearch ends the tests (failHookNow) when the index of ds
// read is not what a search of every block finds (indexMismatch). The
// caller holds e.mu.
func mustMatchSearch(ds *docState, index stopIndex) {
	if why := indexMismatch(ds, index); why != "" {
		failHookNow("index of document " + ds.id + " unlike a search of every block: " + why)
	}
}

// withoutIndexChecks has the indexes, and the answers kept of the
// blocks needed before a stop (checkTurnNeeds), not checked while tb
// runs (a benchmark, whose figures the checks' searches would be).
func withoutIndexChecks(tb testing.TB) {
	was, wasTurn := checkIndexes, checkTurnNeeds
	checkIndexes, checkTurnNeeds = nil, nil
	tb.Cleanup(func() { checkIndexes, checkTurnNeeds = was, wasTurn })
}

// failStopsSearched are the blocks of ds whose failure may stop the
// document, every block looked at, as failedStop found them before the
// index.
func failStopsSearched(ds *docState) []*blockState {
	var out []*blockState
	for _, x := range ds.blocks {
		if mayFailStop(x) {
			out = append(out, x)
		}
	}
	return out
}

// addedPostsSearched are the :post tasks of added blocks, by the block
// they end, every block looked at, as addedPostsOf found them before the
// index.
func addedPostsSearched(ds *docState) map[string][]*blockState {
	out := map[string][]*blockState{}
	for _, x := range ds.blocks {
		if x.isAddedPost() {
			out[x.addedBy] = append(out[x.addedBy], x)
		}
	}
	return out
}

// heldSearched are the blocks of ds that the failure stops of blocks
// hold, every block looked at, as failStopLifted found them before the
// index.
func heldSearched(ds *docState, blocks []*blockState) []*blockState {
	var out []*blockState
	for _, b := range ds.blocks {
		if by, ok := ds.failHeld[b]; ok && slices.Contains(blocks, by) {
			out = append(out, b)
		}
	}
	return out
}

// names are the names of blocks, for messages.
func names(blocks []*blockState) []string {
	out := make([]string, len(blocks))
	for i, b := range blocks {
		out[i] = b.name
	}
	return out
}

// indexMismatch says how the index of ds read, merged, differs from what
// a search of every block finds; "" when it does not. The failure stops are weighed as the index would
// hold them now: one whose stop went without a touch (a record cleared)
// is let go at its next touch, and failedStop looks at its error as it
// stands. The caller holds e.mu.
func indexMismatch(ds *docState, index stopIndex) string {
	switch index {
	case failStopsIndex:
		idx := slices.DeleteFunc(slices.Clone(ds.failStops), func(b *blockState) bool { return !mayFailStop(b) })
		if want := failStopsSearched(ds); !slices.Equal(idx, want) {
			return fmt.Sprintf("failure stops %q, want %q", names(idx), names(want))
		}
	case failHoldsIndex:
		want := map[*blockState]map[*blockState]struct{}{}
		for b, by := range ds.failHeld {
			if want[by] == nil {
				want[by] = map[*blockState]struct{}{}
			}
			want[by][b] = struct{}{}
		}
		for by := range ds.failHolds {
			if !maps.Equal(ds.failHolds[by], want[by]) {
				return fmt.Sprintf("blocks held by %s: %q, want %q", by.name, names(slices.Collect(maps.Keys(ds.failHolds[by]))), names(slices.Collect(maps.Keys(want[by]))))
			}
		}
		if len(ds.failHolds) != len(want) {
			return fmt.Sprintf("blocks held: by %d stops, want %d", len(ds.failHolds), len(want))
		}
	case addedPostsIndex:
		want := addedPostsSearched(ds)
		if maps.EqualFunc(ds.addedPosts, want, slices.Equal) {
			break
		}
		// The entries that differ, named: each adder of either, in
		// name order.
		adders := slices.Sorted(maps.Keys(want))
		for by := range ds.addedPosts {
			if _, ok := want[by]; !ok {
				adders = append(adders, by)
			}
		}
		slices.Sort(adders)
		for _, by := range adders {
			got, ok := ds.addedPosts[by]
			w, wok := want[by]
			if ok != wok || !slices.Equal(got, w) {
				return fmt.Sprintf("added :post tasks of %s: %q (listed: %t), want %q (listed: %t)", by, names(got), ok, names(w), wok)
			}
		}
	}
	return ""
}

// indexDoc is a document of shell blocks with JavaScript blocks among
// them (values Emacs reads, which may stop the document), named b0 to
// b<n-1>, every fifth a JavaScript one.
func indexDoc(n int) string {
	var doc strings.Builder
	for i := range n {
		if i%5 == 2 {
			fmt.Fprintf(&doc, "#+name: b%d\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n", i)
		} else {
			fmt.Fprintf(&doc, "#+name: b%d\n#+begin_src sh\necho %d\n#+end_src\n\n", i, i)
		}
	}
	return doc.String()
}

// TestStopIndexesMatchSearch: over many random sequences of the events
// that change the blocks whose failure may stop a document, the blocks
// each stop holds and the :post tasks of added blocks (a reference error
// learned, as a launch learns it, or let go by a run again; a block
// held by the stop as it stands; stops lifted, blocks queued again; a
// block decided again, its task submitted back in place of the
// buffer's; blocks and :post tasks added, then dropped), the indexes read hold
// what a search of every block finds (mustMatchSearch, at each read),
// the blocks a lift releases are those a search finds, and the
// document's stop is the one a search of every block gives.
func TestStopIndexesMatchSearch(t *testing.T) {
	// What the sequences reached, summed: each kind, or the test
	// checks less than it says.
	var held, released, stops, posts, dropped int
	defer func() {
		if held == 0 || released == 0 || stops == 0 || posts == 0 || dropped == 0 {
			t.Errorf("sequences reached %d holds, %d blocks released, %d stops, %d :post lists, %d drops: want some of each", held, released, stops, posts, dropped)
		}
	}()
	for seed := range uint64(40) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			e, _ := passEngine(t)
			v, err := e.Submit(context.Background(), indexDoc(24))
			if err != nil {
				t.Fatal(err)
			}
			e.mu.Lock()
			defer e.mu.Unlock()
			ds := e.docs[v.ID]
			rng := rand.New(rand.NewPCG(seed, 11))
			pick := func() *blockState { return ds.blocks[rng.IntN(len(ds.blocks))] }
			var added []*blockState
			adder := ds.byName["b0"]
			now := time.Now()
			for step := range 200 {
				switch k := rng.IntN(9); k {
				case 0, 1: // a reference error learned, as attempt learns it
					b := pick()
					if b.task != nil {
						b.refErr = fmt.Sprintf("error %d", step)
						ds.failStopTouched(b)
					}
				case 2: // a block held, ended unrun, by the stop as it stands
					b := pick()
					if b.task == nil || !ownRun(b) && !addedRun(b) {
						continue
					}
					if why := ds.holdsByFailure(b); why != "" {
						held++
						for _, in := range b.instances {
							in.rec.State, in.rec.Message, in.rec.HeldBy, in.rec.FinishedAt = string(Finished), why, ds.heldBy(b, why), &now
						}
					}
				case 3: // stops lifted: the blocks they held queued again
					lift := []*blockState{pick(), pick()}
					want := heldSearched(ds, lift)
					if got := ds.heldByAny(lift); !slices.Equal(got, want) {
						t.Fatalf("step %d: lifting %q releases %q, want %q", step, names(lift), names(got), names(want))
					}
					released += len(want)
					e.failStopLifted(ds, lift)
				case 4: // a block run again: its stop let go, its holds lifted
					b := pick()
					if b.task != nil {
						e.requeueBlocks(ds, []*blockState{b}, now, func(*blockState) string { return "queued: again" }, nil)
					}
				case 5: // a block added to the buffer, with a :post
					i := step // names unique, as the buffer's are
					task := &plan.Task{Block: fmt.Sprintf("added%d", i), Lang: "js", FailureStops: rng.IntN(2) == 0, Instances: 1}
					post := &plan.Task{Block: fmt.Sprintf("added%d-post", i), Post: true, Instances: 1}
					a := plan.Addition{Key: 1000 + i, Line: 3}
					b, _ := ds.placeAdded(task, a, adder, &place{line: 1 + rng.IntN(200)})
					p, _ := ds.placeAdded(post, a, adder, b.addedBefore)
					added = append(added, b, p)
				case 6: // added blocks dropped
					if len(added) == 0 {
						continue
					}
					j := rng.IntN(len(added))
					e.dropFound(ds, []*blockState{added[j]})
					dropped++
					added = slices.DeleteFunc(added, func(b *blockState) bool { return !ds.inDoc(b) })
				case 8: // decided again: the task submitted back, in place of the buffer's (its value read or not)
					b := pick()
					if b.task == nil || b.addedBy != "" {
						continue
					}
					submitted := *b.task
					submitted.FailureStops = !b.task.FailureStops
					b.submitted = &submitted
					b.decideAgain()
				case 7: // a reference error let go without a lift
					b := pick()
					if b.refErr != "" {
						b.refErr = ""
						ds.failStopTouched(b)
					}
				}
				f, _, _ := ds.failedStop()
				var want *blockState
				if s := failStopsSearched(ds); len(s) > 0 {
					wasNew, was := ds.failStopsSync, ds.failStops
					ds.failStops, ds.failStopsSync = s, touchedSet{known: true}
					want, _, _ = ds.failedStop()
					ds.failStops, ds.failStopsSync = was, wasNew
				}
				if f != nil {
					stops++
				}
				if f != want {
					t.Fatalf("step %d: stop %v, want %v (every block searched)", step, f, want)
				}
				got, wantPosts := ds.appendAddedPosts(nil, adder.name), names(addedPostsSearched(ds)[adder.name])
				if !slices.Equal(got, wantPosts) && len(got)+len(wantPosts) > 0 {
					t.Fatalf("step %d: posts %q, want %q", step, got, wantPosts)
				}
				if len(got) > 1 {
					posts++
				}
			}
		})
	}
}

// TestEditedIntoFailStop: a block that the document's Emacs buffer
// changes into one whose value Emacs reads (a shell block made a
// JavaScript one, :results silent) takes that task when it launches
// (applyEdit), and is among the blocks whose failure may stop the
// document from then on: the index weighs it again (failStopsChanged),
// as a search of every block would find it (mustMatchSearch).
func TestEditedIntoFailStop(t *testing.T) {
	const doc = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(ignore)\n#+end_src\n\n" +
		"#+name: later\n#+begin_src sh\necho 1\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	e.mu.Lock()
	ds := e.docs[id]
	if ds.failedStop(); slices.Contains(ds.failStops, ds.byName["later"]) {
		t.Fatal("later may stop the document before it is changed")
	}
	e.mu.Unlock()
	editor := launchOf(t, rb.fakeBackend, "editor", 1)
	text := strings.Replace(doc, "#+begin_src sh\necho 1", "#+begin_src js :results silent\nreturn '   '", 1)
	rb.rmu.Lock()
	rb.reports[editor.ID] = marksReport(t, text, "", 1)
	rb.rmu.Unlock()
	finish(rb.fakeBackend, editor, Finished, 0)
	launchOf(t, rb.fakeBackend, "later", 1)
	e.mu.Lock()
	defer e.mu.Unlock()
	later := ds.byName["later"]
	if !later.task.FailureStops {
		t.Fatalf("later's task as the buffer changed it: FailureStops false, want true (lang %q)", later.task.Lang)
	}
	if ds.failedStop(); !slices.Contains(ds.failStops, later) {
		t.Errorf("failure stops %q, want later among them", names(ds.failStops))
	}
}

// TestRefErrsPutBackReachReadIndex: a server started again puts back
// the reference error stored on a failed block's record (knowRefErrs)
// into the index of the blocks whose failure may stop the document
// (failStops) even when that index was read before, as by anything
// adopt does first that looks for the stop: the stop, and the block it
// held, stay as they were. No step of adopt reads the index there
// today (a fresh document's index is found from every block when first
// read, after the errors are put back); the read is made by a hook
// (beforeRefErrs), so that a change that reads it earlier cannot lose
// the stop unnoticed. The document (refStopDoc) is run and reloaded
// from its store, as TestRefStopAcrossRestart's lift does.
func TestRefErrsPutBackReachReadIndex(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, refStopDoc)
	slow := refErrored(t, e, rb, id)
	finish(rb.fakeBackend, slow, Finished, 0)
	before := endedFinishingRefRuns(t, e, rb, id, "after")
	held, _ := blockMessage(before, "after")
	if !strings.Contains(held, "stopped before it") {
		t.Fatalf("after, before the server restart: %q, want held by the reference error", held)
	}
	stop()
	// The index is checked below, where a mismatch fails the test
	// rather than panics an engine's goroutine.
	withoutIndexChecks(t)
	reads := 0
	beforeRefErrs = func(ds *docState) {
		if ds.id == id {
			ds.failedStop()
			reads++
		}
	}
	t.Cleanup(func() { beforeRefErrs = nil })
	e2, _ := startEngine(t, dir, rb, Config{})
	d, err := e2.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	if reads == 0 {
		t.Fatal("the document was not adopted from the store: the index was never read before its reference errors were put back")
	}
	if m, _ := blockMessage(d, "after"); m != held {
		t.Errorf("after, once the server started again: %q, want %q", m, held)
	}
	if !strings.Contains(strings.Join(d.Notes, "\n"), "stops this document at the block at line 9, for block user") {
		t.Errorf("notes after the server restart lost the reference-error stop: %q", d.Notes)
	}
	e2.mu.Lock()
	ds := e2.docs[id]
	f, _, _ := ds.failedStop()
	why := indexMismatch(ds, failStopsIndex)
	e2.mu.Unlock()
	if f == nil || f.name != "user" {
		t.Errorf("failure stop after the server restart: %v, want block user's", f)
	}
	if why != "" {
		t.Errorf("index after the server restart: %s", why)
	}
}
