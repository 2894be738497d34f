package engine

import "testing"

// TestStateIndexFollowsAllStates: the switch gives each state its place
// in allStates, and none to what is not a state.
func TestStateIndexFollowsAllStates(t *testing.T) {
	for i, s := range allStates {
		if got := stateIndex(s); got != i {
			t.Errorf("stateIndex(%s) = %d, want %d", s, got, i)
		}
	}
	if got := stateIndex("nonesuch"); got != -1 {
		t.Errorf("stateIndex(nonesuch) = %d, want -1", got)
	}
}
