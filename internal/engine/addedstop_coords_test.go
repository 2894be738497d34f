package engine

import (
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// TestAddedStopHoldsOneCoordinate: a stop an added block makes other
// than by its inline value (a JavaScript value not read, a reference
// error) is placed at its line in the buffer, while an added block's
// place (addedBefore) is weighed in the submitted document's lines: it
// holds no added block, as before added blocks were held at all. A
// submitted block's stop, in the submitted document's lines, holds the
// added blocks after it.
func TestAddedStopHoldsOneCoordinate(t *testing.T) {
	ds := &docState{}
	b := &blockState{doc: ds, name: "a", task: &plan.Task{Line: 12}, addedBy: "adder", addedBefore: &place{30, 1}, line: 12}
	f := &blockState{doc: ds, name: "jsf", task: &plan.Task{Line: 20, FailureStops: true}, addedBy: "adder", line: 20}
	if addedStopHolds(b, f, place{20, 0}) {
		t.Error("an added JavaScript block's stop, at its buffer line, holds an added block weighed in the submitted lines")
	}
	f.addedBy = ""
	if !addedStopHolds(b, f, place{20, 0}) {
		t.Error("a submitted block's stop before an added block does not hold it")
	}
	if addedStopHolds(b, f, place{31, 0}) {
		t.Error("a submitted block's stop after an added block holds it")
	}
}
