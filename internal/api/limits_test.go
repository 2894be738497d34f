package api

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// nullBackend runs nothing: it counts launches and reports nothing back.
type nullBackend struct {
	mu       sync.Mutex
	launched int
}

func (b *nullBackend) Name() string        { return "null" }
func (b *nullBackend) Limits() plan.Limits { return plan.Limits{} }
func (b *nullBackend) Capacity() (plan.Resources, bool) {
	return plan.Resources{CPUs: 1000, MemMB: 1 << 20}, true
}
func (b *nullBackend) Start(ctx context.Context, sink func(engine.Update)) error { return nil }
func (b *nullBackend) Launch(ctx context.Context, a *engine.Attempt) error {
	b.mu.Lock()
	b.launched++
	b.mu.Unlock()
	return nil
}
func (b *nullBackend) Kill(ctx context.Context, id string) error                     { return nil }
func (b *nullBackend) Recover(ctx context.Context, attempts []*engine.Attempt) error { return nil }
func (b *nullBackend) CloseSession(ctx context.Context, session string) error        { return nil }

func (b *nullBackend) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	return nil, 0, nil
}

func (b *nullBackend) launches() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.launched
}

// newEngine is an engine without a store over a backend that runs nothing.
func newEngine(t *testing.T, cfg engine.Config) (*engine.Engine, *nullBackend) {
	t.Helper()
	b := &nullBackend{}
	cfg.Backend = b
	e := engine.New(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return e, b
}

// TestRejectsUnboundedRequests: each request for more than the server
// gives is a 400 naming the line and the header argument, and nothing of
// it is kept.
func TestRejectsUnboundedRequests(t *testing.T) {
	e, b := newEngine(t, engine.Config{})
	h := NewHandler(e, Options{})
	src := func(header string) string { return "#+name: x\n#+begin_src sh " + header + "\ntrue\n#+end_src\n" }
	cases := []struct{ doc, want string }{
		{src(":ports 20000"), `line 1: block "x": :ports: asks for 20000 ports; a block may have at most 100 (#+borges_max_ports)`},
		{src(":cpu NaN"), `line 1: block "x": :cpu: "NaN" is not a positive number of CPUs`},
		{src(":mem Inf"), `line 1: block "x": :mem: "Inf" is not a memory size`},
		{src(":timeout NaN"), `line 1: block "x": :timeout: "NaN" is not a duration`},
		{src(":instances 1000000"), `line 1: block "x": :instances: asks for 1000000 instances; a block may have at most 1000 (#+borges_max_instances)`},
		{strings.Repeat("#+begin_src sh\ntrue\n#+end_src\n", 10001),
			`line 30001: block "block-10001": the document has more than 10000 tasks (instances counted); a document may have at most 10000 (#+borges_max_tasks)`},
	}
	for _, c := range cases {
		w := do(t, h, "POST", "/org", c.doc)
		if w.Code != 400 || !strings.Contains(w.Body.String(), c.want) {
			t.Errorf("%.40q: %d %s\nwant 400 with %s", c.doc, w.Code, w.Body, c.want)
		}
	}
	if w := do(t, h, "GET", "/org", ""); w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("documents kept: %d %q", w.Code, w.Body)
	}
	if n := b.launches(); n != 0 {
		t.Errorf("%d launches", n)
	}
}

// TestBusy: beyond the tracked instances the server holds, POST is a 503
// with Retry-After, and nothing is kept.
func TestBusy(t *testing.T) {
	e, _ := newEngine(t, engine.Config{MaxTracked: 3})
	h := NewHandler(e, Options{})
	doc := "#+begin_src sh :instances 2\ntrue\n#+end_src\n"
	if w := do(t, h, "POST", "/org", doc); w.Code != 201 {
		t.Fatalf("first: %d %s", w.Code, w.Body)
	}
	for _, accept := range []string{"", "application/json"} {
		w := do(t, h, "POST", "/org", doc, "Accept", accept)
		if w.Code != 503 || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "busy") {
			t.Errorf("over the limit (Accept %q): %d %q %s", accept, w.Code, w.Header().Get("Retry-After"), w.Body)
		}
	}
	if n := len(e.Documents()); n != 1 {
		t.Fatalf("%d documents", n)
	}
}

// waitNothing checks, for a while, that no document appears and nothing
// is launched.
func waitNothing(t *testing.T, e *engine.Engine, b *nullBackend) {
	t.Helper()
	for i := 0; i < 20; i++ {
		if docs := e.Documents(); len(docs) != 0 || b.launches() != 0 {
			t.Fatalf("after a 503: %d documents, %d launches", len(docs), b.launches())
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TestSubmitPastItsDeadline: a submission whose planning outlasts the
// request's deadline is answered 503, and the document never appears.
func TestSubmitPastItsDeadline(t *testing.T) {
	release := make(chan struct{})
	e, b := newEngine(t, engine.Config{PlanHook: func(ctx context.Context) {
		<-ctx.Done() // planning that outlasts the request
		<-release    // and goes on after the 503
	}})
	h := NewHandler(e, Options{RequestTimeout: 50 * time.Millisecond})
	w := do(t, h, "POST", "/org", "#+begin_src sh\ntrue\n#+end_src\n")
	if w.Code != 503 || w.Header().Get("Retry-After") == "" {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	close(release)
	waitNothing(t, e, b)
}

// TestSlowBodyTimesOut: a document still arriving at the deadline is
// answered 503 and, sent whole later, never runs.
func TestSlowBodyTimesOut(t *testing.T) {
	e, b := newEngine(t, engine.Config{})
	srv := httptest.NewServer(NewHandler(e, Options{RequestTimeout: 100 * time.Millisecond}))
	t.Cleanup(srv.Close)
	pr, pw := io.Pipe()
	answered := make(chan struct{})
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		io.WriteString(pw, "#+begin_src sh\n")
		// The rest comes once the server has answered (or much later).
		select {
		case <-answered:
		case <-time.After(10 * time.Second):
		}
		io.WriteString(pw, "true\n#+end_src\n")
		pw.Close()
	}()
	resp, err := http.Post(srv.URL+"/org", "text/org", pr)
	close(answered)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 503 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	<-sent
	waitNothing(t, e, b)
}

// claimingService claims its requests at a chosen moment, as the engine
// does, and records what took effect.
type claimingService struct {
	fakeService
	early   bool // claim at once, then outlast the deadline; else the reverse
	mu      sync.Mutex
	applied []string
}

func (c *claimingService) act(ctx context.Context, what string) error {
	if !c.early {
		<-ctx.Done()
	}
	if err := engine.TakeEffect(ctx); err != nil {
		return err
	}
	c.mu.Lock()
	c.applied = append(c.applied, what)
	c.mu.Unlock()
	if c.early {
		<-ctx.Done()
		time.Sleep(20 * time.Millisecond)
	}
	return nil
}

func (c *claimingService) Submit(ctx context.Context, text string) (*engine.DocumentView, error) {
	if err := c.act(ctx, "submit"); err != nil {
		return nil, err
	}
	return view, nil
}
func (c *claimingService) KillDocument(ctx context.Context, id string) error {
	return c.act(ctx, "kill")
}
func (c *claimingService) KillBlock(ctx context.Context, id, block string) error {
	return c.act(ctx, "kill block")
}
func (c *claimingService) RemoveDocument(ctx context.Context, id string) error {
	return c.act(ctx, "remove")
}
func (c *claimingService) RestartBlock(ctx context.Context, id, block string) error {
	return c.act(ctx, "restart")
}

// TestDeadlineAndEffectAgree: at the deadline, a request that has not
// taken effect gets 503 and never takes effect; one that has gets its own
// answer, late.
func TestDeadlineAndEffectAgree(t *testing.T) {
	routes := []struct{ method, path, what string }{
		{"POST", "/org", "submit"},
		{"DELETE", "/org/doc1", "kill"},
		{"POST", "/org/doc1/blocks/a/kill", "kill block"},
		{"POST", "/org/doc1/blocks/a/restart", "restart"},
		{"POST", "/org/doc1/remove", "remove"},
		{"DELETE", "/org/doc1?purge=1", "remove"},
	}
	for _, early := range []bool{false, true} {
		for _, r := range routes {
			t.Run(fmt.Sprintf("early=%v %s %s", early, r.method, r.path), func(t *testing.T) {
				t.Parallel()
				// A claim made at once must come before the deadline
				// however the machine schedules it: a long deadline
				// (it is waited out) in parallel subtests.
				timeout := 300 * time.Millisecond
				if early {
					timeout = 5 * time.Second
				}
				svc := &claimingService{early: early}
				h := NewHandler(svc, Options{RequestTimeout: timeout})
				w := do(t, h, r.method, r.path, "x")
				svc.mu.Lock()
				applied := strings.Join(svc.applied, ",")
				svc.mu.Unlock()
				switch {
				case early && (w.Code/100 != 2 || applied != r.what):
					t.Errorf("claimed before its deadline: %d %q, applied %q", w.Code, w.Body, applied)
				case !early && (w.Code != 503 || applied != ""):
					t.Errorf("past its deadline: %d %q, applied %q", w.Code, w.Body, applied)
				}
			})
		}
	}
}

// nanService answers a document whose view JSON cannot hold.
type nanService struct{ fakeService }

func (*nanService) Document(id string) (*engine.DocumentView, error) {
	return &engine.DocumentView{ID: id, Blocks: []engine.BlockView{{Name: "x", Task: &plan.Task{Resources: plan.Resources{CPUs: math.NaN()}}}}}, nil
}

// TestJSONFailureIsVisible: an answer that cannot be encoded is a 500
// saying so, and logged, not an empty 200.
func TestJSONFailureIsVisible(t *testing.T) {
	var logs bytes.Buffer
	h := NewHandler(&nanService{}, Options{Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	w := do(t, h, "GET", "/org/doc1.json", "")
	if w.Code != 500 || !strings.Contains(w.Body.String(), "NaN") {
		t.Fatalf("%d %q", w.Code, w.Body)
	}
	if !strings.Contains(logs.String(), "encoding an answer as JSON") {
		t.Fatalf("not logged: %q", logs.String())
	}
}

func TestBusyAndLateStatus(t *testing.T) {
	for _, err := range []error{engine.ErrBusy, fmt.Errorf("x: %w", engine.ErrTooLate), context.DeadlineExceeded} {
		if got := status(err); got != 503 {
			t.Errorf("%v: %d", err, got)
		}
	}
}
