package org

import (
	"strings"
	"testing"
)

// TestInlineBlocks reads inline source blocks as org-element does and
// writes their results as org-babel-insert-result does (the differential
// test against Emacs is plan's TestAgainstEmacs/inline_blocks).
func TestInlineBlocks(t *testing.T) {
	cases := []struct {
		name, text string
		out        map[int]string // inline ordinal (1-based) → output
		want       string
	}{
		{"new", "A src_sh{echo 1}  b.\n", map[int]string{1: "1\n"}, "A src_sh{echo 1} {{{results(=1=)}}}  b.\n"},
		{"replaced", "A src_sh{echo 1} {{{results(=0=)}}} b.\n", map[int]string{1: "2\n"}, "A src_sh{echo 1} {{{results(=2=)}}} b.\n"},
		{"on the next line", "A src_sh{x}\n{{{results(=0=)}}} b.\n", map[int]string{1: "2"}, "A src_sh{x}\n{{{results(=2=)}}} b.\n"},
		{"not past a blank line", "A src_sh{x}\n\n{{{results(=0=)}}}\n", map[int]string{1: "2"}, "A src_sh{x} {{{results(=2=)}}}\n\n{{{results(=0=)}}}\n"},
		{"headers and nesting", "src_sh[:results output]{echo {a},b}\n", map[int]string{1: "{a},b\n"}, "src_sh[:results output]{echo {a},b} {{{results(={a}\\,b=)}}}\n"},
		{"backslashes before a comma", "src_sh[:results output]{x}\n", map[int]string{1: `a\,b` + "\n"}, "src_sh[:results output]{x} {{{results(=a\\\\\\,b=)}}}\n"},
		{"a table is refused", "src_sh{x}\n", map[int]string{1: "1 2\n3 4\n"}, "src_sh{x}\n"},
		{"several lines are refused", "src_sh[:results output]{x}\n", map[int]string{1: "1\n2\n"}, "src_sh[:results output]{x}\n"},
		{"no word before", "xsrc_sh{echo 1} src_{x} src_sh {x}\n", nil, "xsrc_sh{echo 1} src_{x} src_sh {x}\n"},
		{"not in an example block", "#+begin_example\nsrc_sh{x}\n#+end_example\n", nil, "#+begin_example\nsrc_sh{x}\n#+end_example\n"},
		{"many unclosed", strings.Repeat("src_sh{", 5000) + "\n", nil, strings.Repeat("src_sh{", 5000) + "\n"},
		{"many macros", strings.Repeat("{{{results(src_sh{1})}}} ", 5000) + "\n", nil, strings.Repeat("{{{results(src_sh{1})}}} ", 5000) + "\n"},
		{"a call", "#+name: f\n#+begin_src sh\necho $x\n#+end_src\n\nSee call_f(x=2)[:results raw]  now.\n", map[int]string{1: "2\n"},
			"#+name: f\n#+begin_src sh\necho $x\n#+end_src\n\nSee call_f(x=2)[:results raw] 2\n  now.\n"},
		{"verbatim and code are not run", "=src_sh{x}= ~src_sh{y}~ a=src_sh{z}=\n", map[int]string{1: "3"}, "=src_sh{x}= ~src_sh{y}~ a=src_sh{z} {{{results(=3=)}}}=\n"},
		{"many markers", strings.Repeat(" =a src_sh{", 3000) + "\n", nil, strings.Repeat(" =a src_sh{", 3000) + "\n"},
		{"over two lines", "A src_sh[:results\n  output]{echo\n  1}\nb.\n", map[int]string{1: "1\n"}, "A src_sh[:results\n  output]{echo\n  1} {{{results(=1=)}}}\nb.\n"},
		{"not in a property drawer", "* H\n:PROPERTIES:\n:X: src_sh{echo 1}\n:END:\n", nil, "* H\n:PROPERTIES:\n:X: src_sh{echo 1}\n:END:\n"},
		{"not in a fixed-width line", ": src_sh{echo 1}\n", nil, ": src_sh{echo 1}\n"},
		{"a call of nothing", "See call_g(x=2) now.\n", nil, "See call_g(x=2) now.\n"},
		// The lexer takes the first block whole: a "$" in its body opens
		// no LaTeX fragment hiding the next block.
		{"a dollar in a block before", "A src_sh{echo $X} and src_sh{echo \"[${Y}]\"}.\n", map[int]string{1: "a\n", 2: "b\n"},
			"A src_sh{echo $X} {{{results(=a=)}}} and src_sh{echo \"[${Y}]\"} {{{results(=b=)}}}.\n"},
		{"a dollar in a call before", "#+name: f\n#+begin_src sh\necho $x\n#+end_src\n\nSee call_f(x=\"$a\") and src_sh{echo [${b}]}.\n", map[int]string{1: "1\n", 2: "2\n"},
			"#+name: f\n#+begin_src sh\necho $x\n#+end_src\n\nSee call_f(x=\"$a\") {{{results(=1=)}}} and src_sh{echo [${b}]} {{{results(=2=)}}}.\n"},
		{"a block inside a call of nothing", "See call_g(x=\"src_sh{echo 1}\") now.\n", nil, "See call_g(x=\"src_sh{echo 1}\") now.\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Parse(c.text)
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Inline) < len(c.out) || c.out == nil && len(doc.Inline) > 0 {
				t.Fatalf("%d inline blocks, want %d", len(doc.Inline), len(c.out))
			}
			results := map[int]Result{}
			for n, out := range c.out {
				results[doc.Inline[n-1].Index] = Result{Output: out}
			}
			if got := doc.WriteResults(results); got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestInlineCallParts(t *testing.T) {
	doc, err := Parse("#+name: f\n#+begin_src python :var x=1 :results output\nprint(x)\n#+end_src\n\nA call_f[:results value](x=3)[:wrap example] b.\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Inline) != 1 {
		t.Fatalf("%d inline blocks", len(doc.Inline))
	}
	b := doc.Inline[0]
	if b.Call == nil || b.Call.Name != "f" || b.Lang != "python" || b.Body != "print(x)" || b.Line != 6 {
		t.Fatalf("call: %+v", b)
	}
	if got := strings.Join(b.Vars, " "); got != "x=3" {
		t.Errorf("vars %q", got)
	}
	if w, _ := b.Args.Get("wrap"); w != "example" {
		t.Errorf("wrap %q", w)
	}
	if r, _ := b.Args.Get("results"); !strings.Contains(r, "value") || strings.Contains(r, "output") {
		t.Errorf("results %q", r)
	}
}

func TestInlineBlockParts(t *testing.T) {
	doc, err := Parse("- item src_python[:var x=2 :results output]{print(x)} and src_elisp{(+ 1 2)}\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Inline) != 2 {
		t.Fatalf("%d inline blocks", len(doc.Inline))
	}
	b := doc.Inline[0]
	if b.Lang != "python" || b.Body != "print(x)" || len(b.Vars) != 1 || b.Vars[0] != "x=2" || b.Inline != 1 || b.Line != 1 {
		t.Errorf("first: %+v", b)
	}
	if r, _ := b.Args.Get("results"); r != "output replace" && r != "replace output" {
		t.Errorf("results %q", r)
	}
	if e, _ := b.Args.Get("exports"); e != "results" {
		t.Errorf("exports %q: inline defaults not used", e)
	}
	filled, err := Parse("Some src_sh[:results\n output]{echo a\n   b} here.\n")
	if err != nil {
		t.Fatal(err)
	}
	if b := filled.Inline[0]; b.Body != "echo a b" || b.Line != 1 {
		t.Errorf("filled: body %q line %d", b.Body, b.Line)
	} else if r, _ := b.Args.Get("results"); !strings.Contains(r, "output") {
		t.Errorf("filled: results %q", r)
	}
	if doc.BlockAt(doc.Inline[1].Index) != doc.Inline[1] {
		t.Error("BlockAt does not find the second inline block")
	}
}

// TestInlineNotCached: a #+RESULTS[hash]: line after the paragraph is not
// an inline block's (its results macro has no hash), so it is run again.
func TestInlineNotCached(t *testing.T) {
	doc, err := Parse("A src_sh[:cache yes]{echo 1}\n#+RESULTS[0123456789abcdef0123456789abcdef01234567]:\n: 1\n")
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Inline) != 1 {
		t.Fatalf("%d inline blocks", len(doc.Inline))
	}
	if _, _, ok := doc.CachedResult(doc.Inline[0]); ok {
		t.Error("an inline block took the results under its paragraph as its cache")
	}
}
