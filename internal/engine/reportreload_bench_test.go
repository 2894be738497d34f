package engine

import (
	"context"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/session"
)

// slowReports is a report backend each read of whose reports of the Org
// buffer takes delay.
type slowReports struct {
	*reportBackend
	delay time.Duration
}

func (s *slowReports) ReadLog(ctx context.Context, id, stream string, offset int64, limit int) ([]byte, int64, error) {
	if stream == session.BufferFile && offset == 0 {
		t := time.NewTimer(s.delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, 0, ctx.Err()
		}
	}
	return s.reportBackend.ReadLog(ctx, id, stream, offset, limit)
}

// BenchmarkViewsWhileReportReadAgain writes back a document of two
// Emacs Lisp blocks whose reports of the Org buffer were let go (a
// budget that keeps none), each read of a report taking 20 ms, while
// another client asks for a view of the document as fast as it can:
// views is how many it was answered while the results document was
// made, ratio that to how many it is answered in the same time with no
// read under way (the baseline, measured in the same run). A report
// read again under the engine's lock answers next to none.
func BenchmarkViewsWhileReportReadAgain(b *testing.B) {
	withReportBudget(b, 1)
	rb := &slowReports{reportBackend: newReportBackend(), delay: 20 * time.Millisecond}
	e, _ := startEngine(b, b.TempDir(), rb, Config{})
	v, err := e.Submit(context.Background(), twoEditorsDoc)
	if err != nil {
		b.Fatal(err)
	}
	finishReporting(b, e, rb.reportBackend, v.ID, reportText(b, twoEditorsDoc, "Prefix.\n"))
	readsDrained(b, e)
	// views counts the views answered until done is closed.
	views := func(done <-chan struct{}) int {
		n := 0
		for {
			select {
			case <-done:
				return n
			default:
			}
			if _, err := e.Document(v.ID); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	var during, idle int
	var took time.Duration
	reads := rb.readsOfReports()
	b.ResetTimer()
	for range b.N {
		done := make(chan struct{})
		start := time.Now()
		go func() {
			defer close(done)
			if _, err := e.ResultDocument(context.Background(), v.ID); err != nil {
				b.Error(err)
			}
		}()
		during += views(done)
		d := time.Since(start)
		took += d
		quiet := make(chan struct{})
		t := time.AfterFunc(d, func() { close(quiet) })
		idle += views(quiet)
		t.Stop()
	}
	b.ReportMetric(float64(during)/float64(b.N), "views/write")
	b.ReportMetric(float64(took.Milliseconds())/float64(b.N), "ms/write")
	b.ReportMetric(float64(rb.readsOfReports()-reads)/float64(b.N), "reads/write")
	if idle > 0 {
		b.ReportMetric(float64(during)/float64(idle), "ratio")
	}
}
