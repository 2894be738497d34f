package engine

import (
	"strings"
	"testing"
)

// An Emacs Lisp block found in the results of a shell block, in a
// document with no Emacs Lisp block of its own: org-babel-execute-buffer
// meets it as it searches on and runs it, writing its value under it,
// and runs the later block after it; a Lisp error stops the document
// there (found_elisp_no_emacs.org, found_elisp_no_emacs_stop.org of
// internal/plan, checked with Emacs 28.2). Borges runs it in an Emacs
// of the document started for it, in the buffer as written so far. The
// later shell block waits for nothing, and Borges runs it at once, as it
// does beside any block that may stop the document; one that says :after
// the shell block waits for the block found too (foundafter.go).

// foundNoEmacsDoc is found_elisp_no_emacs.org's blocks, the found block's
// program given.
func foundNoEmacsDoc(prog string) string {
	return "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '" + prog + "' '#+end_src'\n#+end_src\nText right after.\n\n" +
		"#+name: later\n#+begin_src sh\necho later\n#+end_src\n"
}

// TestFoundEmacsLispNoEmacsRuns: the block found runs, in an Emacs whose
// buffer holds the shell block's results, with point at it, and the
// document is written as Emacs writes it.
func TestFoundEmacsLispNoEmacsRuns(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundNoEmacsDoc("(+ 1 2)"))
	raw := "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n"
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), raw)
	found := launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	// The buffer as written so far: the shell block's results put in,
	// the block found marked in them, point at it.
	put := strings.Index(found.Script, "(borges--put-result 0 \"\n#+RESULTS:\n"+raw)
	mark := strings.Index(found.Script, "(borges--found-mark 1073741824 ")
	at := strings.Index(found.Script, "(borges--goto 1073741824 ")
	if put < 0 || mark < put || at < mark {
		t.Errorf("the block found does not run at its mark in a buffer holding the results it was found in (put at %d, mark at %d, point at %d):\n%s", put, mark, at, found.Script[max(0, len(found.Script)-1500):])
	}
	// Shown as found in block-1's results, not added by an Emacs Lisp
	// block.
	for _, b := range viewBlocks(t, e, id) {
		if b.Name == "block-1-found-1" && (b.AddedBy != "block-1" || !b.Found) {
			t.Errorf("the block found is shown added by %q, found %v; want found in block-1's results", b.AddedBy, b.Found)
		}
	}
	finishLaunch(rb.fakeBackend, found, "3")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "later", 1), "later")
	want := "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(+ 1 2)' '#+end_src'\n#+end_src\n\n#+RESULTS:\n" + raw +
		"\n#+RESULTS:\n: 3\n\nText right after.\n\n#+name: later\n#+begin_src sh\necho later\n#+end_src\n\n#+RESULTS: later\n: later\n"
	finishedAs(t, e, rb.fakeBackend, id, want, 3)
}

// TestFoundEmacsLispNoEmacsStops: the block found signals an error: the
// document stops there; the later block, which had started by then, runs
// on, its view saying so, but its results are not written: the document
// is Emacs's (checked with Emacs 28.2).
func TestFoundEmacsLispNoEmacsStops(t *testing.T) {
	doc := foundNoEmacsDoc("(car 1)")
	e, rb, id := submitToReport(t, doc)
	// The later block, waiting for nothing, started with the first.
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "later", 1), "later")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), "#+begin_src emacs-lisp\n(car 1)\n#+end_src\n")
	signalled(rb, launchOf(t, rb.fakeBackend, "block-1-found-1", 1), "Wrong type argument: listp, 1")
	d := waitDocumentEnded(t, e, id)
	wantNote(t, d, "stops this document at the block at line 6, for block block-1-found-1, an Emacs Lisp block that signalled an error")
	for _, b := range d.Blocks {
		if b.Name == "block-1-found-1" && (len(b.Instances) != 1 || !strings.Contains(b.Instances[0].Message, "org-babel-execute-buffer stopped at this block, at line 6: Wrong type argument: listp, 1")) {
			t.Errorf("the block found: %+v, want it stopped there", b.Instances)
		}
	}
	if m, _ := blockMessage(d, "later"); !strings.HasPrefix(m, "ran past the stop") || !strings.HasSuffix(m, ranPastUnwritten) {
		t.Errorf("later: %q, want it to say it ran past the stop, its results not written", m)
	}
	wantAsEmacs(t, e, id, withFoundResults(doc, "Text right after.", "#+RESULTS:\n#+begin_src emacs-lisp\n(car 1)\n#+end_src\n"))
}

// TestFoundEmacsLispNoEmacsRestarted: a server started again on the
// store of a document whose found Emacs Lisp block ran shows it as
// written, launching nothing.
func TestFoundEmacsLispNoEmacsRestarted(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, foundNoEmacsDoc("(+ 1 2)"))
	raw := "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n"
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), raw)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1-found-1", 1), "3")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "later", 1), "later")
	want := "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(+ 1 2)' '#+end_src'\n#+end_src\n\n#+RESULTS:\n" + raw +
		"\n#+RESULTS:\n: 3\n\nText right after.\n\n#+name: later\n#+begin_src sh\necho later\n#+end_src\n\n#+RESULTS: later\n: later\n"
	finishedAs(t, e, rb.fakeBackend, id, want, 3)
	stop()
	checkRestartedSame(t, dir, rb, id, want, 3)
}

// TestFoundEmacsLispNoEmacsTwoOwners: Emacs Lisp blocks found in the
// results of two shell blocks run in one Emacs, in the buffer's order,
// keyed so though the second owner finished first (found_order.go):
// the second waits for the first, and puts in the buffer the results
// Emacs wrote before it, the first's and the shell block's between them
// (found_elisp_no_emacs_two.org of internal/plan: Emacs counts 33
// lines).
func TestFoundEmacsLispNoEmacsTwoOwners(t *testing.T) {
	doc := "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(setq borges-found 42)' '#+end_src'\n#+end_src\nText right after.\n\n" +
		"#+name: between\n#+begin_src sh\necho between\n#+end_src\n\n" +
		"#+name: second\n#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(list borges-found (count-lines (point-min) (point-max)))' '#+end_src'\n#+end_src\nText after the second.\n"
	raw1 := "#+begin_src emacs-lisp\n(setq borges-found 42)\n#+end_src\n"
	raw2 := "#+begin_src emacs-lisp\n(list borges-found (count-lines (point-min) (point-max)))\n#+end_src\n"
	_, rb, e, _, id := submitOnDisk(t, doc)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "between", 1), "between")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "second", 1), raw2)
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), raw1)
	first := launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	// Keyed in the buffer's order, though the second owner finished
	// first: the first block found marks itself alone.
	if !strings.Contains(first.Script, "(borges--found-mark 1073741824 ") || strings.Contains(first.Script, "(borges--found-mark 1073741825 ") {
		t.Errorf("the first block found is not marked by the first key alone:\n%s", first.Script[max(0, len(first.Script)-1500):])
	}
	if launchedBlock(rb, "second-found-1") {
		t.Fatal("the second block found launched before the first ended")
	}
	finishLaunch(rb.fakeBackend, first, "42")
	second := launchOf(t, rb.fakeBackend, "second-found-1", 1)
	for _, put := range []string{"(borges--put-result 1073741824 \"\n#+RESULTS:\n: 42\n\"", "\n#+RESULTS: between\n: between\n\"", "(borges--found-mark 1073741825 "} {
		if !strings.Contains(second.Script, put) {
			t.Errorf("the second block found does not put in %q:\n%s", put, second.Script[max(0, len(second.Script)-2500):])
		}
	}
	finishLaunch(rb.fakeBackend, second, "(42 33)")
	want := "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(setq borges-found 42)' '#+end_src'\n#+end_src\n\n#+RESULTS:\n" + raw1 +
		"\n#+RESULTS:\n: 42\n\nText right after.\n\n#+name: between\n#+begin_src sh\necho between\n#+end_src\n\n#+RESULTS: between\n: between\n\n" +
		"#+name: second\n#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(list borges-found (count-lines (point-min) (point-max)))' '#+end_src'\n#+end_src\n\n#+RESULTS: second\n" + raw2 +
		"\n#+RESULTS:\n| 42 | 33 |\n\nText after the second.\n"
	finishedAs(t, e, rb.fakeBackend, id, want, 5)
}

// TestFoundEmacsLispNoEmacsOwnerRunAgain: the shell block run again
// prints another Emacs Lisp block: the one found now runs, starting the
// Emacs again with the buffer as written now, and its value is written.
func TestFoundEmacsLispNoEmacsOwnerRunAgain(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundNoEmacsDoc("(+ 1 2)"))
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "later", 1), "later")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n")
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1-found-1", 1), "3")
	waitDocumentFinished(t, e, id)
	if err := e.RestartBlock(t.Context(), id, "block-1"); err != nil {
		t.Fatal(err)
	}
	raw := "#+begin_src emacs-lisp\n(* 2 3)\n#+end_src\n"
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 2), raw)
	again := launchOf(t, rb.fakeBackend, "block-1-found-1", 2)
	if !strings.Contains(again.Script, "(borges--start-buffer ") || !strings.Contains(again.Script, `(org-babel-execute:emacs-lisp "(* 2 3)"`) {
		t.Errorf("the block found again does not start the Emacs again and run there:\n%s", again.Script[max(0, len(again.Script)-1500):])
	}
	finishLaunch(rb.fakeBackend, again, "6")
	want := "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(+ 1 2)' '#+end_src'\n#+end_src\n\n#+RESULTS:\n" + raw +
		"\n#+RESULTS:\n: 6\n\nText right after.\n\n#+name: later\n#+begin_src sh\necho later\n#+end_src\n\n#+RESULTS: later\n: later\n"
	finishedAs(t, e, rb.fakeBackend, id, want, 5)
}

// TestFoundEmacsLispNoEmacsAfterFoundShell: a shell block and an Emacs
// Lisp block found in one block's results: the Emacs Lisp block waits
// for the shell block found before it and puts its results in the buffer
// before it runs (found_elisp_no_emacs_mixed.org of internal/plan).
func TestFoundEmacsLispNoEmacsAfterFoundShell(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, foundNoEmacsDoc("(count-lines (point-min) (point-max))"))
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "later", 1), "later")
	raw := "#+begin_src sh\necho found\n#+end_src\n\n#+begin_src emacs-lisp\n(count-lines (point-min) (point-max))\n#+end_src\n"
	finishLaunch(rb.fakeBackend, launchOf(t, rb.fakeBackend, "block-1", 1), raw)
	sh := launchOf(t, rb.fakeBackend, "block-1-found-1", 1)
	if launchedBlock(rb, "block-1-found-2") {
		t.Fatal("the Emacs Lisp block found launched before the shell block found before it ended")
	}
	finishLaunch(rb.fakeBackend, sh, "found")
	el := launchOf(t, rb.fakeBackend, "block-1-found-2", 1)
	if !strings.Contains(el.Script, "(borges--put-result 1073741824 \"\n#+RESULTS:\n: found\n\"") {
		t.Errorf("the Emacs Lisp block found does not put the shell block's results in:\n%s", el.Script[max(0, len(el.Script)-1500):])
	}
	finishLaunch(rb.fakeBackend, el, "20")
	want := "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(count-lines (point-min) (point-max))' '#+end_src'\n#+end_src\n\n#+RESULTS:\n" +
		"#+begin_src sh\necho found\n#+end_src\n\n#+RESULTS:\n: found\n\n#+begin_src emacs-lisp\n(count-lines (point-min) (point-max))\n#+end_src\n" +
		"\n#+RESULTS:\n: 20\n\nText right after.\n\n#+name: later\n#+begin_src sh\necho later\n#+end_src\n\n#+RESULTS: later\n: later\n"
	finishedAs(t, e, rb.fakeBackend, id, want, 4)
}
