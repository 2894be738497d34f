package plan

import (
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestEvalRefused holds org.EvalRefused to which blocks Emacs 28.2 (Org
// 9.5.5) ran under org-babel-execute-buffer (hunt4_more_eval.org): a
// quoted empty :eval is a value and the block runs; an :eval with no
// value leaves :noeval to refuse it.
func TestEvalRefused(t *testing.T) {
	cases := map[string]bool{
		`sh :eval "" :noeval`:     false,
		`sh :noeval :eval ""`:     false,
		`sh :eval "" :noeval yes`: false,
		`sh :eval :noeval`:        true,
		`sh :eval "no"`:           true,
		`sh :eval never`:          true,
		`sh :noeval no`:           true,
		`sh :eval yes :noeval`:    false,
	}
	for header, want := range cases {
		doc := mustParse(t, block(header, "echo ran"))
		if len(doc.Blocks) != 1 {
			t.Fatalf("%q: %d blocks", header, len(doc.Blocks))
		}
		if _, got := org.EvalRefused(doc.Blocks[0].Args); got != want {
			t.Errorf("%q: refused %v, want %v", header, got, want)
		}
	}
}
