package plan

import "testing"

// TestTaskPlaces: where each task runs among the blocks found in results
// (taskPlaces): a block's task at its own place; a task of a :post
// chain, at any depth, at the place of the block whose :post starts it,
// which no task names; a call's task at the last place of the tasks
// that name it, a :post task among them; a task no task names, or one
// only a cycle of calls names, nowhere.
func TestTaskPlaces(t *testing.T) {
	root := &Task{Block: "root", Index: 0}
	later := &Task{Block: "later", Index: 1}
	post := &Task{Block: "root :post shout(s=*this*)", Index: -1, Post: true, owner: root, After: []string{"root", "inner"}}
	deeper := &Task{Block: "root :post brace :post shout", Index: -2, Post: true, owner: post}
	inner := &Task{Block: "inner", Index: -3} // called by the :post only
	call := &Task{Block: "f(n=5)", Index: -4} // called by root and later
	lone := &Task{Block: "g(n=1)", Index: -5} // called by no task
	ring1 := &Task{Block: "h(n=1)", Index: -6, After: []string{"h(n=2)"}}
	ring2 := &Task{Block: "h(n=2)", Index: -7, After: []string{"h(n=1)"}}
	orphan := &Task{Block: "x :post y", Index: -8, Post: true} // no owner
	root.After = []string{"f(n=5)"}
	later.After = []string{"f(n=5)"}
	p := &Plan{Tasks: []*Task{root, later, post, deeper, inner, call, lone, ring1, ring2, orphan}}
	own := map[*Task]int{root: 10, later: 40}
	checkPlaces(t, p, own, []wantPlace{
		{root, 10, true},
		{later, 40, true},
		{post, 10, true},   // its block's place, not 0 nor later's
		{deeper, 10, true}, // a chain two deep
		{inner, 10, true},  // named by the :post alone
		{call, 40, true},   // the last of its callers
		{lone, 0, false},
		{ring1, 0, false},
		{ring2, 0, false},
		{orphan, 0, false},
	})
}

// TestTaskPlacesOfReadings: the reading of a block's output by the
// document's Emacs (ReadsOutput) stands at the first turn at which Emacs
// reads it: its block's own, where nothing names it (a Python block
// :results table drawer, whose value org-babel-execute:python reads in
// its run); that of a block naming it before the block, whose reference
// runs the block (org-babel-ref-resolve), or the block's own before a
// later one naming it; a #+call: line's at the line; a :post's task at
// its chain's block; a run a reference makes (a block called with
// arguments), which has no turn of its own, at the block calling it, as
// the run is; nowhere where its block, or a block naming it, has none.
func TestTaskPlacesOfReadings(t *testing.T) {
	reading := func(owner *Task, index int) *Task {
		return &Task{Block: ReaderOf(owner.Block), Index: index, ReadsOutput: true,
			ResultsWith: owner.Block, owner: owner, After: []string{owner.Block}}
	}
	py := &Task{Block: "py", Index: 1}
	alone := reading(py, -1) // named by no task
	fwd := &Task{Block: "fwd", Index: 2}
	early := &Task{Block: "early", Index: 3, After: []string{ReaderOf("fwd")}}
	fwdRead := reading(fwd, -2) // named by a block before its own
	named := &Task{Block: "named", Index: 4}
	late := &Task{Block: "late", Index: 5, After: []string{ReaderOf("named")}}
	namedRead := reading(named, -3) // named by a block after its own
	call := &Task{Block: "call-line", Index: 6}
	callRead := reading(call, -4) // a #+call: line's
	root := &Task{Block: "root", Index: 7}
	post := &Task{Block: "root :post p(x=*this*)", Index: -5, Post: true, owner: root, After: []string{"root"}}
	postRead := reading(post, -6) // its :post's output
	run := &Task{Block: "f(n=5)", Index: -7, called: &calledRef{name: "f", args: "n=5"}}
	caller := &Task{Block: "caller", Index: 8, After: []string{ReaderOf("f(n=5)")}}
	runRead := reading(run, -8) // a run a reference makes
	lone := &Task{Block: "g(n=1)", Index: -9, called: &calledRef{name: "g", args: "n=1"}}
	loneRead := reading(lone, -10) // a run nobody calls
	unmarked := &Task{Block: "unmarked", Index: 9}
	unmarkedRead := reading(unmarked, -11) // its block has no place
	other := &Task{Block: "other", Index: 10}
	blind := &Task{Block: "blind", Index: -12, After: []string{ReaderOf("other")}} // placed nowhere
	otherRead := reading(other, -13)
	orphan := &Task{Block: "gone output read by Emacs", Index: -14, ReadsOutput: true, ResultsWith: "gone"}
	p := &Plan{Tasks: []*Task{py, alone, fwd, early, fwdRead, named, late, namedRead, call, callRead,
		root, post, postRead, run, caller, runRead, lone, loneRead, unmarked, unmarkedRead, other, blind, otherRead, orphan}}
	own := map[*Task]int{py: 20, fwd: 50, early: 5, named: 60, late: 70, call: 80, root: 90, caller: 100, other: 110}
	checkPlaces(t, p, own, []wantPlace{
		{alone, 20, true},     // its block's turn
		{fwdRead, 5, true},    // the block naming it, before its own
		{namedRead, 60, true}, // its own, before the block naming it
		{callRead, 80, true},  // the #+call: line's
		{postRead, 90, true},  // the :post's, at its block's
		{runRead, 100, true},  // the caller's
		{run, 100, true},      // the run it reads, there too
		{loneRead, 0, false},
		{lone, 0, false},
		{unmarkedRead, 0, false},
		{otherRead, 0, false}, // a task naming it has no place
		{orphan, 0, false},
	})
}

// wantPlace is the place a task should have (ok false: none).
type wantPlace struct {
	t  *Task
	at int
	ok bool
}

// checkPlaces checks the places taskPlaces gives the tasks of p, own
// giving those of the tasks of blocks.
func checkPlaces(t *testing.T, p *Plan, own map[*Task]int, want []wantPlace) {
	t.Helper()
	place := taskPlaces(p, func(t *Task) (int, bool) {
		at, ok := own[t]
		return at, ok
	})
	for _, c := range want {
		if at, ok := place(c.t); at != c.at || ok != c.ok {
			t.Errorf("place of %q = %d, %v; want %d, %v", c.t.Block, at, ok, c.at, c.ok)
		}
	}
}
