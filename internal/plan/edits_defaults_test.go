package plan

import (
	"fmt"
	"strings"
	"testing"
)

// orgDefaultsReport is Babel's default header arguments as Emacs 28.2
// (Org 9.5.5, ob-shell and ob-emacs-lisp loaded) reports them when no
// block changed them: the lines after a buffer report's marks.
var orgDefaultsReport = []string{
	"block 7", `:session s "none"`, `:results s "replace"`, `:exports s "code"`, `:cache s "no"`,
	`:noweb s "no"`, `:hlines s "no"`, `:tangle s "no"`,
	"inline 4", `:session s "none"`, `:results s "replace"`, `:exports s "results"`, `:hlines s "yes"`,
	"lob 1", `:exports s "results"`,
	"lang:emacs-lisp 1", `:lexical s "no"`,
	"lang:sh 0",
}

// TestBufferEditsOrgDefaultsKept: after an Emacs Lisp block edited the
// buffer, a block whose text is as submitted and whose defaults are
// still Org's own (reported as Emacs holds them, Lisp strings) is kept:
// Org's defaults read from the report are the ones Borges parses with.
func TestBufferEditsOrgDefaultsKept(t *testing.T) {
	blocks := []string{
		"#+name: a\n#+begin_src sh\necho a\n#+end_src\n",
		"#+name: b\n#+begin_src sh :var x=a\necho $x\n#+end_src\n",
	}
	text := "* T\n\n" + strings.Join(blocks, "\n")
	doc, p, task := planned(t, text)
	e := reportEdits(t, doc, p, defaultsReport(blocks, orgDefaultsReport)+text)
	for _, name := range []string{"a", "b"} {
		if d := e.Decide(task[name]); d.Kind != Kept {
			t.Errorf("%s: %+v, want kept", name, d)
		}
	}
}

// defaultsReport is the report of a buffer "* T\n\n" and blocks joined
// by blank lines, none changed, with Babel's defaults as report gives
// them.
func defaultsReport(blocks, report []string) string {
	var rep strings.Builder
	fmt.Fprintf(&rep, "%d 0 %d\n", len(blocks), len(report))
	at := len("* T\n\n")
	for _, bl := range blocks {
		point := at + len(strings.SplitN(bl, "\n", 2)[0]) + 1
		end := at + len(bl)
		fmt.Fprintf(&rep, "%d %d %d %d - =\n", point, end, end, end)
		at = end + 1
	}
	rep.WriteString(strings.Join(report, "\n") + "\n")
	return rep.String()
}
