package store

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func journalStore(t *testing.T) (string, *Store) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "borges.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		in := []*Instance{{DocID: id, Block: "x", State: "queued"}, {DocID: id, Block: "y", State: "queued"}}
		if err := s.AddDocument(&Document{ID: id, Text: "doc", SubmittedAt: time.Now()}, in); err != nil {
			t.Fatal(err)
		}
	}
	return path, s
}

func reopen(t *testing.T, path string, s *Store) (*Store, map[string]*Instance) {
	t.Helper()
	s.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	_, instances, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*Instance{}
	for _, in := range instances {
		out[in.DocID+"/"+in.Block] = in
	}
	return s, out
}

// A launch in the journal alone (the server died before its batch) is
// there after a restart, and the database then has it.
func TestJournaledLaunchSurvives(t *testing.T) {
	path, s := journalStore(t)
	if _, err := s.Journal([]*Instance{{DocID: "a", Block: "x", State: "staged", Attempts: 1, AttemptID: "a.x.0.1"}}); err != nil {
		t.Fatal(err)
	}
	s, got := reopen(t, path, s)
	if in := got["a/x"]; in.State != "staged" || in.Attempts != 1 || in.AttemptID != "a.x.0.1" {
		t.Fatalf("a/x = %+v", in)
	}
	if in := got["a/y"]; in.State != "queued" {
		t.Fatalf("a/y = %+v", in)
	}
	// The database has it now: an empty journal changes nothing.
	os.Remove(path + "-journal")
	s, got = reopen(t, path, s)
	if in := got["a/x"]; in.State != "staged" || in.Attempts != 1 {
		t.Fatalf("a/x without the journal = %+v", in)
	}
	// A new journal's numbers go on from those the database has seen:
	// its records are not taken for stored ones.
	if _, err := s.Journal([]*Instance{{DocID: "a", Block: "y", State: "staged", Attempts: 1}}); err != nil {
		t.Fatal(err)
	}
	_, got = reopen(t, path, s)
	if in := got["a/y"]; in.State != "staged" {
		t.Fatalf("a/y journaled in a new journal = %+v", in)
	}
}

// The database's state wins over a journaled one of the same attempt or
// an earlier one; a removed document's journaled states are dropped.
func TestJournalYieldsToNewerStates(t *testing.T) {
	path, s := journalStore(t)
	if _, err := s.Journal([]*Instance{
		{DocID: "a", Block: "x", State: "staged", Attempts: 1},
		{DocID: "b", Block: "x", State: "staged", Attempts: 1},
	}); err != nil {
		t.Fatal(err)
	}
	// Written later, without a sequence number: the attempt's end.
	if err := s.PutInstances([]*Instance{{DocID: "a", Block: "x", State: "finished", Attempts: 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RemoveDocument("b"); err != nil {
		t.Fatal(err)
	}
	_, got := reopen(t, path, s)
	if in := got["a/x"]; in.State != "finished" {
		t.Fatalf("a/x = %+v, want the database's finished", in)
	}
	if _, ok := got["b/x"]; ok {
		t.Fatalf("a removed document's instance came back: %+v", got["b/x"])
	}
}

// Once the database has everything journaled, the journal starts over:
// many more records than it holds fit, one round after another, and
// the old ones are never read again.
func TestJournalStartsOver(t *testing.T) {
	path, s := journalStore(t)
	big := strings.Repeat("m", 100<<10)
	var last uint64
	for i := 1; i <= 200; i++ { // 20 MiB through a 4 MiB journal
		in := &Instance{DocID: "a", Block: "x", State: "staged", Attempts: i, Message: big}
		seq, err := s.Journal([]*Instance{in})
		if err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if seq <= last {
			t.Fatalf("sequence %d after %d", seq, last)
		}
		last = seq
		if err := s.PutInstancesUpTo([]*Instance{in}, seq); err != nil {
			t.Fatal(err)
		}
	}
	// One more, journaled only.
	if _, err := s.Journal([]*Instance{{DocID: "a", Block: "y", State: "staged", Attempts: 1}}); err != nil {
		t.Fatal(err)
	}
	_, got := reopen(t, path, s)
	if in := got["a/x"]; in.Attempts != 200 {
		t.Fatalf("a/x attempt %d, want 200", in.Attempts)
	}
	if in := got["a/y"]; in.State != "staged" {
		t.Fatalf("a/y = %+v", in)
	}
}

// A journal that no batch empties is full at some point: the caller is
// told, and stores in the database instead.
func TestJournalFull(t *testing.T) {
	_, s := journalStore(t)
	defer s.Close()
	big := strings.Repeat("m", 1<<20)
	var err error
	for i := 1; i <= 10 && err == nil; i++ {
		_, err = s.Journal([]*Instance{{DocID: "a", Block: "x", Attempts: i, Message: big}})
	}
	if !errors.Is(err, ErrJournalFull) {
		t.Fatalf("err = %v, want ErrJournalFull", err)
	}
}

// A record torn by a crash (its write not finished) is not read, nor
// anything after it; those before it are.
func TestTornJournalRecord(t *testing.T) {
	path, s := journalStore(t)
	if _, err := s.Journal([]*Instance{{DocID: "a", Block: "x", State: "staged", Attempts: 1}}); err != nil {
		t.Fatal(err)
	}
	s.journal.mu.Lock()
	pos := s.journal.pos
	s.journal.mu.Unlock()
	if _, err := s.Journal([]*Instance{{DocID: "a", Block: "y", State: "staged", Attempts: 1}}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	f, err := os.OpenFile(path+"-journal", os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("XXXX"), pos+30) // inside the second record's payload
	f.Close()
	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	_, got := reopen(t, path, s)
	if got["a/x"].State != "staged" || got["a/y"].State != "queued" {
		t.Fatalf("a/x %+v, a/y %+v", got["a/x"], got["a/y"])
	}
}
