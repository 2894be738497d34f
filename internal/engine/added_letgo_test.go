package engine

import (
	"context"
	"sync/atomic"
	"testing"
)

// letGoUnpinned lets go every report c keeps that is not pinned, as the
// least recently used are let go once reports read since cost more than
// reportBudget.
func (c *reportLRU) letGoUnpinned() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for el := c.order.Back(); el != nil; {
		prev := el.Prev()
		if c.pins[el.Value.(*reportEntry).attempt] == 0 {
			c.remove(el)
		}
		el = prev
	}
}

// TestAddedBlocksReportLetGoAtEnd: the report of an Emacs Lisp block's
// buffer known, kept, as its attempt ends (read before it ended), and
// reports of other documents read meanwhile that let it go (reportBudget)
// after its end found it kept and before the blocks it added are added
// (endAdds): the report is kept for that end (pinned), and the block it
// added is added and launched, not lost.
func TestAddedBlocksReportLetGoAtEnd(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	v, err := e.Submit(context.Background(), addingDoc)
	if err != nil {
		t.Fatal(err)
	}
	editor := waitLaunches(t, rb.fakeBackend, 1)[0]
	rb.setReport(editor.ID, addingReport(t))
	// Known, kept, before it ends.
	if _, _, err := e.readReport(context.Background(), editor.ID); err != nil {
		t.Fatal(err)
	}
	var called atomic.Bool
	beforeEndAdds = func(e *Engine, attempt string) {
		if attempt == editor.ID {
			called.Store(true)
			e.parsedReports.letGoUnpinned()
		}
	}
	t.Cleanup(func() { beforeEndAdds = nil })
	finish(rb.fakeBackend, editor, Finished, 0)
	finishAll(t, e, rb, v.ID, 1)
	readsDrained(t, e)
	if !called.Load() {
		t.Fatal("editor's end did not find its report kept: the window tested was not reached")
	}
	if !launchedBlock(rb, "added") {
		t.Error("the block editor added was never launched: its report, let go before its end added it, lost it")
	}
	if got, want := blockStateList(t, e, v.ID), "editor:finished after:finished added:finished "; got != want {
		t.Errorf("the document's blocks: %q, want %q", got, want)
	}
}

// blockStateList is each block of document id, in its order, with its first
// instance's state ("name:state ").
func blockStateList(t *testing.T, e *Engine, id string) string {
	t.Helper()
	names := ""
	for _, b := range viewBlocks(t, e, id) {
		names += b.Name + ":" + string(b.Instances[0].State) + " "
	}
	return names
}
