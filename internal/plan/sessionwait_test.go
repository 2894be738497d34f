package plan

import "testing"

// TestSessionWaitFor: a block of a session run for a reader's reference
// waits, there, for the block of its session before the reader, not for
// those between the two when each waits for the reader (Emacs sends it
// to the session first); one between that does not wait for the reader
// keeps the session's order.
func TestSessionWaitFor(t *testing.T) {
	s := &Session{Name: "s", Key: "s"}
	tasks := map[string]*Task{}
	add := func(name string, line int, prev string, after ...string) *Task {
		if prev != "" {
			after = append(after, prev)
		}
		x := &Task{Block: name, Line: line, Session: s, After: after, sessionPrev: prev}
		tasks[name] = x
		return x
	}
	find := func(name string) *Task { return tasks[name] }
	reader := &Task{Block: "reader", Line: 10}
	tasks["reader"] = reader
	add("before", 5, "")
	add("first", 20, "before", "reader")
	add("second", 25, "first")
	data := add("data", 30, "second")
	if p, ok := data.SessionWaitFor(reader, find); !ok || p != "before" {
		t.Errorf("SessionWaitFor = %q, %v; want before, true", p, ok)
	}
	add("apart", 27, "before")
	other := add("other", 30, "apart")
	if p, ok := other.SessionWaitFor(reader, find); ok {
		t.Errorf("a block between not waiting for the reader: SessionWaitFor = %q, true; want false", p)
	}
	if p, ok := tasks["before"].SessionWaitFor(reader, find); ok {
		t.Errorf("the session's first: SessionWaitFor = %q, true; want false", p)
	}
}
