package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// endsOwner is a block whose raw results print a block, found and run.
const endsOwner = "#+name: owner\n#+begin_src sh :results raw\nprint\n#+end_src\nText right after.\n\n"

// endsDoc is a document of n blocks as internal/org's
// BenchmarkReportResultsRounds has them (most followed by a blank line,
// every third by text right after it, every fifth with results there
// already, under a heading every tenth), none of whose results may hold
// a block, and endsOwner first or last.
func endsDoc(n int, ownerLast bool) string {
	var sb strings.Builder
	if !ownerLast {
		sb.WriteString(endsOwner)
	}
	for i := range n {
		if i%10 == 0 {
			fmt.Fprintf(&sb, "* Section %d\n\n", i/10)
		}
		fmt.Fprintf(&sb, "#+name: b%d\n#+begin_src sh\necho %d\n#+end_src\n", i, i)
		switch {
		case i%5 == 0:
			fmt.Fprintf(&sb, "\n#+RESULTS: b%d\n: old\n\n", i)
		case i%3 == 0:
			sb.WriteString("Text right after.\n\n")
		default:
			sb.WriteString("\n")
		}
	}
	if ownerLast {
		sb.WriteString(endsOwner)
	}
	return sb.String()
}

// endsRunning is how many of endsDoc's blocks endsRun keeps running
// until the owner has ended: when it is last, they stand above it and
// end once the block found in its results is known.
const endsRunning = 10

// endsRun runs endsDoc(n, ownerLast) to its end: its blocks are ended
// in the order they launch, each printing two plain lines, but the last
// endsRunning to launch and the owner, ended once all have launched (its
// results print a block); then those, then the block found. It returns the results the
// search of results written was handed over the run (searchedResults)
// and the document's results.
func endsRun(tb testing.TB, n int, ownerLast bool) (int, string) {
	tb.Helper()
	rb := newReportBackend()
	e, stop := startEngine(tb, tb.TempDir(), rb, Config{})
	defer stop()
	v, err := e.Submit(context.Background(), endsDoc(n, ownerLast))
	if err != nil {
		tb.Fatal(err)
	}
	fb := rb.fakeBackend
	end := func(a *Attempt) { finishLaunch(fb, a, fmt.Sprintf("line %s\nand another\n", a.Block)) }
	// Every block launched, one by one, the last endsRunning of them
	// (besides the owner) kept running, the others ended; then the
	// owner; then those kept running; then the block found.
	var running []*Attempt
	var owner *Attempt
	for k := range n + 1 {
		a := waitLaunches(tb, fb, k+1)[k]
		if a.Block == "owner" {
			owner = a
			continue
		}
		running = append(running, a)
		if len(running) > endsRunning {
			end(running[0])
			running = running[1:]
		}
	}
	if owner == nil {
		tb.Fatalf("the owner did not launch")
	}
	// The ends so far read (off the lock) and weighed before the owner
	// ends: none of them searches, whatever the machine's pace.
	eventually(tb, "the ends read", func() bool {
		e.mu.Lock()
		defer e.mu.Unlock()
		for _, b := range e.docs[v.ID].blocks {
			for _, in := range b.instances {
				if in.endReading != "" {
					return false
				}
			}
		}
		return true
	})
	finishLaunch(fb, owner, "#+begin_src sh\necho found\n#+end_src\n")
	// The block found launches once the search has added it.
	found := waitLaunches(tb, fb, n+2)[n+1]
	for _, a := range running {
		end(a)
	}
	end(found)
	eventually(tb, "the document finished", func() bool {
		d, _ := e.Document(v.ID)
		return d != nil && d.State == Finished
	})
	e.mu.Lock()
	searched := e.docs[v.ID].searchedResults
	e.mu.Unlock()
	text, _, err := e.writeBack(context.Background(), v.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return searched, text
}

// eventually waits for ok, a condition of what a test started, checked
// every 5 ms, 20 s at most; it fails tb, naming what, past that.
func eventually(tb testing.TB, what string, ok func() bool) {
	tb.Helper()
	for range 4000 {
		if ok() {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	tb.Fatalf("waited for %s", what)
}

// TestEndsSearchScales: the results a document's blocks write are
// searched for blocks (org.Document.ReportResults) only where a block's
// results may hold one, or stand above a block found: over the run of a
// document of n blocks whose results are plain text and one block whose
// results print a block, the results handed to that search grow with n,
// not with its square (every result so far searched each time a block
// ends: n(n+1)/2). Twice the blocks, at most two and a half times the
// results searched, the owner first (one search, at its end) or last
// (one more for each block above it that ends after it: those kept
// running). The block found is written back where Emacs writes it, with
// the last block's results.
func TestEndsSearchScales(t *testing.T) {
	for _, last := range []bool{false, true} {
		t.Run(fmt.Sprintf("owner_last=%v", last), func(t *testing.T) {
			small, text := endsRun(t, 50, last)
			if !strings.Contains(text, "#+begin_src sh\necho found\n#+end_src\n") || !strings.Contains(text, "| line | b49     |\n") {
				t.Fatalf("results document:\n%s", text)
			}
			large, _ := endsRun(t, 100, last)
			t.Logf("results searched: %d at 50 blocks, %d at 100", small, large)
			if small == 0 || float64(large) > 2.5*float64(small) {
				t.Errorf("twice the blocks searched %d results, against %d", large, small)
			}
		})
	}
}

// BenchmarkEndsSearched: endsRun, the run of a document of n blocks
// through the engine (a fake backend), as its blocks end; with the
// results the search of results written was handed (TestEndsSearchScales)
// as results-searched/op. ns/op is per document; the tests' checks of
// the stop indexes, a search of every block at each pass, are off.
func BenchmarkEndsSearched(b *testing.B) {
	withoutIndexChecks(b)
	for _, last := range []bool{false, true} {
		for _, n := range []int{200, 800} {
			b.Run(fmt.Sprintf("owner_last=%v/blocks=%d", last, n), func(b *testing.B) {
				searched := 0
				for b.Loop() {
					s, _ := endsRun(b, n, last)
					searched += s
				}
				b.ReportMetric(float64(searched)/float64(b.N), "results-searched/op")
			})
		}
	}
}
