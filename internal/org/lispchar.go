package org

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// readCharOrRadix reads, at the start of s, what Emacs 28's reader reads
// as an integer in the ? and # syntaxes: a character (?a, ?é, ?\t, ?\s,
// ?\C-a, ?\^a, ?\x61, ?\u00e9, ?\141) or an integer in a radix (#x61,
// #o141, #b1100001, #24r41), with the rest of s. ok is false for any
// other text (a modifier but control, \N{…}, #'f, #s(…)), which is left
// unread rather than read otherwise than Emacs reads it.
func readCharOrRadix(s string) (n int64, rest string, ok bool) {
	if strings.HasPrefix(s, "#") {
		return ReadRadix(s)
	}
	if !strings.HasPrefix(s, "?") || len(s) < 2 {
		return 0, "", false
	}
	if s[1] == ' ' || s[1] == '\t' {
		// read1 takes a space or a tab after the ? as the character
		// whatever follows it (? x is 32).
		return int64(s[1]), s[2:], true
	}
	c, rest, ok := readCharEscape(s[1:])
	if !ok {
		return 0, "", false
	}
	if c >= 0x3FFF80 && c <= 0x3FFFFF {
		// A raw byte's character code (CHAR_BYTE8_P): read1 maps it
		// back to the byte (CHAR_TO_BYTE8, ?\x3fff80 is 128).
		c -= 0x3FFF00
	}
	// read1: the character must be followed by a blank or one of
	// "';()[]#?`,. (else "Invalid read syntax: ?").
	if rest != "" && rest[0] > ' ' && (rest[0] >= 0x80 || !strings.ContainsRune("\"';()[]#?`,.", rune(rest[0]))) {
		return 0, "", false
	}
	return int64(c), rest, true
}

// readCharEscape reads one character of a ? literal, s after the ?.
func readCharEscape(s string) (rune, string, bool) {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size <= 1 {
		return 0, "", false
	}
	if r != '\\' {
		return r, s[size:], true
	}
	s = s[1:]
	if s == "" {
		return 0, "", false
	}
	named := map[byte]rune{'a': 7, 'b': 8, 'd': 127, 'e': 27, 'f': 12, 'n': 10, 'r': 13, 't': 9, 'v': 11}
	switch c := s[0]; {
	case named[c] != 0:
		return named[c], s[1:], true
	case c == 's':
		if strings.HasPrefix(s, "s-") {
			return 0, "", false // the super modifier
		}
		return ' ', s[1:], true
	case c == 'x':
		return readHexChar(s[1:], -1)
	case c == 'u':
		return readHexChar(s[1:], 4)
	case c == 'U':
		return readHexChar(s[1:], 8)
	case c >= '0' && c <= '7':
		n, i := rune(0), 0
		for ; i < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7'; i++ {
			n = n*8 + rune(s[i]-'0')
		}
		return n, s[i:], true
	case c == '^' || strings.HasPrefix(s, "C-"):
		rest := s[1:]
		if c == 'C' {
			rest = s[2:]
		}
		if rest == "" || rest[0] == '\\' || rest[0] >= 0x80 {
			return 0, "", false
		}
		switch x := rest[0]; {
		case x == '?':
			return 127, rest[1:], true
		case x >= '@' && x <= '_' || x >= 'a' && x <= 'z':
			return rune(x) & 31, rest[1:], true
		}
		return 0, "", false // a control modifier bit Borges does not read
	case strings.ContainsRune("MSHAC", rune(c)), c == 'N', c == '\n':
		// Other modifiers (read_escape: with no - after the letter,
		// "Invalid escape character syntax"), named characters, a
		// line continued.
		return 0, "", false
	}
	r, size = utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size <= 1 {
		return 0, "", false
	}
	return r, s[size:], true
}

// readHexChar reads the hexadecimal digits of \x (width -1: as many as
// there are), \u (4) or \U (8).
func readHexChar(s string, width int) (rune, string, bool) {
	i := 0
	for i < len(s) && (width < 0 || i < width) && strings.IndexByte("0123456789abcdefABCDEF", s[i]) >= 0 {
		i++
	}
	if i == 0 || width > 0 && i != width {
		return 0, "", false
	}
	n, err := strconv.ParseInt(s[:i], 16, 32)
	if err != nil || n > 0x3FFFFF || width > 0 && n > 0x10FFFF {
		return 0, "", false
	}
	return rune(n), s[i:], true
}

// ReadRadix reads, at the start of s, an integer in the Lisp reader's
// radix syntax (#o755, #x1ed, #b111101101, #8r755: the radix of either
// case, an optional sign, the digits, ended by a delimiter), with the
// rest of s; ok is false for any other text, or where Emacs 28 refuses
// it ("integer, radix 16").
func ReadRadix(s string) (n int64, rest string, ok bool) {
	if !strings.HasPrefix(s, "#") {
		return 0, "", false
	}
	return readRadix(s[1:])
}

// readRadix is ReadRadix of s after the #.
func readRadix(s string) (int64, string, bool) {
	if s == "" {
		return 0, "", false
	}
	base, i := 0, 1
	switch s[0] {
	case 'x', 'X':
		base = 16
	case 'o', 'O':
		base = 8
	case 'b', 'B':
		base = 2
	default:
		for i = 0; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			base = base*10 + int(s[i]-'0')
			if base > 36 {
				return 0, "", false
			}
		}
		if i == 0 || i >= len(s) || s[i] != 'r' && s[i] != 'R' || base < 2 {
			return 0, "", false
		}
		i++
	}
	j := i
	if j < len(s) && (s[j] == '-' || s[j] == '+') {
		j++
	}
	for j < len(s) && !isLispDelimiter(s[j]) {
		j++
	}
	// One sign only: ParseInt would take a second one after the first
	// (#x+-5, #x++5), where Emacs reads "integer, radix 16".
	if j > i && strings.ContainsAny(s[i+1:j], "+-") {
		return 0, "", false
	}
	digits := strings.TrimPrefix(s[i:j], "+")
	n, err := strconv.ParseInt(digits, base, 64)
	if err != nil || digits == "" || digits == "-" {
		return 0, "", false
	}
	return n, s[j:], true
}
