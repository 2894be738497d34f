package org

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// runOutputs runs the blocks as ob-shell does (see edgeOutputs).
func runOutputs(t *testing.T, doc *Document) map[int]Result { return edgeOutputs(t, doc) }

func writeBack(t *testing.T, file string) string {
	t.Helper()
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse(string(text))
	if err != nil {
		t.Fatal(err)
	}
	return doc.WriteResults(runOutputs(t, doc))
}

// TestWriteBackAgainstEmacs executes each fixture in Emacs
// (org-babel-execute-buffer) and compares the buffer with the reader's
// write-back of the same outputs, byte for byte.
func TestWriteBackAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	script, _ := filepath.Abs("testdata/emacs/execute.el")
	files, _ := filepath.Glob("testdata/results/*.org")
	for _, file := range files {
		if strings.HasSuffix(file, ".emacs.org") {
			continue
		}
		file := file
		t.Run(filepath.Base(file), func(t *testing.T) {
			abs, _ := filepath.Abs(file)
			cmd := exec.Command(emacs, "-Q", "--batch", "-l", script, abs)
			cmd.Dir = t.TempDir()
			want, err := cmd.Output()
			if err != nil {
				t.Fatalf("emacs: %v", err)
			}
			if *update {
				if err := os.WriteFile(strings.TrimSuffix(file, ".org")+".emacs.org", want, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if got := writeBack(t, file); got != string(want) {
				t.Errorf("write-back differs from Emacs:\n%s", lineDiff(string(want), got))
			}
		})
	}
}

// TestWriteBackGolden compares the write-back with Emacs's recorded
// result of each fixture (testdata/results/*.emacs.org, from -update).
func TestWriteBackGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/results/*.emacs.org")
	if len(files) == 0 {
		t.Fatal("no golden files (go test ./internal/org -run WriteBack -update)")
	}
	for _, golden := range files {
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		file := strings.TrimSuffix(golden, ".emacs.org") + ".org"
		if got := writeBack(t, file); got != string(want) {
			t.Errorf("%s: write-back differs from Emacs:\n%s", file, lineDiff(string(want), got))
		}
	}
}

// TestWriteBackTwice checks that writing results again replaces them.
func TestWriteBackTwice(t *testing.T) {
	files, _ := filepath.Glob("testdata/results/*.emacs.org")
	for _, golden := range files {
		text, _ := os.ReadFile(golden)
		doc, err := Parse(string(text))
		if err != nil {
			t.Fatal(err)
		}
		got := doc.WriteResults(runOutputs(t, doc))
		if got != string(text) && !strings.Contains(golden, "placement") && !strings.Contains(golden, "formats") {
			t.Errorf("%s: a second write-back changed the document:\n%s", golden, lineDiff(string(text), got))
		}
	}
}

// lineDiff shows the first differing lines of two texts.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b || i >= len(w) || i >= len(g) {
			lo := max(0, i-3)
			var sb strings.Builder
			for k := lo; k < i+4; k++ {
				if k < len(w) {
					sb.WriteString("  emacs  " + quoteLine(w[k]) + "\n")
				}
			}
			for k := lo; k < i+4; k++ {
				if k < len(g) {
					sb.WriteString("  reader " + quoteLine(g[k]) + "\n")
				}
			}
			return "first difference at line " + itoa(i+1) + ":\n" + sb.String()
		}
	}
	return "(same lines, different bytes)"
}

func quoteLine(s string) string { return strings.ReplaceAll(s, "\t", "→") }

func itoa(n int) string {
	return strings.TrimSpace(strings.Repeat(" ", 0) + func() string { return fmtInt(n) }())
}

func fmtInt(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}
