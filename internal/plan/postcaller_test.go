package plan

import (
	"slices"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestPostRunsAfterFailure: org-babel-execute-src-block runs a block's
// :post whatever its body gave, *this* bound to org-babel-eval's nil when
// the program exited non-zero, or to what a Python or Ruby value block's
// value file holds (checked with Emacs 28.2 / Org 9.5.5:
// perlstop_post_caller_fails, postcaller_*): the :post's task runs after
// the block's failure too, where Babel's value of it is that nil
// (FailedValue) or that file's (FailedFromFile), and it alone, not the block's other dependents; down a
// chain, the :post of a :post's block after that task's failure.
func TestPostRunsAfterFailure(t *testing.T) {
	wrap := "#+name: wrap\n" + block(`sh :var x="none"`, `echo "<$x>"`)
	for _, c := range []struct {
		name, head string
		want       bool
	}{
		{"shell output", "sh :results output", true},
		{"shell value", "sh", true},
		{"perl value", "perl", true},
		{"python output", "python :results output", true},
		// Its value is read from its value file, whatever
		// org-babel-eval gave (FailedFromFile): the empty text.
		{"python value", "python", true},
		{"ruby value", "ruby", true},
		{"python output table", "python :results output table", true},
		// A session's block does not go through org-babel-eval.
		{"session", "sh :session s", false},
	} {
		doc := mustParse(t, "#+name: report\n"+block(c.head+" :post wrap(x=*this*)", "exit 3")+
			"#+name: user\n"+block("sh :var r=report", "echo $r")+wrap)
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		named := func(name string) *Task {
			i := slices.IndexFunc(p.Tasks, func(x *Task) bool { return x.Block == name })
			if i < 0 {
				t.Fatalf("%s: no task %s in %v", c.name, name, p.Tasks)
			}
			return p.Tasks[i]
		}
		report := named("report")
		i := slices.IndexFunc(p.Tasks, func(x *Task) bool { return x.Post })
		if i < 0 {
			t.Fatalf("%s: no :post task", c.name)
		}
		post := p.Tasks[i]
		if got := post.RunsAfterFailureOf(report); got != c.want {
			t.Errorf("%s: the :post runs after report's failure: %v, want %v", c.name, got, c.want)
		}
		if named("user").RunsAfterFailureOf(report) {
			t.Errorf("%s: a :var reference runs after report's failure", c.name)
		}
		if post.RunsAfterFailureOf(named("wrap")) {
			t.Errorf("%s: the :post runs after the failure of a block other than its own", c.name)
		}
	}
	// A chain: report's :post calls mid, whose own :post is wrap; wrap's
	// task takes the first :post's value as *this*.
	doc := mustParse(t, "#+name: report\n"+block("sh :post mid(s=*this*)", "exit 3")+
		"#+name: mid\n"+block(`sh :var s="" :post wrap(x=*this*)`, "exit 4")+wrap)
	p, byName := builtByBlock(t, doc)
	links := 0
	for _, x := range p.Tasks {
		if x.Post && x.ResultsWith != "" {
			links++
			if !x.RunsAfterFailureOf(byName[x.ResultsWith]) {
				t.Errorf("chain task %s does not run after the failure of %s, whose value is its *this*", x.Block, x.ResultsWith)
			}
			// The chain's later tasks wait for its block too.
			if o := x.PostOwner(); !x.RunsAfterFailureOf(byName[o]) {
				t.Errorf("chain task %s does not run after the failure of %s, its chain's block", x.Block, o)
			}
			if x.RunsAfterFailureOf(byName["wrap"]) {
				t.Errorf("chain task %s runs after the failure of wrap", x.Block)
			}
		}
	}
	// report's chain (mid called, then its :post) and mid's own :post.
	if links != 3 {
		t.Errorf("%d :post tasks, want 3", links)
	}
}

// TestPostRunsAfterFailureChainOfThree: in a chain of three :posts (a's
// calling b, b's c, c's wrap), a task of a's chain waits for every
// earlier task of the chain, not only the one whose value is its
// *this*, and runs after the failure of each (the engine's waitState
// weighs each name of After), as Babel runs each :post with *this* nil
// (postcaller_chain3.org).
func TestPostRunsAfterFailureChainOfThree(t *testing.T) {
	doc := mustParse(t, "#+name: a\n"+block("sh :post b(x=*this*)", "exit 1")+
		"#+name: b\n"+block(`sh :var x="" :post c(x=*this*)`, "exit 2")+
		"#+name: c\n"+block(`sh :var x="" :post wrap(x=*this*)`, "exit 3")+
		"#+name: wrap\n"+block(`sh :var x=""`, `echo "<$x>"`))
	p, byName := builtByBlock(t, doc)
	checked := 0
	for _, x := range p.Tasks {
		if x.PostOwner() != "a" {
			continue
		}
		for _, d := range x.After {
			dep := byName[d]
			if dep == nil || d != "a" && dep.PostOwner() != "a" {
				continue
			}
			checked++
			if !x.RunsAfterFailureOf(dep) {
				t.Errorf("chain task %s waits for %s, of its chain, but does not run after its failure", x.Block, d)
			}
		}
		if x.RunsAfterFailureOf(byName["wrap"]) {
			t.Errorf("chain task %s runs after the failure of wrap", x.Block)
		}
	}
	// a's chain: 1 + 2 + 3 waits on a and the chain's earlier tasks.
	if checked != 6 {
		t.Errorf("%d waits within a's chain, want 6", checked)
	}
}

// TestFailedThisFile: *this* of a failed :results file block's :post is
// the link to its file (postcaller_file.org); of a block it calls, which
// has no :file of its own, nil, down the chain.
func TestFailedThisFile(t *testing.T) {
	doc := mustParse(t, "#+name: report\n"+block("sh :results file :file out.txt :post mid(s=*this*)", "exit 3")+
		"#+name: mid\n"+block(`sh :var s="" :post wrap(x=*this*)`, "exit 4")+
		"#+name: wrap\n"+block(`sh :var x=""`, `echo "<$x>"`))
	p, _ := builtByBlock(t, doc)
	for _, x := range p.Tasks {
		got := FailedThis(doc, x)
		switch {
		case x.Block == "report":
			if got.Scalar != "[[file:out.txt]]" {
				t.Errorf("report's failed *this*: %+v, want the link", got)
			}
		case x.Post:
			if !got.IsList || len(got.List) != 0 {
				t.Errorf("%s's failed *this*: %+v, want nil", x.Block, got)
			}
		}
	}
}

// builtByBlock is doc's plan, and its tasks by block name.
func builtByBlock(t *testing.T, doc *org.Document) (*Plan, map[string]*Task) {
	t.Helper()
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Task{}
	for _, x := range p.Tasks {
		byName[x.Block] = x
	}
	return p, byName
}
