package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Once a task of the document's Emacs has changed its Org buffer, the
// results written are not searched for blocks (searchesBesideEmacs):
// the document is written back from that Emacs's report, which has no
// mark where a block found there would write its results. Where Emacs
// finds a block in results written so (nothing between them and the
// text after), it runs it and writes its results; Borges does not run
// it, and refuses to write the document rather than write it without
// them, naming the block's line in the buffer (internal/plan's
// added_raw_text_after_prints_block.org and
// elisp_raw_append_text_after_block.org, known gaps, and their
// neighbours added_drawer_text_after_prints_block.org,
// added_raw_text_after_prints_two_blocks.org and
// found_raw_replaced_after_emacs_change.org).

// TestFoundInChangedBufferRefused runs those fixtures to their end, the
// programs of the document's Emacs in real Emacs, and checks that the
// results document is refused with an error naming the line of the
// block Emacs finds, said in the document's notes as well.
func TestFoundInChangedBufferRefused(t *testing.T) {
	for _, c := range []struct {
		fixture string
		names   map[string]string
		outs    map[string]string
		line    int
	}{
		{"added_raw_text_after_prints_block", map[string]string{"block-3": "prints"},
			map[string]string{"prints": "#+begin_src sh\necho deep2\n#+end_src\n"}, 18},
		{"elisp_raw_append_text_after_block", map[string]string{"block-2": "moved", "block-4": "tail"},
			map[string]string{"moved": "moved\n", "tail": "tail\n"}, 20},
		{"added_drawer_text_after_prints_block", map[string]string{"block-3": "prints"},
			map[string]string{"prints": "#+begin_src sh\necho deep2\n#+end_src\n"}, 19},
		{"added_raw_text_after_prints_two_blocks", map[string]string{"block-3": "prints"},
			map[string]string{"prints": "#+begin_src sh\necho deep2\n#+end_src\n#+begin_src sh\necho deep3\n#+end_src\n"}, 18},
		{"found_raw_replaced_after_emacs_change", map[string]string{"block-2": "prints"},
			map[string]string{"prints": "#+begin_src sh\necho again\n#+end_src\n"}, 12},
		{"found_changed_doc_raw_text_after", map[string]string{"block-2": "prints"},
			map[string]string{"prints": "#+begin_src sh\necho again\n#+end_src\n"}, 12},
		{"found_changed_elisp_raw_value", nil, nil, 12},
		// A block of a language Babel has no function for: Emacs
		// stops there with an error, which Borges does not reproduce
		// in a buffer it does not search; the document is refused.
		{"found_changed_unknown_lang", map[string]string{"block-2": "prints"},
			map[string]string{"prints": "#+begin_src nolang\necho x\n#+end_src\n"}, 12},
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
