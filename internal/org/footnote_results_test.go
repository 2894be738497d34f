package org

import "testing"

// TestResultsInFootnoteDefinition: org-indent-line puts a new #+RESULTS:
// line of a block or call held by a footnote definition (directly or in
// its lists) at column 0 — the line opened after the block is the
// definition's, whose lines org--get-expected-indentation starts at 0 —
// and its results with it, whatever holds it there (a quote, a drawer, a
// list): the blank line Babel inserts and the line it opens are two blank
// lines, which end the definition, so the line opened is the
// definition's (checked against Emacs 28.2 / Org 9.5.5).
func TestResultsInFootnoteDefinition(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"in a list", "[fn:1] x\n- a\n  #+begin_src sh\n  echo a\n  #+end_src\n- b\n",
			"[fn:1] x\n- a\n  #+begin_src sh\n  echo a\n  #+end_src\n\n#+RESULTS:\n: out\n\n- b\n"},
		{"indented directly", "[fn:2] y\n  #+begin_src sh\n  echo d\n  #+end_src\n",
			"[fn:2] y\n  #+begin_src sh\n  echo d\n  #+end_src\n\n#+RESULTS:\n: out\n"},
		{"a call in a list", "[fn:3] z\n- c\n  #+call: f()\n\n* H\n#+name: f\n#+begin_src sh :eval no\n#+end_src\n",
			"[fn:3] z\n- c\n  #+call: f()\n\n#+RESULTS:\n: out\n\n* H\n#+name: f\n#+begin_src sh :eval no\n#+end_src\n"},
		{"in a quote", "[fn:4] q\n#+begin_quote\n  #+begin_src sh\n  echo q\n  #+end_src\n#+end_quote\n",
			"[fn:4] q\n#+begin_quote\n  #+begin_src sh\n  echo q\n  #+end_src\n\n#+RESULTS:\n: out\n\n#+end_quote\n"},
		{"in a drawer", "[fn:6] d\n:DR:\n  #+begin_src sh\n  echo d\n  #+end_src\n:END:\n",
			"[fn:6] d\n:DR:\n  #+begin_src sh\n  echo d\n  #+end_src\n\n#+RESULTS:\n: out\n\n:END:\n"},
		{"after the definition", "[fn:5] w\n\n\n- e\n  #+begin_src sh\n  echo e\n  #+end_src\n",
			"[fn:5] w\n\n\n- e\n  #+begin_src sh\n  echo e\n  #+end_src\n\n  #+RESULTS:\n  : out\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Parse(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			results := map[int]Result{}
			for _, b := range doc.Executables() {
				if _, ok := b.Args.Get("eval"); ok && b.Call == nil {
					continue // the called block: not run
				}
				results[b.Index] = Result{Output: "out\n"}
			}
			if len(results) != 1 {
				t.Fatalf("%d executables, want 1", len(results))
			}
			if got := doc.WriteResults(results); got != c.want {
				t.Errorf("got\n%s\nwant\n%s\n%s", got, c.want, fullLineDiff(c.want, got))
			}
		})
	}
}
