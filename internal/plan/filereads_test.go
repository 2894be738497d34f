package plan

import (
	"fmt"
	"slices"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestFileReadsRule checks which earlier :results file writers a block
// waits for and has placed in its sandbox (Task.ReadsFiles).
func TestFileReadsRule(t *testing.T) {
	writer := func(file, args string) string {
		return fmt.Sprintf("#+begin_src sh :results file :file %s %s\necho w\n#+end_src\n\n", file, args)
	}
	reader := func(args, body string) string {
		return fmt.Sprintf("#+begin_src sh :results output %s\n%s\n#+end_src\n\n", args, body)
	}
	for _, c := range []struct {
		name, doc string
		block     string // the reader
		want      string // its ReadsFiles, "" for none
	}{
		{"names the path", writer("out.txt", "") + reader("", "cat out.txt"), "block-2", "[{block-1 out.txt 420}]"},
		{"does not name it", writer("out.txt", "") + reader("", "cat other.txt"), "block-2", ""},
		{"a longer name is not the path", writer("out.txt", "") + reader("", "cat about.txt out.txt2"), "block-2", ""},
		{"under its :dir", writer("sub/out.txt", "") + reader(":dir sub", "cat out.txt"), "block-2", "[{block-1 sub/out.txt 420}]"},
		{"from a sibling :dir", writer("sub/out.txt", "") + reader(":dir other", "cat ../sub/out.txt"), "block-2", "[{block-1 sub/out.txt 420}]"},
		{"the writer's :dir", writer("out.txt", ":dir sub :mkdirp yes") + reader("", "cat sub/out.txt"), "block-2", "[{block-1 sub/out.txt 420}]"},
		{"the path from the wrong :dir", writer("out.txt", "") + reader(":dir sub", "cat sub/out.txt"), "block-2", ""},
		{"in :cmdline", writer("out.txt", "") + reader(":cmdline out.txt", `cat "$1"`), "block-2", "[{block-1 out.txt 420}]"},
		{"in a :var literal", writer("out.txt", "") + reader(`:var f="out.txt"`, `cat "$f"`), "block-2", "[{block-1 out.txt 420}]"},
		{"with a :file-mode", writer("out.txt", ":file-mode (identity #o600)") + reader("", "cat out.txt"), "block-2", "[{block-1 out.txt 384}]"},
		{"the later of two writers", writer("out.txt", "") + writer("out.txt", "") + reader("", "cat out.txt"), "block-3", "[{block-2 out.txt 420}]"},
		{"a writer after the reader", reader("", "cat out.txt") + writer("out.txt", ""), "block-1", ""},
		{"between two writers", writer("out.txt", "") + reader("", "cat out.txt") + writer("out.txt", ""), "block-2", "[{block-1 out.txt 420}]"},
		{"a link is not written by Babel", "#+begin_src sh :results file link :file out.txt\necho w > out.txt\n#+end_src\n\n" + reader("", "cat out.txt"), "block-2", ""},
		{"a writer after, run earlier for a reference", reader(":var x=w", "echo $x") + reader("", "cat out.txt") + "#+name: w\n" + writer("out.txt", ""), "block-2", "[{block-1 :var x=w out.txt 420}]"},
		{"a reference's run between two of the writer's", "#+name: w\n" + writer("out.txt", "") + reader(":var x=w", "echo $x") + reader("", "cat out.txt"), "block-3", "[{block-2 :var x=w out.txt 420}]"},
		{"an absolute path", writer("/tmp/out.txt", "") + reader("", "cat /tmp/out.txt"), "block-2", ""},
		{"out of its :output-dir with ..", writer("../up.txt", ":output-dir reports") + reader("", "cat up.txt"), "block-2", "[{block-1 up.txt 420}]"},
		{"x/.. dropped as Emacs's expand-file-name does", writer("sub/../up.txt", "") + reader("", "cat up.txt"), "block-2", "[{block-1 up.txt 420}]"},
		{"out of the sandbox with ..", writer("../../up.txt", ":output-dir reports") + reader("", "cat ../up.txt"), "block-2", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := org.Parse(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			p, err := Build(doc, Limits{}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			var r *Task
			for _, x := range p.Tasks {
				if x.Block == c.block {
					r = x
				}
			}
			if r == nil {
				t.Fatalf("no task %s", c.block)
			}
			got := ""
			if len(r.ReadsFiles) > 0 {
				got = fmt.Sprint(r.ReadsFiles)
			}
			if got != c.want {
				t.Fatalf("ReadsFiles %q, want %q", got, c.want)
			}
			// The reader waits for each writer, as Borges orders them
			// only (Emacs reads nothing of the writer).
			for _, f := range r.ReadsFiles {
				if !r.OrdersOnly(f.Block) {
					t.Errorf("%s does not wait for %s only as Borges orders them (After %v)", r.Block, f.Block, r.After)
				}
				// Its end, however it ended, is what it waits for,
				// unless it refers to the writer (:var).
				if r.WaitsOnlyForFile(f.Block) == r.refersTo(f.Block) {
					t.Errorf("%s waits only for the file of %s: %v", r.Block, f.Block, r.WaitsOnlyForFile(f.Block))
				}
			}
		})
	}
}

// TestFileWritersOrdered checks that the runs writing one :file (a
// block's own run and its references' runs) wait for each other in the
// order Emacs runs them, so that the file the engine serves last is
// Emacs's: a reference's run before the block's own run (its referrer
// stands before the block) comes first.
func TestFileWritersOrdered(t *testing.T) {
	doc, err := org.Parse("#+begin_src sh :var f=mk\necho $f\n#+end_src\n\n#+name: mk\n#+begin_src sh :results file :file out.txt\necho m\n#+end_src\n\n#+begin_src sh :var f=mk\necho $f\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(doc, Limits{}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]*Task{}
	for _, x := range p.Tasks {
		by[x.Block] = x
	}
	for _, c := range [][2]string{{"mk", "block-1 :var f=mk"}, {"block-3 :var f=mk", "mk"}} {
		w := by[c[0]]
		if w == nil || by[c[1]] == nil {
			t.Fatalf("no task %q or %q in %v", c[0], c[1], p.Tasks)
		}
		if !slices.Contains(w.After, c[1]) || !w.WaitsOnlyForFile(c[1]) {
			t.Errorf("%s waits for %v, want %s (for the file only)", c[0], w.After, c[1])
		}
	}
}
