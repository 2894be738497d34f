package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// TestStoppedAtReference: a reference (:var, :stdin, noweb) whose name's
// first element Babel reads nothing from (a rule, a link with no path:
// org.Document.NamedUnread) or is a #+call: line that runs nothing
// (org.Document.NamedCallRunsNothing, found by ReferredRunLine) stops the
// document at the referring block, as Emacs does (plan's TestAgainstEmacs
// rows stop_names_nothing_first, stdin_name_unread_*,
// stop_noweb_call_runs_nothing): the block before it runs, the referring
// block and the one after it are never launched, the one after says why,
// the document's notes say where and why, and no results are written for
// either.
func TestStoppedAtReference(t *testing.T) {
	const fileModeStops = "#+name: s\n#+begin_src sh :results file :file s.txt :file-mode \"0420\"\necho s\n#+end_src\n\n"
	const fileModeStop = plan.FileModeStopPrefix + `"0420"`
	const callNothing = "#+name: d\n| 1 |\n\n#+name: d\n#+begin_src sh\necho d block\n#+end_src\n\n#+name: c\n#+call: d()\n\n"
	for _, c := range []struct {
		name, data, reader, why string
	}{
		{"var to a rule", "#+name: r\n-----\n\n", "#+name: reader\n#+begin_src sh :var x=r\necho \"$x\"\n#+end_src\n\n", org.RefUnread},
		{"stdin to a link", "#+name: e\n[[file:]]\n\n", "#+name: reader\n#+begin_src sh :stdin e :results output\ncat\n#+end_src\n\n", org.RefUnread},
		{"noweb to a rule", "#+name: r\n-----\n\n", "#+name: reader\n#+begin_src sh :noweb yes :results output\necho \"[<<r()>>]\"\n#+end_src\n\n", org.RefUnread},
		{"var to a call that runs nothing", callNothing, "#+name: reader\n#+begin_src sh :var x=c\necho \"$x\"\n#+end_src\n\n", org.RefCallNil},
		{"stdin to a call that runs nothing", callNothing, "#+name: reader\n#+begin_src sh :stdin c :results output\ncat\n#+end_src\n\n", org.RefCallNil},
		{"noweb to a call that runs nothing", callNothing, "#+name: reader\n#+begin_src sh :noweb yes :results output\necho \"[<<c()>>]\"\n#+end_src\n\n", org.RefCallNil},
		// A block after the reader whose :file-mode set-file-modes
		// refuses (plan's stop_file_mode_ref_*): Emacs runs it for the
		// reference and stops at the reader.
		{"var to a block whose file mode stops", "", "#+name: reader\n#+begin_src sh :var x=s\necho \"$x\"\n#+end_src\n\n" + fileModeStops, fileModeStop},
		{"var with arguments to a block whose file mode stops", "", "#+name: reader\n#+begin_src sh :var x=s(n=2)\necho \"$x\"\n#+end_src\n\n" + fileModeStops, fileModeStop},
		{"noweb to a block whose file mode stops", "", "#+name: reader\n#+begin_src sh :noweb yes :results output\necho \"[<<s()>>]\"\n#+end_src\n\n" + fileModeStops, fileModeStop},
	} {
		t.Run(c.name, func(t *testing.T) {
			head := "#+name: first\n#+begin_src sh\necho before\n#+end_src\n\n" + c.data
			// The referring block's line: its #+name: line, as Borges
			// numbers a named block.
			line := strings.Count(head, "\n") + 1
			e, rb, id := submitToReport(t, head+c.reader+"#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
			first := launchOf(t, rb.fakeBackend, "first", 1)
			rb.setOutput(first.ID, "before\n")
			finish(rb.fakeBackend, first, Finished, 0)
			if strings.Contains(c.data, "#+begin_src") {
				// The block of the data's name, before the stop: it runs.
				d := launchOf(t, rb.fakeBackend, "d", 1)
				rb.setOutput(d.ID, "d block\n")
				finish(rb.fakeBackend, d, Finished, 0)
			}
			// A block whose :file-mode stops, referred to without
			// arguments: Emacs runs it for the reference, writing its
			// :file, then stops (plan's stop_file_mode_ref_*, their
			// files compared).
			// The reference is a run of s of its own (Babel runs s
			// again at it): s's own run, its turn past the stop, if
			// launched before the stop is known, runs on.
			fileWritten := c.why == fileModeStop && !strings.Contains(c.reader, "s(n=")
			ref := "reader :var x=s"
			if strings.Contains(c.reader, "<<s()>>") {
				ref = "reader <<s()>>"
			}
			if fileWritten {
				s := launchOf(t, rb.fakeBackend, ref, 1)
				rb.setOutput(s.ID, "s\n")
				finish(rb.fakeBackend, s, Finished, 0)
				finishOwnRunIfLaunched(e, rb, id, "s", "s\n")
			}
			d := waitDocumentEnded(t, e, id)
			// Messages and notes quote the error (%q).
			says := func(m string) bool { return strings.Contains(m, fmt.Sprintf("%q", c.why)) }
			for _, a := range rb.launches() {
				if a.Block != "first" && a.Block != "d" && (a.Block != "s" && a.Block != ref || !fileWritten) {
					t.Errorf("%s launched; only the blocks before the stop run", a.Block)
				}
			}
			if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, fmt.Sprintf("not run: org-babel-execute-buffer stopped before it, at the block at line %d,", line)) || !says(m) {
				t.Errorf("after: %q", m)
			}
			if m, _ := blockMessage(d, "reader"); !says(m) {
				t.Errorf("reader: %q, want it to say %q", m, c.why)
			}
			n := strings.Join(d.Notes, "\n")
			if !strings.Contains(n, fmt.Sprintf("line %d: org-babel-execute-buffer stops this document at the block resolving its references", line)) || !says(n) {
				t.Errorf("the document's notes do not say where and why it stopped: %q", d.Notes)
			}
			got, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(got, "#+RESULTS: first\n: before\n") || strings.Contains(got, "#+RESULTS: reader") || strings.Contains(got, "#+RESULTS: after") || strings.Contains(got, "#+RESULTS: s") {
				t.Errorf("results document:\n%s", got)
			}
			if fileWritten {
				if f, err := e.ReadFile(context.Background(), id, "s.txt"); err != nil || string(f) != "s\n" {
					t.Errorf("s.txt: %q, %v; want s's value, the file Emacs writes", f, err)
				}
			}
		})
	}
}

// finishOwnRunIfLaunched waits, bounded, for document id to end,
// finishing block name's own run, printing out, if rb launches it (a
// run past a stop, launched before the stop is known, runs on).
func finishOwnRunIfLaunched(e *Engine, rb *reportBackend, id, name, out string) {
	done := false
	for range 4000 {
		if d, _ := e.Document(id); d != nil && d.State != Running && d.State != Queued {
			return
		}
		for _, a := range rb.launches() {
			if a.Block == name && !done {
				rb.setOutput(a.ID, out)
				finish(rb.fakeBackend, a, Finished, 0)
				done = true
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
}
