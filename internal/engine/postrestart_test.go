package engine

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
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
	e, fb, id := ranThenRestarted(t, postChainDoc, 6)
	finishLaunches(t, fb, 7, 9, func(block string, _ int) string { return "new " + block + "\n" })
	lastPostWritten(t, e, fb, id, "a :post b(x=*this*) :post c(y=*this*)")
}

// ranThenRestarted submits doc, finishes its n launches (each printing
// "old BLOCK") and restarts block a once the document has ended.
func ranThenRestarted(t *testing.T, doc string, n int) (*Engine, *fakeBackend, string) {
	t.Helper()
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	finishLaunches(t, fb, 1, n, func(block string, _ int) string { return "old " + block + "\n" })
	waitDocumentEnded(t, e, v.ID)
	if err := e.RestartBlock(context.Background(), v.ID, "a"); err != nil {
		t.Fatal(err)
	}
	return e, fb, v.ID
}

// lastPostWritten checks that post, the last of a's :post chain, ran
// again and that a's results are its new value ("new POST").
func lastPostWritten(t *testing.T, e *Engine, fb *fakeBackend, id, post string) {
	t.Helper()
	launchOf(t, fb, post, 2)
	waitDocumentEnded(t, e, id)
	res, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if want := "#+RESULTS: a\n: new " + post + "\n"; !strings.Contains(string(res), want) {
		t.Errorf("results lack %q:\n%s", want, res)
	}
}

// TestRestartRunsPostAgain: restarting a plain block with a :post runs
// the post again, queued saying it runs with its block (not that a
// restart of it was requested), and the post's new value is written for
// the block.
func TestRestartRunsPostAgain(t *testing.T) {
	e, fb, id := ranThenRestarted(t, postDoc, 3)
	post := "a :post f(x=*this*)"
	d, _ := e.Document(id)
	if m, _ := blockMessage(d, post); m != postRunsAgainWhy("a") {
		t.Errorf("%s queued saying %q, want %q", post, m, postRunsAgainWhy("a"))
	}
	finishLaunches(t, fb, 4, 5, func(block string, _ int) string { return "new " + block + "\n" })
	lastPostWritten(t, e, fb, id, post)
}

// postDoc is a block a whose :post calls f.
const postDoc = "#+name: a\n#+begin_src sh :post f(x=*this*)\necho a\n#+end_src\n\n" +
	"#+name: f\n#+begin_src sh :var x=\"\"\necho \"f $x\"\n#+end_src\n"

// TestPostsOfRequeuedOwnersOnly: runAgain queues again the :post chain of
// a block only when it queues the block again: an owner whose instance
// stays (killed on request, stays) keeps its posts as they are; one that
// ran has its whole chain (both posts of a) queued with it.
func TestPostsOfRequeuedOwnersOnly(t *testing.T) {
	doc, err := org.Parse(postChainDoc)
	if err != nil {
		t.Fatal(err)
	}
	p, err := plan.Build(doc, plan.Limits{}, plan.DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	ds := &docState{}
	var a *blockState
	for _, task := range p.Tasks {
		b := &blockState{doc: ds, name: task.Block, task: task}
		b.instances = []*instState{{block: b, rec: store.Instance{State: string(Finished)}}}
		ds.blocks = append(ds.blocks, b)
		if task.Block == "a" {
			a = b
		}
	}
	names := func(bs []*blockState) []string {
		var out []string
		for _, b := range bs {
			out = append(out, b.name)
		}
		return out
	}
	want := []string{"a :post b(x=*this*)", "a :post b(x=*this*) :post c(y=*this*)"}
	if got := names(ds.postsOf(requeuedOf([]*blockState{a}, stays), []*blockState{a})); !slices.Equal(got, want) {
		t.Errorf("posts of a, which ran: %q, want %q", got, want)
	}
	a.instances[0].rec.Killed = true
	if got := ds.postsOf(requeuedOf([]*blockState{a}, stays), []*blockState{a}); len(got) != 0 {
		t.Errorf("posts of a, killed on request, queued again: %q", names(got))
	}
}

// TestRestartedPostAcrossServerRestart: a restart stored, then the server
// started again before the block ran: the post queued again with it is
// adopted queued, saying why, and runs again after its block, its new
// value written.
func TestRestartedPostAcrossServerRestart(t *testing.T) {
	dir, rb, e, stop, id := submitOnDisk(t, postDoc)
	finishLaunches(t, rb.fakeBackend, 1, 3, func(block string, _ int) string { return "old " + block + "\n" })
	waitDocumentEnded(t, e, id)
	if err := e.RestartBlock(context.Background(), id, "a"); err != nil {
		t.Fatal(err)
	}
	stop()
	e2, _ := startEngine(t, dir, rb, Config{})
	post := "a :post f(x=*this*)"
	d, _ := e2.Document(id)
	for _, b := range d.Blocks {
		if b.Name == post && (len(b.Instances) != 1 || b.Instances[0].State != Queued || b.Instances[0].Message != postRunsAgainWhy("a")) {
			t.Errorf("%s after the server restart: %+v", post, b.Instances)
		}
	}
	again := launchOf(t, rb.fakeBackend, "a", 2)
	finishWith(rb.fakeBackend, again, "new a\n")
	finishWith(rb.fakeBackend, launchOf(t, rb.fakeBackend, post, 2), "new "+post+"\n")
	lastPostWritten(t, e2, rb.fakeBackend, id, post)
}
