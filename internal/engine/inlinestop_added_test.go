package engine

import (
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
