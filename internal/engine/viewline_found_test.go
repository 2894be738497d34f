package engine

import "testing"

// TestFoundBlockViewLine: the view of a block found in results gives its
// line in the Org buffer as that of its #+begin_src, where the notes
// name it (foundLine) and `borges status ID` says it stands: not the
// #+RESULTS: line above it, where Org's element begins; a server
// started again as well.
func TestFoundBlockViewLine(t *testing.T) {
	// owner's results: "#+RESULTS: owner" at line 6, the block found's
	// #+begin_src at line 7.
	dir, rb, e, stop, id := submitOnDisk(t, "#+name: owner\n#+begin_src sh :results raw\necho found\n#+end_src\nAfter.\n\n"+
		"#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
	owner := launchOf(t, rb.fakeBackend, "owner", 1)
	rb.setOutput(owner.ID, "#+begin_src sh\necho x\n#+end_src\n")
	finish(rb.fakeBackend, owner, Finished, 0)
	found := launchOf(t, rb.fakeBackend, "owner-found-1", 1)
	finish(rb.fakeBackend, found, Finished, 0)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	foundAtLine(t, waitDocumentEnded(t, e, id), found.Block, 7)
	stop()
	e2, stop2 := startEngine(t, dir, rb, Config{})
	t.Cleanup(stop2)
	foundAtLine(t, waitDocumentEnded(t, e2, id), found.Block, 7)
}

// foundAtLine fails t unless d's view of block name, found in results,
// is at line.
func foundAtLine(t *testing.T, d *DocumentView, name string, line int) {
	t.Helper()
	for _, b := range d.Blocks {
		if b.Name == name {
			if !b.Found || b.Line != line {
				t.Errorf("%s: found %v, line %d; want found, at line %d (its #+begin_src)", b.Name, b.Found, b.Line, line)
			}
			return
		}
	}
	t.Fatalf("no view of %s in %+v", name, d.Blocks)
}
