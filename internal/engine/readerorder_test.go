package engine

import (
	"strings"
	"testing"
)

// failedReaderDoc has a Python value block report that exits non-zero
// (its reading in Emacs never runs), then Python block a, whose value
// Emacs may read, then Emacs Lisp block b.
const failedReaderDoc = "#+name: report\n#+begin_src python\nimport sys\nsys.exit(3)\n#+end_src\n\n" +
	"#+name: a\n#+begin_src python HEAD\nreturn \"a\"\n#+end_src\n\n" +
	"#+name: b\n#+begin_src emacs-lisp BHEAD\n(format \"b<%S>\" y)\n#+end_src\n"

// failedReaderThen submits failedReaderDoc, a's and b's header words
// head and bhead, has report exit 3 and a finish with the value a, and
// returns the engine, backend and document id.
func failedReaderThen(t *testing.T, head, bhead string) (*Engine, *reportBackend, string) {
	t.Helper()
	doc := strings.Replace(strings.Replace(failedReaderDoc, "HEAD", head, 1), "BHEAD", bhead, 1)
	e, rb, id := submitToReport(t, doc)
	report := launchOf(t, rb.fakeBackend, "report", 1)
	finish(rb.fakeBackend, report, Failed, 3)
	waitState(t, e, id, "report", Failed)
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "a", 1), "a")
	waitState(t, e, id, "a", Finished)
	return e, rb, id
}

// TestFailedReaderOrderPostRuns: a Python value block that exits
// non-zero, its output's reading in Emacs not run, holds back nothing
// that only follows that reading in the document's Emacs: block a's
// Emacs Lisp :post b runs, *this* a's value, as Emacs writes ': b<"a">'
// under a (it was ': nil', the :post failed as a dependent of report).
func TestFailedReaderOrderPostRuns(t *testing.T) {
	e, rb, id := failedReaderThen(t, ":post b(y=*this*)", ":var y=\"none\"")
	post := launchOf(t, rb.fakeBackend, "a :post b(y=*this*)", 1)
	if !strings.Contains(post.Script, `"a"`) {
		t.Errorf(":post's program does not bind y to a's value:\n%s", post.Script)
	}
	finish(rb.fakeBackend, post, Finished, 0)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "b", 1), Finished, 0)
	d := waitDocumentEnded(t, e, id)
	for _, b := range d.Blocks {
		for _, in := range b.Instances {
			if strings.Contains(in.Message, "dependency") {
				t.Errorf("block %s: %s", b.Name, in.Message)
			}
		}
	}
}

// TestFailedReaderOrderVarRuns: an Emacs Lisp block whose :var names a
// block after a Python value block that exits non-zero runs, as in
// Emacs, not "not run: dependency a failed".
func TestFailedReaderOrderVarRuns(t *testing.T) {
	e, rb, id := failedReaderThen(t, "", ":var y=a")
	// b's :var y=a is a run of a of its own (Babel runs a again at
	// the reference), which b waits for.
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, "b :var y=a", 1), "a")
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "b", 1), Finished, 0)
	d := waitDocumentEnded(t, e, id)
	if m, _ := blockMessage(d, "b"); strings.Contains(m, "dependency") {
		t.Errorf("b's message = %q", m)
	}
}

// TestFailedValueFileCallerPostChain: a chain of :posts after a Python
// value block that exits non-zero runs to its end, each :post after the
// one before it, as Emacs runs it (Emacs writes ': b<a<>' / ': >'), where the second :post failed, waiting on the block's
// reading in Emacs, which never runs.
func TestFailedValueFileCallerPostChain(t *testing.T) {
	doc := "#+name: report\n#+begin_src python :post a(x=*this*)\nimport sys\nsys.exit(3)\n#+end_src\n\n" +
		"#+name: a\n#+begin_src sh :var x=\"none\" :post b(y=*this*) :results output\necho \"a<$x>\"\n#+end_src\n\n" +
		"#+name: b\n#+begin_src sh :var y=\"none\" :results output\necho \"b<$y>\"\n#+end_src\n"
	e, rb, id := submitToReport(t, doc)
	finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "report", 1), Failed, 3)
	for _, run := range [][2]string{{"a", "a<none>\n"}, {"b", "b<none>\n"}, {"a :post b(y=*this*)", "b<a<none>>\n"}, {"report :post a(x=*this*)", "a<>\n"}} {
		finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, run[0], 1), run[1])
	}
	second := launchOf(t, rb.fakeBackend, "report :post a(x=*this*) :post b(y=*this*)", 1)
	if !strings.HasPrefix(second.Script, "y='a<>\n'\n") {
		t.Errorf("second :post's script does not bind y to the first's value:\n%s", second.Script)
	}
	finishWith(rb.fakeBackend, second, "b<a<>\n>\n")
	waitDocumentEnded(t, e, id)
	resultsKept(t, e, id, "#+RESULTS: report\n: b<a<>\n: >\n")
}
