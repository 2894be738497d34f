package org

import (
	"fmt"
	"math"
	"math/rand"
	"sort"
	"strings"
	"testing"
	"time"
)

// nestedDoc generates width outlines of depth nested headings ("*", "**",
// …), each heading with a property drawer that appends a variable to the
// inherited header arguments and blocks source blocks: the shape on which
// reading properties by walking up the outline for every block is
// quadratic.
func nestedDoc(depth, width, blocks int) string {
	var b strings.Builder
	b.WriteString("#+PROPERTY: header-args :results output\n#+PROPERTY: header-args:sh+ :var top=0\n\n")
	n := 0
	for w := 0; w < width; w++ {
		for d := 1; d <= depth; d++ {
			n++
			fmt.Fprintf(&b, "%s Level %d\n:PROPERTIES:\n:header-args+: :var x%d=%d\n", strings.Repeat("*", d), d, n, n)
			if d%3 == 0 {
				fmt.Fprintf(&b, ":header-args:sh+: :var s%d=%d\n", n, n)
			}
			b.WriteString(":END:\n\n")
			for k := 0; k < blocks; k++ {
				fmt.Fprintf(&b, "#+name: b%d-%d\n#+header: :exports both\n#+begin_src sh :results output\necho %d\n#+end_src\n\n", n, k, k)
			}
		}
	}
	return b.String()
}

// deepDoc is the plain case: depth nested headings, each appending a
// variable to header-args and holding one block.
func deepDoc(depth int) string {
	var b strings.Builder
	for d := 1; d <= depth; d++ {
		fmt.Fprintf(&b, "%s H%d\n:PROPERTIES:\n:header-args+: :var x%d=%d\n:END:\n#+begin_src sh\necho %d\n#+end_src\n", strings.Repeat("*", d), d, d, d, d)
	}
	return b.String()
}

// BenchmarkParseNested reads one outline 1,000 headings deep, each heading
// with its own property drawer and block.
func BenchmarkParseNested(b *testing.B) {
	text := deepDoc(1000)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Parse(text); err != nil {
			b.Fatal(err)
		}
	}
}

// scalingShapes are generated documents of about size bytes, each
// stressing one dimension of the reader.
func scalingShapes(size int) map[string]string {
	repeat := func(unit string) string { return strings.Repeat(unit, max(1, size/len(unit))) }
	shapes := map[string]string{
		"nested":   nestedDoc(depthFor(size), 1, 1),
		"wide":     nestedDoc(20, max(1, size/2400), 2),
		"flat":     repeat("* H\n#+begin_src sh\necho\n#+end_src\n"),
		"keywords": repeat("#+TITLE: x\n#+PROPERTY: header-args+ :var k=1\n") + "#+begin_src sh\n#+end_src\n",
		"headers":  "#+name: b\n" + repeat("#+header: :var v=1 :results table\n") + "#+begin_src sh\n#+end_src\n",
		"longline": "#+begin_src sh " + repeat(`:var a=(["x" `) + "\n#+end_src\n",
		"calls":    callsDoc(size),
		"unclosed": repeat("#+begin_example\n:PROPERTIES:\n") + "#+begin_src sh\n#+end_src\n",
		"noweb":    nowebDoc(size),
		"orphans":  repeat("#+name: x\n#+header: :var y=1\n") + "\n#+begin_src sh\n#+end_src\n",
		"tableel":  repeat("+-+\n|x\n") + "#+begin_src sh\n#+end_src\n",
		"vareq":    "#+begin_src sh :var a" + repeat("= ") + "\n#+end_src\n",
		"drawers":  repeat(":FOO:\n\\begin{x}\n#+BEGIN: d\n") + "#+begin_src sh\n#+end_src\n",
		"footnote": repeat("[fn:1] x\n") + "#+begin_src sh\n#+end_src\n",
		"items":    repeat("- a\n  #+begin_src sh\n  #+end_src\n"),
		// One paragraph of CSV-like text and dots after an inline block:
		// each word start on an s or c was looked back over the run.
		"inlinecsv":  "src_sh{1} " + repeat("sa,") + "\n",
		"inlinedots": "src_sh{1} " + repeat(".s") + "\n",
	}
	return shapes
}

// depthFor is the depth of a nested outline of about size bytes: the
// stars alone take depth²/2.
func depthFor(size int) int {
	d := 1
	for (d+1)*(d+1)/2+(d+1)*80 < size {
		d++
	}
	return d
}

func callsDoc(size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "#+name: f%d\n#+begin_src sh :var x=1\necho $x\n#+end_src\n#+call: f%d(x=%d)\n", i, i/2, i)
	}
	return b.String()
}

func nowebDoc(size int) string {
	var b strings.Builder
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, "#+name: n%d\n#+begin_src sh :noweb yes :noweb-ref all\necho %d <<n%d>>\n#+end_src\n", i, i, i/2)
	}
	return b.String()
}

// BenchmarkParseScaling reads generated documents of each shape at two
// sizes, 16 times apart, and reports the time per byte of each and the
// ratio of the largest to the smallest (max/min-ns/B): a reader linear in
// its input keeps that ratio near 1 whatever the shape. A shape whose
// work grew with the square of its size would show a ratio near 16.
func BenchmarkParseScaling(b *testing.B) {
	small, large := scalingShapes(64<<10), scalingShapes(1<<20)
	names := make([]string, 0, len(small))
	for name := range small {
		names = append(names, name)
	}
	sort.Strings(names)
	worst := 0.0
	for _, name := range names {
		perByte := func(text string) float64 {
			start := time.Now()
			doc, err := Parse(text)
			if err != nil {
				b.Fatal(err)
			}
			for _, blk := range doc.Blocks {
				if _, err := doc.ExpandedBody(blk, nil); err != nil && !strings.Contains(err.Error(), "noweb") {
					b.Fatal(err)
				}
			}
			return float64(time.Since(start).Nanoseconds()) / float64(len(text))
		}
		var s, l float64
		for i := 0; i < b.N; i++ {
			s += perByte(small[name])
			l += perByte(large[name])
		}
		s, l = s/float64(b.N), l/float64(b.N)
		b.ReportMetric(l, name+"-ns/B")
		b.ReportMetric(l/s, name+"-growth")
		worst = max(worst, l/s)
	}
	b.ReportMetric(worst, "max-growth")
}

// BenchmarkParseGenerated reads nested outlines of random depth (1 to
// 1,500), width and blocks per heading, from a few KiB to a few MiB, and
// reports the time per byte of the slowest and the fastest and their
// ratio (max/min). A deep outline gives each block more inherited
// variables per byte of text, so the time is also reported per unit of
// work, a byte read or a variable in a block's merged arguments
// (max/min-per-unit): both ratios stay bounded whatever the shape and
// size when the reader is linear, where a quadratic reader's grow with
// the largest document.
func BenchmarkParseGenerated(b *testing.B) {
	r := rand.New(rand.NewSource(1))
	type doc struct {
		text  string
		shape string
	}
	var docs []doc
	for len(docs) < 12 {
		depth := 1 + r.Intn(1500)
		width := 1 + r.Intn(max(1, 3000/depth))
		blocks := 1 + r.Intn(4)
		text := nestedDoc(depth, width, blocks)
		if len(text) > 8<<20 {
			continue
		}
		docs = append(docs, doc{text, fmt.Sprintf("%dx%dx%d", depth, width, blocks)})
	}
	lo, hi := math.Inf(1), 0.0
	loUnit, hiUnit := math.Inf(1), 0.0
	var loShape, hiShape string
	for _, d := range docs {
		var ns float64
		units := len(d.text)
		for i := 0; i < b.N; i++ {
			start := time.Now()
			parsed, err := Parse(d.text)
			if err != nil {
				b.Fatal(err)
			}
			ns += float64(time.Since(start).Nanoseconds())
			if i == 0 {
				for _, blk := range parsed.Blocks {
					units += len(blk.Vars)
				}
			}
		}
		ns /= float64(b.N)
		perByte, perUnit := ns/float64(len(d.text)), ns/float64(units)
		if perByte < lo {
			lo, loShape = perByte, d.shape
		}
		if perByte > hi {
			hi, hiShape = perByte, d.shape
		}
		loUnit, hiUnit = min(loUnit, perUnit), max(hiUnit, perUnit)
	}
	b.Logf("per byte: fastest %s, slowest %s (depth x width x blocks)", loShape, hiShape)
	b.ReportMetric(lo, "min-ns/B")
	b.ReportMetric(hi, "max-ns/B")
	b.ReportMetric(hi/lo, "max/min")
	b.ReportMetric(hiUnit/loUnit, "max/min-per-unit")
}
