package plan

import (
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestInfinityVar: a block's result that reads as an infinity (sh
// printing 1e999) is a float to org-babel-read, and each language's
// variable conversion writes it as Emacs prints it, bare: 1.0e+INF.
func TestInfinityVar(t *testing.T) {
	doc, err := org.Parse("#+name: inf\n#+begin_src sh\necho 1e999\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(doc, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 1 {
		t.Fatalf("%d tasks", len(p.Tasks))
	}
	cases := []struct{ output, lang, want string }{
		{"1e999\n", "python", "x=1.0e+INF"},
		{"-1e999\n", "python", "x=-1.0e+INF"},
		{"1e999\n", "ruby", "x=1.0e+INF"},
		{"1e999\n", "sh", "x='1.0e+INF'"},
		{"1e999\t2\n", "python", "x=[[1.0e+INF, 2]]"},
	}
	for _, c := range cases {
		v := ResultValueIn(doc, p.Tasks[0], c.output, nil)
		if got := assignment(c.lang, "x", v, false, shellForm{}); got != c.want {
			t.Errorf("%q to %s: %s, want %s", c.output, c.lang, got, c.want)
		}
	}
}
