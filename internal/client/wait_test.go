package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// TestWaitPollsStatus: Wait asks the document's status (GET
// /org/ID/status) while it runs, and its full view once, when it has
// ended.
func TestWaitPollsStatus(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	polls := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		paths = append(paths, r.URL.Path)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/org/d1/status":
			polls++
			state := "running"
			if polls == 3 {
				state = "finished"
			}
			w.Write([]byte(`{"id":"d1","state":"` + state + `","ended":` + map[bool]string{true: "true", false: "false"}[state != "running"] + `,"blocks":{},"tasks":{}}`))
		case "/org/d1.json":
			w.Write([]byte(`{"id":"d1","state":"finished","blocks":[{"name":"a","runnable":true,"state":"finished"}]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	v, err := New(srv.URL, "").Wait(context.Background(), "d1", 0)
	if err != nil {
		t.Fatal(err)
	}
	if v.State != engine.Finished || len(v.Blocks) != 1 {
		t.Errorf("view %+v", v)
	}
	mu.Lock()
	defer mu.Unlock()
	if got := strings.Join(paths, " "); got != "/org/d1/status /org/d1/status /org/d1/status /org/d1.json" {
		t.Errorf("asked %s", got)
	}
}
