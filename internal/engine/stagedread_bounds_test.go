package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// TestStagedReadEndsOnRemoval: removing a document ends at once the read
// of a writer's file its reader waits for (readStaged under the
// document's docReads context), as it ends the reads of its blocks'
// outputs (TestRemoveStopsEndReads): the held read ends cancelled, not
// at its own deadline, and nothing of it is stored.
func TestStagedReadEndsOnRemoval(t *testing.T) {
	ended := make(chan error, 4)
	e, v, _, _ := heldWriterRead(t, ended)
	if err := e.RemoveDocument(context.Background(), v.ID); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("the held read ended with %v, not by the removal", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the held read never ended")
	}
	readsDrained(t, e)
	noneStoredAfterRemoval(t, e, v.ID)
}

// failingFileBackend fails every read of one attempt's output made for a
// writer's file (isStagedRead).
type failingFileBackend struct {
	*fakeBackend
	id string
}

func (f *failingFileBackend) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	f.mu.Lock()
	fail := id == f.id && isStagedRead(ctx)
	f.mu.Unlock()
	if fail {
		return nil, 0, errors.New("agent unreachable")
	}
	return f.fakeBackend.ReadLog(ctx, id, stream, offset, max)
}

const twoReadersDoc = `#+begin_src sh :results file :file out.txt
echo hello
#+end_src

#+begin_src sh :results output
cat out.txt
#+end_src

#+begin_src sh :results output
cat out.txt
#+end_src
`

// TestTwoReadersOfFailedStagedRead: both readers of one writer whose
// file could not be read fail with that read's error, the second not
// with a message of the engine's own state.
func TestTwoReadersOfFailedStagedRead(t *testing.T) {
	fb := &fakeBackend{capacity: plan.Resources{CPUs: 4, MemMB: 4096}, outputs: map[string]string{}, envs: map[string]string{}}
	f := &failingFileBackend{fakeBackend: fb}
	e, _ := startEngine(t, t.TempDir(), f, Config{})
	v, err := e.Submit(context.Background(), twoReadersDoc)
	if err != nil {
		t.Fatal(err)
	}
	writer := waitLaunchOf(t, fb, "block-1")
	f.mu.Lock()
	f.id = writer.ID
	f.mu.Unlock()
	fb.setOutput(writer.ID, "hello\n")
	go finish(fb, writer, Finished, 0)
	for _, name := range []string{"block-2", "block-3"} {
		in := waitInstance(t, e, v.ID, name, func(i InstanceView) bool { return i.State.Terminal() })
		if !strings.Contains(in.Message, "agent unreachable") {
			t.Errorf("%s: %s %q, not the read's error", name, in.State, in.Message)
		}
	}
}

// TestStagedTextDroppedOnceLaunched: once every reader of a writer's
// file has launched with it, the engine keeps its text no more (a reader
// run again reads it again); a file over MaxStagedFiles is kept without
// its text.
func TestStagedTextDroppedOnceLaunched(t *testing.T) {
	for _, c := range []struct {
		name, out string
		launches  bool
	}{
		{"placed", "hello\n", true},
		{"over", strings.Repeat("x", MaxStagedFiles+10), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			fb := &fakeBackend{capacity: plan.Resources{CPUs: 4, MemMB: 4096}, outputs: map[string]string{}, envs: map[string]string{}}
			e, _ := startEngine(t, t.TempDir(), fb, Config{})
			v, err := e.Submit(context.Background(), twoReadersDoc)
			if err != nil {
				t.Fatal(err)
			}
			writer := waitLaunchOf(t, fb, "block-1")
			fb.setOutput(writer.ID, c.out)
			go finish(fb, writer, Finished, 0)
			if c.launches {
				waitLaunchOf(t, fb, "block-2")
				waitLaunchOf(t, fb, "block-3")
			} else {
				waitInstance(t, e, v.ID, "block-2", func(i InstanceView) bool { return i.State.Terminal() })
				waitInstance(t, e, v.ID, "block-3", func(i InstanceView) bool { return i.State.Terminal() })
			}
			e.mu.Lock()
			defer e.mu.Unlock()
			if r := e.docs[v.ID].byName["block-1"].fileRead; r != nil && r.text != "" {
				t.Fatalf("the writer's file (%d bytes) is kept after its readers launched", len(r.text))
			}
		})
	}
}

// waitInstance is the first instance of block of document id once ok
// says so of it (bounded).
func waitInstance(t *testing.T, e *Engine, id, block string, ok func(InstanceView) bool) InstanceView {
	t.Helper()
	var last InstanceView
	for i := 0; i < 4000; i++ {
		v, _ := e.Document(id)
		for _, b := range v.Blocks {
			if b.Name == block && len(b.Instances) > 0 {
				if last = b.Instances[0]; ok(last) {
					return last
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("block %s never came to what was waited for: %+v", block, last)
	return last
}
