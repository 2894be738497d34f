package org

import "testing"

// TestCallOfBlockWithProblem: a #+call: (or an inline call) of a block
// Babel cannot read the header arguments of fails as the block does:
// org-babel-lob-get-info reads the block's, and Emacs stops there. It
// does not run the block's body without them.
func TestCallOfBlockWithProblem(t *testing.T) {
	const text = "#+call: f()\n\nText call_f() here.\n\n#+name: f\n#+begin_src sh :var 5\necho f\n#+end_src\n"
	d, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Blocks) != 1 || len(d.Calls) != 1 || len(d.Inline) != 1 {
		t.Fatalf("%d blocks, %d calls, %d inline", len(d.Blocks), len(d.Calls), len(d.Inline))
	}
	if d.Blocks[0].Problem == "" {
		t.Fatal("the block's :var 5 is no problem")
	}
	// The call says it is the block it calls that Emacs stops at.
	want := `called block "f" (line 6): ` + d.Blocks[0].Problem
	if c := d.Calls[0]; c.Problem != want || c.Block != nil && c.Block.Problem != want {
		t.Errorf("#+call: problem %q, want the block's %q", c.Problem, want)
	}
	if in := d.Inline[0]; in.Problem != want {
		t.Errorf("inline call: problem %q, want the block's %q", in.Problem, want)
	}
}

// TestCallOfBlockLispResultsLight: a called block's own :results and
// :exports Lisp constants stay as written for the call
// (org-babel-lob--src-info reads them light): the words '"raw" and
// '"code", which Babel does not know, where the block itself runs with
// raw and code.
func TestCallOfBlockLispResultsLight(t *testing.T) {
	const text = "#+name: f\n#+begin_src sh :results '\"raw\" :exports '\"code\"\necho f\n#+end_src\n\n#+call: f()\n\nText call_f() here.\n"
	d, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Blocks) != 1 || len(d.Calls) != 1 || len(d.Inline) != 1 || d.Calls[0].Block == nil {
		t.Fatalf("%d blocks, %d calls, %d inline", len(d.Blocks), len(d.Calls), len(d.Inline))
	}
	for _, c := range []struct {
		what string
		b    *Block
		want [2]string
	}{
		{"block", d.Blocks[0], [2]string{"raw replace", "code"}},
		{"#+call:", d.Calls[0].Block, [2]string{`replace '"raw"`, `results '"code"`}},
		{"inline call", d.Inline[0], [2]string{`replace '"raw"`, `results '"code"`}},
	} {
		r, _ := c.b.Args.Get("results")
		e, _ := c.b.Args.Get("exports")
		if r != c.want[0] || e != c.want[1] {
			t.Errorf("%s: :results %q :exports %q, want %q %q", c.what, r, e, c.want[0], c.want[1])
		}
	}
}
