package engine

import (
	"context"
	"strings"
	"testing"
)

// editedStopDoc is jsSlowAfter behind an Emacs Lisp block, whose buffer
// report (editedStopReport) has block after's header changed.
const editedStopDoc = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(ignore)\n#+end_src\n\n" +
	"#+name: js\n#+begin_src js\nreturn '   '\n#+end_src\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n"

// editedStopReport is the report of the buffer of editedStopDoc's Emacs
// once its editor ran: block after's header has one more :var.
func editedStopReport(t *testing.T) string {
	t.Helper()
	text := strings.Replace(editedStopDoc, ":var s=slow\n", ":var s=slow :var z=2\n", 1)
	return marksReport(t, text, "", 3)
}

// TestJSReadStopHeldAgainEdited: as TestJSReadStopHeldAgain, the block
// the stop held having its header changed in the document's Emacs
// buffer: decided from the buffer, it is still decided as held (the
// stop stands), never launched.
func TestJSReadStopHeldAgainEdited(t *testing.T) {
	e, rb, id := submitToReport(t, editedStopDoc)
	editor := launchOf(t, rb.fakeBackend, "editor", 1)
	rb.rmu.Lock()
	rb.reports[editor.ID] = editedStopReport(t)
	rb.rmu.Unlock()
	finish(rb.fakeBackend, editor, Finished, 0)
	slow := endJS(t, rb, "'   '\n")
	failRan(rb, launchOf(t, rb.fakeBackend, "js output read by Emacs", 1))
	finish(rb.fakeBackend, slow, Finished, 0)
	// The run of slow after's :var s=slow makes, started before the
	// stop was known, finished as slow is (endedOrLaunched).
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after launched past the stop")
	}
	const held = "not run: org-babel-execute-buffer stopped before it, at the block at line 6, for block js, whose value Emacs could not read: End of file during parsing"
	if m, _ := blockMessage(waitDocumentEnded(t, e, id), "after"); m != held {
		t.Fatalf("after: %q, want %q", m, held)
	}
	if err := e.RestartBlock(context.Background(), id, "js"); err != nil {
		t.Fatal(err)
	}
	js := launchOf(t, rb.fakeBackend, "js", 2)
	rb.setOutput(js.ID, "'   '\n")
	finish(rb.fakeBackend, js, Finished, 0)
	failRan(rb, launchOf(t, rb.fakeBackend, "js output read by Emacs", 2))
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after was launched past the stop that stands")
	}
	if m, _ := blockMessage(waitDocumentEnded(t, e, id), "after"); m != held {
		t.Errorf("after: %q, want %q", m, held)
	}
}
