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
	place := taskPlaces(p, func(t *Task) (int, bool) {
		at, ok := own[t]
		return at, ok
	})
	for _, c := range []struct {
		t  *Task
		at int
		ok bool
	}{
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
	} {
		if at, ok := place(c.t); at != c.at || ok != c.ok {
			t.Errorf("place of %q = %d, %v; want %d, %v", c.t.Block, at, ok, c.at, c.ok)
		}
	}
}
