package engine

import (
	"context"
	"errors"
	"testing"
	"time"
)

// nothingKept asserts that no document, task or launch came of a request.
func nothingKept(t *testing.T, e *Engine, fb *byIDBackend) {
	t.Helper()
	time.Sleep(50 * time.Millisecond) // a scheduling pass would have launched by now
	if docs := e.Documents(); len(docs) != 0 {
		t.Errorf("documents kept: %+v", docs)
	}
	stored, instances, err := e.store.Load()
	if err != nil || len(stored) != 0 || len(instances) != 0 {
		t.Errorf("stored: %d documents, %d instances, %v", len(stored), len(instances), err)
	}
	if n := len(fb.launches()); n != 0 {
		t.Errorf("%d attempts launched", n)
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.tracked != 0 {
		t.Errorf("%d instances counted as tracked", e.tracked)
	}
}

// TestSubmitEndedDuringPlanning: a submission whose request ends while
// the document is being planned takes no effect, and says why.
func TestSubmitEndedDuringPlanning(t *testing.T) {
	cases := []struct {
		name string
		ctx  func() (context.Context, context.CancelFunc)
		hook func(ctx context.Context, cancel context.CancelFunc)
		want error
	}{
		{"cancelled", func() (context.Context, context.CancelFunc) { return context.WithCancel(context.Background()) },
			func(ctx context.Context, cancel context.CancelFunc) { cancel() }, context.Canceled},
		{"deadline passed", func() (context.Context, context.CancelFunc) {
			return context.WithTimeout(context.Background(), 30*time.Millisecond)
		}, func(ctx context.Context, cancel context.CancelFunc) { <-ctx.Done() }, context.DeadlineExceeded},
		{"already past its deadline", func() (context.Context, context.CancelFunc) {
			return context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		}, func(ctx context.Context, cancel context.CancelFunc) {}, context.DeadlineExceeded},
		{"answered elsewhere", func() (context.Context, context.CancelFunc) {
			ctx, cancel := context.WithCancel(context.Background())
			return WithClaim(ctx, func() bool { return false }), cancel
		}, func(ctx context.Context, cancel context.CancelFunc) {}, context.DeadlineExceeded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fb := newByIDBackend()
			ctx, cancel := c.ctx()
			defer cancel()
			e, _ := startEngine(t, t.TempDir(), fb, Config{PlanHook: func(hctx context.Context) { c.hook(hctx, cancel) }})
			v, err := e.Submit(ctx, depsDoc)
			if err == nil || !errors.Is(err, ErrTooLate) || !errors.Is(err, c.want) {
				t.Fatalf("Submit = %v, %v; want %v", v, err, c.want)
			}
			nothingKept(t, e, fb)
		})
	}
}

// TestKillAndRestartEndedBeforeTakingEffect: a kill or restart whose
// request has ended does nothing.
func TestKillAndRestartEndedBeforeTakingEffect(t *testing.T) {
	fb := newByIDBackend()
	e, _ := startEngine(t, t.TempDir(), fb, Config{})
	v, err := e.Submit(context.Background(), "#+name: forever\n#+begin_src sh\nsleep 1000\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	a := waitLaunches(t, &fb.fakeBackend, 1)[0]
	fb.sink(Update{AttemptID: a.ID, State: Running})
	waitState(t, e, v.ID, "forever", Running)
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	refused := WithClaim(context.Background(), func() bool { return false })
	for name, op := range map[string]func(ctx context.Context) error{
		"kill document": func(ctx context.Context) error { return e.KillDocument(ctx, v.ID) },
		"kill block":    func(ctx context.Context) error { return e.KillBlock(ctx, v.ID, "forever") },
		"restart":       func(ctx context.Context) error { return e.RestartBlock(ctx, v.ID, "forever") },
	} {
		for _, ctx := range []context.Context{ended, refused} {
			if err := op(ctx); !errors.Is(err, ErrTooLate) {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
	time.Sleep(20 * time.Millisecond)
	d, _ := e.Document(v.ID)
	if in := d.Blocks[0].Instances[0]; in.State != Running || in.Attempts != 1 || in.Message != "" || !fb.knows(a.ID) {
		t.Fatalf("after requests that ended: %+v", in)
	}
	// A claim granted: the kill is carried through.
	claimed := false
	if err := e.KillDocument(WithClaim(context.Background(), func() bool { claimed = true; return true }), v.ID); err != nil || !claimed {
		t.Fatalf("kill: %v, claimed %v", err, claimed)
	}
	waitState(t, e, v.ID, "forever", Killed)
}

// TestMaxTracked: beyond MaxTracked instances held, a submission is
// refused as busy, before it is even planned; the count survives a restart.
func TestMaxTracked(t *testing.T) {
	dir := t.TempDir()
	fb := newByIDBackend()
	planned := 0
	cfg := Config{MaxTracked: 5, PlanHook: func(context.Context) { planned++ }}
	e, stop := startEngine(t, dir, fb, cfg)
	three := "#+begin_src sh :instances 3\ntrue\n#+end_src\n"
	two := "#+begin_src sh :instances 2\ntrue\n#+end_src\n"
	if _, err := e.Submit(context.Background(), three); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Submit(context.Background(), three); !errors.Is(err, ErrBusy) {
		t.Fatalf("3 more of 5: %v", err)
	}
	if _, err := e.Submit(context.Background(), two); err != nil {
		t.Fatalf("2 more of 5: %v", err)
	}
	planned = 0
	_, err := e.Submit(context.Background(), "#+begin_src sh\ntrue\n#+end_src\n")
	if !errors.Is(err, ErrBusy) || planned != 0 {
		t.Fatalf("when full: %v, planned %d times", err, planned)
	}
	if len(e.Documents()) != 2 {
		t.Fatalf("%d documents", len(e.Documents()))
	}
	stop()
	e, _ = startEngine(t, dir, newByIDBackend(), cfg)
	if _, err := e.Submit(context.Background(), "#+begin_src sh\ntrue\n#+end_src\n"); !errors.Is(err, ErrBusy) {
		t.Fatalf("after a restart: %v", err)
	}
}
