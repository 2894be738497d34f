package org

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ReadStringUnibyte reads a Lisp string literal at the start of s, as
// Emacs's reader reads it, and says whether it reads as a unibyte string
// of raw bytes: octal escapes \200-\377 (as prin1 prints a unibyte
// string's bytes, or raw bytes) with no character past ASCII, which
// stay bytes where they form UTF-8 ("\303\251" is two bytes, not é).
// An escape \400-\777 is the character of that code (\777 U+01FF).
func ReadStringUnibyte(s string) (str string, unibyte bool, rest string, err error) {
	var b strings.Builder
	raw, multibyte := false, false
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '"':
			return b.String(), raw && !multibyte, s[i+1:], nil
		case '\\':
			i++
			if i >= len(s) {
				break
			}
			switch c := s[i]; {
			case c == 'n':
				b.WriteByte('\n')
			case c == 't':
				b.WriteByte('\t')
			case strings.IndexByte(simpleEscapes, c) >= 0:
				b.WriteByte(simpleEscaped[strings.IndexByte(simpleEscapes, c)])
			case c == '\n' || c == ' ':
				// An escaped newline or space is no character.
			case c == 'x' || c == 'u' || c == 'U' || c == 'N' || c == 'C' || c == '^':
				n, size, byte8, err := readStringCharEscape(s[i:])
				if err != nil {
					return "", false, "", fmt.Errorf("%s: %w", s, err)
				}
				i += size - 1
				switch {
				case byte8:
					// \x of one or two digits from 80: a raw byte,
					// as an octal escape \200-\377.
					b.WriteByte(byte(n))
					raw = true
				case n < utf8.RuneSelf:
					b.WriteByte(byte(n))
				default:
					b.WriteRune(n)
					multibyte = true
				}
			case strings.IndexByte("MSHA", c) >= 0:
				// \M-a, \S-a…: modifiers Emacs applies to the
				// character (a raw byte, an upcased letter); with no
				// hyphen the reader fails.
				return "", false, "", fmt.Errorf("%s: the escape \\%c- is Lisp syntax %w", s, c, ErrEscapeNotRead)
			case c >= '0' && c <= '7':
				// An octal escape, as prin1 prints a raw byte
				// (\355): that byte; past \377 a character.
				n := 0
				for k := 0; k < 3 && i < len(s) && s[i] >= '0' && s[i] <= '7'; k++ {
					n = n*8 + int(s[i]-'0')
					i++
				}
				i--
				switch {
				case n > 0xff:
					b.WriteRune(rune(n))
					multibyte = true
				default:
					b.WriteByte(byte(n))
					raw = raw || n >= 0x80
				}
			default:
				b.WriteByte(c)
				multibyte = multibyte || c >= 0x80
			}
		default:
			b.WriteByte(s[i])
			multibyte = multibyte || s[i] >= 0x80
		}
	}
	return "", false, "", fmt.Errorf("%s: unterminated string", s)
}

// simpleEscapes are the escapes of one character the reader reads in a
// string besides \n and \t, simpleEscaped what each is (\s is a space
// in a string, even before a hyphen).
const (
	simpleEscapes = "rfeabvds"
	simpleEscaped = "\r\f\x1b\a\b\v\x7f "
)

// ErrEscapeNotRead is the error of a string literal holding an escape
// Emacs's reader reads and Borges does not (a modifier but control, a
// named character, a surrogate), or one the reader rejects: the value is
// refused (an Emacs Lisp block's is read by Emacs), never read otherwise.
var ErrEscapeNotRead = errors.New("which Borges does not read")

// readStringCharEscape reads the escape at the start of s (after its
// backslash: x, u, U, N{U+…}, C- or ^) as Emacs 28's reader reads it in
// a string, giving the character, the bytes it takes, and whether it is
// a raw byte (\x of one or two hex digits from 80). The escapes it does
// not read (a named character, a surrogate, a character past U+10FFFF,
// a control modifier on a character that has no control character) are
// an error, as are those the reader rejects (\u short of its digits).
func readStringCharEscape(s string) (r rune, size int, byte8 bool, err error) {
	// hex reads up to max hex digits from s[from:] (all of them for
	// max < 0); past utf8.MaxRune the value stays just past it, the
	// digits still taken, so that it cannot overflow and is refused.
	hex := func(from, max int) (int, int) {
		n, j := 0, from
		for j < len(s) && (max < 0 || j-from < max) && isHex(s[j]) {
			d, _ := strconv.ParseUint(s[j:j+1], 16, 8)
			if n <= utf8.MaxRune {
				n = min(n*16+int(d), utf8.MaxRune+1)
			}
			j++
		}
		return n, j
	}
	var n int
	switch s[0] {
	case 'x':
		var j int
		// Emacs reads every hex digit, leading zeros too
		// ("\x0000000041" is "A").
		n, j = hex(1, -1)
		if j-1 < 3 && n >= 0x80 {
			return rune(n), j, true, nil
		}
		size = j
	case 'u', 'U':
		w := 4
		if s[0] == 'U' {
			w = 8
		}
		var j int
		n, j = hex(1, w)
		if j-1 != w {
			return 0, 0, false, fmt.Errorf("the escape \\%s, short of its %d hex digits (Emacs's reader fails), is Lisp syntax %w", s[:j], w, ErrEscapeNotRead)
		}
		size = j
	case 'N':
		end := strings.IndexByte(s, '}')
		if !strings.HasPrefix(s, "N{U+") || end < 0 {
			return 0, 0, false, fmt.Errorf("the named character \\%s is Lisp syntax %w", s[:max(end+1, 1)], ErrEscapeNotRead)
		}
		var j int
		n, j = hex(4, 9)
		if j != end || j == 4 {
			return 0, 0, false, fmt.Errorf("the escape \\%s is Lisp syntax %w", s[:end+1], ErrEscapeNotRead)
		}
		size = end + 1
	case 'C', '^':
		at := 1
		if s[0] == 'C' {
			if !strings.HasPrefix(s, "C-") {
				// The reader fails: "Invalid escape character syntax".
				return 0, 0, false, fmt.Errorf("the escape \\C with no hyphen is Lisp syntax %w", ErrEscapeNotRead)
			}
			at = 2
		}
		if at >= len(s) {
			return 0, 0, false, fmt.Errorf("the escape \\%s is Lisp syntax %w", s, ErrEscapeNotRead)
		}
		switch c := s[at]; {
		case c == '?':
			return 0x7f, at + 1, false, nil
		case c == '\\':
			// The reader reads an escape there (\C-\M-a): not read.
		case c >= '@' && c <= '_', c >= 'a' && c <= 'z':
			return rune(c & 0x1f), at + 1, false, nil
		}
		return 0, 0, false, fmt.Errorf("the control escape \\%s is Lisp syntax %w", s[:at+1], ErrEscapeNotRead)
	}
	if n > utf8.MaxRune || n >= 0xd800 && n <= 0xdfff {
		return 0, 0, false, fmt.Errorf("the escape \\%s, no Unicode character Borges holds, is Lisp syntax %w", s[:size], ErrEscapeNotRead)
	}
	return rune(n), size, false, nil
}
