package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/wallyqs/borges/internal/store"
)

// endedDoc is two blocks, b run :after a (not through :var, whose
// reference would be a run of a of its own: Babel runs a again at it),
// three launches to its end with b failed once.
const endedDoc = `#+title: Ended
#+name: a
#+begin_src sh
echo a
#+end_src

#+name: b
#+begin_src sh :after a
echo b
#+end_src
`

// instanceFacts is what a view says of each instance that the store keeps
// (past attempts are the running server's memory only).
func instanceFacts(t *testing.T, v *DocumentView) string {
	t.Helper()
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s %s %q\n", v.ID, v.State, v.Title)
	for _, b := range v.Blocks {
		fmt.Fprintf(&sb, "%s %s line %d %s runnable=%v\n", b.Name, b.State, b.Line, b.Lang, b.Runnable)
		for _, in := range b.Instances {
			code := "-"
			if in.ExitCode != nil {
				code = fmt.Sprint(*in.ExitCode)
			}
			fmt.Fprintf(&sb, "  %d %s attempts=%d %s exit=%s %q\n", in.Instance, in.State, in.Attempts, in.AttemptID, code, in.Message)
		}
	}
	return sb.String()
}

func summaries(t *testing.T, docs []DocumentSummary) string {
	t.Helper()
	data, err := json.Marshal(docs)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestRestartPlansEndedDocumentsWhenNeeded: a restarted server reads and
// plans only the documents with something that may still run, and
// recovers their attempts before it starts; one that had ended is listed
// as it was, and read and planned the first time it is looked at, with
// the states it had; its removal still finds every attempt it ever had.
// Nothing that ended runs again, and what ran is recovered, not run again.
func TestRestartPlansEndedDocumentsWhenNeeded(t *testing.T) {
	dir := t.TempDir()
	fb := newFilesBackend()
	e, stop := startEngine(t, dir, fb, Config{})
	// Two documents with the same history: a, then b failed, restarted
	// and finished.
	var endedIDs []string
	for k := 0; k < 2; k++ {
		v, err := e.Submit(context.Background(), endedDoc)
		if err != nil {
			t.Fatal(err)
		}
		endedIDs = append(endedIDs, v.ID)
		l := waitLaunches(t, &fb.fakeBackend, 3*k+1)
		fb.end(l[3*k], Finished, 0)
		l = waitLaunches(t, &fb.fakeBackend, 3*k+2)
		fb.end(l[3*k+1], Failed, 3)
		waitState(t, e, v.ID, "b", Failed)
		if err := e.RestartBlock(context.Background(), v.ID, "b"); err != nil {
			t.Fatal(err)
		}
		l = waitLaunches(t, &fb.fakeBackend, 3*k+3)
		fb.end(l[3*k+2], Finished, 0)
		waitState(t, e, v.ID, "b", Finished)
	}
	ended, ended2 := endedIDs[0], endedIDs[1]
	running, err := e.Submit(context.Background(), "#+title: Still running\n#+name: r\n#+begin_src sh\nsleep 100\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, &fb.fakeBackend, 7)
	fb.sink(Update{AttemptID: l[6].ID, State: Running})
	waitState(t, e, running.ID, "r", Running)
	killed, err := e.Submit(context.Background(), "#+name: k\n#+begin_src sh\nsleep 100\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	waitLaunches(t, &fb.fakeBackend, 8)
	if err := e.KillDocument(context.Background(), killed.ID); err != nil {
		t.Fatal(err)
	}
	waitState(t, e, killed.ID, "k", Killed)
	before := summaries(t, e.Documents())
	views := map[string]string{}
	for _, id := range []string{ended, killed.ID} {
		v, err := e.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		views[id] = instanceFacts(t, v)
	}
	result, err := e.ResultDocument(context.Background(), ended)
	if err != nil {
		t.Fatal(err)
	}
	stop()

	fb2 := newFilesBackend()
	for _, a := range fb.launches() {
		fb2.outputs[a.ID] = a.Script // the files the attempts left
	}
	e2, _ := startEngine(t, dir, fb2, Config{})
	if len(fb2.recover) != 1 || fb2.recover[0].ID != l[6].ID || fb2.recover[0].Task == nil {
		t.Fatalf("recovered %+v, want the running attempt %s with its task", fb2.recover, l[6].ID)
	}
	e2.mu.Lock()
	for id, lazy := range map[string]bool{ended: true, ended2: true, killed.ID: true, running.ID: false} {
		if ds := e2.docs[id]; ds == nil || (ds.lazy != nil) != lazy {
			t.Errorf("document %s: lazy %v, want %v", id, ds != nil && ds.lazy != nil, lazy)
		}
	}
	if e2.tracked != 6 {
		t.Errorf("%d instances tracked, want 6", e2.tracked)
	}
	e2.mu.Unlock()
	if after := summaries(t, e2.Documents()); after != before {
		t.Errorf("the list after the restart:\n%s\nbefore:\n%s", after, before)
	}
	for id, want := range views {
		v, err := e2.Document(id)
		if err != nil {
			t.Fatal(err)
		}
		if got := instanceFacts(t, v); got != want {
			t.Errorf("document %s after the restart:\n%s\nbefore:\n%s", id, got, want)
		}
	}
	if got, err := e2.ResultDocument(context.Background(), ended); err != nil || got != result {
		t.Errorf("results after the restart (%v):\n%s\nbefore:\n%s", err, got, result)
	}
	if summaries(t, e2.Documents()) != before {
		t.Errorf("the list changed once the documents were planned:\n%s", summaries(t, e2.Documents()))
	}
	e2.mu.Lock()
	if e2.tracked != 6 {
		t.Errorf("%d instances tracked once planned, want 6", e2.tracked)
	}
	e2.mu.Unlock()
	// The recovered attempt ends: nothing is launched, then or before.
	fb2.sink(Update{AttemptID: l[6].ID, State: Finished, ExitCode: new(int)})
	waitState(t, e2, running.ID, "r", Finished)
	if err := e2.RemoveDocument(context.Background(), killed.ID); err != nil {
		t.Fatal(err)
	}
	if n := len(fb2.launches()); n != 0 {
		t.Fatalf("%d attempts launched after the restart: %+v", n, fb2.launches())
	}
	// A document never looked at since the restart is planned for its
	// removal: the files of both of b's attempts go.
	if err := e2.RemoveDocument(context.Background(), ended2); err != nil {
		t.Fatal(err)
	}
	want := []string{AttemptID(ended2, 0, "a", 0, 1), AttemptID(ended2, 1, "b", 0, 1), AttemptID(ended2, 1, "b", 0, 2)}
	var got []string
	for _, id := range fb2.removedFiles() {
		if strings.HasPrefix(id, ended2) {
			got = append(got, id)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("files removed %v, want %v", got, want)
	}
	if docs := e2.Documents(); len(docs) != 2 || docs[0].ID != running.ID || docs[1].ID != ended {
		t.Errorf("documents after the removals: %s", summaries(t, docs))
	}
}

// TestTitlesOfOlderRecords: documents an older Borges stored without
// their title are listed, and their titles read and stored, in the
// background; the next start reads them from the store.
func TestTitlesOfOlderRecords(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "borges.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	err = db.Update(func(tx *bolt.Tx) error {
		for i := 0; i < 3; i++ {
			id := fmt.Sprintf("old%d", i)
			doc, _ := json.Marshal(map[string]any{"id": id, "seq": i + 1, "submitted_at": when,
				"text": fmt.Sprintf("#+title: Old report %d\n#+name: a\n#+begin_src sh\necho\n#+end_src\n", i)})
			if err := tx.Bucket([]byte("documents")).Put([]byte(id), doc); err != nil {
				return err
			}
			in := store.Instance{DocID: id, Block: "a", State: string(Finished), Attempts: 1, FinishedAt: &when}
			rec, _ := json.Marshal(in)
			if err := tx.Bucket([]byte("instances")).Put(in.Key(), rec); err != nil {
				return err
			}
		}
		return nil
	})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	e, stop := startEngine(t, dir, newFilesBackend(), Config{})
	titled := func(e *Engine) bool {
		docs := e.Documents()
		for i, d := range docs {
			if d.Title != fmt.Sprintf("Old report %d", 2-i) || d.State != Finished || d.Tasks[Finished] != 1 {
				return false
			}
		}
		return len(docs) == 3
	}
	for i := 0; i < 1000 && !titled(e); i++ {
		time.Sleep(5 * time.Millisecond)
	}
	if !titled(e) {
		t.Fatalf("titles never came: %s", summaries(t, e.Documents()))
	}
	if page, total := e.ListDocuments(ListQuery{Text: "REPORT 1", Limit: -1}); total != 1 || page[0].ID != "old1" {
		t.Fatalf("text filter on a read title: %d, %s", total, summaries(t, page))
	}
	// Stored: the next start knows them at once, before any reading.
	deadline := time.Now().Add(10 * time.Second)
	for {
		e.mu.Lock()
		docs, _, err := e.store.LoadIndex()
		e.mu.Unlock()
		if err != nil {
			t.Fatal(err)
		}
		all := true
		for _, d := range docs {
			all = all && d.TitleKnown && strings.HasPrefix(d.Title, "Old report")
		}
		if all {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("titles not stored: %+v", docs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
}

// TestListDocuments: the list's filters and pages, over planned documents
// and documents known by their stored summary alike.
func TestListDocuments(t *testing.T) {
	dir := t.TempDir()
	fb := newFilesBackend()
	e, stop := startEngine(t, dir, fb, Config{})
	var ids []string
	for i := 0; i < 6; i++ {
		v, err := e.Submit(context.Background(), fmt.Sprintf("#+title: Report %d\n#+name: a\n#+begin_src sh\necho\n#+end_src\n", i))
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, v.ID)
		l := waitLaunches(t, &fb.fakeBackend, i+1)
		if i%2 == 0 {
			fb.end(l[i], Finished, 0)
			waitState(t, e, v.ID, "a", Finished)
		} else {
			fb.end(l[i], Failed, 1)
			waitState(t, e, v.ID, "a", Failed)
		}
	}
	check := func(e *Engine, how string) {
		t.Helper()
		page, total := e.ListDocuments(ListQuery{State: Failed, Offset: 1, Limit: 1})
		if total != 3 || len(page) != 1 || page[0].ID != ids[3] || page[0].Title != "Report 3" || page[0].Tasks[Failed] != 1 {
			t.Errorf("%s: failed, second page of one: %d %s", how, total, summaries(t, page))
		}
		page, total = e.ListDocuments(ListQuery{Text: "report 4", Limit: 10})
		if total != 1 || len(page) != 1 || page[0].ID != ids[4] {
			t.Errorf("%s: text: %d %s", how, total, summaries(t, page))
		}
		page, total = e.ListDocuments(ListQuery{Text: strings.ToUpper(ids[2][len(ids[2])-6:]), Limit: -1})
		if total != 1 || page[0].ID != ids[2] {
			t.Errorf("%s: id text: %d %s", how, total, summaries(t, page))
		}
		page, total = e.ListDocuments(ListQuery{State: "bogus", Limit: -1})
		if total != 0 || len(page) != 0 {
			t.Errorf("%s: an unknown state: %d %s", how, total, summaries(t, page))
		}
		page, total = e.ListDocuments(ListQuery{Offset: 10, Limit: 5})
		if total != 6 || len(page) != 0 {
			t.Errorf("%s: past the end: %d %s", how, total, summaries(t, page))
		}
	}
	check(e, "running server")
	stop()
	e, _ = startEngine(t, dir, newFilesBackend(), Config{})
	check(e, "restarted")
}
