package plan

import (
	"strings"
	"testing"
)

// TestBufferEditsDefaultEvalRefused: a block whose text is as submitted
// but which the buffer's defaults (org-babel-default-header-args:sh with
// (:eval . "no"), set by an Emacs Lisp block before it) make Babel skip
// is not kept: Emacs does not run it, Borges does not run it as
// submitted either, and says why (fixture hunt24_elisp_default_eval_no:
// Borges ran and wrote it).
func TestBufferEditsDefaultEvalRefused(t *testing.T) {
	blocks := []string{
		"#+name: a\n#+begin_src sh\necho a\n#+end_src\n",
	}
	text := "* T\n\n" + strings.Join(blocks, "\n")
	doc, p, task := planned(t, text)
	report := append(append([]string(nil), orgDefaultsReport[:len(orgDefaultsReport)-1]...), "lang:sh 1", `:eval s "no"`)
	e := reportEdits(t, doc, p, defaultsReport(blocks, report)+text)
	d := e.Decide(task["a"])
	if d.Kind != Fails || !strings.Contains(d.Why, ":eval no") || !strings.Contains(d.Why, "line 3") {
		t.Errorf("a: %+v, want it failing, saying :eval no at line 3", d)
	}
}
