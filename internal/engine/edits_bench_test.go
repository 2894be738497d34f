package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// editorsDoc has editors Emacs Lisp blocks, named e1..., and blocks sh
// blocks, named s1..., each after the Emacs Lisp block its number
// falls under (all after the last, when there is one editor).
func editorsDoc(editors, blocks int) string {
	var b strings.Builder
	per := blocks / editors
	for i := 1; i <= editors; i++ {
		fmt.Fprintf(&b, "#+name: e%d\n#+begin_src emacs-lisp :results silent\n(message \"%d\")\n#+end_src\n\n", i, i)
		for j := (i-1)*per + 1; j <= i*per; j++ {
			fmt.Fprintf(&b, "#+name: s%d\n#+begin_src sh\necho %d\n#+end_src\n\n", j, j)
		}
	}
	return b.String()
}

// endedWritten runs doc on an engine until it ends, each Emacs Lisp
// block (named e...) leaving a report of the buffer as submitted after a
// prefix, and writes its results document once; it returns the engine
// and the document's id.
func endedWritten(tb testing.TB, doc string) (*Engine, string) {
	tb.Helper()
	rb := newReportBackend()
	e, _ := startEngine(tb, tb.TempDir(), rb, Config{})
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		tb.Fatal(err)
	}
	finishReporting(tb, e, rb, v.ID, reportText(tb, doc, "Prefix.\n"))
	readsDrained(tb, e)
	endChecked(tb, e, v.ID)
	if _, err := e.ResultDocument(context.Background(), v.ID); err != nil {
		tb.Fatal(err)
	}
	return e, v.ID
}

// BenchmarkResultsSeveralEditors writes back a document of six Emacs
// Lisp blocks, each followed by two sh blocks decided from its report of
// the Org buffer (the buffer as submitted, after a prefix), all ended
// and the reports kept: ratio is the time of a write to that of a
// document of one Emacs Lisp block followed by the same twelve sh blocks
// (the baseline, measured in the same run), edits/write how many times
// a report's edits were found (plan.BufferEdits) per write of the six.
// The edits kept for the latest report only are found again, for every
// report, at every write.
func BenchmarkResultsSeveralEditors(b *testing.B) {
	type run struct {
		e  *Engine
		id string
	}
	start := func(doc string) run {
		e, id := endedWritten(b, doc)
		return run{e, id}
	}
	six, one := start(editorsDoc(6, 12)), start(editorsDoc(1, 12))
	write := func(r run) {
		if _, err := r.e.ResultDocument(context.Background(), r.id); err != nil {
			b.Fatal(err)
		}
	}
	var tSix, tOne time.Duration
	six.e.mu.Lock()
	built := six.e.editsBuilt
	six.e.mu.Unlock()
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		write(six)
		t1 := time.Now()
		write(one)
		tSix, tOne = tSix+t1.Sub(t0), tOne+time.Since(t1)
	}
	b.StopTimer()
	six.e.mu.Lock()
	built = six.e.editsBuilt - built
	six.e.mu.Unlock()
	b.ReportMetric(float64(built)/float64(b.N), "edits/write")
	b.ReportMetric(float64(tSix)/float64(tOne), "ratio")
}

// TestEditsFoundOncePerReport: a document of several Emacs Lisp blocks,
// each with blocks decided from its report of the Org buffer, finds the
// edits of each report once while the reports are kept: its results
// document, written again, finds none again (the edits of the latest
// report only were kept, and those of every other found again at
// every write).
func TestEditsFoundOncePerReport(t *testing.T) {
	e, id := endedWritten(t, editorsDoc(3, 6))
	e.mu.Lock()
	built := e.editsBuilt
	e.mu.Unlock()
	for range 3 {
		if _, err := e.ResultDocument(context.Background(), id); err != nil {
			t.Fatal(err)
		}
	}
	e.mu.Lock()
	again := e.editsBuilt - built
	e.mu.Unlock()
	if again != 0 {
		t.Errorf("the edits of the reports found %d times again over three writes of the results document, want none", again)
	}
}

// endChecked waits until the end check (endcheck.go) has written back
// document id once at its end: that write-back, off the lock, pins the
// reports it reads while it runs, so what is kept is measured after it.
func endChecked(tb testing.TB, e *Engine, id string) {
	tb.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		e.mu.Lock()
		ds := e.docs[id]
		checked := ds != nil && !ds.ends.checked.IsZero()
		e.mu.Unlock()
		if checked {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatal("the end check never wrote the document back")
		}
		time.Sleep(10 * time.Millisecond)
	}
}
