package org

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// seedFixtures adds every reader fixture to a fuzz corpus.
func seedFixtures(f *testing.F) {
	files, _ := filepath.Glob("testdata/reader/*.org")
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(text))
	}
	f.Add("#+begin_src sh\n#+end_src\n")
	f.Add("#+begin_src sh :var x=\"unterminated\n#+end_src\n")
	f.Add("#+begin_src sh -L \"%s[%s]%\" -I\necho a [b]%\n(REF:c)\n#+end_src\n")
	f.Add("#+name: t\n| \"a\" b | x \"y\" z | \"q\\\"\n#+begin_src sh :var v=t\n#+end_src\n")
}

// FuzzParse checks that any text is read without panic or hang, and that
// what the reader returns is consistent with the text.
func FuzzParse(f *testing.F) {
	seedFixtures(f)
	f.Fuzz(func(t *testing.T, text string) {
		doc, err := Parse(text)
		if err != nil {
			return // not UTF-8
		}
		lastLine := 0
		for i, b := range doc.Blocks {
			if b.Index != i {
				t.Fatalf("block %d has index %d", i, b.Index)
			}
			if b.Start < 0 || b.End > len(text) || b.Start >= b.End {
				t.Fatalf("block at line %d: bad span [%d,%d) of %d", b.Line, b.Start, b.End, len(text))
			}
			if b.Line > b.BeginLine || b.BeginLine >= b.EndLine {
				t.Fatalf("block lines %d %d %d out of order", b.Line, b.BeginLine, b.EndLine)
			}
			if b.Line == lastLine {
				t.Fatalf("block at line %d listed twice", b.Line)
			}
			lastLine = b.Line
			begin := text[b.Start:b.End]
			if !strings.Contains(strings.ToLower(begin), "#+begin_src") {
				t.Fatalf("block at line %d: span %q has no #+begin_src", b.Line, begin)
			}
			if b.Problem == "" {
				if _, ok := b.Args.Get("results"); !ok {
					t.Fatalf("block at line %d: no :results", b.Line)
				}
			}
			expanded, err := doc.ExpandedBody(b, map[string]string{})
			if err != nil && !strings.Contains(err.Error(), "needs that block") && !strings.Contains(err.Error(), "noweb") {
				t.Fatalf("block at line %d: expanding: %v", b.Line, err)
			}
			// Removing coderef labels only takes text away.
			if hashed, err2 := doc.NowebBody(b, map[string]string{}); err == nil && (err2 != nil || len(expanded) > len(hashed)) {
				t.Fatalf("block at line %d: body run %q longer than body hashed %q (%v)", b.Line, expanded, hashed, err2)
			}
			if b.Name != "" {
				doc.NamedData(b.Name) // named data read without panic
			}
		}
		for _, ln := range strings.Split(text, "\n") {
			// Named tables and lists, their cells read as org-babel-read
			// reads them, without panic.
			if name, ok := strings.CutPrefix(strings.TrimSpace(ln), "#+name: "); ok {
				doc.NamedData(strings.TrimSpace(name))
			}
		}
	})
}

// FuzzHeaderArgs checks header-argument parsing and merging on any line.
func FuzzHeaderArgs(f *testing.F) {
	for _, s := range []string{
		":results output :var x=1 :var y=2",
		`:dir "/tmp/a b" :cmdline -x "y z"`,
		":var x = (1 2 [3 4]) y=\"a\\\"b\"",
		":noweb :results",
		"junk :a 1e5 :b .5 :c 5.",
		`:var tbl=t[1,2] :x "unterminated`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		args, err := parseHeaderArgs(s)
		if err != nil {
			return
		}
		merged, vars, err := mergeParams(true, defaultArgs, args)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, a := range merged {
			if seen[a.Key] {
				t.Fatalf("key %q merged twice from %q", a.Key, s)
			}
			seen[a.Key] = true
		}
		for _, v := range vars {
			if _, ok := varName(v); !ok {
				t.Fatalf("var %q from %q has no name", v, s)
			}
		}
	})
}

// FuzzWriteResults writes results into any text, with every reader, file
// links and hashes, and reads cached results back: no panic, and the text
// outside the results is kept (the blocks are still found, in order).
func FuzzWriteResults(f *testing.F) {
	reader, _ := filepath.Glob("testdata/reader/*.org")
	edge, _ := filepath.Glob("testdata/results/edge/*.org")
	for _, file := range append(reader, edge...) {
		if text, err := os.ReadFile(file); err == nil {
			f.Add(string(text), "out\n")
		}
	}
	f.Add("#+begin_src sh :cache yes :results file\necho x\n#+end_src\n\n#+RESULTS[ab12]:\n[[file:x\n]]\n", "a\tb\n1\t2\n")
	readers := []Reader{ReadGeneric, ReadPython, ReadRuby, ReadJS, ReadPerl}
	f.Fuzz(func(t *testing.T, text, output string) {
		doc, err := Parse(text)
		if err != nil || !utf8.ValidString(output) {
			return
		}
		results := map[int]Result{}
		for i, b := range doc.Blocks {
			doc.CachedResult(b)
			r := Result{Output: output, Reader: readers[i%len(readers)]}
			if i%2 == 0 {
				r.Hash = "0123abcd"
			}
			if i%3 == 2 {
				r.Status = "borges: running"
			}
			results[b.Index] = r
		}
		out := doc.WriteResults(results)
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("write-back made invalid text: %v", err)
		}
		if len(again.Blocks) < len(doc.Blocks) && !strings.Contains(output, "#+") && !strings.Contains(text, "#+RESULTS") {
			t.Fatalf("blocks lost: %d before, %d after", len(doc.Blocks), len(again.Blocks))
		}
	})
}
