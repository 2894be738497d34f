package engine

import (
	"strings"
	"testing"
	"time"
)

// runAddedPastStop runs doc, whose first block, el, of Emacs Lisp, adds
// a block named added to the buffer after after (the text it is put
// after), every
// block after el printing its name and inline blocks inlineOut, and
// returns the engine's results document, the buffer el left and the
// document's view once ended.
func runAddedPastStop(t *testing.T, doc, after, inlineOut string, marks ...markAt) (got, buffer string, d *DocumentView) {
	t.Helper()
	e, rb, id := submitToReport(t, doc)
	el := launchOf(t, rb.fakeBackend, "el", 1)
	const added = "\n#+name: added\n#+begin_src sh\necho added\n#+end_src\n"
	i := strings.Index(doc, after)
	if i < 0 {
		t.Fatalf("no %q in the document", after)
	}
	buffer = doc[:i+len(after)] + added + doc[i+len(after):]
	rb.rmu.Lock()
	rb.reports[el.ID] = addedReport(t, buffer, marks...)
	rb.rmu.Unlock()
	endWith(t, e, rb, id, el, "")
	// Bounded: every launch is finished as it comes, until the
	// document has ended.
	done := map[string]bool{el.ID: true}
	for range 4000 {
		if v, _ := e.Document(id); v == nil || v.State != Running && v.State != Queued {
			break
		}
		for _, a := range rb.launches() {
			out := a.Block + "\n"
			if strings.HasPrefix(a.Block, "inline-") {
				out = inlineOut
			}
			if !done[a.ID] {
				done[a.ID] = true
				rb.setOutput(a.ID, out)
				finish(rb.fakeBackend, a, Finished, 0)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	d = waitDocumentEnded(t, e, id)
	text, err := e.ResultDocument(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return text, buffer, d
}

// TestPastStopAddedHeld: an Emacs Lisp block adds a block after the
// last block of the document, or before a block of the document after
// the stop; an inline block stops Emacs before it: its value Babel
// refuses, known from the document (:results table, a stop the plan
// knows) or once it has run (two lines of output). Emacs stops there and
// never runs the block added, which has no results, held or run past the
// stop, started before the stop was known (p14, p13, p10, checked with
// Emacs 28.2).
func TestPastStopAddedHeld(t *testing.T) {
	for _, c := range []struct {
		name, inline, out, after string
		planned                  bool // the stop known from the document: added never runs
	}{
		{"plan stop, after the last block", "src_sh[:results table]{echo 1}", "1\n", "echo free\n#+end_src\n", true},
		{"plan stop, before a block after it", "src_sh[:results table]{echo 1}", "1\n", "here.\n", true},
		{"inline value refused, after the last block", "src_sh[:results output]{echo 1; echo 2}", "1\n2\n", "echo free\n#+end_src\n", false},
		{"inline value refused, before a block after it", "src_sh[:results output]{echo 1; echo 2}", "1\n2\n", "here.\n", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := "#+name: el\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\n" +
				"Text " + c.inline + " here.\n\n" +
				"#+name: free\n#+begin_src sh\necho free\n#+end_src\n"
			got, buffer, d := runAddedPastStop(t, doc, c.after, c.out,
				markAt{at: "#+begin_src emacs-lisp"}, markAt{at: c.inline}, markAt{at: "#+begin_src sh\necho free"},
				markAt{at: "#+begin_src sh\necho added"})
			if got != buffer {
				t.Errorf("results document:\n%s\nwant, as Emacs writes it:\n%s", got, buffer)
			}
			for _, b := range d.Blocks {
				if b.Name != "added" {
					continue
				}
				switch in := b.Instances[0]; {
				case c.planned && (in.Attempts != 0 || !strings.HasPrefix(in.Message, "not run: it stands past line 6, where org-babel-execute-buffer stops this document")):
					t.Errorf("added: %d attempts, %q, want it held by the stop at line 6, saying so", in.Attempts, in.Message)
				case !strings.HasPrefix(in.Message, "not run: ") && !strings.HasPrefix(in.Message, ranPastStopPrefix):
					t.Errorf("added: %q, want it to say it was held by the stop, or ran past it", in.Message)
				}
			}
		})
	}
}

// TestPastStopFoundInResultsAfterStop: code, before the stop, writes its
// raw results, a block, at its #+RESULTS: line, which stands after the
// stop (an inline block whose value Babel refuses: known from the
// document, or once it has run, the block found started by then); Emacs
// writes them there but never comes to the block found in them, which
// has no results (p21, p11, checked with Emacs 28.2).
func TestPastStopFoundInResultsAfterStop(t *testing.T) {
	for _, c := range []struct {
		name, inline, out string
		known             bool // the stop known once the inline block ends
	}{
		{"plan stop", "src_sh[:results table]{echo 1}", "1\n", false},
		{"inline value refused", "src_sh[:results output]{echo 1; echo 2}", "1\n2\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := "#+name: code\n#+begin_src sh :results raw\nprintf '#+begin_src sh\\necho nested\\n#+end_src\\n'\n#+end_src\n\n" +
				"Text " + c.inline + " here.\n\n" +
				"#+RESULTS: code\nold\nText right after.\n\n" +
				"#+name: free\n#+begin_src sh\necho free\n#+end_src\n"
			const raw = "#+begin_src sh\necho nested\n#+end_src\n"
			e, rb, id := submitToReport(t, doc)
			code := launchOf(t, rb.fakeBackend, "code", 1)
			endWith(t, e, rb, id, code, raw)
			done := map[string]bool{code.ID: true}
			if c.known {
				// Its value known once the block found has started.
				inline := launchOf(t, rb.fakeBackend, "inline-1", 1)
				launchOf(t, rb.fakeBackend, "code-found-1", 1)
				endWith(t, e, rb, id, inline, c.out)
				done[inline.ID] = true
			}
			// Bounded: every launch is finished as it comes, until
			// the document has ended.
			for range 4000 {
				if v, _ := e.Document(id); v == nil || v.State != Running && v.State != Queued {
					break
				}
				for _, a := range rb.launches() {
					if !done[a.ID] {
						done[a.ID] = true
						rb.setOutput(a.ID, a.Block+"\n")
						finish(rb.fakeBackend, a, Finished, 0)
					}
				}
				time.Sleep(5 * time.Millisecond)
			}
			waitDocumentEnded(t, e, id)
			wantAsEmacs(t, e, id, strings.Replace(doc, "#+RESULTS: code\n", "#+RESULTS: code\n"+raw, 1))
		})
	}
}
