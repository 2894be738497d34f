package engine

import (
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// TestAddedStopHoldsOneCoordinate: an added block's place (addedBefore)
// is weighed in the submitted document's lines. A stop an added block
// makes that is placed at its line in the buffer (f given no
// addedBefore here, as its results stopping Emacs are: failedStop's
// resultStop) holds no added block. A submitted block's stop, in the
// submitted document's lines, holds the added blocks after it. An added
// block's own stop, placed where it stands among the submitted
// document's blocks (its addedBefore: ownStopPlace), holds the added
// blocks weighed after that place, and those at the same place that
// stand after it in the buffer, not those before it there
// (addedOwnStop).
func TestAddedStopHoldsOneCoordinate(t *testing.T) {
	ds := &docState{}
	b := &blockState{doc: ds, name: "a", task: &plan.Task{Line: 12}, addedBy: "adder", addedBefore: &place{30, 1}, line: 12}
	f := &blockState{doc: ds, name: "jsf", task: &plan.Task{Line: 20, FailureStops: true}, addedBy: "adder", line: 20}
	if addedStopHolds(b, f, place{20, 0}) {
		t.Error("an added block's stop, at its buffer line, holds an added block weighed in the submitted lines")
	}
	f.addedBy = ""
	if !addedStopHolds(b, f, place{20, 0}) {
		t.Error("a submitted block's stop before an added block does not hold it")
	}
	if addedStopHolds(b, f, place{31, 0}) {
		t.Error("a submitted block's stop after an added block holds it")
	}
	f.addedBy, f.addedBefore = "adder", &place{30, 1}
	at := ownStopPlace(f)
	if at != (place{30, 1}) {
		t.Fatalf("an added block's own stop placed at %v, want its addedBefore {30 1}", at)
	}
	if addedStopHolds(b, f, at) {
		t.Error("an added block's own stop holds an added block before it in the buffer, at the same place")
	}
	later := &blockState{doc: ds, name: "c", task: &plan.Task{Line: 25}, addedBy: "adder", addedBefore: &place{30, 1}, line: 25}
	if !addedStopHolds(later, f, at) {
		t.Error("an added block's own stop does not hold the added block after it in the buffer, at the same place")
	}
	past := &blockState{doc: ds, name: "d", task: &plan.Task{Line: 8}, addedBy: "other", addedBefore: &place{40, 1}, line: 8}
	if !addedStopHolds(past, f, at) {
		t.Error("an added block's own stop does not hold an added block weighed after it among the submitted document's blocks")
	}
	if addedStopHolds(f, f, at) {
		t.Error("an added block's own stop holds that block")
	}
}
