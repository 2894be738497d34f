package org

import (
	"fmt"
	"strings"
	"testing"
)

// fullLineDiff is a line diff of two texts showing every hunk, not only
// the first: an edge fixture holds several cases and each mismatch should
// be visible in one run. Lines are quoted so trailing blanks, tabs and a
// missing final newline show.
func fullLineDiff(want, got string) string {
	w, g := strings.SplitAfter(want, "\n"), strings.SplitAfter(got, "\n")
	// Longest common subsequence table; fixtures are small.
	n, m := len(w), len(g)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if w[i] == g[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var b strings.Builder
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && w[i] == g[j]:
			i++
			j++
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			fmt.Fprintf(&b, "  line %d  +got   %q\n", j+1, g[j])
			j++
		default:
			fmt.Fprintf(&b, "  line %d  -emacs %q\n", i+1, w[i])
			i++
		}
	}
	return b.String()
}

func TestResultsFullLineDiff(t *testing.T) {
	if d := fullLineDiff("a\nb\nc\n", "a\nb\nc\n"); d != "" {
		t.Errorf("equal texts: %q", d)
	}
	d := fullLineDiff("a\nb\nc\n", "a\nx\nc")
	for _, want := range []string{`-emacs "b\n"`, `+got   "x\n"`, `-emacs "c\n"`, `+got   "c"`} {
		if !strings.Contains(d, want) {
			t.Errorf("diff lacks %s:\n%s", want, d)
		}
	}
}
