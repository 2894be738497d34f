package plan

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
)

// A batch Emacs of a task's own loads Org and makes its buffer an Org
// buffer without collecting garbage at every 800 KB (26 collections, 40 %
// of its CPU, at the default threshold), and the block then runs with the
// threshold as a plain Emacs has it. Table: an Emacs Lisp block, a Lisp
// :var value, a read of output in Emacs; each program reports
// (gcs-done gc-cons-threshold) as the task's Lisp sees them.
func TestBatchEmacsLoadsOrgWithoutCollecting(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	probe := "(format \"%d %d\" gcs-done gc-cons-threshold)"
	cases := []struct{ name, doc string }{
		{"output read in emacs", "#+begin_src python :results output table\nprint(\"x\")\n#+end_src\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := mustParse(t, c.doc)
			p := mustPlan(t, c.doc)
			var task *Task
			refs := map[string]Value{}
			for _, tk := range p.Tasks {
				if tk.ReadsOutput && tk.Session == nil {
					task = tk
					refs[tk.ResultsWith] = Value{Scalar: "`(," + probe + ")\n"}
				}
			}
			if task == nil {
				t.Fatalf("no batch Emacs task planned for %q", c.doc)
			}
			prog, err := RenderIn(doc, task, refs, nil)
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			script := filepath.Join(dir, "script.el")
			if err := os.WriteFile(script, []byte(prog), 0o600); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, emacs, "-Q", "--batch", "-l", script)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "BORGES_VALUE_FILE="+filepath.Join(dir, "value"))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("emacs: %v\n%s", err, out)
			}
			raw, err := os.ReadFile(filepath.Join(dir, "value"))
			if err != nil {
				t.Fatal(err)
			}
			checkGCs(t, string(raw))
		})
	}
}

// The document's Emacs loads Org with its first program, the one that
// starts its Org buffer (Task.BufferStart): that too without collecting
// garbage at every 800 KB, and the blocks then run with the threshold as
// a plain Emacs has it. The program is evaluated as the host evaluates
// one (session/emacs.go: a progn, lexically), its value printed.
func TestDocumentEmacsLoadsOrgWithoutCollecting(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	text := "#+begin_src emacs-lisp\n(format \"%d %d\" gcs-done gc-cons-threshold)\n#+end_src\n"
	doc := mustParse(t, text)
	p := mustPlan(t, text)
	var task *Task
	for _, tk := range p.Tasks {
		if tk.Session != nil && tk.BufferStart {
			task = tk
		}
	}
	if task == nil {
		t.Fatal("no task starts the document's Emacs's buffer")
	}
	prog, err := RenderIn(doc, task, map[string]Value{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, emacs, "-Q", "--batch", "--eval", "(princ (progn\n"+prog+"\n))")
	cmd.Dir = t.TempDir()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("emacs: %v\n%s", err, out)
	}
	checkGCs(t, string(out))
}

// checkGCs reads "GCS THRESHOLD" (gcs-done, gc-cons-threshold) in what a
// task's Lisp reported.
func checkGCs(t *testing.T, value string) {
	t.Helper()
	fields := regexp.MustCompile(`[0-9]+`).FindAllString(value, -1)
	if len(fields) != 2 {
		t.Fatalf("value %q: want two numbers", value)
	}
	gcs, _ := strconv.Atoi(fields[0])
	threshold, _ := strconv.Atoi(fields[1])
	// At most the one collection the restored threshold brings (Emacs
	// 28 watches gc-cons-threshold), and a few of Org's own: far from
	// 26.
	if gcs > 5 {
		t.Errorf("Emacs collected %d times before the task's Lisp ran", gcs)
	}
	if threshold != 800000 {
		t.Errorf("the task's Lisp sees gc-cons-threshold %d, a plain Emacs 800000", threshold)
	}
}
