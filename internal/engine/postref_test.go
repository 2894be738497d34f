package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// TestReferenceToCachedPostedBlock: a reference to a :cache yes block
// with a :post whose results stand gets those results read back, as
// org-babel-execute-src-block returns them without running the block or
// its :post; plan's TestAgainstEmacs/references_to_posted_blocks checks
// the run ones against Emacs.
func TestReferenceToCachedPostedBlock(t *testing.T) {
	const kept = "#+name: kept\n#+begin_src sh :cache yes :post up(s=*this*) :results output\necho cached\n#+end_src\n"
	doc := "#+name: up\n#+begin_src sh :var s=\"\" :results output\necho \"$s\"\n#+end_src\n\n" + kept
	parsed, err := org.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Build(parsed, plan.Limits{}, plan.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	var hash string
	for _, task := range p.Tasks {
		if task.Block == "kept" {
			if hash, err = plan.CacheHash(parsed, task, nil); err != nil {
				t.Fatal(err)
			}
		}
	}
	doc += "\n#+RESULTS[" + hash + "]: kept\n: stands\n\n" +
		"#+name: user\n#+begin_src sh :var x=kept :results output\necho \"[$x]\"\n#+end_src\n"
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	if _, err := e.Submit(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	// "up" runs as a block of its own; "user" is the other launch.
	done := map[string]bool{}
	for n := 1; n <= 2; n++ {
		for _, a := range waitLaunches(t, fb, n) {
			if done[a.ID] {
				continue
			}
			done[a.ID] = true
			switch a.Block {
			case "up":
				fb.setOutput(a.ID, "\n")
				finish(fb, a, Finished, 0)
			case "user":
				if !strings.HasPrefix(a.Script, "x='stands'\n") {
					t.Fatalf("user's script: %q", a.Script)
				}
				return
			default:
				t.Fatalf("launched %s: %q", a.Block, a.Script)
			}
		}
	}
	t.Fatal("user was not launched")
}
