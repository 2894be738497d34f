package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// pageServer serves h on loopback for a browser test. Its cleanup closes
// the browser's connections first: the page long-polls, and a server
// closing waits for the requests it serves.
func pageServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	return srv
}

// TestPageRoutes: a browser asking for a document, or for a part of the
// page, gets the page, under the page's policy and without a token (the
// page holds no data); curl, the CLI and Emacs keep getting Org text; the
// rendered document and the graph need the token and are sandboxed.
func TestPageRoutes(t *testing.T) {
	const token = "page-token-0123456789"
	h := NewHandler(&fakeService{log: "x\n", done: true}, Options{Token: token})
	bearer := []string{"Authorization", "Bearer " + token}
	cases := []struct {
		name, path string
		header     []string
		code       int
		page       bool   // the page, with its own policy
		contains   string // else: in the body
	}{
		{"page at /", "/", nil, 200, true, ""},
		{"list deep link", "/ui/", nil, 200, true, ""},
		{"document deep link", "/ui/doc1", nil, 200, true, ""},
		{"block deep link", "/ui/doc1/a", nil, 200, true, ""},
		{"document.html", "/org/doc1.html", nil, 200, true, ""},
		{"browser asking for a document", "/org/doc1", []string{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, 200, true, ""},
		{"browser asking for ID.org", "/org/doc1.org", append([]string{"Accept", "text/html,*/*;q=0.8"}, bearer...), 200, false, "#+RESULTS:"},
		{"browser asking for ID.json", "/org/doc1.json", append([]string{"Accept", "text/html,*/*;q=0.8"}, bearer...), 200, false, `"blocks"`},
		{"curl", "/org/doc1", append([]string{"Accept", "*/*"}, bearer...), 200, false, "#+RESULTS:"},
		{"curl without token", "/org/doc1", []string{"Accept", "*/*"}, 401, false, ""},
		{"CLI", "/org/doc1.org", append([]string{"Accept", "text/org"}, bearer...), 200, false, "#+RESULTS:"},
		{"rendered", "/org/doc1/html", bearer, 200, false, `<pre class="example">x`},
		{"rendered without token", "/org/doc1/html", nil, 401, false, ""},
		{"graph", "/org/doc1/graph.svg", bearer, 200, false, `<svg`},
		{"graph without token", "/org/doc1/graph.svg", nil, 401, false, ""},
		{"script", "/assets/app.js", nil, 200, false, "unauthorized"},
		{"style", "/assets/app.css", nil, 200, false, "#timeline"},
		{"no such asset", "/assets/index.html", nil, 404, false, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := do(t, h, "GET", c.path, "", c.header...)
			if w.Code != c.code {
				t.Fatalf("%d %q, want %d", w.Code, w.Body.String(), c.code)
			}
			csp := w.Header().Get("Content-Security-Policy")
			if c.page {
				if !strings.Contains(w.Body.String(), "<title>Borges</title>") || strings.Contains(csp, "sandbox") ||
					!strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") ||
					!strings.Contains(csp, "form-action 'none'") || !strings.Contains(csp, "connect-src 'self'") {
					t.Fatalf("not the page: CSP %q, body %.80q", csp, w.Body.String())
				}
				return
			}
			if !strings.Contains(csp, "sandbox") || w.Header().Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("not sandboxed: CSP %q", csp)
			}
			if !strings.Contains(w.Body.String(), c.contains) {
				t.Errorf("body %q lacks %q", w.Body.String(), c.contains)
			}
		})
	}
}

// TestListFilter: GET /org filters by state (the document's or a task's)
// and by text in the title or id, and pages; X-Total-Count is how many
// matched. Without parameters the answer is as before.
func TestListFilter(t *testing.T) {
	var docs []engine.DocumentSummary
	for i := range 120 {
		st := engine.Finished
		if i%3 == 0 {
			st = engine.Running
		}
		docs = append(docs, engine.DocumentSummary{ID: fmt.Sprintf("id%03d", i), Title: fmt.Sprintf("Report %d", i), State: st,
			Tasks: map[engine.State]int{st: 1}})
	}
	docs[5].Tasks[engine.Failed] = 1
	h := NewHandler(&fakeService{docs: docs}, Options{})
	cases := []struct {
		query       string
		code        int
		total       string
		first, last string
		n           int
	}{
		{"", 200, "", "id000", "id119", 120},
		{"?limit=10", 200, "120", "id000", "id009", 10},
		{"?offset=110&limit=50", 200, "120", "id110", "id119", 10},
		{"?offset=500", 200, "120", "", "", 0},
		{"?state=running", 200, "40", "id000", "id117", 40},
		{"?state=failed", 200, "1", "id005", "id005", 1},
		{"?q=report+11", 200, "11", "id011", "id119", 11},
		{"?q=ID10&state=finished&limit=3", 200, "7", "id100", "id103", 3},
		{"?limit=-1", 400, "", "", "", 0},
		{"?offset=x", 400, "", "", "", 0},
	}
	for _, c := range cases {
		w := do(t, h, "GET", "/org"+c.query, "", "Accept", "application/json")
		if w.Code != c.code {
			t.Errorf("%s: %d %s", c.query, w.Code, w.Body.String())
			continue
		}
		if c.code != 200 {
			continue
		}
		var got []engine.DocumentSummary
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		if total := w.Header().Get("X-Total-Count"); total != c.total {
			t.Errorf("%s: total %q, want %q", c.query, total, c.total)
		}
		if len(got) != c.n || (c.n > 0 && (got[0].ID != c.first || got[len(got)-1].ID != c.last)) {
			t.Errorf("%s: %d documents, want %d from %s to %s", c.query, len(got), c.n, c.first, c.last)
		}
	}
}

// switchingService's view changes when told, for the long poll.
type switchingService struct {
	*fakeService
	state chan engine.State
	cur   engine.State
}

func (s *switchingService) Document(id string) (*engine.DocumentView, error) {
	select {
	case st := <-s.state:
		s.cur = st
	default:
	}
	return &engine.DocumentView{ID: id, State: s.cur}, nil
}

// TestLongPoll: GET /org/ID.json?wait=ETAG answers when the view differs
// from that ETag, and with the same view after a while when it does not.
func TestLongPoll(t *testing.T) {
	svc := &switchingService{fakeService: &fakeService{}, state: make(chan engine.State, 1), cur: engine.Running}
	h := NewHandler(svc, Options{RequestTimeout: 2 * time.Second})
	first := do(t, h, "GET", "/org/d.json", "")
	tag := first.Header().Get("ETag")
	if first.Code != 200 || tag == "" {
		t.Fatalf("%d, ETag %q", first.Code, tag)
	}
	// Unchanged: the same view, after the wait (a second here).
	start := time.Now()
	same := do(t, h, "GET", "/org/d.json?wait="+tag, "")
	if same.Header().Get("ETag") != tag || time.Since(start) < 500*time.Millisecond {
		t.Fatalf("unchanged view: ETag %q after %v", same.Header().Get("ETag"), time.Since(start))
	}
	// Changed while waiting: the new view. The wait is long here, so that
	// the change comes during it however late its goroutine runs.
	patient := NewHandler(svc, Options{RequestTimeout: 2 * time.Minute})
	go func() { time.Sleep(100 * time.Millisecond); svc.state <- engine.Finished }()
	changed := do(t, patient, "GET", "/org/d.json?wait="+tag, "")
	if changed.Header().Get("ETag") == tag || !strings.Contains(changed.Body.String(), `"finished"`) {
		t.Fatalf("changed view: %s", changed.Body.String())
	}
}

// TestGraphSVG: a block stands right of the blocks it waits for, edges go
// from dependency to dependant, names are escaped, and each block links to
// its details.
func TestGraphSVG(t *testing.T) {
	v := &engine.DocumentView{ID: "d1", Blocks: []engine.BlockView{
		{Name: "gen", Lang: "sh", Runnable: true, State: engine.Finished, Task: &plan.Task{}},
		{Name: "b<x>", Lang: "sh", Runnable: true, State: engine.Running, Task: &plan.Task{After: []string{"gen"}}},
		{Name: "report", Lang: "python", Runnable: true, State: engine.Queued, Task: &plan.Task{After: []string{"b<x>", "gen"}}},
		{Name: "el", Lang: "elisp", Reason: "no interpreter"},
	}}
	nodes, layers := graphLayout(v)
	if len(layers) != 3 || nodes[0].layer != 0 || nodes[1].layer != 1 || nodes[2].layer != 2 || nodes[3].layer != 0 {
		t.Fatalf("layers: %d; gen %d, b %d, report %d, el %d", len(layers), nodes[0].layer, nodes[1].layer, nodes[2].layer, nodes[3].layer)
	}
	svg := graphSVG(v)
	for _, want := range []string{
		`data-from="gen" data-to="b&lt;x&gt;"`, `data-from="b&lt;x&gt;" data-to="report"`, `data-from="gen" data-to="report"`,
		`<a href="/ui/d1/b%3Cx%3E" class="node" data-block="b&lt;x&gt;" data-state="running">`,
		`fill="` + stateFill[engine.Running] + `"`, `stroke-dasharray`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("graph lacks %q:\n%s", want, svg)
		}
	}
	if strings.Contains(svg, "<x>") {
		t.Errorf("a name is not escaped:\n%s", svg)
	}
}

// TestListFilterEngine: the engine filters and pages the list itself, with
// the same answers.
func TestListFilterEngine(t *testing.T) {
	e, _ := newEngine(t, engine.Config{})
	for i := range 12 {
		if _, err := e.Submit(context.Background(), fmt.Sprintf("#+title: Report %d\n#+begin_src sh\ntrue\n#+end_src\n", i)); err != nil {
			t.Fatal(err)
		}
	}
	h := NewHandler(e, Options{})
	cases := []struct {
		query       string
		total       string
		first, last string
		n           int
	}{
		{"", "", "Report 11", "Report 0", 12},
		{"?limit=5&offset=5", "12", "Report 6", "Report 2", 5},
		{"?q=REPORT+1", "3", "Report 11", "Report 1", 3},
		{"?state=running&q=report+1&limit=1", "3", "Report 11", "Report 11", 1},
		{"?state=finished", "0", "", "", 0},
	}
	for _, c := range cases {
		w := do(t, h, "GET", "/org"+c.query, "", "Accept", "application/json")
		var got []engine.DocumentSummary
		if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 {
			t.Fatalf("%s: %d %v", c.query, w.Code, err)
		}
		if total := w.Header().Get("X-Total-Count"); total != c.total {
			t.Errorf("%s: total %q, want %q", c.query, total, c.total)
		}
		if len(got) != c.n || (c.n > 0 && (got[0].Title != c.first || got[len(got)-1].Title != c.last)) {
			t.Errorf("%s: %d documents, want %d from %s to %s", c.query, len(got), c.n, c.first, c.last)
		}
	}
}
