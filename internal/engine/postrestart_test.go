package engine

import (
	"context"
	"strings"
	"testing"
)

// postChainDoc is a block a whose :post calls b, whose own :post calls
// c: a's results are c's value, from the task "a :post b(x=*this*)
// :post c(y=*this*)", two posts down the chain.
const postChainDoc = "#+name: a\n#+begin_src sh :post b(x=*this*)\necho a\n#+end_src\n\n" +
	"#+name: b\n#+begin_src sh :var x=\"\" :post c(y=*this*)\necho \"b $x\"\n#+end_src\n\n" +
	"#+name: c\n#+begin_src sh :var y=\"\"\necho \"c $y\"\n#+end_src\n"

// finishLaunches finishes launches from..to (1-based, in order) of fb,
// each printing out(its block, its number).
func finishLaunches(t *testing.T, fb *fakeBackend, from, to int, out func(block string, n int) string) {
	t.Helper()
	for n := from; n <= to; n++ {
		l := waitLaunches(t, fb, n)[n-1]
		fb.setOutput(l.ID, out(l.Block, n))
		finish(fb, l, Finished, 0)
	}
}

// TestRestartRunsNestedPostChain: restarting a block runs its whole
// :post chain again, the last post included (whose value is what Babel
// writes for the block), and the document's results are the new value.
func TestRestartRunsNestedPostChain(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), postChainDoc)
	if err != nil {
		t.Fatal(err)
	}
	finishLaunches(t, fb, 1, 6, func(block string, _ int) string { return "old " + block + "\n" })
	waitDocumentEnded(t, e, v.ID)
	if err := e.RestartBlock(context.Background(), v.ID, "a"); err != nil {
		t.Fatal(err)
	}
	finishLaunches(t, fb, 7, 9, func(block string, _ int) string { return "new " + block + "\n" })
	last := "a :post b(x=*this*) :post c(y=*this*)"
	if l := launchOf(t, fb, last, 2); l == nil {
		t.Fatalf("%s not launched again", last)
	}
	waitDocumentEnded(t, e, v.ID)
	res, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := "#+RESULTS: a\n: new " + last + "\n"; !strings.Contains(string(res), want) {
		t.Errorf("results lack %q:\n%s", want, res)
	}
}
