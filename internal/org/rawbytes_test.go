package org

import "testing"

// TestRawBytesInTablesAndLists: a raw byte (the Lisp reader's "\x85")
// is written "\205" in a table cell and inside a list printed with %S,
// as Emacs 28 writes them (tablestop_js.org); Emacs's characters past
// U+10FFFF ("\x1fffff", F7 BF BF BF) and other characters stay as they
// are, quotes and backslashes escaped inside a list.
func TestRawBytesInTablesAndLists(t *testing.T) {
	rows, _ := orgtblRows([][]string{{"x\x85y", "é\x90"}, {"\xf7\xbf\xbf\xbf", "a"}})
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
