package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestInlinePerlValueFailedStopsE2E: an inline Perl value block that
// exits non-zero is org-babel-eval's nil, which ob-perl hands on (it
// reads its value file only when org-babel-eval gave a result) and Org
// refuses inline: Emacs 28.2 / Org 9.5.5 stops there ("Inline error:
// list result cannot be used"). Through the server, with the local
// backend and a real perl, the document stops there too, as for a shell
// inline block (TestInlineFailedStops), the inline block's place left as
// it was (TestInlineFailedStops too); a block after it that had
// already started runs on, as for any stop (README).
func TestInlinePerlValueFailedStopsE2E(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("perl"); err != nil {
		t.Skip("no perl")
	}
	s := startServer(t, t.TempDir())
	v := s.submit("Inline src_perl{exit 3} here.\n\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
	until(t, "finished", func() bool { return s.doc(v.ID).State.Terminal() })
	const want = "org-babel-execute-buffer stops this document at the block at line 1, for block inline-1, whose result Babel does not write inline with the error \"Inline error: list result cannot be used\""
	if notes := s.doc(v.ID).Notes; !strings.Contains(strings.Join(notes, "\n"), want) {
		t.Errorf("notes %q, want the inline stop: %q", notes, want)
	}
	if _, got := s.get("/org/" + v.ID); !strings.HasPrefix(got, "Inline src_perl{exit 3} here.\n") {
		t.Errorf("results document, the inline block's place written:\n%s", got)
	}
}
