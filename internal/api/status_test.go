package api

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// TestDocumentStatusEndpoint: GET /org/ID/status is the document's state
// and its blocks and tasks counted by state, as its view says, without the
// blocks; 404 for an unknown document.
func TestDocumentStatusEndpoint(t *testing.T) {
	e, _ := newEngine(t, engine.Config{})
	h := NewHandler(e, Options{})
	v, err := e.Submit(context.Background(), "#+begin_src unknown-lang\nx\n#+end_src\n"+manyBlocks(3, ""))
	if err != nil {
		t.Fatal(err)
	}
	w := do(t, h, "GET", "/org/"+v.ID+"/status", "")
	if w.Code != 200 {
		t.Fatalf("GET status: %d %s", w.Code, w.Body.String())
	}
	var s engine.StatusView
	if err := json.Unmarshal(w.Body.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	blocks, tasks := 0, 0
	for _, n := range s.Blocks {
		blocks += n
	}
	for _, n := range s.Tasks {
		tasks += n
	}
	if s.ID != v.ID || s.Ended != (s.State != engine.Running) || blocks != 3 || tasks != 3 {
		t.Errorf("status %+v", s)
	}
	// Nothing ends on this backend: all three are live.
	if s.State != engine.Running || s.Blocks[engine.Queued]+s.Blocks[engine.Staged]+s.Blocks[engine.Running] != 3 {
		t.Errorf("status of a document just submitted: %+v", s)
	}
	if w := do(t, h, "GET", "/org/nosuch/status", ""); w.Code != 404 {
		t.Errorf("unknown document: %d", w.Code)
	}
}
