package plan

import "testing"

// TestInfinityVar: a block's result that reads as an infinity (sh
// printing 1e999) is a float to org-babel-read, and each language's
// variable conversion writes it as Emacs prints it, bare: 1.0e+INF.
func TestInfinityVar(t *testing.T) {
	doc, _, byName := planned(t, "#+name: inf\n#+begin_src sh\necho 1e999\n#+end_src\n")
	task := byName["inf"]
	if task == nil {
		t.Fatal("no task inf")
	}
	cases := []struct{ output, lang, want string }{
		{"1e999\n", "python", "x=1.0e+INF"},
		{"-1e999\n", "python", "x=-1.0e+INF"},
		{"1e999\n", "ruby", "x=1.0e+INF"},
		{"1e999\n", "sh", "x='1.0e+INF'"},
		{"1e999\t2\n", "python", "x=[[1.0e+INF, 2]]"},
	}
	for _, c := range cases {
		v := ResultValueIn(doc, task, c.output, nil)
		if got := assignment(c.lang, "x", v, false, shellForm{}); got != c.want {
			t.Errorf("%q to %s: %s, want %s", c.output, c.lang, got, c.want)
		}
	}
}
