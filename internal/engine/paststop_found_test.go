package engine

import (
	"context"
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
// comes, but Borges started it before the stop was known: it writes its
// results, once, by Borges's design, and the run a's reference makes
// (a run of its own, as Emacs's) none: write-back writes a's, code's
// and other's.
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
			waitDocumentEnded(t, e, id)
			text, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, "#+RESULTS: a\n: a other\n") || !strings.Contains(text, "#+RESULTS: code\n#+begin_src nosuchlang\n") || strings.Count(text, otherResults) != 1 || strings.Count(text, "\n: other\n") != 1 {
				t.Errorf("results document: want a's, code's and other's results, other's once:\n%s", text)
			}
		})
	}
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
// turn: write-back writes what it wrote, the found block's results, a's
// and code2's, and other's own run's, started before the stop was known
// (by Borges's design, as a block that waits for nothing), once, the
// reference's run writing none.
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
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#+RESULTS: a\n: a other\n", "#+RESULTS:\n: inner\n", "#+RESULTS: code2\n#+begin_src nosuchlang\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("results document lacks %q:\n%s", want, text)
		}
	}
	if strings.Count(text, otherResults) != 1 || strings.Count(text, "\n: other\n") != 1 {
		t.Errorf("results document: want other's results once:\n%s", text)
	}
}
