package engine

import (
	"context"
	"testing"
)

// pastStopFileDoc has block a, which refers to block f, and f, a
// :results file block standing past an inline block whose value Babel
// refuses inline (which stops org-babel-execute-buffer there).
const pastStopFileDoc = "#+name: a\n#+begin_src sh :var v=f\necho \"a $v\"\n#+end_src\n\n" +
	"Text src_sh[:results output]{echo 1; echo 2} here.\n\n" +
	"#+name: f\n#+begin_src sh :results file :file out.txt\necho f\n#+end_src\n"

// TestPastStopFileLeftIsReferenceRuns: Emacs runs f once, for a's
// reference, which writes out.txt (ob-ref keeps file in its :results),
// and stops at the inline block before f's own turn: out.txt is the
// reference run's, a's results name it, and nothing is written under f
// (checked with Emacs 28.2). Borges's own run of f waits for the
// reference run (both write out.txt), then, started before the stop was
// known, runs on and writes the file again, ending last; its turn
// standing past the stop, it is not the file's last writer: the file
// served is the reference run's, and the document is Emacs's.
func TestPastStopFileLeftIsReferenceRuns(t *testing.T) {
	e, rb, id := submitToReport(t, pastStopFileDoc)
	stop := launchOf(t, rb.fakeBackend, "inline-1", 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a :var v=f", 1), "1\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a out.txt\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "f", 1), "2\n")
	endWith(t, e, rb, id, stop, "1\n2\n")
	waitStopNoted(t, e, id)
	endedFinishingLaunched(t, e, rb, id)
	wantAsEmacs(t, e, id, "#+name: a\n#+begin_src sh :var v=f\necho \"a $v\"\n#+end_src\n\n#+RESULTS: a\n: a out.txt\n\n"+
		"Text src_sh[:results output]{echo 1; echo 2} here.\n\n"+
		"#+name: f\n#+begin_src sh :results file :file out.txt\necho f\n#+end_src\n")
	if data, err := e.ReadFile(context.Background(), id, "out.txt"); err != nil || string(data) != "1\n" {
		t.Fatalf("out.txt: %q %v, want the reference run's, which Emacs leaves", data, err)
	}
}
