package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
)

// viewCounter is the engine, counting the document views the API builds.
type viewCounter struct {
	*engine.Engine
	views atomic.Int64
}

func (c *viewCounter) Document(id string) (*engine.DocumentView, error) {
	c.views.Add(1)
	return c.Engine.Document(id)
}

func (c *viewCounter) DocumentPage(id string, offset, limit int) (*engine.DocumentView, error) {
	c.views.Add(1)
	return c.Engine.DocumentPage(id, offset, limit)
}

// startWatched is an engine whose blocks run until killed, behind the API
// (long polls waiting at most half of timeout), and a document of it with
// its block running.
func startWatched(t *testing.T, timeout time.Duration) (*viewCounter, http.Handler, string) {
	t.Helper()
	e := engine.New(engine.Config{Backend: &stoppingBackend{}})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	c := &viewCounter{Engine: e}
	h := NewHandler(c, Options{RequestTimeout: timeout})
	w := do(t, h, "POST", "/org", "#+name: loop\n#+begin_src sh\nsleep 1000\n#+end_src\n")
	if w.Code != 201 {
		t.Fatalf("POST: %d %s", w.Code, w.Body)
	}
	id := strings.TrimPrefix(w.Header().Get("Location"), "/org/")
	for i := 0; ; i++ {
		if v, err := e.Document(id); err == nil && v.Blocks[0].State == engine.Running {
			break
		}
		if i == 2000 {
			t.Fatal("the block never ran")
		}
		time.Sleep(5 * time.Millisecond)
	}
	return c, h, id
}

// TestLongPollBuildsOnlyOnChange: a long poll on a document that does not
// change builds its view once, however long it waits, even while other
// documents change.
func TestLongPollBuildsOnlyOnChange(t *testing.T) {
	c, h, id := startWatched(t, 2*time.Second)
	tag := do(t, h, "GET", "/org/"+id+".json", "").Header().Get("ETag")
	c.views.Store(0)
	done := make(chan string, 1)
	go func() { done <- do(t, h, "GET", "/org/"+id+".json?wait="+tag, "").Header().Get("ETag") }()
	// Another document comes and runs meanwhile.
	do(t, h, "POST", "/org", "#+name: other\n#+begin_src sh\nsleep 999\n#+end_src\n")
	if got := <-done; got != tag {
		t.Fatalf("the view of an unchanged document changed: %s, then %s", tag, got)
	}
	if n := c.views.Load(); n != 1 {
		t.Fatalf("an unchanged document's view was built %d times for one long poll; want 1", n)
	}
}

// TestLongPollWakesOnChange: a long poll waiting on a document answers
// with its new view when one of its blocks changes state.
func TestLongPollWakesOnChange(t *testing.T) {
	c, h, id := startWatched(t, time.Minute)
	tag := do(t, h, "GET", "/org/"+id+".json", "").Header().Get("ETag")
	c.views.Store(0)
	done := make(chan string, 1)
	go func() { done <- do(t, h, "GET", "/org/"+id+".json?wait="+tag, "").Body.String() }()
	for i := 0; c.views.Load() == 0; i++ {
		if i == 2000 {
			t.Fatal("the long poll never built the view")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := c.KillBlock(context.Background(), id, "loop"); err != nil {
		t.Fatal(err)
	}
	if body := <-done; !strings.Contains(body, `"killed"`) {
		t.Fatalf("the long poll answered without the change: %s", body)
	}
}

// alwaysChanging is a service whose documents change all the time, as a
// long document's blocks do, each change leaving the view as it was.
type alwaysChanging struct{ *viewCounter }

func (a alwaysChanging) DocumentChanges(string) (<-chan struct{}, error) {
	ch := make(chan struct{})
	close(ch)
	return ch, nil
}

// TestLongPollCoalescesChanges: a long poll on a document that keeps
// changing builds its view at most once per pollEvery: after a build it
// waits for the rest of that interval (the test's clock, held still)
// before the next.
func TestLongPollCoalescesChanges(t *testing.T) {
	c, _, id := startWatched(t, time.Minute)
	waits := make(chan chan time.Time)
	opt := Options{RequestTimeout: time.Minute}
	held := time.Now()
	opt.now = func() time.Time { return held } // every build is quick
	opt.after = func(d time.Duration) <-chan time.Time {
		if d != pollEvery {
			t.Errorf("waits %v after a build; want %v", d, pollEvery)
		}
		ch := make(chan time.Time, 1)
		waits <- ch
		return ch
	}
	h := NewHandler(alwaysChanging{c}, opt)
	tag := do(t, h, "GET", "/org/"+id+".json", "").Header().Get("ETag")
	c.views.Store(0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done })
	go func() {
		defer close(done)
		req := httptest.NewRequest("GET", "/org/"+id+".json?wait="+tag, nil).WithContext(ctx)
		req.Host = "127.0.0.1:8888"
		h.ServeHTTP(httptest.NewRecorder(), req)
	}()
	for round := int64(1); round <= 3; round++ {
		var fire chan time.Time
		for fire == nil {
			select {
			case fire = <-waits:
			case <-done:
				t.Fatal("the long poll answered an unchanged view")
			default:
				if n := c.views.Load(); n > round {
					t.Fatalf("built the view %d times in round %d: not waiting between changes", n, round)
				}
				runtime.Gosched()
			}
		}
		if n := c.views.Load(); n != round {
			t.Fatalf("round %d: built %d times", round, n)
		}
		fire <- time.Now()
	}
}
