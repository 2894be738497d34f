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

// sideEffectLisp finds a call of a function that sets, edits or signals
// anywhere in a form, not in its strings, characters or comments.
func TestSideEffectLisp(t *testing.T) {
	for src, want := range map[string]bool{
		`(progn (setq n (1+ n)) "no")`: true,
		`(concat "out" ".sh")`:         false,
		`(concat "(setq x 1)" "y")`:    false,
		`(list ?\( 'setq)`:             false,
		"(list 1) ; (error \"x\")":     false,
		`(if t (error "boom") "no")`:   true,
		`( cl-incf n)`:                 true,
		`(my-tag)`:                     false,
	} {
		if got := sideEffectLisp(src); got != want {
			t.Errorf("sideEffectLisp(%s) = %v, want %v", src, got, want)
		}
	}
}
