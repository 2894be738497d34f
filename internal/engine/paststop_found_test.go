package engine

import (
	"strings"
	"testing"
)

// pastFoundStopDoc has block a, which refers to block other; block
// code, whose raw results hold a block of no language (a block found in
// results that stops org-babel-execute-buffer there); and other after
// it (as testdata/stop_found_ref_after_stop.org of package plan, checked
// against Emacs).
const pastFoundStopDoc = "#+name: a\n#+begin_src sh :var v=other\necho \"a $v\"\n#+end_src\n\n" +
	"#+name: code\n#+begin_src sh :results raw\necho found\n#+end_src\nAfter.\n\n" +
	"#+name: other\n#+begin_src sh\necho other\n#+end_src\n"

// TestPastFoundStopRefOutcome: other's own run, which waits for
// nothing, ends before or after the block found in code's results stops
// the document; its own turn stands past that stop, where Emacs never
// comes, and though Borges started it before the stop was known, its
// results are not written, nor are those of the run a's reference
// makes (a run of its own, as Emacs's): the document is Emacs's
// (checked with Emacs 28.2), a's and code's results written.
func TestPastFoundStopRefOutcome(t *testing.T) {
	for _, otherFirst := range []bool{true, false} {
		name := "other ends last"
		if otherFirst {
			name = "other ends first"
		}
		t.Run(name, func(t *testing.T) {
			e, rb, id := submitToReport(t, pastFoundStopDoc)
			other := launchOf(t, rb.fakeBackend, "other", 1)
			code := launchOf(t, rb.fakeBackend, "code", 1)
			if otherFirst {
				endWith(t, e, rb, id, other, "other\n")
				waitContains(t, e, id, otherResults, "the stop is not known yet")
			}
			endWith(t, e, rb, id, code, "#+begin_src nosuchlang\nanything\n#+end_src\n")
			if !otherFirst {
				endWith(t, e, rb, id, other, "other\n")
			}
			endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a :var v=other", 1), "other\n")
			endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a other\n")
			d := waitDocumentEnded(t, e, id)
			wantAsEmacs(t, e, id, withFoundResults(withAResults(pastFoundStopDoc), "After.", "#+RESULTS: code\n#+begin_src nosuchlang\nanything\n#+end_src\n"))
			// It ran: its view says where the stop is, never that
			// it was not run.
			if m, _ := blockMessage(d, "other"); !strings.HasPrefix(m, `ran past the stop at the block of language "nosuchlang"`) || !strings.HasSuffix(m, ranPastUnwritten) || strings.Contains(m, "not run") {
				t.Errorf("other: %q, want it to say it ran past the stop at the block found, its results not written", m)
			}
		})
	}
}

// withFoundResults is doc with results, written as Emacs writes a raw
// block's, under the block that ends just before the line before.
func withFoundResults(doc, before, results string) string {
	return strings.Replace(doc, "#+end_src\n"+before, "#+end_src\n\n"+results+"\n"+before, 1)
}

// pastFoundStopLaterDoc: as pastFoundStopDoc, code1's raw results hold a
// shell block, which does not stop the document, and code2's, after it,
// the block of no language that does.
const pastFoundStopLaterDoc = "#+name: a\n#+begin_src sh :var v=other\necho \"a $v\"\n#+end_src\n\n" +
	"#+name: code1\n#+begin_src sh :results raw\necho found\n#+end_src\nText.\n\n" +
	"#+name: code2\n#+begin_src sh :results raw\necho stop\n#+end_src\nAfter.\n\n" +
	"#+name: other\n#+begin_src sh\necho other\n#+end_src\n"

// TestPastFoundStopRefUnwritten: other's own run ends; then code1, the
// run of other a's reference makes, a, and the block found in code1's
// results, which does not stop the document: the buffer searched for
// found blocks holds other's results, the stop not known yet. code2's
// results then hold a block that stops the document before other's own
// turn: write-back writes the found block's results, a's and code2's,
// and neither other's own run's, started before the stop was known, nor
// the reference's run's, the buffer searched again without them: the
// document is Emacs's.
func TestPastFoundStopRefUnwritten(t *testing.T) {
	e, rb, id := submitToReport(t, pastFoundStopLaterDoc)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "other", 1), "other\n")
	code2 := launchOf(t, rb.fakeBackend, "code2", 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "code1", 1), "#+begin_src sh\necho inner\n#+end_src\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a :var v=other", 1), "other\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a other\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "code1-found-1", 1), "inner\n")
	waitContains(t, e, id, otherResults, "the stop is not known yet")
	endWith(t, e, rb, id, code2, "#+begin_src nosuchlang\nanything\n#+end_src\n")
	waitDocumentEnded(t, e, id)
	want := withFoundResults(withAResults(pastFoundStopLaterDoc), "Text.", "#+RESULTS: code1\n#+begin_src sh\necho inner\n#+end_src\n\n#+RESULTS:\n: inner\n")
	wantAsEmacs(t, e, id, withFoundResults(want, "After.", "#+RESULTS: code2\n#+begin_src nosuchlang\nanything\n#+end_src\n"))
}
