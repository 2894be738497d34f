package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// fakeService is a Service with canned answers.
type fakeService struct {
	mu      sync.Mutex
	log     string // grows while following
	done    bool
	killed  []string
	restart []string
	removed []string
	gone    bool                     // doc1 was removed elsewhere: 404 from now on
	files   map[string]string        // path → content; nil: out/plot.txt only
	docs    []engine.DocumentSummary // GET /org; nil: doc1 only
	doc     *engine.DocumentView     // doc1's view; nil: view
}

var view = &engine.DocumentView{ID: "doc1", Title: "t", State: engine.Running, Blocks: []engine.BlockView{
	{Name: "a", Lang: "sh", Runnable: true, State: engine.Running, Instances: []engine.InstanceView{{State: engine.Running, Attempts: 1}},
		Task: &plan.Task{Notes: []string{":session main: each block runs as its own process"}}},
	{Name: "plot", Lang: "sh", Runnable: true, State: engine.Finished, Instances: []engine.InstanceView{{State: engine.Finished, Attempts: 1}},
		Task: &plan.Task{File: "out/plot.txt", FileWritten: true}},
	{Name: "block-2", Lang: "elisp", Reason: "language \"elisp\" has no interpreter Borges runs"},
	{Name: "q", Lang: "sh", Runnable: true, State: engine.Queued, Task: &plan.Task{},
		Instances: []engine.InstanceView{{State: engine.Queued, Waiting: "waiting for a (running)"}}},
}, Notes: []string{"line 9: #+include: \"x.org\" was not expanded"}}

func (f *fakeService) Submit(ctx context.Context, text string) (*engine.DocumentView, error) {
	if strings.Contains(text, "bad") {
		return nil, &plan.RejectError{Problems: []plan.Problem{{Line: 3, Block: "a", Arg: ":cpu", Why: "bad"}}}
	}
	return view, nil
}
func (f *fakeService) Document(id string) (*engine.DocumentView, error) {
	f.mu.Lock()
	gone := f.gone
	f.mu.Unlock()
	if id != "doc1" || gone {
		return nil, fmt.Errorf("document %s: %w", id, engine.ErrNotFound)
	}
	if f.doc != nil {
		return f.doc, nil
	}
	return view, nil
}
func (f *fakeService) Documents() []engine.DocumentSummary {
	if f.docs != nil {
		return f.docs
	}
	return []engine.DocumentSummary{{ID: "doc1", Title: "t", State: engine.Running, Tasks: map[engine.State]int{engine.Running: 1}}}
}
func (f *fakeService) ResultDocument(ctx context.Context, id string) (string, error) {
	if _, err := f.Document(id); err != nil {
		return "", err
	}
	return "#+RESULTS:\n: x\n", nil
}
func (f *fakeService) KillDocument(ctx context.Context, id string) error {
	f.killed = append(f.killed, id)
	return nil
}
func (f *fakeService) RemoveDocument(ctx context.Context, id string) error {
	switch id {
	case "doc1":
		f.mu.Lock()
		f.removed = append(f.removed, id)
		f.mu.Unlock()
		return nil
	case "stuck":
		return fmt.Errorf("document stuck: 1 of its tasks did not stop within 20s; it was killed, not removed (try again): %w", engine.ErrConflict)
	}
	return fmt.Errorf("document %s: %w", id, engine.ErrNotFound)
}
func (f *fakeService) KillBlock(ctx context.Context, id, block string) error {
	f.killed = append(f.killed, id+"/"+block)
	return nil
}
func (f *fakeService) RestartBlock(ctx context.Context, id, block string) error {
	if block == "block-2" {
		return fmt.Errorf("not runnable: %w", engine.ErrConflict)
	}
	f.restart = append(f.restart, block)
	return nil
}
func (f *fakeService) ReadFile(ctx context.Context, id, path string) ([]byte, error) {
	if f.files != nil {
		if data, ok := f.files[path]; ok {
			return []byte(data), nil
		}
		return nil, fmt.Errorf("file %s: %w", path, engine.ErrNotFound)
	}
	if path != "out/plot.txt" {
		return nil, fmt.Errorf("file %s: %w", path, engine.ErrNotFound)
	}
	return []byte("a\tb\n"), nil
}

func (f *fakeService) ReadLog(ctx context.Context, id, block string, instance int, stream string, offset int64, max int) ([]byte, int64, bool, error) {
	if block != "a" {
		return nil, 0, false, fmt.Errorf("block %s: %w", block, engine.ErrNotFound)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	data := f.log[min(int(offset), len(f.log)):]
	next := offset + int64(len(data))
	return []byte(data), next, f.done && next >= int64(len(f.log)), nil
}

func do(t *testing.T, h http.Handler, method, path, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Host = "127.0.0.1:8888" // as curl on loopback sends it
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestRoutes(t *testing.T) {
	f := &fakeService{log: "hello\n", done: true}
	h := NewHandler(f, Options{})
	cases := []struct {
		method, path, body string
		header             []string
		code               int
		contains           string
	}{
		{"POST", "/org", "#+begin_src sh\n#+end_src\n", nil, 201, "doc1\n  note: line 9: #+include: \"x.org\" was not expanded\n  a        sh     running\n                  note: :session main: each block runs as its own process\n  plot     sh     finished\n  block-2  elisp  not runnable: language \"elisp\" has no interpreter Borges runs\n  q        sh     queued\n"},
		{"POST", "/org", "x", []string{"Accept", "application/json"}, 201, `"id": "doc1"`},
		{"POST", "/org", "bad", nil, 400, `line 3: block "a": :cpu: bad`},
		{"POST", "/org", "bad", []string{"Accept", "application/json"}, 400, `"problems"`},
		{"POST", "/org", "#+begin_src sh echo#+end_src", []string{"Content-Type", "application/x-www-form-urlencoded"}, 400, "--data-binary"},
		{"GET", "/org", "", nil, 200, "doc1  running"},
		{"GET", "/org", "", []string{"Accept", "application/json"}, 200, `"tasks"`},
		{"GET", "/org/doc1", "", nil, 200, "#+RESULTS:\n: x\n"},
		{"GET", "/org/doc1.org", "", nil, 200, "#+RESULTS:"},
		{"GET", "/org/doc1.json", "", nil, 200, `"blocks"`},
		{"GET", "/org/nope", "", nil, 404, "not found"},
		{"GET", "/org/nope.json", "", []string{"Accept", "application/json"}, 404, `"error"`},
		{"DELETE", "/org/doc1", "", nil, 200, "killed"},
		{"DELETE", "/org/doc1?purge=0", "", nil, 200, "killed"},
		{"DELETE", "/org/doc1?purge=1", "", nil, 200, "removed"},
		{"DELETE", "/org/doc1?purge=true", "", []string{"Accept", "application/json"}, 200, `"status": "removed"`},
		{"DELETE", "/org/doc1?purge=yes", "", nil, 400, "purge must be 1 or 0"},
		{"DELETE", "/org/nope?purge=1", "", nil, 404, "not found"},
		{"DELETE", "/org/stuck?purge=1", "", nil, 409, "did not stop"},
		{"POST", "/org/doc1/remove", "", nil, 200, "removed"},
		{"POST", "/org/nope/remove", "", nil, 404, "not found"},
		{"POST", "/org/stuck/remove", "", nil, 409, "killed, not removed"},
		{"GET", "/org/doc1/remove", "", nil, 405, ""},
		{"POST", "/org/doc1/blocks/a/kill", "", nil, 200, "killed"},
		{"POST", "/org/doc1/blocks/a/restart", "", nil, 200, "restarting"},
		{"POST", "/org/doc1/blocks/block-2/restart", "", nil, 409, "not runnable"},
		{"GET", "/org/doc1/blocks/a/log", "", nil, 200, "hello\n"},
		{"GET", "/org/doc1/blocks/a/log?stream=stdin", "", nil, 400, "stream must be"},
		{"GET", "/org/doc1/blocks/zz/log", "", nil, 404, ""},
		{"GET", "/org/doc1/files/out/plot.txt", "", nil, 200, "a\tb\n"},
		{"GET", "/org/doc1/files/plot.txt", "", nil, 404, "not found"},
		{"GET", "/healthz", "", nil, 200, "ok"},
		{"GET", "/metrics", "", nil, 200, ""},
		{"GET", "/", "", nil, 200, "<title>Borges</title>"},
	}
	for _, c := range cases {
		w := do(t, h, c.method, c.path, c.body, c.header...)
		if w.Code != c.code || !strings.Contains(w.Body.String(), c.contains) {
			t.Errorf("%s %s: %d %q, want %d containing %q", c.method, c.path, w.Code, w.Body.String(), c.code, c.contains)
		}
	}
	if strings.Join(f.removed, ",") != "doc1,doc1,doc1" {
		t.Errorf("removed %v", f.removed)
	}
	if strings.Join(f.killed, ",") != "doc1,doc1,doc1/a" || strings.Join(f.restart, ",") != "a" {
		t.Fatalf("killed %v restarted %v", f.killed, f.restart)
	}
}

func TestBodyLimit(t *testing.T) {
	h := NewHandler(&fakeService{}, Options{MaxBody: 100})
	if w := do(t, h, "POST", "/org", strings.Repeat("x", 101)); w.Code != 413 {
		t.Fatalf("code %d", w.Code)
	}
	if w := do(t, h, "POST", "/org", strings.Repeat("x", 100)); w.Code != 201 {
		t.Fatalf("code %d", w.Code)
	}
}

func TestAuth(t *testing.T) {
	h := NewHandler(&fakeService{}, Options{Token: "s3cret-token-0123456789"})
	for _, path := range []string{"/org", "/org/doc1", "/metrics", "/org/doc1/blocks/a/log"} {
		if w := do(t, h, "GET", path, ""); w.Code != 401 || w.Header().Get("WWW-Authenticate") == "" {
			t.Errorf("%s without token: %d", path, w.Code)
		}
		if w := do(t, h, "GET", path, "", "Authorization", "Bearer wrong"); w.Code != 401 {
			t.Errorf("%s with a wrong token: %d", path, w.Code)
		}
	}
	if w := do(t, h, "GET", "/org", "", "Authorization", "Bearer s3cret-token-0123456789"); w.Code != 200 {
		t.Errorf("with token: %d", w.Code)
	}
	if w := do(t, h, "GET", "/healthz", ""); w.Code != 200 {
		t.Errorf("healthz needs no token: %d", w.Code)
	}
}

func TestFollow(t *testing.T) {
	f := &fakeService{log: "one\n"}
	srv := httptest.NewServer(NewHandler(f, Options{}))
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/org/doc1/blocks/a/log?follow=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	buf := make([]byte, 4)
	if _, err := io.ReadFull(resp.Body, buf); err != nil || string(buf) != "one\n" {
		t.Fatalf("first chunk %q %v", buf, err)
	}
	f.mu.Lock()
	f.log += "two\n"
	f.done = true
	f.mu.Unlock()
	rest, err := io.ReadAll(resp.Body)
	if err != nil || string(rest) != "two\n" {
		t.Fatalf("rest %q %v", rest, err)
	}
}

func TestStatusMapping(t *testing.T) {
	cases := map[error]int{
		&plan.RejectError{}:                              400,
		fmt.Errorf("x: %w", engine.ErrNotFound):          404,
		fmt.Errorf("x: %w", engine.ErrConflict):          409,
		&http.MaxBytesError{Limit: 1}:                    413,
		errUnauthorized:                                  401,
		errors.New("disk on fire"):                       500,
		fmt.Errorf("%w: offset", errBadRequest):          400,
		fmt.Errorf("x: %w", engine.ErrReportUnread):      503,
		fmt.Errorf("x: %w", engine.ErrReportLost):        500, // lasting: not one to try again
		fmt.Errorf("x: %w", org.ErrFoundMarkNotFound):    422, // the document, not the server: lasting
		fmt.Errorf("x: %w", org.ErrFoundInChangedBuffer): 422,
		fmt.Errorf("x: %w", org.ErrFoundNotPlaced):       422,
	}
	for err, want := range cases {
		if got := status(err); got != want {
			t.Errorf("%v: %d, want %d", err, got, want)
		}
	}
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{"127.0.0.1:8888": true, "localhost:1": true, "[::1]:80": true, "0.0.0.0:8888": false, "192.168.0.7:8888": false, ":8888": false} {
		if IsLoopback(addr) != want {
			t.Errorf("%s: want %v", addr, want)
		}
	}
}
