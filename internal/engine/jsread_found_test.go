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
	if stopThenSlow(t, e, rb, id, js, out, slow); !launchedBlock(rb, "after") {
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

// TestFoundJSValueNeedsEmacsStops: a value found that only Emacs's
// reader reads (a #s record syntax after the quote; ?\M-a, 134217825 to
// Emacs, under :on-failure continue too), with no reading in Emacs
// planned for a block found in results, stops the document at the block
// with an error saying so, nothing written under it, rather than a value
// guessed in Go. So does a Ruby block's output only Emacs evaluates
// ((+ 1 2), 3 to Emacs) and a Python block's (a backquote form).
func TestFoundJSValueNeedsEmacsStops(t *testing.T) {
	for _, c := range []struct{ found, out string }{
		{foundJSQuestion, "'#s(a b)'\n"},
		{"#+begin_src js :on-failure continue\nreturn \"?\"\n#+end_src\n", "'?\\M-a'\n"},
		{"#+begin_src ruby :results output table\nputs \"(+ 1 2)\"\n#+end_src\n", "(+ 1 2)\n"},
		{"#+begin_src python :results output table\nprint(\"`(1 ,(+ 1 2))\")\n#+end_src\n", "`(1 ,(+ 1 2))\n"},
	} {
		t.Run(c.out, func(t *testing.T) { foundNeedsEmacsStops(t, c.found, c.out) })
	}
}

// foundNeedsEmacsStops has foundInOwner's owner print found, a block
// whose output out only Emacs reads as its Babel does: the document
// stops at the block found (line 7), the message naming it once and
// saying Borges cannot read the value without Emacs, nothing written
// under it.
func foundNeedsEmacsStops(t *testing.T, found, out string) {
	t.Helper()
	e, rb, id, slow, blk := foundInOwner(t, found)
	if stopThenSlow(t, e, rb, id, blk, out, slow) {
		t.Fatal("after was launched: a value found that Borges cannot read did not stop the document")
	}
	got := heldResults(t, e, id)
	d, _ := e.Document(id)
	m, _ := blockMessage(d, "after")
	if !strings.HasPrefix(m, failStopAt+"7, ") {
		t.Errorf("after: %q, want held by the stop at line 7", m)
	}
	all := m + "\n" + strings.Join(d.Notes, "\n")
	if !strings.Contains(all, "cannot read this value without Emacs") || !strings.Contains(all, "known limitation") {
		t.Errorf("after: %q, notes %q; want the error saying Borges cannot read the value without Emacs", m, d.Notes)
	}
	if n := strings.Count(m, blk.Block); n != 1 {
		t.Errorf("after: %q names %s %d times, want once", m, blk.Block, n)
	}
	if want := "#+RESULTS: owner\n" + found + "\nAfter.\n"; !strings.Contains(got, want) {
		t.Errorf("results document:\n%s\nwant nothing under the block found:\n%s", got, want)
	}
}
