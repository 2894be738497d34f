package org

import (
	"fmt"
	"strings"
	"testing"
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
