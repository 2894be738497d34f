package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestFailedValueFilePostE2E: a Python or Ruby value block that exits
// non-zero, run by the local backend with the real language, has its
// :post run with *this* its value file's text, empty as the program
// wrote nothing there, and the :post's value written in its place, as
// Emacs writes it (TestAgainstEmacs/postcaller:_post_of_a_failed_python_value_block,
// /postcaller:_post_of_a_failed_ruby_value_block): the value file Python
// opened and left empty, and the one Ruby never made, read as the empty
// text.
func TestFailedValueFilePostE2E(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ lang, program, body string }{
		{"python", "python3", "import sys\nprint('partial')\nsys.exit(3)"},
		{"ruby", "ruby", "puts 'partial'\nexit 3"},
	} {
		t.Run(c.lang, func(t *testing.T) {
			t.Parallel()
			if _, err := exec.LookPath(c.program); err != nil {
				t.Skip("no " + c.program)
			}
			s := startServer(t, t.TempDir())
			v := s.submit("#+name: report\n#+begin_src " + c.lang + " :post wrap(x=*this*)\n" + c.body + "\n#+end_src\n\n#+RESULTS: report\n: old\n\n" +
				"#+name: wrap\n#+begin_src sh :var x=\"none\" :results output\necho \"<$x>\"\n#+end_src\n")
			until(t, "finished", func() bool { return s.doc(v.ID).State.Terminal() })
			if _, got := s.get("/org/" + v.ID); !strings.Contains(got, "#+RESULTS: report\n: <>\n") {
				t.Errorf("results document, without the :post's value in report's place:\n%s", got)
			}
		})
	}
}
