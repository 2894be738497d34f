package engine

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
)

// TestFoundRefRunValueReadByEmacs: a block found in results whose :var
// names a Python block found there too has the run Babel makes of it
// for the reference read by a batch Emacs of its own (real Emacs here)
// where only Emacs reads its value, and gets the value read, as
// TestAgainstEmacs/found_var_ref_to_found_python_block checks against
// Emacs; where it stopped at the referring block before.
func TestFoundRefRunValueReadByEmacs(t *testing.T) {
	outside.Need(t, "emacs-nox", "emacs")
	const found = "#+name: g\n#+begin_src python\nreturn \"`(,(+ 1 2) 4)\"\n#+end_src\n\n" +
		"#+begin_src sh :var x=g\necho \"x: $x\"\n#+end_src\n"
	e, rb, id, slow, g := foundInOwner(t, found)
	endWith(t, e, rb, id, g, "`(,(+ 1 2) 4)")
	runBatchEmacs(t, rb.fakeBackend, launchOf(t, rb.fakeBackend, plan.ReaderOf(g.Block), 1))
	// The run of g the reference makes (named after the referring
	// block), then its reading.
	run := launchOf(t, rb.fakeBackend, "owner-found-2 :var x=g", 1)
	endWith(t, e, rb, id, run, "`(,(+ 1 2) 4)")
	runBatchEmacs(t, rb.fakeBackend, launchOf(t, rb.fakeBackend, plan.ReaderOf(run.Block), 1))
	user := launchOf(t, rb.fakeBackend, "owner-found-2", 1)
	if !strings.HasPrefix(user.Script, "x='3\n4'\n") {
		t.Fatalf("the referring block is not handed the value read: %q", user.Script)
	}
	endWith(t, e, rb, id, user, "x: 3\n4\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	afterRunsWriting(t, e, rb, id, "echo \"x: $x\"\n#+end_src\n\n#+RESULTS:\n| x: | 3 |\n|  4 |   |\n")
}
