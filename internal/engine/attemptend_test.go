package engine

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/session"
)

// countedReads is a report backend that counts the reads of the blocks'
// outputs, by attempt, and can hold those of one attempt until let go.
type countedReads struct {
	*reportBackend
	mu      sync.Mutex
	n       map[string]int
	held    string
	gate    chan struct{}
	entered chan struct{}
	// failing is how many reads of the held attempt's output fail, at
	// once, before the others are held.
	failing int
	// stuck counts the held reads let go by heldReadLimit, not by
	// release: a read held where the test could not release it (under
	// the engine's lock, say) ends the test with an error, not a hang.
	stuck int
	// ofReports: the reads counted and held are those of the reports of
	// the Org buffer (session.BufferFile), not of the outputs.
	ofReports bool
	// broken is an attempt every read of whose fails, once let go.
	broken string
}

// heldReadLimit bounds how long a held read waits for release.
const heldReadLimit = 90 * time.Second

func newCountedReads() *countedReads {
	c := &countedReads{reportBackend: newReportBackend(), n: map[string]int{}, gate: make(chan struct{}), entered: make(chan struct{}, 1)}
	return c
}

func (c *countedReads) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	if (stream == session.BufferFile) == c.ofReports && offset == 0 {
		c.mu.Lock()
		c.n[id]++
		held := c.held == id
		fail := held && c.n[id] <= c.failing
		broken := c.broken == id
		c.mu.Unlock()
		if fail {
			return nil, 0, errors.New("the agent cannot be reached")
		}
		if held {
			select {
			case c.entered <- struct{}{}:
			default:
			}
			limit := time.NewTimer(heldReadLimit)
			defer limit.Stop()
			select {
			case <-c.gate:
			case <-ctx.Done():
				return nil, 0, ctx.Err()
			case <-limit.C:
				c.mu.Lock()
				c.stuck++
				c.mu.Unlock()
			}
		}
		if broken {
			return nil, 0, errors.New("the agent cannot be reached")
		}
	}
	return c.reportBackend.ReadLog(ctx, id, stream, offset, max)
}

// hold has the reads of attempt id's output wait until release.
func (c *countedReads) hold(t *testing.T, id string) {
	c.mu.Lock()
	c.held = id
	c.mu.Unlock()
	t.Cleanup(func() {
		c.release()
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.stuck > 0 {
			t.Errorf("%d held reads never released: read where the test could not go on (under the engine's lock?)", c.stuck)
		}
	})
}

// release lets the reads held go on.
func (c *countedReads) release() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held != "" {
		c.held = ""
		close(c.gate)
	}
}

// endHeld ends attempt a, finished, with output out, whose reads c
// holds, and waits, bounded, until the first of them has begun.
func endHeld(t *testing.T, c *countedReads, a *Attempt, out string) {
	t.Helper()
	c.hold(t, a.ID)
	c.setOutput(a.ID, out)
	finish(c.fakeBackend, a, Finished, 0)
	select {
	case <-c.entered:
	case <-time.After(time.Minute):
		t.Fatalf("%s's output never read once it ended", a.Block)
	}
}

// viewedWhileHeld checks, bounded, that e answers views of document id,
// block name shown finished, while c holds a read of its output: the
// read is not made under the engine's lock.
func viewedWhileHeld(t *testing.T, e *Engine, c *countedReads, id, name string) {
	t.Helper()
	viewed := make(chan State, 1)
	go func() {
		var last State
		defer func() { viewed <- last }()
		for range 2000 {
			if d, _ := e.Document(id); d != nil {
				if last, _ = ownState(d, name); last == Finished {
					return
				}
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	select {
	case st := <-viewed:
		if st != Finished {
			c.release()
			t.Fatalf("%s viewed %q while its output was read, want finished", name, st)
		}
	case <-time.After(time.Minute):
		c.release()
		t.Fatalf("no view while %s's output was read: read under the engine's lock", name)
	}
}

// ownState is the state of block name's own run in d (of a block of the
// document, or one found in results).
func ownState(d *DocumentView, name string) (State, bool) {
	for _, b := range d.Blocks {
		if b.Name == name && (b.AddedBy == "" || b.Found) {
			return b.State, true
		}
	}
	return "", false
}

// reads is how many times attempt id's output was read.
func (c *countedReads) reads(id string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[id]
}

// waitsOn waits, bounded, until block name of document id is
// queued waiting for what the message has, and reports whether it was.
func waitsOn(e *Engine, id, name, what string) bool {
	for range 4000 {
		if d, _ := e.Document(id); d != nil {
			for _, b := range d.Blocks {
				if b.Name == name && len(b.Instances) == 1 && strings.Contains(b.Instances[0].Waiting, what) {
					return true
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

// TestInlineValueReadOffLock: the output of an inline block is read
// once its attempt has ended, and the read takes long: views answer
// meanwhile (it is not read under the engine's lock), the block after it
// in the buffer waits for its value, not launched, and runs once it is
// known (one line: no stop). No pass nor view reads it again.
func TestInlineValueReadOffLock(t *testing.T) {
	c := newCountedReads()
	e, _ := startEngine(t, t.TempDir(), c, Config{})
	v, err := e.Submit(context.Background(), "Text src_sh{echo 1} here.\n\n"+
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	in := launchOf(t, c.fakeBackend, "inline-1", 1)
	slow := launchOf(t, c.fakeBackend, "slow", 1)
	endHeld(t, c, in, "1\n")
	viewedWhileHeld(t, e, c, v.ID, "inline-1")
	finish(c.fakeBackend, slow, Finished, 0)
	// The run of slow after's :var s=slow makes, waiting for nothing.
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, afterSlowRun, 1), Finished, 0)
	if !waitsOn(e, v.ID, "after", "inline-1") {
		t.Fatal("after not waiting for the inline block's value")
	}
	if launchedBlock(c.reportBackend, "after") {
		t.Fatal("after launched while the inline block's value was not known")
	}
	c.release()
	if !endedOrLaunched(e, c.reportBackend, v.ID, "after") {
		t.Fatal("after not launched once the inline block's one line was read")
	}
	finish(c.fakeBackend, launchOf(t, c.fakeBackend, "after", 1), Finished, 0)
	waitDocumentEnded(t, e, v.ID)
	if n := c.reads(in.ID); n != 1 {
		t.Errorf("the inline block's output read %d times, want once", n)
	}
}

// TestInlineValueNotReadOnRestart: the refused value of an inline block
// stopped the document; a server started again knows the stop from the
// block's record, reading its output for it no more: no more than that
// of a block whose value stops nothing.
func TestInlineValueNotReadOnRestart(t *testing.T) {
	dir := t.TempDir()
	c := newCountedReads()
	e, stop := startEngine(t, dir, c, Config{})
	v, err := e.Submit(context.Background(), inlineStopDoc)
	if err != nil {
		t.Fatal(err)
	}
	slow := inlineRefusedNow(t, e, c.reportBackend, v.ID)
	in := launchOf(t, c.fakeBackend, "inline-1", 1)
	finish(c.fakeBackend, slow, Finished, 0)
	wantInlineStop(t, waitDocumentEnded(t, e, v.ID))
	before := launchOf(t, c.fakeBackend, "before", 1)
	n, nBefore := c.reads(in.ID), c.reads(before.ID)
	stop()
	e2, _ := startEngine(t, dir, c, Config{})
	wantInlineStop(t, waitDocumentEnded(t, e2, v.ID))
	// Searched for blocks found in results, as every finished block's.
	if m, mBefore := c.reads(in.ID)-n, c.reads(before.ID)-nBefore; m != mBefore {
		t.Errorf("the inline block's output read %d times after a restart, want %d, as block before's (no read for its value)", m, mBefore)
	}
}

// TestDependencyValueReadOnce: a block whose results may stop Emacs (a
// table, say) and that a block refers to has its output read once when
// it ends, for both its results' stop and its value: its own run's, and
// that of the run b's reference makes of it (Babel runs a again at the
// reference), whose value b takes.
func TestDependencyValueReadOnce(t *testing.T) {
	c := newCountedReads()
	e, _ := startEngine(t, t.TempDir(), c, Config{})
	v, err := e.Submit(context.Background(), "#+name: a\n#+begin_src sh\necho 1\n#+end_src\n\n"+
		"#+name: b\n#+begin_src sh :var x=a\necho \"$x\"\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	a := launchOf(t, c.fakeBackend, "a", 1)
	endWith(t, e, c.reportBackend, v.ID, a, "1\n")
	ref := launchOf(t, c.fakeBackend, "b :var x=a", 1)
	endWith(t, e, c.reportBackend, v.ID, ref, "1\n")
	if b := launchOf(t, c.fakeBackend, "b", 1); !strings.HasPrefix(b.Script, "x='1'\n") {
		t.Errorf("b's script, without a's value: %q", b.Script)
	}
	if n := c.reads(a.ID); n != 1 {
		t.Errorf("a's output read %d times, want once", n)
	}
	if n := c.reads(ref.ID); n != 1 {
		t.Errorf("the output of b's reference's run of a read %d times, want once", n)
	}
}
