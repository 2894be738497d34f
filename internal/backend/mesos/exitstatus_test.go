package mesos

import (
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestExitStatusAnchored: a failed task's exit status is read from its
// executor's own words alone, the whole message ("Command exited with
// status N", the Docker executor's "Container exited with status N"),
// never from text elsewhere in it: a message carrying a program's or an
// error's text (a session's "Emacs Lisp error: …", "Failed to launch:
// …") that holds those words gives no exit status, nor a number past
// what an exit status can be.
func TestExitStatusAnchored(t *testing.T) {
	for _, c := range []struct {
		msg  string
		code int
	}{
		{"Command exited with status 0", 0},
		{"Command exited with status 3", 3},
		{"Command exited with status 255", 255},
		{"Container exited with status 137", 137},
		{"Command exited with status 3\n", 3},
	} {
		_, code, _ := failure(failedStatus(c.msg), &engine.Attempt{Task: &plan.Task{}})
		if code == nil || *code != c.code {
			t.Errorf("%q: exit %v, want %d", c.msg, code, c.code)
		}
	}
	for _, msg := range []string{
		"Emacs Lisp error: Command exited with status 3",
		"its session's interpreter ended (exit status 1): the job exited with status 7",
		"Failed to launch: sh: exited with status 2",
		"the block's data: exited with status 9",
		"Command exited with status 3 and said: exited with status 4",
		"Command exited with status 3; user output: x",
		"Command exited with status 3x",
		"echo exited with status 42",
		"Commands exited with status 3",
		" exited with status 3",
		"Command exited with status -1",
		"Command exited with status 99999999999999999999999",
		"",
	} {
		if _, code, _ := failure(failedStatus(msg), &engine.Attempt{Task: &plan.Task{}}); code != nil {
			t.Errorf("%q: exit %d, want none", msg, *code)
		}
	}
}
