package org

import "testing"

// TestOrphanedAffiliatedResults: affiliated keywords that no element
// follows (a blank line, a heading, the end of the text or of the
// container comes next) are parsed by Org as one keyword of one line
// (org-element--collect-affiliated-keywords moves back to the first),
// so org-babel-where-is-src-block-result looks for an anonymous
// "#+RESULTS:" on that first line only, and new results go before them
// all. With an element after them, every line is searched (checked
// against Emacs 28.2 / Org 9.5.5).
func TestOrphanedAffiliatedResults(t *testing.T) {
	const src = "#+begin_src sh\necho a\n#+end_src\n\n"
	const res = "#+RESULTS:\n: a\n\n"
	cases := []struct{ name, doc, want string }{
		{"bad hash then results", src + "#+RESULTS[xyz]:\n#+RESULTS:\n\npara\n",
			src + res + "#+RESULTS[xyz]:\n#+RESULTS:\n\npara\n"},
		{"caption then results", src + "#+caption: cap\n#+RESULTS:\n\npara\n",
			src + res + "#+caption: cap\n#+RESULTS:\n\npara\n"},
		{"before a heading", src + "#+caption: cap\n#+RESULTS:\n* H\n",
			src + res + "#+caption: cap\n#+RESULTS:\n* H\n"},
		{"at the end", src + "#+caption: cap\n#+RESULTS:",
			src + res + "#+caption: cap\n#+RESULTS:"},
		{"at a drawer's end", ":DR:\n" + src + "#+caption: cap\n#+RESULTS:\n:END:\n",
			":DR:\n" + src + res + "#+caption: cap\n#+RESULTS:\n:END:\n"},
		{"blanks after", src + "#+caption: cap\n#+RESULTS:\n  \t\npara\n",
			src + res + "#+caption: cap\n#+RESULTS:\n  \t\npara\n"},
		{"results then caption", src + "#+RESULTS:\n#+caption: cap\n\npara\n",
			src + "#+RESULTS:\n: a\n#+caption: cap\n\npara\n"},
		{"an element after", src + "#+caption: cap\n#+RESULTS:\n: old\n",
			src + "#+caption: cap\n#+RESULTS:\n: a\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Parse(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			bs := doc.Executables()
			if len(bs) != 1 {
				t.Fatalf("%d executables, want 1", len(bs))
			}
			got := doc.WriteResults(map[int]Result{bs[0].Index: {Output: "a\n"}})
			if got != c.want {
				t.Errorf("got\n%s\nwant\n%s\n%s", got, c.want, fullLineDiff(c.want, got))
			}
		})
	}
}
