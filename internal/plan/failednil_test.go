package plan

import (
	"slices"
	"testing"
)

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

// TestFailureStopNilInline: an inline block that exits non-zero stops
// Emacs as a block does where its language's function uses
// org-babel-eval's nil as text: ob-perl, ob-python and ob-ruby signal
// inside org-babel-execute:LANG, before Babel looks at the inline result
// (whose refusal, "Inline error: list result cannot be used", is only for
// the others). Checked with Emacs 28.2 / Org 9.5.5 (perlstop_inline,
// pythonstop_inline, rubystop_inline).
func TestFailureStopNilInline(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{`src_perl[:results output]{print "x"; exit 3}`, PerlOutputNilError},
		{`src_perl[:results output silent]{exit 3}`, PerlOutputNilError},
		{`src_perl{exit 3}`, ""},
		{`src_python[:results output table]{import sys; sys.exit(2)}`, PythonTableNilError},
		{`src_python[:results output]{import sys; sys.exit(2)}`, ""},
		{`src_ruby[:results output table]{exit 1}`, RubyTableNilError},
		{`src_ruby[:results output]{exit 1}`, ""},
		{`src_sh[:results output table]{exit 1}`, ""},
	} {
		doc := mustParse(t, "Text "+c.text+" here.\n")
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Errorf("%s: %v", c.text, err)
			continue
		}
		// The block's own run (a table's reading in Emacs comes after
		// it, as its own task).
		own := p.Tasks[0]
		if own.ReadsOutput || own.Post {
			t.Errorf("%s: first task is not the block's own run", c.text)
			continue
		}
		if got := FailureStop(doc, own, nil); got != c.want {
			t.Errorf("%s: FailureStop %q, want %q", c.text, got, c.want)
		}
		if got := FailedNilStops(doc, own); got != (c.want != "") {
			t.Errorf("%s: FailedNilStops %v", c.text, got)
		}
	}
}

// TestFailureStopNilPost: the block a :post calls that exits non-zero
// stops Emacs as it would at its own turn where its language's function
// uses org-babel-eval's nil as text: Babel runs it inside the :post
// (org-babel-ref-resolve), so ob-perl's insert of a :results output
// block (ob-python's trim of a table's) signals there, at the calling
// block, whose results stay as they were. Its words are those of the
// call (a header in brackets over the block's own). Checked with Emacs
// 28.2 / Org 9.5.5 (perlstop_post_is_perl_output_fails,
// perlstop_post_python_table_fails, perlstop_post_call_value_over_output;
// a Perl value block's :post that exits non-zero runs on, Emacs writing
// ": nil" for the calling block).
func TestFailureStopNilPost(t *testing.T) {
	for _, c := range []struct{ post, head, want string }{
		{"wrap(x=*this*)", "perl :results output", PerlOutputNilError},
		{"wrap(x=*this*)", "perl :results output silent", PerlOutputNilError},
		{"wrap[:results output](x=*this*)", "perl", PerlOutputNilError},
		{"wrap(x=*this*)", "perl", ""},
		// The block's own output stays beside the call's value
		// (org-babel-process-params keeps its result-params).
		{"wrap[:results value](x=*this*)", "perl :results output", PerlOutputNilError},
		{"wrap(x=*this*)", "perl :results output :on-failure continue", ""},
		// The calling block's :on-failure is its own, not the
		// called block's: the stop stands.
		{"wrap(x=*this*) :on-failure continue", "perl :results output", PerlOutputNilError},
		{"wrap(x=*this*)", "python :results output table", PythonTableNilError},
		{"wrap(x=*this*)", "python :results output", ""},
		{"wrap(x=*this*)", "sh :results output", ""},
		{"wrap(x=*this*)", "ruby :results output table", RubyTableNilError},
		// Not a nil stop: column names that are a rule stop Emacs
		// whatever the block exits with, inside the :post as at its
		// own turn (stop_index_colnames_ref_post_fails).
		{"wrap()", "sh :results output :var tb=tt[1:2] :colnames yes", ColnamesStopError},
	} {
		text := "#+name: tt\n| a | b |\n|---+---|\n| 1 | 2 |\n| x | y |\n\n#+name: report\n" + block("sh :results output :post "+c.post, "echo partial") +
			"#+name: wrap\n" + block(c.head+` :var x="none"`, "exit 4")
		doc := mustParse(t, text)
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Errorf("%s, %s: %v", c.post, c.head, err)
			continue
		}
		i := slices.IndexFunc(p.Tasks, func(x *Task) bool { return x.Post })
		if i < 0 {
			t.Errorf("%s, %s: no :post task", c.post, c.head)
			continue
		}
		if got := FailureStop(doc, p.Tasks[i], nil); got != c.want {
			t.Errorf("%s, %s: FailureStop %q, want %q", c.post, c.head, got, c.want)
		}
		if got := FailedNilStops(doc, p.Tasks[i]); got != (c.want != "" && c.want != ColnamesStopError) {
			t.Errorf("%s, %s: FailedNilStops %v", c.post, c.head, got)
		}
	}
}
