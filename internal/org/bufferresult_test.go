package org

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestResultReplacement: a block's results put in place of its results
// region (what the document's Emacs does in its buffer) make the document
// WriteResults writes with that block's results alone, for every block of
// the write-back fixtures and a few outputs (nothing, a string, a table,
// one under a new :cache hash).
func TestResultReplacement(t *testing.T) {
	n := 0
	for f, doc := range resultsFixtures(t) {
		for _, b := range doc.Executables() {
			if b.Problem != "" {
				continue
			}
			for i, out := range []string{"", "x\n", "a b\n1 2\n", "y\n"} {
				r := Result{Output: out}
				if i == 3 {
					r.Hash = "0123abcd" // a :cache yes block's new hash
				}
				want := doc.WriteResults(map[int]Result{b.Index: r})
				start, end := doc.ResultRegion(b)
				text, ok := doc.ResultReplacement(b, r)
				if !ok {
					if want != doc.Text {
						t.Errorf("%s line %d, output %q: no replacement, but write-back writes results", f, b.Line, out)
					}
					continue
				}
				n++
				if got := doc.Text[:start] + text + doc.Text[end:]; got != want {
					t.Errorf("%s line %d, output %q: replaced region %d-%d:\n%s\nwant\n%s", f, b.Line, out, start, end, got, want)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no block checked")
	}
	t.Logf("%d results checked", n)
}

// resultsFixtures are the write-back fixtures (testdata/results and its
// edge cases), parsed, by file name.
func resultsFixtures(t *testing.T) map[string]*Document {
	t.Helper()
	files, err := filepath.Glob("testdata/results/*.org")
	edge, _ := filepath.Glob("testdata/results/edge/*.org")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]*Document{}
	for _, f := range append(files, edge...) {
		if strings.HasSuffix(f, ".emacs.org") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := Parse(string(raw))
		if err != nil {
			t.Fatal(err)
		}
		docs[f] = doc
	}
	if len(docs) == 0 {
		t.Fatal("no write-back fixture")
	}
	return docs
}
