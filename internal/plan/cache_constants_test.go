package plan

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// TestLispConstantsRun: a header value Borges reads, written as a Lisp
// constant that evaluates to a string or a number, runs the block as the
// value written plainly does (Emacs runs it with what it evaluates to).
func TestLispConstantsRun(t *testing.T) {
	for _, c := range [][2]string{
		{`sh :dir '"sub" :timeout '5 :cmdline '"a b"`, `sh :dir sub :timeout 5 :cmdline "a b"`},
		{`sh :cmdline '"(x"`, `sh :cmdline "(x"`},
		{"python :results `\"output\" :return '\"x\"", `python :results output :return x`},
	} {
		var got [2]string
		for i, h := range c {
			p, err := Build(mustParse(t, block(h, "true")), machine, DefaultOptions)
			if err != nil {
				t.Fatalf("%s: %v", h, err)
			}
			if len(p.Tasks) != 1 {
				t.Fatalf("%s: %d tasks", h, len(p.Tasks))
			}
			task := *p.Tasks[0]
			b, err := json.Marshal(task)
			if err != nil {
				t.Fatal(err)
			}
			got[i] = string(b)
		}
		if got[0] != got[1] {
			t.Errorf("%s runs otherwise than %s:\n%s\n%s", c[0], c[1], got[0], got[1])
		}
	}
}

// TestCacheHashLispConstants: a :cache yes block's header values that are
// Lisp constants are hashed as Emacs evaluates them, with no Emacs: the
// hashes Emacs 28 (Org 9.5.5) wrote for testdata/cache_lisp_constants.org,
// keyed by the line of the block or call. A called block's own header is
// hashed as written (read light), the call's own values evaluated.
func TestCacheHashLispConstants(t *testing.T) {
	text, err := os.ReadFile("testdata/cache_lisp_constants.org")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		`#+begin_src sh :cache yes :foo '(1 "two" three (4 5.0) [6 x])`:                                       "e6664c91bd996baa6688aafe5399ba55044f7993",
		`#+begin_src sh :cache yes :foo 'sym :bar 'a.b`:                                                       "35aa4456b9eb73556f441c512238901001fa6001",
		`#+begin_src sh :cache yes :foo [1 "x" y (z)]`:                                                        "e2dd835eb443807a755d144e510e065aad4c15ec",
		`#+begin_src sh :cache yes :foo '"8" :bar '"a \"b\" \\ c"`:                                            "b99fc68c48c307a74c13be4592afbda18a0ab7df",
		`#+begin_src sh :cache yes :foo ''a :bar '(a 'b ` + "`" + `c) :qux '''x`:                              "2b34c67a06f63d892f834592a41d9b934ce7454f",
		"#+begin_src sh :cache yes :foo `(a \"b\" [c d]) :bar `sym :qux `\"s\"":                               "a6628dad28dc0eeb5721dbf6eef01c0360233cec",
		`#+begin_src sh :cache yes :foo (quote (1 2)) :bar (quote z)`:                                         "8e081d627eb756eccd0f4fdeb4e8eac661226927",
		`#+begin_src sh :cache yes :foo '5 :bar '-1.5 :qux '[1 2]`:                                            "974b77d19d8e0dabb0e4f2ded238ef8686050fbd",
		`#+begin_src sh :cache yes :foo 'nil :bar '"" :qux [] :quux '()`:                                      "1f046fb1a8a95bc55dab08ff03317a80ec7822a0",
		`#+begin_src sh :cache yes :bar 'x`:                                                                   "173437da3a63ea9236fe2fca2a46148312026c08",
		`#+begin_src sh :cache yes :foo '1.0e+INF`:                                                            "e50fc6c8084d1def907eb79fdba3faae13b38263",
		`#+begin_src sh :cache yes :foo '-0.0e+NaN :bar '(2.5e+INF -1E+INF 3.5e+NaN 12e+NaN) :qux [1.0e+NaN]`: "2828950afdccef350f766c6b590a977b3db4cac9",
		`#+begin_src sh :cache yes :foo '(lambda () "x") :bar (quote (lambda () 1 'y))`:                       "055ea35283beb38a008c2cdfa8f3719af001da09",
		`#+begin_src sh :cache yes :results '"raw"`:                                                           "80c4db2273fe817685c8029105493576eb36952e",
		`#+begin_src sh :cache yes :wrap '"EXAMPLE"`:                                                          "e3e8a657fc83f487de6ab46bd6e93d4c325b015f",
		`#+begin_src sh :cache yes :foo '(a b) :bar [1 2] :qux '"s" :var y="none"`:                            "71d096bd6f2e28438061b345cc961c624882340f",
		`#+call: callee()`: "2d3246e00f047a4f9b5b8ac92b669a6850585b03",
		`#+call: callee[:baz '(c "d") :quux 'e](y="z") :cache yes :corge '"w"`: "8f3a2450170e1ef6011e0c7da192f621d15106a5",
		`#+call: plaincallee[:cache yes :baz [v]](y="1")`:                      "5b3d26e0e635690f5967b27d4937faaba1367e9f",
		`#+call: callee[:qux '(r)](y="again")`:                                 "a6b7b8666f641d2be45f56afa75122ebf58f7eaa",
		`#+call: recall[:cache yes :quux '(s t)]()`:                            "2ebbf47ad2205262a82892df2610d7d36f51761b",
		// A called block's own :exports and :results as written.
		`#+call: ex() :cache yes`: "6b53ed080e4fd277a0f9dc040113a08b9627c0c8",
		`#+call: rr() :cache yes`: "fb79f33ea53085a012fe1f20703d85ec41dbdb11",
	}
	lines := strings.Split(string(text), "\n")
	doc := mustParse(t, string(text))
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, task := range p.Tasks {
		// The task's line, or the block's after its #+name: or
		// #+header: line.
		var line, w string
		for i := task.Line - 1; i <= task.Line && i < len(lines) && w == ""; i++ {
			if i >= 0 {
				line, w = lines[i], want[lines[i]]
			}
		}
		if w == "" {
			continue
		}
		seen++
		got, err := CacheHash(doc, task, nil)
		if err != nil {
			t.Errorf("%s: %v", line, err)
			continue
		}
		if got != w {
			t.Errorf("%s: hash %s, Emacs wrote %s", line, got, w)
		}
	}
	if seen != len(want) {
		t.Errorf("%d of the %d blocks and calls found among the tasks", seen, len(want))
	}
}

// TestLispSymbolsBuild: header values Emacs evaluates to a symbol that
// Babel reads as Emacs runs them, not refused: a :noweb-ref or
// :noweb-sep (org-babel-expand-noweb-references reads them light, as
// written) and an :eval (the symbol no is no string "no": the block
// runs).
func TestLispSymbolsBuild(t *testing.T) {
	for _, h := range []string{`sh :noweb-ref 'x`, `sh :noweb-sep 'x`, `sh :eval 'no`, `sh :eval '(never)`} {
		p, err := Build(mustParse(t, block(h, "true")), machine, DefaultOptions)
		if err != nil {
			t.Errorf("%s: %v", h, err)
			continue
		}
		if len(p.Tasks) != 1 {
			t.Errorf("%s: %d tasks, want the block run", h, len(p.Tasks))
		}
	}
}
