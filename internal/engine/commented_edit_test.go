package engine

import (
	"strings"
	"testing"
	"time"
)

// TestCommentRetargetAfterEdit: a reference follows the name's first
// element outside COMMENT subtrees as the Org buffer stands when the
// referring block runs, after an Emacs Lisp block edited it
// (org-babel-ref-resolve searches the buffer then): the editor made the
// heading of the first block of the name a COMMENT one, and the
// reference, which named that block in the document submitted, reads
// the next block of the name; the editor that takes the COMMENT away has
// the reference read the first block again.
func TestCommentRetargetAfterEdit(t *testing.T) {
	const editor = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(ignore)\n#+end_src\n\n"
	const byVar, byNoweb = "#+begin_src sh :var x=f\necho \"$x\"\n", "#+begin_src sh :noweb yes\necho \"<<f()>>\"\n"
	tail := func(old, reader string) string {
		return old + "\n#+name: f\n#+begin_src sh\necho old f\n#+end_src\n\n" +
			"* Live\n#+name: f\n#+begin_src sh\necho live f\n#+end_src\n\n" +
			"#+name: reader\n" + reader + "#+end_src\n"
	}
	for _, c := range []struct {
		name, submitted, edited, want string
	}{
		{"commented by the editor", tail("* Old", byVar), tail("* COMMENT Old", byVar), "live f"},
		{"an ancestor commented by the editor", tail("* Parent\n** Old", byVar), tail("* COMMENT Parent\n** Old", byVar), "live f"},
		{"uncommented by the editor", tail("* COMMENT Old", byVar), tail("* Old", byVar), "old f"},
		// A noweb reference with arguments (sameNowebCallees): the
		// heading above the first block's commented, or uncommented.
		{"noweb, an ancestor commented by the editor", tail("* Parent\n** Old", byNoweb), tail("* COMMENT Parent\n** Old", byNoweb), "live f"},
		{"noweb, an ancestor uncommented by the editor", tail("* COMMENT Parent\n** Old", byNoweb), tail("* Parent\n** Old", byNoweb), "old f"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, editor+c.submitted)
			ed := launchOf(t, rb.fakeBackend, "editor", 1)
			rb.rmu.Lock()
			rb.reports[ed.ID] = reportText(t, editor+c.edited, "")
			rb.rmu.Unlock()
			finish(rb.fakeBackend, ed, Finished, 0)
			outputs := map[string]string{}
			var reader string
			// Every launch answered, a few at most: the two blocks of f
			// (both run: org-babel-execute-buffer runs commented blocks),
			// the run of f the reader's reference makes (Babel runs the
			// block again at the reference: its value is the reader's)
			// and the reader. Bounded: polls for at most a minute.
			const maxPolls = 12000
			polls := 0
			for seen := 1; seen < 5; polls++ {
				if polls >= maxPolls {
					t.Fatalf("after %d polls, %d launches (want 5) and the document not ended", polls, seen)
				}
				l := rb.launches()
				if len(l) <= seen {
					time.Sleep(5 * time.Millisecond)
					if d, _ := e.Document(id); d != nil && d.State != Running && d.State != "" {
						break
					}
					continue
				}
				for _, a := range l[seen:] {
					if a.Block == "reader" {
						reader = a.Script
					}
					// Each block prints what it echoes.
					out := a.Block + "\n"
					for _, v := range []string{"old f", "live f"} {
						if strings.Contains(a.Script, "echo "+v) {
							out = v + "\n"
						}
					}
					outputs[a.Block] = out
					rb.setOutput(a.ID, out)
					finish(rb.fakeBackend, a, Finished, 0)
				}
				seen = len(l)
			}
			waitDocumentEnded(t, e, id)
			if !strings.Contains(reader, c.want) {
				t.Errorf("reader ran with %q, want the value %q (outputs %q)", reader, c.want, outputs)
			}
		})
	}
}
