package plan

import "testing"

// TestReadStringOctal: octal escapes read as Emacs's reader reads them
// (checked with Emacs 28.2: (read "\"\\777\"") is (511)), and whether the
// string is unibyte (escapes \200-\377 and no character past ASCII).
func TestReadStringOctal(t *testing.T) {
	for _, c := range []struct {
		lit, want string
		unibyte   bool
	}{
		{`"\351"`, "\xe9", true},
		{`"\3517"`, "\xe97", true},
		{`"\101"`, "A", false},
		{`"\777"`, "\u01ff", false},
		{`"a\400b"`, "a\u0100b", false},
		{`"\303\251"`, "\xc3\xa9", true},
		{`"é\351"`, "é\xe9", false},
		{`"é"`, "é", false},
	} {
		got, unibyte, rest, err := readStringUnibyte(c.lit)
		if err != nil || rest != "" || got != c.want || unibyte != c.unibyte {
			t.Errorf("readStringUnibyte(%s) = %q, %v, %q, %v; want %q, %v", c.lit, got, unibyte, rest, err, c.want, c.unibyte)
		}
	}
}

// TestPrintRawBytes: %S of strings holding raw bytes, as the :cache hash
// and the programs of Emacs Lisp and Python blocks have them: prin1's
// octal escapes, every byte past ASCII of a unibyte string (checked with
// Emacs 28.2: (format "%S" (encode-coding-string "é" 'utf-8)) is
// "\303\251", of (decode-coding-string "r\351" 'utf-8) "r\351").
func TestPrintRawBytes(t *testing.T) {
	for _, c := range []struct {
		v    Value
		want string
	}{
		{Value{Scalar: "r\xe9"}, `(x . "r\351")`},
		{Value{Scalar: "\xc3\xa9", Unibyte: true}, `(x . "\303\251")`},
		{Value{Scalar: "é\xe9"}, `(x . "é\351")`},
		{Value{Scalar: `a"\é`}, `(x . "a\"\\é")`},
		{Value{IsList: true, List: []Value{{Scalar: "\xc3\xa9", Unibyte: true}, {Scalar: "é"}}}, `(x "\303\251" "é")`},
	} {
		if got := printBinding("x", c.v); got != c.want {
			t.Errorf("printBinding(x, %+v) = %s, want %s", c.v, got, c.want)
		}
	}
	if got, want := lispish(Value{Scalar: "\xc3\xa9", Unibyte: true}, "None", true), `"\303\251"`; got != want {
		t.Errorf("lispish of a unibyte string = %s, want %s", got, want)
	}
}
