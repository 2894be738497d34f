package org

import (
	"regexp"
	"strings"
)

// lispRuns reports whether Emacs Lisp of the document's may run as
// org-babel-execute-buffer goes, and define a function (defun, defalias,
// require, load) that a header value then calls: an Emacs Lisp block,
// inline or not (a #+call: of one too), a header value that is a Lisp
// form Borges does not know stops at a function Emacs lacks (a :var value
// included), or an eval: of the file's local variables. It is
// conservative: any such Lisp anywhere in the document counts, before the
// block or not. Where it runs, a call of a function Emacs -Q with Org
// does not have is not refused (rawArg.void).
func (p *parser) lispRuns() bool {
	p.lispOnce.Do(func() { p.lisp = documentLispRuns(p.lines) })
	return p.lisp
}

// elispBlockRe matches the start of an Emacs Lisp block, inline or not.
var elispBlockRe = regexp.MustCompile(`(?i)(^[ \t]*#\+begin_src[ \t]+(emacs-lisp|elisp)([ \t]|$))|src_(emacs-lisp|elisp)[\[{]`)

// lispVarRe matches an assignment to a Lisp form: :var x=(f), a call's
// argument x=(f) or x=`(f).
var lispVarRe = regexp.MustCompile("=[ \t]*[(`]")

// documentLispRuns is parser.lispRuns of the document's lines.
func documentLispRuns(lines []line) bool {
	for _, l := range lines {
		t := l.Text
		// Each expression is tried only on a line holding a character
		// it cannot match without ("_" of "begin_src" and "src_", which
		// has no other case; "=", ":"): most lines hold none, and the
		// expressions cost more than the look, on long lines most.
		if strings.IndexByte(t, '_') >= 0 && elispBlockRe.MatchString(t) {
			return true
		}
		rest := strings.TrimLeft(t, " \t")
		if (strings.HasPrefix(rest, "#") || strings.Contains(t, "-*-")) && strings.IndexByte(t, ':') >= 0 && strings.Contains(strings.ToLower(t), "eval:") {
			return true // a local variable's eval:, or a header's
		}
		if !strings.HasPrefix(rest, "#+") && !strings.HasPrefix(rest, ":") && !strings.Contains(t, "src_") && !strings.Contains(t, "call_") {
			continue // no header: a body's line, text
		}
		if strings.IndexByte(t, '=') >= 0 && lispVarRe.MatchString(t) {
			return true
		}
		if headerLispRuns(rest) {
			return true
		}
	}
	return false
}

// headerLispRuns reports whether a line holding header arguments, from
// its first " :" (or "[:", or a leading ":") on, has a Lisp form Emacs
// may evaluate other than to stop at a function it lacks.
func headerLispRuns(line string) bool {
	for i := 0; i < len(line); i++ {
		if line[i] != ':' || i > 0 && line[i-1] != ' ' && line[i-1] != '\t' && line[i-1] != '[' {
			continue
		}
		rest := line[i:]
		if !strings.ContainsAny(rest, "('`") {
			return false
		}
		args, err := parseHeaderArgs(rest)
		if err != nil {
			return true // unread: it may be Lisp
		}
		for _, a := range args {
			if a.Form && a.fails == "" && a.void == "" && a.voidRead == "" {
				return true
			}
		}
		return false
	}
	return false
}
