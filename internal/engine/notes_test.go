package engine

import (
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// TestStopIn: the note of a stop at a block whose run needs the block
// whose failure stops the document says that it resolves a reference to
// it only where a chain of references leads there: not where the block
// takes its environment, nor where it comes after it in the order of
// the document's Emacs or of a session.
func TestStopIn(t *testing.T) {
	ds := &docState{byName: map[string]*blockState{}}
	block := func(name string, line int, t *plan.Task) *blockState {
		t.Block, t.Line = name, line
		b := &blockState{name: name, doc: ds, task: t}
		ds.byName[name] = b
		return b
	}
	f := block("f", 30, &plan.Task{})
	block("y", 40, &plan.Task{EnvironmentOf: "f"})
	byEnv := block("x", 10, &plan.Task{After: []string{"y"}})
	block("r", 50, &plan.Task{After: []string{"f"}})
	byRef := block("u", 1, &plan.Task{After: []string{"r"}})
	byOrder := block("o", 60, &plan.Task{After: []string{"f"}, BufferPrev: "f"})
	inSession := block("s", 70, (&plan.Task{Session: &plan.Session{Name: "s"}}).InSessionAfter("f"))
	for _, c := range []struct {
		in   *blockState
		want string
	}{
		{byRef, ", block u, resolving a reference to the block at line 30"},
		{byEnv, ", block x, whose run needs the block at line 30"},
		{byOrder, ", block o, whose run needs the block at line 30"},
		{inSession, ", block s, whose run needs the block at line 30"},
	} {
		if got := stopIn(c.in, f); got != c.want {
			t.Errorf("stopIn(%s) = %q, want %q", c.in.name, got, c.want)
		}
	}
}
