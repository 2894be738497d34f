package engine

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// failedCallerDoc: block stop, :results output, whose :post calls wrap,
// then slowAfter, then wrap, a Perl :results output block.
const failedCallerDoc = "#+name: stop\n#+begin_src sh :results output :post wrap(x=*this*)\necho partial; exit 3\n#+end_src\n\n#+RESULTS: stop\n: old\n\n" +
	slowAfter + "\n#+name: wrap\n#+begin_src perl :var x=\"none\" :results output\nprint \"<$x>\\n\"; exit 4;\n#+end_src\n"

// TestFailedCallerPostStop: a block that exits non-zero has its :post run
// all the same, *this* bound to org-babel-eval's nil, as
// org-babel-execute-src-block runs it; the Perl :results output block it
// calls exits non-zero too, and ob-perl's insert of that one's nil stops
// Emacs at the calling block, its results as they were, the block after
// it not run (TestAgainstEmacs/perlstop:_post_is_a_perl_output_block_that_dies,_the_caller_failing).
func TestFailedCallerPostStop(t *testing.T) {
	e, rb, id := submitToReport(t, failedCallerDoc)
	slow, post := exitsThenPost(t, e, rb, id, "stop", "slow", "wrap(x=*this*)", "partial\n")
	if strings.Contains(post.Script, "partial") {
		t.Errorf(":post's script binds x to what the failed block printed, not nil:\n%s", post.Script)
	}
	postStopsAtCaller(t, e, rb, id, post, slow, "wrap(x=*this*)", "<ARRAY(0x1)>\n", 1, plan.PerlOutputNilError)
}

// exitsThenPost launches block, then other, of document id, has block
// print out and exit 3, and returns the attempt of other and that of
// block's :post making call, launched after it.
func exitsThenPost(t *testing.T, e *Engine, rb *reportBackend, id, block, other, call, out string) (*Attempt, *Attempt) {
	t.Helper()
	a := launchOf(t, rb.fakeBackend, block, 1)
	o := launchOf(t, rb.fakeBackend, other, 1)
	rb.setOutput(a.ID, out)
	finish(rb.fakeBackend, a, Failed, 3)
	waitState(t, e, id, block, Failed)
	return o, launchOf(t, rb.fakeBackend, block+" :post "+call, 1)
}

// TestFailedValueFileCallerPostStop: the :post of a Python value block
// that exits non-zero runs, *this* its value file's empty text, and the
// Perl :results output block it calls exits non-zero too: ob-perl's
// insert of that one's nil stops Emacs at the calling block, its
// results as they were, the block after it not run
// (TestAgainstEmacs/postcaller:_post_of_a_failed_python_value_block_is_a_perl_output_block_that_dies).
func TestFailedValueFileCallerPostStop(t *testing.T) {
	e, rb, id := submitToReport(t, strings.Replace(failedCallerDoc, "sh :results output :post wrap(x=*this*)\necho partial; exit 3", "python :post wrap(x=*this*)\nimport sys\nsys.exit(3)", 1))
	slow, post := exitsThenPost(t, e, rb, id, "stop", "slow", "wrap(x=*this*)", "")
	postStopsAtCaller(t, e, rb, id, post, slow, "wrap(x=*this*)", "<>\n", 1, plan.PerlOutputNilError)
}

// TestFailedCallerPostWritten: the :post of a block that exits non-zero,
// a shell block, runs with *this* nil (an empty string for the shell) and
// finishes: its value is the block's results, as Babel writes it in the
// block's place, and the blocks after it run.
func TestFailedCallerPostWritten(t *testing.T) {
	failedCallerPost(t, "sh :results output", "echo partial; exit 3", "partial\n", "x=''\n", "<>\n", "#+RESULTS: stop\n: <>\n\n#+name: slow")
}

// TestTimedOutCallerPostNotRun: a block Borges's :timeout ended (or a
// kill) has no org-babel-eval nil: its :post is not run, and its results
// say how it ended.
func TestTimedOutCallerPostNotRun(t *testing.T) {
	e, rb, id := submitToReport(t, failedCallerDoc)
	stop := launchOf(t, rb.fakeBackend, "stop", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	finish(rb.fakeBackend, stop, Killed, 137)
	waitState(t, e, id, "stop", Killed)
	finish(rb.fakeBackend, slow, Finished, 0)
	if !endedOrLaunched(e, rb, id, "after") {
		t.Fatal("after not launched: a killed block stopped the document")
	}
	if launchedBlock(rb, "stop :post wrap(x=*this*)") {
		t.Error("the :post of a killed block ran")
	}
}

// TestFailedCallerPostChain: a chain of blocks that exit non-zero, each
// :post run with *this* nil, as Babel runs them: the last :post's value
// is the results of every block whose chain ends there, and the value a
// reference to one gets (TestAgainstEmacs/postcaller:_post_chain_of_failed_blocks,_and_a_reference_to_one).
func TestFailedCallerPostChain(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	doc := "#+name: fails\n#+begin_src sh :var s=\"\" :post wrap(x=*this*)\necho \"fails got <$s>\"; exit 3\n#+end_src\n\n" +
		"#+name: wrap\n#+begin_src sh :var x=\"\"\necho \"[$x]\"\n#+end_src\n\n" +
		"#+name: main\n#+begin_src sh :post fails(s=*this*)\necho hi; exit 4\n#+end_src\n\n" +
		"#+name: user\n#+begin_src sh :var m=main\necho \"user <$m>\"\n#+end_src\n"
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	// fails, wrap and main; fails's :post and main's (fails called);
	// that one's :post; the run of main user's reference makes, with its
	// chain of two :posts as main's; user.
	endLaunches(t, fb, 10, func(a *Attempt) (string, int) {
		switch {
		case strings.Contains(a.Script, "exit 3"):
			return "fails got <>\n", 3
		case strings.Contains(a.Script, "exit 4"):
			return "hi\n", 4
		case strings.Contains(a.Script, "user"):
			if !strings.HasPrefix(a.Script, "m='[]'\n") {
				t.Errorf("user's script, m not the chain's value:\n%s", a.Script)
			}
			return "user <[]>\n", 0
		}
		if !strings.HasPrefix(a.Script, "x=''\n") {
			t.Errorf("%s's script binds x to what the failed block printed, not nil:\n%s", a.Block, a.Script)
		}
		return "[]\n", 0
	})
	waitState(t, e, v.ID, "user", Finished)
	res := waitResults(t, e, v.ID, "#+RESULTS: user\n: user <[]>\n")
	for _, want := range []string{"#+RESULTS: fails\n: []\n", "#+RESULTS: main\n: []\n", "#+RESULTS: user\n: user <[]>\n"} {
		if !strings.Contains(res, want) {
			t.Errorf("no\n%s\nin\n%s", want, res)
		}
	}
}

// TestFailedCallerPostChainOfThree: a chain of three blocks that exit
// non-zero, a's :post calling b, b's c, c's wrap: every task of a's
// chain waits for the chain's earlier tasks too, each failed, and runs
// after each failure, as Babel runs each :post with *this* nil: a's
// results are wrap's value, `: <>`, as Emacs writes them
// (TestAgainstEmacs/postcaller:_post_chain_of_three_failed_blocks).
func TestFailedCallerPostChainOfThree(t *testing.T) {
	// a, b, c, the block after them and wrap; a's chain (3 tasks), b's
	// (2), c's (1).
	e, v := chainOfThreeRun(t, 11, "", func(a *Attempt) (string, int) {
		if strings.Contains(a.Script, "middle") {
			return "middle ran\n", 0
		}
		if !strings.HasPrefix(a.Script, "x=''\n") && a.Block != "wrap" {
			t.Errorf("%s's script binds x to what the failed block printed, not nil:\n%s", a.Block, a.Script)
		}
		return "<>\n", 0
	})
	res := waitResults(t, e, v.ID, "#+RESULTS: a\n: <>\n")
	for _, want := range []string{"#+RESULTS: a\n: <>\n", "#+RESULTS: b\n: <>\n", "#+RESULTS: c\n: <>\n", "#+RESULTS:\n: middle ran\n"} {
		if !strings.Contains(res, want) {
			t.Errorf("no\n%s\nin\n%s", want, res)
		}
	}
	// The notes name the :post whose value each block's results are:
	// the last of its chain, wrap's, not the first.
	d, err := e.Document(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	const bound = " ran all the same, *this* bound as Babel binds it after a failure (org-babel-eval's nil, the link to its :file, or a Python or Ruby value file's text), "
	for _, want := range []string{
		"block a, at line 1, exited with status 1: its :post b(x=*this*)" + bound + "then the :posts of its chain after it, and its results are what the last of them, :post wrap(x=*this*), gave",
		"block b, at line 6, exited with status 2: its :post c(x=*this*)" + bound + "then the :posts of its chain after it, and its results are what the last of them, :post wrap(x=*this*), gave",
		"block c, at line 11, exited with status 3: its :post wrap(x=*this*)" + bound + "and its results are what that :post gave",
	} {
		if !slices.Contains(d.Notes, want) {
			t.Errorf("notes %q, none\n%q", d.Notes, want)
		}
	}
}

// TestFailedCallerPostChainStoppedNote: in a chain of three failed
// blocks, the task of a's first :post, b's run, timed out (no nil of
// Babel's for it): a's chain stops there, its last :post not run, and
// the note on a says so, not that a's results are a :post's value.
func TestFailedCallerPostChainStoppedNote(t *testing.T) {
	// a, b, c, the block after them and wrap; a's first :post (timed
	// out), b's chain (2), c's (1).
	e, v := chainOfThreeRun(t, 9, "a :post b(x=*this*)", func(*Attempt) (string, int) { return "<>\n", 0 })
	res := waitResults(t, e, v.ID, "#+RESULTS: b\n: <>\n")
	if !strings.Contains(res, "#+RESULTS: a\n:results:\nborges: failed") {
		t.Errorf("a's results do not say its chain failed:\n%s", res)
	}
	d, err := e.Document(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := "block a, at line 1, exited with status 1: its :post b(x=*this*) ran all the same, *this* bound as Babel binds it after a failure (org-babel-eval's nil, the link to its :file, or a Python or Ruby value file's text), but its chain of :posts stopped before its last, :post wrap(x=*this*): its results say where"
	if !slices.Contains(d.Notes, want) {
		t.Errorf("notes %q, none\n%q", d.Notes, want)
	}
}

// chainOfThreeRun submits chainOfThreeDoc and ends its first n
// launches: task timedOut ("" for none) as Borges's :timeout ends it,
// each other run of a's, b's or c's body (the tasks of the chains too)
// exiting 1, 2 or 3 having printed x, and the others as end says. It
// returns the engine and the document.
func chainOfThreeRun(t *testing.T, n int, timedOut string, end func(a *Attempt) (string, int)) (*Engine, *DocumentView) {
	t.Helper()
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), chainOfThreeDoc)
	if err != nil {
		t.Fatal(err)
	}
	endLaunches(t, fb, n, func(a *Attempt) (string, int) {
		if a.Block == timedOut {
			return "", endTimedOut
		}
		for i, code := range []string{"exit 1", "exit 2", "exit 3"} {
			if strings.Contains(a.Script, code) {
				return "x\n", i + 1
			}
		}
		return end(a)
	})
	return e, v
}

// chainOfThreeDoc is the document of
// internal/plan/testdata/postcaller_chain3.org.
const chainOfThreeDoc = "#+name: a\n#+begin_src sh :results output :post b(x=*this*)\necho a; exit 1\n#+end_src\n\n" +
	"#+name: b\n#+begin_src sh :var x=\"none\" :results output :post c(x=*this*)\necho \"b<$x>\"; exit 2\n#+end_src\n\n" +
	"#+name: c\n#+begin_src sh :var x=\"none\" :results output :post wrap(x=*this*)\necho \"c<$x>\"; exit 3\n#+end_src\n\n" +
	"#+begin_src sh :results output\necho \"middle ran\"\n#+end_src\n\n" +
	"#+name: wrap\n#+begin_src sh :var x=\"none\" :results output\necho \"<$x>\"\n#+end_src\n"

// TestFailedFileCallerPostThis: a block :results file with a :file that
// exits non-zero has its :post run with *this* the link to its file, as
// org-babel-execute-src-block binds it (the result set to the file name
// before the :post), not nil: the :post's value is written in the
// block's place (TestAgainstEmacs/postcaller:_post_of_a_failed_file_block).
func TestFailedFileCallerPostThis(t *testing.T) {
	failedCallerPost(t, "sh :results file :file out.txt", "echo partial; exit 3", "partial\n", "x='[[file:out.txt]]'\n", "<[[file:out.txt]]>\n", "#+RESULTS: stop\n: <[[file:out.txt]]>\n\n#+name: slow")
}

// TestFailedJSCallerPostRuns: a JavaScript value block, and a
// :results output table one, whose value Emacs reads (a task of its
// own), exits non-zero: that read never runs, and the :post, which
// waits for it, runs all the same with *this* nil, as Babel runs it
// (org-babel-eval's nil read as nil): its value is written in the
// block's place (TestAgainstEmacs/postcaller:_post_of_a_failed_js_value_block,
// .../postcaller:_post_of_a_failed_js_output_table_block).
func TestFailedJSCallerPostRuns(t *testing.T) {
	for _, head := range []string{"js", "js :results output table"} {
		t.Run(head, func(t *testing.T) {
			failedCallerPost(t, head, "console.log(\"a\"); process.exit(3)", "a\n", "x=''\n", "<>\n", "#+RESULTS: stop\n: <>\n\n#+name: slow")
		})
	}
}

// TestFailedValueFileCallerPost: a Python or Ruby value block that
// exits non-zero, whose value Babel reads from its file whatever
// org-babel-eval gave, has its :post run, *this* bound to what that file
// holds, read as the block's value is (the empty text where the program
// wrote nothing: a shell :post's x is the empty string), and the
// :post's value written in its place
// (TestAgainstEmacs/postcaller:_post_of_a_failed_python_value_block,
// /postcaller:_post_of_a_failed_ruby_value_block).
func TestFailedValueFileCallerPost(t *testing.T) {
	for _, c := range []struct{ head, body, value, bind string }{
		{"python", "import sys\nsys.exit(3)", "", "x=''\n"},
		{"ruby", "exit 3", "", "x=''\n"},
		{"python :results value", "import sys\nsys.exit(3)", "abc", "x='abc'\n"},
	} {
		t.Run(c.head+" "+c.value, func(t *testing.T) {
			e, id := failedCallerPost(t, c.head, c.body, c.value, c.bind, "<>\n", "#+RESULTS: stop\n: <>\n\n#+name: slow")
			d, err := e.Document(id)
			if err != nil {
				t.Fatal(err)
			}
			want := "block stop, at line 1, exited with status 3: its :post wrap(x=*this*) ran all the same, *this* bound as Babel binds it after a failure (org-babel-eval's nil, the link to its :file, or a Python or Ruby value file's text), and its results are what that :post gave"
			if !slices.Contains(d.Notes, want) {
				t.Errorf("notes %q, none\n%q", d.Notes, want)
			}
		})
	}
}

// TestContinueCallerPostNil: a block :on-failure continue that exits
// non-zero having printed has its :post run with *this* org-babel-eval's
// nil, as Babel runs it, not with what it printed (which the blocks
// referring to it get, as Borges runs them):
// TestAgainstEmacs/postcaller:_post_of_a_failed_block_with_on-failure_continue.
func TestContinueCallerPostNil(t *testing.T) {
	failedCallerPost(t, "sh :results output :on-failure continue", "echo partial; exit 3", "partial\n", "x=''\n", "<>\n", "#+RESULTS: stop\n: <>\n\n#+name: slow")
}

// TestFailedCallerPostNote: where a block that exits non-zero has its
// :post run and written as Emacs writes it, the results carry no trace
// of the failure: the document's notes say the block exited 3 and that
// its results are its :post's value.
func TestFailedCallerPostNote(t *testing.T) {
	e, id := failedCallerPost(t, "sh :results output", "echo partial; exit 3", "partial\n", "x=''\n", "<>\n", "#+RESULTS: stop\n: <>\n\n#+name: slow")
	d, err := e.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	want := "block stop, at line 1, exited with status 3: its :post wrap(x=*this*) ran all the same"
	if !slices.ContainsFunc(d.Notes, func(n string) bool { return strings.HasPrefix(n, want) }) {
		t.Errorf("notes %q, none beginning %q", d.Notes, want)
	}
}

// failedCallerPost submits block stop, of header words head and body
// body, whose :post calls wrap (a shell :results output block), before
// slowAfter; ends stop's attempt having printed out, exit 3; checks
// that the :post is launched, its script beginning bind; ends it having
// printed postOut, and checks that the results document holds want. It
// returns the engine and the document's id.
func failedCallerPost(t *testing.T, head, body, out, bind, postOut, want string) (*Engine, string) {
	t.Helper()
	e, rb, id := submitToReport(t, "#+name: stop\n#+begin_src "+head+" :post wrap(x=*this*)\n"+body+"\n#+end_src\n\n#+RESULTS: stop\n: old\n\n"+
		slowAfter+"\n#+name: wrap\n#+begin_src sh :var x=\"none\" :results output\necho \"<$x>\"\n#+end_src\n")
	stop := launchOf(t, rb.fakeBackend, "stop", 1)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	wrap := launchOf(t, rb.fakeBackend, "wrap", 1)
	finishWith(rb.fakeBackend, wrap, "<none>\n")
	rb.setOutput(stop.ID, out)
	finish(rb.fakeBackend, stop, Failed, 3)
	post := launchOf(t, rb.fakeBackend, "stop :post wrap(x=*this*)", 1)
	if !strings.HasPrefix(post.Script, bind) {
		t.Errorf(":post's script does not begin %q:\n%s", bind, post.Script)
	}
	finishWith(rb.fakeBackend, post, postOut)
	finish(rb.fakeBackend, slow, Finished, 0)
	afterThenWritten(t, e, rb, id, want)
	return e, id
}

// TestFailedCallerShapesPostRuns: the engine runs the :post of each
// shape of failed caller the differential fixtures run it for, *this*
// nil (TestAgainstEmacs/postcaller:_post_of_a_failed_python_output_block,
// .../postcaller:_post_of_a_failed_perl_value_block), and of a Ruby
// :results output and a bash caller.
func TestFailedCallerShapesPostRuns(t *testing.T) {
	for _, c := range []struct{ head, body string }{
		{"python :results output", "import sys\nprint(\"a\")\nsys.exit(3)"},
		{"perl", "print \"a\\n\"; exit 3;"},
		{"ruby :results output", "puts \"a\"\nexit 3"},
		{"bash :results output", "echo a; exit 3"},
	} {
		t.Run(c.head, func(t *testing.T) {
			failedCallerPost(t, c.head, c.body, "a\n", "x=''\n", "<>\n", "#+RESULTS: stop\n: <>\n\n#+name: slow")
		})
	}
}
