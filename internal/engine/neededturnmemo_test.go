package engine

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// turnNeedsDoc is a document with stops js1 and js2 and a chain of n
// blocks past them, each referring to the one before it; before, if
// not empty, is a block ahead of the stops referring to it (:var); a
// block ahead of them all only waits for after2 (:after), which needs
// none of the chain.
func turnNeedsDoc(n int, before string) string {
	var doc strings.Builder
	doc.WriteString("#+name: orders\n#+begin_src sh :after after2\necho orders\n#+end_src\n\n")
	if before != "" {
		fmt.Fprintf(&doc, "#+name: early\n#+begin_src sh :var x=%s\necho early\n#+end_src\n\n", before)
	}
	writeStopsAndChain(&doc, n)
	return doc.String()
}

// TestTurnNeedsAgreeWithWalk: the blocks needed before a stop found once
// (weighingStops) are those neededByTurnBefore's walk back finds, for
// every block of documents whose chain past the stop a block before it
// refers to (all, part of it, none of it).
func TestTurnNeedsAgreeWithWalk(t *testing.T) {
	for _, tc := range []struct {
		name, before string
		needed       int
	}{
		{"none", "", 0},
		{"first", "after0", 1},
		{"middle", "after3", 4},
		{"last", "after7", 8},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, _ := passEngine(t)
			ds := submitLocked(t, e, turnNeedsDoc(8, tc.before))[0]
			at := placeOf(ds.byName["js1"])
			walk := map[*blockState]bool{}
			count := 0
			for _, b := range ds.blocks {
				walk[b] = neededByTurnBefore(b, at)
				if walk[b] {
					count++
				}
			}
			if count != tc.needed {
				t.Errorf("walk finds %d blocks needed, want %d", count, tc.needed)
			}
			done := ds.weighingStops()
			defer done()
			for _, b := range ds.blocks {
				got, ok := neededByTurnBeforeKnown(b, at)
				if !ok && turnBefore(b, at) {
					continue // a block before the stop is walked back from
				}
				if !ok || got != walk[b] {
					t.Errorf("%s: found once %v (known %v), walk %v", b.name, got, ok, walk[b])
				}
			}
		})
	}
}

// TestTurnNeedsKeptAcrossWeighings: the blocks needed before a stop,
// found once while stops are weighed, are kept after the weighing (the
// next pass asks again of the same links) and found again once the
// links change: a block before the stop that comes to refer to a block
// of the chain (its task taken from the buffer, rewire and
// addDependent, each bumping docState.links) has that block needed,
// where the answer kept said it was not.
func TestTurnNeedsKeptAcrossWeighings(t *testing.T) {
	e, _ := passEngine(t)
	// The same document with the block ahead of the stops referring to
	// after3: its task is the one the first takes.
	changed := strings.Replace(turnNeedsDoc(8, ""), "#+begin_src sh :after after2", "#+begin_src sh :after after2 :var y=after3", 1)
	dss := submitLocked(t, e, turnNeedsDoc(8, ""), changed)
	ds := dss[0]
	at := placeOf(ds.byName["js1"])
	after3, orders := ds.byName["after3"], ds.byName["orders"]
	done := ds.weighingStops()
	if neededByTurnBefore(after3, at) {
		t.Fatal("after3 needed before any block refers to it")
	}
	done()
	if _, ok := neededByTurnBeforeKnown(after3, at); !ok {
		t.Error("the blocks needed before the stop were forgotten once weighed: not kept across passes")
	}
	task := dss[1].byName["orders"].task
	after3.addDependent(orders)
	orders.rewire(func(*plan.Task) *plan.Task { return task })
	if !neededByTurnBefore(after3, at) {
		t.Error("after3, which orders now refers to, is not needed: the answer kept from before the links changed")
	}
	for _, b := range ds.blocks {
		if got, ok := neededByTurnBeforeKnown(b, at); ok && got != neededByTurnBeforeWalk(b, at) {
			t.Errorf("%s: kept %v, walk %v", b.name, got, !got)
		}
	}
}

// Every answer kept that an engine test uses is checked against a walk
// back, and what the walk reads against what it read when the answers
// were found (checkTurnNeeds): a change of the links that does not bump
// docState.links fails the test that makes it, whether or not the
// answers asked change with it.
func init() { checkTurnNeeds = mustMatchWalk }

// turnReads are what the walk read when each turnNeeds was found
// (turnFingerprint), for mustMatchWalk; tests of several engines run
// at once.
var turnReads = struct {
	sync.Mutex
	of map[*turnNeeds]string
}{of: map[*turnNeeds]string{}}

// mustMatchWalk records what the walk reads when m is found (b nil), and
// ends the tests (failHookNow) when a kept answer of m is not the
// walk's, or the blocks, tasks or links the walk reads changed since m
// was found, docState.links standing. The caller holds e.mu.
func mustMatchWalk(ds *docState, m *turnNeeds, b *blockState, at place, needed bool) {
	now := turnFingerprint(ds)
	turnReads.Lock()
	defer turnReads.Unlock()
	if b == nil {
		turnReads.of[m] = now
		return
	}
	if was, ok := turnReads.of[m]; ok && was != now {
		failHookNow(fmt.Sprintf("document %s: the blocks or links the walk for the stop at %v reads changed, links %d unbumped (answer kept for block %s)\nthen: %s\nnow:  %s", ds.id, at, ds.links, b.name, was, now))
	}
	if walk := neededByTurnBeforeWalk(b, at); walk != needed {
		failHookNow(fmt.Sprintf("block %s of document %s: kept needed before the stop at %v %v, a walk back finds %v: the links changed unbumped", b.name, b.doc.id, at, needed, walk))
	}
}

// turnFingerprint is what findTurnNeeds and neededByTurnBeforeWalk read
// of ds: its blocks and every block their dependents reach, in order,
// each with its document, task (a task is never changed in place), who
// added it and before where, and its dependents; and the names of each
// document met (byName, for ownBlock).
func turnFingerprint(ds *docState) string {
	var sb strings.Builder
	seen := map[*blockState]bool{}
	docs := []*docState{ds}
	seenDoc := map[*docState]bool{ds: true}
	todo := slices.Clone(ds.blocks)
	for i := 0; i < len(todo); i++ {
		x := todo[i]
		if seen[x] || i < len(ds.blocks) && x.task == nil && len(x.dependents) == 0 {
			// A block of the document with no task nor dependents (a
			// refused block's, appended unbumped) is known to no
			// answer kept: it is walked back from.
			continue
		}
		seen[x] = true
		before := "-"
		if x.addedBefore != nil {
			before = fmt.Sprint(*x.addedBefore)
		}
		fmt.Fprintf(&sb, "%p %q doc=%p task=%p by=%q before=%s deps=", x, x.name, x.doc, x.task, x.addedBy, before)
		for _, d := range x.dependents {
			fmt.Fprintf(&sb, "%p,", d)
			todo = append(todo, d)
		}
		sb.WriteString("; ")
		if x.doc != nil && !seenDoc[x.doc] {
			seenDoc[x.doc] = true
			docs = append(docs, x.doc)
		}
	}
	for _, d := range docs {
		fmt.Fprintf(&sb, "byName of %p:", d)
		for _, name := range slices.Sorted(maps.Keys(d.byName)) {
			fmt.Fprintf(&sb, " %q=%p", name, d.byName[name])
		}
		sb.WriteString("; ")
	}
	return sb.String()
}

// submitLocked submits docs to e and returns their states with e.mu
// held until the test ends.
func submitLocked(t *testing.T, e *Engine, docs ...string) []*docState {
	t.Helper()
	var ids []string
	for _, doc := range docs {
		v, err := e.Submit(context.Background(), doc)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
	}
	e.mu.Lock()
	t.Cleanup(e.mu.Unlock)
	var out []*docState
	for _, id := range ids {
		out = append(out, e.docs[id])
	}
	return out
}
