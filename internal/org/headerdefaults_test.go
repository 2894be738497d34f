package org

import (
	"reflect"
	"strings"
	"testing"
)

// TestBufferReportDefaults: a report's default header arguments (the
// third count) are those its buffer is parsed with: Org's, a language's
// (a :var one whole, not split; an inline block's too), an inline
// block's, a call's; a language
// not reported keeps Org's; a value Borges cannot read is the problem of
// each block using it, not of the others nor of the report.
func TestBufferReportDefaults(t *testing.T) {
	const text = "#+begin_src sh\necho $x\n#+end_src\n\n#+begin_src emacs-lisp\n1\n#+end_src\n\n#+begin_src python\n1\n#+end_src\n\nText src_sh{echo $y} here.\n\n#+call: f()\n\n#+name: f\n#+begin_src sh\necho f\n#+end_src\n"
	defaults := strings.Join([]string{
		"block 3", `:wrap s "ex\"ample"`, ":noweb -", ":results s \"replace\"",
		"inline 1", `:var s "y=\"in line\" z=2"`,
		"lob 1", ":foo n 42",
		"lang:sh 1", `:var s "x=1 w=2"`,
		"lang:python 1", ":session x (some form)",
	}, "\n") + "\n"
	rep, err := ParseBufferReport("0 0 12\n" + defaults + text)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Text != text {
		t.Fatalf("text %q", rep.Text)
	}
	d, err := rep.Document(Visit{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Blocks) != 4 || len(d.Inline) != 1 || len(d.Calls) != 1 {
		t.Fatalf("%d blocks, %d inline, %d calls", len(d.Blocks), len(d.Inline), len(d.Calls))
	}
	sh := d.Blocks[0]
	if w, _ := sh.Args.Get("wrap"); w != `ex"ample` || !reflect.DeepEqual(sh.Vars, []string{"x=1 w=2"}) || sh.Problem != "" {
		t.Errorf("sh block: wrap %q, vars %q, problem %q", w, sh.Vars, sh.Problem)
	}
	if e, _ := sh.Args.Get("exports"); e == "code" {
		t.Errorf("sh block keeps Org's :exports %v", sh.Args)
	}
	if l, _ := d.Blocks[1].Args.Get("lexical"); l != "no" {
		t.Errorf("emacs-lisp block's :lexical %q: Org's, a language not reported", l)
	}
	if p := d.Blocks[2].Problem; !strings.Contains(p, "org-babel-default-header-args:python") {
		t.Errorf("python block's problem %q", p)
	}
	if in := d.Inline[0]; !reflect.DeepEqual(in.Vars, []string{`y="in line" z=2`, "x=1 w=2"}) || in.Problem != "" {
		t.Errorf("inline block: vars %q, problem %q", in.Vars, in.Problem)
	}
	if e, _ := d.Calls[0].Args.Get("foo"); e != "42" {
		t.Errorf("call's :foo %q, want the lob default", e)
	}
	for _, bad := range []string{
		"0 0 1\nblock 1\n" + text,           // entries cut short
		"0 0 2\nblock 0\ninline 0\n" + text, // no lob
		"0 0 3\nblock 0\ninline 0\nother 0\n" + text,
	} {
		if _, err := ParseBufferReport(bad); err == nil {
			t.Errorf("read %.40q", bad)
		}
	}
}
