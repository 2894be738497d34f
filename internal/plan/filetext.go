package plan

import (
	"strings"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// ResultText is raw, what task t's program wrote for its result, as its
// language's Babel has it: Babel reads a Python, Ruby or Perl value, and
// Perl's output too, from the file the program wrote
// (org-babel-eval-read-file), and insert-file-contents decodes it as
// Emacs detects its coding: line ends CRLF throughout (or CRLF and lone
// CRs) read as LF, lone CRs throughout as LF, Latin-1 as its characters
// (session.FileText). What the other languages print reaches Babel from
// the process, its bytes as they are.
func ResultText(t *Task, raw string) string {
	if t == nil || !readFromFile(t) {
		return raw
	}
	return string(session.FileText([]byte(raw)))
}

// readFromFile says whether Babel reads task t's result from a file.
func readFromFile(t *Task) bool {
	switch t.Reader {
	case org.ReadPerl:
		return true // ob-perl writes output as well to its file
	case org.ReadPython, org.ReadRuby:
		return t.ValueFile
	}
	return false
}

// fileChars says whether text, task t's result as ResultText has it,
// holds its surrogates (ED, A0-BF, a continuation byte) as characters:
// Babel read it from a file (readFromFile) whose every byte sequence is
// whole, which insert-file-contents takes as Emacs's own multibyte form
// (session.FileText), where ED A0 A0 is the character U+D820. A file
// holding a NUL byte (no-conversion) or ending inside a sequence
// (decoded sequence by sequence) holds raw bytes. Told from the text
// read, not the file: a file starting with a BOM or read as raw-text
// (a byte 0x80-0x9F outside a sequence) is taken for one of characters
// too (checked with Emacs 28.2 for whole files only: fixture
// surrogate_values).
func fileChars(t *Task, text string) bool {
	if t == nil || !readFromFile(t) || !org.HoldsSurrogate(text) || strings.IndexByte(text, 0) >= 0 {
		return false
	}
	return !session.CutShort([]byte(text))
}

// FileText is what Babel writes into task t's :file (its :results file
// value written by org-babel-execute-src-block), raw being what its
// program wrote for its result. Under :results file every language's
// value is a string (org-babel-result-cond): the text as ResultText has
// it, but for Emacs Lisp, whose value Borges has printed (elispPrinter),
// where the file holds the string itself, as ob-emacs-lisp formats the
// value with %s.
func FileText(t *Task, raw string) string {
	if t != nil && t.valueForReference() {
		// A reference's run of the block, which writes its :file
		// too: the value as lispVarForm encodes it, the file as the
		// block's own run has it (a string itself, else printed).
		v := readLispVar(raw)
		if plainLispString(v) {
			return v.Scalar
		}
		return printValue(v)
	}
	if t != nil && t.Reader == org.ReadLisp {
		if s, ok := org.LispString(raw); ok {
			return s
		}
	}
	return ResultText(t, raw)
}

// plainLispString reports whether v is a string of Lisp: no symbol, number,
// list, table or cons, nor a value only printed.
func plainLispString(v Value) bool {
	return !v.Symbol && !v.Printed && !v.Number && !v.IsList && v.Table == nil && len(v.Pair) == 0 && !v.Rule
}
