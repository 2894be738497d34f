package engine

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// heldFileBackend is a fakeBackend whose reads of one attempt's output
// made for the writer's file (readStaged: isStagedRead, not the read made
// as the writer ends) wait until released, saying when the first began
// and, on ended, why a held read ended before it was released (its
// context's error).
type heldFileBackend struct {
	*fakeBackend
	id      string
	entered chan struct{}
	gate    chan struct{}
	once    sync.Once
	ended   chan error
}

func (h *heldFileBackend) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	h.mu.Lock()
	held := id == h.id && isStagedRead(ctx)
	h.mu.Unlock()
	if held {
		h.once.Do(func() { close(h.entered) })
		select {
		case <-h.gate:
		case <-ctx.Done():
			if h.ended != nil {
				h.ended <- ctx.Err()
			}
			return nil, 0, ctx.Err()
		}
	}
	return h.fakeBackend.ReadLog(ctx, id, stream, offset, max)
}

// heldWriterRead submits stagedDoc with a backend that holds the read of
// the writer's file (heldFileBackend, ended: where it says why a held
// read ended), finishes the writer, and returns once that read is held;
// release lets it go (also at cleanup).
func heldWriterRead(t *testing.T, ended chan error) (e *Engine, v *DocumentView, fb *fakeBackend, release func()) {
	t.Helper()
	fb = &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}, envs: map[string]string{}}
	h := &heldFileBackend{fakeBackend: fb, entered: make(chan struct{}), gate: make(chan struct{}), ended: ended}
	var released sync.Once
	release = func() { released.Do(func() { close(h.gate) }) }
	t.Cleanup(release)
	e, _ = startEngine(t, t.TempDir(), h, Config{})
	v, err := e.Submit(context.Background(), stagedDoc)
	if err != nil {
		t.Fatal(err)
	}
	writer := launchedWriter(t, fb)
	h.mu.Lock()
	h.id = writer.ID
	h.mu.Unlock()
	fb.setOutput(writer.ID, "hello\n")
	go finish(fb, writer, Finished, 0)
	select {
	case <-h.entered:
	case <-time.After(time.Minute):
		t.Fatal("the writer's file was never read")
	}
	return e, v, fb, release
}

// TestStagedFileReadOffLock: the writer's file a reader takes is read
// off the engine's lock: while that read is held, a view of the
// document is answered, saying the reader waits for it; once let go, the
// reader launches with the file.
func TestStagedFileReadOffLock(t *testing.T) {
	e, v, fb, release := heldWriterRead(t, nil)
	answered := make(chan string, 1)
	go func() {
		d, err := e.Document(v.ID)
		if err != nil {
			answered <- err.Error()
			return
		}
		for _, b := range d.Blocks {
			if b.Name == "block-2" && len(b.Instances) > 0 {
				answered <- b.Instances[0].Waiting
				return
			}
		}
		answered <- "no block-2"
	}()
	select {
	case why := <-answered:
		if !strings.Contains(why, "block-1") {
			t.Errorf("the reader waits for %q, not the read of block-1's file", why)
		}
	case <-time.After(time.Minute):
		release()
		t.Fatal("a view waited for the read of a writer's file, made under the engine's lock")
	}
	release()
	r := waitLaunchOf(t, fb, "block-2")
	if len(r.Files) != 1 || string(r.Files[0].Data) != "hello\n" {
		t.Fatalf("reader's files %+v", r.Files)
	}
}
