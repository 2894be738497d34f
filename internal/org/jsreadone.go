package org

import (
	"strconv"
	"strings"
)

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
// hashFails and lispReadOne do not know, a character literal's escape,
// a dot in a vector), which Emacs reads.
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
		if msg, ok := hashFails(s); ok {
			return "", readFails, msg
		}
		return "", readUnknown, ""
	case '.':
		if isLoneDot(s) {
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
		case end == ')' && isLoneDot(s):
			return readAfterDot(s[1:])
		case isLoneDot(s):
			// A dot alone in a vector: Emacs reads it.
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

// isLoneDot reports whether s starts with a dot read1 reads alone (in a
// list, a dotted pair's): at the end, or before a blank or one of
// "';([#?`, (checked with emacs --batch); another dot starts a name or
// a number.
func isLoneDot(s string) bool {
	return strings.HasPrefix(s, ".") && (len(s) == 1 || s[1] <= ' ' || strings.IndexByte("\"';([#?`,", s[1]) >= 0)
}

// readAfterDot reads the rest of a list after its dot, as Emacs 28's
// read_list: one datum, then its closing, where another datum, a lone
// dot or a ] is ". in wrong context".
func readAfterDot(s string) (string, int, string) {
	rest, st, msg := lispReadOne(s)
	if st != readsDatum {
		return "", st, msg
	}
	switch rest = skipReaderBlanks(rest); {
	case rest == "":
		return "", readFails, eofDuringParsing
	case rest[0] == ')':
		return rest[1:], readsDatum, ""
	case rest[0] == ']' || isLoneDot(rest):
		return "", readFails, `Invalid read syntax: ". in wrong context"`
	}
	if _, st, msg := lispReadOne(rest); st != readsDatum {
		return "", st, msg
	}
	return "", readFails, `Invalid read syntax: ". in wrong context"`
}

// hashFails reports whether Emacs 28's reader signals at s, a # and a
// character lispReadOne reads no further, and its message (each checked
// with emacs --batch): #s not before a (, #^ not before [ or ^, #^^ not
// before [, #N# (no label #N= read before it: lispReadOne reads none),
// and a radix out of 2 to 36 or whose digits the reader refuses
// (radixDigitsValid). It is false for any other s.
func hashFails(s string) (string, bool) {
	switch {
	case strings.HasPrefix(s, "#s"):
		return `Invalid read syntax: "#"`, !strings.HasPrefix(s, "#s(")
	case strings.HasPrefix(s, "#^^"):
		return `Invalid read syntax: "#^^"`, !strings.HasPrefix(s, "#^^[")
	case strings.HasPrefix(s, "#^"):
		return `Invalid read syntax: "#^"`, !strings.HasPrefix(s, "#^[")
	}
	if base, ok := map[byte]int{'x': 16, 'X': 16, 'o': 8, 'O': 8, 'b': 2, 'B': 2}[s[1]]; ok {
		return `Invalid read syntax: "integer, radix ` + strconv.Itoa(base) + `"`, !radixDigitsValid(s[2:], base)
	}
	n := 1
	for n < len(s) && n <= 9 && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 1 || n > 9 || n == len(s) {
		return "", false // no number, or one the reader may overflow
	}
	radix, _ := strconv.Atoi(s[1:n])
	switch s[n] {
	case '#':
		return `Invalid read syntax: "#"`, true
	case 'r', 'R':
		return `Invalid read syntax: "integer, radix ` + strconv.Itoa(radix) + `"`, !radixDigitsValid(s[n+1:], radix)
	}
	return "", false
}

// radixDigitsValid reports whether Emacs 28's read_integer reads the
// digits s starts with in radix: a radix from 2 to 36, a sign or none,
// then at least one digit, up to the first character that is no ASCII
// letter or digit, each below the radix.
func radixDigitsValid(s string, radix int) bool {
	if radix < 2 || radix > 36 {
		return false
	}
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	i := 0
	for ; i < len(s); i++ {
		c, d := s[i], 99
		switch {
		case c >= '0' && c <= '9':
			d = int(c - '0')
		case c >= 'a' && c <= 'z':
			d = int(c-'a') + 10
		case c >= 'A' && c <= 'Z':
			d = int(c-'A') + 10
		}
		if d == 99 {
			break
		}
		if d >= radix {
			return false
		}
	}
	return i > 0
}
