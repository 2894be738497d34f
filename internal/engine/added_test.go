package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

// markAt is a mark of a faked report of the document's Emacs buffer: of
// the block whose #+begin_src line starts where the text at first stands
// in the buffer, changed since it was submitted or added; deleted, a
// mark left where at stands.
type markAt struct {
	at               string
	changed, deleted bool
}

// addedReport is the report, as the document's Emacs writes it, of buffer
// with marks, in order (the document's executables', then those of the
// blocks added).
func addedReport(t *testing.T, buffer string, marks ...markAt) string {
	t.Helper()
	d, err := org.Parse(buffer)
	if err != nil {
		t.Fatal(err)
	}
	byPoint := map[int]*org.Block{}
	for _, x := range d.Executables() {
		byPoint[d.Point(x)] = x
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d 0\n", len(marks))
	for _, m := range marks {
		p := strings.Index(buffer, m.at)
		if p < 0 {
			t.Fatalf("no %q in the buffer", m.at)
		}
		if m.deleted {
			fmt.Fprintf(&b, "%d %d %d %d - x\n", p, p, p, p)
			continue
		}
		x := byPoint[p]
		if x == nil {
			t.Fatalf("no block at %q in the buffer", m.at)
		}
		s, end := d.ResultRegion(x)
		flag := "="
		if m.changed {
			flag = "x"
		}
		fmt.Fprintf(&b, "%d %d %d %d - %s\n", p, d.BlockEnd(x), s, end, flag)
	}
	return b.String() + buffer
}

const insertedEditedDoc = "#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\n" +
	"#+name: editor\n#+begin_src emacs-lisp :results silent\n(edits)\n#+end_src\n\n* Here\n"

// TestAddedBlockEditedBeforeItRuns: blocks an Emacs Lisp block added to
// the buffer, which a later Emacs Lisp block deleted or changed before
// Emacs came to them, run as org-babel-execute-buffer finds them then:
// the deleted one not at all (finished, saying why), the changed one as
// it stands. Borges ran both as they were added.
func TestAddedBlockEditedBeforeItRuns(t *testing.T) {
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	v, err := e.Submit(context.Background(), insertedEditedDoc)
	if err != nil {
		t.Fatal(err)
	}
	adder, editor := markAt{at: "#+begin_src emacs-lisp :results silent\n(adds)"}, markAt{at: "#+begin_src emacs-lisp :results silent\n(edits)"}
	added := insertedEditedDoc + "\n#+name: doomed\n#+begin_src sh\necho doomed\n#+end_src\n\n#+name: changed\n#+begin_src sh\necho as added\n#+end_src\n"
	edited := insertedEditedDoc + "\n#+name: changed\n#+begin_src sh\necho as changed\n#+end_src\n"
	reports := []string{
		addedReport(t, added, adder, editor, markAt{at: "#+begin_src sh\necho doomed"}, markAt{at: "#+begin_src sh\necho as added"}),
		addedReport(t, edited, adder, editor, markAt{at: "\n#+name: changed", deleted: true}, markAt{at: "#+begin_src sh\necho as changed", changed: true}),
	}
	for n, want := range []string{"adder", "editor"} {
		a := waitLaunches(t, rb.fakeBackend, n+1)[n]
		if a.Block != want {
			t.Fatalf("launch %d is %s, want %s", n+1, a.Block, want)
		}
		rb.rmu.Lock()
		rb.reports[a.ID] = reports[n]
		rb.rmu.Unlock()
		finish(rb.fakeBackend, a, Finished, 0)
	}
	a := waitLaunches(t, rb.fakeBackend, 3)[2]
	if a.Block != "changed" || !strings.Contains(a.Script, "echo as changed") {
		t.Fatalf("launch 3 is %s, want the changed block as it stands:\n%s", a.Block, a.Script)
	}
	rb.setOutput(a.ID, "as changed\n")
	finish(rb.fakeBackend, a, Finished, 0)
	var d *DocumentView
	for range 4000 {
		if d, _ = e.Document(v.ID); d != nil && d.State == Finished {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if d == nil || d.State != Finished {
		t.Fatalf("document %s has not finished", v.ID)
	}
	for _, b := range d.Blocks {
		if b.Name != "doomed" {
			continue
		}
		if in := b.Instances[0]; in.State != Finished || in.Attempts != 0 || !strings.Contains(in.Message, "deleted") {
			t.Errorf("the deleted block: %s after %d attempts (%q), want finished without running, saying why", in.State, in.Attempts, in.Message)
		}
	}
	if l := rb.launches(); len(l) != 3 {
		t.Errorf("%d launches, want 3 (the deleted block not run)", len(l))
	}
	doc, err := e.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(doc, "#+begin_src sh\necho as changed\n#+end_src\n\n#+RESULTS: changed\n: as changed\n") || strings.Contains(doc, "doomed") {
		t.Errorf("written back:\n%s", doc)
	}
}

// TestAddedBlockNoLongerAdded: an Emacs Lisp block run again (a restart)
// that no longer adds to the buffer a block it added before: that block
// is gone, as Emacs would not find it — its running attempt killed, its
// records removed from the store, the document ending without it.
func TestAddedBlockNoLongerAdded(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, _ := startEngine(t, dir, rb, Config{})
	ctx := context.Background()
	doc := "#+name: adder\n#+begin_src emacs-lisp :results silent\n(adds)\n#+end_src\n\n* Here\n"
	v, err := e.Submit(ctx, doc)
	if err != nil {
		t.Fatal(err)
	}
	adder := markAt{at: "#+begin_src emacs-lisp :results silent\n(adds)"}
	added := doc + "\n#+name: inserted\n#+begin_src sh\necho inserted\n#+end_src\n"
	first := waitLaunches(t, rb.fakeBackend, 1)[0]
	rb.rmu.Lock()
	rb.reports[first.ID] = addedReport(t, added, adder, markAt{at: "#+begin_src sh\necho inserted"})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, first, Finished, 0)
	inserted := waitLaunches(t, rb.fakeBackend, 2)[1]
	if inserted.Block != "inserted" {
		t.Fatalf("launch 2 is %s, want the inserted block", inserted.Block)
	}
	rb.sink(Update{AttemptID: inserted.ID, State: Running})
	waitState(t, e, v.ID, "inserted", Running)

	if err := e.RestartBlock(ctx, v.ID, "adder"); err != nil {
		t.Fatal(err)
	}
	again := waitLaunches(t, rb.fakeBackend, 3)[2]
	if again.Block != "adder" {
		t.Fatalf("launch 3 is %s, want the adder again", again.Block)
	}
	// It changes the buffer otherwise: no block added.
	rb.rmu.Lock()
	rb.reports[again.ID] = addedReport(t, "A line.\n"+doc, markAt{at: adder.at})
	rb.rmu.Unlock()
	finish(rb.fakeBackend, again, Finished, 0)

	var d *DocumentView
	for range 4000 {
		if d, _ = e.Document(v.ID); d != nil && d.State == Finished && len(d.Blocks) == 1 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if d == nil || d.State != Finished || len(d.Blocks) != 1 {
		t.Fatalf("the document: %+v, want finished with the adder alone", d)
	}
	killed := false
	for range 4000 {
		rb.mu.Lock()
		for _, k := range rb.killed {
			killed = killed || k == inserted.ID
		}
		rb.mu.Unlock()
		if killed {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if !killed {
		t.Errorf("the attempt of the block no longer added (%s) was not killed", inserted.ID)
	}
	for range 4000 {
		recs, err := e.store.DocumentInstances(v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) == 1 && recs[0].Block == "adder" {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	recs, _ := e.store.DocumentInstances(v.ID)
	for _, r := range recs {
		t.Errorf("stored: %s %s", r.Block, r.State)
	}
	t.Fatal("the records of the block no longer added are still stored")
}
