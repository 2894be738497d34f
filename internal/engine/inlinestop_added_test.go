package engine

import (
	"fmt"
	"strings"
	"testing"
)

// addedInlineDoc has an Emacs Lisp block that adds an inline block to the
// buffer at "PLACE HERE" (line 6), block slow and block after, which
// refers to slow.
const addedInlineDoc = "#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\n" +
	"PLACE HERE\n\n" +
	"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n"

// TestAddedInlineValueStop: an inline block an Emacs Lisp block adds to
// the buffer ends with a value Babel refuses inline (several lines):
// Emacs stops there, so the block after it that had not started is not
// run. One of one line, or under :results silent, stops nothing.
func TestAddedInlineValueStop(t *testing.T) {
	for _, c := range []struct {
		name, inline, out string
		stops             bool
	}{
		{"several lines", "src_sh[:results output]{echo 1; echo 2}", "1\n2\n", true},
		{"one line", "src_sh[:results output]{echo 1}", "1\n", false},
		{"silent", "src_sh[:results output silent]{echo 1; echo 2}", "1\n2\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, addedInlineDoc)
			adder := launchOf(t, rb.fakeBackend, "adder", 1)
			buffer := strings.Replace(addedInlineDoc, "PLACE HERE", "PLACE HERE "+c.inline, 1)
			rb.rmu.Lock()
			rb.reports[adder.ID] = addedReport(t, buffer, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho slow"}, markAt{at: "#+begin_src sh :var"}, markAt{at: "src_sh["})
			rb.rmu.Unlock()
			finish(rb.fakeBackend, adder, Finished, 0)
			slow := launchOf(t, rb.fakeBackend, "slow", 1)
			launched := stopThenSlow(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), c.out, slow)
			if launched == c.stops {
				t.Fatalf("after launched: %v, want %v", launched, !c.stops)
			}
			if !c.stops {
				return
			}
			d := waitDocumentEnded(t, e, id)
			m, _ := blockMessage(d, "after")
			if want := failStopAt + "6, for block inline-1, " + inlineStopWhy + ": Inline error: multiline result cannot be used"; m != want {
				t.Errorf("after: %q, want held by the stop at the added inline block", m)
			}
		})
	}
}

// TestAddedInlineStopLinesDeleted: the Emacs Lisp block that adds an
// inline block whose value Babel refuses deletes lines above it, so the
// inline block's line in the buffer comes before the line, in the
// document submitted, of block before, which stands before it in the
// buffer: Emacs runs before and stops at the inline block; after is not
// run.
func TestAddedInlineStopLinesDeleted(t *testing.T) {
	doc := strings.Repeat("L\n", 9) +
		"#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\n" +
		"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n" +
		"#+name: before\n#+begin_src sh :var s=slow\necho before\n#+end_src\n\n" +
		"PLACE HERE\n\n" +
		"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	adder := launchOf(t, rb.fakeBackend, "adder", 1)
	buffer := strings.Replace(strings.Replace(doc, strings.Repeat("L\n", 9), "", 1), "PLACE HERE", "PLACE HERE src_sh[:results output]{echo 1; echo 2}", 1)
	rb.rmu.Lock()
	rb.reports[adder.ID] = addedReport(t, buffer, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho slow"}, markAt{at: "#+begin_src sh :var s=slow\necho before"}, markAt{at: "#+begin_src sh :var s=slow\necho after"}, markAt{at: "src_sh["})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, adder, Finished, 0)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), "1\n2\n")
	finish(rb.fakeBackend, slow, Finished, 0)
	if !endedOrLaunched(e, rb, id, "before") {
		d, _ := e.Document(id)
		m, _ := blockMessage(d, "before")
		t.Fatalf("before, which Emacs runs before the inline block, not run: %q", m)
	}
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "before", 1), Finished, 0)
	// after's reference run of slow, if launched before the stop was
	// known, is finished as slow is; after itself is not launched.
	if endedOrLaunched(e, rb, id, "after") {
		t.Error("after, past the stop at the added inline block, launched")
	}
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"16, for block inline-1") {
		t.Errorf("after: %q, want held by the stop at the added inline block, at its line in the buffer", m)
	}
}

// TestAddedInlineStopHoldsAddedAfter: an Emacs Lisp block adds two
// inline blocks on one line; the first's value Babel refuses inline, so
// Emacs stops there and runs neither the second (which waits for block
// slow here, so it has not started by then) nor block after.
func TestAddedInlineStopHoldsAddedAfter(t *testing.T) {
	e, rb, id := submitToReport(t, addedInlineDoc)
	addTwoInline(t, rb, addedInlineDoc, "#+begin_src sh :var")
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	if stopThenSlow(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), "1\n2\n", slow) {
		t.Fatal("after launched")
	}
	// inline-2's reference run of slow ("inline-2 :var s=slow"), if
	// launched before the stop was known, is finished as slow is.
	if endedOrLaunched(e, rb, id, "inline-2") {
		t.Errorf("inline-2, added after the inline block whose value stopped the document, launched")
	}
	d := waitDocumentEnded(t, e, id)
	for _, b := range d.Blocks {
		if b.Name == "inline-2" && len(b.Instances) == 1 {
			if m := b.Instances[0].Message; !strings.HasPrefix(m, failStopAt+"6, for block inline-1") {
				t.Errorf("inline-2: %q, want held by the stop at the added inline block", m)
			}
		}
	}
}

// addTwoInline has block adder of doc, at its first launch, end adding
// at PLACE HERE two inline blocks: inline-1, whose value Babel refuses
// inline, and inline-2, waiting for block slow; subs are the starts of
// the submitted blocks after slow, in order.
func addTwoInline(t *testing.T, rb *reportBackend, doc string, subs ...string) {
	t.Helper()
	adder := launchOf(t, rb.fakeBackend, "adder", 1)
	buffer := strings.Replace(doc, "PLACE HERE", "PLACE HERE src_sh[:results output]{echo 1; echo 2} and src_sh[:var s=slow]{echo $s}", 1)
	marks := []markAt{{at: "#+begin_src emacs-lisp"}, {at: "#+begin_src sh\necho slow"}}
	for _, x := range subs {
		marks = append(marks, markAt{at: x})
	}
	marks = append(marks, markAt{at: "src_sh[:results"}, markAt{at: "src_sh[:var"})
	rb.rmu.Lock()
	rb.reports[adder.ID] = addedReport(t, buffer, marks...)
	rb.rmu.Unlock()
	finish(rb.fakeBackend, adder, Finished, 0)
}

// inline2Held fails t when inline-2 (addTwoInline) is launched by e, or
// the notes of document id do not say the one stop at inline-1, at line.
func inline2Held(t *testing.T, e *Engine, rb *reportBackend, id string, line int) {
	t.Helper()
	if endedOrLaunched(e, rb, id, "inline-2") {
		t.Error("inline-2, after the added inline block whose value Babel refuses, launched")
	}
	d, _ := e.Document(id)
	if want := fmt.Sprintf("at the block at line %d, for block inline-1,", line); len(d.Notes) != 1 || !strings.Contains(d.Notes[0], want) {
		t.Errorf("notes %q, want the stop at inline-1, line %d", d.Notes, line)
	}
}
