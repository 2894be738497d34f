package plan

import (
	"fmt"
	"strings"
	"testing"
)

// lineOf is the line of doc at which the first line holding s stands.
func lineOf(doc, s string) int {
	for i, l := range strings.Split(doc, "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	return 0
}

// blockLineOf is the line of the block of doc whose body holds s on its
// first line: its #+name: line, else its #+begin_src line.
func blockLineOf(doc, s string) int {
	line := lineOf(doc, s) - 1
	if line >= 2 && strings.HasPrefix(strings.Split(doc, "\n")[line-2], "#+name:") {
		line--
	}
	return line
}

// builtStop is the plan of doc and the line of the block whose body
// holds stopAt.
func builtStop(t *testing.T, doc, stopAt string) (*Plan, int) {
	t.Helper()
	p, err := Build(mustParse(t, doc), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	return p, blockLineOf(doc, stopAt)
}

// runsBefore checks that the tasks of p before line before run and
// those after line after do not (Task.Replaced), skip aside.
func runsBefore(t *testing.T, p *Plan, before, after int, skip func(*Task) bool) {
	t.Helper()
	byName := map[string]*Task{}
	for _, task := range p.Tasks {
		byName[task.Block] = task
	}
	for _, task := range p.Tasks {
		// A run a reference makes stands where its referrer does
		// (CallOf), whose run makes it.
		line := task.Line
		for x, i := task, 0; x.Index < 0 && x.callOf != "" && byName[x.callOf] != nil && i < len(p.Tasks); i++ {
			x = byName[x.callOf]
			line = x.Line
		}
		switch {
		case skip(task):
		case line < before && task.Replaced != "":
			t.Errorf("%s (line %d), before the stop, is not run: %s", task.Block, line, task.Replaced)
		case line > after && task.Replaced == "":
			t.Errorf("%s (line %d), after the stop, runs", task.Block, line)
		}
	}
}

// TestStopReachedAsEmacs: where org-babel-execute-buffer stops at a block
// whose header arguments Babel cannot merge, reached by reading another's
// references. A second block of a name is not the one references find
// (org-babel-ref-resolve finds the first): the first, good, runs, and
// the document stops at the second's own turn. :after is Borges's alone:
// Emacs never reads the block it names, runs the block naming it, and
// stops at the bad block's own turn.
func TestStopReachedAsEmacs(t *testing.T) {
	bad := block(`sh :var "X"`, "echo bad")
	cases := []struct{ name, doc, stopAt string }{
		{"duplicate name referred",
			"#+name: f\n" + block("sh", "echo good") + "#+name: f\n" + bad + block("sh :var y=f", "echo $y"),
			"echo bad"},
		{"duplicate name not referred",
			"#+name: f\n" + block("sh", "echo good") + "#+name: f\n" + bad + block("sh", "echo 3"),
			"echo bad"},
		{"after",
			block("sh :after bad", "echo A") + "#+name: bad\n" + bad + block("sh", "echo 3"),
			"echo bad"},
		{"after reached by a reference",
			"#+name: A\n" + block("sh :after bad", "echo A") + block("sh :var x=A", "echo $x") + "#+name: bad\n" + bad + block("sh", "echo 3"),
			"echo bad"},
		{"after a block reading it",
			block("sh :after g", "echo A") + "#+name: g\n" + block("sh :var y=bad", "echo $y") + "#+name: bad\n" + bad,
			"echo $y"},
		{"after a block past the stop",
			block("sh :after h", "echo A") + bad + "#+name: h\n" + block("sh", "echo h"),
			"echo bad"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, want := builtStop(t, c.doc, c.stopAt)
			if p.StopLine != want {
				t.Fatalf("stop at line %d (%q), want line %d", p.StopLine, p.Stop, want)
			}
			runsBefore(t, p, p.StopLine, p.StopLine, func(*Task) bool { return false })
		})
	}
}

// TestStopReachedLinear: whether a block's references reach a block that
// stops Emacs is asked of each block of a chain, each referring to the
// one before; the answer about the block before is the one already
// found, not a walk down the whole chain again. The blocks are :cache
// yes, so that each reference is served by the block's one run (a plain
// chain of 400 is 80,200 runs, each reference a run of its own).
func TestStopReachedLinear(t *testing.T) {
	const n = 400
	var sb strings.Builder
	for i := range n {
		ref := ""
		if i > 0 {
			ref = fmt.Sprintf(" :var x=b%d", i-1)
		}
		sb.WriteString(fmt.Sprintf("#+name: b%d\n", i) + block("sh :cache yes"+ref, "echo b"))
	}
	doc := sb.String() + block(`sh :var "X"`, "echo bad")
	b := newBuilder(mustParse(t, doc), machine, DefaultOptions)
	p, err := b.build()
	if err == nil {
		b.markReplaced()
		b.markStopped()
	}
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	if p.Stop == "" {
		t.Fatalf("no stop")
	}
	if b.stopWalks > 3*n {
		t.Fatalf("%d walks for a chain of %d blocks, want at most %d", b.stopWalks, n, 3*n)
	}
}

// TestEvalRefusedSelfCall: a block :eval refuses whose :var calls a
// block that calls itself again in its own :var (with the same
// arguments, at last) stops Emacs at the refused block, which recurses
// until "Variable binding depth exceeds max-specpdl-size"; and the
// walk through the calls is linear, however many calls each block
// holds (two self-calls a block made it 2^32 before).
func TestEvalRefusedSelfCall(t *testing.T) {
	for _, tc := range []struct{ name, loop string }{
		{"one self-call", "sh :eval no :var x=0 :var y=loop(x=2)"},
		{"two self-calls", "sh :eval no :var x=0 :var y=loop(x=2) :var z=loop(x=3)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc := block("sh", "echo first") +
				block("sh :eval no :var m=loop(x=1)", "echo m") +
				block("sh", "echo third") +
				"#+name: loop\n" + block(tc.loop, "echo loop")
			b := newBuilder(mustParse(t, doc), machine, DefaultOptions)
			p, err := b.build()
			if err == nil {
				b.markReplaced()
				b.markStopped()
			}
			if err != nil {
				t.Fatal(err)
			}
			if p.Stop != DepthExceeded || p.StopLine != 5 {
				t.Errorf("stop %q at line %d, want %q at line 5", p.Stop, p.StopLine, DepthExceeded)
			}
			if b.refusedSteps > 20 {
				t.Errorf("%d steps through the calls, want at most 20", b.refusedSteps)
			}
			for _, x := range p.Tasks {
				if x.Line > 5 && x.Replaced == "" {
					t.Errorf("task %s (line %d) runs, after the stop", x.Block, x.Line)
				}
			}
		})
	}
}
