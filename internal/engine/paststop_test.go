package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// pastStopDoc has block a, which refers to block other, an inline block
// at line 6 whose output may have several lines (a value Babel refuses
// inline, which stops org-babel-execute-buffer there), other after it,
// and free, after it too, which no block refers to.
const pastStopDoc = "#+name: a\n#+begin_src sh :var v=other\necho \"a $v\"\n#+end_src\n\n" +
	"Text src_sh[:results output]{echo 1; echo 2} here.\n\n" +
	"#+name: other\n#+begin_src sh\necho other\n#+end_src\n\n" +
	"#+name: free\n#+begin_src sh\necho free\n#+end_src\n"

// otherResults are the results of block other, written under it.
const otherResults = "#+RESULTS: other\n: other\n"

// pastStopRun launches the blocks of pastStopDoc (a once other has
// ended) and ends them, the inline block with out, before other ends
// (stopFirst) or after every other block.
func pastStopRun(t *testing.T, e *Engine, rb *reportBackend, id, out string, stopFirst bool) {
	t.Helper()
	in := launchOf(t, rb.fakeBackend, "inline-1", 1)
	other := launchOf(t, rb.fakeBackend, "other", 1)
	free := launchOf(t, rb.fakeBackend, "free", 1)
	endWith(t, e, rb, id, free, "free\n")
	if stopFirst {
		endWith(t, e, rb, id, in, out)
		waitStopNoted(t, e, id)
	}
	endWith(t, e, rb, id, other, "other\n")
	if !stopFirst {
		// The stop is not known yet: other's results are written.
		waitContains(t, e, id, otherResults, "the stop is not known yet")
	}
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a other\n")
	if !stopFirst {
		endWith(t, e, rb, id, in, out)
	}
	waitDocumentEnded(t, e, id)
}

// waitContains waits, bounded, until the results document of id holds
// want, and fails the test saying why it should when it never does.
func waitContains(t *testing.T, e *Engine, id, want, why string) {
	t.Helper()
	if text := waitResults(t, e, id, want); !strings.Contains(text, want) {
		t.Fatalf("%q not written, though %s:\n%s", want, why, text)
	}
}

// waitStopNoted waits, bounded, until the notes of document id say that
// it stops (the inline block's value read).
func waitStopNoted(t *testing.T, e *Engine, id string) {
	t.Helper()
	for range 4000 {
		if d, _ := e.Document(id); d != nil && strings.Contains(strings.Join(d.Notes, "\n"), "stops this document") {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the inline block's refused value never stopped the document")
}

// wantPastStopUnwritten checks the results document of id once the
// inline block stopped it: a's results, made with other's value, are
// written; other's, run for that reference, whose own turn Emacs never
// reaches, are not; free's, which Borges ran before the stop was known,
// are (Borges runs at once what waits for nothing).
func wantPastStopUnwritten(t *testing.T, e *Engine, id string) {
	t.Helper()
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "#+RESULTS: a\n: a other\n") || strings.Contains(text, otherResults) || !strings.Contains(text, "#+RESULTS: free\n: free\n") {
		t.Errorf("results document: want a's and free's results, not other's:\n%s", text)
	}
}

// TestPastStopRefUnwritten: block other stands after an inline block
// whose value Babel refuses inline, which stops the document; block a,
// before that, refers to it. Emacs runs other for the reference, which
// writes nothing, and never reaches its own turn: its results are not
// written, whether other ended before the stop was known (written until
// then) or after it.
func TestPastStopRefUnwritten(t *testing.T) {
	for _, stopFirst := range []bool{false, true} {
		t.Run(map[bool]string{false: "ended before the stop", true: "ended after the stop"}[stopFirst], func(t *testing.T) {
			e, rb, id := submitToReport(t, pastStopDoc)
			pastStopRun(t, e, rb, id, "1\n2\n", stopFirst)
			wantPastStopUnwritten(t, e, id)
		})
	}
}

// TestPastStopRefNoStop: the inline block's value is one line, written
// inline: nothing stops the document, and other's results are written at
// its own turn.
func TestPastStopRefNoStop(t *testing.T) {
	e, rb, id := submitToReport(t, pastStopDoc)
	pastStopRun(t, e, rb, id, "1\n", false)
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, otherResults) || !strings.Contains(text, "Text src_sh[:results output]{echo 1; echo 2} {{{results(=1=)}}} here.") {
		t.Errorf("results document: want other's results and the inline value:\n%s", text)
	}
}

// TestPastStopRefLifted: the inline block run again ends with a value
// Babel writes inline: the stop is lifted, other's turn comes, and its
// results are written; a server restarted after the stop, before or
// after the inline block is run again, keeps the decision (the stop is
// kept on the inline block's record).
func TestPastStopRefLifted(t *testing.T) {
	for _, c := range []struct {
		name          string
		before, after bool // a server restart before the block is run again, after it
	}{
		{"no restart", false, false},
		{"restart at the stop", true, false},
		{"restart once lifted", false, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir, rb, e, stop, id := submitOnDisk(t, pastStopDoc)
			pastStopRun(t, e, rb, id, "1\n2\n", false)
			wantPastStopUnwritten(t, e, id)
			if c.before {
				stop()
				e, stop = startEngine(t, dir, rb, Config{})
				wantPastStopUnwritten(t, e, id)
			}
			if err := e.RestartBlock(context.Background(), id, "inline-1"); err != nil {
				t.Fatal(err)
			}
			endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 2), "1\n")
			waitDocumentEnded(t, e, id)
			waitContains(t, e, id, otherResults, "the stop is lifted")
			if c.after {
				stop()
				e, _ = startEngine(t, dir, rb, Config{})
				waitContains(t, e, id, otherResults, "the stop was lifted before the server restarted")
			}
		})
	}
}

// TestPastStopRefStored: a server restarted once the document has
// stopped writes other's results no more than the one that ran it.
func TestPastStopRefStored(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, pastStopDoc)
	pastStopRun(t, e, rb, id, "1\n2\n", true)
	wantPastStopUnwritten(t, e, id)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	waitDocumentEnded(t, e2, id)
	wantPastStopUnwritten(t, e2, id)
}

// TestPastStopRefUnwrittenJS: the stop before other is a JavaScript
// block's value Emacs cannot read (:results silent), known when it
// ends: other, run for a's reference, writes no results either.
func TestPastStopRefUnwrittenJS(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: a\n#+begin_src sh :var v=other\necho \"a $v\"\n#+end_src\n\n"+
		"#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n"+
		"#+name: other\n#+begin_src sh\necho other\n#+end_src\n")
	js := launchOf(t, rb.fakeBackend, "js", 1)
	other := launchOf(t, rb.fakeBackend, "other", 1)
	endWith(t, e, rb, id, other, "other\n")
	waitContains(t, e, id, otherResults, "the stop is not known yet")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a other\n")
	endWith(t, e, rb, id, js, "'   '\n")
	waitStopNoted(t, e, id)
	waitDocumentEnded(t, e, id)
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "#+RESULTS: a\n: a other\n") || strings.Contains(text, otherResults) {
		t.Errorf("results document: want a's results, not other's:\n%s", text)
	}
}

// pastStopChainDoc has a block before an inline block in a heading with
// no contents (a plan stop), which refers to the last of n blocks after
// it, each block after it (but the first) referring to the one before.
func pastStopChainDoc(n int) string {
	var d strings.Builder
	fmt.Fprintf(&d, "#+name: a\n#+begin_src sh :var v=b%d\necho \"a $v\"\n#+end_src\n\n* A src_sh{echo 1}\n* B\n\n", n)
	for i := 1; i <= n; i++ {
		v := ""
		if i > 1 {
			v = fmt.Sprintf(" :var x=b%d", i-1)
		}
		fmt.Fprintf(&d, "#+name: b%d\n#+begin_src sh%s\necho b%d\n#+end_src\n\n", i, v, i)
	}
	return d.String()
}

// TestPastStopNeededOnce: which blocks after the stop a block before it
// needs is found once per results document, by one walk of the
// document's references, not a walk per block: over a chain of 300
// blocks after the stop, every block is needed (block a refers to the
// last), and the references looked at stay within the document's count
// (a walk per block looks at some 45,000).
func TestPastStopNeededOnce(t *testing.T) {
	const n = 300
	e, _, id := submitToReport(t, pastStopChainDoc(n))
	e.mu.Lock()
	defer e.mu.Unlock()
	ds := e.docs[id]
	p := &pastStop{ds: ds}
	for _, b := range ds.blocks {
		if b.task == nil {
			continue
		}
		want := strings.HasPrefix(b.name, "b")
		if got := p.unwrittenPastStop(b); got != want {
			t.Errorf("block %s (line %d): unwritten %v, want %v", b.name, b.line, got, want)
		}
	}
	if p.walked > 4*(n+2) {
		t.Errorf("%d references looked at for %d blocks with %d references: a walk per block", p.walked, n+2, n)
	}
}

// TestPastStopRefViewNote: the view of block other, run for a's
// reference and finished, says that its results are not written, its
// own turn standing past the stop at the inline block's line; free's,
// which no block before the stop needs, says nothing of it.
func TestPastStopRefViewNote(t *testing.T) {
	e, rb, id := submitToReport(t, pastStopDoc)
	pastStopRun(t, e, rb, id, "1\n2\n", true)
	d, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	msgs := map[string]string{}
	for _, b := range d.Blocks {
		for _, in := range b.Instances {
			msgs[b.Name] += in.Message
		}
	}
	if want := "results not written: run for a reference of a block before the stop at line 6"; !strings.Contains(msgs["other"], want) {
		t.Errorf("other's message %q, want it to hold %q", msgs["other"], want)
	}
	if strings.Contains(msgs["free"], "results not written") {
		t.Errorf("free's message %q says its results are not written", msgs["free"])
	}
}

// pastStopFoundDoc is pastStopDoc after a block, code, whose :results
// code output holds a block Babel runs as it searches on (a block found
// in results), before the inline block that stops it.
const pastStopFoundDoc = "#+name: code\n#+begin_src sh :results code\necho 'echo nested'\n#+end_src\nText right after.\n\n" + pastStopDoc

// TestPastStopRefFoundSearched: with a block found in results, the
// results searched for the blocks found in them are those write-back
// writes: other's, run for a's reference, past the inline block's stop,
// are not written, though other ended, and code's results were searched,
// before the stop was known.
func TestPastStopRefFoundSearched(t *testing.T) {
	e, rb, id := submitToReport(t, pastStopFoundDoc)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "other", 1), "other\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "free", 1), "free\n")
	waitContains(t, e, id, otherResults, "the stop is not known yet")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "code", 1), "echo nested\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "code-found-1", 1), "nested\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), "1\n2\n")
	waitStopNoted(t, e, id)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a other\n")
	waitDocumentEnded(t, e, id)
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "#+RESULTS:\n: nested\n") || !strings.Contains(text, "#+RESULTS: a\n: a other\n") || strings.Contains(text, otherResults) {
		t.Errorf("results document: want the found block's and a's results, not other's:\n%s", text)
	}
}
