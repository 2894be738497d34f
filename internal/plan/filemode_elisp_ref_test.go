package plan

import (
	"strings"
	"testing"
)

// TestFileModeElispRefRuns: an Emacs Lisp block whose :file-mode
// set-file-modes refuses, referred to by a block before it, is run by
// the reference's value task (not marked unneeded though its reader
// stops), which writes the block's :file as its own run would: a string
// itself, any other value printed.
func TestFileModeElispRefRuns(t *testing.T) {
	cases := []struct{ value, raw, file string }{
		{`"hello"`, `s"hello"`, "hello"},
		{"nil", "n", "nil"},
		{`'(1 "two" three)`, `(d1 s"two" y"three")`, `(1 "two" three)`},
		{"(* 6 7)", "d42", "42"},
	}
	for _, c := range cases {
		t.Run(c.value, func(t *testing.T) {
			doc := mustParse(t, "#+begin_src sh :var a=w\necho $a\n#+end_src\n\n#+name: w\n#+begin_src emacs-lisp :results file :file w.txt :file-mode \"bad\"\n"+c.value+"\n#+end_src\n")
			p, err := Build(doc, machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			var ref *Task
			for _, x := range p.Tasks {
				if strings.HasSuffix(x.Block, ":var a=w") {
					ref = x
				}
			}
			if ref == nil || ref.Replaced != "" || !ref.FileWritten {
				t.Fatalf("the reference's run of w: %+v", ref)
			}
			if got := FileText(ref, c.raw); got != c.file {
				t.Fatalf("file %q, want %q", got, c.file)
			}
		})
	}
}
