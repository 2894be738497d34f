package org

import (
	"math"
	"math/big"
	"strconv"
	"strings"
)

// This file reads and prints the few Emacs Lisp values Babel turns header
// argument text into: numbers (org-babel--string-to-number) and strings
// (org-babel-read of a "quoted" value).

// ReadNumber is what org-babel--string-to-number returns for s, printed as
// Emacs prints it, and whether s is a number at all.
func ReadNumber(s string) (string, bool) { return lispNumber(s) }

// PrintsAsNumber reports whether s is the text of a number as Emacs
// prints one: one ReadNumber reads, or an infinity or NaN (NonFinite).
func PrintsAsNumber(s string) bool {
	_, ok := lispNumber(s)
	return ok || NonFinite(s)
}

// NonFinite reports whether s is how Emacs prints an infinite float or a
// NaN (1.0e+INF, -1.0e+INF, 0.0e+NaN, -0.0e+NaN): what ReadNumber gives of
// text that overflows (1e999). org-babel-read never reads s itself as a
// number, but a value printed so was read as one, and the variable
// conversions write it bare.
func NonFinite(s string) bool {
	switch s {
	case "1.0e+INF", "-1.0e+INF", "0.0e+NaN", "-0.0e+NaN":
		return true
	}
	return false
}

// readerNumber is the number the Lisp reader reads of tok, a token read
// unescaped, printed as Emacs prints it: number says tok reads as one,
// infinities and NaNs (1.0e+INF, -0.0e+NaN) included, which lispNumber
// does not take; ok is false for one past what Borges reads (see
// nonFinite).
func readerNumber(tok string) (printed string, ok, number bool) {
	if num, ok := lispNumber(tok); ok {
		return num, true, true
	}
	if !readsAsNumber(tok) {
		return "", false, false
	}
	num, ok := nonFinite(tok)
	return num, ok, true
}

// nonFinite is the float the Lisp reader reads of tok, a number ending in
// e+INF or e+NaN (readsAsNumber), as Emacs prints it: an infinity of its
// sign, or a NaN of its sign whose payload is its integer part modulo
// 2^51 (string_to_number, float_to_string). ok is false for another
// number, or an integer part past 2^64.
func nonFinite(tok string) (string, bool) {
	mant, exp, _ := strings.Cut(strings.ToLower(tok), "e")
	sign := ""
	if mant != "" && (mant[0] == '-' || mant[0] == '+') {
		if mant[0] == '-' {
			sign = "-"
		}
		mant = mant[1:]
	}
	switch exp {
	case "+inf":
		return sign + "1.0e+INF", true
	case "+nan":
		// The payload is the integer part's low 51 bits, however
		// many digits it has: wrapping at 2^64 keeps them.
		whole, _, _ := strings.Cut(mant, ".")
		n := uint64(0)
		for i := 0; i < len(whole); i++ {
			if whole[i] < '0' || whole[i] > '9' {
				return "", false
			}
			n = n*10 + uint64(whole[i]-'0')
		}
		return sign + strconv.FormatUint(n&(1<<51-1), 10) + ".0e+NaN", true
	}
	return "", false
}

// lispNumber is ReadNumber. Emacs only tries when s has no whitespace and
// only the characters [0-9e.+ -], a pattern tested under case-fold-search
// (E is e).
func lispNumber(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c == 'e' || c == 'E' || c == '.' || c == '+' || c == '-') {
			return "", false
		}
	}
	if n, ok := smallInteger(s); ok {
		return n, true
	}
	return readLispNumber(s)
}

// smallInteger is readLispNumber for the common case, without allocating:
// an optional sign, up to 18 digits without a leading zero, an optional
// final ".", printed as Emacs prints the integer (a substring of s).
func smallInteger(s string) (string, bool) {
	body, neg := s, false
	if body[0] == '+' || body[0] == '-' {
		neg, body = body[0] == '-', body[1:]
	}
	digits := strings.TrimSuffix(body, ".")
	if digits == "" || len(digits) > 18 || len(digits) > 1 && digits[0] == '0' {
		return "", false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return "", false
		}
	}
	if !neg || digits == "0" {
		return digits, true
	}
	return s[:1+len(digits)], true // "-" and the digits
}

// readLispNumber is `read' on a token made of [0-9eE.+-]: Emacs's
// string_to_number, which must consume the whole token (its exponent
// marked by e or E).
func readLispNumber(s string) (string, bool) {
	i := 0
	neg := false
	if s[i] == '+' || s[i] == '-' {
		neg = s[i] == '-'
		i++
	}
	intStart := i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	intDigits := s[intStart:i]
	// Integer: digits, optionally followed by a single ".".
	if intDigits != "" && (i == len(s) || (s[i] == '.' && i+1 == len(s))) {
		n, ok := new(big.Int).SetString(intDigits, 10)
		if !ok {
			return "", false
		}
		if neg {
			n.Neg(n)
		}
		return n.String(), true
	}
	fracDigits := ""
	if i < len(s) && s[i] == '.' {
		i++
		fs := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		fracDigits = s[fs:i]
	}
	if intDigits == "" && fracDigits == "" {
		return "", false
	}
	expOK := false
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		ds := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j > ds {
			expOK = true
			i = j
		}
	}
	if i != len(s) {
		return "", false
	}
	// A float needs fraction digits or an exponent ("1." is an integer,
	// handled above; "1.e5" is a float).
	if fracDigits == "" && !expOK {
		return "", false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil && !math.IsInf(f, 0) {
		return "", false
	}
	return formatLispFloat(f), true
}

// smallestNormal is C's DBL_MIN, the smallest normal double.
const smallestNormal = 0x1p-1022

// formatLispFloat prints f as Emacs's float_to_string does with
// float-output-format nil (gnulib's dtoastr): the shortest of %.15g,
// %.16g, %.17g that reads back as f — from %.1g for a subnormal number
// (5e-324) — with ".0" added when it looks like an integer.
func formatLispFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "1.0e+INF"
	case math.IsInf(f, -1):
		return "-1.0e+INF"
	case math.IsNaN(f):
		return "0.0e+NaN"
	}
	var s string
	first := 15
	if math.Abs(f) < smallestNormal {
		first = 1
	}
	for prec := first; prec <= 17; prec++ {
		s = strconv.FormatFloat(f, 'g', prec, 64)
		if back, err := strconv.ParseFloat(s, 64); err == nil && back == f {
			break
		}
	}
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}

// readLispString reads the Lisp string literal at the start of s (which
// begins with a double quote), as `read' does (ReadStringUnibyte), and
// reports whether it was read: not when it is unterminated or holds an
// escape Borges does not read (readLispStringErr says which).
func readLispString(s string) (string, bool) {
	str, err := readLispStringErr(s)
	return str, err == nil
}

// readLispStringErr is readLispString with the error: an unterminated
// string, or an escape Borges does not read (ErrEscapeNotRead).
func readLispStringErr(s string) (string, error) {
	str, _, _, err := ReadStringUnibyte(s)
	return str, err
}

// LispStringUnibyte reports whether the string literal lit (its quotes
// included, as prin1 prints it) reads as a unibyte string of raw bytes:
// an octal escape \200-\377 (prin1's of a unibyte string's byte past
// ASCII, or of a raw byte) and no character past ASCII, written or
// escaped (checked with Emacs 28.2: (multibyte-string-p "\303\251") is
// nil, of "é\351" t). Its bytes stay bytes where they form UTF-8: the
// string of (encode-coding-string "é" 'utf-8) is two bytes, not é.
func LispStringUnibyte(lit string) bool {
	raw := false
	for i := 1; i < len(lit)-1; i++ {
		c := lit[i]
		switch {
		case c >= 0x80:
			return false
		case c != '\\' || i+1 >= len(lit)-1:
			continue
		}
		i++
		switch e := lit[i]; {
		case e == 'u' || e == 'U' || e == 'N' || e == 'x':
			// Escapes prin1 never writes: taken for characters.
			return false
		case e >= '0' && e <= '7':
			j, n := i, 0
			for j < len(lit)-1 && j < i+3 && lit[j] >= '0' && lit[j] <= '7' {
				n = n*8 + int(lit[j]-'0')
				j++
			}
			if n > 0xff {
				return false
			}
			raw = raw || n >= 0x80
			i = j - 1
		}
	}
	return raw
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}
