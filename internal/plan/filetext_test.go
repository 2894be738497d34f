package plan

import (
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestResultText: the results Babel reads from a file have their line
// ends decoded as Emacs detects them; printed ones keep their bytes.
func TestResultText(t *testing.T) {
	python := &Task{ValueFile: true, Reader: org.ReadPython}
	for _, c := range []struct {
		task    *Task
		in, out string
	}{
		{python, "a\r\nb", "a\nb"},
		{python, "a\rb\rc", "a\nb\nc"},
		{python, "a\r\nb\nc", "a\r\nb\nc"},
		{python, "a\rb\r\nc", "a\rb\nc"},
		{python, "a\r\nb\x00", "a\r\nb\x00"},
		{&Task{ValueFile: true, Reader: org.ReadRuby}, "r\r\ns", "r\ns"},
		{&Task{Reader: org.ReadPerl}, "x\r\ny\r\n", "x\ny\n"},
		{&Task{Reader: org.ReadPython}, "o\r\np", "o\r\np"},
		{&Task{Reader: org.ReadRuby}, "o\r\np", "o\r\np"},
		{&Task{Reader: org.ReadGeneric}, "o\r\np", "o\r\np"},
		{nil, "o\r\np", "o\r\np"},
	} {
		if got := ResultText(c.task, c.in); got != c.out {
			t.Errorf("ResultText(%+v, %q) = %q, want %q", c.task, c.in, got, c.out)
		}
	}
}

// TestFileText: a :results file block's file holds an Emacs Lisp value's
// string itself, as ob-emacs-lisp formats it (with %s) under :results
// file, not as Borges printed it; other languages' text as ResultText
// has it.
func TestFileText(t *testing.T) {
	lisp := &Task{ValueFile: true, Reader: org.ReadLisp}
	for _, c := range []struct {
		task    *Task
		in, out string
	}{
		{lisp, `"(1 2 three nil sym)"`, "(1 2 three nil sym)"},
		{lisp, `"a string
with lines"`, "a string\nwith lines"},
		{lisp, `"q\"r \\ s"`, `q"r \ s`},
		{lisp, `"nil"`, "nil"},
		{lisp, `(1 2)`, "(1 2)"},
		{&Task{ValueFile: true, Reader: org.ReadPython}, "[1, 2]\r\n", "[1, 2]\n"},
		{&Task{Reader: org.ReadGeneric}, `"x"`, `"x"`},
	} {
		if got := FileText(c.task, c.in); got != c.out {
			t.Errorf("FileText(%+v, %q) = %q, want %q", c.task, c.in, got, c.out)
		}
	}
}
