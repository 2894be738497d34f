package engine

import (
	"context"
	"fmt"
	"strings"
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
// back (checkTurnNeeds): a change of the links that does not bump
// docState.links fails the test that makes it.
func init() { checkTurnNeeds = mustMatchWalk }

// mustMatchWalk panics when a kept answer is not the walk's. The caller
// holds e.mu.
func mustMatchWalk(b *blockState, at place, needed bool) {
	if walk := neededByTurnBeforeWalk(b, at); walk != needed {
		panic(fmt.Sprintf("block %s of document %s: kept needed before the stop at %v %v, a walk back finds %v: the links changed unbumped", b.name, b.doc.id, at, needed, walk))
	}
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
