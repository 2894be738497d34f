package engine

import (
	"context"
	"strings"
	"testing"
	"time"
)

// stopKind is a block that stops the document once it has ended with
// out: its text in the document (a paragraph for an inline block), the
// block whose attempt is ended, and what the message of a block it holds,
// and the note of the stop, say of it.
type stopKind struct {
	kind, text, block, out, mark string
}

// stopOf is a stop of kind, its block named name (an inline block is
// inline-1, the document's only one).
func stopOf(kind, name string) stopKind {
	switch kind {
	case "js":
		return stopKind{kind, "#+name: " + name + "\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n", name, "'   '\n", "for block " + name + ", " + failStopWhy}
	case "inline":
		return stopKind{kind, "Text src_sh[:results output]{echo 1; echo 2} here.\n\n", "inline-1", "1\n2\n", "for block inline-1, " + inlineStopWhy}
	case "found":
		return stopKind{kind, "#+name: " + name + "\n#+begin_src sh :results raw\necho nosuch\n#+end_src\nAfter.\n\n", name, "#+begin_src nosuch" + name + "\n#+end_src\n", `"No org-babel-execute function for nosuch` + name + `!"`}
	case "result":
		return stopKind{kind, "#+name: " + name + "\n#+begin_src sh :results table\nprintf '/\\ta\\n'\n#+end_src\n\n", name, "/\ta\n", "for block " + name + ", " + resultStopWhy}
	}
	panic(kind)
}

// stopPairDoc has block gate, the stop earlier, the stop later, and block
// after, which waits for gate's own run (:after, not a :var reference,
// which would make a run of gate of its own for it): it is decided when
// gate ends.
func stopPairDoc(earlier, later stopKind) string {
	return "#+name: gate\n#+begin_src sh\necho gate\n#+end_src\n\n" + earlier.text + later.text + afterGate
}

// afterGate is block after, ordered after block gate.
const afterGate = "#+name: after\n#+begin_src sh :after gate\necho after\n#+end_src\n"

// waitMessage waits, bounded, until block name of document id says
// want, and returns the document then; it fails the test with what the
// block says when it never does.
func waitMessage(t *testing.T, e *Engine, id, name, want string) *DocumentView {
	t.Helper()
	var d *DocumentView
	var m string
	for range 2000 {
		d, _ = e.Document(id)
		if m, _ = blockMessage(d, name); strings.Contains(m, want) {
			return d
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s: %q, want it to say %q", name, m, want)
	return nil
}

// wantHeldBy checks that document d, ended, held block after by the stop
// whose block's messages say mark, the one stop its notes give.
func wantHeldBy(t *testing.T, rb *reportBackend, d *DocumentView, mark string) {
	t.Helper()
	if launchedBlock(rb, "after") {
		t.Error("after launched, though a stop holds it")
	}
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, "not run: org-babel-execute-buffer stopped before it") || !strings.Contains(m, mark) {
		t.Errorf("after: %q, want held by the stop %s", m, mark)
	}
	notes := strings.Join(d.Notes, "\n")
	if strings.Count(notes, "stops this document") != 1 || !strings.Contains(notes, mark) {
		t.Errorf("notes: %q, want the one stop %s", notes, mark)
	}
}

// TestEarlierStopReplacesHolder: of two stops, Emacs stops at the first
// in the buffer, whichever Borges knows first. A block after both, held
// by the later one when the earlier one was not known yet, is held by the
// earlier one once it is: its message names it, as the notes do, for
// every kind of stop and every order they become known in.
func TestEarlierStopReplacesHolder(t *testing.T) {
	pairs := [][2]string{
		{"js", "js"}, {"inline", "js"}, {"js", "inline"}, {"found", "js"}, {"js", "found"},
		{"result", "js"}, {"js", "result"}, {"result", "inline"}, {"inline", "result"},
		{"found", "result"}, {"result", "found"}, {"inline", "found"}, {"found", "inline"},
	}
	orders := []struct {
		name string
		// run ends the stops and gate in its order; after is held
		// by the later stop, when it is known first, before the
		// earlier one is.
		run func(t *testing.T, e *Engine, rb *reportBackend, id string, earlier, later, gate *Attempt, eo, lo string)
	}{
		{"earlier first", func(t *testing.T, e *Engine, rb *reportBackend, id string, earlier, later, gate *Attempt, eo, lo string) {
			endWith(t, e, rb, id, earlier, eo)
			endWith(t, e, rb, id, later, lo)
			endWith(t, e, rb, id, gate, "gate\n")
		}},
		{"later first", func(t *testing.T, e *Engine, rb *reportBackend, id string, earlier, later, gate *Attempt, eo, lo string) {
			endWith(t, e, rb, id, later, lo)
			endWith(t, e, rb, id, gate, "gate\n")
			waitState(t, e, id, "after", Finished)
			endWith(t, e, rb, id, earlier, eo)
		}},
		{"both before after is decided, later first", func(t *testing.T, e *Engine, rb *reportBackend, id string, earlier, later, gate *Attempt, eo, lo string) {
			endWith(t, e, rb, id, later, lo)
			endWith(t, e, rb, id, earlier, eo)
			endWith(t, e, rb, id, gate, "gate\n")
		}},
	}
	for _, p := range pairs {
		earlier, later := stopOf(p[0], "e"+p[0]), stopOf(p[1], "l"+p[1])
		for _, o := range orders {
			t.Run(p[0]+" before "+p[1]+"/"+o.name, func(t *testing.T) {
				e, rb, id := submitToReport(t, stopPairDoc(earlier, later))
				gate := launchOf(t, rb.fakeBackend, "gate", 1)
				ea := launchOf(t, rb.fakeBackend, earlier.block, 1)
				la := launchOf(t, rb.fakeBackend, later.block, 1)
				o.run(t, e, rb, id, ea, la, gate, earlier.out, later.out)
				waitDocumentEnded(t, e, id)
				wantHeldBy(t, rb, waitMessage(t, e, id, "after", earlier.mark), earlier.mark)
			})
		}
	}
}

// laterThenEarlier submits two JavaScript stops (js1 before js2) and has
// after held by js2, then js1's stop known; it returns where the store
// is, the backend, the engine, its stop and the document's id.
func laterThenEarlier(t *testing.T) (string, *reportBackend, *Engine, func(), string) {
	t.Helper()
	earlier, later := stopOf("js", "js1"), stopOf("js", "js2")
	dir, rb, e, stop, id := submitOnDisk(t, stopPairDoc(earlier, later))
	gate := launchOf(t, rb.fakeBackend, "gate", 1)
	js1 := launchOf(t, rb.fakeBackend, "js1", 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "js2", 1), later.out)
	endWith(t, e, rb, id, gate, "gate\n")
	waitMessage(t, e, id, "after", later.mark)
	endWith(t, e, rb, id, js1, earlier.out)
	waitMessage(t, e, id, "after", earlier.mark)
	return dir, rb, e, stop, id
}

// liftEarlier runs js1 again, its value read this time: after is held by
// js2 again, never launched.
func liftEarlier(t *testing.T, e *Engine, rb *reportBackend, id string) {
	t.Helper()
	rerunWith(t, e, rb, id, "js1", "'ok'\n")
	waitDocumentEnded(t, e, id)
	wantHeldBy(t, rb, waitMessage(t, e, id, "after", stopOf("js", "js2").mark), stopOf("js", "js2").mark)
	wantAfterHeldBy(t, e, id, "js2")
}

// TestEarlierStopLiftedLaterHolds: the earlier stop, which replaced the
// later one as after's holder, is lifted (its block run again, its value
// read): the later one holds after again.
func TestEarlierStopLiftedLaterHolds(t *testing.T) {
	_, rb, e, _, id := laterThenEarlier(t)
	liftEarlier(t, e, rb, id)
}

// TestEarlierStopLiftedLaterHoldsStored: the same, the server started
// again in between: the earlier stop's hold is stored.
func TestEarlierStopLiftedLaterHoldsStored(t *testing.T) {
	dir, rb, _, stop, id := laterThenEarlier(t)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	if _, err := e2.Document(id); err != nil {
		t.Fatal(err)
	}
	if by := stored(e2, id, "after").HeldBy; by != "js1" {
		t.Errorf("after, once the server started again: held by %q, want js1", by)
	}
	liftEarlier(t, e2, rb, id)
}

// TestFoundStopLiftedLaterReleased: a found stop replaces a later
// JavaScript stop as after's holder, then is lifted (its owner run again,
// its results stopping nothing): the JavaScript stop holds after again,
// and lifting that one too (its block run again, its value read) runs
// after.
func TestFoundStopLiftedLaterReleased(t *testing.T) {
	earlier, later := stopOf("found", "efound"), stopOf("js", "ljs")
	e, rb, id := submitToReport(t, stopPairDoc(earlier, later))
	endWith(t, e, rb, id, laterHolds(t, e, rb, id, "efound", later), earlier.out)
	waitMessage(t, e, id, "after", earlier.mark)
	wantAfterHeldBy(t, e, id, "")
	rerunWith(t, e, rb, id, "efound", "plain\n")
	waitMessage(t, e, id, "after", later.mark)
	wantAfterHeldBy(t, e, id, "ljs")
	rerunWith(t, e, rb, id, "ljs", "'ok'\n")
	launchOf(t, rb.fakeBackend, "after", 1)
}

// laterHolds has the later stop (its block ljs) end and then gate, so
// that after is held by the later stop, while block first, launched, has
// not ended: it gives first's attempt.
func laterHolds(t *testing.T, e *Engine, rb *reportBackend, id, first string, later stopKind) *Attempt {
	t.Helper()
	gate := launchOf(t, rb.fakeBackend, "gate", 1)
	a := launchOf(t, rb.fakeBackend, first, 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, later.block, 1), later.out)
	endWith(t, e, rb, id, gate, "gate\n")
	waitState(t, e, id, "after", Finished)
	waitMessage(t, e, id, "after", later.mark)
	return a
}

// rerunWith restarts block name, launched once before, and ends its
// second attempt with out.
func rerunWith(t *testing.T, e *Engine, rb *reportBackend, id, name, out string) {
	t.Helper()
	if err := e.RestartBlock(context.Background(), id, name); err != nil {
		t.Fatal(err)
	}
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, name, 2), out)
}

// wantAfterHeldBy checks that the stored record of block after names
// want as its holder ("" for none, or a found stop).
func wantAfterHeldBy(t *testing.T, e *Engine, id, want string) {
	t.Helper()
	if by := stored(e, id, "after").HeldBy; by != want {
		t.Errorf("after held by %q, want %q", by, want)
	}
}

// TestRefStopLearnedInPassReplacesHolder: a reference error, an earlier
// stop learned while its block is launched (after a later JavaScript stop
// held after), holds after in the same pass's wake: after and the notes
// name it, with nothing else happening in the document.
func TestRefStopLearnedInPassReplacesHolder(t *testing.T) {
	later := stopOf("js", "ljs")
	doc := "#+name: gate\n#+begin_src sh\necho gate\n#+end_src\n\n" +
		"#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n" +
		"#+name: eref\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n" +
		later.text + afterGate
	e, rb, id := submitToReport(t, doc)
	endWith(t, e, rb, id, laterHolds(t, e, rb, id, "block-2", later), "")
	waitStored(t, e, id, "eref", Failed)
	waitDocumentEnded(t, e, id)
	const mark = "for block eref, "
	wantHeldBy(t, rb, waitMessage(t, e, id, "after", mark), mark)
	wantAfterHeldBy(t, e, id, "eref")
}
