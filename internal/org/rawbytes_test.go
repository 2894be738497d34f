package org

import (
	"slices"
	"testing"
)

// TestRawBytesInTablesAndLists: a raw byte (the Lisp reader's "\x85")
// is written "\205" in a table cell and inside a list printed with %S,
// as Emacs 28 writes them (tablestop_js.org); Emacs's characters past
// U+10FFFF ("\x1fffff", F7 BF BF BF) and other characters stay as they
// are, quotes and backslashes escaped inside a list.
func TestRawBytesInTablesAndLists(t *testing.T) {
	rows, _ := orgtblRows([][]string{{"x\x85y", "é\x90"}, {"\xf7\xbf\xbf\xbf", "a"}}, false, nil)
	if len(rows) != 2 || rows[0][0] != `x\205y` || rows[0][1] != `é\220` || rows[1][0] != "\xf7\xbf\xbf\xbf" {
		t.Errorf("table cells %q", rows)
	}
	for in, want := range map[string]string{
		"x\x85y":     `"x\205y"`,
		"a\tb\u0085": "\"a\tb\u0085\"",
		`q"r\s`:      `"q\"r\\s"`,
		"\x01\x7f":   "\"\x01\x7f\"",
	} {
		if got := (pyItem{text: in, str: true}).printS(); got != want {
			t.Errorf("%q printed %s, want %s", in, got, want)
		}
	}
}

// TestSurrogatesRawOrCharacters: a surrogate a program printed is three
// raw bytes, escaped in a table cell and by prin1 (fixture
// surrogate_printed); one in a value Emacs printed (ReadLisp: the Lisp
// reader made it of "\ud83d") is a character, written as it is
// (jsfix_reader).
func TestSurrogatesRawOrCharacters(t *testing.T) {
	cell := [][]string{{"a\xed\xa0\xbdb"}}
	if rows, _ := orgtblRows(cell, false, nil); rows[0][0] != `a\355\240\275b` {
		t.Errorf("printed: cell %q", rows[0][0])
	}
	if rows, _ := orgtblRows(cell, true, nil); rows[0][0] != "a\xed\xa0\xbdb" {
		t.Errorf("read: cell %q", rows[0][0])
	}
	if got := Prin1String("\xed\xb0\x80", false); got != `"\355\260\200"` {
		t.Errorf("printed: prin1 %s", got)
	}
	if got := Prin1String("\xed\xb0\x80", true); got != "\"\xed\xb0\x80\"" {
		t.Errorf("read: prin1 %s", got)
	}
	if !Unencodable("\xed\xa0\xbd") || holdsRaw("\xed\xa0\xbd", true, true) {
		t.Error("a printed surrogate is what utf-8-unix cannot encode, a read one is not")
	}
	v := ReadLisp.evaluate("(\"\xed\xa0\xbd\" (\"\xed\xa0\xbd\"))", []string{"list"})
	if len(v.table) != 1 || v.table[0][0] != "\xed\xa0\xbd" || v.nested[[2]int{0, 1}] != "(\"\xed\xa0\xbd\")" {
		t.Errorf("read list %q %v", v.table, v.nested)
	}
}

// TestUnibyteStrings: a string literal Emacs printed with octal escapes
// \200-\377 alone past ASCII is a unibyte string (checked with Emacs
// 28.2: (multibyte-string-p "\303\251") is nil, of "é\351" t), each byte
// past ASCII written "\NNN" in a table cell and by prin1, even where the
// bytes form UTF-8 (fixture unibyte_table): an Emacs Lisp value's
// table, list and string under :results table.
func TestUnibyteStrings(t *testing.T) {
	for lit, want := range map[string]bool{
		`"\303\251"`: true, `"a\351"`: true, `"é\351"`: false, `"\101"`: false,
		`"\777"`: false, `"é"`: false, `"\\303"`: false, `"\x85"`: false, `"\303\251\u00e9"`: false,
	} {
		if got := LispStringUnibyte(lit); got != want {
			t.Errorf("LispStringUnibyte(%s) = %v, want %v", lit, got, want)
		}
	}
	v := readLispValue(`(("\303\251" "b" 1) ("c" "\303\274\"x" "é"))`)
	rows, _ := orgtblRows(v.table, v.chars, v.unibyte)
	if rows[0][0] != `\303\251` || rows[0][1] != "b" || rows[1][1] != `\303\274"x` || rows[1][2] != "é" {
		t.Errorf("table cells %q", rows)
	}
	m := ReadLisp.ReadMarked(`("\303\251" "b")`, nil)
	if len(m.Unibyte) != 1 || m.Unibyte[0] != [2]int{0, 0} {
		t.Errorf("flat list: unibyte cells %v", m.Unibyte)
	}
	m = ReadLisp.ReadMarked(`"\303\251"`, Args{{Key: "results", Value: "table"}})
	if len(m.Unibyte) != 1 || len(m.Table) != 1 {
		t.Errorf("string under :results table: unibyte cells %v of %q", m.Unibyte, m.Table)
	}
	if got := (pyItem{text: "\xc3\xbc", str: true, unibyte: true}).printS(); got != `"\303\274"` {
		t.Errorf("prin1 of a unibyte string: %s", got)
	}
	if got := Princ("é\xe9", false, false); got != `é\351` {
		t.Errorf("princ of a raw byte: %s", got)
	}
}

// TestRawBytesEscapedCopiesRows: rawBytesEscaped leaves the rows it is
// given as they are, copying each row it escapes a cell of once, by its
// index: an empty row, rows that are one slice (a cell set in one does
// not show in the other), a rule, and unibyte cells past a row's end are
// left alone.
func TestRawBytesEscapedCopiesRows(t *testing.T) {
	shared := []string{"a\x85", "b"}
	rows := [][]string{{}, shared, shared, hlineRow, {"c\x86", "é"}}
	out := rawBytesEscaped(rows, false, [][2]int{{4, 1}, {0, 0}, {3, 0}, {4, 9}})
	want := [][]string{{}, {`a\205`, "b"}, {`a\205`, "b"}, hlineRow, {`c\206`, `\303\251`}}
	if len(out) != len(want) {
		t.Fatalf("rows %q, want %q", out, want)
	}
	for i := range want {
		if !slices.Equal(out[i], want[i]) {
			t.Errorf("row %d: %q, want %q", i, out[i], want[i])
		}
	}
	if shared[0] != "a\x85" || rows[4][0] != "c\x86" || rows[4][1] != "é" {
		t.Errorf("the rows given changed: %q", rows)
	}
	out[1][1] = "x"
	if out[2][1] != "b" {
		t.Error("two rows of one slice are one row in the copy")
	}
	if same := rawBytesEscaped(rows[:1], false, [][2]int{{0, 0}}); len(same) != 1 || len(same[0]) != 0 {
		t.Errorf("an empty row: %q", same)
	}
}
