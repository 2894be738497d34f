package org

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// TestDocumentMergesConcurrently: a parsed Document's RefCallee,
// CalledWith and Callee merge header arguments again after Parse; two
// goroutines calling them on one Document each get their own block's
// variables (run with -race: the merges after Parse share no scratch;
// before they did, two CalledWith merged in one :var list).
func TestDocumentMergesConcurrently(t *testing.T) {
	var doc strings.Builder
	const blocks = 2
	for b := 0; b < blocks; b++ {
		// A reference runs the block outside the COMMENT subtree, read
		// again (merged) at each RefCallee and CalledWith.
		fmt.Fprintf(&doc, "* COMMENT c%d\n#+name: b%d\n#+begin_src sh\necho\n#+end_src\n* h%d\n", b, b, b)
		fmt.Fprintf(&doc, "#+name: b%d\n#+begin_src sh", b)
		for v := 0; v < 12; v++ {
			fmt.Fprintf(&doc, " :var x%d_%d=%d", b, v, v)
		}
		doc.WriteString("\necho\n#+end_src\n")
	}
	d, err := Parse(doc.String())
	if err != nil {
		t.Fatal(err)
	}
	want := make([][]string, blocks)
	for b := range want {
		// The merges are what this test races (the name indexes:
		// TestDocumentNamesConcurrently).
		want[b] = d.Blocks[2*b+1].Vars
	}
	var wg sync.WaitGroup
	start := make(chan struct{}) // both goroutines merge at once
	errs := make(chan error, blocks)
	for b := 0; b < blocks; b++ {
		wg.Add(1)
		go func(b int) {
			defer wg.Done()
			<-start
			name := fmt.Sprintf("b%d", b)
			for i := 0; i < 500; i++ {
				got := []*Block{d.RefCallee(name)}
				cb, err := d.CalledWith(name, "", "")
				if err != nil {
					errs <- fmt.Errorf("%s: %w", name, err)
					return
				}
				for _, blk := range append(got, cb) {
					if blk == nil || !reflect.DeepEqual(blk.Vars, want[b]) {
						errs <- fmt.Errorf("%s: got %v, want vars %q", name, blk, want[b])
						return
					}
				}
			}
		}(b)
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
