package engine

import "testing"

// TestPostStopKeptSaysSoOverBackendMessage: a block whose :post stopped
// the document (its results kept as they were) says so in its view in
// place of what the backend left on its finished attempt (the local
// backend's "pid N"), as a block that ran past the stop does: that
// message is stale once the process is gone, where the note says why
// the block's results are not written.
func TestPostStopKeptSaysSoOverBackendMessage(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, postBindStopDoc)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "pa", 1), "post \n")
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	main := launchOf(t, rb.fakeBackend, "main", 1)
	rb.sink(Update{AttemptID: main.ID, State: Running, Message: "pid 4242"})
	finishWith(rb.fakeBackend, main, `[["k", "v"], None, ["a", 1]]`)
	waitState(t, e, id, "main :post pa(x=*this*)", Failed)
	finish(rb.fakeBackend, slow, Finished, 0)
	d := endedFinishingLaunched(t, e, rb, id)
	if m, _ := blockMessage(d, "main"); m != postStopKept {
		t.Errorf("main: %q, want %q in place of the backend's message", m, postStopKept)
	}
}
