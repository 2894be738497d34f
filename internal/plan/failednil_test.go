package plan

import "testing"

// TestFailureStopNil: a block that exits non-zero gives org-babel-eval's
// nil, which some languages' functions use as text, where Emacs stops the
// document (checked with Emacs 28.2 / Org 9.5.5): ob-perl inserts its
// output into a buffer under :results output, whatever its other words
// (silent and none too); ob-python and ob-ruby trim or escape it where
// org-babel-result-cond takes the table's forms (:results output table,
// not under none nor a word that makes it a scalar). A value, a
// session's block, and a block the user said may fail (:on-failure
// continue) do not stop.
func TestFailureStopNil(t *testing.T) {
	for _, c := range []struct{ head, want string }{
		{"perl :results output", PerlOutputNilError},
		{"perl :results output silent", PerlOutputNilError},
		{"perl :results output none", PerlOutputNilError},
		{"perl :results output table", PerlOutputNilError},
		{"perl :results output :session s", PerlOutputNilError},
		{"perl :results output file :file o.txt", PerlOutputNilError},
		{"perl", ""},
		{"perl :results value", ""},
		{"perl :results output :on-failure continue", ""},
		{"python :results output table", PythonTableNilError},
		{"python :results output table silent", PythonTableNilError},
		{"python :results output table none", ""},
		{"python :results output", ""},
		{"python :results output vector", ""},
		{"python :results output table verbatim", ""},
		{"python :results table", ""},
		{"python :results output table :session s", ""},
		{"ruby :results output table", RubyTableNilError},
		{"ruby :results output table none", ""},
		{"ruby :results output", ""},
		{"ruby :results output table :on-failure continue", ""},
		{"sh :results output table", ""},
		{"js :results output table", ""},
	} {
		doc := mustParse(t, block(c.head, "exit 1"))
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Errorf("%s: %v", c.head, err)
			continue
		}
		if got := FailureStop(doc, p.Tasks[0], nil); got != c.want {
			t.Errorf("%s: FailureStop %q, want %q", c.head, got, c.want)
		}
		if got := FailedNilStops(doc, p.Tasks[0]); got != (c.want != "") {
			t.Errorf("%s: FailedNilStops %v", c.head, got)
		}
	}
}
