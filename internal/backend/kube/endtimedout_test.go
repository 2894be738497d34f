package kube

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// TestKeptEndTimedOut: an attempt's end kept for a restarted Borges says
// whether its :timeout ended it by its flag (engine.Update.TimedOut),
// not by its message's words: a failure whose message begins "timed
// out" is no timeout unless flagged. The end kept by an older Borges,
// with no flag, is read by its message, which began "timed out" for a
// timeout alone.
func TestKeptEndTimedOut(t *testing.T) {
	b := &Backend{cfg: Config{OutputDir: t.TempDir()}}
	code := 4
	for _, u := range []engine.Update{
		{AttemptID: "a1", State: engine.Failed, ExitCode: &code, Message: "timed out after 2s", TimedOut: true},
		{AttemptID: "a2", State: engine.Failed, ExitCode: &code, Message: "timed out waiting for the lock"},
		{AttemptID: "a3", State: engine.Failed, ExitCode: &code, Message: "exit status 4"},
	} {
		b.writeEnd(u.AttemptID, u)
		kept, ok := b.readEnd(u.AttemptID)
		if !ok || kept.TimedOut != u.TimedOut || kept.Message != u.Message {
			t.Errorf("%s: kept %+v (%v), want timed out %v", u.AttemptID, kept, ok, u.TimedOut)
		}
	}
	for id, c := range map[string]struct {
		json string
		want bool
	}{
		"old1": {`{"state":"failed","exit_code":143,"message":"timed out after 2s","time":"2026-01-02T03:04:05Z"}`, true},
		"old2": {`{"state":"failed","exit_code":3,"message":"exit status 3","time":"2026-01-02T03:04:05Z"}`, false},
	} {
		dir := filepath.Join(b.cfg.OutputDir, id)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "end.json"), []byte(c.json), 0o600); err != nil {
			t.Fatal(err)
		}
		if kept, ok := b.readEnd(id); !ok || kept.TimedOut != c.want {
			t.Errorf("%s: kept %+v (%v), want timed out %v", id, kept, ok, c.want)
		}
	}
}
