package engine

import (
	"context"
	"strings"
	"testing"
)

// foundRefusedCall is the name of the task of the call the refused block
// found in a's results (foundRefusedCallRawDoc) makes.
const foundRefusedCall = "a-found-1 maker(n=2)"

// refusedCallOutputs are the two outputs of a refused block's call the
// tests end it with: a raw byte, which asks Emacs for a coding system
// and so stops the document at the refused block, and plain output,
// which lets the blocks after it run.
var refusedCallOutputs = []struct {
	name, callOut string
	stops         bool
}{
	{"raw byte", "a\xffb", true},
	{"plain", "n=2\n", false},
}

// TestFoundRefusedCallRestartMidCall: the server stops while the call of
// the refused block found in a's results runs; started again, it has the
// block found after the refused one wait for the call still (the list of
// calls is rebuilt from the stored search), runs the call once, and the
// call's output decides as before: a raw byte stops the document before
// that block, which says why; plain output lets it run.
func TestFoundRefusedCallRestartMidCall(t *testing.T) {
	for _, tc := range refusedCallOutputs {
		t.Run(tc.name, func(t *testing.T) {
			dir, rb, _, stop, id := submitOnDisk(t, foundRefusedCallRawDoc)
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "maker", 1), "n=1\n")
			finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), foundRefusedCallRawOut)
			call := launchOf(t, rb.fakeBackend, foundRefusedCall, 1)
			stop()
			e, _ := startEngine(t, dir, rb, Config{})
			if launchedBlock(rb, "a-found-2") {
				t.Fatal("a-found-2 launched after the restart, before the call ended")
			}
			finishLaunch(rb.fakeBackend, call, tc.callOut)
			if !tc.stops {
				finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a-found-2", 1), "after\n")
			}
			d := waitDocumentEnded(t, e, id)
			if got := launchedBlock(rb, "a-found-2"); got == tc.stops {
				t.Errorf("a-found-2 launched: %v, want %v", got, !tc.stops)
			}
			if n := countLaunches(rb, foundRefusedCall); n != 1 {
				t.Errorf("the call launched %d times, want once", n)
			}
			if m, _ := instanceMessage(d, "a-found-2"); tc.stops && !strings.Contains(m, "End of file during parsing") {
				t.Errorf("a-found-2 says %q, want the stop the call made", m)
			}
		})
	}
}

// TestFoundRefusedCallRestartAfterStop: a server started again after the
// call stopped the document says the same of the block held past the
// stop, and does not run it.
func TestFoundRefusedCallRestartAfterStop(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, foundRefusedCallRawDoc)
	endRefusedCall(t, rb, foundRefusedCallRawOut, "a-found-2", "a\xffb")
	before, _ := instanceMessage(waitDocumentEnded(t, e, id), "a-found-2")
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	after, _ := instanceMessage(waitDocumentEnded(t, e2, id), "a-found-2")
	if !strings.Contains(before, "End of file during parsing") || before != after || launchedBlock(rb, "a-found-2") {
		t.Errorf("a-found-2 said %q before the restart and %q after (launched: %v), want the same, not run",
			before, after, launchedBlock(rb, "a-found-2"))
	}
}

// TestFoundRefusedCallRestartByName: restarting the call that stopped
// the document has the block after the refused one wait for it again;
// its new output, plain, lifts the stop and the block runs.
func TestFoundRefusedCallRestartByName(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundRefusedCallRawDoc)
	endRefusedCall(t, rb, foundRefusedCallRawOut, "a-found-2", "a\xffb")
	waitDocumentEnded(t, e, id)
	if err := e.RestartBlock(context.Background(), id, foundRefusedCall); err != nil {
		t.Fatal(err)
	}
	again := launchOf(t, rb.fakeBackend, foundRefusedCall, 2)
	if launchedBlock(rb, "a-found-2") {
		t.Fatal("a-found-2 launched while the call runs again")
	}
	finishLaunch(rb.fakeBackend, again, "n=2\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a-found-2", 1), "after\n")
	waitDocumentEnded(t, e, id)
}

// instanceMessage is the message of the only instance of block name in d,
// found in results or not ("" and false when d has no such block, or it
// has not one instance).
func instanceMessage(d *DocumentView, name string) (string, bool) {
	for _, b := range d.Blocks {
		if b.Name == name && len(b.Instances) == 1 {
			return b.Instances[0].Message, true
		}
	}
	return "", false
}
