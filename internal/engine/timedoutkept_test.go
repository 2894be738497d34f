package engine

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// TestRewrittenMessageKeepsTimedOut: where the engine ends an instance
// again without a new attempt (endUnlaunched's "blocked", "could not
// start", an edit of the buffer that fails it, an added block's why), it
// changes its state and message alone: the attempt id, exit status and
// timed-out flag stay the last attempt's. Intended: an attempt its
// :timeout ended stays one, its status (143, its kill's) no program's,
// whatever the new message says, so no nil stop is made of it
// (exitedNonZero); one whose program exited non-zero stays that, the
// message no longer saying it. A record of an older Borges, which kept
// no flag, keeps what its message said.
func TestRewrittenMessageKeepsTimedOut(t *testing.T) {
	yes, no := true, false
	for _, why := range []string{
		"blocked: block a failed",
		"could not start: reading its inputs",
		"its block is no longer in the buffer",
	} {
		for _, c := range []struct {
			code     int
			timedOut *bool
			message  string // the last attempt's, before the rewrite
			want     bool
		}{
			{143, &yes, "timed out after 1s", false},
			{143, &yes, "its deadline passed", false},
			{3, &no, "exit status 3", true},
			{3, &no, "timed out waiting for the lock", true},
		} {
			code := c.code
			rec := &store.Instance{State: string(Failed), AttemptID: "d.1-a.0.1", ExitCode: &code, Message: c.message, TimedOut: c.timedOut}
			if got := exitedNonZero(rec); got != c.want {
				t.Fatalf("before %q: exited non-zero %v, want %v", why, got, c.want)
			}
			rec.Message = why // as the rewrites do
			if got := exitedNonZero(rec); got != c.want {
				t.Errorf("%q after %q (timed out %v): exited non-zero %v, want %v", why, c.message, rec.AttemptTimedOut(), got, c.want)
			}
		}
		// A record of an older Borges, with no flag, its timeout said
		// by its message alone, as the store reads it.
		for _, c := range []struct {
			code    int
			message string
			want    bool
		}{
			{143, "timed out after 1s", false},
			{3, "exit status 3", true},
		} {
			code := c.code
			rec := storedLegacy(t, &store.Instance{DocID: "d", Block: "a", State: string(Failed), AttemptID: "d.1-a.0.1", ExitCode: &code, Message: c.message})
			rec.Message = why
			if got := exitedNonZero(rec); got != c.want {
				t.Errorf("%q after %q, a record of an older Borges (timed out %v): exited non-zero %v, want %v", why, c.message, rec.AttemptTimedOut(), got, c.want)
			}
		}
	}
}

// storedLegacy is rec as a store gives it back once written, where rec
// has no timed-out flag, as a record of an older Borges has none.
func storedLegacy(t *testing.T, rec *store.Instance) *store.Instance {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.AddDocument(&store.Document{ID: rec.DocID, Text: "doc", SubmittedAt: time.Now()}, []*store.Instance{rec}); err != nil {
		t.Fatal(err)
	}
	read, err := st.DocumentInstances(rec.DocID)
	if err != nil || len(read) != 1 {
		t.Fatalf("reading %s back: %v, %d records", rec.Block, err, len(read))
	}
	return read[0]
}
