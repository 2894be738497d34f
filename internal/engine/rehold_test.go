package engine

import (
	"strings"
	"testing"
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
