package engine

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// filesBackend is a byIDBackend that also removes attempts' files (an
// engine.FileRemover), recording which; a kill of an attempt in stubborn
// is never final.
type filesBackend struct {
	*byIDBackend
	fmu      sync.Mutex
	removed  []string
	stubborn map[string]bool
}

func newFilesBackend() *filesBackend {
	return &filesBackend{byIDBackend: newByIDBackend(), stubborn: map[string]bool{}}
}

func (f *filesBackend) Kill(ctx context.Context, id string) error {
	f.fmu.Lock()
	stubborn := f.stubborn[id]
	f.fmu.Unlock()
	if stubborn {
		return nil
	}
	return f.byIDBackend.Kill(ctx, id)
}

func (f *filesBackend) RemoveAttempts(ctx context.Context, ids []string) error {
	f.fmu.Lock()
	f.removed = append(f.removed, ids...)
	f.fmu.Unlock()
	return nil
}

func (f *filesBackend) removedFiles() []string {
	f.fmu.Lock()
	defer f.fmu.Unlock()
	return slices.Sorted(slices.Values(f.removed))
}

var _ FileRemover = (*filesBackend)(nil)

const twoBlocks = `#+name: done
#+begin_src sh
echo done
#+end_src

#+name: forever
#+begin_src sh :instances 2
sleep 1000
#+end_src
`

// TestRemoveRunningDocument: removing a document whose tasks run kills
// them, waits for the kills to be final, then forgets the document: not
// in the engine, not in the store (also after a restart), its attempts'
// files removed, and its tracked instances free for another document.
func TestRemoveRunningDocument(t *testing.T) {
	dir := t.TempDir()
	fb := newFilesBackend()
	e, stop := startEngine(t, dir, fb, Config{MaxTracked: 4})
	keep, err := e.Submit(context.Background(), "#+name: other\n#+begin_src sh\ntrue\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	v, err := e.Submit(context.Background(), twoBlocks)
	if err != nil {
		t.Fatal(err)
	}
	launched := waitLaunches(t, &fb.fakeBackend, 4)
	for _, a := range launched {
		if a.Block == "done" {
			fb.end(a, Finished, 0)
		}
		if a.Block == "other" {
			fb.end(a, Finished, 0)
		}
	}
	waitState(t, e, v.ID, "done", Finished)
	// Full: the limit is 4 and 4 are tracked.
	if _, err := e.Submit(context.Background(), "#+begin_src sh\ntrue\n#+end_src\n"); !errors.Is(err, ErrBusy) {
		t.Fatalf("before the removal: %v, want ErrBusy", err)
	}
	claimed := false
	ctx := WithClaim(context.Background(), func() bool { claimed = true; return true })
	if err := e.RemoveDocument(ctx, v.ID); err != nil {
		t.Fatalf("remove: %v", err)
	}
	if !claimed {
		t.Error("the removal did not claim its request")
	}
	for _, a := range launched {
		if a.Block == "forever" {
			if fb.knows(a.ID) {
				t.Errorf("attempt %s still runs after the removal", a.ID)
			}
		}
	}
	if _, err := e.Document(v.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("after removal, Document: %v", err)
	}
	if ds := e.Documents(); len(ds) != 1 || ds[0].ID != keep.ID {
		t.Errorf("after removal, the list: %+v", ds)
	}
	var want []string
	for _, a := range launched {
		if a.DocID == v.ID {
			want = append(want, a.ID)
		}
	}
	slices.Sort(want)
	if got := fb.removedFiles(); !slices.Equal(got, want) {
		t.Errorf("files removed: %v, want %v", got, want)
	}
	if err := e.RemoveDocument(context.Background(), v.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing it again: %v", err)
	}
	// The 3 instances it held are free: a document of 3 is accepted.
	if _, err := e.Submit(context.Background(), "#+begin_src sh :instances 3\ntrue\n#+end_src\n"); err != nil {
		t.Fatalf("after the removal: %v", err)
	}
	stop()

	st, err := store.Open(dir + "/borges.db")
	if err != nil {
		t.Fatal(err)
	}
	docs, instances, err := st.Load()
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.ID == v.ID {
			t.Errorf("the store still has the removed document")
		}
	}
	for _, in := range instances {
		if in.DocID == v.ID {
			t.Errorf("the store still has an instance of the removed document: %+v", in)
		}
	}
	e, _ = startEngine(t, dir, newFilesBackend(), Config{MaxTracked: 4})
	if _, err := e.Document(v.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("after a restart, the removed document: %v", err)
	}
	if n := len(e.Documents()); n != 2 {
		t.Errorf("after a restart, %d documents, want 2", n)
	}
}

// TestRemoveWhoseTasksWillNotStop: when a kill is not final within the
// wait, nothing is removed: the document stays (killed), and the answer
// is a conflict.
func TestRemoveWhoseTasksWillNotStop(t *testing.T) {
	fb := newFilesBackend()
	e, _ := startEngine(t, t.TempDir(), fb, Config{RemoveWait: 200 * time.Millisecond})
	v, err := e.Submit(context.Background(), "#+name: stuck\n#+begin_src sh\nsleep 1000\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	a := waitLaunches(t, &fb.fakeBackend, 1)[0]
	fb.fmu.Lock()
	fb.stubborn[a.ID] = true
	fb.fmu.Unlock()
	if err := e.RemoveDocument(context.Background(), v.ID); !errors.Is(err, ErrConflict) {
		t.Fatalf("remove: %v, want ErrConflict", err)
	}
	if _, err := e.Document(v.ID); err != nil {
		t.Fatalf("the document is gone though its task did not stop: %v", err)
	}
	if ds := e.Documents(); len(ds) != 1 {
		t.Fatalf("list: %+v", ds)
	}
	if got := fb.removedFiles(); len(got) != 0 {
		t.Fatalf("files of a running task removed: %v", got)
	}
	// Once it stops, removal works.
	fb.fmu.Lock()
	fb.stubborn[a.ID] = false
	fb.fmu.Unlock()
	fb.end(a, Killed, 137)
	if err := e.RemoveDocument(context.Background(), v.ID); err != nil {
		t.Fatalf("remove once stopped: %v", err)
	}
}

// TestRemoveEndedBeforeTakingEffect: a removal whose request ended first
// does nothing.
func TestRemoveEndedBeforeTakingEffect(t *testing.T) {
	fb := newFilesBackend()
	e, _ := startEngine(t, t.TempDir(), fb, Config{})
	v, err := e.Submit(context.Background(), "#+begin_src sh\ntrue\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	ctx := WithClaim(context.Background(), func() bool { return false })
	if err := e.RemoveDocument(ctx, v.ID); !errors.Is(err, ErrTooLate) {
		t.Fatalf("remove: %v, want ErrTooLate", err)
	}
	if _, err := e.Document(v.ID); err != nil {
		t.Fatalf("removed though too late: %v", err)
	}
}

// TestRetentionInTheBackground: with #+borges_keep: 1d, the engine removes
// ended documents that ended more than a day ago (by its clock), never
// one that runs, and logs nothing else away.
func TestRetentionInTheBackground(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	fb := newFilesBackend()
	e, _ := startEngine(t, t.TempDir(), fb, Config{Now: clock, Keep: Retention{For: 24 * time.Hour}, RetainEvery: 10 * time.Millisecond})
	old, err := e.Submit(context.Background(), "#+name: old\n#+begin_src sh\ntrue\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	running, err := e.Submit(context.Background(), "#+name: running\n#+begin_src sh\nsleep 1000\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range waitLaunches(t, &fb.fakeBackend, 2) {
		if a.Block == "old" {
			fb.end(a, Finished, 0)
		}
	}
	waitState(t, e, old.ID, "old", Finished)
	advance(2 * 24 * time.Hour)
	fresh, err := e.Submit(context.Background(), "#+name: fresh\n#+begin_src sh\ntrue\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2000; i++ {
		if _, err := e.Document(old.ID); errors.Is(err, ErrNotFound) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := e.Document(old.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the document that ended 2 days ago is still there: %v", err)
	}
	// The document leaves the API as its removal begins; its files go at
	// the removal's end, after its kills and the store's write, which a
	// loaded machine may take long for.
	for i := 0; i < 2000 && len(fb.removedFiles()) == 0; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	// Several more passes: the running one and the fresh one stay.
	time.Sleep(100 * time.Millisecond)
	for _, id := range []string{running.ID, fresh.ID} {
		if _, err := e.Document(id); err != nil {
			t.Errorf("document %s was removed: %v", id, err)
		}
	}
	if got := fb.removedFiles(); len(got) != 1 || got[0] != AttemptID(old.ID, 0, "old", 0, 1) {
		t.Errorf("files removed: %v", got)
	}
}
