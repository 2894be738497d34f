package plan

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"unsafe"
)

// TestReadStringOctal: octal escapes read as Emacs's reader reads them
// (checked with Emacs 28.2: (read "\"\\777\"") is (511)), and whether the
// string is unibyte (escapes \200-\377 and no character past ASCII).
func TestReadStringOctal(t *testing.T) {
	checkReadStrings(t, []readStringCase{
		{`"\351"`, "\xe9", true},
		{`"\3517"`, "\xe97", true},
		{`"\101"`, "A", false},
		{`"\777"`, "\u01ff", false},
		{`"a\400b"`, "a\u0100b", false},
		{`"\303\251"`, "\xc3\xa9", true},
		{`"é\351"`, "é\xe9", false},
		{`"é"`, "é", false},
	})
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

// TestUnibyteCells: an Emacs Lisp table's unibyte cells (read typed,
// readLispVar) stay unibyte through indexing; prin1 (the :cache hash, the
// programs of Emacs Lisp, Python, Ruby and JavaScript blocks) and a
// shell's table (orgtbl-to-generic's princ) write their bytes past ASCII
// as octal escapes, as they do a raw byte of another cell (checked with
// Emacs 28.2, fixtures unibyte_table and cache_rawbytes); where a
// language puts them in as they are (a shell's scalar), they are raw
// bytes (unibyteRaw), which Emacs cannot write to the program's file.
func TestUnibyteCells(t *testing.T) {
	v := readLispVar(`((s"\303\251" s"é\351" d1))`)
	if !v.unibyteAt(0, 0) || v.unibyteAt(0, 1) {
		t.Fatalf("marks %v", v.marks)
	}
	if got, want := printBinding("x", v), `(x ("\303\251" "é\351" 1))`; got != want {
		t.Errorf("printBinding = %s, want %s", got, want)
	}
	if got, want := lispish(v, "None", true), `[["\303\251", "é\351", 1]]`; got != want {
		t.Errorf("lispish = %s, want %s", got, want)
	}
	if got, want := v.princCells(0), []string{`\303\251`, `é\351`, "1"}; !slices.Equal(got, want) {
		t.Errorf("princCells = %q, want %q", got, want)
	}
	if c := indexValue(v, "0,0"); !c.Unibyte || c.Scalar != "\xc3\xa9" {
		t.Errorf("x[0,0] = %+v", c)
	}
	raw, ok := unibyteRaw(map[string]Value{"x": v, "y": {Scalar: "é"}})
	if !ok || raw["x"].Table[0][0] != "\xff\xff" || raw["x"].Table[0][1] != "é\xe9" || raw["y"].Scalar != "é" || v.Table[0][0] != "\xc3\xa9" {
		t.Errorf("unibyteRaw = %+v, %v (the value itself %q)", raw, ok, v.Table)
	}
	if _, ok := unibyteRaw(map[string]Value{"y": {Scalar: "é"}}); ok {
		t.Error("unibyteRaw of no unibyte string changed it")
	}
}

// TestUnibyteRawCopiesListOnce: a list of n unibyte items is copied
// once, not once per item (n copies of n items). The bytes allocated
// are counted, not timed: one copy and the items' strings are far below
// the n/8 copies the bound allows; n copies are far above it.
func TestUnibyteRawCopiesListOnce(t *testing.T) {
	const n = 2000
	items := make([]Value, n)
	for i := range items {
		items[i] = Value{Scalar: "\xc3\xa9", Unibyte: true}
	}
	v := Value{IsList: true, List: items}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	w, ok := v.unibyteRaw()
	runtime.ReadMemStats(&after)
	if !ok || len(w.List) != n || w.List[n-1].Scalar != "\xff\xff" || v.List[0].Scalar != "\xc3\xa9" {
		t.Fatalf("unibyteRaw: changed %v, %d items, last %q, original first %q", ok, len(w.List), w.List[n-1].Scalar, v.List[0].Scalar)
	}
	if got, most := after.TotalAlloc-before.TotalAlloc, uint64(n/8)*uint64(n)*uint64(unsafe.Sizeof(Value{})); got > most {
		t.Errorf("unibyteRaw of %d unibyte items allocated %d bytes, more than %d: the list is copied per item", n, got, most)
	}
}

// TestReadStringEscapes: the reader's other escapes in a string literal
// (a quoted :var value, hunt21_var_escapes_backslashes.org), as Emacs
// 28.2 reads them (checked: (append (read "\"\\u00e9\"") nil) is (233),
// of "\x3b1" (945), of "\xe9" (233) unibyte, of "\C-a\^?" (1 127)); the
// escapes Borges does not read (a modifier but control, a named
// character, a surrogate, a \u short of its digits) are an error, never
// the letter alone.
func TestReadStringEscapes(t *testing.T) {
	checkReadStrings(t, []readStringCase{
		{`"uni\u00e9"`, "unié", false},
		{`"\U0001F389"`, "🎉", false},
		{`"\x41\x3b1"`, "Aα", false},
		{`"\x0e9"`, "é", false},
		{`"\x0000000041"`, "A", false},
		{`"\x00000000000e9x"`, "éx", false},
		{`"\xe9"`, "\xe9", true},
		{`"\xff\u00e9"`, "\xffé", false},
		{`"\x"`, "\x00", false},
		{`"\x41\ z"`, "Az", false},
		{`"a\rb\f\e\a\b\v\d"`, "a\rb\f\x1b\a\b\v\x7f", false},
		{`"x\sy\s-"`, "x y -", false},
		{"\"a\\\nb\"", "ab", false},
		{`"\C-a\^b\^?\C-?"`, "\x01\x02\x7f\x7f", false},
		{`"\N{U+E9}"`, "é", false},
		{`"\z\q"`, "zq", false},
	})
	for _, lit := range []string{`"\u00e"`, `"\uD800"`, `"\U00110000"`, `"\M-a"`, `"\S-a"`, `"\C-%"`, `"\^1"`,
		`"\N{LATIN SMALL LETTER E WITH ACUTE}"`, `"\N{U+110000}"`, `"\x110000"`, `"\C-\M-a"`,
		`"\x10000000000000000041"`, `"\xffffffffffffffffffffffff"`,
		`"\Cx"`, `"\M"`, `"\N"`, `"\u"`, `"\S"`} {
		if got, _, _, err := readStringUnibyte(lit); err == nil {
			t.Errorf("readStringUnibyte(%s) = %q, want an error (Borges does not read it)", lit, got)
		}
	}
}

// TestVarEscapeNotReadRefused: a quoted :var value holding an escape
// Borges does not read refuses the document, naming the line, the :var
// and the escape, rather than binding its letters (or stopping as for
// an unterminated string); an Emacs Lisp block's is read by Emacs.
func TestVarEscapeNotReadRefused(t *testing.T) {
	doc := mustParse(t, "text\n\n"+block(`sh :var a="\M-a" :results output`, "echo $a"))
	_, err := Build(doc, machine, DefaultOptions)
	if err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), `:var: a: "\M-a": the escape \M-`) {
		t.Fatalf("Build = %v, want the document refused naming line 3, the :var and the escape", err)
	}
	doc = mustParse(t, block(`emacs-lisp :var a="\M-a"`, "a"))
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if vars := p.Tasks[0].Vars; len(vars) != 1 || vars[0].Literal != `"\M-a"` {
		t.Fatalf("vars = %+v, want the literal left to Emacs to read", vars)
	}
}

type readStringCase struct {
	lit, want string
	unibyte   bool
}

// checkReadStrings holds readStringUnibyte to each case: the string the
// literal reads as, all of it, and whether it is unibyte.
func checkReadStrings(t *testing.T, cases []readStringCase) {
	t.Helper()
	for _, c := range cases {
		got, unibyte, rest, err := readStringUnibyte(c.lit)
		if err != nil || rest != "" || got != c.want || unibyte != c.unibyte {
			t.Errorf("readStringUnibyte(%s) = %q, %v, %q, %v; want %q, %v", c.lit, got, unibyte, rest, err, c.want, c.unibyte)
		}
	}
}

// TestHeaderEscapeNotReadRefused: a quoted header value other than :var
// (read by org's reader, shared with :var) holding an escape Borges does
// not read refuses the document, naming the line, the header argument
// and the escape, rather than binding its letters.
func TestHeaderEscapeNotReadRefused(t *testing.T) {
	doc := mustParse(t, "text\n\n"+block(`sh :cmdline "a\M-b" :results output`, "echo $1"))
	_, err := Build(doc, machine, DefaultOptions)
	if err == nil || !strings.Contains(err.Error(), "line 3") || !strings.Contains(err.Error(), `:cmdline: "a\M-b": the escape \M-`) {
		t.Fatalf("Build = %v, want the document refused naming line 3, the :cmdline and the escape", err)
	}
}

// TestCellEscapeNotReadRefused: a named table's quoted cell holding an
// escape Borges does not read, read through :var, is neither bound as its
// letters nor taken for no data ("Reference not found"): the document is
// refused naming the line, the :var and the escape.
func TestCellEscapeNotReadRefused(t *testing.T) {
	doc := mustParse(t, "#+name: cells\n| \"a\\M-b\" |\n\n"+block(`python :var t=cells`, "return t"))
	_, err := Build(doc, machine, DefaultOptions)
	if err == nil || !strings.Contains(err.Error(), "line 4") || !strings.Contains(err.Error(), `the escape \M-`) {
		t.Fatalf("Build = %v, want the document refused naming line 4, the :var and the escape", err)
	}
}
