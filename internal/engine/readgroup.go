package engine

import (
	"sync"
	"sync/atomic"
)

// readGroup counts the reads under way off the engine's lock (of
// outputs at attempts' ends, of reports): wg for the writer to wait on
// once none may start (closeWrites, after readsClosed), n for whether
// any is under way now. Every read starts under e.mu (start), so that,
// e.mu held, n is 0 only while none is under way and none is starting;
// a read ends (done) with or without it.
//
// The WaitGroup is waited on only once no read may start: a Wait while
// the count may go up from 0 races with that Add (sync.WaitGroup's
// rule), so whoever else asks whether reads are under way (tests) looks
// at n under e.mu.
type readGroup struct {
	wg sync.WaitGroup
	n  atomic.Int64
}

// start counts a read begun. The caller holds e.mu.
func (g *readGroup) start() {
	g.n.Add(1)
	g.wg.Add(1)
}

// done counts a read ended.
func (g *readGroup) done() {
	g.n.Add(-1)
	g.wg.Done()
}

// wait waits for the reads under way to end. The caller has made sure,
// under e.mu, that none starts any more (readsClosed).
func (g *readGroup) wait() { g.wg.Wait() }

// underway is the number of reads under way. The caller holds e.mu for
// a count no read starting meanwhile makes stale.
func (g *readGroup) underway() int64 { return g.n.Load() }
