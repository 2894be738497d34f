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
