package engine

import (
	"context"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// cmdlineStopDoc sets, in an Emacs Lisp block, a default :cmdline that
// is a symbol: ob-shell's (concat " " cmdline) stops Emacs at the first
// shell block after it (stop), which the block after it (after) would
// stop at too.
const cmdlineStopDoc = "#+name: set\n#+begin_src emacs-lisp :results silent\n" +
	"(push '(:cmdline . foo) org-babel-default-header-args)\n#+end_src\n\n" +
	"#+name: stop\n#+begin_src sh :results output\necho \"[$1]\"\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh :results output\necho after\n#+end_src\n"

// setCmdlineDefault finishes doc's Emacs Lisp block set, its Emacs
// reporting the blocks at marks and Org's default header arguments with
// :cmdline foo, as its push leaves them.
func setCmdlineDefault(t *testing.T, rb *reportBackend, doc string, marks ...markAt) {
	t.Helper()
	set := launchOf(t, rb.fakeBackend, "set", 1)
	first, rest, _ := strings.Cut(addedReport(t, doc, marks...), "\n")
	var mark string
	for range marks {
		var m string
		m, rest, _ = strings.Cut(rest, "\n")
		mark += m + "\n"
	}
	rb.rmu.Lock()
	rb.reports[set.ID] = first + " 16\n" + mark + "block 8\n:cmdline x foo\n:session s \"none\"\n:results s \"replace\"\n:exports s \"code\"\n" +
		":cache s \"no\"\n:noweb s \"no\"\n:hlines s \"no\"\n:tangle s \"no\"\n" +
		"inline 4\n:session s \"none\"\n:results s \"replace\"\n:exports s \"results\"\n:hlines s \"yes\"\nlob 1\n:exports s \"results\"\n" + rest
	report := rb.reports[set.ID]
	rb.rmu.Unlock()
	if _, err := org.ParseBufferReport(report); err != nil {
		t.Fatal(err)
	}
	finish(rb.fakeBackend, set, Finished, 0)
}

// TestCmdlineDefaultSymbolStops: the stop a default :cmdline symbol
// makes as its shell block is to start (plan.Task.CmdlineStop, a
// ReferenceError from RenderIn) is a stop like the others: Emacs writes
// no results for the block it stops at, nor for the block after it,
// which is not run, saying where the document stopped and why (its
// :cmdline, not a reference); the notes say so, and so after a server
// restart.
func TestCmdlineDefaultSymbolStops(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, cmdlineStopDoc)
	setCmdlineDefault(t, rb, cmdlineStopDoc, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src sh :results output\necho \"["}, markAt{at: "#+begin_src sh :results output\necho after"})
	d := waitDocumentEnded(t, e, id)
	for _, a := range rb.fakeBackend.launches() {
		if a.Block != "set" {
			t.Errorf("%s launched after the stop", a.Block)
		}
	}
	const at = "at the block at line 6"
	m, _ := blockMessage(d, "stop")
	if !strings.Contains(m, "Wrong type argument: sequencep, foo") {
		t.Errorf("stop: %q", m)
	}
	afterMsg, _ := blockMessage(d, "after")
	if m := afterMsg; !strings.HasPrefix(m, failStopAt+"6, ") || !strings.Contains(m, cmdlineStopWhy) {
		t.Errorf("after: %q, want not run for the stop at stop (line 6), %s", m, cmdlineStopWhy)
	}
	notes := strings.Join(d.Notes, "\n")
	if !strings.Contains(notes, "stops this document "+at) || !strings.Contains(notes, cmdlineStopWhy) || strings.Contains(notes, "resolving its references") {
		t.Errorf("notes %q", notes)
	}
	out, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if out != cmdlineStopDoc {
		t.Errorf("written back:\n%s\nwant the document as it was (Emacs writes no results)", out)
	}
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	d2, _ := e2.Document(id)
	if m2, _ := blockMessage(d2, "after"); m2 != afterMsg {
		t.Errorf("after, once the server started again: %q, want %q", m2, afterMsg)
	}
	if notes2 := strings.Join(d2.Notes, "\n"); notes2 != notes || d2.State != d.State {
		t.Errorf("once the server started again: %s, notes %q; want %s, %q", d2.State, notes2, d.State, notes)
	}
	if out2, err := e2.ResultDocument(context.Background(), id); err != nil || out2 != cmdlineStopDoc {
		t.Errorf("written back once the server started again (%v):\n%s", err, out2)
	}
}

// bindBeforeCmdlineDoc is cmdlineStopDoc with a bash block at stop that
// is given a table keeping its rule (:hlines yes, :colnames no): ob-shell
// binds its variables before it takes a string of the :cmdline, so
// Emacs stops there with the binding's error ("listp, hline"), not the
// :cmdline's (checked with Emacs 28.2).
const bindBeforeCmdlineDoc = "#+name: set\n#+begin_src emacs-lisp :results silent\n" +
	"(push '(:cmdline . foo) org-babel-default-header-args)\n#+end_src\n\n" +
	"#+name: tbl\n| a | b |\n|---+---|\n| 1 | 2 |\n\n" +
	"#+name: stop\n#+begin_src bash :var t=tbl :hlines yes :colnames no :results output\necho \"[$1]\"\n#+end_src\n"

// TestBindingStopBeforeCmdlineStop: of a block with both stops, the
// binding's is the one made and said.
func TestBindingStopBeforeCmdlineStop(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, bindBeforeCmdlineDoc)
	setCmdlineDefault(t, rb, bindBeforeCmdlineDoc, markAt{at: "#+begin_src emacs-lisp"}, markAt{at: "#+begin_src bash"})
	d := waitDocumentEnded(t, e, id)
	for _, a := range rb.fakeBackend.launches() {
		if a.Block != "set" {
			t.Errorf("%s launched after the stop", a.Block)
		}
	}
	m, _ := blockMessage(d, "stop")
	if !strings.Contains(m, "Wrong type argument: listp, hline") {
		t.Errorf("stop: %q, want the binding's error", m)
	}
	if notes := strings.Join(d.Notes, "\n"); !strings.Contains(notes, bindStopWhy) {
		t.Errorf("notes %q, want %q", notes, bindStopWhy)
	}
}
