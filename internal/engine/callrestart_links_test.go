package engine

import (
	"slices"
	"testing"
)

// The tests here change what follows a block's run (the calls its
// references make, its :post chain: docState.followIndex) between two
// restarts of one document: block b's drawer results hold a block, found
// and run, and b run again prints another, whose :post or calls differ.
// A restart of the block found after that runs what its new text makes,
// not what the first one made (a follow index kept across the change
// would give the first one's tasks, dropped with it).

// linksDoc: f and g (g calls f(n=4)) are called, p and q are :post
// blocks, and b prints, in a drawer, the block it reads (foundOut).
const linksDoc = "#+name: f\n#+begin_src sh :var n=0\necho $n\n#+end_src\n\n" +
	"#+name: g\n#+begin_src sh :var m=f(n=4)\necho g $m\n#+end_src\n\n" +
	"#+name: p\n#+begin_src sh :var x=\"\"\necho p $x\n#+end_src\n\n" +
	"#+name: q\n#+begin_src sh :var x=\"\"\necho q $x\n#+end_src\n\n" +
	"#+name: b\n#+begin_src sh :results drawer\ncat blocks\n#+end_src\nText.\n"

// restartsChanging runs linksDoc, b printing first, then restarts each
// block of restarts in turn, b printing again from its first restart on,
// checking the blocks each restart runs.
func restartsChanging(t *testing.T, first, again string, restarts ...restartRuns) {
	t.Helper()
	e, rb, id := submitToReport(t, linksDoc)
	done, printed := 0, first
	out := func(a *Attempt) string {
		if a.Block == "b" {
			return printed
		}
		return a.Block + "\n"
	}
	ran := func() []string {
		var blocks []string
		for _, a := range finishEach(t, e, rb.fakeBackend, id, &done, out) {
			blocks = append(blocks, a.Block)
		}
		slices.Sort(blocks)
		return blocks
	}
	ran()
	for _, c := range restarts {
		if c.block == "b" {
			printed = again
		}
		if err := e.RestartBlock(t.Context(), id, c.block); err != nil {
			t.Fatal(err)
		}
		if got := ran(); !slices.Equal(got, c.runs) {
			t.Errorf("restart of %s ran %q, want %q", c.block, got, c.runs)
		}
	}
}

// TestRestartFoundPostChanged: the block found in b's results has
// :post p, then, b run again, :post q: a restart of the block found runs
// its :post chain as its new text has it (q), as Emacs runs the :post the
// block's header names at each run.
func TestRestartFoundPostChanged(t *testing.T) {
	restartsChanging(t,
		"#+name: fb\n#+begin_src sh :post p(x=*this*)\necho found\n#+end_src\n",
		"#+name: fb\n#+begin_src sh :post q(x=*this*)\necho found\n#+end_src\n",
		restartRuns{"b-found-1", []string{"b-found-1", "b-found-1 :post p(x=*this*)"}},
		restartRuns{"b", []string{"b", "b-found-1", "b-found-1 :post q(x=*this*)"}},
		restartRuns{"b-found-1", []string{"b-found-1", "b-found-1 :post q(x=*this*)"}},
	)
}

// TestRestartFoundPostGained: the block found first has no :post, the
// one found after b ran again has one, which its restart runs.
func TestRestartFoundPostGained(t *testing.T) {
	restartsChanging(t,
		"#+name: fb\n#+begin_src sh\necho found\n#+end_src\n",
		"#+name: fb\n#+begin_src sh :post q(x=*this*)\necho found\n#+end_src\n",
		restartRuns{"b-found-1", []string{"b-found-1"}},
		restartRuns{"b", []string{"b", "b-found-1", "b-found-1 :post q(x=*this*)"}},
		restartRuns{"b-found-1", []string{"b-found-1", "b-found-1 :post q(x=*this*)"}},
	)
}

// TestRestartRefusedCallsChanged: the block found in b's results is one
// :eval refuses, whose :var value calls g, then, b run again, g(m=7):
// Emacs runs each call before it refuses the block, and g's run calls
// f(n=4) again (a task at the refused block's place too). A restart of
// the call runs the call its block's :var makes with it (callRunsOf),
// as its new text has it: the calls named after the block found
// (b-found-1), the nested one's caller (CallOf) too.
func TestRestartRefusedCallsChanged(t *testing.T) {
	restartsChanging(t,
		"#+name: fb\n#+begin_src sh :eval no :var y=g\necho found\n#+end_src\n",
		"#+name: fb\n#+begin_src sh :eval no :var y=g(m=7)\necho found\n#+end_src\n",
		restartRuns{"b-found-1 :var y=g", []string{"b-found-1 :var y=g", "b-found-1 g :var m=f(n=4)"}},
		restartRuns{"b", []string{"b", "b-found-1 g :var m=f(n=4)", "b-found-1 g(m=7)"}},
		restartRuns{"b-found-1 g(m=7)", []string{"b-found-1 g :var m=f(n=4)", "b-found-1 g(m=7)"}},
	)
}
