package plan

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// TestResultsFoundAdded: the blocks org-babel-execute-buffer finds in the
// results written (org.Document.ReportResults) are added as the blocks an
// Emacs Lisp block adds are: a task of each Borges runs (a block, a
// #+call: of a block of the document, its results keyed AddedKey and up),
// kept by a later report; one of a language Babel has no function for
// says the error that stops Emacs there; the blocks of the document keep
// their tasks, but one inside results replaced, which Emacs no longer
// finds.
func TestResultsFoundAdded(t *testing.T) {
	text := "#+name: sq\n#+begin_src sh :var n=2\necho $((n*n))\n#+end_src\n\n" +
		"#+begin_src sh :results code\necho 'echo nested'\n#+end_src\nText.\n\n" +
		"#+begin_src sh :results raw\necho '#+call: sq(n=3)'\n#+end_src\nAfter.\n\n" +
		"#+begin_src sh :results raw\necho x\n#+end_src\n\n#+RESULTS:\n#+begin_src sh\necho old\n#+end_src\nAfter old.\n\n" +
		"#+begin_src sh :results raw\necho '#+begin_src nosuchlang'\n#+end_src\nEnd.\n"
	doc, p, task := planned(t, text)
	outputs := []string{"4\n", "echo nested\n", "#+call: sq(n=3)\n", "#+begin_src nosuchlang\nanything\n#+end_src\n", "old\n", "#+begin_src nosuchlang\nx\n#+end_src\n"}
	exes := doc.Executables()
	if len(exes) != len(outputs) {
		t.Fatalf("%d executables, %d outputs", len(exes), len(outputs))
	}
	results := map[int]org.Result{}
	for i, b := range exes {
		results[b.Index] = org.Result{Output: outputs[i]}
	}
	rep := doc.ReportResults(results, nil)
	e, added := foundAdded(t, doc, p, rep, 4)
	for i, lang := range []string{"sh", "sh", "nosuchlang", "nosuchlang"} {
		if a := added[i]; a.Key != org.AddedKey+i || a.Lang != lang {
			t.Errorf("found %d: key %d, language %q; want %d, %q", i, a.Key, a.Lang, org.AddedKey+i, lang)
		}
	}
	if a := added[0]; a.Task == nil || a.Why != "" || a.Task.ResultsIndex() != org.AddedKey {
		t.Errorf("the block in code results: %+v", a)
	} else if prog, err := Render(doc, a.Task, nil); err != nil || !strings.Contains(prog, "echo nested") {
		t.Errorf("the block in code results runs %q, %v", prog, err)
	}
	if a := added[1]; a.Task == nil || a.Why != "" {
		t.Errorf("the call in raw results: %+v", a)
	}
	want := `language "nosuchlang" has no interpreter Borges runs; org-babel-execute-buffer, finding it in the buffer, stops there: "No org-babel-execute function for nosuchlang!"`
	for _, a := range added[2:] {
		if a.Task != nil || a.Why != want {
			t.Errorf("the block of no language Babel runs: %+v", a)
		}
	}
	for _, name := range []string{"sq", "block-2", "block-3", "block-4", "block-6"} {
		if d := e.Decide(task[name]); d.Kind != Kept {
			t.Errorf("%s: %+v", name, d)
		}
	}
	if d := e.Decide(task["block-5"]); d.Kind != Deleted {
		t.Errorf("the block in results replaced: %+v", d)
	}
	// Its result written, the block found gets no further marks (a
	// blank line follows its results), and is kept.
	results[org.AddedKey] = org.Result{Output: "nested\n"}
	rep2 := doc.ReportResults(results, rep)
	if len(rep2.Marks) != len(rep.Marks) {
		t.Errorf("%d marks, want %d", len(rep2.Marks), len(rep.Marks))
	}
	e2, err := BufferEdits(doc, p, rep2, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if d := e2.DecideAdded(added[0].Task); d.Kind != Kept {
		t.Errorf("the block found, after it ran: %+v", d)
	}
}

// TestResultsFoundAfterSameNameWhy: a block named v found in the results
// of a block of the document named v, where a block named v found in an
// earlier block's results stands first in the buffer: not run, and it
// says why truly, naming where that first block stands (Borges runs the
// first, found in those results, so it does not say it does not).
func TestResultsFoundAfterSameNameWhy(t *testing.T) {
	text := "* Found v, then a document block v finding another\n#+begin_src sh :results output drawer\nprintf '#+name: v\\n#+begin_src sh\\necho v one\\n#+end_src\\n'\n#+end_src\n\n" +
		"#+name: v\n#+begin_src sh :results output drawer\nprintf '#+name: v\\n#+begin_src sh\\necho v three\\n#+end_src\\n'\n#+end_src\n"
	doc, p, _ := planned(t, text)
	results := map[int]org.Result{}
	for i, b := range doc.Executables() {
		results[b.Index] = org.Result{Output: []string{"#+name: v\n#+begin_src sh\necho v one\n#+end_src\n", "#+name: v\n#+begin_src sh\necho v three\n#+end_src\n"}[i]}
	}
	rep := doc.ReportResults(results, nil)
	_, added := foundAdded(t, doc, p, rep, 1)
	want := `its results would replace those of the first block named "v" in the Org buffer at line 8, which is neither a block of the document nor one found in the results searched with it: Borges does not run it`
	if a := added[0]; a.Task != nil || a.Why != want {
		t.Errorf("the block found in v's results: task %v, why %q; want %q", a.Task != nil, a.Why, want)
	}
}

// TestResultsFoundEmacsLispNoEmacs: an Emacs Lisp block found in a shell
// block's results, in a document with no Emacs Lisp block of its own,
// which org-babel-execute-buffer runs as it meets it: it has a task of an
// Emacs, the first there, which puts the buffer as written so far in it
// (found_elisp_no_emacs.org).
func TestResultsFoundEmacsLispNoEmacs(t *testing.T) {
	doc, p, _ := planned(t, "#+begin_src sh :results raw\nprintf '%s\\n' '#+begin_src emacs-lisp' '(+ 1 2)' '#+end_src'\n#+end_src\nText.\n")
	rep := doc.ReportResults(map[int]org.Result{doc.Executables()[0].Index: {Output: "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n"}}, nil)
	_, added := foundAdded(t, doc, p, rep, 1)
	switch a := added[0]; {
	case a.Task == nil || a.Why != "":
		t.Errorf("the Emacs Lisp block found: no task (%q)", a.Why)
	case a.Task.Session == nil || a.Task.Session.Kind != string(session.Emacs) || !a.Task.BufferStart || a.Task.BufferPrev != "":
		t.Errorf("the Emacs Lisp block found: session %+v, first in it %v (after %q); want the first task of an Emacs", a.Task.Session, a.Task.BufferStart, a.Task.BufferPrev)
	}
}

// foundAdded is the edits rep makes of doc's plan p, and the blocks
// found in its results, failing the test unless there are n.
func foundAdded(t *testing.T, doc *org.Document, p *Plan, rep *org.BufferReport, n int) (*Edits, []Addition) {
	t.Helper()
	e, err := BufferEdits(doc, p, rep, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	added := e.Added()
	if len(added) != n {
		t.Fatalf("%d blocks found in results, want %d: %+v\n%s", len(added), n, added, rep.Text)
	}
	return e, added
}
