package org

import "strings"

// The Lisp reader's outcome reading one datum (lispReadOne).
const (
	readsDatum  = iota // a datum read
	readFails          // the reader signals: msg says what
	readUnknown        // text Borges does not read as the reader does
)

// eofDuringParsing is the message of the reader's end-of-file error, as
// org-babel-execute-buffer stops with it.
const eofDuringParsing = "End of file during parsing"

// lispReadFails reports whether Emacs 28's reader, reading one datum of
// s (org-babel-read's (read cell) of a JavaScript value after its
// quote), signals, and its message. It is false where the reader reads a
// datum and where Borges does not know whether it does (a # syntax
// other than an empty radix or a # before the end, a blank or a
// closing, a character literal's escape, a dot in a vector), which
// Emacs reads.
func lispReadFails(s string) (string, bool) {
	_, st, msg := lispReadOne(s)
	return msg, st == readFails
}

// lispReadOne reads one datum at the start of s as Emacs 28's read1
// does, skipping blanks and comments before it, and returns the rest.
// Each call takes at least one byte of s, or ends.
func lispReadOne(s string) (rest string, st int, msg string) {
	if s = skipReaderBlanks(s); s == "" {
		return "", readFails, eofDuringParsing
	}
	switch c := s[0]; c {
	case '\'', '`':
		return lispReadOne(s[1:])
	case ',':
		if strings.HasPrefix(s, ",@") {
			return lispReadOne(s[2:])
		}
		return lispReadOne(s[1:])
	case '(':
		return lispReadSeq(s[1:], ')')
	case '[':
		return lispReadSeq(s[1:], ']')
	case ')', ']':
		return "", readFails, `Invalid read syntax: "` + string(c) + `"`
	case '"':
		for i := 1; i < len(s); i++ {
			switch s[i] {
			case '\\':
				i++
			case '"':
				return s[i+1:], readsDatum, ""
			}
		}
		return "", readFails, eofDuringParsing
	case '?':
		if len(s) == 1 {
			return "", readFails, eofDuringParsing
		}
		if _, rest, ok := readCharOrRadix(s); ok {
			return rest, readsDatum, ""
		}
		if _, rest, ok := readCharEscape(s[1:]); ok && rest != "" {
			// A character read, and after it neither a blank nor
			// a delimiter (?ab): read1 signals there.
			return "", readFails, `Invalid read syntax: "?"`
		}
		return "", readUnknown, ""
	case '#':
		if len(s) == 1 || isLispBlank(s[1:]) || strings.IndexByte(hashInvalidAfter, s[1]) >= 0 {
			// A # before the end, a blank or a character no #
			// syntax starts with: read1 reads the character after
			// it (none at the end) and falls to invalid_syntax
			// ("#"). ('#' is #' and then the end.)
			return "", readFails, `Invalid read syntax: "#"`
		}
		if s[1] == '\'' {
			return lispReadOne(s[2:]) // #'f, function's quote
		}
		if s[1] == '#' {
			return s[2:], readsDatum, "" // ##, the symbol of no name
		}
		if _, rest, ok := ReadRadix(s); ok {
			return rest, readsDatum, ""
		}
		if base, ok := map[byte]string{'x': "16", 'X': "16", 'o': "8", 'O': "8", 'b': "2", 'B': "2"}[s[1]]; ok && (len(s) == 2 || !isRadixDigit(s[2], base) && s[2] != '-' && s[2] != '+') {
			return "", readFails, `Invalid read syntax: "integer, radix ` + base + `"`
		}
		return "", readUnknown, ""
	case '.':
		if dotAlone(s) {
			// read1 returns the dot to read0, which signals.
			return "", readFails, `Invalid read syntax: "."`
		}
		// Otherwise a name or a number (.5, ./run.sh, .. and .) too).
	}
	// A symbol or a number, ended where lispReaderAtom ends it: at a #
	// too, which starts the next datum ('(a#b)' fails at #b).
	n := 0
	for n < len(s) && !isLispBlank(s[n:]) && strings.IndexByte("\"';()[]#`,", s[n]) < 0 {
		if s[n] == '\\' {
			if n++; n == len(s) {
				return "", readFails, eofDuringParsing
			}
		}
		n++
	}
	if n == 0 {
		return "", readUnknown, ""
	}
	return s[n:], readsDatum, ""
}

// hashInvalidAfter holds the ASCII characters after which a # is
// invalid syntax to Emacs 28's reader whatever follows them (checked
// with emacs --batch, each before nothing, x, a), a blank, 1, (, " and
// a backslash). Not the digits (#1=, #1#, #2r are syntax), nor the
// characters of other # syntax: ! # $ & ' ( : @ B O X [ ^ _ b o s x.
const hashInvalidAfter = "\"%)*+,-./;<=>?ACDEFGHIJKLMNPQRSTUVWYZ\\]`acdefghijklmnpqrtuvwyz{|}~"

// lispReadSeq reads the rest of a list (end ')') or a vector (end ']')
// after its opening, as lispReadOne.
func lispReadSeq(s string, end byte) (string, int, string) {
	// Each turn takes at least one byte of s, or ends.
	for {
		s = skipReaderBlanks(s)
		switch {
		case s == "":
			return "", readFails, eofDuringParsing
		case s[0] == end:
			return s[1:], readsDatum, ""
		case end == ')' && s[0] == ']':
			return "", readFails, `Invalid read syntax: "] in a list"`
		case end == ']' && s[0] == ')':
			return "", readFails, `Invalid read syntax: ") or . in a vector"`
		case end == ')' && s[0] == '.' && (len(s) == 1 || isLispBlank(s[1:])):
			s = s[1:] // a dotted pair's dot: the datum after it is read on
			continue
		case s[0] == '.' && dotAlone(s):
			// A dot in a vector, or before a delimiter in a list:
			// Emacs reads it.
			return "", readUnknown, ""
		}
		rest, st, msg := lispReadOne(s)
		if st != readsDatum {
			return "", st, msg
		}
		s = rest
	}
}

// skipReaderBlanks is s after the blanks (isLispBlank, the no-break space too, unlike skipLispBlanks) and ; comments it
// starts with; a comment with no line end after it runs to the end.
func skipReaderBlanks(s string) string {
	// Each turn takes at least one byte of s, or ends.
	for {
		s = trimLispBlanks(s)
		if !strings.HasPrefix(s, ";") {
			return s
		}
		_, after, found := strings.Cut(s, "\n")
		if !found {
			return ""
		}
		s = after
	}
}

// isRadixDigit reports whether c is a digit of base ("16", "8" or "2").
func isRadixDigit(c byte, base string) bool {
	switch base {
	case "16":
		return isHex(c)
	case "8":
		return c >= '0' && c <= '7'
	}
	return c == '0' || c == '1'
}

// dotAlone reports whether s starts with a dot read1 reads alone: at
// the end, or before a blank or one of "';([#?`, (checked with emacs
// --batch); another dot starts a name or a number.
func dotAlone(s string) bool {
	return len(s) == 1 || s[1] <= ' ' || strings.IndexByte("\"';([#?`,", s[1]) >= 0
}
