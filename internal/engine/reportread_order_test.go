package engine

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/session"
)

// gatedReads is a report backend that holds the reads of attempt held's
// output and of the report of its buffer, each until its own gate opens.
type gatedReads struct {
	*reportBackend
	mu     sync.Mutex
	held   string
	output chan struct{}
	report chan struct{}
	// entered has a value once each of the two reads has begun.
	entered chan string
}

func newGatedReads() *gatedReads {
	return &gatedReads{reportBackend: newReportBackend(), output: make(chan struct{}), report: make(chan struct{}), entered: make(chan string, 8)}
}

func (g *gatedReads) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	g.mu.Lock()
	held := g.held == id && offset == 0
	g.mu.Unlock()
	if held {
		gate, what := g.output, "output"
		if stream == session.BufferFile {
			gate, what = g.report, "report"
		}
		g.entered <- what
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-time.After(heldReadLimit):
		}
	}
	return g.reportBackend.ReadLog(ctx, id, stream, offset, max)
}

// orderDoc is an Emacs Lisp block whose results (raw) hold a block of no
// language, which stops Emacs, and whose buffer report adds a block
// before the block after it.
const orderDoc = "#+name: editor\n#+begin_src emacs-lisp\n(insert \"...\")\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var x=editor\necho $x\n#+end_src\n"

// orderReport is the report of orderDoc's buffer after its editor put
// addedText before the block after it.
func orderReport(t *testing.T) string {
	t.Helper()
	return addingReportOf(t, orderDoc)
}

// runOrdered runs orderDoc, the read of its editor's output let go before
// that of its report when outputFirst, after it otherwise, and returns
// what the document's blocks became and its results document.
func runOrdered(t *testing.T, outputFirst bool) (string, string) {
	g := newGatedReads()
	e, _ := startEngine(t, t.TempDir(), g, Config{})
	v, err := e.Submit(context.Background(), orderDoc)
	if err != nil {
		t.Fatal(err)
	}
	editor := waitLaunches(t, g.fakeBackend, 1)[0]
	g.setReport(editor.ID, orderReport(t))
	g.setOutput(editor.ID, "#+begin_src nolang\nx\n#+end_src\n")
	g.mu.Lock()
	g.held = editor.ID
	g.mu.Unlock()
	finish(g.fakeBackend, editor, Finished, 0)
	seen := map[string]bool{}
	for len(seen) < 2 {
		select {
		case w := <-g.entered:
			seen[w] = true
		case <-time.After(20 * time.Second):
			t.Fatalf("reads begun: %v, want the output's and the report's", seen)
		}
	}
	e.mu.Lock()
	in := e.docs[v.ID].byName["editor"].instances[0]
	pending := in.reportReading != "" && in.endReading != ""
	e.mu.Unlock()
	if !pending {
		t.Fatal("editor's output and report not both being read")
	}
	first, second := g.report, g.output
	if outputFirst {
		first, second = g.output, g.report
	}
	close(first)
	firstLanded(t, e, v.ID, outputFirst)
	close(second)
	finishAll(t, e, g.reportBackend, v.ID, 1)
	d := waitDocumentEnded(t, e, v.ID)
	var states []string
	for _, b := range d.Blocks {
		in := b.Instances[0]
		states = append(states, fmt.Sprintf("%s %s %d %q", b.Name, in.State, in.Attempts, in.Message))
	}
	out, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(states, "\n"), out
}

// TestBufferReportOrderOfReads: the read of an Emacs Lisp block's output
// (its value, which a block after it reads) and that of the report of
// its buffer (which adds a block) decide the same whichever ends first:
// the same blocks, states and results document.
func TestBufferReportOrderOfReads(t *testing.T) {
	s1, d1 := runOrdered(t, true)
	s2, d2 := runOrdered(t, false)
	if s1 != s2 || d1 != d2 {
		t.Errorf("output read first:\n%s\n%s\nreport read first:\n%s\n%s", s1, d1, s2, d2)
	}
}

// firstLanded waits, bounded, until what the read let go first decides
// of editor is applied: its output's (endReading cleared) when
// outputFirst, its report's (reportReading cleared) otherwise.
func firstLanded(t *testing.T, e *Engine, id string, outputFirst bool) {
	t.Helper()
	for range 4000 {
		e.mu.Lock()
		in := e.docs[id].byName["editor"].instances[0]
		landed := in.reportReading == ""
		if outputFirst {
			landed = in.endReading == ""
		}
		e.mu.Unlock()
		if landed {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the read let go first never applied")
}
