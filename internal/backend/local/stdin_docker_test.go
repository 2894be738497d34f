package local

import (
	"context"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/plan/plantest"
)

// TestContainerStdinAndCmdline: a shell block's :stdin and :cmdline, run
// through the shell as ob-shell runs them, work in an image with no /tmp
// (the test image is busybox alone).
func TestContainerStdinAndCmdline(t *testing.T) {
	outside.Docker(t)
	doc, p := plantest.Planned(t, "#+name: w\n#+begin_src sh\necho hi\n#+end_src\n\n"+
		"#+begin_src sh :stdin w :cmdline a \"b c\" :results output\nread x; echo \"$x|$2|$#\"\n#+end_src\n")
	// The block is the last task: its :stdin w is a run of w of its own
	// (block-2 :stdin w), as Babel runs w again there, and its value is
	// that run's.
	reader := p.Tasks[len(p.Tasks)-1]
	if reader.Block != "block-2" || len(reader.After) != 1 {
		t.Fatalf("tasks: the reader is %q after %v", reader.Block, reader.After)
	}
	script, err := plan.Render(doc, reader, map[string]plan.Value{reader.After[0]: {Scalar: "hi there"}})
	if err != nil {
		t.Fatal(err)
	}
	b, r := newBackend(t, t.TempDir())
	a := inContainer(script, nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 1000)
		t.Fatalf("update = %+v, stderr %q", u, errOut)
	}
	if got := stdout(t, b, a.ID); got != "hi there|b c|2\n" {
		t.Fatalf("stdout = %q", got)
	}
}
