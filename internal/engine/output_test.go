package engine

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// hugeBackend is a fakeBackend whose attempts' stdout is as large as the
// test says, made up on read ("y\n" repeated) and never held whole; it
// counts what it was asked to read.
type hugeBackend struct {
	*fakeBackend
	size int64
	mu   sync.Mutex
	read int64
}

func (h *hugeBackend) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	if offset >= h.size || max <= 0 {
		return nil, h.size, nil
	}
	n := min(int64(max), h.size-offset)
	h.mu.Lock()
	h.read += n
	h.mu.Unlock()
	buf := make([]byte, n)
	for i := range buf {
		if (offset+int64(i))%2 == 0 {
			buf[i] = 'y'
		} else {
			buf[i] = '\n'
		}
	}
	return buf, h.size, nil
}

func newCappedEngine(t *testing.T, b Backend, maxResult int) *Engine {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	e := New(Config{Backend: b, Store: st, MaxResultBytes: maxResult})
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() { cancel(); st.Close() })
	if err := e.Start(ctx); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestResultsOfABigOutput(t *testing.T) {
	cases := []struct {
		name string
		size int64
		// finished: the block has ended; else it is still running
		finished bool
		// output: the block's results are its output (:results output)
		output bool
		want   []string // in the results document
		not    []string
	}{
		{name: "under the cap", size: 8, finished: true,
			want: []string{"#+RESULTS: y\n| y |\n| y |\n| y |\n| y |\n"}, not: []string{"borges:"}},
		{name: "at the cap", size: 40, finished: true,
			want: []string{"#+RESULTS: y\n| y |\n"}, not: []string{"borges:"}},
		// Over it: the part kept, verbatim, under a note saying so.
		{name: "over the cap", size: 2 << 30, finished: true,
			want: []string{"#+RESULTS: y\n#+begin_example\nborges: output truncated: the first 40 B of 2 GiB are shown (#+borges_max_result:)\ny\ny\n", "y\n#+end_example\n"},
			not:  []string{"| y |"}},
		{name: "running over the cap", size: 2 << 30,
			want: []string{"#+begin_example\nborges: running", "; the first 40 B of 2 GiB of its output are shown\ny\n"}},
		// A string: read once, for the results only (never for whether
		// they stop Emacs: plan.ResultMayStop).
		{name: "output at the cap", size: 40, finished: true, output: true,
			want: []string{"#+RESULTS: y\n#+begin_example\ny\ny\n"}, not: []string{"borges:"}},
		{name: "output over the cap", size: 2 << 30, finished: true, output: true,
			want: []string{"#+RESULTS: y\n#+begin_example\nborges: output truncated: the first 40 B of 2 GiB are shown (#+borges_max_result:)\ny\n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hb := &hugeBackend{fakeBackend: &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}}, size: c.size}
			e := newCappedEngine(t, hb, 40)
			header := "#+begin_src sh"
			if c.output {
				header += " :results output"
			}
			v, err := e.Submit(context.Background(), "#+name: y\n"+header+"\nyes\n#+end_src\n")
			if err != nil {
				t.Fatal(err)
			}
			l := waitLaunches(t, hb.fakeBackend, 1)
			if c.finished {
				finish(hb.fakeBackend, l[0], Finished, 0)
				waitState(t, e, v.ID, "y", Finished)
			} else {
				hb.sink(Update{AttemptID: l[0].ID, State: Running})
				waitState(t, e, v.ID, "y", Running)
			}
			res, err := e.ResultDocument(context.Background(), v.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(res, w) {
					t.Errorf("no %q in\n%s", w, res)
				}
			}
			for _, n := range c.not {
				if strings.Contains(res, n) {
					t.Errorf("%q in\n%s", n, res)
				}
			}
			// What is read of the output is bounded by the cap, whatever
			// its size: read for the results, and, for results that may
			// be a table, once more when it ended, for whether they stop
			// Emacs (plan.ResultStop).
			reads := int64(2)
			if c.output || !c.finished {
				reads = 1
			}
			if hb.read > reads*40 {
				t.Errorf("read %d bytes of the output", hb.read)
			}
		})
	}
}
