package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/org"
)

const addingDoc = "#+name: editor\n#+begin_src emacs-lisp :results silent\n(insert \"...\")\n#+end_src\n\n" +
	"#+name: after\n#+begin_src sh\necho after\n#+end_src\n"

const addedText = "#+name: added\n#+begin_src sh\necho added\n#+end_src\n\n"

// addingReport is the report of addingDoc's buffer after its editor put
// addedText before the block after it: the submitted blocks' marks, then
// the added block's.
func addingReport(t *testing.T) string {
	t.Helper()
	return addingReportOf(t, addingDoc)
}

// addingReportOf is the report of doc's buffer (an editor, then a block
// named after, then any others) after its editor put addedText before
// the block after it.
func addingReportOf(t *testing.T, doc string) string {
	t.Helper()
	at := strings.Index(doc, "#+name: after")
	text := doc[:at] + addedText + doc[at:]
	d, err := org.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	exes := d.Executables()
	if want := strings.Count(doc, "#+begin_src") + 1; len(exes) != want || want < 3 {
		t.Fatalf("%d blocks in the edited buffer, want %d", len(exes), want)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d 0\n", len(exes))
	// editor, after and the blocks after it; then added.
	order := []int{0, 2}
	for i := 3; i < len(exes); i++ {
		order = append(order, i)
	}
	for _, i := range append(order, 1) {
		s, end := d.ResultRegion(exes[i])
		fmt.Fprintf(&b, "%d %d %d %d - =\n", d.Point(exes[i]), d.BlockEnd(exes[i]), s, end)
	}
	return b.String() + text
}

// TestAddedBlockStoredBeforeItRuns: when an Emacs Lisp block's end adds a
// block to the document, the block's end and the added block's record
// are on disk before the added block's program starts: a server that dies
// then (its disk as it was at that launch, copied) and starts again knows
// the block added, and that the block that added it has ended, rather
// than running the adding block again and leaving the added one's
// program unknown.
func TestAddedBlockStoredBeforeItRuns(t *testing.T) {
	dir, crashed := t.TempDir(), t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	copied := make(chan error, 1)
	rb.mu.Lock()
	rb.duringLaunch = func(a *Attempt) {
		if a.Block != "added" {
			return
		}
		var err error
		// The journal first: the writer empties it only once the database
		// holds what it held, so the copies are a state the disk was in.
		for _, f := range []string{"borges.db-journal", "borges.db"} {
			var b []byte
			if b, err = os.ReadFile(filepath.Join(dir, f)); err == nil {
				err = os.WriteFile(filepath.Join(crashed, f), b, 0o600)
			}
			if err != nil {
				break
			}
		}
		copied <- err
	}
	rb.mu.Unlock()
	v, err := e.Submit(context.Background(), addingDoc)
	if err != nil {
		t.Fatal(err)
	}
	editor := waitLaunches(t, rb.fakeBackend, 1)[0]
	rb.rmu.Lock()
	rb.reports[editor.ID] = addingReport(t)
	rb.rmu.Unlock()
	finish(rb.fakeBackend, editor, Finished, 0)
	waitCopied(t, copied)
	stop()

	rb2 := newReportBackend()
	rb2.reports = rb.reports
	e2, _ := startEngine(t, crashed, rb2, Config{})
	got, err := e2.Document(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]State{}
	addedBy := ""
	for _, b := range got.Blocks {
		states[b.Name] = b.State
		if b.Name == "added" {
			addedBy = b.AddedBy
		}
	}
	if states["editor"] != Finished || addedBy != "editor" {
		t.Fatalf("started again from the disk as the added block launched: editor %s, added by %q; blocks %v", states["editor"], addedBy, states)
	}
}

// copyDisk copies the store's files in dir to into, the journal first:
// the writer empties it only once the database holds what it held, so
// the copies are a state the disk was in.
func copyDisk(dir, into string) error {
	for _, f := range []string{"borges.db-journal", "borges.db"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err == nil {
			err = os.WriteFile(filepath.Join(into, f), b, 0o600)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// TestAddedBlocksAfterTwoCrashes: a server that dies as a block an Emacs
// Lisp block added runs, and, started again (its session running again
// from its first block), dies again as that Emacs Lisp block launches
// anew, still knows the added block when it starts the third time, from
// the report of the run that added it. It had lost it: only a finished
// block's report was read.
func TestAddedBlocksAfterTwoCrashes(t *testing.T) {
	dir, crash1, crash2 := t.TempDir(), t.TempDir(), t.TempDir()
	doc := adderDoc("#+name: tail\n#+begin_src emacs-lisp :results silent\n(tail)\n#+end_src\n\n")
	// The adder puts the block before the next, where Emacs runs it next.
	added := strings.Replace(doc, "#+name: tail", "#+name: inserted\n#+begin_src sh\necho inserted\n#+end_src\n\n#+name: tail", 1)
	copied := make(chan error, 1)
	copyAt := func(rb *reportBackend, from, into, block string) {
		rb.mu.Lock()
		rb.duringLaunch = func(a *Attempt) {
			if a.Block == block {
				copied <- copyDisk(from, into)
			}
		}
		rb.mu.Unlock()
	}
	rb := newReportBackend()
	copyAt(rb, dir, crash1, "inserted")
	e, stop := startEngine(t, dir, rb, Config{})
	id := submitAdding(t, e, rb, doc, added, markAt{at: "#+begin_src emacs-lisp :results silent\n(tail)"}, markAt{at: "#+begin_src sh\necho inserted"})
	waitCopied(t, copied)
	stop()

	// Started again: its session runs again, from the adder.
	rb2 := newReportBackend()
	rb2.reports = rb.reports
	copyAt(rb2, crash1, crash2, "adder")
	_, stop2 := startEngine(t, crash1, rb2, Config{})
	waitCopied(t, copied)
	stop2()

	rb3 := newReportBackend()
	rb3.reports = rb.reports
	e3, _ := startEngine(t, crash2, rb3, Config{})
	got, err := e3.Document(id)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, b := range got.Blocks {
		names = append(names, b.Name+" "+string(b.State)+" by "+b.AddedBy)
		if b.Name == "inserted" && b.AddedBy == "adder" {
			return
		}
	}
	t.Fatalf("started a third time, the added block is gone: %v", names)
}

// waitCopied waits (bounded) for a copy of the disk made as a block
// launched.
func waitCopied(t *testing.T, copied chan error) {
	t.Helper()
	for range 2000 {
		select {
		case err := <-copied:
			if err != nil {
				t.Fatal(err)
			}
			return
		default:
			time.Sleep(5 * time.Millisecond)
		}
	}
	t.Fatal("the block to copy the disk at never launched")
}

// TestDroppedRecordsGoWithTheDrop: a server that dies as it kills the
// attempt of a block no longer added (its adder ran again, adding
// nothing) has stored the drop whole: started again, its store holds the
// adder's end and no record of the dropped block. The records were
// removed after the kill, and so left behind.
func TestDroppedRecordsGoWithTheDrop(t *testing.T) {
	dir := t.TempDir()
	rb := newReportBackend()
	e, stop := startEngine(t, dir, rb, Config{})
	doc := adderDoc("")
	added := doc + "\n#+name: inserted\n#+begin_src sh\necho inserted\n#+end_src\n"
	id := submitAdding(t, e, rb, doc, added, markAt{at: "#+begin_src sh\necho inserted"})
	inserted := runningInserted(t, e, rb, id)
	rb.mu.Lock()
	rb.duringKill = stop // the server dies as it kills the dropped attempt
	rb.mu.Unlock()
	rerunAdder(t, e, rb, id, doc, 2)
	waitKilled(t, rb.fakeBackend, inserted.ID)
	stop()

	rb2 := newReportBackend()
	rb2.reports = rb.reports
	e2, _ := startEngine(t, dir, rb2, Config{})
	recs, err := e2.store.DocumentInstances(id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range recs {
		got = append(got, r.Block+" "+r.State)
	}
	if len(recs) != 1 || recs[0].Block != "adder" || recs[0].State != string(Finished) {
		t.Fatalf("stored after the drop: %v, want the adder finished alone", got)
	}
}
