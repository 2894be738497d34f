package org

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// TestDocumentNamesConcurrently: a parsed Document with no #+call: line
// has not built its name indexes (namedBlock, firstNamedCall) during the
// parse; goroutines looking names up at once on a fresh Document each
// get the block of the name they ask for (run with -race: the indexes
// were built, and each name's block read, on first use by whoever came
// first, written while the others read; the blocks' inherited header
// arguments were gathered in one scratch list of the parser's).
func TestDocumentNamesConcurrently(t *testing.T) {
	var doc strings.Builder
	const blocks = 8
	doc.WriteString("#+PROPERTY: header-args :results output\n")
	for b := 0; b < blocks; b++ {
		fmt.Fprintf(&doc, "* h%d\n#+name: b%d\n#+begin_src sh :var x%d=%d\necho\n#+end_src\n", b, b, b, b)
	}
	for round := 0; round < 20; round++ {
		d, err := Parse(doc.String())
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, 2*blocks)
		for g := 0; g < 2*blocks; g++ {
			wg.Add(1)
			go func(b int) {
				defer wg.Done()
				<-start
				name := fmt.Sprintf("b%d", b)
				want := fmt.Sprintf("x%d=%d", b, b)
				for _, blk := range []*Block{d.Callee(name), d.RefCallee(name)} {
					if blk == nil || len(blk.Vars) != 1 || blk.Vars[0] != want {
						errs <- fmt.Errorf("%s: got %v, want vars [%s]", name, blk, want)
						return
					}
				}
				if d.NamedCallRunsNothing(name) {
					errs <- fmt.Errorf("%s: a block's name runs nothing", name)
				}
			}(g % blocks)
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
}
