package engine

import (
	"container/list"
	"sync"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// defaultReportBudget is what the engine keeps, at most, of the parsed
// reports of the Org buffer its Emacs Lisp tasks left (reportLRU): each
// is the whole buffer, up to MaxResultBytes, and its parse, one per
// attempt, so that keeping them all would grow with every document run.
const defaultReportBudget int64 = 256 << 20

// reportBudget is defaultReportBudget, set lower by tests.
var reportBudget = defaultReportBudget

// reportParseFactor counts the parse of a report (org.BufferReport's
// Document, made once) with its text: a report costs its bytes times it.
// Measured, the parse held 1.4 times the text of a buffer of long prose
// between blocks, 12.6 times that of one dense with short blocks.
const reportParseFactor = 16

// reportCost is what a report of n bytes, parsed, counts against
// reportBudget.
func reportCost(n int) int64 { return reportParseFactor * int64(n) }

// editsCostFactor counts the edits found from a report (plan.Edits: the
// buffer planned again, its parse counted with the report) against
// reportBudget: they cost the report's bytes times it. Measured
// (TestBufferEditsCost), they held 31 to 35 times the text of a buffer
// dense with short blocks, about 1.5 KiB a task.
const editsCostFactor = 48

// editsCost is what the edits found from a report of n bytes count
// against reportBudget, kept with it (keepEdits).
func editsCost(n int) int64 { return editsCostFactor * int64(n) }

// reportLRU keeps the parsed reports read last, by attempt, within
// reportBudget: the least recently used is let go first, one whose read
// is applied (pinned, reportReadOff) never. What an attempt's report
// holds (a report, none, unreadable) stays known without it (e.reports,
// e.unreported); a report let go is read again when its text is needed.
// Safe for concurrent use.
type reportLRU struct {
	mu        sync.Mutex
	order     list.List // of *reportEntry, the most recently used first
	byAttempt map[string]*list.Element
	pins      map[string]int
	bytes     int64
	most      int64 // the most bytes kept at once
}

type reportEntry struct {
	attempt string
	rep     *org.BufferReport
	cost    int64
	// edits are what rep says the buffer's edits did to the blocks of
	// the document of editsDS (editsOf), found once: let go with rep.
	edits   *plan.Edits
	editsDS *docState
}

// editsFor is what the report of attempt a kept says the buffer's edits
// did to the blocks of ds, nil when not found yet (or a let go); it
// counts as used.
func (c *reportLRU) editsFor(a string, ds *docState) *plan.Edits {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.byAttempt[a]
	if el == nil || el.Value.(*reportEntry).editsDS != ds {
		return nil
	}
	c.order.MoveToFront(el)
	return el.Value.(*reportEntry).edits
}

// keepEdits keeps ed, found from the report of attempt a for ds, with
// that report while it is kept, counted with it against reportBudget
// (editsCost): the least recently used reports, and their edits, are
// let go while over it.
func (c *reportLRU) keepEdits(a string, ds *docState, ed *plan.Edits) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.byAttempt[a]
	if el == nil {
		return
	}
	ent := el.Value.(*reportEntry)
	if ent.edits == nil {
		// Counted with the report (cost), let go with it.
		n := editsCost(len(ent.rep.Text))
		ent.cost += n
		c.bytes += n
	}
	ent.edits, ent.editsDS = ed, ds
	c.order.MoveToFront(el)
	c.evict()
	c.most = max(c.most, c.bytes)
}

// get is the report of attempt a kept, nil when none is (never read, or
// let go); it counts as used.
func (c *reportLRU) get(a string) *org.BufferReport {
	c.mu.Lock()
	defer c.mu.Unlock()
	el := c.byAttempt[a]
	if el == nil {
		return nil
	}
	c.order.MoveToFront(el)
	return el.Value.(*reportEntry).rep
}

// put keeps rep, the report of attempt a, and lets the least recently
// used go while over the budget.
func (c *reportLRU) put(a string, rep *org.BufferReport) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byAttempt == nil {
		c.byAttempt = make(map[string]*list.Element)
	}
	if el := c.byAttempt[a]; el != nil {
		c.remove(el)
	}
	ent := &reportEntry{attempt: a, rep: rep, cost: reportCost(len(rep.Text))}
	c.byAttempt[a] = c.order.PushFront(ent)
	c.bytes += ent.cost
	c.evict()
	c.most = max(c.most, c.bytes)
}

// drop lets the report of attempt a go (its document removed).
func (c *reportLRU) drop(a string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el := c.byAttempt[a]; el != nil {
		c.remove(el)
	}
}

// pin keeps the report of attempt a, once put, until unpin: what the
// read of it off the lock does is applied from it under the lock, which
// does not read it again.
func (c *reportLRU) pin(a string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pins == nil {
		c.pins = make(map[string]int)
	}
	c.pins[a]++
}

// unpin ends a pin, and lets go what is over the budget.
func (c *reportLRU) unpin(a string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pins[a]--; c.pins[a] <= 0 {
		delete(c.pins, a)
	}
	c.evict()
}

// costOf is the cost of the reports of jobs kept.
func (c *reportLRU) costOf(jobs []prereadJob) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var n int64
	for _, j := range jobs {
		if el := c.byAttempt[j.attempt]; el != nil {
			n += el.Value.(*reportEntry).cost
		}
	}
	return n
}

// kept is the cost of the reports kept.
func (c *reportLRU) kept() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bytes
}

// evict lets the least recently used reports not pinned go while over
// the budget. The caller holds c.mu.
func (c *reportLRU) evict() {
	for el := c.order.Back(); el != nil && c.bytes > reportBudget; {
		prev := el.Prev()
		if c.pins[el.Value.(*reportEntry).attempt] == 0 {
			c.remove(el)
		}
		el = prev
	}
}

// remove lets the report of el go. The caller holds c.mu.
func (c *reportLRU) remove(el *list.Element) {
	ent := c.order.Remove(el).(*reportEntry)
	delete(c.byAttempt, ent.attempt)
	c.bytes -= ent.cost
}

// supersedeReport lets go the parsed report of in's attempt as in
// launches another: nothing decided from now on reads it, unless a
// block after it was decided from it (docState.reported), which keeps
// it (the blocks it added are read from it again, store.Instance.
// AddedFrom, only by a server started again, which reads it before).
// Whether it left a report stays known; its text is read again should
// it be needed. The caller holds e.mu.
func (e *Engine) supersedeReport(in *instState) {
	old := in.rec.AttemptID
	if old == "" {
		return
	}
	for _, found := range in.block.doc.reported {
		if found == old {
			return
		}
	}
	e.parsedReports.drop(old)
}

// reportBytesKept is what e keeps of parsed reports, counted against
// reportBudget.
func (e *Engine) reportBytesKept() int64 {
	return e.parsedReports.kept()
}
