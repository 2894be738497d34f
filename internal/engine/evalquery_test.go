package engine

import (
	"context"
	"strings"
	"testing"
)

// TestStoppedAtEvalQuery: a block :eval query, which Emacs asks about
// before it runs it and which Borges cannot ask about, stops the
// document there (plan's TestAgainstEmacs/stop:_eval_query): the block
// before it runs, it is never launched, nor is the block after it, which
// says why, and the document's notes say where it stopped and why in
// Borges's terms.
func TestStoppedAtEvalQuery(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: first\n#+begin_src sh\necho before\n#+end_src\n\n"+
		"#+name: asked\n#+begin_src sh :eval query\necho asked\n#+end_src\n\n"+
		"#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "first", 1), Finished, 0)
	d := waitDocumentEnded(t, e, id)
	if l := rb.launches(); len(l) != 1 {
		t.Errorf("%d attempts, want 1 (first alone)", len(l))
	}
	const why = "End of file during parsing: Error reading from stdin"
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, "not run: org-babel-execute-buffer stopped before it, at the block at line 6,") || !strings.Contains(m, why) {
		t.Errorf("after: %q", m)
	}
	n := strings.Join(d.Notes, "\n")
	if !strings.Contains(n, "line 6: org-babel-execute-buffer stops this document at the block asking whether to run it") || !strings.Contains(n, "Borges cannot ask") || !strings.Contains(n, why) {
		t.Errorf("the document's notes do not say where and why it stopped: %q", d.Notes)
	}
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(got, "#+RESULTS: asked") || strings.Contains(got, "#+RESULTS: after") {
		t.Errorf("results written for a block not run:\n%s", got)
	}
}
