package engine

import (
	"strings"
	"testing"
)

// editedAboveLines are the lines p26's Emacs Lisp block puts above the
// block it edits: enough that the edited block's line in the buffer
// stands past the stop's line in the document submitted.
const editedAboveLines = "l1\n\nl2\n\nl3\n\nl4\n\nl5\n\nl6\n\nl7\n\nl8\n\nl9\n\nl10\n\n"

// editedBeforeStopDoc has an Emacs Lisp block edit x (echo xx → echo yy)
// and put editedAboveLines above it; inline, after x, stops Emacs.
func editedBeforeStopDoc(inline string) string {
	return "#+name: el\n#+begin_src emacs-lisp :results silent\n(edit)\n#+end_src\n\n" +
		"#+name: x\n#+begin_src sh\necho xx\n#+end_src\n\n" +
		"Text " + inline + " here.\n\n" +
		"#+name: after\n#+begin_src sh\necho after\n#+end_src\n"
}

// runEditedBeforeStop runs editedBeforeStopDoc(inline): el reports the
// buffer it left, x runs as edited, printing yy, the inline block prints
// inlineOut. It returns the results document.
func runEditedBeforeStop(t *testing.T, inline, inlineOut string) (got, buffer string) {
	t.Helper()
	doc := editedBeforeStopDoc(inline)
	e, rb, id := submitToReport(t, doc)
	el := launchOf(t, rb.fakeBackend, "el", 1)
	buffer = strings.Replace(strings.Replace(doc, "echo xx", "echo yy", 1), "#+name: x\n", editedAboveLines+"#+name: x\n", 1)
	rb.rmu.Lock()
	rb.reports[el.ID] = addedReport(t, buffer, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh\necho yy", changed: true},
		markAt{at: inline}, markAt{at: "#+begin_src sh\necho after"})
	rb.rmu.Unlock()
	endWith(t, e, rb, id, el, "")
	x := launchOf(t, rb.fakeBackend, "x", 1)
	if !strings.Contains(x.Script, "echo yy") {
		t.Fatalf("x runs as submitted, not as el left it:\n%s", x.Script)
	}
	endWith(t, e, rb, id, x, "yy\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), inlineOut)
	endedFinishingLaunched(t, e, rb, id)
	text, err := e.ResultDocument(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return text, buffer
}

// TestPastStopEditedBlockBeforeStopWritten: an Emacs Lisp block edits x,
// before the stop, and puts ten paragraphs above it, so that x's line in
// the buffer is past the stop's line in the document submitted; x still
// stands before the stop, in the buffer as in the document, and Emacs
// writes its results (p26: a stop the plan knows; p27: one known when
// the inline block ends), checked with Emacs 28.2.
func TestPastStopEditedBlockBeforeStopWritten(t *testing.T) {
	for _, c := range []struct{ name, inline, out string }{
		{"plan stop", "src_sh[:results table]{echo 1}", "1\n"},
		{"inline value refused", "src_sh[:results output]{sleep 3; echo 1; echo 2}", "1\n2\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, buffer := runEditedBeforeStop(t, c.inline, c.out)
			want := strings.Replace(buffer, "echo yy\n#+end_src\n", "echo yy\n#+end_src\n\n#+RESULTS: x\n: yy\n", 1)
			if got != want {
				t.Errorf("results document:\n%s\nwant, as Emacs writes it:\n%s", got, want)
			}
		})
	}
}

// TestPastStopEditedStopBlockMoved: an Emacs Lisp block edits js (its
// value, '    ', one Emacs's reader cannot read: the stop) and puts ten
// paragraphs above it, so that js's line in the buffer is past z's line
// in the document submitted; z, after js in both, waits for nothing and
// runs before the stop is known, but Emacs never comes to it: its
// results stay as they were (p30, checked with Emacs 28.2).
func TestPastStopEditedStopBlockMoved(t *testing.T) {
	const doc = "#+name: el\n#+begin_src emacs-lisp :results silent\n(edit)\n#+end_src\n\n" +
		"#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n" +
		"#+name: z\n#+begin_src sh\necho z\n#+end_src\n\n#+RESULTS: z\n: old z\n"
	e, rb, id := submitToReport(t, doc)
	el := launchOf(t, rb.fakeBackend, "el", 1)
	buffer := strings.Replace(strings.Replace(doc, "return '   '", "return '    '", 1), "#+name: js\n", editedAboveLines+"#+name: js\n", 1)
	rb.rmu.Lock()
	rb.reports[el.ID] = addedReport(t, buffer, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src js", changed: true},
		markAt{at: "#+begin_src sh\necho z"})
	rb.rmu.Unlock()
	endWith(t, e, rb, id, el, "")
	js := launchOf(t, rb.fakeBackend, "js", 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "z", 1), "z\n")
	endWith(t, e, rb, id, js, "'    '\n")
	waitStopNoted(t, e, id)
	endedFinishingLaunched(t, e, rb, id)
	wantAsEmacs(t, e, id, buffer)
}
