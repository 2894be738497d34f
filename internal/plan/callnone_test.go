package plan

import "testing"

// A reference to a #+call: line under :results none (its own end header,
// or the called block's) has a value: org-babel-ref-resolve runs the
// call with org-babel-lob-get-info's headers, not yet processed, and its
// :results silent replaces the none; its :post runs. A block's own
// :results none gives nil: org-babel-get-src-block-info has processed
// its headers, and the none kept in its :result-params silences the
// value (fixtures hunt24_call_export_args, Borges "later=nil" for
// Emacs's 12, and hunt24_call_none_post, 10 for 11).
func TestCallResultsNoneValueForReference(t *testing.T) {
	p := mustPlan(t, `#+name: twice
#+begin_src sh :var x=1
echo $((x * 2))
#+end_src

#+name: quiet
#+begin_src sh :results none :post twice(x=*this*)
echo 5
#+end_src

#+name: later
#+call: twice(x=6) :results none

#+name: quietcall
#+call: quiet()

#+begin_src sh :var l=later :var q=quietcall :var b=quiet
echo "$l $q $b"
#+end_src
`)
	for _, c := range []struct{ task, out, want string }{
		{"block-3 :var l=later", "12\n", "12"},
		{"block-3 :var b=quiet", "5\n", "nil"},
	} {
		if got := ResultValue(taskNamed(t, p, c.task), c.out); got.Scalar != c.want {
			t.Errorf("%s: value %q, want %q", c.task, got.Scalar, c.want)
		}
	}
	// The call's :post runs for the reference, not for the block's.
	posts := map[string]bool{}
	for _, x := range p.Tasks {
		if x.Post {
			posts[x.PostOwner()] = true
		}
	}
	if !posts["block-3 :var q=quietcall"] || posts["block-3 :var b=quiet"] {
		t.Errorf(":post tasks of %v, want the call's reference's alone", posts)
	}
}

// sideEffectLisp finds a call of a function that sets, edits, signals
// or changes what later blocks see anywhere in a form, not in its
// strings, characters, comments, quoted data, condition-case handler
// conditions or let-bound names; the forms it must not refuse pass.
func TestSideEffectLisp(t *testing.T) {
	for src, want := range map[string]bool{
		`(progn (setq n (1+ n)) "no")`:                                    true,
		`(if t (error "boom") "no")`:                                      true,
		`( cl-incf n)`:                                                    true,
		`(progn (setenv "FOO" "bar") "no")`:                               true,
		`(progn (cd "/tmp") "no")`:                                        true,
		`(progn (defun f () 1) "no")`:                                     true,
		`(progn (defalias 'f #'car) "no")`:                                true,
		`(progn (fset 'f #'car) "no")`:                                    true,
		`(progn (load "x") "no")`:                                         true,
		`(progn (require 'x) "no")`:                                       true,
		`(progn (puthash 1 2 h) "no")`:                                    true,
		`(progn (setcar l 1) "no")`:                                       true,
		`(progn (setcdr l 1) "no")`:                                       true,
		`(progn (aset v 0 1) "no")`:                                       true,
		`(progn (nconc l '(1)) "no")`:                                     true,
		`(progn (cl-pushnew 1 l) "no")`:                                   true,
		`(progn (add-hook 'h #'f) "no")`:                                  true,
		`(progn (with-temp-file "f" (insert "x")) "no")`:                  true,
		`(progn (kill-emacs 0) "no")`:                                     true,
		`(funcall #'set 'x 1)`:                                            true,
		`(funcall #'concat "a")`:                                          true,
		`(apply #'concat '("a"))`:                                         true,
		`(eval '(concat "a"))`:                                            true,
		`(mapc #'set '(x) '(1))`:                                          true,
		`(foo?(setq x 1))`:                                                true,
		`(let ((x (setq y 1))) x)`:                                        true,
		`(condition-case nil (setq x 1) (error "no"))`:                    true,
		`(condition-case nil "a" (error (setq x 1)))`:                     true,
		`(cond ((setq x 1) "a"))`:                                         true,
		`(lambda () (setenv "A" "b"))`:                                    true,
		"`(a ,(setq x 1))":                                                true,
		`(concat "out" ".sh")`:                                            false,
		`(concat "(setq x 1)" "y")`:                                       false,
		`(concat "a\"(setq x 1)" "y")`:                                    false,
		`(list ?\( 'setq)`:                                                false,
		`(list ?( 'setq)`:                                                 false,
		`(list ?\" (setq-is-not-called))`:                                 false,
		"(list 1) ; (error \"x\")":                                        false,
		`(my-tag)`:                                                        false,
		`(foo? (concat "a"))`:                                             false,
		`(concat '(setq x 1) "a")`:                                        false,
		`(concat (quote (setq x 1)) "a")`:                                 false,
		`(condition-case nil (expand-file-name "a.el" dir) (error "no"))`: false,
		`(condition-case err (expand-file-name "a.el") ((error file-error) "no"))`: false,
		`(ignore-error (error file-error) (expand-file-name "a.el"))`:              false,
		`(let ((error nil) (setq "a")) (concat setq "b"))`:                         false,
		`(let* ((set 1)) set)`:                   false,
		`(cond (error "a") (t "b"))`:             false,
		`(if (eq system-type 'darwin) "a" "no")`: false,
		`(concat (getenv "HOME") "/a.sh")`:       false,
		`(identity #o755)`:                       false,
		`(concat [setq x] "a")`:                  false,
		`(lambda (setq) (concat setq))`:          false,
	} {
		if got := sideEffectLisp(src); got != want {
			t.Errorf("sideEffectLisp(%s) = %v, want %v", src, got, want)
		}
	}
}
