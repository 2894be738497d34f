package org

import "strings"

// Emacs prints a symbol (prin1, %S) so that the reader reads the same
// symbol back: print.c (Emacs 28) puts a backslash before each character
// the reader would take for syntax (" \ ' ; # ( ) , ` [ ] ? . and any
// character up to the space, and the no-break space) and before the first
// character of a name that reads as a number (1, -1.5, 1e3, 1.0e+INF);
// the symbol whose name is empty prints as ##. A symbol's name reaches
// Borges printed that way (an Emacs Lisp block's value, a quoted :var
// list) and must leave it printed that way again, in a :cache hash
// (org-babel-sha1-hash formats the parameters with %S) and in the
// variables Babel writes with %S.

// PrintSymbol is the symbol named name as prin1 prints it.
func PrintSymbol(name string) string {
	if name == "" {
		return "##"
	}
	var b strings.Builder
	confusing := readsAsNumber(name)
	for _, r := range name {
		if confusing || symbolSyntax(r) {
			b.WriteByte('\\')
			confusing = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// PrintSymbolText is PrintSymbol for a symbol Borges holds by its text
// as princ prints it (as Emacs writes it in a table): the name, but ##
// for the empty name, which is taken for it (a symbol named ## prints
// \#\# with prin1; its text is ## too).
func PrintSymbolText(text string) string {
	if text == "##" {
		return text
	}
	return PrintSymbol(text)
}

// symbolSyntax reports whether prin1 escapes r in a symbol's name.
func symbolSyntax(r rune) bool {
	return r <= ' ' || r == '\u00a0' || strings.ContainsRune("\"\\';#(),`[]?.", r)
}

// readsAsNumber reports whether the reader would read name as a number,
// as print.c decides it: a digit or a dot after an optional sign, and
// the whole name taken by string_to_number in base 10.
func readsAsNumber(name string) bool {
	p := name
	if p != "" && (p[0] == '-' || p[0] == '+') {
		p = p[1:]
	}
	if p == "" || !(isDigit(p[0]) || p[0] == '.') {
		return false
	}
	return numberLength(name) == len(name)
}

// numberLength is how much of s string_to_number (lread.c, base 10)
// takes as a number, -1 when s does not start with one: a sign, digits,
// a dot, digits, an exponent (e, a sign, digits; or e+INF, e+NaN after a
// +); it is a number when it has digits before or after the dot (an
// exponent alone makes none).
func numberLength(s string) int {
	i := 0
	if i < len(s) && (s[i] == '-' || s[i] == '+') {
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	lead := i > start
	if i < len(s) && s[i] == '.' {
		i++
	}
	start = i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	trail := i > start
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		e := i
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		switch {
		case i < len(s) && isDigit(s[i]):
			for i < len(s) && isDigit(s[i]) {
				i++
			}
		case s[i-1] == '+' && (strings.HasPrefix(s[i:], "INF") || strings.HasPrefix(s[i:], "NaN")):
			i += 3
		default:
			i = e
		}
	}
	if !lead && !trail {
		return -1
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// ReadSymbol is the name of the symbol a printed token stands for (its
// backslashes taken off; ## the empty name), and whether the token was
// escaped: an escaped token is a symbol even where its name reads as a
// number (\1).
func ReadSymbol(tok string) (name string, escaped bool) {
	if tok == "##" {
		return "", true
	}
	if !strings.Contains(tok, `\`) {
		return tok, false
	}
	var b strings.Builder
	for i := 0; i < len(tok); i++ {
		if tok[i] == '\\' && i+1 < len(tok) {
			i++
		}
		b.WriteByte(tok[i])
	}
	return b.String(), true
}
