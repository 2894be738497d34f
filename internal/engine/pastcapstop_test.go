package engine

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
)

// TestResultStopPastCap: a block whose output is past the results' size
// limit still stops the document where its stop does not hang on what it
// printed: a :file in a directory nothing made (with-temp-file fails
// whatever it holds), once the whole output is known to hold nothing
// utf-8-unix cannot encode (else Emacs stops, earlier, asking for a
// coding system: plan.CodingStopError). The block after it is not run,
// its results are not written.
func TestResultStopPastCap(t *testing.T) {
	const head = "#+name: stop\n#+begin_src sh :results file :file out/m.txt\necho m\n#+end_src\n\n"
	for _, c := range []struct {
		name, output, why string
	}{
		{"text", strings.Repeat("héllo\n", 40), plan.FileDirStopPrefix + "out/m.txt"},
		{"a raw byte past the cap", strings.Repeat("héllo\n", 40) + "c\xe9\n", plan.CodingStopError},
		{"a raw byte before the cap", "c\xe9\n" + strings.Repeat("héllo\n", 40), plan.CodingStopError},
	} {
		t.Run(c.name, func(t *testing.T) {
			rb := newReportBackend()
			// A cap that cuts the output, inside a two-byte é.
			e, _ := startEngine(t, t.TempDir(), rb, Config{MaxResultBytes: 65})
			v, err := e.Submit(context.Background(), head+
				"#+name: slow\n#+begin_src sh\necho slow\n#+end_src\n\n"+
				"#+name: after\n#+begin_src sh :var s=slow\necho after\n#+end_src\n")
			if err != nil {
				t.Fatal(err)
			}
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			slow := launchOf(t, rb.fakeBackend, "slow", 1)
			rb.setOutput(stop.ID, c.output)
			finish(rb.fakeBackend, stop, Finished, 0)
			finish(rb.fakeBackend, slow, Finished, 0)
			// The run of slow after's :var s=slow makes, started before
			// the stop was known, finished as slow is (endedOrLaunched).
			if endedOrLaunched(e, rb, v.ID, "after") {
				t.Fatal("after launched past the stop")
			}
			d := waitDocumentEnded(t, e, v.ID)
			stoppedBeforeAfter(t, rb, d, 2, 1, c.why)
			// Emacs writes none of its results, the note of its
			// output cut short neither.
			if doc, err := e.ResultDocument(context.Background(), v.ID); err != nil || strings.Contains(doc, "#+RESULTS: stop") {
				t.Errorf("results document (%v):\n%s", err, doc)
			}
		})
	}
}

// scanReadsFail is a reportBackend whose reads of a block's output past
// its first piece (offset above 0: the scan of output past the results'
// size limit, scanUnencodable) fail with err.
type scanReadsFail struct {
	*reportBackend
	err error
}

func (s *scanReadsFail) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	if offset > 0 {
		return nil, 0, s.err
	}
	return s.reportBackend.ReadLog(ctx, id, stream, offset, max)
}

// TestResultStopPastCapNotScanned: output past the results' size limit
// of a block whose stop hangs on what utf-8-unix cannot encode in the
// whole (plan.PastCapMayStop), whose rest is not read (a read fails, even
// as not there; or it is past the bytes the scan reads, scanMax), is not
// taken for one that does not stop: the notes say its stop is not known.
func TestResultStopPastCapNotScanned(t *testing.T) {
	const head = "#+name: stop\n#+begin_src sh :results file :file out/m.txt\necho m\n#+end_src\n\n"
	for _, c := range []struct {
		name    string
		err     error
		scanMax int64
	}{
		{"not there", fs.ErrNotExist, 0},
		{"failing", errors.New("the agent cannot be reached"), 0},
		{"past the bytes scanned", nil, 100},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b Backend = newReportBackend()
			rb := b.(*reportBackend)
			if c.err != nil {
				b = &scanReadsFail{reportBackend: rb, err: c.err}
			}
			e, _ := startEngine(t, t.TempDir(), b, Config{MaxResultBytes: 65, endRead: fastRetry(2), scanMax: c.scanMax})
			v, err := e.Submit(context.Background(), head+"#+name: after\n#+begin_src sh\necho after\n#+end_src\n")
			if err != nil {
				t.Fatal(err)
			}
			stop := launchOf(t, rb.fakeBackend, "stop", 1)
			rb.setOutput(stop.ID, strings.Repeat("héllo\n", 40))
			finish(rb.fakeBackend, stop, Finished, 0)
			finish(rb.fakeBackend, launchOf(t, rb.fakeBackend, "after", 1), Finished, 0)
			d := waitDocumentEnded(t, e, v.ID)
			if !strings.Contains(strings.Join(d.Notes, "\n"), "whether the results of block stop, at line 1, stop org-babel-execute-buffer is not known") {
				t.Errorf("notes %q", d.Notes)
			}
		})
	}
}
