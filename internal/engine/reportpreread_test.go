package engine

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/session"
)

// gatedReports is a report backend whose reads of the reports of the Org
// buffer (session.BufferFile) can be held at a gate, counting how many
// are under way at once, and can fail the first reads of an attempt's.
type gatedReports struct {
	*reportBackend
	mu       sync.Mutex
	n        map[string]int
	failing  map[string]int // reads of an attempt's report that fail first
	gate     chan struct{}  // nil: not held
	only     string         // "": every attempt's reads held; else only its
	after    int            // reads of only's report let through before the gate
	entered  chan string
	inflight int
	most     int
}

func newGatedReports(from *reportBackend) *gatedReports {
	g := &gatedReports{reportBackend: newReportBackend(), n: map[string]int{}, failing: map[string]int{}, entered: make(chan string, 64)}
	if from != nil {
		g.reports, g.outputs = from.reports, from.outputs
	}
	return g
}

func (g *gatedReports) ReadLog(ctx context.Context, id, stream string, offset int64, limit int) ([]byte, int64, error) {
	if stream == session.BufferFile && offset == 0 {
		g.mu.Lock()
		g.n[id]++
		fail := g.n[id] <= g.failing[id]
		gate := g.gate
		if g.only != "" && (id != g.only || g.n[id] <= g.after) {
			gate = nil
		}
		if gate != nil {
			g.inflight++
			g.most = max(g.most, g.inflight)
		}
		g.mu.Unlock()
		if fail {
			return nil, 0, errors.New("the agent cannot be reached")
		}
		if gate != nil {
			g.entered <- id
			bound := time.NewTimer(heldReadLimit)
			defer bound.Stop()
			select {
			case <-gate:
			case <-ctx.Done():
			case <-bound.C:
			}
			g.mu.Lock()
			g.inflight--
			g.mu.Unlock()
			if ctx.Err() != nil {
				return nil, 0, ctx.Err()
			}
		}
	}
	return g.reportBackend.ReadLog(ctx, id, stream, offset, limit)
}

// hold has every read of a report wait until open, returned, is called
// (by the test's end at the latest).
func (g *gatedReports) hold(t *testing.T) (open func()) {
	gate := make(chan struct{})
	var once sync.Once
	open = func() { once.Do(func() { close(gate) }) }
	t.Cleanup(open)
	g.mu.Lock()
	g.gate = gate
	g.mu.Unlock()
	return open
}

// reads is how many times the report of attempt a was read.
func (g *gatedReports) readsOf(a string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n[a]
}

const threeEditorsDoc = "#+name: e1\n#+begin_src emacs-lisp :results silent\n(message \"1\")\n#+end_src\n\n" +
	"#+name: e2\n#+begin_src emacs-lisp :results silent\n(message \"2\")\n#+end_src\n\n" +
	"#+name: e3\n#+begin_src emacs-lisp :results silent\n(message \"3\")\n#+end_src\n"

// TestBufferReportPrereadsConcurrent: a document loaded again (here, a
// finished one first asked for on a server started again) has the
// reports of its Emacs' buffer read concurrently, within a bound
// (reportPrereads): a slow backend costs the longest read, not the sum.
// Two reads are under way at once while neither is let go.
func TestBufferReportPrereadsConcurrent(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	v, err := e.Submit(context.Background(), threeEditorsDoc)
	if err != nil {
		t.Fatal(err)
	}
	finishAll(t, e, rb, v.ID, 0)
	stop()
	g := newGatedReports(rb)
	open := g.hold(t)
	e2, _ := startEngine(t, dir, g, Config{endRead: &endReadRetry{timeout: 2 * time.Minute, tries: 3, first: time.Millisecond, max: time.Millisecond}})
	viewed := make(chan error, 1)
	go func() {
		_, err := e2.Document(v.ID)
		viewed <- err
	}()
	for i := range 2 {
		select {
		case <-g.entered:
		case <-time.After(time.Minute):
			open()
			t.Fatalf("%d read of the document's reports under way, the first held: read one after the other", i)
		}
	}
	g.mu.Lock()
	together := g.most
	g.mu.Unlock()
	open()
	if err := <-viewed; err != nil {
		t.Fatal(err)
	}
	if together < 2 {
		t.Error("the document's reports read one after the other: the second read began once the first, held, had given up")
	}
	g.mu.Lock()
	most := g.most
	g.mu.Unlock()
	if most > reportPrereads {
		t.Errorf("%d reads of reports under way at once, over the bound of %d", most, reportPrereads)
	}
}

// TestBufferReportPrereadRetried: a read of a report that fails, when a
// document is loaded again, is tried again before the attempt is taken
// as one that left no report: the block the report added is listed.
// The report is read by one job only (the added block's record names
// it too): a second job's read could succeed whatever the retry does.
func TestBufferReportPrereadRetried(t *testing.T) {
	dir := t.TempDir()
	v, editor, h := endedAdding(t, dir)
	g := newGatedReports(h.reportBackend)
	g.failing[editor.ID] = 1
	retry := &endReadRetry{timeout: time.Minute, tries: 8, first: time.Millisecond, max: time.Millisecond}
	e2, _ := startEngine(t, dir, g, Config{endRead: retry})
	d, err := e2.Document(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !addedListed(d) {
		t.Errorf("the block editor's report added not listed once its first read failed (read %d times)", g.readsOf(editor.ID))
	}
	if n := g.readsOf(editor.ID); n < 2 {
		t.Errorf("editor's report read %d times, not tried again once its first read failed", n)
	}
}
