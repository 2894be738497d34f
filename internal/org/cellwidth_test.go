package org

import (
	"bufio"
	"bytes"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org/charwidth"
	"github.com/wallyqs/borges/internal/outside"
)

// TestOrgSpaceAgainstEmacs holds orgSpace to Emacs: the code points of
// whitespace syntax in an org-mode buffer of emacs -Q --batch, which
// [:space:] matches in org-emphasis-regexp-components, are those the
// class holds.
func TestOrgSpaceAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	const query = `(with-temp-buffer (org-mode)
  (let ((c 0))
    (while (<= c #x10FFFF)
      (when (eq (char-syntax c) ?\s) (princ (format "%X\n" c)))
      (setq c (1+ c)))))`
	out, err := exec.Command(emacs, "-Q", "--batch", "--eval", charwidth.Compiled(query)).Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []rune
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		c, err := strconv.ParseInt(strings.TrimSpace(sc.Text()), 16, 32)
		if err != nil {
			t.Fatalf("emacs printed %q", sc.Text())
		}
		want = append(want, rune(c))
	}
	if len(want) == 0 {
		t.Fatal("emacs printed no character of whitespace syntax")
	}
	space := regexp.MustCompile(`^[` + orgSpace + `]$`)
	var got []rune
	for c := rune(0); c <= 0x10FFFF; c++ {
		if (c < 0xD800 || c > 0xDFFF) && space.MatchString(string(c)) {
			got = append(got, c)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("orgSpace holds %U, Emacs's whitespace syntax %U", got, want)
	}
}

// TestRowWidths checks rows whose widths org-table-align gives in Emacs
// (testdata/table_widths2.org in package plan): links whose brackets span
// cells, links inside angle links, non-ASCII spaces around verbatim.
func TestRowWidths(t *testing.T) {
	for _, c := range []struct {
		row  []string
		want []int
	}{
		{[]string{"[[a", "b]]"}, []int{1, 1}},
		{[]string{"[[a][x", "y]]"}, []int{1, 1}},
		{[]string{"[[a", "b][c]]"}, []int{0, 1}},
		{[]string{"x [[a", "b", "c]] y", "1"}, []int{3, 1, 3, 1}},
		{[]string{"=[[a", "b]]=", "1"}, []int{2, 2, 1}},
		{[]string{"[[a", "=b]]=", "2"}, []int{1, 5, 1}},
		{[]string{"<https://a [[b", "c]] d>"}, []int{14, 6}},
		{[]string{"<https://a.b/[[x]]>"}, []int{19}},
		{[]string{"<nope:a [[b]]>"}, []int{10}},
		{[]string{"\u00a0=[[a][b]]="}, []int{11}},
		{[]string{"\u3000=[[a][bc]]="}, []int{13}},
		{[]string{"\u1680=[[a][b]]="}, []int{4}},
		{[]string{"=\u00a0[[a][b]]="}, []int{4}},
		{[]string{"abc", "日本"}, []int{3, 4}},
	} {
		if got := rowWidths(nil, c.row); !slices.Equal(got, c.want) {
			t.Errorf("rowWidths(%q) = %v, Emacs's %v", c.row, got, c.want)
		}
	}
}
