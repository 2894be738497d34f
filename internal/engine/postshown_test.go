package engine

import (
	"context"
	"strings"
	"testing"
)

// TestPostTasksShownByTheirBlock: the view shows a task of a :post chain
// by the block whose :post it runs and the chain as written, at that
// block's line, keeping the task's name for logs, kills and restarts.
func TestPostTasksShownByTheirBlock(t *testing.T) {
	e, _, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	doc := "#+name: main\n#+begin_src sh :post f(s=*this*)\necho a\n#+end_src\n\n" +
		"#+name: f\n#+begin_src sh :var s=\"\" :post g(s=*this*)\necho \"$s\"\n#+end_src\n\n" +
		"#+name: g\n#+begin_src sh :var s=\"\"\necho \"$s\"\n#+end_src\n"
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		shown string
		line  int
	}{
		"main":                   {"", 1},
		"main :post f(s=*this*)": {"main (:post f(s=*this*))", 1},
		"main :post f(s=*this*) :post g(s=*this*)": {"main (:post f(s=*this*) :post g(s=*this*))", 1},
		"f":                   {"", 6},
		"f :post g(s=*this*)": {"f (:post g(s=*this*))", 6},
		"g":                   {"", 11},
	}
	seen := 0
	for _, b := range v.Blocks {
		w, ok := want[b.Name]
		if !ok {
			t.Errorf("block %q in the view", b.Name)
			continue
		}
		seen++
		if b.Shown != w.shown || b.Line != w.line {
			t.Errorf("%q: shown %q at line %d, want %q at line %d", b.Name, b.Shown, b.Line, w.shown, w.line)
		}
		if name := b.ShownName(); w.shown == "" && name != b.Name || w.shown != "" && name != w.shown {
			t.Errorf("%q: ShownName %q", b.Name, name)
		}
	}
	if seen != len(want) {
		t.Fatalf("%d of the %d tasks in the view", seen, len(want))
	}
	// A block referring to main waits for main's :post chain, named so.
	v, err = e.Submit(context.Background(), doc+"\n#+name: user\n#+begin_src sh :var x=main\necho \"$x\"\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range v.Blocks {
		if b.Name == "user" {
			if w := b.Instances[0].Waiting; !strings.Contains(w, "main (:post f(s=*this*) :post g(s=*this*)) (") {
				t.Fatalf("user waits: %q", w)
			}
		}
	}
}
