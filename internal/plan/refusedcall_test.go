package plan

import (
	"slices"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// mustPlan plans text, failing t when it does not parse or is refused.
func mustPlan(t *testing.T, text string) *Plan {
	t.Helper()
	doc, err := org.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(doc, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// taskNamed is p's task of name, failing t when it has none.
func taskNamed(t *testing.T, p *Plan, name string) *Task {
	t.Helper()
	for _, x := range p.Tasks {
		if x.Block == name {
			return x
		}
	}
	var names []string
	for _, x := range p.Tasks {
		names = append(names, x.Block)
	}
	t.Fatalf("no task %s among %q", name, names)
	return nil
}

// TestEvalRefusedCallPlanned: a block :eval refuses whose :var calls a
// block with arguments has Emacs run that block with them at its turn
// (TestAgainstEmacs/stop_evalno_call_args): the call is a task of its
// own, run, whose RefusedReaders hold the refused block, so that a stop
// its run makes is made there.
func TestEvalRefusedCallPlanned(t *testing.T) {
	p := mustPlan(t, "#+begin_src sh :eval no :var m=maker(n=2)\necho \"m=$m\"\n#+end_src\n\n"+
		"#+begin_src sh\necho third\n#+end_src\n\n"+
		"#+name: maker\n#+begin_src sh :var n=1\necho \"n=$n\"\n#+end_src\n")
	call := taskNamed(t, p, "maker(n=2)")
	if call.Replaced != "" {
		t.Errorf("maker(n=2) not run: %s", call.Replaced)
	}
	if want := []BlockPlace{{Line: 1, Index: 0}}; !slices.Equal(call.RefusedReaders, want) {
		t.Errorf("RefusedReaders %v, want %v", call.RefusedReaders, want)
	}
	if len(taskNamed(t, p, "maker").RefusedReaders) != 0 {
		t.Errorf("maker's own run has RefusedReaders %v: the refused block names a call, not maker", taskNamed(t, p, "maker").RefusedReaders)
	}
}

// TestEvalRefusedCallNotReached: the call of a block :eval refuses that
// Emacs never reaches (after a stop, in results replaced before it) or
// whose references stop Emacs before it runs the call is dropped from
// the plan: no task of it is shown, as before refused calls were planned.
func TestEvalRefusedCallNotReached(t *testing.T) {
	maker := "#+name: maker\n#+begin_src sh :var n=1\necho \"n=$n\"\n#+end_src\n"
	for _, c := range []struct{ name, text string }{
		{"after a stop", "#+begin_src sh :var a=1 :var \"X\" :var \"Y\"\necho bad\n#+end_src\n\n" +
			"#+begin_src sh :eval no :var m=maker(n=2)\necho \"m=$m\"\n#+end_src\n\n" + maker},
		{"stopped before the call", "#+begin_src sh :eval no :var b=bad :var m=maker(n=2)\necho \"m=$m\"\n#+end_src\n\n" + maker +
			"\n#+name: bad\n#+begin_src sh :var a=1 :var \"X\" :var \"Y\"\necho bad\n#+end_src\n"},
		{"in results replaced", "#+begin_src sh :results raw\necho hi\n#+end_src\n\n#+RESULTS:\n" +
			"#+begin_src sh :eval no :var m=maker(n=2)\necho \"m=$m\"\n#+end_src\n\n" + maker},
		// An inline block's Index is past the document's Blocks.
		{"inline after a stop", "#+begin_src sh :var a=1 :var \"X\" :var \"Y\"\necho bad\n#+end_src\n\n" +
			"Text src_sh[:eval no :var m=maker(n=2)]{echo $m} here.\n\n" + maker},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := mustPlan(t, c.text)
			for _, x := range p.Tasks {
				if x.Block == "maker(n=2)" {
					t.Errorf("maker(n=2) planned (Replaced %q, RefusedReaders %v), though Emacs never runs it: main showed nothing", x.Replaced, x.RefusedReaders)
				}
			}
		})
	}
}

// TestEvalRefusedCallRunsBeforeStop: a refused block's call with
// arguments that Emacs resolves before a later reference stops it runs,
// the refused block among its RefusedReaders: a stop its run makes is
// made first.
func TestEvalRefusedCallRunsBeforeStop(t *testing.T) {
	p := mustPlan(t, "#+begin_src sh :eval no :var m=maker(n=2) :var b=bad\necho \"m=$m\"\n#+end_src\n\n"+
		"#+name: maker\n#+begin_src sh :var n=1\necho \"n=$n\"\n#+end_src\n\n"+
		"#+name: bad\n#+begin_src sh :var a=1 :var \"X\" :var \"Y\"\necho bad\n#+end_src\n")
	if p.StopLine != 1 {
		t.Fatalf("the plan stops at line %d, want 1", p.StopLine)
	}
	call := taskNamed(t, p, "maker(n=2)")
	if call.Replaced != "" || !slices.Equal(call.RefusedReaders, []BlockPlace{{Line: 1, Index: 0}}) {
		t.Errorf("maker(n=2): Replaced %q, RefusedReaders %v; want run, read by the refused block", call.Replaced, call.RefusedReaders)
	}
}

// TestEvalRefusedNestedCallNoPanic: a call nested in the arguments of a
// refused block's call, to a block :eval refuses too, is planned from
// the called copy (whose Index is negative): Build must not panic, and
// Emacs runs the nested call at the refused block's turn
// (org-babel-ref-resolve resolves the called block's :var values).
func TestEvalRefusedNestedCallNoPanic(t *testing.T) {
	other := "\n#+name: other\n#+begin_src sh :var k=1\necho \"k=$k\"\n#+end_src\n"
	for _, c := range []struct{ name, text string }{
		{"default", "#+begin_src sh :eval no :var m=maker(n=2)\necho \"m=$m\"\n#+end_src\n\n" +
			"#+name: maker\n#+begin_src sh :eval no :var n=1 :var y=other(k=3)\necho \"n=$n\"\n#+end_src\n" + other},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := mustPlan(t, c.text)
			call := taskNamed(t, p, "other(k=3)")
			if call.Replaced != "" {
				t.Errorf("other(k=3) not run: %s", call.Replaced)
			}
			if len(call.RefusedReaders) == 0 || call.RefusedReaders[0] != (BlockPlace{Line: 1, Index: 0}) {
				t.Errorf("other(k=3) RefusedReaders %v, want {1 0} first", call.RefusedReaders)
			}
		})
	}
}

// TestEvalRefusedCalleeArgsNotRun: a call whose inside header makes
// the called block refuse evaluation (maker[:eval no](…)) is not
// evaluated, so its arguments are never resolved
// (org-babel-check-evaluate comes before org-babel-process-params):
// the call in them is not run (checked with Emacs: an argument naming
// nothing there makes no stop).
func TestEvalRefusedCalleeArgsNotRun(t *testing.T) {
	for _, c := range []struct{ call, maker, why string }{
		{"maker[:eval no](n=2, y=other(k=3))", "", "a call that is not evaluated"},
		{"maker(n=2, y=other(k=3))", " :eval no", "a call to a block :eval refuses"},
	} {
		p := mustPlan(t, "#+begin_src sh :eval no :var m="+c.call+"\necho \"m=$m\"\n#+end_src\n\n"+
			"#+name: maker\n#+begin_src sh"+c.maker+" :var n=1 :var y=1\necho \"n=$n\"\n#+end_src\n"+
			"\n#+name: other\n#+begin_src sh :var k=1\necho \"k=$k\"\n#+end_src\n")
		for _, task := range p.Tasks {
			if task.Block == "other(k=3)" && task.Replaced == "" {
				t.Errorf("other(k=3) run, in the arguments of %s", c.why)
			}
		}
	}
	p := mustPlan(t, "#+begin_src sh :eval no :var m=maker[:eval no](n=nosuch)\necho \"m=$m\"\n#+end_src\n\n"+
		"#+name: maker\n#+begin_src sh :var n=1\necho \"n=$n\"\n#+end_src\n")
	if p.Stop != "" {
		t.Errorf("Stop %q, want none: the call's arguments are never resolved", p.Stop)
	}
}

// TestEvalRefusedCallProblemsNotRejected: what the called block cannot
// take under a refused block's call arguments does not refuse a document
// the refused block's call was not planned in before: the call is
// planned tentatively. Where Emacs never reaches the call (after a
// stop, in results replaced) no task of it runs.
func TestEvalRefusedCallProblemsNotRejected(t *testing.T) {
	maker := "\n#+name: maker\n#+begin_src sh :var n=1\necho \"n=$n\"\n#+end_src\n"
	stop := "#+begin_src sh :var a=1 :var \"X\" :var \"Y\"\necho bad\n#+end_src\n\n"
	for _, c := range []struct {
		name, text string
		reached    bool
	}{
		{"K unknown reference", "#+begin_src sh :eval no :var m=maker(n=nosuch)\necho \"m=$m\"\n#+end_src\n" + maker, true},
		{"L after a stop", stop + "#+begin_src sh :eval no :var m=maker(n=nosuch)\necho \"m=$m\"\n#+end_src\n" + maker, false},
		{"O in results replaced", "#+begin_src sh :results raw\necho hi\n#+end_src\n\n#+RESULTS:\n" +
			"#+begin_src sh :eval no :var m=maker(n=nosuch)\necho \"m=$m\"\n#+end_src\n" + maker, false},
		{"M dockerize", "#+begin_src sh :eval no :var m=maker[:dockerize yes](n=2)\necho \"m=$m\"\n#+end_src\n" + maker, true},
		{"N dockerize after a stop", stop + "#+begin_src sh :eval no :var m=maker[:dockerize yes](n=2)\necho \"m=$m\"\n#+end_src\n" + maker, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := mustPlan(t, c.text)
			if c.reached {
				return
			}
			for _, x := range p.Tasks {
				if strings.HasPrefix(x.Block, "maker(") && x.Replaced == "" {
					t.Errorf("%s runs, though Emacs never reaches the call", x.Block)
				}
			}
		})
	}
}

// TestEvalRefusedCallProblemOnce: a document refused for what a block
// cannot take is refused for it once, not again for the refused block's
// call of that block (planned tentatively).
func TestEvalRefusedCallProblemOnce(t *testing.T) {
	doc, err := org.Parse("#+begin_src sh :eval no :var m=maker(n=2)\necho \"m=$m\"\n#+end_src\n\n" +
		"#+name: maker\n#+begin_src sh :dockerize yes :var n=1\necho \"n=$n\"\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	_, err = Build(doc, Limits{}, DefaultOptions)
	if err == nil {
		t.Fatal("the document is planned, though maker cannot be run")
	}
	if strings.Contains(err.Error(), "maker(n=2)") || strings.Count(err.Error(), ":dockerize") != 1 {
		t.Errorf("problems: %v, want maker's once", err)
	}
}

// TestEvalRefusedCallNotReachedPost: the unreached call of a block
// :eval refuses, to a block with a :post, is dropped with its :post
// chain: the :post task waits for the call's task, but that does not
// make the call reached (Emacs, stopped at line 5, runs neither).
func TestEvalRefusedCallNotReachedPost(t *testing.T) {
	p := mustPlan(t, "#+begin_src sh\necho first\n#+end_src\n\n"+
		"#+begin_src sh :var a=1 :var \"X\" :var \"Y\"\necho bad\n#+end_src\n\n"+
		"#+begin_src sh :eval no :var m=maker(n=2)\necho \"m=$m\"\n#+end_src\n\n"+
		"#+name: maker\n#+begin_src sh :var n=1 :post wrap(x=*this*)\necho \"n=$n\"\n#+end_src\n\n"+
		"#+name: wrap\n#+begin_src sh :var x=0\necho \"<$x>\"\n#+end_src\n")
	if p.StopLine != 5 {
		t.Fatalf("the plan stops at line %d, want 5", p.StopLine)
	}
	for _, x := range p.Tasks {
		if strings.HasPrefix(x.Block, "maker(n=2)") {
			t.Errorf("%s planned (Replaced %q, RefusedReaders %v), though Emacs never runs it", x.Block, x.Replaced, x.RefusedReaders)
		}
	}
}

// TestBufferEditsNoRefusedCalls: the buffer's plan (BufferEdits) plans
// no calls of blocks :eval refuses, as Build does not when one cannot be
// planned: none is in it, not marked where Emacs never reaches it, and
// what a call cannot take is no failing block's.
func TestBufferEditsNoRefusedCalls(t *testing.T) {
	blocks := []string{
		"#+begin_src sh\necho first\n#+end_src\n",
		"#+begin_src sh :eval no :var m=maker(n=nosuch)\necho \"m=$m\"\n#+end_src\n",
		"#+name: maker\n#+begin_src sh :var n=1\necho \"n=$n\"\n#+end_src\n",
	}
	text := strings.Join(blocks, "\n") + "\n"
	doc, p, _ := planned(t, text)
	e, err := BufferEdits(doc, p, bufferReport(t, len(blocks), "", blocks, 1, text), Limits{}, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range e.Plan.Tasks {
		if strings.HasPrefix(x.Block, "maker(") {
			t.Errorf("the buffer's plan holds %s (Replaced %q), a refused block's call", x.Block, x.Replaced)
		}
	}
	if len(e.failing) != 0 {
		t.Errorf("failing %q, want none", e.failing)
	}
	for _, x := range p.Tasks {
		if d := e.Decide(x); d.Kind == Fails {
			t.Errorf("%s: %+v", x.Block, d)
		}
	}
}

// TestEvalRefusedCallSharedReasonStable: two refused blocks whose calls
// share one task (calledTask's name is the call's), neither reached:
// the reason the task is not run names the same block, the first, every
// time, not whichever a map iteration comes to first.
func TestEvalRefusedCallSharedReasonStable(t *testing.T) {
	doc, err := org.Parse("#+begin_src sh :eval no :var m=maker(n=2)\necho \"m=$m\"\n#+end_src\n\n" +
		"#+begin_src sh :eval no :var m=maker(n=2)\necho \"again $m\"\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		call := &Task{Block: "maker(n=2)"}
		b := &builder{doc: doc, plan: &Plan{Tasks: []*Task{call}}, byName: map[string]*Task{call.Block: call},
			refusedCall: map[int]map[string]string{0: {"maker(n=2)": call.Block}, 1: {"maker(n=2)": call.Block}}}
		b.markRefusedCallsUnreached()
		if !strings.Contains(call.Replaced, "(line 1)") {
			t.Fatalf("round %d: reason %q, want the first refused block's line 1", i, call.Replaced)
		}
	}
}

// TestEvalRefusedUnknownRefStops: a block :eval refuses whose :var
// names nothing in the buffer (no element named so outside COMMENT
// headings, no heading of that CUSTOM_ID), alone or in a call's
// arguments, nested or not, stops the document at the refused block
// with org-babel-ref-resolve's error
// (TestAgainstEmacs/stop:_eval_no_call_args,_unknown_reference and its
// neighbours); the call that never completes is not planned.
func TestEvalRefusedUnknownRefStops(t *testing.T) {
	maker := "\n#+name: maker\n#+begin_src sh :var n=1\necho \"n=$n\"\n#+end_src\n"
	other := "\n#+name: other\n#+begin_src sh :var k=1\necho \"k=$k\"\n#+end_src\n"
	first := "#+begin_src sh\necho before\n#+end_src\n\n"
	for _, c := range []struct{ name, vars, rest, missing string }{
		{"no call", "m=nosuch", "", "nosuch"},
		{"call argument", "m=maker(n=nosuch)", maker, "nosuch"},
		{"nested call argument", "m=maker(n=other(k=nosuch))", maker + other, "nosuch"},
		{"called name", "m=nosuch(n=2)", maker, "nosuch"},
		{"indexed", "m=nosuch[0]", "", "nosuch"},
		{"commented block", "m=maker(n=hidden)", maker + "\n* COMMENT h\n#+name: hidden\n#+begin_src sh\necho hidden\n#+end_src\n", "hidden"},
		{"srcname", "m=maker(n=old)", maker + "\n#+srcname: old\n#+begin_src sh\necho old\n#+end_src\n", "old"},
		{"second value", "a=maker(n=2) :var b=maker(n=nosuch)", maker, "nosuch"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := mustPlan(t, first+"#+begin_src sh :eval no :var "+c.vars+"\necho \"m=$m\"\n#+end_src\n\n#+begin_src sh\necho after\n#+end_src\n"+c.rest)
			if want := "Reference ‘" + c.missing + "’ not found in this buffer"; p.Stop != want || p.StopLine != 5 || p.StopIndex != 1 {
				t.Fatalf("stop %q at line %d (index %d), want %q at line 5 (index 1)", p.Stop, p.StopLine, p.StopIndex, want)
			}
			if after := taskNamed(t, p, "block-3"); after.Replaced == "" {
				t.Errorf("block-3, after the stop, runs")
			}
			for _, x := range p.Tasks {
				if strings.Contains(x.Block, "nosuch") || strings.Contains(x.Block, "(n=hidden)") || strings.Contains(x.Block, "(n=old)") {
					t.Errorf("%s planned, a call Emacs never completes", x.Block)
				}
			}
			if c.name == "second value" {
				// Resolved before the unknown reference: run.
				if call := taskNamed(t, p, "maker(n=2)"); call.Replaced != "" || len(call.RefusedReaders) == 0 {
					t.Errorf("maker(n=2): Replaced %q, RefusedReaders %v; want run, read by the refused block", call.Replaced, call.RefusedReaders)
				}
			}
		})
	}
}

// TestEvalRefusedUnknownRefKnownNames: what org-babel-ref-resolve finds
// without running a block (named data, a heading's CUSTOM_ID) is no
// unknown reference, and makes no stop.
func TestEvalRefusedUnknownRefKnownNames(t *testing.T) {
	for _, c := range []struct{ name, text string }{
		{"table", "#+name: tab\n| 1 |\n\n#+begin_src sh :eval no :var m=tab\necho $m\n#+end_src\n"},
		{"custom id", "* H\n:PROPERTIES:\n:CUSTOM_ID: hid\n:END:\nbody\n\n#+begin_src sh :eval no :var m=hid\necho $m\n#+end_src\n"},
		{"block", "#+name: b\n#+begin_src sh\necho b\n#+end_src\n\n#+begin_src sh :eval no :var m=b\necho $m\n#+end_src\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if p := mustPlan(t, c.text); p.Stop != "" {
				t.Errorf("the plan stops with %q at line %d", p.Stop, p.StopLine)
			}
		})
	}
}

// TestEvalRefusedCallPartialRollback: of two blocks :eval refuses, each
// calling a block with arguments, the one whose call Borges cannot plan
// (its argument names a block Borges does not run) has its call rolled
// back alone: the other's call is still planned, run and read by its
// refused block, in either order.
func TestEvalRefusedCallPartialRollback(t *testing.T) {
	bad := "#+begin_src sh :eval no :var m=user(n=2, x=off)\necho \"m=$m\"\n#+end_src\n\n"
	good := "#+begin_src sh :eval no :var m=maker(n=2)\necho \"m=$m\"\n#+end_src\n\n"
	rest := "#+name: user\n#+begin_src sh :var n=1 :var x=1\necho \"n=$n x=$x\"\n#+end_src\n\n" +
		"#+name: off\n#+begin_src sh :eval no\necho off\n#+end_src\n\n" +
		"#+name: maker\n#+begin_src sh :var n=1\necho \"n=$n\"\n#+end_src\n"
	for _, c := range []struct {
		name, text string
		line       int
	}{
		{"unplannable first", bad + good + rest, 5},
		{"unplannable last", good + bad + rest, 1},
		{"dockerize first", "#+begin_src sh :eval no :var m=maker[:dockerize yes](n=3)\necho \"m=$m\"\n#+end_src\n\n" + good + rest, 5},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := mustPlan(t, c.text)
			call := taskNamed(t, p, "maker(n=2)")
			if want := []BlockPlace{{Line: c.line, Index: c.line / 4}}; call.Replaced != "" || !slices.Equal(call.RefusedReaders, want) {
				t.Errorf("maker(n=2): Replaced %q, RefusedReaders %v; want run, read by the refused block at %v", call.Replaced, call.RefusedReaders, want)
			}
			for _, x := range p.Tasks {
				if strings.HasPrefix(x.Block, "user(") || strings.HasPrefix(x.Block, "maker[") {
					t.Errorf("%s planned, a call Borges cannot plan", x.Block)
				}
			}
		})
	}
}

// TestBuildPlansOnce: Build plans a document once, whether a refused
// block's call cannot be planned (rolled back alone) or the document is
// refused (its problems found in that one pass).
func TestBuildPlansOnce(t *testing.T) {
	for _, c := range []struct {
		name, text string
		refused    bool
	}{
		{"unplannable call", "#+begin_src sh :eval no :var m=user(n=2, x=off)\necho \"m=$m\"\n#+end_src\n\n" +
			"#+name: user\n#+begin_src sh :var n=1 :var x=1\necho \"n=$n x=$x\"\n#+end_src\n\n" +
			"#+name: off\n#+begin_src sh :eval no\necho off\n#+end_src\n", false},
		{"refused document", "#+begin_src sh :eval no :var m=maker(n=2)\necho \"m=$m\"\n#+end_src\n\n" +
			"#+name: maker\n#+begin_src sh :var n=1 :var q=nosuch\necho \"n=$n\"\n#+end_src\n", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := org.Parse(c.text)
			if err != nil {
				t.Fatal(err)
			}
			b, _, err := buildDoc(doc, Limits{}, DefaultOptions)
			if (err != nil) != c.refused {
				t.Fatalf("error %v, want refused %v", err, c.refused)
			}
			if b.passes != 1 {
				t.Errorf("the document was planned %d times, want once", b.passes)
			}
		})
	}
}

// TestEvalRefusedCallRollbackSession: a refused block's call Borges
// cannot plan, to a block of a session, is rolled back from the
// session's order too: the next block of the session comes after the
// one before the call (or first, when the call was), waiting for no
// task that is gone.
func TestEvalRefusedCallRollbackSession(t *testing.T) {
	refused := "#+begin_src sh :eval no :var m=user(n=2, x=off)\necho \"m=$m\"\n#+end_src\n\n"
	one := "#+begin_src sh :session s\necho one\n#+end_src\n\n"
	three := "#+name: three\n#+begin_src sh :session s\necho three\n#+end_src\n\n"
	rest := "#+name: user\n#+begin_src sh :session s :var n=1 :var x=1\necho \"n=$n x=$x\"\n#+end_src\n\n" +
		"#+name: off\n#+begin_src sh :eval no\necho off\n#+end_src\n"
	for _, c := range []struct{ name, text, prev string }{
		{"after a block of the session", one + refused + three + rest, "block-1"},
		{"first of the session", refused + three + rest, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := mustPlan(t, c.text)
			names := map[string]bool{}
			for _, x := range p.Tasks {
				names[x.Block] = true
				if strings.Contains(x.Block, "user(") {
					t.Errorf("%s planned, a call Borges cannot plan", x.Block)
				}
			}
			th := taskNamed(t, p, "three")
			if th.SessionPrev() != c.prev {
				t.Errorf("three comes after %q in its session, want %q", th.SessionPrev(), c.prev)
			}
			for _, x := range p.Tasks {
				for _, a := range x.After {
					if !names[a] {
						t.Errorf("%s waits for %s, not planned", x.Block, a)
					}
				}
			}
			if u := taskNamed(t, p, "user"); u.SessionPrev() != "three" {
				t.Errorf("user comes after %q in its session, want three", u.SessionPrev())
			}
		})
	}
}

// TestFoundRefusedCalls: a block :eval no found in results whose :var
// values call a block with arguments has the tasks of those calls
// (Addition.Calls), named after it, in order, waiting for what the
// called block needs and writing nowhere, as Emacs resolves them before
// it refuses the block (testdata/found_evalno_var_call_two.org, checked
// against Emacs); one whose call runs in a session has none, its reason
// of being skipped saying the call is not run.
func TestFoundRefusedCalls(t *testing.T) {
	for _, c := range []struct {
		name, callee string
		want         []string
	}{
		{"shell", "#+name: side\n#+begin_src sh :var n=0 :var d=dep\necho \"n=$n\"\n#+end_src\n", []string{"side :var d=dep~2", "side(n=1)", "side :var d=dep~3", "side(n=2)"}},
		{"session", "#+name: side\n#+begin_src sh :session s :var n=0 :var d=dep\necho \"n=$n\"\n#+end_src\n", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			text := "#+name: dep\n#+begin_src sh\necho dep\n#+end_src\n\n" + c.callee + "\n" +
				"#+name: a\n#+begin_src sh :results raw\nprintf x\n#+end_src\n"
			doc, p, _ := planned(t, text)
			results := map[int]org.Result{}
			for _, b := range doc.Executables() {
				results[b.Index] = org.Result{Output: "0\n"}
				if b.Line > 10 {
					results[b.Index] = org.Result{Output: "#+begin_src sh :eval no :var a=side(n=1) :var b=side(n=2)\necho skipped\n#+end_src\n"}
				}
			}
			e, err := BufferEdits(doc, p, doc.ReportResults(results, nil), Limits{}, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			added := e.Added()
			if len(added) != 1 || !added[0].Refused || added[0].Task != nil {
				t.Fatalf("added %+v, want one block refused", added)
			}
			var got []string
			for _, x := range added[0].Calls {
				got = append(got, strings.TrimPrefix(x.Block, "a-found-1 "))
				// Each call waits for the run its :var d=dep makes
				// of dep, planned before it (rerun.go).
				waits := strings.Contains(x.Block, ":var d=dep") || slices.ContainsFunc(x.After, func(a string) bool { return strings.Contains(a, ":var d=dep") })
				if !x.RefusedCall() || x.ResultsIndex() >= 0 || !waits || x.Line != added[0].Line {
					t.Errorf("%s: call %v, results at %d, after %q, line %d (block's %d)", x.Block, x.RefusedCall(), x.ResultsIndex(), x.After, x.Line, added[0].Line)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("calls %q, want %q", got, c.want)
			}
			// A call not run is said on the block skipped, not silent.
			if said := strings.Contains(added[0].Why, "is not run"); said != (c.want == nil) {
				t.Errorf("reason %q: says the call is not run %v, want %v", added[0].Why, said, c.want == nil)
			}
		})
	}
}
