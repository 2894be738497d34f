package engine

import (
	"testing"
	"time"
)

// TestFoundUnresolvedVarNamedByOwner: a block found in results that
// Borges does not run (:eval no; one whose :var names no block stops the
// document there instead, TestFoundReferenceErrorStops) is named by the block
// whose results hold it and its place among the blocks found there
// (block-1-found-1), as a block found that runs is, not block-N by its
// place in the Org buffer, which is the name of a block of the document
// (here block-2, the Emacs Lisp block after it).
func TestFoundUnresolvedVarNamedByOwner(t *testing.T) {
	doc := "#+begin_src sh :results raw\nprintf '%s\\n' one two three four five six seven '#+begin_src sh :eval no' 'echo $x' '#+end_src'\n#+end_src\nText right after.\n\n" +
		"#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n" + afterBlock
	_, rb, e, _, id := submitOnDisk(t, doc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1),
		"one\ntwo\nthree\nfour\nfive\nsix\nseven\n#+begin_src sh :eval no\necho $x\n#+end_src\n")
	var d *DocumentView
	for range 4000 {
		d, _ = e.Document(id)
		if d != nil && len(d.Blocks) > 3 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	names := map[string]int{}
	found := ""
	for _, b := range d.Blocks {
		names[b.Name]++
		if b.Found {
			found = b.Name
		}
	}
	if found != "block-1-found-1" {
		t.Errorf("the block found is named %q, want block-1-found-1 (blocks: %v)", found, names)
	}
	for n, c := range names {
		if c > 1 {
			t.Errorf("%d blocks named %q", c, n)
		}
	}
}
