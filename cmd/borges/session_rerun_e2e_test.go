package main

import (
	"os"
	"testing"
)

// TestSessionRerunE2E: through the server, each reference to a block of a
// session runs it again in its session, as org-babel-ref-resolve does
// (:var, a call with arguments, an index, noweb, written twice too,
// :stdin, #+call: lines, a
// block further down, a block referring to one), to what Emacs writes;
// restarting the session feeds a new interpreter all those runs again, in
// the same order, to the same results. The document is the plan's
// fixture (TestAgainstEmacs/session_blocks_run_again).
func TestSessionRerunE2E(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../internal/plan/testdata/session_rerun.org")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	emacs := emacsSessionRunner(t)
	s := startServer(t, t.TempDir())
	v, want := submitLikeEmacs(t, s, doc, emacs)
	// The session's last block, and runs references made (a noweb
	// reference written twice, the last).
	restartSession(t, s, v.ID, "counter", []string{"counter", "add", "block-12 :stdin counter", "block-14 <<counter()>>~2", "block-14 <<counter()>>~4", "block-15"}, until)
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Fatalf("after the restart, differs from Emacs:\n--- emacs\n%s\n--- borges\n%s", want, got)
	}
}
