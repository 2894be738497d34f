package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
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
// elisp_raw_append_text_after_block.org, known gaps).

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
	} {
		t.Run(c.fixture, func(t *testing.T) {
			doc, _ := fixtureAndRef(t, c.fixture)
			_, rb, e, _, id := submitOnDisk(t, doc)
			d := &rawAppendDriver{t: t, rb: rb, em: newEmacsRunner(t, rb), names: c.names, outs: c.outs, done: map[string]bool{}}
			d.untilFinished(e, id)
			got, err := e.ResultDocument(context.Background(), id)
			want := fmt.Sprintf("line %d ", c.line)
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

// TestFoundInChangedBufferBlankWritten: the same added block with a
// blank line between it and the text after: Emacs puts its results in
// before its marker and does not search them, so the block they hold
// does not run, and the document is written, with no error.
func TestFoundInChangedBufferBlankWritten(t *testing.T) {
	doc, _ := fixtureAndRef(t, "added_raw_text_after_prints_block")
	doc = strings.Replace(doc, `#+end_src\nText.\n`, `#+end_src\n\nText.\n`, 1)
	if !strings.Contains(doc, `\n\nText.`) {
		t.Fatal("the fixture changed: no text after the added block")
	}
	_, rb, e, _, id := submitOnDisk(t, doc)
	d := &rawAppendDriver{t: t, rb: rb, em: newEmacsRunner(t, rb), names: map[string]string{"block-3": "prints"},
		outs: map[string]string{"prints": "#+begin_src sh\necho deep2\n#+end_src\n"}, done: map[string]bool{}}
	d.untilFinished(e, id)
	got, err := e.ResultDocument(context.Background(), id)
	if err != nil || !strings.Contains(got, "#+RESULTS:\n#+begin_src sh\necho deep2\n#+end_src\n\nText.") {
		t.Fatalf("results document (%v):\n%s", err, got)
	}
}
