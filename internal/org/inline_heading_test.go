package org

import "testing"

// TestInlineInHeadingWithoutContents: org-babel-where-is-src-block-result
// bounds an inline block's results by its parent's :contents-end; a
// heading with nothing under it (blank lines, then a heading of its
// level or higher, or the end) has none, and Emacs stops at the block
// with "Wrong type argument: number-or-marker-p, nil", writing nothing.
// A heading with a section, or with a subheading, takes the result
// (checked against Emacs 28.2 / Org 9.5.5).
func TestInlineInHeadingWithoutContents(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"next heading", "* A src_sh{echo 1} x\n* B\n", "* A src_sh{echo 1} x\n* B\n"},
		{"blank lines then the end", "* A src_sh{echo 1}\n\n\n", "* A src_sh{echo 1}\n\n\n"},
		{"a higher heading", "** A src_sh{echo 1}\n\n* B\n", "** A src_sh{echo 1}\n\n* B\n"},
		{"a section", "* A src_sh{echo 1} x\ntext\n", "* A src_sh{echo 1} {{{results(=1=)}}} x\ntext\n"},
		{"a subheading", "* A src_sh{echo 1}\n** B\n", "* A src_sh{echo 1} {{{results(=1=)}}}\n** B\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Parse(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Inline) != 1 {
				t.Fatalf("%d inline blocks, want 1", len(doc.Inline))
			}
			got := doc.WriteResults(map[int]Result{doc.Inline[0].Index: {Output: "1\n"}})
			if got != c.want {
				t.Errorf("got\n%q\nwant\n%q", got, c.want)
			}
		})
	}
}
