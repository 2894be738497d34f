package plan

import (
	"strings"
	"testing"
)

// TestRefusedFormLisp: the Lisp forms a rewritten :var value of a block
// :eval refuses may be, which Borges evaluates in the document's Emacs
// at the block's turn (turnLispFormsWith), and those it does not know the
// end of: code of the document's or Org's, files, processes, buffer
// edits, and signals no condition-case of error catches.
func TestRefusedFormLisp(t *testing.T) {
	for _, c := range []struct {
		form string
		want bool
	}{
		{`(+ 1 2)`, true},
		{`(error "boom")`, true},
		{`(error "boom %s" (+ 1 2))`, true},
		{`(user-error "no")`, true},
		{`(signal 'error '("boom"))`, true},
		{`(signal 'arith-error nil)`, true},
		{`(signal 'wrong-type-argument '(numberp "x"))`, true},
		{`(setq my-count 2)`, true},
		{`'(org-sbe "a")`, true},
		{"`(a ,(+ 1 2))", true},
		{`(signal 'quit nil)`, false},
		{`(signal 'minibuffer-quit nil)`, false},
		{`(signal 'my-own-error nil)`, false},
		{`(signal (quote error) nil)`, false},
		{`(signal (intern "quit") nil)`, false},
		{`(signal 'error)`, false},
		{`(signal 'error nil nil)`, false},
		{`(signal 'error (shell-command "true"))`, false},
		{`(org-sbe "a")`, false},
		{`(funcall 'error "x")`, false},
		{`(apply 'error '("x"))`, false},
		{`(eval '(+ 1 2))`, false},
		{`(with-temp-file "f" (insert "x"))`, false},
		{`(shell-command "touch f")`, false},
		{`(insert "x")`, false},
		{`(setq x (org-babel-read "1"))`, false},
		{`(setq org-confirm-babel-evaluate nil)`, false},
		{"`(a ,(shell-command \"true\"))", false},
		{`(keyboard-quit)`, false},
		{`(throw 'done 1)`, false},
	} {
		if got := refusedFormLisp(c.form); got != c.want {
			t.Errorf("refusedFormLisp(%s) = %v, want %v", c.form, got, c.want)
		}
	}
}

// TestBufferEditsRefusedEndRuns: an Emacs Lisp block rewrote the :var
// x=5 of ref, a block :eval no refuses and the last (with or without a
// block :eval no refuses after it), into a Lisp form
// (stop_elisp_ref_eval_no_lisp_last.org, _last_refused_after.org): no
// task stands after ref to wait for the form's run, so EndStop gives
// it (Runs), with no stop of its own: the run's end tells. A block
// after ref whose reading Borges does not know keeps the note unread.
func TestBufferEditsRefusedEndRuns(t *testing.T) {
	lisp := func(_ int, b string) string {
		return strings.Replace(b, ":var x=5 ", `:var x=(error "lastboom") `, 1)
	}
	const never = "#+name: never\n#+begin_src sh :eval no\necho never\n#+end_src\n"
	for _, blocks := range [][]string{{turnFirst, turnEditor, turnRef}, {turnEditor, turnRef, never}} {
		e, _ := editedBlocks(t, blocks, lisp)
		s, ok := e.EndStop()
		if !ok || len(s.Runs) != 1 || s.Stop != "" || s.Unread != "" || s.Runs[0].LispVarOf() == "" {
			t.Errorf("%d blocks: EndStop %+v %v; want the run of ref's form alone", len(blocks), s, ok)
		}
	}
	const self = "#+name: self\n#+begin_src sh :var y=7 :eval no\necho self\n#+end_src\n"
	e, _ := editedBlocks(t, []string{turnEditor, turnRef, self}, func(i int, b string) string {
		return strings.Replace(lisp(i, b), ":var y=7 ", ":var y=(shell-command \"true\") ", 1)
	})
	if s, ok := e.EndStop(); !ok || len(s.Runs) != 0 || s.Unread == "" {
		t.Errorf("an unknown reading after ref: EndStop %+v %v; want no runs, unread", s, ok)
	}
}
