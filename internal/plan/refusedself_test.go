package plan

import (
	"strings"
	"testing"
)

// TestEvalNoSelfRefStops: a block :eval no refuses whose :var names the
// block itself, or a block that comes back to it
// (testdata/stop_evalno_self_ref.org): org-babel-get-src-block-info
// resolves its :var values before org-babel-check-evaluate refuses it,
// so Emacs runs it again at that reference, and again, and stops at it
// with DepthExceeded. The plan stops there (Plan.Stop), the block after
// it not run, the block before it run. Before, nothing stopped: the
// reference to a refused block was left unread and the document went on.
func TestEvalNoSelfRefStops(t *testing.T) {
	for what, refs := range map[string]string{
		"itself":         ":var x=ref",
		"after a block":  ":var w=a :var x=ref",
		"through others": ":var x=r2",
	} {
		_, p, task := planned(t, "* T\n\n#+begin_src sh\necho first\n#+end_src\n\n"+
			"#+name: a\n#+begin_src sh :eval no\necho a\n#+end_src\n\n"+
			"#+name: ref\n#+begin_src sh "+refs+" :eval no\necho ref\n#+end_src\n\n"+
			"#+name: r2\n#+begin_src sh :var y=ref :eval no\necho r2\n#+end_src\n\n"+
			"#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
		if p.Stop != DepthExceeded || p.StopLine != 12 {
			t.Errorf("%s: stop %q at line %d; want %q at ref (line 12)", what, p.Stop, p.StopLine, DepthExceeded)
		}
		if task["block-1"].Replaced != "" || task["after"].Replaced == "" {
			t.Errorf("%s: first %q, after %q; want first run, after not", what, task["block-1"].Replaced, task["after"].Replaced)
		}
	}
}

// TestBufferEditsRefusedSelfRefStops: an Emacs Lisp block rewrites the
// :var x=a of ref, a block :eval no refuses, into :var x=ref
// (testdata/stop_elisp_ref_self_eval_no.org), or into :var x=b where b
// refers to ref (stop_elisp_ref_cycle_eval_no.org). The submitted plan's
// run of a for ref's reference (made at ref's turn) fails, stopping the
// document with DepthExceeded, as Emacs, resolving ref's :var values
// before it refuses it, stops there; the blocks after it are decided as
// before. Before, the run was kept (a ran) and nothing stopped: a block
// :eval refuses has no task of its own to decide from the buffer.
func TestBufferEditsRefusedSelfRefStops(t *testing.T) {
	blocks := []string{
		"#+name: ref\n#+begin_src sh :var x=a :eval no\necho ref\n#+end_src\n",
		"#+name: b\n#+begin_src sh :var z=a\necho b\n#+end_src\n",
		"#+name: a\n#+begin_src sh\necho a\n#+end_src\n",
	}
	for what, edit := range map[string]func(string) string{
		"itself": func(b string) string { return strings.Replace(b, ":var x=a", ":var x=ref", 1) },
		"cycle": func(b string) string {
			return strings.Replace(strings.Replace(b, ":var x=a", ":var x=b", 1), ":var z=a", ":var z=ref", 1)
		},
	} {
		e, task := editedBlocks(t, blocks, func(_ int, b string) string { return edit(b) })
		run := task["ref :var x=a"]
		if run == nil {
			t.Fatalf("%s: no run of a for ref's reference in the plan: %v", what, task)
		}
		if d := e.Decide(run); d.Kind != Fails || d.Stop != DepthExceeded || !strings.Contains(d.Why, "block ref") {
			t.Errorf("%s: ref's run of a: %v %q (stop %q); want it to fail naming ref, stopping with %q", what, d.Kind, d.Why, d.Stop, DepthExceeded)
		}
		if d := e.Decide(task["a"]); d.Kind != Kept {
			t.Errorf("%s: a: %v %q", what, d.Kind, d.Why)
		}
	}
}
