package engine

import (
	"strings"
	"testing"
	"time"
)

// TestUnresolvedReferenceStops: a block whose :var names no block, after
// an Emacs Lisp block that inserts nothing (Borges looks for the name
// when the block is to run: plan.Task's unresolved), stops the document
// there as Emacs stops resolving it ("Reference ‘0x10’ not found in this
// buffer", plan's testdata/stop_hunt14_ref_missing_after_elisp.org): the
// block after it is not run and says why, and the notes say where the
// document stopped.
func TestUnresolvedReferenceStops(t *testing.T) {
	const stopErr = "Reference ‘0x10’ not found in this buffer"
	for _, c := range []struct{ name, ref string }{
		{"number Babel does not read", "0x10"},
		{"no block of the name", "nosuch"},
	} {
		t.Run(c.name, func(t *testing.T) {
			stopErr := strings.Replace(stopErr, "0x10", c.ref, 1)
			e, rb, id := submitToReport(t, "#+name: el\n#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n\n"+
				"#+name: user\n#+begin_src sh :var z="+c.ref+" :results output\necho \"$z\"\n#+end_src\n\n"+afterBlock)
			el := launchOf(t, rb.fakeBackend, "el", 1)
			rb.setOutput(el.ID, "3")
			finish(rb.fakeBackend, el, Finished, 0)
			waitStored(t, e, id, "user", Failed)
			// after is decided in the pass that fails user, or the next:
			// held, or launched, then finished so that the document ends.
			if settleBlock(t, e, rb.fakeBackend, id, "after") {
				t.Errorf("launched after, want only the Emacs Lisp block run")
			}
			d := waitDocumentEnded(t, e, id)
			if m, ok := blockMessage(d, "user"); !ok || !strings.Contains(m, stopErr) {
				t.Errorf("user: %q; want its reference error %q", m, stopErr)
			}
			if m, ok := blockMessage(d, "after"); !ok || !strings.HasPrefix(m, "not run: org-babel-execute-buffer stopped before it") || !strings.Contains(m, stopErr) {
				t.Errorf("after: %q; want not run, stopped before it at %q", m, stopErr)
			}
			if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, "stops this document at the block at line 6, for block user, whose reference Emacs found no data for") {
				t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
			}
		})
	}
}

// TestDeletedReferredStops: a block whose :var names a block the
// document has, which an Emacs Lisp block before it deletes from the
// buffer, stops the document there as Emacs stops resolving it
// ("Reference ‘inserted’ not found in this buffer", plan's
// testdata/stop_hunt14_ref_deleted_by_elisp.org): the document's notes
// say where it stopped. Borges failed the block alone, with no stop. The
// block after it waits only for the Emacs Lisp block, where user waits
// for the deleted block's decision too: as for the other stops known
// when a block is to start, after, started before the stop was known,
// runs on; held, it says why.
func TestDeletedReferredStops(t *testing.T) {
	const stopErr = "Reference ‘inserted’ not found in this buffer"
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	report := adderDoc("#+name: user\n#+begin_src sh :var x=inserted\necho \"$x\"\n#+end_src\n\n" + afterBlock + "\n")
	doc := report + "#+name: inserted\n#+begin_src sh\necho inserted\n#+end_src\n"
	id := submitAdding(t, e, rb, doc, report, markAt{at: "#+begin_src sh :var x=inserted"}, markAt{at: "#+begin_src sh\necho after"}, markAt{at: "* Here", deleted: true})
	waitStored(t, e, id, "user", Failed)
	// after is decided before user, with it, or after it: held, or
	// launched, then finished so that the document ends.
	launched := settleBlock(t, e, rb.fakeBackend, id, "after")
	for _, l := range rb.launches()[1:] {
		if l.Block != "after" {
			t.Errorf("launched %s, want only the Emacs Lisp block run, and after", l.Block)
			finish(rb.fakeBackend, l, Finished, 0)
		}
	}
	d := waitDocumentEnded(t, e, id)
	if m, ok := blockMessage(d, "user"); !ok || !strings.Contains(m, stopErr) {
		t.Errorf("user: %q; want its reference error %q", m, stopErr)
	}
	if m, _ := blockMessage(d, "after"); !launched && (!strings.HasPrefix(m, "not run: org-babel-execute-buffer stopped before it") || !strings.Contains(m, stopErr)) {
		t.Errorf("after: %q; want not run, stopped before it at %q", m, stopErr)
	}
	if n := strings.Join(d.Notes, "\n"); !strings.Contains(n, "stops this document at the block at line 6, for block user, whose reference Emacs found no data for") {
		t.Errorf("the document's notes do not say where it stopped: %q", d.Notes)
	}
}

// settleBlock waits, with a generous bound, for block name of document
// id to be decided: launched, its launch then finished so that the
// document ends (settleBlock reports true), or held, neither queued nor
// handed to the backend. A block is staged before the backend records
// its launch: one that leaves Queued is watched until its launch shows,
// where a test that looked once at the launches after it left Queued
// missed a launch still on its way, never finished it, and waited for a
// document that could not end (seen under CPU load).
func settleBlock(t *testing.T, e *Engine, fb *fakeBackend, id, name string) bool {
	t.Helper()
	for range 12000 {
		for _, l := range fb.launches() {
			if l.Block == name {
				finish(fb, l, Finished, 0)
				return true
			}
		}
		if s := State(stored(e, id, name).State); s != Queued && s != Staged && s != Running {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("block %s of document %s was neither launched nor held", name, id)
	return false
}
