package plan

import (
	"errors"
	"strings"
	"testing"
)

// TestUnfoundCallReferred: a #+call: of a name no block has is refused
// (a typo, most likely), unless a block refers to the call line by its
// name: Emacs then runs nothing for the call and stops at the referring
// block (stop_ref_call_unfound.org), and so does the plan. A reference
// to another name, or a second call line of the referred name, leaves
// the call refused.
func TestUnfoundCallReferred(t *testing.T) {
	call := "#+name: d\n#+call: nosuch()\n\n"
	cases := []struct {
		name, doc string
		refused   bool
	}{
		{"referred by :var", call + block("sh :var v=d()", "true"), false},
		{"referred by noweb, before", block("sh :noweb yes", "echo <<d()>>") + call, false},
		{"referred by :stdin", call + block("sh :stdin d", "cat"), false},
		{"not referred", call + block("sh", "true"), true},
		{"another name referred", call + "#+name: e\n" + block("sh", "true") + block("sh :var v=e", "true"), true},
		{"the second call of the name", call + "#+name: d\n#+call: other()\n\n" + block("sh :var v=d()", "true"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Build(mustParse(t, c.doc), machine, DefaultOptions)
			var rej *RejectError
			if c.refused {
				if !errors.As(err, &rej) || !strings.Contains(err.Error(), `no block named "`) {
					t.Fatalf("want the call refused, got %v", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			skipped := false
			for _, s := range p.Skipped {
				skipped = skipped || s.Block == "d" && strings.Contains(s.Reason, "Emacs runs nothing for this call")
			}
			if !skipped {
				t.Errorf("the call d is not skipped: %+v", p.Skipped)
			}
		})
	}
}
