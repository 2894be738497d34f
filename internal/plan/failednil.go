package plan

import (
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// The errors org-babel-execute-buffer stops with where a language's
// function uses org-babel-eval's nil, what a program that exits non-zero
// gives, as text (checked with Emacs 28.2 / Org 9.5.5).
const (
	// PerlOutputNilError: ob-perl inserts the output of a block
	// :results output into a temporary buffer, whatever its other
	// words.
	PerlOutputNilError = "Wrong type argument: char-or-string-p, nil"
	// PythonTableNilError: ob-python trims the output (org-trim) where
	// org-babel-result-cond takes the table's forms.
	PythonTableNilError = "Wrong type argument: arrayp, nil"
	// RubyTableNilError: ob-ruby escapes it there
	// (org-babel-script-escape).
	RubyTableNilError = "‘org-babel-script-escape’ expects a string"
)

// failedNilStop is the error Emacs stops with once task t's block, blk,
// has exited non-zero, where its language's function uses org-babel-eval's
// nil as text, "" for none: a Perl block :results output (silent and
// none too: ob-perl inserts it before Babel weighs them); a Python or
// Ruby block :results output whose words org-babel-result-cond reads as a
// table's (table, none of the words that make it a scalar, and not none).
// An inline block too: the language's function signals inside
// org-babel-execute:LANG, before Babel looks at the inline result, so
// this error comes ahead of Babel's refusal of an inline nil ("Inline
// error: list result cannot be used", the engine's inlineRefused, which
// is for the other languages and words). A :post's task too, blk the
// block it calls with the call's words: Babel runs that block inside
// the :post (org-babel-ref-resolve), where the language's function
// signals alike, so Emacs stops at the calling block, its results as
// they were. Not for a value (a file read, "" then), a block run in a
// session (no org-babel-eval), a reading, nor a block the user said may
// fail (:on-failure continue, Borges's own, which runs on).
func failedNilStop(blk *org.Block, t *Task) string {
	if t.ContinueOnFailure || t.Session != nil || t.ReadsOutput || t.lispVar != nil || valueMode(blk.Args) {
		return ""
	}
	if t.Lang == "perl" {
		return PerlOutputNilError
	}
	results, _ := blk.Args.Get("results")
	if org.ResultCondScalar(blk.Args) || slices.Contains(strings.Fields(results), "none") {
		return ""
	}
	switch {
	case pythonLangs[t.Lang]:
		return PythonTableNilError
	case t.Lang == "ruby":
		return RubyTableNilError
	}
	return ""
}

// FailedNilStops reports, from task t's block alone, whether its failure
// (an exit non-zero) stops Emacs, its language's function using
// org-babel-eval's nil as text (FailureStop gives the error).
func FailedNilStops(doc *org.Document, t *Task) bool {
	doc = t.docIn(doc)
	blk, err := t.blockIn(doc)
	return err == nil && failedNilStop(blk, t) != ""
}
