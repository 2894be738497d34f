package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestWaiting: a queued instance says what it waits for — its unfinished
// dependencies, the resources it needs against what is free, or a
// restart's backoff — and nothing else says anything.
func TestWaiting(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	fb.mu.Lock() // the engine's loop reads it (Capacity)
	fb.capacity.MemMB = 1024.123456
	fb.mu.Unlock()
	v, err := e.Submit(context.Background(), "#+name: big\n#+begin_src sh :cpu 1.5 :mem 100\nsleep 9\n#+end_src\n\n"+
		"#+name: wide\n#+begin_src sh :cpu 1\ntrue\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh :after big\ntrue\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	waitLaunches(t, fb, 1)
	want := map[string]string{
		"big":   "",
		"wide":  "needs 1 CPUs, 32 MB; free now 0.5 CPUs, 924.12 MB of 2 CPUs, 1024.12 MB",
		"after": "waiting for big (staged)",
	}
	d, _ := e.Document(v.ID)
	for _, b := range d.Blocks {
		if got := b.Instances[0].Waiting; got != want[b.Name] {
			t.Errorf("%s (%s): waiting %q, want %q", b.Name, b.State, got, want[b.Name])
		}
	}
}

func TestWaitingForRestart(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.Local)
	var mu sync.Mutex
	e, fb, stop := newTestEngine(t, t.TempDir(), func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	defer stop()
	v, _ := e.Submit(context.Background(), "#+name: redis\n#+begin_src sh :ensure it-keeps-running\nredis-server\n#+end_src\n")
	l := waitLaunches(t, fb, 1)
	finish(fb, l[0], Failed, 1)
	waitState(t, e, v.ID, "redis", Queued)
	d, _ := e.Document(v.ID)
	if got := d.Blocks[0].Instances[0].Waiting; !strings.HasPrefix(got, "runs again at 03:04:06") {
		t.Fatalf("waiting %q", got)
	}
}

func TestRound(t *testing.T) {
	for in, want := range map[float64]string{24105.09765625: "24105.1", 2: "2", 0.125: "0.13", 1024.004: "1024"} {
		if got := Round(in); got != want {
			t.Errorf("Round(%v) = %q, want %q", in, got, want)
		}
	}
}

// TestWaitingForFailStop: a block a failure stop held, queued again when
// the block that stopped the document runs again, waits for it to end
// (waitFailStop): the view says so, as the scheduler waits, not that it
// is ready.
func TestWaitingForFailStop(t *testing.T) {
	e, rb, id, _ := jsStopped(t)
	if err := e.RestartBlock(context.Background(), id, "js"); err != nil {
		t.Fatal(err)
	}
	js := launchOf(t, rb.fakeBackend, "js", 2)
	d, _ := e.Document(id)
	const want = "waiting for js output read by Emacs ("
	if got := blockWaiting(d, "after"); !strings.HasPrefix(got, want) || !strings.Contains(got, "stopped the document") {
		t.Errorf("after: waiting %q, want it to begin %q and say why", got, want)
	}
	rb.setOutput(js.ID, "'ok'\n")
	finish(rb.fakeBackend, js, Finished, 0)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	noStop(t, waitDocumentEnded(t, e, id))
}

// blockWaiting is what the one instance of block name says it waits for.
func blockWaiting(d *DocumentView, name string) string {
	if d == nil {
		return ""
	}
	for _, b := range d.Blocks {
		if b.Name == name && len(b.Instances) == 1 {
			return b.Instances[0].Waiting
		}
	}
	return ""
}
