package org

import "strconv"

// ConcatChars is Emacs's (concat seq) of a header value Babel evaluated
// to a list or a vector (Arg.Printed: printed is it as prin1 prints it),
// as ob-shell's (concat " " cmdline) makes a string of it: each element a
// character, written as Emacs writes its multibyte text (AppendEmacsChar).
// Where an element is no character (a symbol, a string, a float, a
// number past Emacs's characters), concat signals: stop is the error
// message, "Wrong type argument: characterp, ELEMENT". ok is false where
// printed is no list or vector Borges reads.
func ConcatChars(printed string) (text, stop string, ok bool) {
	d, rest, ok := readLispDatum(printed, 0)
	if !ok || skipLispBlanks(rest) != "" || d.kind != lispList && d.kind != lispVec {
		return "", "", false
	}
	var out []byte
	for _, it := range d.items {
		c, err := strconv.ParseInt(it.text, 10, 32)
		if it.kind != lispNum || err != nil || c < 0 || c > 0x3FFFFF {
			return "", "Wrong type argument: characterp, " + printLispDatum(it, false), true
		}
		out = AppendEmacsChar(out, rune(c))
	}
	return string(out), "", true
}

// AppendEmacsChar appends character v as Emacs writes it in UTF-8: the
// shortest sequence of its bits (surrogates and past U+10FFFF too), a
// raw byte's (from 0x3FFF80) as that byte.
func AppendEmacsChar(out []byte, v rune) []byte {
	switch {
	case v < 0x80:
		return append(out, byte(v))
	case v < 0x800:
		return append(out, 0xc0|byte(v>>6), 0x80|byte(v&0x3f))
	case v < 0x10000:
		return append(out, 0xe0|byte(v>>12), 0x80|byte(v>>6&0x3f), 0x80|byte(v&0x3f))
	case v < 0x200000:
		return append(out, 0xf0|byte(v>>18), 0x80|byte(v>>12&0x3f), 0x80|byte(v>>6&0x3f), 0x80|byte(v&0x3f))
	case v < 0x3fff80:
		return append(out, 0xf8, 0x80|byte(v>>18&0x3f), 0x80|byte(v>>12&0x3f), 0x80|byte(v>>6&0x3f), 0x80|byte(v&0x3f))
	}
	return append(out, byte(v-0x3fff00))
}
