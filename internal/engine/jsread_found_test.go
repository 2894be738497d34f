package engine

import (
	"context"
	"strings"
	"testing"
)

// A JavaScript block found in results whose value the Lisp reader reads
// as other than a name (jsread_found_question.org of internal/plan):
// util.inspect prints '?', and Emacs's reader reads ?' after the quote,
// the character 39, which Emacs writes as `: 39`.

// foundJSQuestion is what the owner of foundInOwner prints: a
// JavaScript block written as a value, returning "?".
const foundJSQuestion = "#+begin_src js\nreturn \"?\"\n#+end_src\n"

// TestFoundJSCharacterValue: the value found, '?', is written as Emacs
// writes it, the character 39, not the name ?.
func TestFoundJSCharacterValue(t *testing.T) {
	foundJSReads(t, foundJSQuestion, "'?'\n", "#+begin_src js\nreturn \"?\"\n#+end_src\n\n#+RESULTS:\n: 39\n")
}

// foundJSReads has foundInOwner's owner print found, a JavaScript block
// whose value out the Lisp reader reads: nothing stops, the block after
// runs, and the results document holds want.
func foundJSReads(t *testing.T, found, out, want string) {
	t.Helper()
	e, rb, id, slow, js := foundInOwner(t, found)
	stopThenSlow(t, e, rb, id, js, out, slow)
	afterRunsWriting(t, e, rb, id, want)
}

// afterRunsWriting fails t unless block after of document id (of
// foundInOwner), whose found block's value reads, is launched; it ends
// it, and checks that the document ends unstopped, its results document
// holding want.
func afterRunsWriting(t *testing.T, e *Engine, rb *reportBackend, id, want string) {
	t.Helper()
	if !endedOrLaunched(e, rb, id, "after") {
		d, _ := e.Document(id)
		m, _ := blockMessage(d, "after")
		t.Fatalf("after not launched (%q), though the value found reads", m)
	}
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
	noStop(t, waitDocumentEnded(t, e, id))
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, want) {
		t.Errorf("results document:\n%s\nwant the value found written as Emacs reads it:\n%s", got, want)
	}
}

// TestFoundJSValueReadsAsEmacs: found values Go reads as Emacs does
// (checked with emacs --batch, org-babel-js-read): a raw byte's
// character code, 128, and a name starting with a dot, which Emacs
// writes escaped.
func TestFoundJSValueReadsAsEmacs(t *testing.T) {
	for out, want := range map[string]string{"'?\\x3fff80'\n": ": 128\n", "'./run.sh'\n": ": \\./run\\.sh\n"} {
		t.Run(out, func(t *testing.T) {
			foundJSReads(t, foundJSQuestion, out, "#+begin_src js\nreturn \"?\"\n#+end_src\n\n#+RESULTS:\n"+want)
		})
	}
}

// TestAddedValueNeedsEmacsStops: an Emacs Lisp block adds to the buffer
// a block whose value only Emacs's reader reads (a #s record syntax
// after the quote; ?\M-a, 134217825 to Emacs, under :on-failure continue
// too; a Ruby block's output only Emacs evaluates, (+ 1 2), 3 to Emacs;
// a Python block's backquote form). Its reading would run in the
// document's Emacs, which Borges does not wire for a block added (the
// forms may call what its Emacs Lisp blocks defined): the document stops
// at the block with an error saying so, nothing written under it,
// rather than a value guessed in Go. Found in the results of a document
// with no Emacs Lisp block, such a value is read by a batch Emacs
// (TestFoundValueReadByEmacs).
func TestAddedValueNeedsEmacsStops(t *testing.T) {
	for _, c := range []struct{ added, mark, out string }{
		{foundJSQuestion, "#+begin_src js", "'#s(a b)'\n"},
		{"#+begin_src js :on-failure continue\nreturn \"?\"\n#+end_src\n", "#+begin_src js", "'?\\M-a'\n"},
		{"#+begin_src ruby :results output table\nputs \"(+ 1 2)\"\n#+end_src\n", "#+begin_src ruby", "(+ 1 2)\n"},
		{"#+begin_src python :results output table\nprint(\"`(1 ,(+ 1 2))\")\n#+end_src\n", "#+begin_src python", "`(1 ,(+ 1 2))\n"},
	} {
		t.Run(c.out, func(t *testing.T) { addedNeedsEmacsStops(t, c.added, c.mark, c.out) })
	}
}

// addedNeedsEmacsStops has addedInlineDoc's Emacs Lisp block add added
// (its #+begin_src line starting with mark), a block whose output out
// only Emacs reads as its Babel does: the document stops at the block
// added, the message naming it once and saying Borges cannot read the
// value without Emacs, nothing written under it.
func addedNeedsEmacsStops(t *testing.T, added, mark, out string) {
	t.Helper()
	e, rb, id := submitToReport(t, addedInlineDoc)
	reportAddedIn(t, rb, launchOf(t, rb.fakeBackend, "adder", 1), strings.Replace(addedInlineDoc, "PLACE HERE\n", "PLACE HERE\n"+added, 1), mark)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	blk := launchOf(t, rb.fakeBackend, addedJSName, 1)
	if !blk.Task.ValueNeedsEmacsStops {
		t.Fatalf("%s: value needs Emacs stops %v, want true (its reading would run in the document's Emacs)", blk.Block, blk.Task.ValueNeedsEmacsStops)
	}
	if stopThenSlow(t, e, rb, id, blk, out, slow) {
		t.Fatal("after was launched: a value added that Borges cannot read did not stop the document")
	}
	got := heldResults(t, e, id)
	d, _ := e.Document(id)
	m, _ := blockMessage(d, "after")
	all := m + "\n" + strings.Join(d.Notes, "\n")
	if !strings.Contains(all, "cannot read this value without Emacs") || !strings.Contains(all, "known limitation") {
		t.Errorf("after: %q, notes %q; want the error saying Borges cannot read the value without Emacs", m, d.Notes)
	}
	if n := strings.Count(m, blk.Block); n != 1 {
		t.Errorf("after: %q names %s %d times, want once", m, blk.Block, n)
	}
	if want := "PLACE HERE\n" + added + "\n#+name: slow"; !strings.Contains(got, want) {
		t.Errorf("results document:\n%s\nwant nothing under the block added:\n%s", got, want)
	}
}
