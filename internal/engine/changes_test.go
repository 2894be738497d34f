package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"
)

// waitChange waits, bounded, for ch to be closed.
func waitChange(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(time.Minute):
		t.Fatalf("no change seen: %s", what)
	}
}

// isClosed says whether ch is closed (a change came), without waiting.
func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// TestDocumentChanges: a document's watchers wake when one of its blocks
// changes state, and those watching after it wait for the next change; a document whose block
// waits for CPUs changes when another document's attempt takes some (its
// view says what is free); a removed document wakes its watchers.
func TestDocumentChanges(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	ctx := context.Background()
	hog, err := e.Submit(ctx, "#+name: hog\n#+begin_src sh :cpu 1\nsleep 1\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	a := waitLaunches(t, fb, 1)[0]
	changed, err := e.DocumentChanges(hog.ID)
	if err != nil {
		t.Fatal(err)
	}
	fb.sink(Update{AttemptID: a.ID, State: Running})
	waitChange(t, changed, "a block running")
	waitState(t, e, hog.ID, "hog", Running)
	if next, _ := e.DocumentChanges(hog.ID); isClosed(next) {
		t.Fatal("a watch begun after the change wakes at once: the change is seen twice")
	}

	waiter, err := e.Submit(ctx, "#+name: w\n#+begin_src sh :cpu 2\nsleep 1\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	changed, _ = e.DocumentChanges(waiter.ID)
	if _, err := e.Submit(ctx, "#+name: small\n#+begin_src sh :cpu 1\nsleep 1\n#+end_src\n"); err != nil {
		t.Fatal(err)
	}
	waitChange(t, changed, "the CPUs a queued block waits for taken")
	waitState(t, e, waiter.ID, "w", Queued)

	changed, _ = e.DocumentChanges(hog.ID)
	if err := e.RemoveDocument(ctx, hog.ID); err != nil {
		t.Fatal(err)
	}
	waitChange(t, changed, "the document removed")
	if _, err := e.DocumentChanges(hog.ID); err == nil {
		t.Fatal("a removed document's changes are watched")
	}
}

// TestDocumentChangesWhenBackoffComesDue: a block waiting out a restart's
// backoff changes its document when the backoff comes due, for its view
// then says what it waits for next (here the CPUs another document took
// meanwhile); the pass that finds it due is what wakes the watchers, on
// the test's clock.
func TestDocumentChangesWhenBackoffComesDue(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	var mu sync.Mutex
	e, _ := passEngine(t, func() time.Time { mu.Lock(); defer mu.Unlock(); return now })
	ctx := context.Background()
	redis, err := e.Submit(ctx, "#+name: redis\n#+begin_src sh :cpu 1 :ensure it-keeps-running\nredis-server\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	e.schedule(ctx)
	a, _ := current(e, redis.ID, "redis")
	failAttempt(e, a)
	if _, err := e.Submit(ctx, "#+name: hog\n#+begin_src sh :cpu 2\nsleep 9\n#+end_src\n"); err != nil {
		t.Fatal(err)
	}
	due := e.schedule(ctx)
	if want := now.Add(Backoff(1)); !due.Equal(want) {
		t.Fatalf("the pass says the next restart is due at %v, want %v", due, want)
	}
	if _, st := current(e, redis.ID, "redis"); st != Queued {
		t.Fatalf("redis is %s during its backoff, want queued", st)
	}
	changed, err := e.DocumentChanges(redis.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.schedule(ctx) // before it is due: nothing changes
	if isClosed(changed) {
		t.Fatal("the document changed before its backoff came due")
	}
	mu.Lock()
	now = due
	mu.Unlock()
	e.schedule(ctx)
	if !isClosed(changed) {
		t.Fatal("the backoff came due and the document's watchers were not woken")
	}
	d, _ := e.Document(redis.ID)
	if got := d.Blocks[0].Instances[0].Waiting; !strings.HasPrefix(got, "needs 1 CPUs") {
		t.Fatalf("waiting %q once due, want the CPUs it needs", got)
	}
}

// TestDocumentChangesWithResources: what is free changing wakes the
// documents whose blocks wait for resources, watched before or after the
// pass that found them waiting, and not those whose blocks wait only for
// their dependencies (their views cannot change with it).
func TestDocumentChangesWithResources(t *testing.T) {
	e, _ := passEngine(t)
	ctx := context.Background()
	submit := func(text string) string {
		t.Helper()
		v, err := e.Submit(ctx, text)
		if err != nil {
			t.Fatal(err)
		}
		return v.ID
	}
	watch := func(id string) <-chan struct{} {
		t.Helper()
		ch, err := e.DocumentChanges(id)
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	chain := submit("#+name: x\n#+begin_src sh :cpu 1\nsleep 9\n#+end_src\n\n#+name: y\n#+begin_src sh :after x\ntrue\n#+end_src\n")
	wide := submit("#+name: w\n#+begin_src sh :cpu 2\ntrue\n#+end_src\n")
	e.schedule(ctx)
	if _, st := current(e, wide, "w"); st != Queued {
		t.Fatalf("w is %s with a CPU of 2 taken, want queued", st)
	}
	chainChanged, wideChanged := watch(chain), watch(wide)
	other := submit("#+name: z\n#+begin_src sh :cpu 1\nsleep 9\n#+end_src\n")
	e.schedule(ctx) // z takes the CPU left
	z, st := current(e, other, "z")
	if st != Staged {
		t.Fatalf("z is %s, want staged", st)
	}
	if !isClosed(wideChanged) {
		t.Fatal("the CPU w waits for was taken and w's document was not woken")
	}
	// Watched before the pass that finds it waiting for CPUs.
	wider := submit("#+name: w2\n#+begin_src sh :cpu 2\ntrue\n#+end_src\n")
	widerChanged := watch(wider)
	e.schedule(ctx)
	finishAttempt(e, z)
	if !isClosed(widerChanged) {
		t.Fatal("a CPU w2 waits for was freed and w2's document was not woken")
	}
	if isClosed(chainChanged) {
		t.Fatal("a document whose queued block waits for its dependency was woken by what is free changing")
	}
}
