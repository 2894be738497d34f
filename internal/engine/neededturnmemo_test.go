package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
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
			v, err := e.Submit(context.Background(), turnNeedsDoc(8, tc.before))
			if err != nil {
				t.Fatal(err)
			}
			e.mu.Lock()
			defer e.mu.Unlock()
			ds := e.docs[v.ID]
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
