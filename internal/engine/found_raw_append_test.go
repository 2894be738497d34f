package engine

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/session"
)

// A block found in :results raw results that is itself :results raw
// append and prints a block and then text: Emacs's execute-buffer puts
// its output in once, after the block its output holds (whose own
// results it writes above the text), found_raw_append_text_after.org and
// found_raw_append_text_after_elisp_doc.org of internal/plan, checked
// with Emacs 28.2. The append edit starts where org-babel-result-end
// ends, past the printed block, so write-back has to know the output
// already put in by the digest of the results alone (internal/org's
// putDigest); else the engine wrote that output twice.

// rawAppendOut is what the shell blocks of those fixtures print, by
// block: the outer block a raw append block and text, that block a
// block and text, that block a word; the later block of
// found_raw_append_text_after.org a word.
var rawAppendOut = map[string]string{
	"outer":  "#+begin_src sh :results raw append\nprintf \"\\043+begin_src sh\\necho nested\\n\\043+end_src\\nafter inner\\n\"\n#+end_src\nafter outer\n",
	"append": "#+begin_src sh\necho nested\n#+end_src\nafter inner\n",
	"nested": "nested\n",
	"later":  "later\n",
}

// rawAppendDriver answers document id's launches as they come: a
// program of the document's Emacs runs in em's real Emacs, a shell
// block ends with what names (block name to a key of rawAppendOut)
// says it prints. A launch already answered is not answered again.
type rawAppendDriver struct {
	t     *testing.T
	rb    *reportBackend
	em    *emacsRunner
	names map[string]string
	done  map[string]bool
	// outs are what the shell blocks print, by the keys of names;
	// nil for rawAppendOut.
	outs map[string]string
}

// untilFinished answers launches until document id of e has finished
// (bounded), failing the test on a Lisp error or a launch of a block
// names does not know.
func (d *rawAppendDriver) untilFinished(e *Engine, id string) {
	d.t.Helper()
	for range 4000 {
		for _, a := range d.rb.launches() {
			if d.done[a.ID] {
				continue
			}
			d.done[a.ID] = true
			if a.Task.Session != nil && a.Task.Session.Kind == string(session.Emacs) {
				if msg := d.em.run(a); msg != "" {
					d.t.Fatalf("%s signalled: %s", a.Block, msg)
				}
				continue
			}
			outs := d.outs
			if outs == nil {
				outs = rawAppendOut
			}
			out, ok := outs[d.names[a.Block]]
			if !ok {
				d.t.Fatalf("launched %s, which the test does not answer:\n%s", a.Block, a.Script)
			}
			finishLaunch(d.rb.fakeBackend, a, out)
		}
		if v, _ := e.Document(id); v != nil && v.State == Finished {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	d.t.Fatalf("document %s has not finished", id)
}

// rawAppendCases are the fixtures and their shell blocks' names.
var rawAppendCases = []struct {
	fixture string
	names   map[string]string
}{
	{"found_raw_append_text_after", map[string]string{
		"block-1": "outer", "block-1-found-1": "append", "block-1-found-1-found-1": "nested", "block-2": "later",
	}},
	{"found_raw_append_text_after_elisp_doc", map[string]string{
		"block-2": "outer", "block-2-found-1": "append", "block-2-found-1-found-1": "nested",
	}},
}

// runRawAppend submits internal/plan's fixture to a new engine, runs it
// to its end (its Emacs programs in real Emacs, its shell blocks
// answered by names) and checks the document written is Emacs's (the
// committed reference). It returns the engine, the driver, the
// document's id and that document.
func runRawAppend(t *testing.T, fixture string, names map[string]string) (*Engine, *rawAppendDriver, string, string) {
	t.Helper()
	doc, want := fixtureAndRef(t, fixture)
	_, rb, e, _, id := submitOnDisk(t, doc)
	d := &rawAppendDriver{t: t, rb: rb, em: newEmacsRunner(t, rb), names: names, done: map[string]bool{}}
	d.untilFinished(e, id)
	if got, err := e.ResultDocument(context.Background(), id); err != nil || got != want {
		t.Fatalf("results document (%v):\n%s\nwant:\n%s", err, got, want)
	}
	return e, d, id, want
}

// TestFoundRawAppendTextAfter: the live engine writes the raw append
// block's output once, as Emacs does.
func TestFoundRawAppendTextAfter(t *testing.T) {
	for _, c := range rawAppendCases {
		t.Run(c.fixture, func(t *testing.T) {
			runRawAppend(t, c.fixture, c.names)
		})
	}
}

// TestFoundRawAppendTextAfterRestarted: the raw append block found,
// restarted (borges restart) once the document finished, runs again
// with the block found in its output (and nothing else) and prints the
// same: its output is written once still, over the old, the document
// as Emacs writes it.
func TestFoundRawAppendTextAfterRestarted(t *testing.T) {
	for _, c := range rawAppendCases {
		t.Run(c.fixture, func(t *testing.T) {
			e, d, id, want := runRawAppend(t, c.fixture, c.names)
			var found string
			for name, key := range c.names {
				if key == "append" {
					found = name
				}
			}
			n := len(d.rb.launches())
			if err := e.RestartBlock(context.Background(), id, found); err != nil {
				t.Fatal(err)
			}
			waitLaunches(t, d.rb.fakeBackend, n+1)
			d.untilFinished(e, id)
			if got, err := e.ResultDocument(context.Background(), id); err != nil || got != want {
				t.Errorf("results document after %s restarted (%v):\n%s\nwant:\n%s", found, err, got, want)
			}
			var again []string
			for _, a := range d.rb.launches()[n:] {
				again = append(again, a.Block)
			}
			if want := []string{found, found + "-found-1"}; !slices.Equal(again, want) {
				t.Errorf("launched after the restart: %v, want %v", again, want)
			}
		})
	}
}
