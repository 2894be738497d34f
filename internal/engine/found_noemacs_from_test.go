package engine

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// The search of results going on from the report of the Emacs an Emacs
// Lisp block found in results ran in, in a document with no Emacs Lisp
// block of its own (foundfrom.go).

// TestFoundEmacsLispNoEmacsEditsSameNoRes: the Emacs Lisp block found
// puts, after a later raw block, the very block that block's results
// then hold, with no #+RESULTS: line (found_elisp_no_emacs_edits_same_nores.org
// of internal/plan, checked with Emacs 28.2): Emacs runs both, the one
// found in the later block's results and the one put after them. The
// report marks the one put there where the search of the results written
// keys the one found: the search goes on from that report, both run, and
// the document is Emacs's, where Borges refused it.
func TestFoundEmacsLispNoEmacsEditsSameNoRes(t *testing.T) {
	_, _, e, _, id, want := runFoundRawThenEchoes(t, "found_elisp_no_emacs_edits_same_nores", "#+begin_src emacs-lisp\n(save-excursion (goto-char (point-max)) (search-backward \"Text after.\\n\") (delete-region (point) (point-max)) (insert \"#+begin_src sh\\necho found-later\\n#+end_src\\n\"))\n#+end_src\n")
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil || got != want {
		t.Fatalf("%v:\n%s\nwant:\n%s", err, got, want)
	}
}

// TestFoundFromRestartBlock: the later block restarted once the search
// went on from the report (found_elisp_no_emacs_edits_found_block.org):
// its run again ends, the block found in its results runs again, and the
// document is Emacs's still.
func TestFoundFromRestartBlock(t *testing.T) {
	e, id, want := runFoundBlockChanged(t)
	if err := e.RestartBlock(context.Background(), id, "block-2"); err != nil {
		t.Fatal(err)
	}
	rb := e.backend.(*reportBackend)
	n := len(rb.launches())
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-2", 2), "#+begin_src sh\necho found-later\n#+end_src\n")
	finishEchoes(t, e, rb, id, map[string]bool{"block-2": true}, n)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil || got != want {
		t.Fatalf("%v:\n%s\nwant:\n%s", err, got, want)
	}
}

// TestFoundFromRestartEmacsOwner: the block whose results held the Emacs
// Lisp block restarted once the search went on from that block's report:
// its run again finds nothing, and the document is Emacs's with that
// block's results so.
func TestFoundFromRestartEmacsOwner(t *testing.T) {
	e, id, want := runFoundBlockChanged(t)
	if err := e.RestartBlock(context.Background(), id, "block-1"); err != nil {
		t.Fatal(err)
	}
	rb := e.backend.(*reportBackend)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 2), "plain\n")
	waitDocumentFinished(t, e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatalf("run again with nothing found in its results: %v", err)
	}
	// Emacs's document with block-1's results plain: its results region
	// so (nothing found in it), block-2's and the rest as Emacs wrote.
	end := strings.Index(want, "#+end_src\n") + len("#+end_src\n")
	after := strings.Index(want, "Text right after.")
	if end < len("#+end_src\n") || after < end {
		t.Fatalf("Emacs's document is not the fixture's:\n%s", want)
	}
	if emacs := want[:end] + "\n#+RESULTS:\nplain\n\n" + want[after:]; got != emacs {
		t.Errorf("run again with nothing found in its results:\n%s\nwant:\n%s", got, emacs)
	}
}

// TestFoundFromServerRestart: a server started again once the search
// went on from the report writes Emacs's document or refuses it, never
// another, and launches nothing.
func TestFoundFromServerRestart(t *testing.T) {
	dir, rb, e, stop, id, want := runFoundRawThenEchoes(t, "found_elisp_no_emacs_edits_found_block", foundBlockRaw)
	if got, err := e.ResultDocument(context.Background(), id); err != nil || got != want {
		t.Fatalf("before the restart, not Emacs's document: %v\n%s\nwant:\n%s", err, got, want)
	}
	n := len(rb.launches())
	stop()
	e2, stop2 := startEngine(t, dir, rb, Config{})
	t.Cleanup(stop2)
	waitDocumentFinished(t, e2, id)
	// The report the search went on from is not kept across a restart:
	// the search goes on from the document, which refuses it.
	if got, err := e2.ResultDocument(context.Background(), id); !errors.Is(err, org.ErrFoundMarkNotFound) {
		t.Fatalf("after the restart, not refused: %v\n%s", err, got)
	}
	if l := len(rb.launches()); l != n {
		t.Errorf("the server started again launched %d attempts", l-n)
	}
}

// TestFoundFromKilled: the document killed while the block found that
// the Emacs Lisp block changed runs, once the search went on from the
// report: the kill ends the document (no block left waiting on a search)
// and its results document has the blocks killed written so, the block
// found as the Emacs Lisp block changed it.
func TestFoundFromKilled(t *testing.T) {
	doc, _ := fixtureAndRef(t, "found_elisp_no_emacs_edits_found_block")
	_, rb, e, _, id := submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), foundBlockRaw)
	runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1})
	launchOf(t, rb.fakeBackend, "block-1-found-2", 1)
	if err := e.KillDocument(context.Background(), id); err != nil {
		t.Fatal(err)
	}
	for range 4000 {
		if v, _ := e.Document(id); v != nil && v.State.Terminal() {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if v, _ := e.Document(id); v == nil || !v.State.Terminal() {
		t.Fatalf("killed, the document has not ended: %+v", v)
	}
	got, err := e.ResultDocument(context.Background(), id)
	// Written from the search from the report: the block found as the
	// Emacs Lisp block changed it (echo ab) and block-2 killed.
	if err != nil || !strings.Contains(got, "#+begin_src sh\necho ab\n#+end_src\n\n#+RESULTS:\n:results:\nborges: killed\n: echo ab\n:end:\n\nText right after.") ||
		!strings.Contains(got, ":results:\nborges: killed\nprintf '%s\\n' '#+begin_src sh' 'echo found-later' '#+end_src'\n:end:\n\nText after.") {
		t.Fatalf("killed before its blocks ended, not written with those killed: %v\n%s", err, got)
	}
}
