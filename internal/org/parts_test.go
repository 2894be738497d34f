package org

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

const failedNote = "borges: failed — timed out after 2s"

// partsCases are documents whose first block gets Borges' drawer.
var partsCases = []struct {
	name  string
	doc   string
	parts []Part
	want  string
}{
	{
		name:  "output under the note, as ob-shell would write it",
		doc:   "#+begin_src sh :results output\necho a; echo b\n#+end_src\n",
		parts: []Part{{Note: failedNote, Output: "a\nb\n"}},
		want:  "#+begin_src sh :results output\necho a; echo b\n#+end_src\n\n#+RESULTS:\n:results:\n" + failedNote + "\n: a\n: b\n:end:\n",
	},
	{
		name:  "a value read as a table, as ob-shell reads it",
		doc:   "#+begin_src sh\necho a; echo b\n#+end_src\n",
		parts: []Part{{Note: failedNote, Output: "a\nb\n"}},
		want:  "#+begin_src sh\necho a; echo b\n#+end_src\n\n#+RESULTS:\n:results:\n" + failedNote + "\n| a |\n| b |\n:end:\n",
	},
	{
		name:  "no output: the note alone",
		doc:   "#+begin_src sh\nfalse\n#+end_src\n",
		parts: []Part{{Note: "borges: failed — exit status 1"}},
		want:  "#+begin_src sh\nfalse\n#+end_src\n\n#+RESULTS:\n:results:\nborges: failed — exit status 1\n:end:\n",
	},
	{
		name:  "a table stays a table",
		doc:   "#+begin_src sh :results table\necho 1 2; echo 3 4\n#+end_src\n",
		parts: []Part{{Note: "borges: killed on request", Output: "1 2\n3 44\n"}},
		want:  "#+begin_src sh :results table\necho 1 2; echo 3 4\n#+end_src\n\n#+RESULTS:\n:results:\nborges: killed on request\n| 1 |  2 |\n| 3 | 44 |\n:end:\n",
	},
	{
		name:  ":results drawer would nest: : lines",
		doc:   "#+begin_src sh :results drawer\necho x\n#+end_src\n",
		parts: []Part{{Note: failedNote, Output: "x\n"}},
		want:  "#+begin_src sh :results drawer\necho x\n#+end_src\n\n#+RESULTS:\n:results:\n" + failedNote + "\n: x\n:end:\n",
	},
	{
		name:  "raw output with an :end: line or a headline: : lines",
		doc:   "#+begin_src sh :results raw\nprintf 'a\\n:END:\\n* h\\n\\nb\\n'\n#+end_src\n",
		parts: []Part{{Note: failedNote, Output: "a\n:END:\n* h\n\nb\n"}},
		want:  "#+begin_src sh :results raw\nprintf 'a\\n:END:\\n* h\\n\\nb\\n'\n#+end_src\n\n#+RESULTS:\n:results:\n" + failedNote + "\n: a\n: :END:\n: * h\n:\n: b\n:end:\n",
	},
	{
		name:  "raw output that is safe stays raw",
		doc:   "#+begin_src sh :results raw\necho '- item'\n#+end_src\n",
		parts: []Part{{Note: failedNote, Output: "- item\n"}},
		want:  "#+begin_src sh :results raw\necho '- item'\n#+end_src\n\n#+RESULTS:\n:results:\n" + failedNote + "\n- item\n:end:\n",
	},
	{
		name:  "old results replaced",
		doc:   "#+begin_src sh\necho a\n#+end_src\n\n#+RESULTS:\n: old\n\ntext\n",
		parts: []Part{{Note: failedNote, Output: "a\n"}},
		want:  "#+begin_src sh\necho a\n#+end_src\n\n#+RESULTS:\n:results:\n" + failedNote + "\n: a\n:end:\n\ntext\n",
	},
	{
		name:  "an earlier drawer of Borges replaced whole",
		doc:   "#+begin_src sh\necho a\n#+end_src\n\n#+RESULTS:\n:results:\nborges: failed — exit status 2\n: x\n:end:\ntext\n",
		parts: []Part{{Note: failedNote, Output: "a\n"}},
		want:  "#+begin_src sh\necho a\n#+end_src\n\n#+RESULTS:\n:results:\n" + failedNote + "\n: a\n:end:\ntext\n",
	},
	{
		name:  "in a list item: indented",
		doc:   "- item\n  #+begin_src sh\n  echo a\n  #+end_src\n",
		parts: []Part{{Note: failedNote, Output: "a\n"}},
		want:  "- item\n  #+begin_src sh\n  echo a\n  #+end_src\n\n  #+RESULTS:\n  :results:\n  " + failedNote + "\n  : a\n  :end:\n",
	},
	{
		name: "instances: one part each, verbatim for the one not finished",
		doc:  "#+name: web\n#+begin_src sh :results table\necho $BORGES_INSTANCE 1\n#+end_src\n",
		parts: []Part{
			{Note: "borges: instance 0", Output: "0 1\n"},
			{Note: "borges: instance 1 — running since 2026-01-02T03:04:05Z (attempt 1)", Output: "1 1\n", Verbatim: true},
		},
		want: "#+name: web\n#+begin_src sh :results table\necho $BORGES_INSTANCE 1\n#+end_src\n\n#+RESULTS: web\n:results:\nborges: instance 0\n| 0 1 |\nborges: instance 1 — running since 2026-01-02T03:04:05Z (attempt 1)\n: 1 1\n:end:\n",
	},
	{
		name:  "a note's line breaks become spaces",
		doc:   "#+begin_src sh\nx\n#+end_src\n",
		parts: []Part{{Note: "borges: failed — could not start:\nno such image\n"}},
		want:  "#+begin_src sh\nx\n#+end_src\n\n#+RESULTS:\n:results:\nborges: failed — could not start: no such image\n:end:\n",
	},
	{
		name:  ":results silent: nothing written",
		doc:   "#+begin_src sh :results silent\necho a\n#+end_src\n",
		parts: []Part{{Note: failedNote, Output: "a\n"}},
		want:  "#+begin_src sh :results silent\necho a\n#+end_src\n",
	},
	{
		name:  "long output in an example block",
		doc:   "#+begin_src sh :results output\nseq 12\n#+end_src\n",
		parts: []Part{{Note: failedNote, Output: "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n"}},
		want:  "#+begin_src sh :results output\nseq 12\n#+end_src\n\n#+RESULTS:\n:results:\n" + failedNote + "\n#+begin_example\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n#+end_example\n:end:\n",
	},
}

func TestWriteResultsParts(t *testing.T) {
	for _, c := range partsCases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Parse(c.doc)
			if err != nil {
				t.Fatal(err)
			}
			got := doc.WriteResults(map[int]Result{0: {Parts: c.parts, Hash: "ignored"}})
			if got != c.want {
				t.Fatalf("got:\n%s\nwant:\n%s", got, c.want)
			}
			// Written again over itself, the drawer is found and
			// replaced whole.
			again, err := Parse(got)
			if err != nil {
				t.Fatal(err)
			}
			if twice := again.WriteResults(map[int]Result{0: {Parts: c.parts}}); twice != got {
				t.Fatalf("a second write-back changes the document:\n%s", fullLineDiff(got, twice))
			}
		})
	}
}

// TestPartsDrawerRerunInEmacs checks that Borges' drawer is one result to
// Emacs: org-babel-execute-buffer on a document holding Borges' drawers
// leaves exactly what it leaves on the same document without results.
func TestPartsDrawerRerunInEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	tmp := t.TempDir()
	var withDrawers, bare []string
	for i, c := range partsCases {
		if strings.Contains(c.doc, ":results silent") {
			continue
		}
		doc, err := Parse(c.doc)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(tmp, "case"+string(rune('a'+i))+".org")
		written := doc.WriteResults(map[int]Result{0: {Parts: c.parts}}) + "\nafter\n"
		if err := os.WriteFile(name, []byte(written), 0o644); err != nil {
			t.Fatal(err)
		}
		withDrawers = append(withDrawers, name)
		plainDir := filepath.Join(tmp, "bare")
		if err := os.MkdirAll(plainDir, 0o755); err != nil {
			t.Fatal(err)
		}
		plain := filepath.Join(plainDir, filepath.Base(name))
		if err := os.WriteFile(plain, []byte(c.doc+"\nafter\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		bare = append(bare, plain)
	}
	got := runEdgeEmacs(t, emacs, withDrawers)
	want := runEdgeEmacs(t, emacs, bare)
	for base, w := range want {
		if got[base] != w {
			t.Errorf("%s: Emacs's run over Borges' drawer differs from its run without results:\n%s", base, fullLineDiff(w, got[base]))
		}
		if strings.Contains(got[base], "borges:") {
			t.Errorf("%s: a leftover of Borges' drawer:\n%s", base, got[base])
		}
	}
}
