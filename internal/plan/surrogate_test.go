package plan

import (
	"errors"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

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
	masked, ok := charsMasked(map[string]Value{"x": {Scalar: "\xed\xa0\xbd"}, "y": read})
	if !ok || masked["x"].Scalar != "\xed\xa0\xbd" || masked["y"].List[0].Scalar != "a\uFFFD" || read.List[0].Scalar != "a\xed\xa0\xbd" {
		t.Errorf("charsMasked %+v", masked)
	}
	if _, ok := charsMasked(map[string]Value{"x": {Scalar: "\xed\xa0\xbd"}}); ok {
		t.Error("charsMasked of raw bytes")
	}
	table := Value{Table: [][]string{{"p\xed\xa0\xbdq", "1"}}, Chars: true}
	if !indexValue(table, "0,0").Chars || !indexValue(table, "0").holdsChars() {
		t.Error("indexing a table lost Chars")
	}
	// ResultValue: Emacs Lisp's value, and a Perl value file whose
	// sequences are whole, hold characters; a shell's output, a Perl
	// file ending inside a sequence or holding a NUL, raw bytes.
	for _, c := range []struct {
		t     *Task
		out   string
		chars bool
	}{
		{&Task{Lang: "emacs-lisp", Reader: org.ReadLisp}, "\"a\xed\xa0\xbd\"", true},
		{&Task{Lang: "perl", Reader: org.ReadPerl}, "a\xed\xa0\xbd", true},
		{&Task{Lang: "perl", Reader: org.ReadPerl}, "a\xed\xa0\xbd\xe2\x82", false},
		{&Task{Lang: "perl", Reader: org.ReadPerl}, "a\xed\xa0\xbd\x00", false},
		{&Task{Lang: "sh", Results: "output"}, "a\xed\xa0\xbd", false},
		{&Task{Lang: "python", Reader: org.ReadPython}, "a\xed\xa0\xbd", false},
		{&Task{Lang: "python", Reader: org.ReadPython, ValueFile: true}, "a\xed\xa0\xbd", true},
	} {
		if got := ResultValue(c.t, c.out).holdsChars(); got != c.chars {
			t.Errorf("ResultValue(%s, %q).Chars = %v", c.t.Lang, c.out, got)
		}
	}
}

// A value Emacs printed (Value.Chars) stops no block for its surrogates:
// a shell's program writes them as they are, and is checked as rendered of
// the value with U+FFFD for each (charsMasked); an Emacs Lisp program run
// by its :shebang writes them escaped, and is encodable as it is. The
// same bytes printed by a program are raw bytes: the shell's program
// stops Emacs.
func TestSurrogateValueNoCodingStop(t *testing.T) {
	chars := Value{Scalar: "a\xed\xa0\xbd", Chars: true}
	printed := Value{Scalar: "a\xed\xa0\xbd"}
	for _, c := range []struct {
		header string
		v      Value
		stop   bool
	}{
		{"sh :var x=v", chars, false},
		{"emacs-lisp :shebang \"#!/usr/bin/env emacs --script\" :var x=v", chars, false},
		{"sh :var x=v", printed, true},
	} {
		doc := mustParse(t, "#+name: v\n"+block("sh", "echo")+block(c.header, "BODY"))
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		// The block's own run, its reference's run of v before it.
		user := p.Tasks[len(p.Tasks)-1]
		_, err = Render(doc, user, map[string]Value{user.After[0]: c.v})
		var re *ReferenceError
		if stop := errors.As(err, &re) && re.Emacs == CodingStopError; stop != c.stop || !stop && err != nil {
			t.Errorf("%s, chars %v: %v, want a coding stop %v", c.header, c.v.Chars, err, c.stop)
		}
	}
}
