package engine

import (
	"strings"
	"testing"
)

// readNextDoc has a block writing over the data a reader reads, and
// after the reader the next element of that name: a block.
const readNextDoc = "#+begin_src sh :results output\necho new\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n" +
	"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n" +
	"#+name: data\n#+begin_src sh\necho later\n#+end_src\n"

// TestReadNextNotWaitedWhenWritten: the writer wrote data, so the reader
// reads them and does not depend on the later block of that name (Emacs
// runs it for the reference only when the #+name: names nothing): that
// block failing does not fail the reader.
func TestReadNextNotWaitedWhenWritten(t *testing.T) {
	e, rb, id := submitToReport(t, readNextDoc)
	writer := launchOf(t, rb.fakeBackend, "block-1", 1)
	later := launchOf(t, rb.fakeBackend, "data", 1)
	finish(rb.fakeBackend, later, Failed, 1)
	waitStored(t, e, id, "data", Failed)
	rb.setOutput(writer.ID, "new\n")
	finish(rb.fakeBackend, writer, Finished, 0)
	user := launchOf(t, rb.fakeBackend, "user", 1)
	if !strings.Contains(user.Script, "new") {
		t.Errorf("the reader's script does not bind the data written: %q", user.Script)
	}
	finish(rb.fakeBackend, user, Finished, 0)
	waitStored(t, e, id, "user", Finished)
}

// TestReadNextWaitedWhenEmpty: the writer wrote nothing, so the reader
// reads the later block's result, once it ran.
func TestReadNextWaitedWhenEmpty(t *testing.T) {
	e, rb, id := submitToReport(t, readNextDoc)
	writer := launchOf(t, rb.fakeBackend, "block-1", 1)
	later := launchOf(t, rb.fakeBackend, "data", 1)
	rb.setOutput(writer.ID, "")
	finish(rb.fakeBackend, writer, Finished, 0)
	waitStored(t, e, id, "block-1", Finished)
	rb.setOutput(later.ID, "later\n")
	finish(rb.fakeBackend, later, Finished, 0)
	user := launchOf(t, rb.fakeBackend, "user", 1)
	if !strings.Contains(user.Script, "later") {
		t.Errorf("the reader's script does not bind the later block's result: %q", user.Script)
	}
	finish(rb.fakeBackend, user, Finished, 0)
	waitStored(t, e, id, "user", Finished)
}
