package store

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"
)

// TestAttemptTimedOut: whether a record's attempt was ended by its own
// :timeout is its TimedOut flag, set by this Borges at every launch and
// end, never its message's words: a failure whose message begins "timed
// out" (a program's error text) is no timeout when the flag says not.
// A record of an older Borges, with no flag, is read by its message,
// which every backend began with "timed out" for a timeout alone; the
// flag survives a round trip through JSON, false included.
func TestAttemptTimedOut(t *testing.T) {
	for _, c := range []struct {
		json string
		want bool
	}{
		{`{"doc":"d","block":"b","state":"failed","exit_code":143,"message":"timed out after 2s"}`, true},
		{`{"doc":"d","block":"b","state":"failed","exit_code":3,"message":"exit status 3"}`, false},
		{`{"doc":"d","block":"b","state":"failed","exit_code":4,"message":"timed out waiting for the lock","timed_out":false}`, false},
		{`{"doc":"d","block":"b","state":"failed","exit_code":143,"message":"timed out after 2s","timed_out":true}`, true},
		{`{"doc":"d","block":"b","state":"failed","exit_code":143,"message":"","timed_out":true}`, true},
	} {
		var in Instance
		if err := json.Unmarshal([]byte(c.json), &in); err != nil {
			t.Fatal(err)
		}
		if got := in.AttemptTimedOut(); got != c.want {
			t.Errorf("%s: timed out %v, want %v", c.json, got, c.want)
		}
		data, err := json.Marshal(&in)
		if err != nil {
			t.Fatal(err)
		}
		var again Instance
		if err := json.Unmarshal(data, &again); err != nil {
			t.Fatal(err)
		}
		if got := again.AttemptTimedOut(); got != c.want {
			t.Errorf("%s, stored again as %s: timed out %v, want %v", c.json, data, got, c.want)
		}
	}
}

// TestLegacyTimedOutKept: a record of an older Borges, which kept no
// timed-out flag, its attempt's timeout said by its message alone ("timed
// out after 2s"), is read from the store with the flag its message says,
// its last attempt before an intent too: the engine rewrites the message
// of an ended instance without a new attempt (blocked, could not start,
// an edit's why), and the attempt stays one its :timeout ended. A flag
// stored stays as it is.
func TestLegacyTimedOutKept(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	no := false
	code := 143
	ins := []*Instance{
		{DocID: "d", Block: "legacy", State: "failed", AttemptID: "d.1-legacy.0.1", ExitCode: &code, Message: "timed out after 2s",
			BeforeIntent: &LastAttempt{AttemptID: "d.1-legacy.0.1", ExitCode: &code, Message: "timed out after 2s"}},
		{DocID: "d", Block: "words", State: "failed", AttemptID: "d.1-words.0.1", ExitCode: &code, Message: "timed out waiting for the lock", TimedOut: &no,
			BeforeIntent: &LastAttempt{AttemptID: "d.1-words.0.1", ExitCode: &code, Message: "timed out waiting for the lock", TimedOut: &no}},
		{DocID: "d", Block: "failed", State: "failed", AttemptID: "d.1-failed.0.1", ExitCode: &code, Message: "exit status 143",
			BeforeIntent: &LastAttempt{AttemptID: "d.1-failed.0.1", ExitCode: &code, Message: "exit status 143"}},
	}
	want := map[string]bool{"legacy": true, "words": false, "failed": false}
	if err := s.AddDocument(&Document{ID: "d", Text: "doc", SubmittedAt: time.Now()}, ins); err != nil {
		t.Fatal(err)
	}
	check := func(how string, read []*Instance) {
		t.Helper()
		if len(read) != len(ins) {
			t.Fatalf("%s: %d records, want %d", how, len(read), len(ins))
		}
		for _, in := range read {
			in.Message = "blocked: block a failed" // as the engine's rewrites do
			if got := in.AttemptTimedOut(); got != want[in.Block] {
				t.Errorf("%s: %s, its message rewritten: timed out %v, want %v", how, in.Block, got, want[in.Block])
			}
			// The last attempt restored with the instance's message
			// rewritten.
			restored := Instance{Message: "its block is no longer in the buffer", TimedOut: in.BeforeIntent.TimedOut}
			if got := restored.AttemptTimedOut(); got != want[in.Block] {
				t.Errorf("%s: %s's last attempt before its intent, restored with another message: timed out %v, want %v", how, in.Block, got, want[in.Block])
			}
		}
	}
	_, loaded, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	check("Load", loaded)
	of, err := s.DocumentInstances("d")
	if err != nil {
		t.Fatal(err)
	}
	check("DocumentInstances", of)
	removed, err := s.RemoveDocument("d")
	if err != nil {
		t.Fatal(err)
	}
	check("RemoveDocument", removed)
}
