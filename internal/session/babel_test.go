package session

import "testing"

// The transcripts below are what Emacs 28.2 / Org 9.5.5 collected
// (org-babel-comint-with-output's string-buffer) for session blocks run by
// org-babel-execute-buffer with sh as the session's shell, and the result
// Babel made of each (checked by running the blocks in Emacs).
func TestShellResult(t *testing.T) {
	cases := []struct {
		name, body, transcript, want string
	}{
		// The first block of a session sees the shell's first prompt,
		// which arrives after Emacs has sent the first line; a line
		// without output puts two prompts on one line, and only the
		// first is taken for one; a line ending in no newline (printf)
		// is lost with the prompt after it.
		{"first block", "x=5\necho \"x is $x\"\necho a > /dev/null; echo 'p > q'\nprintf 'no newline'",
			"# # x is 5\n# p > q\n# no newline# org_babel_sh_eoe\n# ", "\n# x is 5\np > q"},
		{"value lines", "echo $x\nfalse",
			"5\n# # org_babel_sh_eoe\n# ", "5"},
		// Continuation prompts ("> ") split the output too.
		{"continuation prompts", "for i in 1 2; do\n  echo \"i=$i\"\ndone\ncd /tmp\necho \"  indented\"",
			"> > i=1\ni=2\n# #   indented\n# org_babel_sh_eoe\n# ", "\n> i=1\ni=2\n#   indented"},
		{"one line", "echo hi", "hi\n# org_babel_sh_eoe\n# ", "hi"},
		{"variables", "y='7'\necho \"y=$y $x\"", "# y=7 5\n# org_babel_sh_eoe\n# ", "\ny=7 5"},
		// remove-echo: the body found in the output is cut with all
		// that comes before it.
		{"echoed body", "echo hi", "echo hi\nhi\n# org_babel_sh_eoe\n# ", "hi"},
		{"output like the body", "echo 'echo hi'", "echo hi\n# org_babel_sh_eoe\n# ", "echo hi"},
	}
	for _, c := range cases {
		if got := ShellResult(c.body, c.transcript); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

func TestPythonOutput(t *testing.T) {
	cases := []struct{ transcript, want string }{
		{"x is 5\n0\n1\norg_babel_python_eoe\n", "x is 5\n0\n1"},
		{"no nlorg_babel_python_eoe\n", "no nl"},
		// A traceback comes after the end marker (the finally prints
		// it before the exception reaches the prompt): not in the result.
		{"org_babel_python_eoe\nTraceback (most recent call last):\n", ""},
		{"a \t\n\norg_babel_python_eoe\n", "a"},
	}
	for _, c := range cases {
		if got := PythonOutput(c.transcript); got != c.want {
			t.Errorf("%q: got %q, want %q", c.transcript, got, c.want)
		}
	}
}

// TestPythonOutputRawByte: output holding a byte of no UTF-8 character
// ends where the end indicator begins.
func TestPythonOutputRawByte(t *testing.T) {
	if got := PythonOutput("a\xff\xfeb\n" + pythonEOEOut + "\n"); got != "a\xff\xfeb" {
		t.Errorf("got %q", got)
	}
}
