package org

import (
	"fmt"
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

// TestBufferReportOrgDefaults: Org's default header arguments as Emacs
// 28.2 reports them unchanged (Lisp strings) parse every kind of
// executable (a block, an Emacs Lisp block, an inline block, a call, an
// inline call) to the very arguments Org's built-in defaults do: a
// buffer no block changed the defaults of runs as submitted.
func TestBufferReportOrgDefaults(t *testing.T) {
	const text = "#+begin_src sh :var x=1\necho $x\n#+end_src\n\n#+begin_src emacs-lisp\n1\n#+end_src\n\n" +
		"Text src_sh[:var y=2]{echo $y} and call_f(n=3) here.\n\n#+call: f(n=4)\n\n#+name: f\n#+begin_src sh :var n=0\necho $n\n#+end_src\n"
	defaults := []string{
		"block 7", `:session s "none"`, `:results s "replace"`, `:exports s "code"`, `:cache s "no"`,
		`:noweb s "no"`, `:hlines s "no"`, `:tangle s "no"`,
		"inline 4", `:session s "none"`, `:results s "replace"`, `:exports s "results"`, `:hlines s "yes"`,
		"lob 1", `:exports s "results"`,
		"lang:emacs-lisp 1", `:lexical s "no"`,
		"lang:sh 0",
	}
	rep, err := ParseBufferReport(fmt.Sprintf("0 0 %d\n", len(defaults)) + strings.Join(defaults, "\n") + "\n" + text)
	if err != nil {
		t.Fatal(err)
	}
	got, err := rep.Document(Visit{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Blocks) != 3 || len(want.Blocks) != 3 || len(got.Inline) != 2 || len(want.Inline) != 2 || len(got.Calls) != 1 || len(want.Calls) != 1 {
		t.Fatalf("%d/%d blocks, %d/%d inline, %d/%d calls", len(got.Blocks), len(want.Blocks), len(got.Inline), len(want.Inline), len(got.Calls), len(want.Calls))
	}
	same := func(what string, g, w *Block) {
		t.Helper()
		if g.Problem != "" || w.Problem != "" {
			t.Errorf("%s: problems %q, %q", what, g.Problem, w.Problem)
		}
		if !reflect.DeepEqual(g.Args, w.Args) || !reflect.DeepEqual(g.Vars, w.Vars) {
			t.Errorf("%s: reported defaults give %+v %q, Org's %+v %q", what, g.Args, g.Vars, w.Args, w.Vars)
		}
	}
	for i := range want.Blocks {
		same(fmt.Sprintf("block %d", i), got.Blocks[i], want.Blocks[i])
	}
	for i := range want.Inline {
		same(fmt.Sprintf("inline %d", i), got.Inline[i], want.Inline[i])
	}
	same("call", got.Calls[0].Block, want.Calls[0].Block)
	if !reflect.DeepEqual(got.Calls[0].Args, want.Calls[0].Args) {
		t.Errorf("call: %+v, Org's %+v", got.Calls[0].Args, want.Calls[0].Args)
	}
}

// TestBufferReportSymbolDefaults: a default set to a symbol is kept as
// the symbol prin1 printed (Arg.Symbol), for a block, an inline block, a
// call and a language, where the argument is one Borges does not read,
// as Babel merges it; one Borges reads (:dir, :results, :var), or other
// Lisp data (a list), is the problem of each block using it, but of one
// whose header line sets the argument itself.
func TestBufferReportSymbolDefaults(t *testing.T) {
	const text = "#+begin_src sh\necho 1\n#+end_src\n\n#+begin_src sh :dir /tmp\necho 2\n#+end_src\n\n" +
		"#+begin_src python\n1\n#+end_src\n\nText src_sh{echo 3} here.\n\n#+call: f()\n\n#+name: f\n#+begin_src sh\necho f\n#+end_src\n"
	for _, c := range []struct {
		name, defaults string
		symbols        map[string]string // block's key: symbol printed, for every executable
		problem        string            // the first block's, "" for none
	}{
		{"symbols", "block 1\n:foo x bar\ninline 1\n:in x \\1\nlob 1\n:lob x ##\nlang:sh 1\n:lang x :kw\n",
			map[string]string{"foo": "bar", "lang": ":kw"}, ""},
		{"dir", "block 1\n:dir x sym\ninline 0\nlob 0\n", nil, ":dir: the default header argument is the symbol sym"},
		{"results", "block 1\n:results x output\ninline 0\nlob 0\n", nil, ":results: the default header argument is the symbol output"},
		{"var", "block 1\n:var x x\ninline 0\nlob 0\n", nil, ":var: the default header argument is the symbol x"},
		{"list", "block 1\n:foo x (a b)\ninline 0\nlob 0\n", nil, "Lisp data other than a string or a number"},
		{"number", "block 1\n:foo x 1\ninline 0\nlob 0\n", nil, "Lisp data other than a string or a number"},
		// A symbol that names a function, which org-babel-eval-headers
		// calls for the value.
		{"function", "block 1\n:foo f emacs-version\ninline 0\nlob 0\n", nil, ":foo: its value emacs-version names a function"},
	} {
		t.Run(c.name, func(t *testing.T) {
			n := strings.Count(c.defaults, "\n")
			rep, err := ParseBufferReport(fmt.Sprintf("0 0 %d\n%s%s", n, c.defaults, text))
			if err != nil {
				t.Fatal(err)
			}
			d, err := rep.Document(Visit{})
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Blocks) != 4 || len(d.Inline) != 1 || len(d.Calls) != 1 {
				t.Fatalf("%d blocks, %d inline, %d calls", len(d.Blocks), len(d.Inline), len(d.Calls))
			}
			if p := d.Blocks[0].Problem; !strings.Contains(p, c.problem) || (p == "") != (c.problem == "") {
				t.Fatalf("first block's problem %q, want %q", p, c.problem)
			}
			if p := d.Blocks[1].Problem; c.name == "dir" && p != "" {
				t.Errorf("the block with a :dir of its own: problem %q", p)
			}
			if c.symbols == nil {
				return
			}
			second := d.Blocks[1]
			if second.Problem != "" {
				t.Fatalf("second block's problem %q", second.Problem)
			}
			for k, want := range c.symbols {
				if a, ok := second.Args.Lookup(k); !ok || !a.Symbol || a.Value != want {
					t.Errorf("second block's :%s %+v, want the symbol %s", k, a, want)
				}
			}
			if a, ok := d.Inline[0].Args.Lookup("in"); !ok || !a.Symbol || a.Value != `\1` {
				t.Errorf("inline block's :in %+v", a)
			}
			if a, ok := d.Calls[0].Args.Lookup("lob"); !ok || !a.Symbol || a.Value != "##" {
				t.Errorf("call's :lob %+v", a)
			}
		})
	}
}
