package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// TestStatusList: `borges status` lists the newest documents, a page of
// them, and says on standard error how many there are and how to see the
// others; --all lists every one, --state and -q filter, --offset pages.
func TestStatusList(t *testing.T) {
	var docs []engine.DocumentSummary
	for i := 149; i >= 0; i-- {
		st := engine.Finished
		if i%10 == 0 {
			st = engine.Failed
		}
		docs = append(docs, engine.DocumentSummary{ID: fmt.Sprintf("id%03d", i), Title: fmt.Sprintf("Report %d", i), State: st,
			SubmittedAt: t0, Tasks: map[engine.State]int{st: 1}})
	}
	addr := startScripted(t, &scripted{docs: docs})
	cases := []struct {
		args        []string
		lines       int
		first, last string
		note        string
	}{
		{nil, 100, "id149", "id050", "documents 1 to 100 of 150, newest first (--all lists every one"},
		{[]string{"--all"}, 150, "id149", "id000", ""},
		{[]string{"--limit", "500"}, 150, "id149", "id000", ""},
		{[]string{"--offset", "140"}, 10, "id009", "id000", "documents 141 to 150 of 150"},
		{[]string{"--state", "failed"}, 15, "id140", "id000", ""},
		{[]string{"-q", "report 12", "--limit", "5"}, 5, "id129", "id125", "documents 1 to 5 of 11"},
	}
	for _, c := range cases {
		code, out, errs := runCLI(append([]string{"status", "--addr", addr}, c.args...)...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", c.args, code, errs)
			continue
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != c.lines || !strings.HasPrefix(lines[0], c.first+" ") || !strings.HasPrefix(lines[len(lines)-1], c.last+" ") {
			t.Errorf("%v: %d lines from %q to %q, want %d from %s to %s", c.args, len(lines), lines[0], lines[len(lines)-1], c.lines, c.first, c.last)
		}
		if c.note == "" && errs != "" || !strings.Contains(errs, c.note) {
			t.Errorf("%v: stderr %q, want %q", c.args, errs, c.note)
		}
	}
	if code, _, errs := runCLI("status", "--addr", addr, "--limit", "-3"); code != 2 || !strings.Contains(errs, "usage: borges status") {
		t.Errorf("a negative limit: exit %d, %s", code, errs)
	}
}

// TestStatusBlocksPage: `borges status ID --offset N --limit N` shows that
// page of the document's blocks and says which of how many; without them,
// the whole document as before.
func TestStatusBlocksPage(t *testing.T) {
	var blocks []engine.BlockView
	for i := 0; i < 5; i++ {
		blocks = append(blocks, blk(fmt.Sprintf("b%d", i), engine.Finished, true, "", ""))
	}
	addr := startScripted(t, &scripted{views: []*engine.DocumentView{docView(engine.Finished, blocks...)}})
	code, out, errs := runCLI("status", "d1", "--addr", addr, "--offset", "1", "--limit", "2")
	if code != 0 || strings.Count(out, "\n") != 3 || !strings.Contains(out, "  b1 ") || !strings.Contains(out, "  b2 ") ||
		!strings.Contains(errs, "blocks 2 to 3 of 5") {
		t.Errorf("a page: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs = runCLI("status", "d1", "--addr", addr)
	if code != 0 || strings.Count(out, "\n") != 6 || errs != "" {
		t.Errorf("the whole document: exit %d\n%s%s", code, out, errs)
	}
}

// TestStatusAddedBlock: `borges status ID` says of a block an Emacs Lisp
// block added to the Org buffer which block added it, and where.
func TestStatusAddedBlock(t *testing.T) {
	v := &engine.DocumentView{ID: "d", State: engine.Running, Blocks: []engine.BlockView{
		{Name: "added", Lang: "sh", Line: 19, Runnable: true, AddedBy: "inserter",
			Instances: []engine.InstanceView{{State: engine.Running, Attempts: 1}}}}}
	var out strings.Builder
	writeDocument(&out, v)
	if !strings.Contains(out.String(), "added  sh  running  attempt 1 — added to the Org buffer by inserter (line 19 there)") {
		t.Errorf("status:\n%s", out.String())
	}
}

// TestStatusFoundBlock: `borges status ID` says of a block found in
// another block's results in whose results it was found, and where.
func TestStatusFoundBlock(t *testing.T) {
	v := &engine.DocumentView{ID: "d", State: engine.Running, Blocks: []engine.BlockView{
		{Name: "block-1-found-1", Lang: "emacs-lisp", Line: 12, Runnable: true, AddedBy: "block-1", Found: true,
			Instances: []engine.InstanceView{{State: engine.Running, Attempts: 1}}}}}
	var out strings.Builder
	writeDocument(&out, v)
	if !strings.Contains(out.String(), "block-1-found-1  emacs-lisp  running  attempt 1 — found in the results of block-1 (line 12 there)") {
		t.Errorf("status:\n%s", out.String())
	}
}
