package store

import (
	"encoding/json"
	"testing"
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
