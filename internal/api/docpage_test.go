package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// manyBlocks is a document of n blocks, each with header.
func manyBlocks(n int, header string) string {
	var sb strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&sb, "#+begin_src sh%s\necho %d\n#+end_src\n", header, i)
	}
	return sb.String()
}

// TestDocumentPages: GET /org/ID.json?offset=N&limit=N holds the blocks
// of that page, how many there are, the document's whole state and its
// task counts; without a page, the view is as it always was, whole, for a
// document of at most engine.MaxViewBlocks blocks, and for a longer one
// its first engine.MaxViewBlocks blocks, saying how many there are.
func TestDocumentPages(t *testing.T) {
	e, _ := newEngine(t, engine.Config{Plan: plan.Options{MaxTasks: engine.MaxViewBlocks + 5}})
	h := NewHandler(e, Options{})
	small, err := e.Submit(context.Background(), manyBlocks(30, ""))
	if err != nil {
		t.Fatal(err)
	}
	view := func(path string) (*engine.DocumentView, map[string]any) {
		t.Helper()
		w := do(t, h, "GET", path, "")
		if w.Code != 200 {
			t.Fatalf("GET %s: %d %s", path, w.Code, w.Body.String())
		}
		var v engine.DocumentView
		var raw map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		json.Unmarshal(w.Body.Bytes(), &raw)
		return &v, raw
	}
	v, raw := view("/org/" + small.ID + ".json?offset=10&limit=5")
	if len(v.Blocks) != 5 || v.Blocks[0].Name != "block-11" || v.BlocksTotal != 30 || v.Offset != 10 ||
		v.Tasks[engine.Queued]+v.Tasks[engine.Staged] != 30 || v.State != engine.Running {
		t.Errorf("a page: %d blocks from %s, total %d, offset %d, tasks %v, %s", len(v.Blocks), v.Blocks[0].Name, v.BlocksTotal, v.Offset, v.Tasks, v.State)
	}
	if _, ok := raw["blocks_total"]; !ok {
		t.Error("a page does not say how many blocks there are")
	}
	v, _ = view("/org/" + small.ID + ".json?offset=28")
	if len(v.Blocks) != 2 || v.BlocksTotal != 30 {
		t.Errorf("the last page: %d blocks of %d", len(v.Blocks), v.BlocksTotal)
	}
	v, _ = view("/org/" + small.ID + ".json?offset=99&limit=5")
	if len(v.Blocks) != 0 || v.BlocksTotal != 30 {
		t.Errorf("past the end: %d blocks of %d", len(v.Blocks), v.BlocksTotal)
	}
	_, raw = view("/org/" + small.ID + ".json")
	if blocks := raw["blocks"].([]any); len(blocks) != 30 || raw["blocks_total"] != nil || raw["tasks"] != nil || raw["offset"] != nil {
		t.Errorf("the whole view: %d blocks, blocks_total %v, tasks %v", len(blocks), raw["blocks_total"], raw["tasks"])
	}
	for _, q := range []string{"?limit=-1", "?offset=x", "?limit=1e3"} {
		if w := do(t, h, "GET", "/org/"+small.ID+".json"+q, ""); w.Code != 400 {
			t.Errorf("%s: %d, want 400", q, w.Code)
		}
	}
	// Not run (:eval no), so that the test does not run them.
	big, err := e.Submit(context.Background(), manyBlocks(engine.MaxViewBlocks+5, " :eval no"))
	if err != nil {
		t.Fatal(err)
	}
	v, _ = view("/org/" + big.ID + ".json")
	if len(v.Blocks) != engine.MaxViewBlocks || v.BlocksTotal != engine.MaxViewBlocks+5 || v.Blocks[0].Name != "block-1" {
		t.Errorf("a longer document without a page: %d blocks of %d", len(v.Blocks), v.BlocksTotal)
	}
	v, _ = view("/org/" + big.ID + ".json?offset=2&limit=100000")
	if len(v.Blocks) != engine.MaxViewBlocks || v.Blocks[0].Name != "block-3" {
		t.Errorf("a page larger than a view holds: %d blocks", len(v.Blocks))
	}
	w := do(t, h, "GET", "/org/"+big.ID, "", "Accept", "application/json")
	if err := json.Unmarshal(w.Body.Bytes(), v); err != nil || len(v.Blocks) != engine.MaxViewBlocks || v.BlocksTotal != engine.MaxViewBlocks+5 {
		t.Errorf("GET /org/ID as JSON: %v, %d blocks of %d", err, len(v.Blocks), v.BlocksTotal)
	}
}

// TestDocumentPagesOfAService: a Service without pages of its own has its
// whole view cut to the page.
func TestDocumentPagesOfAService(t *testing.T) {
	h := NewHandler(&fakeService{}, Options{})
	w := do(t, h, "GET", "/org/doc1.json?offset=1&limit=2", "")
	var v engine.DocumentView
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil || len(v.Blocks) != 2 || v.Blocks[0].Name != "plot" || v.BlocksTotal != 4 || v.Offset != 1 {
		t.Errorf("%v: %d blocks from %+v, total %d", err, len(v.Blocks), v.Blocks, v.BlocksTotal)
	}
}
