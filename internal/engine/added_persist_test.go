package engine

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
	at := strings.Index(addingDoc, "#+name: after")
	text := addingDoc[:at] + addedText + addingDoc[at:]
	d, err := org.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	exes := d.Executables()
	if len(exes) != 3 {
		t.Fatalf("%d blocks in the edited buffer", len(exes))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "3 0\n")
	for _, i := range []int{0, 2, 1} { // editor, after; then added
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
	if err := <-copied; err != nil {
		t.Fatal(err)
	}
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
