package engine

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// postBindStopDoc has a :post that stops Emacs once its block has run:
// pa, called with main's table keeping its rule (Python's None), is
// :cache yes, and its hash binds the table as bash does ("Wrong type
// argument: listp, hline", checked with Emacs 28.2). main has old
// results, which Emacs leaves as they were: it resolves the :post
// before org-babel-insert-result.
const postBindStopDoc = "#+name: pa\n#+begin_src sh :cache yes :var x=\"\" :hlines yes :colnames no :results output\necho \"post $x\"\n#+end_src\n\n" +
	"#+name: main\n#+begin_src python :post pa(x=*this*)\nreturn [[\"k\", \"v\"], None, [\"a\", 1]]\n#+end_src\n\n#+RESULTS: main\n: old main\n\n" +
	slowAfter

// TestPostStopKeepsBlockResults: a :post that stops the document as it
// starts (a binding's error known once its block has run) leaves the
// block's results as they were, not the block's own value: Emacs stops
// before it writes any. The block after is not run; so after a server
// restart too.
func TestPostStopKeepsBlockResults(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, postBindStopDoc)
	d := postBindStopped(t, rb, e, id)
	const line = "6"
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+line+", ") || !strings.Contains(m, "listp, hline") {
		t.Errorf("after: %q, want not run for the stop at main (line %s)", m, line)
	}
	if m, _ := blockMessage(d, "main"); m != postStopKept {
		t.Errorf("main: %q, want %q: its results were not written", m, postStopKept)
	}
	const kept = "#+RESULTS: main\n: old main\n"
	written := func(e *Engine) string {
		t.Helper()
		out, err := e.ResultDocument(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	if out := written(e); !strings.Contains(out, kept) || strings.Contains(out, "| k") {
		t.Errorf("written back:\n%s\nwant main's results as they were (Emacs writes none)", out)
	}
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	if out := written(e2); !strings.Contains(out, kept) || strings.Contains(out, "| k") {
		t.Errorf("written back once the server started again:\n%s\nwant main's results as they were", out)
	}
}

// TestPostReadStopKeepsBlockResults: a :post calling a JavaScript
// block whose value Emacs cannot read stops the document once the :post
// has run (plan.Task.FailureStops): the block's results stay as they
// were, so after a server restart as well.
func TestPostReadStopKeepsBlockResults(t *testing.T) {
	postEndStopKept(t, "js :var x=\"\"\nreturn '   '", "1\n", func(rb *reportBackend, post *Attempt) {
		rb.setOutput(post.ID, "'   '\n")
		finish(rb.fakeBackend, post, Finished, 0)
	})
}

// postEndStopKept runs a document whose block main has a :post calling
// block f (its language, header arguments and body: callee), which gives
// calleeOut at its own turn; end ends the :post's attempt so that it
// stops the document, known once it has run. The notes say the stop
// is at main, main's view that its results were kept, and main's old
// results stay written, so after a server restart as well.
func postEndStopKept(t *testing.T, callee, calleeOut string, end func(rb *reportBackend, post *Attempt)) {
	t.Helper()
	doc := "#+name: f\n#+begin_src " + callee + "\n#+end_src\n\n" +
		"#+name: main\n#+begin_src sh :post f(x=*this*)\necho main\n#+end_src\n\n#+RESULTS: main\n: old main\n"
	dir, rb, e, stop, id := submitOnDisk(t, doc)
	endLaunch(t, rb, "f", 1, calleeOut, Finished)
	endLaunch(t, rb, "main", 1, "main\n", Finished)
	end(rb, launchOf(t, rb.fakeBackend, "main :post f(x=*this*)", 1))
	mainStopKept(t, dir, rb, e, stop, id, 6)
}

// mainStopKept checks that document id, ended, stopped at block main (at
// line) inside its :post chain, main's results kept as they were, so
// after a server restart as well.
func mainStopKept(t *testing.T, dir string, rb *reportBackend, e *Engine, stop func(), id string, line int) {
	t.Helper()
	d := waitDocumentEnded(t, e, id)
	if !strings.Contains(strings.Join(d.Notes, "\n"), "stops this document at the block at line "+strconv.Itoa(line)) {
		t.Errorf("notes %q: want the stop at main", d.Notes)
	}
	if m, _ := blockMessage(d, "main"); m != postStopKept {
		t.Errorf("main: %q, want %q", m, postStopKept)
	}
	const kept = "#+RESULTS: main\n: old main\n"
	resultsKept(t, e, id, kept)
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	resultsKept(t, e2, id, kept)
}

// TestPostStopKeepsReferrersResults: blocks referring to a block whose
// :post stops the document, one before it (ref, where Emacs stops, as
// it resolves ref's :var) and one after, are not run and keep their
// results as they were, as Emacs leaves them: no failure drawer, and no
// "dependency main failed" (main finished; its :post stopped Emacs).
func TestPostStopKeepsReferrersResults(t *testing.T) {
	const doc = "#+name: pa\n#+begin_src sh :cache yes :var x=\"\" :hlines yes :colnames no :results output\necho \"post $x\"\n#+end_src\n\n" +
		"#+name: ref\n#+begin_src sh :var m=main\necho \"ref $m\"\n#+end_src\n\n#+RESULTS: ref\n: old ref\n\n" +
		"#+name: main\n#+begin_src python :post pa(x=*this*)\nreturn [[\"k\", \"v\"], None, [\"a\", 1]]\n#+end_src\n\n#+RESULTS: main\n: old main\n\n" +
		"#+name: after\n#+begin_src sh :var m=main\necho \"after $m\"\n#+end_src\n\n#+RESULTS: after\n: old after\n"
	dir, rb, e, stop, id := submitOnDisk(t, doc)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "pa", 1), "post \n")
	// ref's reference runs main again (a run of its own, as in Emacs):
	// that run's :post stops Emacs. main's own run, started beside
	// before the stop was known, runs on, its :post stopping as well.
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "ref :var m=main", 1), `[["k", "v"], None, ["a", 1]]`)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "main", 1), `[["k", "v"], None, ["a", 1]]`)
	d := endedFinishingLaunched(t, e, rb, id)
	// Emacs stops in ref (line 6), resolving its :var.
	for name, prefix := range map[string]string{"ref": failStopIn + "6, ", "after": failStopAt + "6, "} {
		if m, _ := blockMessage(d, name); !strings.HasPrefix(m, prefix) || !strings.Contains(m, "listp, hline") {
			t.Errorf("%s: %q, want not run for the stop in ref (main finished; its :post stopped Emacs)", name, m)
		}
	}
	kept := []string{"#+RESULTS: ref\n: old ref\n", "#+RESULTS: main\n: old main\n", "#+RESULTS: after\n: old after\n"}
	for _, k := range kept {
		resultsKept(t, e, id, k)
	}
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	for _, k := range kept {
		resultsKept(t, e2, id, k)
	}
}

// TestPostReadStopReadFailsOnce: once the server has started again, the
// first read of main's output fails (the agent cannot be reached): that
// is not taken for an output Emacs reads, and kept so until the next
// attempt. Once the reads succeed, main's results are kept as they were,
// the JavaScript :post's value stopping the document as it did.
func TestPostReadStopReadFailsOnce(t *testing.T) {
	const doc = "#+name: js\n#+begin_src js :var x=\"\"\nreturn '   '\n#+end_src\n\n" +
		"#+name: main\n#+begin_src sh :post js(x=*this*)\necho main\n#+end_src\n\n#+RESULTS: main\n: old main\n"
	dir := t.TempDir()
	fr := &failingReads{reportBackend: newReportBackend()}
	e, stop := startEngine(t, dir, fr, Config{})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	endLaunch(t, fr.reportBackend, "js", 1, "1\n", Finished)
	endLaunch(t, fr.reportBackend, "main", 1, "main\n", Finished)
	endLaunch(t, fr.reportBackend, "main :post js(x=*this*)", 1, "'   '\n", Finished)
	waitDocumentEnded(t, e, v.ID)
	const kept = "#+RESULTS: main\n: old main\n"
	resultsKept(t, e, v.ID, kept)
	stop()
	fr.failReads(true)
	e2, _ := startEngine(t, dir, fr, Config{})
	if _, err := e2.ResultDocument(context.Background(), v.ID); err != nil {
		t.Fatal(err)
	}
	if !fr.failedAtLeast(1) {
		t.Fatal("no read failed")
	}
	fr.failReads(false)
	resultsKept(t, e2, v.ID, kept)
}

// TestPostStopNotSearched: the results the search for blocks found in
// results reads (finishedResults) leave main's place as it was when its
// :post stopped the document, as the written document does: Emacs's
// buffer holds neither main's value nor its :post's, so no block is
// found in them and the places of later blocks are not moved.
func TestPostStopNotSearched(t *testing.T) {
	_, rb, e, _, id := submitOnDisk(t, postBindStopDoc)
	postBindStopped(t, rb, e, id)
	ds, err := e.lockedDoc(id)
	if err != nil {
		t.Fatal(err)
	}
	defer e.mu.Unlock()
	doc, err := org.Parse(ds.text)
	if err != nil {
		t.Fatal(err)
	}
	main := ds.byName["main"]
	if r, ok := e.finishedResults(ds, doc)[main.index]; ok {
		t.Errorf("main's place searched with %+v, want as it was", r)
	}
}

// postBindStopped runs postBindStopDoc, submitted to e as id, until it
// ends: pa and main finish, main's :post fails as it starts, before slow
// ends (the stop known before after could start).
func postBindStopped(t *testing.T, rb *reportBackend, e *Engine, id string) *DocumentView {
	t.Helper()
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "pa", 1), "post \n")
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "main", 1), `[["k", "v"], None, ["a", 1]]`)
	waitState(t, e, id, "main :post pa(x=*this*)", Failed)
	finish(rb.fakeBackend, slow, Finished, 0)
	return endedFinishingLaunched(t, e, rb, id)
}

// TestPostRawBytesStopKeepsBlockResults: a :post calling a shell block
// whose value holds a raw byte (a byte of no UTF-8 character) stops the
// document once the :post has run: ob-shell writes that value to a
// temporary file and Emacs asks for a coding system, reading standard
// input, where there is none (plan.CodingStopError, checked with Emacs
// 28.2: stop_post_result_raw_bytes.org). The block's results stay as
// they were, so after a server restart as well.
func TestPostRawBytesStopKeepsBlockResults(t *testing.T) {
	postEndStopKept(t, "sh :var x=\"\"\necho", "\n", func(rb *reportBackend, post *Attempt) {
		rb.setOutput(post.ID, "post \xe9 main\n")
		finish(rb.fakeBackend, post, Finished, 0)
	})
}

// TestPostLispErrorStopKeepsBlockResults: a :post calling an Emacs Lisp
// block that signals an error stops the document there, as
// org-babel-execute-buffer stops at the error (checked with Emacs 28.2:
// stop_post_result_elisp_error.org), not a failure of the :post alone:
// the block's results stay as they were, so after a server restart as
// well.
func TestPostLispErrorStopKeepsBlockResults(t *testing.T) {
	postEndStopKept(t, "emacs-lisp :var x=\"\"\n(if (equal x \"\") \"empty\" (error \"Bad value: %s\" x))", "empty", func(rb *reportBackend, post *Attempt) {
		if !post.Task.FailureStops {
			t.Errorf("main's :post: FailureStops not set: its Lisp error stops Emacs")
		}
		rb.sink(Update{AttemptID: post.ID, State: Running})
		rb.sink(Update{AttemptID: post.ID, State: Failed, Message: "Emacs Lisp error: Bad value: main"})
	})
}

// TestPostNamedCallStopKeepsBlockResults: a :post naming a #+call:
// (c, a call of pa) whose run stops the document, pa's :cache yes hash
// binding main's table with its rule, as in postBindStopDoc (checked
// with Emacs 28.2: stop_post_result_named_call.org): the stop is made
// inside main's :post chain, whose block keeps its results as they were;
// the block after, which waits for slow, is not run. Already so before
// the fixture was written: coverage.
func TestPostNamedCallStopKeepsBlockResults(t *testing.T) {
	const doc = "#+name: pa\n#+begin_src sh :cache yes :var x=\"\" :hlines yes :colnames no :results output\necho \"post $x\"\n#+end_src\n\n" +
		"#+name: main\n#+begin_src python :post c(x=*this*)\nreturn [[\"k\", \"v\"], None, [\"a\", 1]]\n#+end_src\n\n#+RESULTS: main\n: old main\n\n" +
		"#+name: c\n#+call: pa(x=\"z\")\n\n" + slowAfter
	_, rb, e, _, id := submitOnDisk(t, doc)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "pa", 1), "post \n")
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "main", 1), `[["k", "v"], None, ["a", 1]]`)
	waitState(t, e, id, "main :post c(x=*this*)", Failed)
	finish(rb.fakeBackend, slow, Finished, 0)
	// c's own run, which waits for nothing, started before the stop
	// was known: it runs on.
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "c", 1), "post z\n")
	d := endedFinishingLaunched(t, e, rb, id)
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"6, ") || !strings.Contains(m, "listp, hline") {
		t.Errorf("after: %q, want not run for the stop at main (line 6)", m)
	}
	if m, _ := blockMessage(d, "main"); m != postStopKept {
		t.Errorf("main: %q, want %q", m, postStopKept)
	}
	resultsKept(t, e, id, "#+RESULTS: main\n: old main\n")
}

// TestPostStopKnownFromDocumentKept: a :post Emacs cannot resolve, known
// from the document (plan.Plan.Stop): *this* given to a block with no
// :var, on the second block of a name, and a :post naming a block of a
// language with no org-babel-execute function (checked with Emacs 28.2:
// stop_post_result_unbound_repeated_name.org, _no_language.org). The
// block before runs; the block whose :post it is and the block after do
// not, and the results in their places stay as they were.
func TestPostStopKnownFromDocumentKept(t *testing.T) {
	cases := []struct{ name, doc, why, kept string }{
		{"unbound, second block of a name",
			"#+name: f\n#+begin_src sh :results output\necho post\n#+end_src\n\n" +
				"#+name: n\n#+begin_src sh\necho first\n#+end_src\n\n#+RESULTS: n\n: old n\n\n" +
				"#+name: n\n#+begin_src sh :post f(*this*)\necho second\n#+end_src\n\n" +
				"#+name: after\n#+begin_src sh\necho after\n#+end_src\n\n#+RESULTS: after\n: old after\n",
			`Variable "*this*" must be assigned a default value`, "#+RESULTS: n\n: first\n"},
		{"no org-babel-execute function",
			"#+name: n\n#+begin_src sh\necho first\n#+end_src\n\n" +
				"#+name: main\n#+begin_src sh :post f(x=*this*)\necho main\n#+end_src\n\n#+RESULTS: main\n: old main\n\n" +
				"#+name: f\n#+begin_src nolang :var x=\"\"\nanything\n#+end_src\n\n" +
				"#+name: after\n#+begin_src sh\necho after\n#+end_src\n\n#+RESULTS: after\n: old after\n",
			"No org-babel-execute function for nolang!", "#+RESULTS: main\n: old main\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, rb, id := submitToReport(t, c.doc)
			for _, name := range []string{"f", "n"} {
				if strings.Contains(c.doc, "#+name: "+name+"\n#+begin_src sh") {
					finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, name, 1), map[string]string{"f": "post\n", "n": "first\n"}[name])
				}
			}
			d := waitDocumentEnded(t, e, id)
			if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, "not run: org-babel-execute-buffer stopped before it") || !strings.Contains(m, strconv.Quote(c.why)) {
				t.Errorf("after: %q, want not run for the stop (%q)", m, c.why)
			}
			resultsKept(t, e, id, c.kept)
			resultsKept(t, e, id, "#+RESULTS: after\n: old after\n")
		})
	}
}

// noSessionsBackend is a reportBackend that keeps no sessions
// (plan.Limits.NoSessions): an Emacs Lisp block runs in a batch Emacs of
// its own, whose failure says only its exit status.
type noSessionsBackend struct{ *reportBackend }

func (b noSessionsBackend) Limits() plan.Limits {
	l := b.reportBackend.Limits()
	l.NoSessions = "a test backend keeping no sessions"
	return l
}

// TestPostLispErrorStopNoSessions: where the backend keeps no sessions,
// the Emacs Lisp block a :post calls runs in a batch Emacs of its own,
// which writes the error the block signalled as its value, marked
// (plan.ResultStop; checked with Emacs 28.2 through the batch program:
// stop_post_result_elisp_error_batch.org): the document stops at main as
// it does where the document's Emacs replies with the error, and main's
// results stay as they were, so after a server restart as well.
func TestPostLispErrorStopNoSessions(t *testing.T) {
	doc := "#+name: f\n#+begin_src emacs-lisp :var x=\"\"\n(if (equal x \"\") \"empty\" (error \"Bad value: %s\" x))\n#+end_src\n\n" +
		"#+name: main\n#+begin_src sh :post f(x=*this*)\necho main\n#+end_src\n\n#+RESULTS: main\n: old main\n\n" +
		"#+name: after\n#+begin_src sh :var m=main\necho \"after $m\"\n#+end_src\n\n#+RESULTS: after\n: old after\n"
	dir := t.TempDir()
	rb := noSessionsBackend{newReportBackend()}
	e, stop := startEngine(t, dir, rb, Config{})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	id := v.ID
	endLaunch(t, rb.reportBackend, "f", 1, "\"empty\"", Finished)
	endLaunch(t, rb.reportBackend, "main", 1, "main\n", Finished)
	post := launchOf(t, rb.fakeBackend, "main :post f(x=*this*)", 1)
	if post.Task.Session != nil {
		t.Fatalf("main's :post runs in a session (%+v): the backend keeps none", post.Task.Session)
	}
	if !strings.Contains(post.Script, "condition-case") {
		t.Errorf("main's :post's program does not catch the block's error:\n%s", post.Script)
	}
	rb.setOutput(post.ID, "#<borges-lisp-error>Bad value: main")
	finish(rb.fakeBackend, post, Finished, 0)
	// The run of main after's :var m=main makes, launched with main,
	// ends (endedOrLaunched).
	if endedOrLaunched(e, rb.reportBackend, id, "after") {
		t.Error("after launched past the stop at main")
	}
	d := waitDocumentEnded(t, e, id)
	if notes := strings.Join(d.Notes, "\n"); !strings.Contains(notes, "stops this document at the block at line 6") {
		t.Errorf("notes %q: want the stop at main", d.Notes)
	}
	if m, _ := blockMessage(d, "after"); !strings.HasPrefix(m, failStopAt+"6, ") || !strings.HasSuffix(m, ": Bad value: main") {
		t.Errorf("after: %q, want not run for the stop at main (line 6), with the block's error", m)
	}
	if m, _ := blockMessage(d, "main"); m != postStopKept {
		t.Errorf("main: %q, want %q", m, postStopKept)
	}
	const kept = "#+RESULTS: main\n: old main\n"
	resultsKept(t, e, id, kept)
	resultsKept(t, e, id, "#+RESULTS: after\n: old after\n")
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	resultsKept(t, e2, id, kept)
}

// TestPostCalleeLispVarErrorStopKeepsBlockResults: a :post calling a
// block whose Lisp :var value signals an error stops the document there,
// as org-babel-execute-buffer stops at the error, evaluated inside the
// :post (checked with Emacs 28.2: stop_post_callee_var_lisp_error.org):
// the value is evaluated once the block has run, the block's results stay
// as they were, and the :post does not run; so after a server restart as
// well.
func TestPostCalleeLispVarErrorStopKeepsBlockResults(t *testing.T) {
	const doc = "#+name: main\n#+begin_src sh :post f(x=*this*)\necho main\n#+end_src\n\n#+RESULTS: main\n: old main\n\n" +
		"#+name: f\n#+begin_src sh :var y=(error \"boom\") :var x=\"\"\necho \"$x $y\"\n#+end_src\n"
	postCalleeLispVarFails(t, doc, "main :post f(x=*this*) :var y=(error \"boom\")")
}

// TestPostRefusedCalleeLispVarErrorStopKeepsBlockResults: a :post calling
// a block :eval no whose Lisp :var value signals an error: Emacs
// evaluates the value reading the block's information, inside the :post,
// before org-babel-check-evaluate refuses it, and stops there (checked
// with Emacs 28.2: stop_post_callee_var_evalno.org): the value is a task
// tied to the :post, evaluated once the block has run, the document
// stops at the block, its results kept as they were (not the :post's
// nil); so after a server restart as well.
func TestPostRefusedCalleeLispVarErrorStopKeepsBlockResults(t *testing.T) {
	const doc = "#+name: main\n#+begin_src sh :post f(x=*this*)\necho main\n#+end_src\n\n#+RESULTS: main\n: old main\n\n" +
		"#+name: f\n#+begin_src sh :eval no :var y=(error \"boom\") :var x=\"\"\necho \"$x $y\"\n#+end_src\n"
	postCalleeLispVarFails(t, doc, "main :post f(x=*this*) :var y=(error \"boom\")")
}

// TestPostCalleeNowebLispVarErrorStopKeepsBlockResults: a :post calling a
// block whose body refers by noweb to a block with a Lisp :var value that
// signals an error: Emacs evaluates the value inside the :post, expanding
// the callee's body, and stops there (checked with Emacs 28.2:
// stop_post_callee_noweb_var_error.org): the value is evaluated once the
// block has run, and the document stops at the block, its results kept as
// they were; so after a server restart as well.
func TestPostCalleeNowebLispVarErrorStopKeepsBlockResults(t *testing.T) {
	const doc = "#+name: main\n#+begin_src sh :post f(x=*this*)\necho main\n#+end_src\n\n#+RESULTS: main\n: old main\n\n" +
		"#+name: f\n#+begin_src sh :noweb yes :var x=\"\"\necho \"$x <<g()>>\"\n#+end_src\n\n" +
		"#+name: g\n#+begin_src sh :var y=(error \"boom\")\necho g\n#+end_src\n"
	postCalleeLispVarFails(t, doc, "f <<g()>> :var y=(error \"boom\")")
}

// postCalleeLispVarFails submits doc, whose block main has a :post, ends
// main, fails the task lispVar, evaluating a Lisp :var value inside the
// :post, with Emacs's error, and checks the stop at main, its results
// kept (mainStopKept).
func postCalleeLispVarFails(t *testing.T, doc, lispVar string) {
	t.Helper()
	dir, rb, e, stop, id := submitOnDisk(t, doc)
	endLaunch(t, rb, "main", 1, "main\n", Finished)
	lv := launchOf(t, rb.fakeBackend, lispVar, 1)
	if !lv.Task.FailureStops {
		t.Errorf("the Lisp :var value evaluated inside the :post: FailureStops not set: its Lisp error stops Emacs")
	}
	rb.sink(Update{AttemptID: lv.ID, State: Running})
	rb.sink(Update{AttemptID: lv.ID, State: Failed, Message: "Emacs Lisp error: boom"})
	mainStopKept(t, dir, rb, e, stop, id, 1)
}

// TestPostCalleeRefLispVarErrorStopKeepsBlockResults: a :post calling a
// block whose :var refers to a later block with a Lisp :var value that
// signals an error: Emacs runs the later block for the reference inside
// the :post and stops there (checked with Emacs 28.2:
// stop_post_callee_ref_var_error.org), at the block whose :post it is,
// its results kept as they were; so after a server restart as well.
func TestPostCalleeRefLispVarErrorStopKeepsBlockResults(t *testing.T) {
	doc := postCalleeRefDoc("sh :var y=(error \"boom\")\necho h")
	postCalleeLispVarFails(t, doc, "f :var z=h :var y=(error \"boom\")")
}

// TestPostCalleeRefLispVarStopHoldsNotItsBlock: the stop a Lisp :var
// value makes inside a :post, of a block the callee's reference runs, is
// at the block whose :post it is (stopOwner), which Emacs ran before: it
// does not hold that block's own run as one evaluating the block's own
// :var values before running it would (ownLispVarStop, failStopVars).
func TestPostCalleeRefLispVarStopHoldsNotItsBlock(t *testing.T) {
	const lispVar = "f :var z=h :var y=(error \"boom\")"
	doc := postCalleeRefDoc("sh :var y=(error \"boom\")\necho h")
	_, rb, e, _, id := submitOnDisk(t, doc)
	endLaunch(t, rb, "main", 1, "main\n", Finished)
	lv := launchOf(t, rb.fakeBackend, lispVar, 1)
	rb.sink(Update{AttemptID: lv.ID, State: Running})
	rb.sink(Update{AttemptID: lv.ID, State: Failed, Message: "Emacs Lisp error: boom"})
	waitDocumentEnded(t, e, id)
	e.mu.Lock()
	defer e.mu.Unlock()
	ds := e.docs[id]
	f, at, msg := ds.failedStop()
	main := ds.byName["main"]
	if f == nil || f.name != lispVar || at != placeOf(main) {
		t.Fatalf("the stop: %v at %v, want %s at main's place %v", f, at, lispVar, placeOf(main))
	}
	if ownLispVarStop(f) {
		t.Errorf("%s taken for a value Emacs evaluates before running its block, not inside main's :post", lispVar)
	}
	if why, _ := failureStopAt(main, f, at, msg); why != "" {
		t.Errorf("main's own run, which Emacs ran before its :post stopped, held: %q", why)
	}
}
