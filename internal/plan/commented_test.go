package plan

import (
	"errors"
	"strings"
	"testing"
)

// org-babel-execute-buffer runs blocks and calls under COMMENT headings
// (Org 9.5); only references and noweb calls skip them, and Babel then
// signals "Reference not found". TestAgainstEmacs/commented_headings
// checks the results against Emacs.
func TestCommentedBlocksRun(t *testing.T) {
	doc := mustParse(t, "* COMMENT off\n#+name: off\n"+block("sh", "echo off")+"#+call: off()\n\n** TODO [#A] child\n"+block("python", "return 1")+
		"* on\n#+call: off()\n")
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Skipped) != 0 {
		t.Errorf("skipped %+v, want none", p.Skipped)
	}
	if len(p.Tasks) != 5 {
		t.Errorf("%d tasks, want 5 (two blocks, two calls, the Python block's value read by Emacs)", len(p.Tasks))
	}
}

func TestCommentedBlocksAreNotReferenced(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{":var", "* COMMENT off\n#+name: off\n" + block("sh", "echo 1") + "* on\n" + block("sh :var x=off", "echo $x"),
			`line 8: block "block-2": :var: block "off" is under a COMMENT heading`},
		{"noweb call", "* COMMENT off\n#+name: off\n" + block("sh", "echo 1") + "* on\n" + block("sh :noweb yes", "echo <<off()>>"),
			`line 8: block "block-2": :noweb: block "off" is under a COMMENT heading`},
		{"a call under COMMENT of no block", "* COMMENT off\n#+call: nowhere()\n", `no block named "nowhere"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Build(mustParse(t, c.doc), machine, DefaultOptions)
			var rej *RejectError
			if !errors.As(err, &rej) {
				t.Fatalf("want a rejection containing %q, got %v", c.want, err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("rejection %q does not contain %q", err, c.want)
			}
		})
	}
}

// :after is Borges's own ordering, not a Babel reference: a block under a
// COMMENT heading may be waited for.
func TestAfterCommentedBlock(t *testing.T) {
	doc := mustParse(t, "* COMMENT off\n#+name: off\n"+block("sh", "echo 1")+"* on\n"+block("sh :after off", "echo 2"))
	if _, err := Build(doc, machine, DefaultOptions); err != nil {
		t.Fatal(err)
	}
}
