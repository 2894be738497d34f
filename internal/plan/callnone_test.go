package plan

import "testing"

// A #+call: line under :results none (its own end header, or the called
// block's) hands a reference its value: org-babel-ref-resolve runs the
// call with org-babel-lob-get-info's headers, not yet processed, and
// its :results silent replaces none. A block's own :results none gives
// nil: org-babel-get-src-block-info has processed its headers, and the
// none kept in its :result-params silences the value (fixture
// hunt24_call_export_args: Borges gave "later=nil" for Emacs's 12).
func TestCallResultsNoneValueForReference(t *testing.T) {
	p := mustPlan(t, `#+name: twice
#+begin_src sh :var x=1
echo $((x * 2))
#+end_src

#+name: quiet
#+begin_src sh :results none
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
	for _, c := range []struct{ name, out, want string }{
		{"later", "12\n", "12"},
		{"quietcall", "5\n", "5"},
		{"quiet", "5\n", "nil"},
	} {
		if got := ResultValue(taskNamed(t, p, c.name), c.out); got.Scalar != c.want {
			t.Errorf("%s: value %+v, want %q", c.name, got, c.want)
		}
	}
}
