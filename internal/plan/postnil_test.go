package plan

import (
	"strings"
	"testing"
)

// TestRefusedPostNil: a :post calling a block :eval refuses, whose
// information Babel reads without running or signalling anything (a
// literal :var, the call's *this*), gives the block the value "nil"
// (org-babel-ref-resolve's name of nil): the block runs, the call does
// not, and "nil" is what its results and its references get.
func TestRefusedPostNil(t *testing.T) {
	doc := mustParse(t, "#+name: e\n"+block("sh :eval no :var n=1", "echo e")+
		"#+name: a\n"+block("sh :results table :post e(n=*this*)", "echo a"))
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Tasks) != 1 || p.Tasks[0].Block != "a" {
		t.Fatalf("tasks = %v, want a alone (no task for the :post)", p.Tasks)
	}
	a := p.Tasks[0]
	if !a.PostNil {
		t.Fatal("a.PostNil not set")
	}
	if v := ResultValueIn(doc, a, "1 2\n", nil); v.Scalar != "nil" || v.IsList || v.Table != nil {
		t.Errorf("value = %+v, want the string nil", v)
	}
}

// TestRefusedPostRefused: where reading the refused block's information
// for the :post's call may run a block or signal (a :var naming a block,
// in the call's arguments or the block's own; a Lisp form in the call's
// header), the document is refused at the :post, as such a reference is.
func TestRefusedPostRefused(t *testing.T) {
	other := "#+name: other\n" + block("sh", "echo other")
	cases := map[string]struct{ doc, want string }{
		"argument names a block": {"#+name: e\n" + block("sh :eval no :var x=1", "echo e") + other +
			block("sh :post e(x=other)", "echo a"), "resolving :var x=other"},
		"own var names a block": {"#+name: e\n" + block("sh :noeval :var x=other", "echo e") + other +
			block("sh :post e()", "echo a"), "resolving :var x=other"},
		"header form": {"#+name: e\n" + block("sh :eval never", "echo e") +
			block("sh :post e[:results (identity \"raw\")]()", "echo a"), ":results (identity"},
	}
	for name, c := range cases {
		_, err := Build(mustParse(t, c.doc), machine, DefaultOptions)
		if err == nil || !strings.Contains(err.Error(), ":post") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one at :post holding %q", name, err, c.want)
		}
	}
}
