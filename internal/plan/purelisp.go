package plan

import (
	"github.com/wallyqs/borges/internal/plan/emacsprefixes"
	"strings"
	"unicode"
)

// pureLispFuncs are Emacs Lisp functions and special forms that compute
// a value from their arguments alone: they change no buffer, no
// variable, call no code of the document's (pureLisp). Any other head,
// setq and defun included (a variable Babel reads, a function another
// form calls), counts as Lisp that may change the buffer.
var pureLispFuncs = map[string]bool{
	"+": true, "-": true, "*": true, "/": true, "%": true, "mod": true, "1+": true, "1-": true, "max": true, "min": true, "abs": true,
	"=": true, "<": true, ">": true, "<=": true, ">=": true, "/=": true, "not": true, "null": true, "and": true, "or": true,
	"if": true, "when": true, "unless": true, "progn": true, "eq": true, "eql": true, "equal": true,
	"format": true, "message": true, "concat": true, "length": true, "append": true, "list": true, "cons": true, "car": true,
	"cdr": true, "nth": true, "nthcdr": true, "reverse": true, "substring": true, "string=": true, "string-to-number": true,
	"number-to-string": true, "upcase": true, "downcase": true, "capitalize": true, "identity": true, "stringp": true,
	"numberp": true, "split-string": true, "string-join": true, "string-trim": true, "float": true, "truncate": true, "round": true,
	// File names as strings (links.org's Emacs Lisp blocks): they read
	// no file and write none, and leave the buffer as it is.
	"file-relative-name": true, "file-name-directory": true, "file-name-nondirectory": true, "directory-file-name": true,
	"file-name-as-directory": true, "expand-file-name": true, "file-name-extension": true, "file-name-sans-extension": true,
}

// pureLisp reports whether src, Emacs Lisp forms, is made only of
// numbers, strings, symbols read as variables and lists whose head is a
// function of pureLispFuncs, each of its arguments so too: Lisp that
// cannot change the document's buffer (cacheAcrossElisp); quoted
// data ('hline, '(1 2), [1 2]) is. Backquotes, #', characters,
// comments and noweb references are not read: such
// Lisp counts as Lisp that may.
func pureLisp(src string) bool {
	return readsPure(pureReader{s: src})
}

// settingLisp reports whether src, Emacs Lisp forms, is pure (pureLisp)
// but for setq and defvar forms that set or define variables of the
// document's own (docVariable) with pure values: in an Emacs where no
// other Lisp of the document's ran before (none made such a variable an
// alias of another, watched it, advised a function or hooked one),
// Lisp that changes no buffer and no variable Emacs or Babel reads,
// only what Lisp of the document's reads (a counter, (setq n (1+ n))),
// which Emacs evaluates as it goes (Lisp :var values, Emacs Lisp
// blocks: tasks of the document's Emacs) — except a Lisp form in a
// header argument, which Borges hashes as written (cacheAcrossElisp).
func settingLisp(src string) bool {
	return readsPure(pureReader{s: src, setq: true})
}

// emacsPlainVars are the variables Emacs 28.2 binds whose names hold no
// '-' (nor ':'), with Org 9.5.5, the Babel languages and the libraries
// their modes load: every other variable of Emacs's, Org's or Babel's
// is named with a '-' (a package's prefix).
var emacsPlainVars = map[string]bool{
	"argi": true, "argv": true, "debugger": true, "features": true, "nil": true, "noninteractive": true,
	"obarray": true, "pi": true, "t": true, "values": true,
}

// docVariable reports whether setq of name sets a variable of the
// document's own, none Emacs, Org or Babel reads: a symbol (no ':', a
// keyword's) whose name holds no '-' that Emacs does not bind
// (emacsPlainVars), or whose prefix, letters and digits before its
// first '-', is that of no symbol of Emacs's (emacsPrefixes: my-count,
// not user-count, org-x or python-x), a variable unbound in Emacs
// before the document sets it, whose name no code of Emacs's holds.
func docVariable(name string) bool {
	if name == "" || strings.ContainsRune(name, ':') || isLispNumber(name) {
		return false
	}
	prefix, _, dashed := strings.Cut(name, "-")
	if !dashed {
		return !emacsPlainVars[name]
	}
	return docPrefix(prefix)
}

// docPrefix reports whether p, the part of a name before its first
// '-', is letters and digits, a letter first, and the prefix of no
// symbol of Emacs's (emacsPrefixes).
func docPrefix(p string) bool {
	return emacsprefixes.Word(p) && !emacsPrefixes[p]
}

// isLispNumber reports whether the atom a reads as a number.
func isLispNumber(a string) bool {
	_, ok := lispNumber(a)
	return ok
}

// readsPure reads p's forms to the end and reports whether each is pure
// (form), and there is one at least.
func readsPure(p pureReader) bool {
	forms := 0
	for {
		p.blanks()
		if p.i >= len(p.s) {
			return forms > 0
		}
		if !p.form() {
			return false
		}
		forms++
	}
}

type pureReader struct {
	s string
	i int
	// setq is set where setq forms of the document's own variables
	// are read as pure (settingLisp).
	setq bool
	// edit is set where the functions of bufferEditFuncs are read as
	// pure (bufferEditLisp).
	edit bool
	// signal is set where the functions of refusedSignalFuncs are
	// read as pure (refusedFormLisp).
	signal bool
}

func (p *pureReader) blanks() {
	for p.i < len(p.s) && unicode.IsSpace(rune(p.s[p.i])) {
		p.i++
	}
}

// form reads one form at i and reports whether it is pure.
func (p *pureReader) form() bool {
	p.blanks()
	if p.i >= len(p.s) {
		return false
	}
	switch c := p.s[p.i]; {
	case c == '"':
		for p.i++; p.i < len(p.s); p.i++ {
			switch p.s[p.i] {
			case '\\':
				p.i++
			case '"':
				p.i++
				return true
			}
		}
		return false
	case c == '[':
		// A vector: data, evaluating to itself.
		return p.datum()
	case c == '\'':
		// Quoted: data, not evaluated.
		p.i++
		return p.datum()
	case c == '`':
		// Backquoted: data but for the forms a ',' or ",@" evaluates.
		p.i++
		return p.backquoted()
	case c == '(':
		p.i++
		p.blanks()
		head := p.atom()
		switch {
		case head == "setq" && p.setq:
			return p.setqPairs()
		case head == "defvar" && p.setq:
			return p.defvarRest()
		case head == "signal" && p.signal:
			return p.signalRest()
		}
		if !pureLispFuncs[head] && !(p.edit && bufferEditFuncs[head]) && !(p.signal && refusedSignalFuncs[head]) {
			return false
		}
		for {
			closed, ok := p.closes(')')
			if !ok || closed {
				return ok
			}
			if !p.form() {
				return false
			}
		}
	default:
		return p.atom() != ""
	}
}

// setqPairs reads the rest of a setq form, after its head, and reports
// whether it sets variables of the document's own (docVariable), each to
// a pure value: pairs of a symbol and a form (a name without its value
// is an error Emacs signals, not read as pure).
func (p *pureReader) setqPairs() bool {
	for pairs := 0; ; pairs++ {
		closed, ok := p.closes(')')
		if !ok || closed {
			return ok && pairs > 0
		}
		if !docVariable(p.atom()) {
			return false
		}
		if closed, ok := p.closes(')'); closed || !ok || !p.form() {
			return false
		}
	}
}

// signalRest reads the rest of a signal form, after its head, and
// reports whether it signals an error Borges knows (refusedSignalErrors),
// quoted, with pure data: (signal 'arith-error nil), not (signal 'quit
// nil) nor a symbol some form computes.
func (p *pureReader) signalRest() bool {
	p.blanks()
	if p.i >= len(p.s) || p.s[p.i] != '\'' {
		return false
	}
	p.i++
	if !refusedSignalErrors[p.atom()] {
		return false
	}
	if closed, ok := p.closes(')'); closed || !ok || !p.form() {
		return false
	}
	closed, _ := p.closes(')')
	return closed
}

// defvarRest reads the rest of a defvar form, after its head, and
// reports whether it defines a variable of the document's own
// (docVariable), with no value or a pure one and a documentation string
// or none: a special variable, no alias of another and no watcher.
func (p *pureReader) defvarRest() bool {
	p.blanks()
	if !docVariable(p.atom()) {
		return false
	}
	if closed, ok := p.closes(')'); closed || !ok {
		return closed
	}
	if !p.form() {
		return false
	}
	if closed, ok := p.closes(')'); closed || !ok {
		return closed
	}
	if p.s[p.i] != '"' || !p.form() {
		return false
	}
	closed, _ := p.closes(')')
	return closed
}

// closes reads blanks at i and reports whether end, closing the list or
// vector being read, stands there (read); ok is false at the end of the
// text, the list not closed.
func (p *pureReader) closes(end byte) (closed, ok bool) {
	p.blanks()
	if p.i >= len(p.s) {
		return false, false
	}
	if p.s[p.i] == end {
		p.i++
		return true, true
	}
	return false, true
}

// datum reads one form at i as data (quoted): a string, number,
// symbol, or a list or vector of data, a quote or #' standing before
// any (read as a list: (quote x), (function x)). Another reader
// construct (#) is not read: "#." evaluates as it is read.
func (p *pureReader) datum() bool {
	p.blanks()
	if p.i >= len(p.s) {
		return false
	}
	switch p.s[p.i] {
	case '"':
		return p.form()
	case '(', '[':
		return p.items(p.datum)
	case '\'':
		p.i++
		return p.datum()
	case '#':
		if p.i+1 < len(p.s) && p.s[p.i+1] == '\'' {
			p.i += 2
			return p.datum()
		}
		return false
	default:
		return p.atom() != ""
	}
}

// items reads the list or vector at i, each of its items by item, and
// reports whether each is read so and the list is closed.
func (p *pureReader) items(item func() bool) bool {
	end := byte(')')
	if p.s[p.i] == '[' {
		end = ']'
	}
	for p.i++; ; {
		closed, ok := p.closes(end)
		if !ok || closed {
			return ok
		}
		if !item() {
			return false
		}
	}
}

// backquoted reads one form at i as a backquote reads it: data (datum)
// but for the forms a ',' or ",@" stands before, evaluated, each pure
// (form); a quote inside stays a backquote's (its commas evaluate). A
// backquote inside one (its commas counted by level) is not read.
func (p *pureReader) backquoted() bool {
	p.blanks()
	if p.i >= len(p.s) {
		return false
	}
	switch p.s[p.i] {
	case ',':
		p.i++
		if p.i < len(p.s) && p.s[p.i] == '@' {
			p.i++
		}
		return p.form()
	case '\'':
		p.i++
		return p.backquoted()
	case '"':
		return p.form()
	case '(', '[':
		return p.items(p.backquoted)
	default:
		return p.atom() != ""
	}
}

// atom reads a number or symbol at i: "" where none stands there, or
// where it holds a noweb reference's "<<".
func (p *pureReader) atom() string {
	start := p.i
	for p.i < len(p.s) && !unicode.IsSpace(rune(p.s[p.i])) && strings.IndexByte("()\"';`,#?[]\\", p.s[p.i]) < 0 {
		p.i++
	}
	if strings.Contains(p.s[start:p.i], "<<") {
		return ""
	}
	return p.s[start:p.i]
}

// bufferEditFuncs are Emacs Lisp functions and special forms that move
// point, search and edit the current buffer's text and set no variable
// of Emacs's, Org's or Babel's (bufferEditLisp).
var bufferEditFuncs = map[string]bool{
	"save-excursion": true, "save-match-data": true, "goto-char": true, "point": true, "point-min": true, "point-max": true,
	"forward-line": true, "beginning-of-line": true, "end-of-line": true, "line-beginning-position": true, "line-end-position": true,
	"search-forward": true, "search-backward": true, "re-search-forward": true, "re-search-backward": true, "looking-at": true,
	"replace-match": true, "match-string": true, "match-beginning": true, "match-end": true, "insert": true, "delete-region": true,
	"buffer-substring": true, "buffer-substring-no-properties": true, "while": true,
}

// bufferEditLisp reports whether src, Emacs Lisp forms, is pure
// (pureLisp) but for the buffer's edits of bufferEditFuncs: Lisp that
// may change the buffer's text but sets no variable and calls no code
// of the document's or of a file's, so puts no name in the Library of
// Babel (org-babel-library-of-babel) nor in Org's ID list
// (missingRefStop).
func bufferEditLisp(src string) bool {
	return readsPure(pureReader{s: src, edit: true})
}
