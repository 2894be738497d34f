package mesos

import (
	"context"
	"strings"
	"testing"
)

// TestSessionsOnMesos: the Mesos backend keeps no sessions (a task takes
// no input once launched): the blocks of a :session are tasks of their
// own, each with a note saying why, and none waits on another for it.
func TestSessionsOnMesos(t *testing.T) {
	b := startBorges(t, "127.0.0.1:1", t.TempDir())
	defer b.stop()
	v, err := b.eng.Submit(context.Background(), "#+name: a\n#+begin_src sh :session s\nx=1\n#+end_src\n\n#+name: b\n#+begin_src sh :session s\necho $x\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, blk := range v.Blocks {
		task := blk.Task
		if task == nil || task.Session != nil || len(task.After) != 0 {
			t.Fatalf("%s: %+v", blk.Name, task)
		}
		if len(task.Notes) != 1 || !strings.Contains(task.Notes[0], "Mesos backend runs each block as a task of its own") {
			t.Errorf("%s: notes %q", blk.Name, task.Notes)
		}
	}
}
