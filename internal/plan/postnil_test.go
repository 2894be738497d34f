package plan

import (
	"slices"
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
// for the :post's call may run a block or signal (a :var of the block's
// own naming a block; a Lisp form in the call's header), the document is
// refused at the :post, as such a reference is.
func TestRefusedPostRefused(t *testing.T) {
	other := "#+name: other\n" + block("sh", "echo other")
	cases := map[string]struct{ doc, want string }{
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

// TestRefusedPostArguments: the call's arguments are merged into the
// refused block's information unevaluated, and org-babel-check-evaluate
// refuses the block before they are (checked with Emacs 28.2:
// stop_post_callee_evalno_arg_error.org, and an argument naming an Emacs
// Lisp block that signals, which does not run there): a Lisp form or a
// block's name in them refuses nothing, plans nothing, and the :post
// gives "nil".
func TestRefusedPostArguments(t *testing.T) {
	other := "#+name: other\n" + block("sh", "echo other")
	for _, post := range []string{"e(x=other)", "e(x=(error \"boom\"))", "e(x=*this*, y=(car 1))"} {
		p, err := Build(mustParse(t, "#+name: e\n"+block("sh :eval no :var x=1 :var y=2", "echo e")+other+
			"#+name: a\n"+block("sh :post "+post, "echo a")), machine, DefaultOptions)
		if err != nil {
			t.Errorf("%s: %v", post, err)
			continue
		}
		var names []string
		for _, x := range p.Tasks {
			names = append(names, x.Block)
			if x.Block == "a" && (!x.PostNil || len(x.PostLispVars()) > 0) {
				t.Errorf("%s: a.PostNil %v, PostLispVars %v; want set, none", post, x.PostNil, x.PostLispVars())
			}
		}
		if !slices.Equal(names, []string{"other", "a"}) {
			t.Errorf("%s: tasks %v, want other and a", post, names)
		}
	}
}

// TestRefusedPostLispVars: a :post calling a block :eval refuses whose
// own :var holds a Lisp form: Emacs evaluates it reading the block's
// information inside the :post, before org-babel-check-evaluate refuses
// the block (stop_post_callee_var_evalno.org,
// stop_post_callee_var_evalno_ok.org). The form is a task of that
// :post's, waiting for the block whose :post it is, its error stopping
// the document there (LispVarPost), apart from the one of the refused
// block's own turn; the block's value stays "nil". A Lisp form beside a
// :var naming a block still refuses the document.
func TestRefusedPostLispVars(t *testing.T) {
	doc := mustParse(t, "#+name: a\n"+block("sh :post e(x=*this*)", "echo a")+
		"#+name: e\n"+block("sh :eval no :var y=(car 1) :var x=\"\"", "echo e"))
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	const post, own = "a :post e(x=*this*) :var y=(car 1)", "e :var y=(car 1)"
	byName := map[string]*Task{}
	for _, x := range p.Tasks {
		byName[x.Block] = x
	}
	a, lv := byName["a"], byName[post]
	if a == nil || lv == nil || byName[own] == nil || len(p.Tasks) != 3 {
		t.Fatalf("tasks = %v, want a, %q and %q", p.Tasks, post, own)
	}
	if !a.PostNil || !slices.Equal(a.PostLispVars(), []string{post}) {
		t.Errorf("a: PostNil %v, PostLispVars %v; want set, [%q]", a.PostNil, a.PostLispVars(), post)
	}
	if !lv.FailureStops || lv.LispVarPost() != "a" || !slices.Contains(lv.After, "a") || !StopsOnLispError(lv) {
		t.Errorf("%s: FailureStops %v, LispVarPost %q, After %v; want a stop at a, after it", post, lv.FailureStops, lv.LispVarPost(), lv.After)
	}
	if byName[own].LispVarPost() != "" {
		t.Errorf("%s: LispVarPost %q, want none (the block's own turn)", own, byName[own].LispVarPost())
	}
	other := "#+name: other\n" + block("sh", "echo other")
	_, err = Build(mustParse(t, "#+name: e\n"+block("sh :eval no :var y=(car 1) :var z=other", "echo e")+other+
		block("sh :post e()", "echo a")), machine, DefaultOptions)
	if err == nil || !strings.Contains(err.Error(), "resolving :var z=other") {
		t.Errorf("a form beside a reference: err = %v, want the document refused at z=other", err)
	}
}
