package org

import (
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// randomOutput draws program output rich in what reading it as a table
// treats specially: TABs, runs of spaces, commas, quotes, bars, numbers,
// alignment cookies, wide and combining characters, empty lines.
func randomOutput(r *rand.Rand) string {
	atoms := []string{"\t", " ", "  ", ",", `"`, `""`, "|", "-", "1", "2.5", "-3", "0x1F", "1e3", "nan", "<r>", "<l5>",
		"a", "yes", "漢", "e\u0301", "\n", "\n", "\n", "(", "'", "#", "2#101", "*", "#+x", ",*"}
	var b strings.Builder
	for n := r.Intn(24); n > 0; n-- {
		b.WriteString(atoms[r.Intn(len(atoms))])
	}
	return b.String()
}

// TestTextTableMatchesReference reads random outputs as tables with the
// streaming reader and with the implementation it replaced (whole text
// converted, rows held, then aligned), for each separator.
func TestTextTableMatchesReference(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	for i := 0; i < 30000; i++ {
		text := randomOutput(r)
		for _, sep := range []string{"", "tab"} {
			wantRows, wantScalar, wantIsScalar := refImportTableSep(text, sep)
			tt, scalar, isScalar, _ := newTextTable(text, sep)
			if isScalar != wantIsScalar || scalar != wantScalar || (tt == nil) != (wantRows == nil) {
				t.Fatalf("%q (%q): scalar %v %q table %v, want %v %q %v", text, sep, isScalar, scalar, tt != nil, wantIsScalar, wantScalar, wantRows != nil)
			}
			if tt == nil {
				continue
			}
			if got := tt.rowsOf(); !equalRows(got, wantRows) {
				t.Fatalf("%q (%q): rows %q, want %q", text, sep, got, wantRows)
			}
			// org-table-align reads the cells orgtbl-to-orgtbl printed
			// trimmed of blanks (a quoted cell read keeps them).
			aligned := make([][]string, len(wantRows))
			for i, row := range wantRows {
				aligned[i] = make([]string, len(row))
				for j, c := range row {
					aligned[i][j] = strings.Trim(c, " \t")
				}
			}
			want := strings.Join(refAlignTable(aligned), "\n") + "\n"
			for _, indent := range []int{0, 3, 9} {
				got := resultText{table: tt.layout}.indented(indent, false).String()
				if w := refIndentRigidly(want, indent, false); got != w {
					t.Fatalf("%q (%q) indent %d: printed\n%s\nwant\n%s", text, sep, indent, got, w)
				}
			}
			if got := strings.Join(alignTable(aligned), "\n") + "\n"; got != want {
				t.Fatalf("alignTable(%q) =\n%s\nwant\n%s", aligned, got, want)
			}
		}
	}
}

func equalRows(a, b [][]string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if strings.Join(a[i], "\x01") != strings.Join(b[i], "\x01") || len(a[i]) != len(b[i]) {
			return false
		}
	}
	return true
}

func TestIsTableNumberMatchesRegexp(t *testing.T) {
	r := rand.New(rand.NewSource(6))
	atoms := []string{"0", "1", "9", "-", "+", "^", ".", "e", "E", "d", "D", "x", "X", "(", ")", "%", ":", "<", ">", "#", "a", "f", "F", "z", "Z", "n", "N", "i", "I", "u", "U", "ſ", "K", "nan", "inf", " "}
	for i := 0; i < 200000; i++ {
		var b strings.Builder
		for n := r.Intn(7); n > 0; n-- {
			b.WriteString(atoms[r.Intn(len(atoms))])
		}
		v := b.String()
		if got, want := isTableNumber(v), numberRe.MatchString(v); got != want {
			t.Fatalf("isTableNumber(%q) = %v, numberRe says %v", v, got, want)
		}
	}
}

// TestLineFunctionsMatchReference compares examplify, escapeCode and
// indentRigidly, rewritten to walk lines without splitting, with the
// versions that split.
func TestLineFunctionsMatchReference(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	for i := 0; i < 30000; i++ {
		s := randomOutput(r)
		if got, want := examplify(s), refExamplify(s); got != want {
			t.Fatalf("examplify(%q) = %q, want %q", s, got, want)
		}
		if got, want := escapeCode(s), refEscapeCode(s); got != want {
			t.Fatalf("escapeCode(%q) = %q, want %q", s, got, want)
		}
		n := r.Intn(12)
		if got, want := indentRigidly(s, n, false), refIndentRigidly(s, n, false); got != want {
			t.Fatalf("indentRigidly(%q, %d) = %q, want %q", s, n, got, want)
		}
	}
}

// TestSmallIntegerMatchesReader checks the allocation-free path of
// lispNumber against the general reader.
func TestSmallIntegerMatchesReader(t *testing.T) {
	r := rand.New(rand.NewSource(8))
	atoms := []string{"0", "1", "7", "9", "-", "+", ".", "e", "00", "123456789"}
	for i := 0; i < 100000; i++ {
		var b strings.Builder
		for n := 1 + r.Intn(6); n > 0; n-- {
			b.WriteString(atoms[r.Intn(len(atoms))])
		}
		s := b.String()
		got, ok := smallInteger(s)
		if !ok {
			continue
		}
		if want, wantOK := readLispNumber(s); !wantOK || got != want {
			t.Fatalf("smallInteger(%q) = %q, reader says %q %v", s, got, want, wantOK)
		}
	}
}

// TestDeepValueIsText reads a Python value nested millions of lists deep:
// kept as text, where reading it exhausted the stack and killed the
// process.
func TestDeepValueIsText(t *testing.T) {
	n := 3000000
	out := strings.Repeat("[", n) + strings.Repeat("]", n)
	for _, r := range []Reader{ReadPython, ReadRuby, ReadJS} {
		v := r.evaluate(out, []string{"replace"})
		if v.kind != valueString || len(v.str) != 2*n {
			t.Errorf("%s: kind %d, %d bytes", r, v.kind, len(v.str))
		}
	}
	// At the limit, still a list.
	ok := strings.Repeat("[", maxPyDepth) + "1" + strings.Repeat("]", maxPyDepth)
	if v := ReadPython.evaluate(ok, []string{"replace"}); v.kind != valueTable {
		t.Errorf("%d levels: kind %d", maxPyDepth, v.kind)
	}
}

func TestPyPrintMatchesReference(t *testing.T) {
	r := rand.New(rand.NewSource(13))
	atoms := []string{"[", "]", "[", "]", ",", "1", "'a'", `"b\"c"`, "None", "2.5", "x", " "}
	for i := 0; i < 30000; i++ {
		var b strings.Builder
		b.WriteString("[")
		for n := r.Intn(14); n > 0; n-- {
			b.WriteString(atoms[r.Intn(len(atoms))])
		}
		b.WriteString("]")
		items, _, ok := parsePyList(b.String(), "None")
		if !ok {
			continue
		}
		for _, it := range items {
			// printS is %S, as :results list prints a list; the
			// reference is the plain one it replaced.
			if got, want := it.printS(), refPrint(it); got != want {
				t.Fatalf("%s: printS %q, want %q", b.String(), got, want)
			}
		}
	}
}

// TestNonFiniteText: a cell printed as the text 1.0e+INF (or -0.0e+NaN) is
// a string to org-babel-read, where 1e999 is the number (checked with
// Emacs 28.2); a scalar of that text is no number either.
func TestNonFiniteText(t *testing.T) {
	tt, _, _, _ := newTextTable("1.0e+INF 1e999\n-0.0e+NaN x\n", "")
	if tt == nil {
		t.Fatal("no table")
	}
	if got, want := tt.nonFiniteText(), [][2]int{{0, 0}, {1, 0}}; !reflect.DeepEqual(got, want) {
		t.Errorf("nonFiniteText = %v, want %v", got, want)
	}
	if tt, _, _, _ := newTextTable("1 2\n3 4\n", ""); tt == nil || tt.nonFiniteText() != nil {
		t.Errorf("a table of numbers has non-finite text cells")
	}
	for _, c := range []struct {
		text string
		num  bool
	}{{"1e999", true}, {"1.0e+INF", false}, {"7", true}} {
		if _, scalar, isScalar, num := newTextTable(c.text, ""); !isScalar || num != c.num {
			t.Errorf("newTextTable(%q) = scalar %q %v, number %v; want number %v", c.text, scalar, isScalar, num, c.num)
		}
	}
}

// TestMarkedNonFiniteText: ReadMarked finds a table's text cells 1.0e+INF
// after reading the table, whose walk may have found every cell reads as
// written; the walk that looks for them must read the cells anyway.
func TestMarkedNonFiniteText(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want [][2]int
	}{
		{"x\t1.0e+INF\ny\t2\n", [][2]int{{0, 1}}},               // every cell as written
		{"-0.0e+NaN a\nb 1.0e+INF\n", [][2]int{{0, 0}, {1, 1}}}, // every cell as written
		{"1.0e+INF\t010\ny\t2\n", [][2]int{{0, 0}}},             // 010 reads as 10
		{"x\t2\ny\t3\n", nil},                                   // no such text
	} {
		m := ReadGeneric.ReadMarked(c.raw, nil)
		if !reflect.DeepEqual(m.Strings, c.want) {
			t.Errorf("ReadMarked(%q).Strings = %v, want %v", c.raw, m.Strings, c.want)
		}
	}
}

// TestStringToNumber: org-babel--string-to-number's answers in Emacs 28.2
// (org-babel--string-to-number on each text): spaces around a number
// are skipped, a tab or a space inside is not.
func TestStringToNumber(t *testing.T) {
	for _, c := range []struct{ s, want string }{
		{"1 ", "1"}, {" -1", "-1"}, {"+2 ", "2"}, {"1e3 ", "1000.0"}, {"2E1 ", "20.0"},
		{"  .5 ", "0.5"}, {"7. ", "7"}, {" 010 ", "10"}, {"1\n", "1"}, {"\n1", "1"},
		{"1 2", ""}, {"1\t", ""}, {" 1\t", ""}, {"- 1", ""}, {" ", ""}, {" 1;", ""}, {"1", "1"}, {"a", ""},
	} {
		n, ok := stringToNumber(c.s)
		if ok != (c.want != "") || n != c.want {
			t.Errorf("stringToNumber(%q) = %q %v, want %q", c.s, n, ok, c.want)
		}
	}
}

// TestQuotedSpacedTextCells: a quoted cell read with blanks around its
// text is not as written (the fast path must not print it unread), its
// value keeps them, and the table is printed with them trimmed, as
// org-table-align writes it (checked in TestAgainstEmacs/quoted_spaced_text).
func TestQuotedSpacedTextCells(t *testing.T) {
	tt, _, isScalar, _ := newTextTable("\"a \"\t\" b\"\n\" - \"\t\"  \"\n", "")
	if tt == nil || isScalar {
		t.Fatal("no table")
	}
	if tt.asWritten {
		t.Error("asWritten for quoted cells")
	}
	if got, want := tt.rowsOf(), [][]string{{"a ", " b"}, {" - ", "  "}}; !reflect.DeepEqual(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	var b strings.Builder
	tt.layout.writeTo(&b, "")
	if got, want := b.String(), "| a | b |\n| - |   |\n"; got != want {
		t.Errorf("printed %q, want %q", got, want)
	}
}
