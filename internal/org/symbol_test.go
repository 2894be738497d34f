package org

import (
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// symbolNames are names whose printed form tests prin1's rules: the
// characters it escapes anywhere (. and ? too, in Emacs 28), names that
// read as numbers (the first character escaped), the empty name, and
// names left as they are.
var symbolNames = []string{
	"plain", "a.b", "a b", "1", "-1", "+1", "1.5", ".5", "1e3", "1E3", "1.e3", "1.0e+INF", "1e+INF",
	"0.0e+NaN", "1e-INF", "1.", "-", "+", ".", "-.5", "+.1", ".e3", "1e", "e1", "-e", "1+", "1/2",
	"0x10", "#x10", "1_000", "1.5e2", "12e-3", "1.2.3", "?x", "x?", "a#b", "#a", "a;b", "a'b",
	"é", "", ",", ",@", "a,b", "a`b", `a"b`, `a\b`, "a(b)", "[a]", "a\tb", "a\nb", "\u00a0x",
	"a\u00a0", "\u3000", "\x7f", "\u200b", "\x01", ":kw", "a|b", "a{b}", "<__main__.A", "0x7f>",
	"日本", "-1.5", "+a", "--1", "+-1", "1-", "\\", "##",
}

// TestPrintSymbolAgainstEmacs: PrintSymbol prints each name as Emacs's
// prin1 prints the symbol of that name, and ReadSymbol reads it back.
func TestPrintSymbolAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	var names strings.Builder
	for _, n := range symbolNames {
		names.WriteString(printElispString(n) + " ")
	}
	// Each printed symbol on a line of its own, newlines in names shown
	// as \n by the string around it.
	script := `(let ((print-escape-newlines t))
  (dolist (n (list ` + names.String() + `))
    (princ (prin1-to-string (format "%S" (intern n))))
    (terpri)))`
	out, err := exec.Command(emacs, "-Q", "--batch", "--eval", script).Output()
	if err != nil {
		t.Fatalf("emacs: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(symbolNames) {
		t.Fatalf("emacs printed %d names for %d:\n%s", len(lines), len(symbolNames), out)
	}
	t.Logf("%d names held to Emacs", len(symbolNames))
	for i, n := range symbolNames {
		want, ok := readLispString(lines[i])
		if !ok {
			t.Fatalf("emacs printed %q", lines[i])
		}
		if got := PrintSymbol(n); got != want {
			t.Errorf("symbol %q: PrintSymbol %q, Emacs %q", n, got, want)
		}
		if back, _ := ReadSymbol(want); back != n {
			t.Errorf("ReadSymbol(%q) = %q, want %q", want, back, n)
		}
	}
}

// printElispString is a Lisp string literal of s.
func printElispString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// TestReadEscapedSymbols: an Emacs Lisp value's symbols are read by name
// (backslashes off, ## the empty one, held as ##), an escaped one a
// symbol even where its name reads as a number (\1), and printed back as
// Emacs printed them.
func TestReadEscapedSymbols(t *testing.T) {
	raw := `(a\.b \1 1 ## \, "s" x\?)`
	items, ok := LispFlatList(raw)
	if want := []string{"a.b", "1", "1", "##", ",", "s", "x?"}; !ok || strings.Join(items, "|") != strings.Join(want, "|") {
		t.Fatalf("items %q (%v), want %q", items, ok, want)
	}
	syms := ReadLisp.ReadMarked(raw, nil).Symbols
	if got := fmt.Sprint(syms); got != "[[0 0] [0 1] [0 3] [0 4] [0 6]]" {
		t.Fatalf("symbols at %s, want [[0 0] [0 1] [0 3] [0 4] [0 6]]", got)
	}
	var back []string
	for _, c := range syms {
		back = append(back, PrintSymbolText(items[c[1]]))
	}
	if got := strings.Join(back, " "); got != `a\.b \1 ## \, x\?` {
		t.Fatalf("printed back %s", got)
	}
}
