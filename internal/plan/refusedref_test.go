package plan

import (
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestRefusedRefRunsPlanned: a reference to a block :eval refuses whose
// :var names a block, or a named #+call:, waits for that run (Emacs runs
// it reading the refused block's information) and binds "nil"
// (TestAgainstEmacs/reference_to_a_refused_block_with_a_reference_of_its_own).
func TestRefusedRefRunsPlanned(t *testing.T) {
	for _, named := range []string{
		"#+name: other\n#+begin_src sh\necho other\n#+end_src\n",
		"#+name: show\n#+begin_src sh\necho show\n#+end_src\n\n#+name: other\n#+call: show()\n",
	} {
		p := mustPlan(t, named+"\n#+name: noeval\n#+begin_src sh :eval no :var y=other\necho never\n#+end_src\n\n"+
			"#+begin_src sh :var v=noeval\necho \"v=$v\"\n#+end_src\n")
		var ref *Task
		for _, x := range p.Tasks {
			if len(x.Vars) == 1 && x.Vars[0].Name == "v" {
				ref = x
			}
		}
		if ref == nil {
			t.Fatalf("no task binds v")
		}
		// other's run for the reference, a run of its own (rerun.go).
		if !slices.ContainsFunc(ref.After, runsBlock(p, "other")) || ref.Vars[0].Literal != "nil" && ref.values[0].value.Scalar != "nil" {
			t.Errorf("after %q values %+v: want a run of other waited for, v nil", ref.After, ref.values)
		}
	}
}

// TestRefusedRefRunsNotPlanned: what reading the refused block runs that
// Borges does not plan leaves the reference refused, naming why: a call
// with arguments, an index, a name nothing has, a cycle through refused
// blocks (Emacs recurses without end), a Lisp value.
func TestRefusedRefRunsNotPlanned(t *testing.T) {
	for _, v := range []string{"y=other(n=2)", "y=other[0]", "y=nosuch", "y=noeval", "y=(+ 1 2)"} {
		text := "#+name: other\n#+begin_src sh :var n=1\necho other\n#+end_src\n\n" +
			"#+name: noeval\n#+begin_src sh :eval no :var " + v + "\necho never\n#+end_src\n\n" +
			"#+begin_src sh :var v=noeval\necho \"v=$v\"\n#+end_src\n"
		doc, err := org.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		_, err = Build(doc, Limits{}, DefaultOptions)
		var rej *RejectError
		if !errors.As(err, &rej) {
			t.Errorf("%s: planned (%v), want refused", v, err)
			continue
		}
		if !strings.Contains(rej.Error(), "Emacs reads its header arguments for the reference") {
			t.Errorf("%s: refused for %v", v, rej)
		}
	}
}

// TestRefusedRefRunsInlineBefore: a block the refused block's :var
// names that stands after an inline block is planned as any other: the
// inline block may stop the document before that block's turn (a value
// Babel does not write inline), where Emacs has run it for the reference
// and writes nothing of it; write-back leaves its results unwritten then
// (the engine's unwrittenPastStop), so the referring blocks wait for it
// (TestAgainstEmacs/stop:_reference_to_a_refused_block_with_a_reference_of_its_own,_inline_stop_before).
func TestRefusedRefRunsInlineBefore(t *testing.T) {
	text, err := os.ReadFile("testdata/stop_evalno_own_ref_inline_after.org")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := org.Parse(string(text))
	if err != nil {
		t.Fatal(err)
	}
	p, err := Build(doc, Limits{}, DefaultOptions)
	if err != nil {
		t.Fatalf("refused: %v", err)
	}
	waits := 0
	for _, task := range p.Tasks {
		for _, a := range task.After {
			if runsBlock(p, "other")(a) && task.refusedRunOf(a) == ":var" {
				waits++
			}
		}
	}
	if waits != 2 {
		t.Errorf("%d tasks wait for other through the refused block, want 2 (the block and the inline block)", waits)
	}
}

// runsBlock is whether the task named a runs block name: its own run,
// or a run of its own for a reference (rerun.go) or a call.
func runsBlock(p *Plan, name string) func(a string) bool {
	return func(a string) bool {
		if a == name {
			return true
		}
		for _, x := range p.Tasks {
			if x.Block == a {
				return x.called != nil && x.called.name == name
			}
		}
		return false
	}
}

// TestRefusedRefWaitsForItsOwnRun: a reference to a block :eval refuses
// whose :var names a block waits for a run of that block of its own,
// which reading the refused block's information makes (Emacs resolves
// its :var values again at each reading), not for the run the refused
// block's own turn makes (refusedCalls) nor the block's own run, whose
// turns are later: a stop that run makes is placed at the referring
// block, which needs it (the engine's TestResultStopAtRefusedReference;
// TestAgainstEmacs/stop:_reference_to_a_refused_block_with_a_reference_of_its_own,_unread).
// Through a refused block naming another, the run reading the last one
// makes.
func TestRefusedRefWaitsForItsOwnRun(t *testing.T) {
	for _, c := range []struct{ name, refused, turn string }{
		{"direct", "#+name: noeval\n#+begin_src sh :eval no :var x=stop\necho never\n#+end_src\n", "noeval :var x=stop"},
		{"chain", "#+name: noeval\n#+begin_src sh :eval no :var y=noeval2\necho never\n#+end_src\n\n" +
			"#+name: noeval2\n#+begin_src sh :eval no :var x=stop\necho never\n#+end_src\n", "noeval2 :var x=stop"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := mustPlan(t, "#+name: ref\n#+begin_src sh :var v=noeval\necho \"v=$v\"\n#+end_src\n\n"+
				c.refused+"\n#+name: stop\n#+begin_src sh\nprintf 'c\\351\\n'\n#+end_src\n")
			ref := taskNamed(t, p, "ref")
			if turn := taskNamed(t, p, c.turn); turn.RunOf() != "stop" {
				t.Fatalf("%s runs %q, want stop", c.turn, turn.RunOf())
			}
			const own = "ref :var v=noeval x=stop"
			if run := taskNamed(t, p, own); run.RunOf() != "stop" {
				t.Fatalf("%s runs %q, want stop", own, run.RunOf())
			}
			if !slices.Equal(ref.After, []string{own}) || ref.refusedRunOf(own) != ":var" {
				t.Errorf("ref waits for %q, want only %q, through its :var", ref.After, own)
			}
		})
	}
}

// TestRefusedRefReadingsRunEach: each reading of a block :eval refuses
// whose :var names a block runs that block again, a run of its own for
// each (two references in one header, one in another block), besides
// the block's own run and the run the refused block's own turn makes:
// five runs of tick, as Emacs makes them
// (TestAgainstEmacs/rerun_refused_var_once).
func TestRefusedRefReadingsRunEach(t *testing.T) {
	p, ticks := runsOfTick(t, "testdata/rerun_refused_var_once.org")
	if len(ticks) != 5 {
		t.Errorf("runs of tick %q, want 5: its own, the refused block's turn's, one for each of three readings", ticks)
	}
	taken := map[string]string{"tick": "its own run", "refused :var x=tick": "the refused block's turn's run"}
	for _, c := range []struct {
		block string
		runs  int
	}{{"block-3", 2}, {"block-4", 1}} {
		var runs []string
		for _, a := range taskNamed(t, p, c.block).After {
			if !runsBlock(p, "tick")(a) {
				continue
			}
			if by, ok := taken[a]; ok {
				t.Errorf("%s waits for %s (%s), want a run of its own", c.block, by, a)
			}
			taken[a] = c.block + "'s run"
			runs = append(runs, a)
		}
		if len(runs) != c.runs {
			t.Errorf("%s waits for runs of tick %q, want %d of its own", c.block, runs, c.runs)
		}
	}
}

// TestRefusedTurnReadsRefusedChain: a block :eval refuses whose :var
// names another refused block reads that one's information at its own
// turn, as at any reading: the block the second names runs again there,
// a run of its own standing at the first one's turn (its RefusedReaders),
// besides those of the second's turn and of each reading: six runs of
// tick (TestAgainstEmacs/rerun_refused_var_chain).
func TestRefusedTurnReadsRefusedChain(t *testing.T) {
	p, ticks := runsOfTick(t, "testdata/rerun_refused_var_chain.org")
	if len(ticks) != 6 {
		t.Errorf("runs of tick %q, want 6: its own, r1's and r2's turns', one for each of three readings", ticks)
	}
	const turn = "r1 :var y=r2 x=tick"
	run := taskNamed(t, p, turn)
	if first, ok := run.FirstRefusedReader(); !ok || first != (BlockPlace{Line: 10, Index: 1}) {
		t.Errorf("%s stands at %+v (%v), want r1's turn (line 10, its second block)", turn, first, ok)
	}
}

// runsOfTick is the plan of the fixture at path and the names of its
// tasks that run block tick: its own run and the runs made for it.
func runsOfTick(t *testing.T, path string) (*Plan, []string) {
	t.Helper()
	text, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	p := mustPlan(t, string(text))
	var ticks []string
	for _, x := range p.Tasks {
		if runsBlock(p, "tick")(x.Block) {
			ticks = append(ticks, x.Block)
		}
	}
	return p, ticks
}

// TestRefusedRefCachedReaderReadsAgain: a :cache yes block whose :var
// names a block :eval refuses has its :var resolved at each reference,
// before Emacs checks its hash, so each reference reads the refused
// block again and runs the block it names: five runs of tick (its own,
// the refused block's turn's, the cached block's own run's reading, one
// for each of two references to it), as Emacs makes them
// (TestAgainstEmacs/rerun_refused_var_cached_reader).
func TestRefusedRefCachedReaderReadsAgain(t *testing.T) {
	p, ticks := runsOfTick(t, "testdata/rerun_refused_var_cached_reader.org")
	if len(ticks) != 5 {
		t.Errorf("runs of tick %q, want 5: its own, the refused block's turn's, B's own reading's, one for each of two references to B", ticks)
	}
	var runs []string
	for _, a := range taskNamed(t, p, "block-4").After {
		if a != "B" && runsBlock(p, "B")(a) {
			runs = append(runs, a)
		}
	}
	if len(runs) != 2 {
		t.Errorf("block-4 waits for runs of B %q, want one of its own for each reference (each reads refused again)", runs)
	}
}
