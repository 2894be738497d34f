package plan

import (
	"slices"
	"testing"
)

// TestPostRunsAfterFailure: org-babel-execute-src-block runs a block's
// :post whatever its body gave, *this* bound to org-babel-eval's nil when
// the program exited non-zero (checked with Emacs 28.2 / Org 9.5.5:
// perlstop_post_caller_fails, postcaller_*): the :post's task runs after
// the block's failure too, where Babel's value of it is that nil
// (FailedValue), and it alone, not the block's other dependents; down a
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
		// Its value is read from the file it wrote, not
		// org-babel-eval's nil: not modelled.
		{"python value", "python", false},
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
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Task{}
	for _, x := range p.Tasks {
		byName[x.Block] = x
	}
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
