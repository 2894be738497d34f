package plan

import "testing"

// TestRefusedFormLisp: the Lisp forms a rewritten :var value of a block
// :eval refuses may be, which Borges evaluates in the document's Emacs
// at the block's turn (turnLispForms), and those it does not know the
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
