package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

// TestFailedNilStop: a block that exits non-zero where its language's
// function uses org-babel-eval's nil as text (plan.FailureStop: ob-perl
// inserts it under :results output, ob-python and ob-ruby trim or escape
// it under :results output table) stops the document there, known when
// it ends: the block after it that had not started is not run and says
// Emacs's error, and its results stay as they were.
func TestFailedNilStop(t *testing.T) {
	for _, c := range []struct{ head, why string }{
		{"perl :results output", plan.PerlOutputNilError},
		{"perl :results output silent", plan.PerlOutputNilError},
		{"python :results output table", plan.PythonTableNilError},
		{"ruby :results output table", plan.RubyTableNilError},
		{"python :results output table silent", plan.PythonTableNilError},
		{"perl :results output none", plan.PerlOutputNilError},
	} {
		t.Run(c.head, func(t *testing.T) {
			e, rb, id := submitToReport(t, "#+name: stop\n#+begin_src "+c.head+"\ndie;\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"+slowAfter)
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			d := stopThenSlowEnded(t, e, rb, id, stop, launchOf(t, rb.fakeBackend, "slow", 1), "partial\n", Failed)
			stoppedBeforeAfter(t, rb, d, 2, 1, c.why)
			resultsKept(t, e, id, "#+RESULTS: stop\n: old\n")
		})
	}
}

// TestFailedNilNoStop: a Perl value block that fails (ob-perl skips
// org-babel-eval's nil), and a Perl output block the user said may fail
// (:on-failure continue, Borges's own), stop nothing: the block after
// them runs.
func TestFailedNilNoStop(t *testing.T) {
	for _, head := range []string{"perl", "perl :results output :on-failure continue"} {
		t.Run(head, func(t *testing.T) {
			e, rb, id := submitToReport(t, "#+name: stop\n#+begin_src "+head+"\ndie;\n#+end_src\n\n"+slowAfter)
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			rb.setOutput(stop.ID, "partial\n")
			finish(rb.fakeBackend, stop, Failed, 1)
			waitState(t, e, id, "stop", Failed)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "slow", 1), Finished, 0)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, afterSlowRun, 1), Finished, 0)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
			noStop(t, waitDocumentEnded(t, e, id))
		})
	}
}

// TestInlineFailedNilStop: an inline Perl block :results output (or a
// Python or Ruby one :results output table) that exits non-zero stops
// Emacs with its language's error, signalled before Babel looks at the
// inline result: not Babel's "Inline error: list result cannot be used".
// The block after it that had not started is not run, and the inline
// block's result is not written. (A table inline is refused by Babel
// when the block runs well, a stop the plan knows: the blocks after it
// are not run whatever it ends with, but say the error it made.)
func TestInlineFailedNilStop(t *testing.T) {
	for _, c := range []struct {
		inline, why string
		planned     bool
	}{
		{`src_perl[:results output]{print "x"; exit 3}`, plan.PerlOutputNilError, false},
		{`src_python[:results output table]{import sys; sys.exit(2)}`, plan.PythonTableNilError, true},
		{`src_ruby[:results output table]{exit 1}`, plan.RubyTableNilError, true},
	} {
		t.Run(c.inline[:strings.Index(c.inline, "[")], func(t *testing.T) {
			doc := strings.Replace(inlineStopDoc, "src_sh[:results output]{echo 1; echo 2}", c.inline, 1)
			e, rb, id := submitToReport(t, doc)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "before", 1), Finished, 0)
			in := launchOf(t, rb.fakeBackend, "inline-1", 1)
			var slow *Attempt
			if !c.planned {
				slow = launchOf(t, rb.fakeBackend, "slow", 1)
			}
			rb.setOutput(in.ID, "x")
			finish(rb.fakeBackend, in, Failed, 3)
			waitState(t, e, id, "inline-1", Failed)
			if slow != nil {
				finish(rb.fakeBackend, slow, Finished, 0)
			}
			if endedOrLaunched(e, rb, id, "after") {
				t.Fatal("after launched: the failed inline block did not stop the document")
			}
			d := waitDocumentEnded(t, e, id)
			m, _ := blockMessage(d, "after")
			if !strings.HasPrefix(m, failStopAt+"6, for block inline-1, ") || !strings.HasSuffix(m, ": "+c.why) {
				t.Errorf("after: %q, want held by the stop at line 6 with %q", m, c.why)
			}
			notes := strings.Join(d.Notes, "\n")
			if strings.Count(notes, "stops this document") != 1 || !strings.Contains(notes, c.why) || strings.Contains(notes, "Inline error") {
				t.Errorf("notes: %q, want the one stop at the inline block with %q", notes, c.why)
			}
			text, err := e.ResultDocument(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(text, c.inline+" here.\n") {
				t.Errorf("results document, a result written in place of the stopped inline block:\n%s", text)
			}
		})
	}
}

// TestInlineFailedNilStopWithPost: an inline Perl block :results output
// with a :post that exits non-zero stops Emacs with ob-perl's error,
// signalled inside org-babel-execute:perl, before Babel calls the :post
// (checked with Emacs 28.2: TestAgainstEmacs/perlstop:_perl_inline_output_dies_with_a_post):
// the :post is not run, nothing is written inline, and the block after
// it that had not started is not run.
func TestInlineFailedNilStopWithPost(t *testing.T) {
	doc := strings.Replace(postStopDoc, "src_sh[:post twice(x=*this*) :results output]{echo p}",
		`src_perl[:post twice(x=*this*) :results output]{print "p"; exit 3}`, 1)
	e, rb, id := submitToReport(t, doc)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
	in := launchOf(t, rb.fakeBackend, "inline-1", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	inlineExitsThenSlow(t, e, rb, id, in, slow, "p")
	if endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after launched: the failed inline Perl block did not stop the document")
	}
	d := waitDocumentEnded(t, e, id)
	if launchedBlock(rb, "inline-1 :post twice(x=*this*)") {
		t.Error("the :post of the inline Perl block ran: ob-perl signals before Babel calls it")
	}
	m, _ := blockMessage(d, "after")
	if !strings.HasPrefix(m, failStopAt+"6, for block inline-1") || !strings.HasSuffix(m, ": "+plan.PerlOutputNilError) {
		t.Errorf("after: %q, want held by the stop at line 6 with %q", m, plan.PerlOutputNilError)
	}
	text, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, `{print "p"; exit 3} here.`+"\n") {
		t.Errorf("results document, a result written in place of the stopped inline block:\n%s", text)
	}
}

// TestFailedNilStopWithPost: a Perl output block with a :post that exits
// non-zero stops Emacs before Babel calls the :post
// (TestAgainstEmacs/perlstop:_perl_output_dies_with_a_post): the :post
// is not run, the block's results stay as they were, nothing of the
// :post written in their place.
func TestFailedNilStopWithPost(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: twice\n#+begin_src sh :var x=\"\" :results output\necho \"$x\"; echo \"$x\"\n#+end_src\n\n"+
		"#+name: stop\n#+begin_src perl :results output :post twice(x=*this*)\ndie;\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"+slowAfter)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "twice", 1), Finished, 0)
	stop := launchOf(t, rb.fakeBackend, "stop", 1)
	d := stopThenSlowEnded(t, e, rb, id, stop, launchOf(t, rb.fakeBackend, "slow", 1), "partial\n", Failed)
	if launchedBlock(rb, "stop :post twice(x=*this*)") {
		t.Error("the :post of the failed Perl block ran: ob-perl signals before Babel calls it")
	}
	if m, _ := blockMessage(d, "after"); !strings.HasSuffix(m, ": "+plan.PerlOutputNilError) {
		t.Errorf("after: %q, want held by the stop with %q", m, plan.PerlOutputNilError)
	}
	resultsKept(t, e, id, "#+RESULTS: stop\n: old\n\n#+name: slow")
}

// TestPostFailedNilStop: a block whose :post calls a Perl :results output
// block that exits non-zero: Babel runs that block inside the :post,
// where ob-perl inserts org-babel-eval's nil as text and signals, so
// Emacs stops at the calling block, its results as they were, the block
// after it not run (TestAgainstEmacs/perlstop:_post_is_a_perl_output_block_that_dies).
// No failure drawer ending ": nil" is written over the old results, and
// the stop is not put at the called block's own line, further down.
func TestPostFailedNilStop(t *testing.T) {
	postFailedStop(t, "#+name: stop\n#+begin_src sh :results output :post wrap(x=*this*)\necho partial\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"+
		slowAfter+"\n#+name: wrap\n#+begin_src perl :var x=\"none\" :results output\nprint \"<$x>\\n\"; exit 4;\n#+end_src\n",
		"partial\n", "wrap(x=*this*)", "<partial\n>\n", 1, plan.PerlOutputNilError)
}

// postFailedStop runs doc, whose block stop (at line) prints stopOut and
// has a :post calling call, which prints postOut and exits 4: the failed
// :post task stops the document at stop with why, once its end is
// weighed (without that, "after" is launched instead: it fails here at
// once, saying so), not at the called block's own line, further down;
// "after" is not run and stop's results stay as they were.
func postFailedStop(t *testing.T, doc, stopOut, call, postOut string, line int, why string) {
	t.Helper()
	e, rb, id := submitToReport(t, doc)
	stop := launchOf(t, rb.fakeBackend, "stop", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	finishWith(rb.fakeBackend, stop, stopOut)
	post := launchOf(t, rb.fakeBackend, "stop :post "+call, 1)
	postStopsAtCaller(t, e, rb, id, post, slow, call, postOut, line, why)
}

// postStopsAtCaller ends post, the attempt of block stop's :post making
// call, as the called block exiting 4 having printed out, then slow's,
// and checks that the document stops at stop (at line) with why, its
// results kept, the block after not run.
func postStopsAtCaller(t *testing.T, e *Engine, rb *reportBackend, id string, post, slow *Attempt, call, out string, line int, why string) {
	t.Helper()
	rb.setOutput(post.ID, out)
	finish(rb.fakeBackend, post, Failed, 4)
	waitState(t, e, id, "stop :post "+call, Failed)
	finish(rb.fakeBackend, slow, Finished, 0)
	m := heldOrLaunched(t, e, rb, id, "after")
	if !strings.HasPrefix(m, failStopAt+strconv.Itoa(line)+", for block stop") || !strings.HasSuffix(m, ": "+why) {
		t.Fatalf("after: %q, want held by the stop at line %d (block stop) with %q", m, line, why)
	}
	if callee, _, _ := strings.Cut(call, "("); launchedBlock(rb, callee) {
		// Its own turn is after the stop; launched before it was
		// known, it runs on.
		finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, callee, 1), Failed, 4)
	}
	waitDocumentEnded(t, e, id)
	if launchedBlock(rb, "after") {
		t.Error("after launched: the :post's failed block did not stop the document")
	}
	resultsKept(t, e, id, "#+RESULTS: stop\n: old\n\n#+name: slow")
}

// heldOrLaunched waits until block name of document id says it was not
// run because of a stop, and returns that message; it fails at once if
// name is launched instead, or if neither happens before a generous
// give-up.
func heldOrLaunched(t *testing.T, e *Engine, rb *reportBackend, id, name string) string {
	t.Helper()
	var m string
	for range 4000 {
		if launchedBlock(rb, name) {
			t.Fatalf("%s launched: no stop held it (its message %q)", name, m)
		}
		d, _ := e.Document(id)
		if m, _ = blockMessage(d, name); strings.HasPrefix(m, "not run: ") {
			return m
		}
		// The runs name's :var references make, which it waits for,
		// finished as they launch (started before the stop is known,
		// they run on).
		finishRefRuns(rb, d, name)
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s: %q, neither held by a stop nor launched", name, m)
	return ""
}
