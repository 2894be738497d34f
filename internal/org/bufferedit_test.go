package org

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// submittedReport is the report of a buffer that holds the document as
// submitted, nothing put in it.
func submittedReport(d *Document) string {
	var b strings.Builder
	exes := d.Executables()
	fmt.Fprintf(&b, "%d\n", len(exes))
	for _, e := range exes {
		s, end := d.ResultRegion(e)
		fmt.Fprintf(&b, "%d %d %d %d - =\n", d.Point(e), d.BlockEnd(e), s, end)
	}
	return b.String() + d.Text
}

// TestWriteResultsInSubmittedBuffer: written back in a buffer that holds
// the document as submitted, every write-back fixture, with each block
// given a result, is what WriteResults writes.
func TestWriteResultsInSubmittedBuffer(t *testing.T) {
	n := 0
	for f, doc := range resultsFixtures(t) {
		rep, err := ParseBufferReport(submittedReport(doc))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, out := range []string{"", "x\n", "a b\n1 2\n"} {
			results := map[int]Result{}
			for _, b := range doc.Executables() {
				results[b.Index] = Result{Output: out}
			}
			n++
			if got, want := doc.WriteResultsIn(results, rep), doc.WriteResults(results); got != want {
				t.Errorf("%s, output %q: in the buffer\n%s\nwant\n%s", f, out, got, want)
			}
		}
	}
	if n == 0 {
		t.Fatal("no fixture")
	}
}

// TestWriteResultsInEdited: the buffer's edits are kept; a block whose
// results the buffer holds (their digest) keeps its region as the buffer
// has it; a block whose text changed (run as the buffer holds it) gets
// its results where it now stands.
func TestWriteResultsInEdited(t *testing.T) {
	text := "* A\n\n#+begin_src sh\necho a\n#+end_src\n\n#+begin_src sh\necho b\n#+end_src\n\n#+begin_src sh\necho c\n#+end_src\n"
	doc, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	exes := doc.Executables()
	results := map[int]Result{}
	for i, b := range exes {
		results[b.Index] = Result{Output: string(rune('a'+i)) + "\n"}
	}
	putA, _ := doc.ResultReplacement(exes[0], results[exes[0].Index])
	// The buffer: a property drawer added, a's results put in and
	// edited, c's text changed.
	buf := "* A\n:PROPERTIES:\n:X: 1\n:END:\n\n#+begin_src sh\necho a\n#+end_src\n" + strings.Replace(putA, ": a", ": a, edited", 1) +
		"\n#+begin_src sh\necho b\n#+end_src\n\n#+begin_src sh\necho C\n#+end_src\n"
	var b strings.Builder
	b.WriteString("3\n")
	at := func(s string, n int) int {
		i := -1
		for ; n > 0; n-- {
			i += 1 + strings.Index(buf[i+1:], s)
		}
		return i
	}
	pa, pb, pc := at("#+begin_src", 1), at("#+begin_src", 2), at("#+begin_src", 3)
	ea, eb, ec := at("#+end_src\n", 1)+10, at("#+end_src\n", 2)+10, at("#+end_src\n", 3)+10
	fmt.Fprintf(&b, "%d %d %d %d %s =\n", pa, ea, ea, ea+len(putA)+len(", edited"), ResultDigest(putA))
	fmt.Fprintf(&b, "%d %d %d %d - =\n", pb, eb, eb, eb)
	fmt.Fprintf(&b, "%d %d %d %d - x\n", pc, ec, ec, ec)
	rep, err := ParseBufferReport(b.String() + buf)
	if err != nil {
		t.Fatal(err)
	}
	want := "* A\n:PROPERTIES:\n:X: 1\n:END:\n\n#+begin_src sh\necho a\n#+end_src\n\n#+RESULTS:\n: a, edited\n" +
		"\n#+begin_src sh\necho b\n#+end_src\n\n#+RESULTS:\n: b\n\n#+begin_src sh\necho C\n#+end_src\n\n#+RESULTS:\n: c\n"
	if got := doc.WriteResultsIn(results, rep); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A result other than the one put in (the block run again) takes
	// the region's place.
	results[exes[0].Index] = Result{Output: "again\n"}
	if got := doc.WriteResultsIn(results, rep); !strings.Contains(got, "#+RESULTS:\n: again\n") || strings.Contains(got, "edited") {
		t.Errorf("run again:\n%s", got)
	}
}

// TestParseBufferReportRefuses: reports cut or out of range are errors,
// not panics, and a report of another document is not used.
func TestParseBufferReportRefuses(t *testing.T) {
	for _, s := range []string{"", "x\n", "2\n0 0 0 0 - =\n", "1\n0 0 0\nabc", "1\n0 0 0 9 - =\nabc", "1\n0 0 2 1 - =\nabc", "1\n-1 0 0 0 - =\nabc", "1\n0 9 0 0 - =\nabc", "1\n0 0 0 0 - ?\nabc", "1\n0 0 0 0 -\nabc", "99999999999999999999\n", "0 x\nabc", "0 -1\nabc", "0 2\nk v\n", "0 1\n v\nabc"} {
		if _, err := ParseBufferReport(s); err == nil {
			t.Errorf("%q: no error", s)
		}
	}
	doc, _ := Parse("#+begin_src sh\necho a\n#+end_src\n")
	rep, err := ParseBufferReport("0\nother text\n")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := doc.WriteResultsIn(nil, rep), doc.Text; got != want {
		t.Errorf("a report of no executables used: %q", got)
	}
}

// TestBufferReportProperties: a report gives the #+PROPERTY values Org
// holds (keys in lower case, the first of a key), which its buffer is
// parsed with in place of its lines'; a report of the earlier version
// ("N" alone) has none, and its lines count. The parse is made once per
// report (and Visit).
func TestBufferReportProperties(t *testing.T) {
	const text = "#+PROPERTY: header-args:sh :var kw=\"edited\"\n#+begin_src sh\necho $kw\n#+end_src\n"
	rep, err := ParseBufferReport("1 2\n42 66 66 66 - =\nHeader-Args:sh :var kw=\"held\"\nheader-args:sh :var kw=\"later\"\n" + text)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"header-args:sh": `:var kw="held"`}; !reflect.DeepEqual(rep.Properties, want) {
		t.Errorf("properties %q, want %q", rep.Properties, want)
	}
	d, err := rep.Document(Visit{})
	if err != nil {
		t.Fatal(err)
	}
	if got := d.Blocks[0].Vars; !reflect.DeepEqual(got, []string{`kw="held"`}) {
		t.Errorf("the block's :var %q, want Org's value", got)
	}
	if again, _ := rep.Document(Visit{}); again != d {
		t.Errorf("parsed again")
	}
	if other, _ := rep.Document(Visit{Dir: "/d"}); other == d || other.Visit.Dir != "/d" {
		t.Errorf("another visit: the first's parse")
	}
	old, err := ParseBufferReport("1\n42 66 66 66 - =\n" + text)
	if err != nil {
		t.Fatal(err)
	}
	d, _ = old.Document(Visit{})
	if old.Properties != nil || !reflect.DeepEqual(d.Blocks[0].Vars, []string{`kw="edited"`}) {
		t.Errorf("an earlier report: %q, %q", old.Properties, d.Blocks[0].Vars)
	}
}

// FuzzParseBufferReport: any report is read or refused, and written back
// in without a panic.
func FuzzParseBufferReport(f *testing.F) {
	doc, _ := Parse("#+begin_src sh\necho a\n#+end_src\n\nText src_sh{echo b} here.\n")
	f.Add(submittedReport(doc))
	f.Add("1\n0 0 0 0 - x\n")
	f.Fuzz(func(t *testing.T, s string) {
		rep, err := ParseBufferReport(s)
		if err != nil {
			return
		}
		results := map[int]Result{}
		for _, b := range doc.Executables() {
			results[b.Index] = Result{Output: "x\n"}
		}
		doc.WriteResultsIn(results, rep)
	})
}

// TestWriteResultsInDeletedAndPut: a block an Emacs Lisp block deleted
// (its marks together) gets no results; a changed one whose region holds
// results put there (a digest) keeps it as the buffer has it.
func TestWriteResultsInDeletedAndPut(t *testing.T) {
	text := "#+begin_src sh\necho a\n#+end_src\n\n#+begin_src sh\necho b\n#+end_src\n"
	doc, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	exes := doc.Executables()
	results := map[int]Result{exes[0].Index: {Output: "a\n"}, exes[1].Index: {Output: "b\n"}}
	buf := "\n#+begin_src sh\necho B\n#+end_src\n\n#+RESULTS:\n: kept\n"
	pb := 1
	eb := strings.Index(buf, "#+end_src\n") + 10
	rep, err := ParseBufferReport(fmt.Sprintf("2\n0 0 0 0 - x\n%d %d %d %d %s x\n", pb, eb, eb, len(buf), ResultDigest("x")) + buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.WriteResultsIn(results, rep); got != buf {
		t.Errorf("got\n%s\nwant\n%s", got, buf)
	}
}

// TestWriteResultsInPlacesAsEmacs: in a buffer an Emacs Lisp block
// changed, results are placed as org-babel-where-is-src-block-result finds
// their place there (TestAgainstEmacs/results_placement_after_edits holds
// the same to Emacs): a paragraph put between a block and its results
// leaves them and puts new ones under the block; named results put
// earlier are the ones replaced.
func TestWriteResultsInPlacesAsEmacs(t *testing.T) {
	text := "#+begin_src sh\necho a\n#+end_src\n\n#+RESULTS:\n: old a\n\n#+name: b\n#+begin_src sh\necho b\n#+end_src\n\n#+RESULTS: b\n: old b\n"
	doc, err := Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	rep := editedReport(doc, "#+RESULTS: b\n: put earlier\n\n")
	// The paragraph after the first block's #+end_src line.
	at := strings.Index(rep.Text, "\n#+RESULTS:\n")
	rep.Text = rep.Text[:at] + "\nA paragraph.\n" + rep.Text[at:]
	for i := range rep.Marks {
		for _, o := range []*int{&rep.Marks[i].Point, &rep.Marks[i].BlockEnd, &rep.Marks[i].Start, &rep.Marks[i].End} {
			if *o > at {
				*o += len("\nA paragraph.\n")
			}
		}
	}
	results := map[int]Result{0: {Output: "a\n"}, 1: {Output: "b\n"}}
	want := "#+RESULTS: b\n: b\n\n#+begin_src sh\necho a\n#+end_src\n\n#+RESULTS:\n: a\n\nA paragraph.\n\n#+RESULTS:\n: old a\n\n#+name: b\n#+begin_src sh\necho b\n#+end_src\n\n#+RESULTS: b\n: old b\n"
	if got := doc.WriteResultsIn(results, rep); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
