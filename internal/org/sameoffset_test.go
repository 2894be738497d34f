package org

import "testing"

// TestResultsAtOneOffset: results two blocks put in at one offset of the
// document land as org-babel-execute-buffer's edits, made one after the
// other, leave them: the later block's before the earlier's, as where it
// puts them ends before the text the earlier put in
// (TestAgainstEmacs/hunt12_appended_at_one_place and append_code hold the
// same against Emacs). Written at once (WriteResults) and as a report of
// the results written (ReportResults), the same.
func TestResultsAtOneOffset(t *testing.T) {
	cases := []struct {
		name, text string
		outputs    []string // by executable, in order
		want       string
	}{
		// The first block's old results, a list, go on into the
		// second's item; the second's, a nested list, end where the
		// whole list does.
		{name: "appended where a nested list ends",
			text:    "#+begin_src sh :results append\necho l1\n#+end_src\n\n#+RESULTS:\n- old item\n\n- item\n  #+begin_src sh :results append\n  echo m1\n  #+end_src\n\n  #+RESULTS:\n  - old item\n",
			outputs: []string{"l1\n", "m1\n"},
			want:    "#+begin_src sh :results append\necho l1\n#+end_src\n\n#+RESULTS:\n- old item\n\n- item\n  #+begin_src sh :results append\n  echo m1\n  #+end_src\n\n  #+RESULTS:\n  - old item\n  : m1\n: l1\n"},
		// The old results are a source block, run after the block
		// appending to them: its new results go in at its end, where
		// the appended text went in, and a blank line keeps them
		// apart from it.
		{name: "appended to results that are a block",
			text:    "#+begin_src sh :results append\necho 1\n#+end_src\n\n#+RESULTS:\n#+begin_src sh\necho 0\n#+end_src\n\nText.\n",
			outputs: []string{"1\n", "0\n"},
			want:    "#+begin_src sh :results append\necho 1\n#+end_src\n\n#+RESULTS:\n#+begin_src sh\necho 0\n#+end_src\n\n#+RESULTS:\n: 0\n\n: 1\n\nText.\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, results := outputsOf(t, c.text, c.outputs)
			if got := doc.WriteResults(results); got != c.want {
				t.Errorf("written:\n%s\nwant:\n%s", got, c.want)
			}
			if got := doc.ReportResults(results, nil).Text; got != c.want {
				t.Errorf("reported:\n%s\nwant:\n%s", got, c.want)
			}
		})
	}
}

// outputsOf is text parsed and the results of its executables, outputs
// in their order, one each.
func outputsOf(t *testing.T, text string, outputs []string) (*Document, map[int]Result) {
	t.Helper()
	doc, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	exes := doc.Executables()
	if len(exes) != len(outputs) {
		t.Fatalf("%d executables, %d outputs", len(exes), len(outputs))
	}
	results := map[int]Result{}
	for i, b := range exes {
		results[b.Index] = Result{Output: outputs[i]}
	}
	return doc, results
}
