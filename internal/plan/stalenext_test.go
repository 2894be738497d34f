package plan

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestReadNextResultsNotFollowed: two blocks write nothing under
// #+name: data, and the element so named after both is a block, which
// Babel would run for the reference: Borges does not follow it there,
// and the reader fails saying so rather than bind old data. With a
// table there instead, the reader binds it (testdata stalenext_chain).
func TestReadNextResultsNotFollowed(t *testing.T) {
	const two = "#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n" +
		"#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: data\n#+RESULTS:\n: stale\n\n" +
		"#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n#+name: data\n"
	for _, c := range []struct{ third, want string }{
		{"#+begin_src sh\necho third\n#+end_src\n", "does not follow"},
		{"| third |\n", "third"},
	} {
		doc := mustParse(t, two+c.third)
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		var user *Task
		byName := map[string]*Task{}
		for _, task := range p.Tasks {
			byName[task.Block] = task
			if task.Block == "user" {
				user = task
			}
		}
		if user == nil {
			t.Fatalf("no task user: %+v", p.Tasks)
		}
		refs := map[string]Value{}
		for _, d := range user.ReadsBack() {
			if byName[d] == nil {
				t.Fatalf("no task %s", d)
			}
			if v, missing, ok := ReadBackData(doc, byName[d], "", nil, user.ReadBackName(d)); ok {
				refs[ReadBackKey(d)] = v
			} else {
				refs[NotReadBackKey(d)] = Value{Scalar: missing}
			}
		}
		if len(refs) != 2 {
			t.Fatalf("%q: read back %v, want the two blocks'", c.third, refs)
		}
		blk, err := user.blockIn(doc)
		if err != nil {
			t.Fatal(err)
		}
		b, err := user.bind(blk, refs)
		got := ""
		if err != nil {
			got = err.Error()
		} else if len(b) == 1 {
			got = b[0].value.text()
		}
		if !strings.Contains(got, c.want) || c.want == "third" && err != nil {
			t.Errorf("%q: bound %q, err %v; want %q", c.third, got, err, c.want)
		}
		if nf := refs[NotReadBackKey(user.ReadsBack()[0])]; nf.Scalar != org.RefNotFound("data") {
			t.Errorf("the first writer's nothing not seen: %v", refs)
		}
	}
}
