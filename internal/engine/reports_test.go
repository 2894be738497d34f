package engine

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// reportBackend is the fake backend with the reports of the document's
// Emacs buffer the test says its attempts left, counting their reads.
type reportBackend struct {
	*fakeBackend
	rmu     sync.Mutex
	reports map[string]string
	reads   int
}

func newReportBackend() *reportBackend {
	return &reportBackend{fakeBackend: &fakeBackend{capacity: plan.Resources{CPUs: 2, MemMB: 1024}, outputs: map[string]string{}, envs: map[string]string{}},
		reports: map[string]string{}}
}

func (r *reportBackend) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	if stream != session.BufferFile {
		return r.fakeBackend.ReadLog(ctx, id, stream, offset, max)
	}
	r.rmu.Lock()
	defer r.rmu.Unlock()
	r.reads++
	out := r.reports[id]
	if offset >= int64(len(out)) {
		return nil, int64(len(out)), nil
	}
	end := min(int64(len(out)), offset+int64(max))
	return []byte(out[offset:end]), int64(len(out)), nil
}

// readsOfReports is how many reads of reports there were.
func (r *reportBackend) readsOfReports() int {
	r.rmu.Lock()
	defer r.rmu.Unlock()
	return r.reads
}

// reportText is the report, as the document's Emacs writes it, of doc's
// buffer after prefix was put at its top: every mark moved past it.
func reportText(t testing.TB, doc, prefix string) string {
	t.Helper()
	return marksReport(t, doc, prefix, -1)
}

// marksReport is the report of a buffer holding prefix then doc, each
// block's mark moved past prefix, the changed'th block (from 0; -1 for
// none) marked changed.
func marksReport(t testing.TB, doc, prefix string, changed int) string {
	t.Helper()
	d, err := org.Parse(doc)
	if err != nil {
		t.Fatal(err)
	}
	exes := d.Executables()
	var b strings.Builder
	fmt.Fprintf(&b, "%d 0\n", len(exes))
	n := len(prefix)
	for i, x := range exes {
		s, end := d.ResultRegion(x)
		mark := "="
		if i == changed {
			mark = "x"
		}
		fmt.Fprintf(&b, "%d %d %d %d - %s\n", d.Point(x)+n, d.BlockEnd(x)+n, s+n, end+n, mark)
	}
	return b.String() + prefix + doc
}

// runEdited runs doc on e (backend rb): its first block, of Emacs Lisp,
// leaves a report of the buffer with prefix put at its top, each block
// after it (blocks in all) prints its name. It returns the document's id
// once finished.
func runEdited(t testing.TB, e *Engine, rb *reportBackend, doc, prefix string, blocks int) string {
	t.Helper()
	v, err := e.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= blocks; n++ {
		a := waitLaunches(t, rb.fakeBackend, n)[n-1]
		if n == 1 {
			rb.rmu.Lock()
			rb.reports[a.ID] = reportText(t, doc, prefix)
			rb.rmu.Unlock()
		}
		rb.setOutput(a.ID, a.Block+"\n")
		finish(rb.fakeBackend, a, Finished, 0)
	}
	for range 4000 {
		if d, _ := e.Document(v.ID); d != nil && d.State == Finished {
			return v.ID
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("document %s has not finished", v.ID)
	return ""
}

const editedDoc = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(goto-char (point-min))\n(insert \"A line the editor put.\\n\")\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh\necho after\n#+end_src\n"

// TestResultDocumentKeepsReport: the results document of a document whose
// Emacs reported its buffer is written back in that buffer; asked again,
// the report is not read (nor parsed) again; a server started again
// reads it once and writes the same document.
func TestResultDocumentKeepsReport(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	id := runEdited(t, e, rb, editedDoc, "A line the editor put.\n", 2)
	want, err := e.ResultDocument(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(want, "A line the editor put.\n") || !strings.Contains(want, "#+RESULTS: after\n: after\n") {
		t.Fatalf("not written back in the reported buffer:\n%s", want)
	}
	before := rb.readsOfReports()
	for range 3 {
		if got, err := e.ResultDocument(context.Background(), id); err != nil || got != want {
			t.Fatalf("asked again: %v\n%s", err, got)
		}
	}
	if n := rb.readsOfReports() - before; n != 0 {
		t.Errorf("the report read %d times more for 3 requests, want 0", n)
	}
	stop()

	rb2 := newReportBackend()
	rb2.reports, rb2.outputs = rb.reports, rb.outputs
	e2, _ := startEngine(t, dir, rb2, Config{})
	for range 3 {
		if got, err := e2.ResultDocument(context.Background(), id); err != nil || got != want {
			t.Fatalf("after the restart: %v\n%s\nwant:\n%s", err, got, want)
		}
	}
	if n := rb2.readsOfReports(); n != 1 {
		t.Errorf("after the restart the report was read %d times for 3 requests, want 1", n)
	}
}

// BenchmarkResultDocumentReported asks for the results document of a
// document whose Emacs reported its buffer (an Emacs Lisp block, 20 shell
// blocks, 4,000 lines of text), again and again, as the server answers
// (the report kept, parsed), and as it did before it kept it (the report
// read and parsed at each request, its kept report forgotten first), alternately
// in the same process: ratio is the time per request before over now,
// reads the reads of the report per request now.
func BenchmarkResultDocumentReported(b *testing.B) {
	var doc strings.Builder
	doc.WriteString(editedDoc)
	for i := 0; i < 20; i++ {
		fmt.Fprintf(&doc, "\n* Part %d\n\n", i)
		for j := 0; j < 200; j++ {
			fmt.Fprintf(&doc, "Line %d of part %d, some prose the document carries between its blocks.\n", j, i)
		}
		fmt.Fprintf(&doc, "\n#+name: b%d\n#+begin_src sh\necho %d\n#+end_src\n", i, i)
	}
	rb := newReportBackend()
	e, _ := startEngine(b, b.TempDir(), rb, Config{})
	id := runEdited(b, e, rb, doc.String(), "A line the editor put.\n", 22)
	ctx := context.Background()
	want, err := e.ResultDocument(ctx, id)
	if err != nil {
		b.Fatal(err)
	}
	var kept, before time.Duration
	reads := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r0 := rb.readsOfReports()
		start := time.Now()
		got, err := e.ResultDocument(ctx, id)
		kept += time.Since(start)
		reads += rb.readsOfReports() - r0
		if err != nil || got != want {
			b.Fatalf("kept: %v", err)
		}
		e.forgetReports(waitLaunches(b, rb.fakeBackend, 1)[0].ID)
		start = time.Now()
		got, err = e.ResultDocument(ctx, id)
		before += time.Since(start)
		if err != nil || got != want {
			b.Fatalf("read again: %v", err)
		}
	}
	b.ReportMetric(before.Seconds()/kept.Seconds(), "ratio")
	b.ReportMetric(float64(reads)/float64(b.N), "reads/request")
}
