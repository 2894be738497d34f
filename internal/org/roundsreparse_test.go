package org

import (
	"fmt"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// reparsePieces are the parts roundsReparseDoc makes documents of:
// blocks whose results are searched (text right after them, results
// there already, appended or prepended), blocks in list items, inline
// blocks and calls, headings, drawers, tables and named blocks.
var reparsePieces = []string{
	"* Heading\n",
	"** TODO Sub heading\n",
	"Some text.\n",
	"\n",
	"| a | b |\n|---+---|\n| 1 | 2 |\n",
	":PROPERTIES:\n:header-args: :results raw\n:END:\n",
	":drawer:\ninside\n:end:\n",
	"#+name: named\n#+begin_src sh\necho named\n#+end_src\n",
	"#+call: named()\n",
	"#+call: named() :results raw\nText after the call.\n",
	"Para src_sh[:results raw]{echo inl} and call_named() more.\n",
	"Para src_sh{echo 2} end.\n",
	"- item\n  #+begin_src sh :results raw\n  echo in item\n  #+end_src\n- next\n",
	"#+RESULTS:\n: orphan\n",
	"#+begin_example\nnot a block\n#+end_example\n",
}

// reparseArgs are the header arguments of its blocks.
var reparseArgs = []string{
	"", " :results raw", " :results drawer", " :results org", " :results code",
	" :results list", " :results raw append", " :results raw prepend",
	" :results output replace", " :wrap", " :wrap src sh", " :results html",
	" :results raw silent",
}

// reparseAfter is what follows a block.
var reparseAfter = []string{
	"\n", "Text right after.\n", "\n#+RESULTS:\n: old\n\n", "#+RESULTS:\nold raw\n\n",
	"\n#+RESULTS:\n#+begin_src sh\necho old\n#+end_src\n\n", "* Heading right after\n", "",
}

// reparseOutputs are the outputs of the blocks: plain text, and text
// holding Org structure that a search of the results finds or that
// changes how what follows reads.
var reparseOutputs = []string{
	"plain\n",
	"two\nlines\n",
	"no newline",
	"",
	"#+begin_src sh\necho found\n#+end_src\n",
	"#+BEGIN_SRC sh :results raw\necho found raw\n#+END_SRC\nText.\n",
	"  #+begin_src sh\n  echo indented\n  #+end_src\n",
	"#+begin_src sh\nunclosed\n",
	"#+end_src\n",
	"#+RESULTS:\n: fake results\n",
	"* Heading in results\n",
	":drawer:\nd\n:end:\n",
	":END:\n",
	"| 1 | 2 |\n",
	"src_sh{echo inl}",
	"x src_sh[:results raw]{echo inl2} y\n",
	"call_named()\n",
	"#+call: named()\n",
	"#+name: other\n",
	"#+begin_example\n",
	"- a list\n- of two\n",
	"#+begin_src",
}

// roundsReparseDoc is a document made of r's choices of the pieces
// above, its executables' results, and those of blocks found in them.
func roundsReparseDoc(t *testing.T, r *rand.Rand) (*Document, map[int]Result) {
	t.Helper()
	var sb strings.Builder
	for range 3 + r.Intn(10) {
		if r.Intn(3) == 0 {
			sb.WriteString(reparsePieces[r.Intn(len(reparsePieces))])
			continue
		}
		fmt.Fprintf(&sb, "#+begin_src sh%s\necho %d\n#+end_src\n", reparseArgs[r.Intn(len(reparseArgs))], r.Intn(100))
		sb.WriteString(reparseAfter[r.Intn(len(reparseAfter))])
	}
	doc, err := Parse(sb.String())
	if err != nil {
		t.Fatal(err)
	}
	output := func() string {
		var o strings.Builder
		for range 1 + r.Intn(3) {
			o.WriteString(reparseOutputs[r.Intn(len(reparseOutputs))])
		}
		return o.String()
	}
	results := map[int]Result{}
	for _, b := range doc.Executables() {
		if r.Intn(8) > 0 {
			results[b.Index] = Result{Output: output()}
		}
	}
	for j := range 12 {
		if r.Intn(4) > 0 {
			results[AddedKey+j] = Result{Output: output()}
		}
	}
	return doc, results
}

// reportsOf are the reports ReportResults makes of doc's results: once,
// all of them; once per result, in order, from the document each time;
// and going on from the report before.
func reportsOf(doc *Document, results map[int]Result, order []int) []*BufferReport {
	out := []*BufferReport{doc.ReportResults(results, nil)}
	ended := map[int]Result{}
	var prev *BufferReport
	for _, k := range order {
		ended[k] = results[k]
		out = append(out, doc.ReportResults(ended, nil))
		prev = doc.ReportResults(ended, prev)
		out = append(out, prev)
	}
	return out
}

// TestWriteRoundsReparse: the rounds of ReportResults, which read a
// buffer in the parse kept for its text and parse the buffer written
// only where the text searched may hold a block, make the very reports
// (text, marks) and write-backs they make parsing the buffer anew each
// round and the buffer written whenever it is searched
// (reparseEveryRound), on documents whose results hold Org structure.
func TestWriteRoundsReparse(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	searched := 0
	for n := range 200 {
		seed := r.Int63()
		rr := rand.New(rand.NewSource(seed))
		doc, results := roundsReparseDoc(t, rr)
		var order []int
		for _, b := range doc.Executables() {
			if _, ok := results[b.Index]; ok {
				order = append(order, b.Index)
			}
		}
		rr.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		for j := range 12 {
			if _, ok := results[AddedKey+j]; ok {
				order = append(order, AddedKey+j)
			}
		}
		// The reports kept: the fast rounds first, twice over the
		// same document, so that the parses kept with it and with
		// its reports are read again.
		fast := reportsOf(doc, results, order)
		fast2 := reportsOf(doc, results, order)
		reparseEveryRound = true
		slow := reportsOf(doc, results, order)
		reparseEveryRound = false
		for i := range slow {
			for _, got := range []*BufferReport{fast[i], fast2[i]} {
				if got.Text != slow[i].Text || !reflect.DeepEqual(got.Marks, slow[i].Marks) {
					t.Fatalf("document %d (seed %d), report %d: kept parses give\n%q\n%+v\nparsing anew gives\n%q\n%+v\ndocument:\n%s", n, seed, i, got.Text, got.Marks, slow[i].Text, slow[i].Marks, doc.Text)
				}
				if w, want := doc.WriteResultsIn(results, got), doc.WriteResultsIn(results, slow[i]); w != want {
					t.Fatalf("document %d (seed %d), report %d: written from the report of kept parses\n%q\nparsing anew\n%q", n, seed, i, w, want)
				}
			}
			if len(slow[i].Marks) > len(doc.Executables()) {
				searched++
			}
		}
	}
	// The documents have blocks found in results, in many reports.
	if searched < 250 {
		t.Errorf("%d reports mark blocks found in results: the documents do not test the search", searched)
	}
	t.Logf("%d reports mark blocks found in results", searched)
}

// TestFoundMayHoldExecutables: a block found stands at a point in the
// region searched, and what marks it may run past the region's end, to
// the end of the line of its last byte: the #+begin_src of a line whose
// indentation the region ends in, the rest of a src_ it ends inside; a
// line the region ends before is not looked at.
func TestFoundMayHoldExecutables(t *testing.T) {
	text := "results\n     #+begin_src sh\necho\n#+end_src\nx sr" + "c_sh{echo}\n"
	line := strings.Index(text, "     #")
	inline := strings.Index(text, "src_")
	for _, c := range []struct {
		from, to int
		want     bool
	}{
		{0, line, false}, // up to the block's line: not on it
		{0, line + 2, true},
		{line + 2, line + 3, true},
		{inline, inline + 1, true},
		{inline + 1, inline + 3, false}, // past the src_'s start
		{len(text) - 2, len(text), false},
		{strings.Index(text, "echo\n"), strings.Index(text, "#+end_src"), false},
	} {
		found := []struct{ from, to, owner int }{{c.from, c.to, 0}}
		if got := foundMayHoldExecutables(text, found); got != c.want {
			t.Errorf("[%d, %d) of %q: %v, want %v", c.from, c.to, text, got, c.want)
		}
	}
}
