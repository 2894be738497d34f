package main

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// TestStopAtInlineInHeadingE2E: an inline block in a heading with no
// contents stops org-babel-execute-buffer (checked against Emacs 28.2 /
// Org 9.5.5, which writes the document below and stops with "Wrong type
// argument: number-or-marker-p, nil"): through the server, the block
// before it runs, the block after it is never launched and says why, and
// the document's notes say where it stopped.
func TestStopAtInlineInHeadingE2E(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	stopAtInline(t, s, "sh", "echo before", "before")
}

// TestStopAtInlineInHeadingEmacsLispE2E is TestStopAtInlineInHeadingE2E
// in a document of Emacs Lisp, written back from the document's Emacs.
func TestStopAtInlineInHeadingEmacsLispE2E(t *testing.T) {
	t.Parallel()
	emacsRunner(t) // skips without Emacs (fails under BORGES_TEST_STRICT=1)
	s := startServer(t, t.TempDir())
	stopAtInline(t, s, "emacs-lisp", "(+ 1 2)", "3")
}

// stopAtInline runs on s a document of a block of lang (body, printing
// result) and after it an inline block in a heading with no contents,
// then a block that is not run.
func stopAtInline(t *testing.T, s *server, lang, body, result string) {
	t.Helper()
	first := "#+name: first\n#+begin_src " + lang + "\n" + body + "\n#+end_src\n"
	doc := first + "\n* A src_sh{echo 1}\n* B\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n"
	v := s.submit(doc)
	until(t, "finished", func() bool { return s.doc(v.ID).State.Terminal() })
	d := s.doc(v.ID)
	after := blockOf(d, "after")
	const why = "not run: org-babel-execute-buffer stopped before it, at the inline block at line 6, in a heading with no contents: \"Wrong type argument: number-or-marker-p, nil\""
	if len(after.Instances) != 1 || after.Instances[0].Message != why || after.Instances[0].Attempts != 0 || after.State != engine.Finished {
		t.Errorf("after: %+v; want finished, never launched: %q", after, why)
	}
	if !strings.Contains(strings.Join(d.Notes, "\n"), "stops this document at the inline block") {
		t.Errorf("notes: %q", d.Notes)
	}
	// What Emacs writes.
	want := first + "\n#+RESULTS: first\n: " + result + "\n\n* A src_sh{echo 1}\n* B\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n"
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Errorf("results document:\n%s\nwant (Emacs):\n%s", got, want)
	}
}

// TestTypoReferenceRefusedE2E: a :var naming no block (a typo) is bad
// input Borges sees before running anything: the server answers 400
// naming the line, the header argument and the name, and runs nothing
// (Emacs would run the block before and stop at this one: a deliberate
// difference, plan's TestUnknownReferenceRefused).
func TestTypoReferenceRefusedE2E(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	doc := "#+begin_src sh\necho before\n#+end_src\n\n#+name: typo\n#+begin_src sh :var x=nosuhc\necho \"$x\"\n#+end_src\n"
	code, body := s.post(doc, "text/org", "")
	if want := `line 5: block "typo": :var: no runnable block named "nosuhc"`; code != 400 || !strings.Contains(body, want) {
		t.Errorf("%d %s\nwant 400 with %s", code, body, want)
	}
}
