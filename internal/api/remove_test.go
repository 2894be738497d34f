package api

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
)

// stoppingBackend runs nothing, but reports attempts running once
// launched and killed once killed, as a real one does, except those of a
// block named "stuck", which never stop.
type stoppingBackend struct {
	nullBackend
	engine.Sink
}

func (b *stoppingBackend) Start(ctx context.Context, sink func(engine.Update)) error {
	b.SetSink(sink)
	return nil
}
func (b *stoppingBackend) Launch(ctx context.Context, a *engine.Attempt) error {
	b.nullBackend.Launch(ctx, a)
	go b.Emit(engine.Update{AttemptID: a.ID, State: engine.Running})
	return nil
}
func (b *stoppingBackend) Kill(ctx context.Context, id string) error {
	if !strings.Contains(id, "-stuck.") {
		go b.Emit(engine.Update{AttemptID: id, State: engine.Killed})
	}
	return nil
}

// TestRemoveRoutes: with the engine behind them, both ways of removing
// answer 200 and the document is 404 and unlisted afterwards, a second
// removal is 404, and the instances it held are free again for a POST
// that was 503; a document whose task will not stop is 409 and kept.
func TestRemoveRoutes(t *testing.T) {
	b := &stoppingBackend{}
	// The wait is what the stuck document's removal takes; the others'
	// ends come within it at any load.
	e := engine.New(engine.Config{Backend: b, MaxTracked: 3, RemoveWait: 5 * time.Second})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	h := NewHandler(e, Options{})
	submit := func(doc string) string {
		t.Helper()
		w := do(t, h, "POST", "/org", doc)
		if w.Code != 201 {
			t.Fatalf("POST: %d %s", w.Code, w.Body)
		}
		return strings.TrimPrefix(w.Header().Get("Location"), "/org/")
	}
	running := "#+name: loop\n#+begin_src sh\nsleep 1000\n#+end_src\n"
	first, second := submit(running), submit(running)
	stuck := submit("#+name: stuck\n#+begin_src sh\nsleep 1000\n#+end_src\n")
	if w := do(t, h, "POST", "/org", running); w.Code != 503 {
		t.Fatalf("a POST over the limit: %d %s", w.Code, w.Body)
	}
	for _, id := range []string{first, second, stuck} {
		for i := 0; i < 400; i++ {
			if v, err := e.Document(id); err == nil && v.State == engine.Running && v.Blocks[0].State == engine.Running {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	cases := []struct {
		method, path string
		code         int
		contains     string
	}{
		{"POST", "/org/" + first + "/remove", 200, "removed"},
		{"POST", "/org/" + first + "/remove", 404, "not found"},
		{"DELETE", "/org/" + second + "?purge=1", 200, "removed"},
		{"DELETE", "/org/" + second + "?purge=1", 404, "not found"},
		{"POST", "/org/" + stuck + "/remove", 409, "did not stop"},
	}
	for _, c := range cases {
		if w := do(t, h, c.method, c.path, ""); w.Code != c.code || !strings.Contains(w.Body.String(), c.contains) {
			t.Errorf("%s %s: %d %q, want %d containing %q", c.method, c.path, w.Code, w.Body, c.code, c.contains)
		}
	}
	for _, id := range []string{first, second} {
		for _, path := range []string{"/org/" + id, "/org/" + id + ".json", "/org/" + id + "/blocks/loop/log"} {
			if w := do(t, h, "GET", path, ""); w.Code != 404 {
				t.Errorf("GET %s after removal: %d", path, w.Code)
			}
		}
	}
	list := do(t, h, "GET", "/org", "").Body.String()
	if strings.Contains(list, first) || strings.Contains(list, second) || !strings.Contains(list, stuck) {
		t.Errorf("the list after removals: %q", list)
	}
	if w := do(t, h, "GET", "/org/"+stuck+".json", ""); w.Code != 200 {
		t.Errorf("the document whose task did not stop: %d %s", w.Code, w.Body)
	}
	if w := do(t, h, "POST", "/org", running); w.Code != 201 {
		t.Errorf("a POST after the removals: %d %s", w.Code, w.Body)
	}
}
