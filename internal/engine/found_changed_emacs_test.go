package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/session"
)

// Once a task of the document's Emacs has changed its Org buffer, the
// results written are searched for blocks in that buffer, its latest
// report (searchChanged, org.Document.ReportChanged): where every task
// of that Emacs has finished and stands before the blocks found there,
// they run as blocks found in a document without Emacs Lisp do, and
// their results are written at their marks in that buffer
// (org.Document.ChangedWriteReport). A block of a language Babel has no
// function for stops the document there, as Emacs stops. Where a block
// found there is not run (a task of that Emacs after it), the document
// is refused rather than written without its results, naming the
// block's line (TestFoundInChangedBufferRefused).

// TestFoundInChangedBufferRun runs internal/plan's fixtures of blocks
// found in results written in a changed buffer to their end, the
// programs of the document's Emacs in real Emacs, and checks the results
// document is Emacs's (the committed reference), the blocks found run.
func TestFoundInChangedBufferRun(t *testing.T) {
	for _, c := range []struct {
		fixture string
		names   map[string]string
		outs    map[string]string
	}{
		{"added_raw_text_after_prints_block", map[string]string{"block-3": "prints", "block-3-found-1": "deep2"},
			map[string]string{"prints": "#+begin_src sh\necho deep2\n#+end_src\n", "deep2": "deep2\n"}},
		{"elisp_raw_append_text_after_block", map[string]string{"block-2": "moved", "block-4": "tail", "block-3-found-1": "appended"},
			map[string]string{"moved": "moved\n", "tail": "tail\n", "appended": "appended\n"}},
		{"added_drawer_text_after_prints_block", map[string]string{"block-3": "prints", "block-3-found-1": "deep2"},
			map[string]string{"prints": "#+begin_src sh\necho deep2\n#+end_src\n", "deep2": "deep2\n"}},
		{"added_raw_text_after_prints_two_blocks", map[string]string{"block-3": "prints", "block-3-found-1": "deep2", "block-3-found-2": "deep3"},
			map[string]string{"prints": "#+begin_src sh\necho deep2\n#+end_src\n#+begin_src sh\necho deep3\n#+end_src\n", "deep2": "deep2\n", "deep3": "deep3\n"}},
		{"found_raw_replaced_after_emacs_change", map[string]string{"block-2": "prints", "block-2-found-1": "again"},
			map[string]string{"prints": "#+begin_src sh\necho again\n#+end_src\n", "again": "again\n"}},
		{"found_changed_doc_raw_text_after", map[string]string{"block-2": "prints", "block-2-found-1": "again"},
			map[string]string{"prints": "#+begin_src sh\necho again\n#+end_src\n", "again": "again\n"}},
		{"found_changed_elisp_raw_value", map[string]string{"block-2-found-1": "again"}, map[string]string{"again": "again\n"}},
		// Emacs stops at the block of a language Babel has no
		// function for, the results before it written.
		{"found_changed_unknown_lang", map[string]string{"block-2": "prints"},
			map[string]string{"prints": "#+begin_src nolang\necho x\n#+end_src\n"}},
	} {
		t.Run(c.fixture, func(t *testing.T) {
			e, id, want := runChangedFixture(t, c.fixture, c.names, c.outs)
			if got, err := e.ResultDocument(context.Background(), id); err != nil || got != want {
				t.Fatalf("results document (%v):\n%s\nwant:\n%s", err, got, want)
			}
		})
	}
}

// TestFoundInChangedBufferWritten: the same blocks with a blank line
// between them and the text after (internal/plan's
// added_raw_blank_after_prints_block.org and
// elisp_raw_append_blank_after_block.org): Emacs puts their results in
// before its marker and does not search them, so the block they hold
// does not run; and blocks Emacs finds but does not run, :eval no or
// never (org-babel-check-evaluate, org.EvalRefused; the fixtures
// found_changed_eval_no_printed.org, found_changed_eval_never_doc.org
// and found_changed_call_eval_no.org). The document is written as Emacs
// writes it, with no error.
func TestFoundInChangedBufferWritten(t *testing.T) {
	for _, c := range []struct {
		fixture string
		names   map[string]string
		outs    map[string]string
	}{
		{"added_raw_blank_after_prints_block", map[string]string{"block-3": "prints"},
			map[string]string{"prints": "#+begin_src sh\necho deep2\n#+end_src\n"}},
		{"elisp_raw_append_blank_after_block", map[string]string{"block-2": "moved", "block-4": "tail"},
			map[string]string{"moved": "moved\n", "tail": "tail\n"}},
		{"found_changed_eval_no_printed", map[string]string{"block-3": "prints"},
			map[string]string{"prints": "#+begin_src sh :eval no\necho deep2\n#+end_src\n"}},
		{"found_changed_eval_never_doc", map[string]string{"block-2": "prints"},
			map[string]string{"prints": "#+begin_src sh :eval never\necho again\n#+end_src\n"}},
		{"found_changed_call_eval_no", map[string]string{"block-2": "prints"},
			map[string]string{"prints": "#+call: nothere() :eval no\n"}},
	} {
		t.Run(c.fixture, func(t *testing.T) {
			e, id, want := runChangedFixture(t, c.fixture, c.names, c.outs)
			if got, err := e.ResultDocument(context.Background(), id); err != nil || got != want {
				t.Fatalf("results document (%v):\n%s\nwant:\n%s", err, got, want)
			}
		})
	}
}

// waitNoted reports whether the notes of document id come to hold a
// write-back refusal naming want, waited for (bounded): the end check
// runs off the lock once the document has ended.
func waitNoted(t *testing.T, e *Engine, id, want string) bool {
	t.Helper()
	for range 2000 {
		v, err := e.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range v.Notes {
			if strings.Contains(n, "results document is not written") && strings.Contains(n, want) {
				return true
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return false
}

// runChangedFixture submits internal/plan's fixture to a new engine and
// runs it to its end, the programs of its Emacs in real Emacs, its shell
// blocks printing outs[names[block]]. It returns the engine, the
// document's id and the document Emacs writes (the committed reference).
func runChangedFixture(t *testing.T, fixture string, names, outs map[string]string) (*Engine, string, string) {
	t.Helper()
	doc, want := fixtureAndRef(t, fixture)
	_, rb, e, _, id := submitOnDisk(t, doc)
	d := &rawAppendDriver{t: t, rb: rb, em: newEmacsRunner(t, rb), names: names, outs: outs, done: map[string]bool{}}
	d.untilFinished(e, id)
	return e, id, want
}

// TestFoundInChangedBufferRefused: a block found in results written in
// the buffer a task of the document's Emacs changed that a later task of
// that Emacs stands after (internal/plan's
// found_changed_elisp_after_found.org, a known gap: that Emacs would
// have to wait for it and mark it), or that would run in that Emacs
// itself (found_changed_found_elisp.org), is not run: the results
// document is refused with an error naming the line of the block Emacs
// finds, said in the document's notes as well, never written without
// its results.
func TestFoundInChangedBufferRefused(t *testing.T) {
	for _, c := range []struct {
		fixture string
		names   map[string]string
		outs    map[string]string
		line    int
	}{
		{"found_changed_elisp_after_found", map[string]string{"block-2": "prints"},
			map[string]string{"prints": "#+begin_src sh\necho again\n#+end_src\n"}, 12},
		{"found_changed_found_elisp", map[string]string{"block-2": "prints"},
			map[string]string{"prints": "#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n"}, 12},
	} {
		t.Run(c.fixture, func(t *testing.T) {
			e, id, _ := runChangedFixture(t, c.fixture, c.names, c.outs)
			want := fmt.Sprintf("line %d ", c.line)
			// Said in the notes at the document's end (the end
			// check), before anyone asks for the document.
			if !waitNoted(t, e, id, want) {
				t.Errorf("the document ended, and its notes did not say its results document is refused (%q)", want)
			}
			got, err := e.ResultDocument(context.Background(), id)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("results document (%v), want an error naming %q:\n%s", err, want, got)
			}
			v, verr := e.Document(id)
			if verr != nil {
				t.Fatal(verr)
			}
			if n := strings.Join(v.Notes, "\n"); !strings.Contains(n, want) {
				t.Errorf("notes %q: want the refusal, naming %q", v.Notes, want)
			}
		})
	}
}

// TestFoundInChangedBufferRunRestarted: the blocks found in results
// written in the changed buffer, run, are found again by a server started
// again (foundAgain, searchChanged at a start), which writes the same
// document, Emacs's, their results at them, and launches nothing more;
// so does one started again while the block found is still to finish,
// which finishes it and then writes that document.
func TestFoundInChangedBufferRunRestarted(t *testing.T) {
	names := map[string]string{"block-3": "prints", "block-3-found-1": "deep2", "block-3-found-2": "deep3"}
	outs := map[string]string{"prints": "#+begin_src sh\necho deep2\n#+end_src\n#+begin_src sh\necho deep3\n#+end_src\n", "deep2": "deep2\n", "deep3": "deep3\n"}
	doc, want := fixtureAndRef(t, "added_raw_text_after_prints_two_blocks")
	t.Run("ended", func(t *testing.T) {
		dir, rb, e, stop, id := submitOnDisk(t, doc)
		d := &rawAppendDriver{t: t, rb: rb, em: newEmacsRunner(t, rb), names: names, outs: outs, done: map[string]bool{}}
		d.untilFinished(e, id)
		if got, err := e.ResultDocument(context.Background(), id); err != nil || got != want {
			t.Fatalf("results document (%v):\n%s\nwant:\n%s", err, got, want)
		}
		n := len(rb.launches())
		stop()
		e2, stop2 := startEngine(t, dir, rb, Config{})
		t.Cleanup(stop2)
		if got, err := e2.ResultDocument(context.Background(), id); err != nil || got != want {
			t.Fatalf("results document reloaded (%v):\n%s\nwant:\n%s", err, got, want)
		}
		if l := rb.launches(); len(l) != n {
			t.Errorf("%d attempts after the reload, want %d (nothing launched by it)", len(l), n)
		}
	})
	t.Run("found block running", func(t *testing.T) {
		dir, rb, e, stop, id := submitOnDisk(t, doc)
		em := newEmacsRunner(t, rb)
		d := &rawAppendDriver{t: t, rb: rb, em: em, names: names, outs: outs, done: map[string]bool{}}
		// Everything but the second block found answered.
		var held *Attempt
		for range 4000 {
			for _, a := range rb.launches() {
				if d.done[a.ID] {
					continue
				}
				if a.Block == "block-3-found-2" {
					held = a
					continue
				}
				d.done[a.ID] = true
				if a.Task.Session != nil && a.Task.Session.Kind == string(session.Emacs) {
					if msg := em.run(a); msg != "" {
						t.Fatalf("%s signalled: %s", a.Block, msg)
					}
					continue
				}
				out, ok := outs[names[a.Block]]
				if !ok {
					t.Fatalf("launched %s, which the test does not answer:\n%s", a.Block, a.Script)
				}
				finishLaunch(rb.fakeBackend, a, out)
			}
			if held != nil && d.done[launchedOf(rb, "block-3-found-1")] {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		if held == nil {
			t.Fatal("block-3-found-2 was not launched")
		}
		waitState(t, e, id, "block-3-found-1", Finished)
		stop()
		e2, stop2 := startEngine(t, dir, rb, Config{})
		t.Cleanup(stop2)
		d.untilFinished(e2, id)
		if got, err := e2.ResultDocument(context.Background(), id); err != nil || got != want {
			t.Fatalf("results document after the restart (%v):\n%s\nwant:\n%s", err, got, want)
		}
	})
}

// launchedOf is the ID of the first launch of block name of rb, "" when
// none.
func launchedOf(rb *reportBackend, name string) string {
	for _, a := range rb.launches() {
		if a.Block == name {
			return a.ID
		}
	}
	return ""
}
