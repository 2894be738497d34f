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

// TestFoundJSValueNeedsEmacsStops: a value found that only Emacs's
// reader reads (a #s record syntax after the quote), with no reading in
// Emacs planned for a block found in results, stops the document at the
// block with an error saying so, nothing written under it, rather than
// a value guessed in Go.
func TestFoundJSValueNeedsEmacsStops(t *testing.T) {
	e, rb, id, slow, js := foundInOwner(t, foundJSQuestion)
	if stopThenSlow(t, e, rb, id, js, "'#s(a b)'\n", slow) {
		t.Fatal("after was launched: a value found that Borges cannot read did not stop the document")
	}
	got := heldResults(t, e, id)
	d, _ := e.Document(id)
	m, _ := blockMessage(d, "after")
	if !strings.HasPrefix(m, failStopAt+"7, ") {
		t.Errorf("after: %q, want held by the stop at line 7", m)
	}
	if !strings.Contains(m+strings.Join(d.Notes, "\n"), "only Emacs's Lisp reader reads") {
		t.Errorf("after: %q, notes %q; want the error saying the value needs Emacs's reader", m, d.Notes)
	}
	if want := "#+RESULTS: owner\n" + foundJSQuestion + "\nAfter.\n"; !strings.Contains(got, want) {
		t.Errorf("results document:\n%s\nwant nothing under the JavaScript block found:\n%s", got, want)
	}
}
