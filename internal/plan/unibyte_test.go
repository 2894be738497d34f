package plan

import (
	"runtime"
	"slices"
	"testing"
	"unsafe"
)

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
