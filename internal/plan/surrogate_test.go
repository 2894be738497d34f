package plan

import "testing"

// TestSurrogateCharacters: a value Emacs printed keeps its surrogates as
// characters (Value.Chars), in its items too: Python's %S writes them as
// they are, an Emacs Lisp program as "\uD83D"; a program's printed
// surrogate is three raw bytes, octal escapes (fixtures surrogate_read,
// surrogate_printed).
func TestSurrogateCharacters(t *testing.T) {
	read := Value{IsList: true, List: []Value{{Scalar: "a\xed\xa0\xbd"}}}.withChars()
	if !read.holdsChars() || !read.List[0].Chars {
		t.Fatalf("withChars: %+v", read)
	}
	if got := lispish(read.List[0], "None", true); got != "\"a\xed\xa0\xbd\"" {
		t.Errorf("read: %%S %s", got)
	}
	if got := lispish(Value{Scalar: "a\xed\xa0\xbd"}, "None", true); got != `"a\355\240\275"` {
		t.Errorf("printed: %%S %s", got)
	}
	if got := surrogatesEscaped("(\"p\xed\xa0\xbdq\" \"\xed\xbf\xbf\")"); got != `("p\uD83Dq" "\uDFFF")` {
		t.Errorf("escaped %s", got)
	}
	if !anyChars(map[string]Value{"x": {}, "y": read}) || anyChars(map[string]Value{"x": {Scalar: "\xed\xa0\xbd"}}) {
		t.Error("anyChars")
	}
}
