package mesos

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/cutsizes"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestKeptOutputReportsRealSize: the output kept of an ended task is
// bounded (maxKept a stream), but a stream cut so reports the size it had
// in the sandbox, also once the sandbox is gone, so that the engine says
// the result is truncated rather than showing the first 16 MiB as the
// whole; a stream within the bound reports its own size.
func TestKeptOutputReportsRealSize(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	t.Cleanup(m.Close)
	b := startBorges(t, m.URL(), t.TempDir())
	t.Cleanup(b.stop)
	over := strconv.Itoa(maxKept + 5)
	doc := "#+name: big\n#+begin_src sh\n" +
		"head -c " + over + " /dev/zero | tr '\\0' y\n" +
		"head -c " + over + " /dev/zero | tr '\\0' e >&2\n" +
		"printf abc > \"$MESOS_SANDBOX/value\"\n#+end_src\n\n" +
		"#+name: small\n#+begin_src sh\necho hi; echo oops >&2\n#+end_src\n"
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both ended", func() bool {
		return blockState(t, b.eng, v.ID, "big").State.Terminal() && blockState(t, b.eng, v.ID, "small").State.Terminal()
	})
	big, small := attemptOf(t, b.eng, v.ID, "big", 1), attemptOf(t, b.eng, v.ID, "small", 1)
	// The value file kept as for a block whose value Borges reads from it
	// (a sh block has none): one over the bound, written by the task.
	if err := os.WriteFile(m.Sandbox(big)+"/value", make([]byte, maxKept+7), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(b.backend.keptDir(big)); err != nil {
		t.Fatal(err)
	}
	if err := b.backend.keepOutput(context.Background(), &engine.Attempt{ID: big, Task: &plan.Task{ValueFile: true}}); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{big, small} {
		if err := os.RemoveAll(m.Sandbox(id)); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		id, stream string
		size       int64
		first      string
	}{
		{big, "stdout", maxKept + 5, "yyy"},
		{big, "stderr", maxKept + 5, "eee"},
		{big, "value", maxKept + 7, "\x00\x00\x00"},
		{small, "stdout", 3, "hi\n"},
		{small, "stderr", 5, "oop"},
	} {
		data, size, err := b.backend.ReadLog(context.Background(), c.id, c.stream, 0, 3)
		if err != nil || size != c.size || string(data) != c.first {
			t.Errorf("%s %s: read %q, size %d, error %v; want %q, size %d", c.id, c.stream, data, size, err, c.first, c.size)
		}
		// Read at the end of what was kept: nothing more, the size the same.
		data, size, err = b.backend.ReadLog(context.Background(), c.id, c.stream, maxKept, 10)
		if err != nil || size != c.size || len(data) != 0 {
			t.Errorf("%s %s past what was kept: read %d bytes, size %d, error %v; want none, size %d", c.id, c.stream, len(data), size, err, c.size)
		}
	}
}

// TestKeptBeforeSizesRead: output kept before the sizes were (the copies
// at the top of the directory, no record of sizes) still reads, each
// stream its copy's size; a :file named as the record is such a copy.
func TestKeptBeforeSizesRead(t *testing.T) {
	b, _ := New(Config{Master: "127.0.0.1:1", OutputDir: t.TempDir()})
	dir := b.keptDir("t")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"stdout": "out\n", cutsizes.File: "not a record"} {
		if err := os.WriteFile(dir+"/"+name, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct{ stream, want string }{{"stdout", "out\n"}, {"stderr", ""}, {cutsizes.File, "not a record"}} {
		data, size, err := b.ReadLog(context.Background(), "t", c.stream, 0, 100)
		if err != nil || string(data) != c.want || size != int64(len(c.want)) {
			t.Errorf("%s: read %q, size %d, error %v; want %q", c.stream, data, size, err, c.want)
		}
	}
}
