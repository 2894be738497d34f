package plan

import "testing"

// TestShownRefRun: a run a reference makes (a task of its own) is shown,
// in messages such as "dependency broken failed", as the block it runs
// as the reference wrote it, not by the run's name.
func TestShownRefRun(t *testing.T) {
	_, p, task := planned(t, "* T\n#+name: broken\n#+begin_src sh\nexit 4\n#+end_src\n\n"+
		"#+name: uses\n#+begin_src sh :var x=broken\necho $x\n#+end_src\n\n"+
		"#+name: f\n#+begin_src sh :var y=1\necho $y\n#+end_src\n\n"+
		"#+name: g\n#+begin_src sh :var z=f(y=2)\necho $z\n#+end_src\n")
	want := map[string]string{"uses :var x=broken": "broken", "uses": "uses", "broken": "broken"}
	for n, w := range want {
		if task[n] == nil {
			t.Fatalf("no task %q in %v", n, names(p))
		}
		if got := task[n].Shown(); got != w {
			t.Errorf("%s shown as %q, want %q", n, got, w)
		}
	}
	for _, x := range p.Tasks {
		if x.CallOf() == "g" {
			if got := x.Shown(); got != "f(y=2)" {
				t.Errorf("%s shown as %q, want f(y=2)", x.Block, got)
			}
		}
	}
}

func names(p *Plan) []string {
	var out []string
	for _, t := range p.Tasks {
		out = append(out, t.Block)
	}
	return out
}
