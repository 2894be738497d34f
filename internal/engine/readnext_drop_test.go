package engine

import (
	"slices"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// TestDropNextReaderKeepsOtherWaits: a reader no longer reading block x
// as the next element of a name leaves x's dependents only when nothing
// else has it wait for x there: a finder wait that found it there (and
// added it once more, or not at all) keeps it, and x's end wakes it
// still. Its entry in x's nextReaders goes either way.
func TestDropNextReaderKeepsOtherWaits(t *testing.T) {
	for _, finder := range []bool{false, true} {
		ds := &docState{byName: map[string]*blockState{}}
		x := &blockState{doc: ds, name: "data", task: &plan.Task{Block: "data"}}
		b := &blockState{doc: ds, name: "user", task: &plan.Task{Block: "user"}}
		ds.blocks = []*blockState{b, x}
		ds.byName["data"], ds.byName["user"] = x, b
		x.dependents = []*blockState{b}
		x.nextReaders = map[*blockState]bool{b: true}
		if finder {
			ds.finderWakes = map[[2]*blockState]bool{{x, b}: true}
		}
		x.dropNextReader(b)
		if got := slices.Contains(x.dependents, b); got != finder {
			t.Errorf("waiting for it as a finder %v: the reader among its dependents %v", finder, got)
		}
		if len(x.nextReaders) != 0 {
			t.Errorf("nextReaders left: %v", x.nextReaders)
		}
	}
}
