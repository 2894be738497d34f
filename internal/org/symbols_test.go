package org

import "testing"

func TestPrintSymbolLikeEmacs(t *testing.T) {
	// prin1 of symbols, as Emacs 28.2 prints them.
	for in, want := range map[string]string{
		"a.b?c,d#e;f`g[h]i\\j\"k(l)m ": `a\.b\?c\,d\#e\;f\` + "`" + `g\[h\]i\\j\"k\(l\)m\ `,
		"?x":                           `\?x`, "1": `\1`, "-1.5": `\-1\.5`, "1e3": `\1e3`, "x?": `x\?`,
	} {
		if got := printSymbol(in); got != want {
			t.Errorf("printSymbol(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"ab3.5x;c": "ab3.5x", "ab,c": "ab", "a#b": "a", "a`b": "a", "a[b": "a", "abc'": "abc"} {
		if got := readSymbol(in); got != want {
			t.Errorf("readSymbol(%q) = %q, want %q", in, got, want)
		}
	}
}
