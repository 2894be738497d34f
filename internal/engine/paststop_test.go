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
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a :var v=other", 1), "other\n")
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

// wantPastStopWritten checks the results document of id once the stop
// the inline block made is lifted: a's results, made with the value of
// the run of other its reference makes (a run of its own, which writes
// nothing, as Emacs's), are written, and other's and free's, other's
// once.
func wantPastStopWritten(t *testing.T, e *Engine, id string) {
	t.Helper()
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "#+RESULTS: a\n: a other\n") || strings.Count(text, otherResults) != 1 || strings.Count(text, "\n: other\n") != 1 || !strings.Contains(text, "#+RESULTS: free\n: free\n") {
		t.Errorf("results document: want a's, free's and other's results, other's once:\n%s", text)
	}
}

// withAResults is doc, whose first block is a, as Emacs writes it with
// a's results alone, "a other", written under a.
func withAResults(doc string) string {
	return strings.Replace(doc, "#+end_src\n\n", "#+end_src\n\n#+RESULTS: a\n: a other\n\n", 1)
}

// wantAsEmacs checks that the results document of id is want, byte for
// byte, the document Emacs writes.
func wantAsEmacs(t *testing.T, e *Engine, id, want string) {
	t.Helper()
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if text != want {
		t.Errorf("results document:\n%s\nwant, as Emacs writes it:\n%s", text, want)
	}
}

// wantPastStopUnwritten checks the results document of id once the
// inline block stopped pastStopDoc: a's results alone are written, none
// of the blocks past the stop, the document byte for byte the one Emacs
// writes (checked with Emacs 28.2).
func wantPastStopUnwritten(t *testing.T, e *Engine, id string) {
	t.Helper()
	wantAsEmacs(t, e, id, withAResults(pastStopDoc))
}

// pastStopKeptDoc is pastStopDoc with results from before under a, the
// inline block and other (free has none).
const pastStopKeptDoc = "#+name: a\n#+begin_src sh :var v=other\necho \"a $v\"\n#+end_src\n\n#+RESULTS: a\n: old a\n\n" +
	"Text src_sh[:results output]{echo 1; echo 2} {{{results(=old=)}}} here.\n\n" +
	"#+name: other\n#+begin_src sh\necho other\n#+end_src\n\n#+RESULTS: other\n: old other\n\n" +
	"#+name: free\n#+begin_src sh\necho free\n#+end_src\n"

// TestPastStopRefUnwritten: block other stands after an inline block
// whose value Babel refuses inline, which stops the document; block a,
// before that, refers to it. Emacs runs other for the reference, which
// writes nothing, and never reaches its own turn, nor free's. Borges
// makes that run of its own too ("a :var v=other"), which writes
// nothing; other's and free's own runs, which wait for nothing, started
// before the stop was known and ran on, whether they ended before the
// stop was known or after it, but their results are not written: the
// document is byte for byte the one Emacs writes (checked with Emacs
// 28.2), a's results written, the rest as submitted.
func TestPastStopRefUnwritten(t *testing.T) {
	want := strings.Replace(pastStopKeptDoc, ": old a\n", ": a other\n", 1)
	for _, stopFirst := range []bool{false, true} {
		t.Run(map[bool]string{false: "ended before the stop", true: "ended after the stop"}[stopFirst], func(t *testing.T) {
			e, rb, id := submitToReport(t, pastStopKeptDoc)
			pastStopRun(t, e, rb, id, "1\n2\n", stopFirst)
			wantAsEmacs(t, e, id, want)
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
// Babel writes inline: the stop is lifted, the value is written inline,
// and the results of other's and free's runs, which ran past the stop
// and were not written while it stood, are written, other's once; a
// server restarted after the stop, before or after the inline block is
// run again, keeps the decision (the stop is kept on the inline block's
// record).
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
			const lifted = "{{{results(=1=)}}} here."
			waitContains(t, e, id, lifted, "the stop is lifted")
			wantPastStopWritten(t, e, id)
			if c.after {
				stop()
				e, _ = startEngine(t, dir, rb, Config{})
				waitContains(t, e, id, lifted, "the stop was lifted before the server restarted")
				wantPastStopWritten(t, e, id)
			}
		})
	}
}

// TestPastStopRefStored: a server restarted once the document has
// stopped writes what the one that ran it wrote, Emacs's document: a's
// results alone, neither other's nor free's, which ran past the stop,
// and the reference's run writing none.
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
// ends: the run of other a's reference makes writes nothing, and
// other's own run, ended before the stop was known, is not written
// either, as under the inline block's stop: the document is Emacs's
// (checked with Emacs 28.2), a's results alone written.
func TestPastStopRefUnwrittenJS(t *testing.T) {
	const doc = "#+name: a\n#+begin_src sh :var v=other\necho \"a $v\"\n#+end_src\n\n" +
		"#+name: js\n#+begin_src js :results silent\nreturn '   '\n#+end_src\n\n" +
		"#+name: other\n#+begin_src sh\necho other\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	js := launchOf(t, rb.fakeBackend, "js", 1)
	other := launchOf(t, rb.fakeBackend, "other", 1)
	endWith(t, e, rb, id, other, "other\n")
	waitContains(t, e, id, otherResults, "the stop is not known yet")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a :var v=other", 1), "other\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a other\n")
	endWith(t, e, rb, id, js, "'   '\n")
	waitStopNoted(t, e, id)
	waitDocumentEnded(t, e, id)
	wantAsEmacs(t, e, id, withAResults(doc))
}

// pastStopChainDoc has a block before an inline block in a heading with
// no contents (a plan stop), which refers to the last of n blocks after
// it, each block after it (but the first) ordered after the one before
// (:after, which Emacs runs nothing for: a :var chain of n is some
// n*n/2 runs, each reference a run of its own).
func pastStopChainDoc(n int) string {
	var d strings.Builder
	fmt.Fprintf(&d, "#+name: a\n#+begin_src sh :var v=b%d\necho \"a $v\"\n#+end_src\n\n* A src_sh{echo 1}\n* B\n\n", n)
	for i := 1; i <= n; i++ {
		v := ""
		if i > 1 {
			v = fmt.Sprintf(" :after b%d", i-1)
		}
		fmt.Fprintf(&d, "#+name: b%d\n#+begin_src sh%s\necho b%d\n#+end_src\n\n", i, v, i)
	}
	return d.String()
}

// TestPastStopChainUnwritten: over a chain of 300 blocks after a plan
// stop, each ordered after the one before and the last referred to by
// block a, before the stop (whose reference makes a run of its own),
// every block's own run stands past the stop, and its results are not
// written; a's, and the run its reference makes (which writes nowhere),
// are not held.
func TestPastStopChainUnwritten(t *testing.T) {
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
}

// TestPastStopRefViewNote: the views of blocks other and free, whose
// own runs wait for nothing and ran past the stop, started before it was
// known, say so, and that their results are not written; the run a's
// reference makes, which writes nothing, as Emacs's, says nothing of it.
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
	if _, ok := msgs["other"]; !ok {
		t.Fatalf("no view of block other: %v", msgs)
	}
	for _, b := range []string{"other", "free"} {
		if !strings.HasPrefix(msgs[b], ranPastStopPrefix+"6 ") || !strings.Contains(msgs[b], "its results are not written") {
			t.Errorf("%s's message %q does not say it ran past the stop at line 6, its results not written", b, msgs[b])
		}
	}
	if m := msgs["a :var v=other"]; strings.Contains(m, "past the stop") {
		t.Errorf("the run a's reference makes says %q", m)
	}
}

// pastStopFoundDoc is pastStopDoc after a block, code, whose :results
// code output holds a block Babel runs as it searches on (a block found
// in results), before the inline block that stops it.
const pastStopFoundDoc = "#+name: code\n#+begin_src sh :results code\necho 'echo nested'\n#+end_src\nText right after.\n\n" + pastStopDoc

// TestPastStopRefFoundSearched: with a block found in results, the
// results searched for the blocks found in them are those write-back
// writes: other's and free's own runs, past the inline block's stop,
// ended before the stop was known, are not written, nor is the run a's
// reference makes, and the found block's results are: the document is
// Emacs's (checked with Emacs 28.2).
func TestPastStopRefFoundSearched(t *testing.T) {
	e, rb, id := submitToReport(t, pastStopFoundDoc)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "other", 1), "other\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "free", 1), "free\n")
	waitContains(t, e, id, otherResults, "the stop is not known yet")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "code", 1), "echo nested\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "code-found-1", 1), "nested\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "inline-1", 1), "1\n2\n")
	waitStopNoted(t, e, id)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a :var v=other", 1), "other\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a other\n")
	waitDocumentEnded(t, e, id)
	want := strings.Replace(pastStopFoundDoc, "#+end_src\nText right after.", "#+end_src\n\n#+RESULTS: code\n#+begin_src sh\necho nested\n#+end_src\n\n#+RESULTS:\n: nested\n\nText right after.", 1)
	want = strings.Replace(want, "echo \"a $v\"\n#+end_src\n\n", "echo \"a $v\"\n#+end_src\n\n#+RESULTS: a\n: a other\n\n", 1)
	wantAsEmacs(t, e, id, want)
}

// pastStopKindsDoc has block a, then an inline block whose value Babel
// refuses inline (it stops org-babel-execute-buffer there), then, past
// the stop, each waiting for nothing and each with results from before
// but the last two: an inline block, blocks under :results append,
// prepend and file, a block with a :post, the block its :post calls,
// and a block with none.
const pastStopKindsDoc = "#+name: a\n#+begin_src sh\necho a\n#+end_src\n\n#+RESULTS: a\n: old a\n\n" +
	"Text src_sh[:results output]{echo 1; echo 2} here.\n\n" +
	"Inline src_sh{echo 3} {{{results(=old 3=)}}} after.\n\n" +
	"#+name: app\n#+begin_src sh :results append\necho app\n#+end_src\n\n#+RESULTS: app\n: old app\n\n" +
	"#+name: pre\n#+begin_src sh :results prepend\necho pre\n#+end_src\n\n#+RESULTS: pre\n: old pre\n\n" +
	"#+name: f\n#+begin_src sh :results file :file out.txt\necho f\n#+end_src\n\n#+RESULTS: f\n[[file:old.txt]]\n\n" +
	"#+name: withpost\n#+begin_src sh :post tr(x=*this*)\necho wp\n#+end_src\n\n#+RESULTS: withpost\n: old wp\n\n" +
	"#+name: tr\n#+begin_src sh :var x=\"\"\necho \"tr $x\"\n#+end_src\n\n" +
	"#+name: none\n#+begin_src sh\necho none\n#+end_src\n"

// TestPastStopKindsKept: every block past the stop, started before the
// stop was known (each waits for nothing), runs on, whether it ended
// before the stop was known (its results written meanwhile, the :post
// of one run then) or after it; once the stop is known, none of their
// results is written: not the inline block's value, nothing appended
// or prepended, no link to the file written, not the :post's value,
// not the results of the block with none. The document is byte for
// byte the one Emacs writes (checked with Emacs 28.2): a's results
// alone written, the rest as submitted.
func TestPastStopKindsKept(t *testing.T) {
	want := strings.Replace(pastStopKindsDoc, ": old a\n", ": a\n", 1)
	past := []string{"inline-2", "app", "pre", "f", "withpost", "tr", "none"}
	for _, stopFirst := range []bool{false, true} {
		t.Run(map[bool]string{false: "ended before the stop", true: "ended after the stop"}[stopFirst], func(t *testing.T) {
			e, rb, id := submitToReport(t, pastStopKindsDoc)
			stop := launchOf(t, rb.fakeBackend, "inline-1", 1)
			endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a\n")
			if stopFirst {
				endWith(t, e, rb, id, stop, "1\n2\n")
				waitStopNoted(t, e, id)
			}
			for _, name := range past {
				endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, name, 1), name+"\n")
			}
			if !stopFirst {
				endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "withpost :post tr(x=*this*)", 1), "tr wp\n")
				// The stop is not known yet: their results are written.
				for _, w := range []string{"{{{results(=inline-2=)}}} after.", "#+RESULTS: f\n[[file:out.txt]]\n", "#+RESULTS: withpost\n: tr wp\n"} {
					waitContains(t, e, id, w, "the stop is not known yet")
				}
				endWith(t, e, rb, id, stop, "1\n2\n")
				waitStopNoted(t, e, id)
			}
			d := endedFinishingLaunched(t, e, rb, id)
			for _, name := range past {
				wantRanPast(t, d, name, 9)
			}
			wantAsEmacs(t, e, id, want)
		})
	}
}

// pastStopFoundAfterDoc is pastStopDoc with block code, whose :results
// code output holds a block Babel runs as it searches on (a block found
// in results), past the stop.
const pastStopFoundAfterDoc = pastStopDoc + "\n#+name: code\n#+begin_src sh :results code\necho 'echo nested'\n#+end_src\nText right after.\n"

// TestPastStopFoundInUnwritten: code, past the stop, and the block found
// in its results ran before the stop was known, their results written
// meanwhile; once the stop is known neither is: the document is
// Emacs's, a's results alone written.
func TestPastStopFoundInUnwritten(t *testing.T) {
	e, rb, id := submitToReport(t, pastStopFoundAfterDoc)
	stop := launchOf(t, rb.fakeBackend, "inline-1", 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "code", 1), "echo nested\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "code-found-1", 1), "nested\n")
	waitContains(t, e, id, "#+RESULTS:\n: nested\n", "the stop is not known yet")
	endWith(t, e, rb, id, stop, "1\n2\n")
	waitStopNoted(t, e, id)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a :var v=other", 1), "other\n")
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "a", 1), "a other\n")
	endedFinishingLaunched(t, e, rb, id)
	wantAsEmacs(t, e, id, withAResults(pastStopFoundAfterDoc))
}

// TestPastStopWithEmacsLisp: in a document with an Emacs Lisp block,
// free, past the inline block's stop, started before the stop was known
// and its results written meanwhile, is not written once the stop is
// known, and the Emacs Lisp block after it is held: the document is as
// submitted, as Emacs, stopped at the inline block, leaves it.
func TestPastStopWithEmacsLisp(t *testing.T) {
	const doc = "Text src_sh[:results output]{echo 1; echo 2} here.\n\n" +
		"#+name: free\n#+begin_src sh\necho free\n#+end_src\n\n#+RESULTS: free\n: old free\n\n" +
		"#+name: el\n#+begin_src emacs-lisp\n(+ 1 2)\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	stop := launchOf(t, rb.fakeBackend, "inline-1", 1)
	endWith(t, e, rb, id, launchOf(t, rb.fakeBackend, "free", 1), "free\n")
	waitContains(t, e, id, "#+RESULTS: free\n: free\n", "the stop is not known yet")
	endWith(t, e, rb, id, stop, "1\n2\n")
	waitStopNoted(t, e, id)
	d := endedFinishingLaunched(t, e, rb, id)
	wantRanPast(t, d, "free", 1)
	if m, _ := blockMessage(d, "el"); !strings.HasPrefix(m, failStopAt+"1,") {
		t.Errorf("el: %q, want held by the stop at line 1", m)
	}
	wantAsEmacs(t, e, id, doc)
}
