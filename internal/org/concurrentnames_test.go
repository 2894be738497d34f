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

// TestDocumentUnvisitedNamesConcurrently: named blocks with no language
// (no Babel block: Parse does not read them) under entries whose drawer
// sets header-args; goroutines looking up different names at once each
// fill the inherited properties' memo for an entry Parse did not visit
// (run with -race: they wrote p.inherit and the propMemos unguarded).
func TestDocumentUnvisitedNamesConcurrently(t *testing.T) {
	var doc strings.Builder
	doc.WriteString("* a\n#+begin_src sh\necho\n#+end_src\n")
	const names = 8
	for i := range names {
		fmt.Fprintf(&doc, "* h\n:PROPERTIES:\n:header-args: :var y=%d\n:END:\n#+name: n%d\n#+begin_src\necho\n#+end_src\n", i, i)
	}
	for range 10 {
		d, err := Parse(doc.String())
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for g := range 2 * names {
			wg.Add(1)
			go func() {
				defer wg.Done()
				b := d.Callee(fmt.Sprintf("n%d", g%names))
				if b == nil || len(b.Vars) != 1 || b.Vars[0] != fmt.Sprintf("y=%d", g%names) {
					t.Errorf("n%d: got %+v", g%names, b)
				}
			}()
		}
		wg.Wait()
	}
}

// TestCalledByCallConcurrently: the first element named c is a #+call:
// line that calls nothing, and a #+call: c() calls it; goroutines
// looking c up while others read the call lines get what Parse set
// (run with -race: each lookup set Call.CalledByCall again).
func TestCalledByCallConcurrently(t *testing.T) {
	d, err := Parse("#+name: c\n#+call: nothing()\n\n#+call: c()\n")
	if err != nil {
		t.Fatal(err)
	}
	if !d.CalledByCall(d.Calls[0]) {
		t.Fatalf("#+call: nothing() is called by #+call: c() but not CalledByCall: %+v", d.Calls[0])
	}
	lookupsAndReads(func() { d.Callee("c") }, func() {
		if !d.CalledByCall(d.Calls[0]) {
			t.Error("CalledByCall unset")
		}
	})
}

// lookupsAndReads runs lookup in four goroutines and read in four
// others, all at once, and waits for them.
func lookupsAndReads(lookup, read func()) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if g%2 == 0 {
				lookup()
			} else {
				read()
			}
		}()
	}
	wg.Wait()
}

// TestCalledByCallSetAfterParseConcurrently: the first element named c
// is a #+call: line that calls nothing, and only a reference calls it,
// so Parse leaves it unset and the first lookup after Parse sets it
// (CalledWith); goroutines reading it (CalledByCall) while others look
// c up see it unset or set, never a torn write (run with -race), and set
// once a lookup has returned.
func TestCalledByCallSetAfterParseConcurrently(t *testing.T) {
	for range 20 { // a fresh document each round: its first lookup sets it
		d, err := Parse("#+name: c\n#+call: nothing()\n\n#+begin_src sh :var x=c()\necho $x\n#+end_src\n")
		if err != nil {
			t.Fatal(err)
		}
		if d.CalledByCall(d.Calls[0]) {
			t.Fatalf("#+call: nothing() is called by no #+call: line, yet CalledByCall after Parse: %+v", d.Calls[0])
		}
		lookupsAndReads(func() {
			d.CalledWith("c", "", "")
			if !d.CalledByCall(d.Calls[0]) {
				t.Error("CalledByCall unset after CalledWith returned")
			}
		}, func() { d.CalledByCall(d.Calls[0]) })
	}
}
