package engine

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// TestFoundEmacsLispNoEmacsAddsBlock: an Emacs Lisp block found in
// results, in a document with no Emacs Lisp block of its own, adds a
// shell block at the end of the buffer, and no block is found after it
// (found_elisp_no_emacs_adds_block.org of internal/plan, checked with
// Emacs 28.2): Emacs runs the block added in its walk and writes its
// results under it. Borges adds it from the report of the Emacs the
// block found ran in (reportedEmacs), runs it, and writes the document
// as Emacs does, where it refused to write it (ErrFoundMarkNotFound).
func TestFoundEmacsLispNoEmacsAddsBlock(t *testing.T) {
	runFoundAdds(t, "found_elisp_no_emacs_adds_block", "block-2", 1, func(string) string { return "added\n" }, false)
}

// TestFoundEmacsLispNoEmacsAddsBlocks: the same with the blocks added two
// (both run and written under each, as Emacs does), one :results silent
// (run, nothing written), one whose :var names the block after the
// Emacs Lisp block's owner (run after it, with its value), and one
// :results raw printing a source block, which Emacs runs in its walk
// (`: deep` under it): Borges searches the results of a block so added
// in the buffer of that Emacs (foundfrom.go), runs the block found there
// and writes it as Emacs does, where it refused to write the document.
func TestFoundEmacsLispNoEmacsAddsBlocks(t *testing.T) {
	echoed := func(script string) string {
		_, word, _ := strings.Cut(script, "echo ")
		word, _, _ = strings.Cut(word, "\n")
		return word + "\n"
	}
	for _, c := range []struct {
		fixture, later string
		added          int
		out            func(script string) string
		refused        bool
	}{
		{"found_elisp_no_emacs_adds_two", "block-2", 2, echoed, false},
		{"found_elisp_no_emacs_adds_silent", "block-2", 1, echoed, false},
		// The block added, and the run of later its :var makes (Babel
		// runs later again at the reference).
		{"found_elisp_no_emacs_adds_var_later", "later", 2, func(string) string { return "later\n" }, false},
		{"found_elisp_no_emacs_adds_raw_printing", "block-2", 2, func(script string) string {
			if strings.Contains(script, "printf") {
				return "#+begin_src sh\necho deep\n#+end_src\n"
			}
			return echoed(script)
		}, false},
	} {
		t.Run(c.fixture, func(t *testing.T) { runFoundAdds(t, c.fixture, c.later, c.added, c.out, c.refused) })
	}
}

// runFoundAdds submits fixture (internal/plan's testdata: a raw block
// printing an Emacs Lisp block that adds blocks at the end of the buffer,
// then the block later) and runs it: the Emacs Lisp block found in real
// Emacs, the other blocks on the fake backend, each of the n blocks
// added given out(its script). The document is then Emacs's reference,
// or, refused, an ErrFoundMarkNotFound and no document.
func runFoundAdds(t *testing.T, fixture, later string, n int, out func(script string) string, refused bool) {
	doc, want := fixtureAndRef(t, fixture)
	_, rb, e, _, id := submitOnDisk(t, doc)
	em := newEmacsRunner(t, rb)
	_, printed, _ := strings.Cut(doc, "printf '%s\\n' '#+begin_src emacs-lisp' '")
	printed, _, _ = strings.Cut(printed, "' '#+end_src'")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), "#+begin_src emacs-lisp\n"+printed+"\n#+end_src\n")
	runFoundInEmacs(t, em, rb, foundRun{"block-1-found-1", 1})
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, later, 1), "later\n")
	// The blocks added, whatever their names: the launches of none of
	// those, each finished once.
	done := map[string]bool{}
	for range 4000 {
		for _, a := range rb.launches() {
			if a.Block != "block-1" && a.Block != later && a.Block != "block-1-found-1" && !done[a.ID] {
				done[a.ID] = true
				finishLaunch(rb.fakeBackend, a, out(a.Script))
			}
		}
		if len(done) >= n {
			break
		}
		if d, _ := e.Document(id); d != nil && d.State == Finished {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if len(done) != n {
		t.Fatalf("%d blocks the Emacs Lisp block found added launched, want %d", len(done), n)
	}
	waitDocumentFinished(t, e, id)
	err := resultDocumentErr(t, e, id, want)
	switch {
	case refused && !errors.Is(err, org.ErrFoundMarkNotFound):
		t.Fatalf("written with %v, want %v", err, org.ErrFoundMarkNotFound)
	case !refused && err != nil:
		t.Fatalf("no results document: %v", err)
	}
}
