package store

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRemoveDocument: a removed document and its instances are gone, also
// after reopening; a document whose id begins with the removed one's, and
// its instances, stay.
func TestRemoveDocument(t *testing.T) {
	path := filepath.Join(t.TempDir(), "borges.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "ab", "c"} {
		in := []*Instance{{DocID: id, Block: "x", Instance: 0, State: "finished", AttemptID: id + ".0-x.0.1"},
			{DocID: id, Block: "y", Instance: 1, State: "killed"}}
		if err := s.AddDocument(&Document{ID: id, Text: "doc " + id, SubmittedAt: time.Now()}, in); err != nil {
			t.Fatal(err)
		}
	}
	removed, err := s.RemoveDocument("a")
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 2 || removed[0].AttemptID != "a.0-x.0.1" {
		t.Fatalf("removed instances: %+v", removed)
	}
	if again, err := s.RemoveDocument("a"); err != nil || len(again) != 0 {
		t.Fatalf("removing it again: %v, %d instances", err, len(again))
	}
	// A state written late, after its document was removed (an update
	// that was on its way), is not stored: it would be kept for ever.
	if err := s.PutInstances([]*Instance{{DocID: "a", Block: "x", Instance: 0, State: "killed"},
		{DocID: "c", Block: "z", Instance: 0, State: "queued"}}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs, instances, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].ID != "ab" || docs[1].ID != "c" {
		t.Fatalf("documents after removal: %+v", docs)
	}
	if len(instances) != 5 {
		t.Fatalf("%d instances after removal, want 5", len(instances))
	}
	for _, in := range instances {
		if in.DocID == "a" {
			t.Fatalf("an instance of the removed document is still stored: %+v", in)
		}
	}
}

// TestCommitRemoves: Commit removes the instance records named, in the
// transaction that stores the states given (those of blocks a document
// no longer has, with the state that drops them): gone, also after
// reopening, the states stored; the document's others, and an instance
// of another document of the same block name, stay; naming one not
// stored removes nothing.
func TestCommitRemoves(t *testing.T) {
	path := filepath.Join(t.TempDir(), "borges.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"a", "b"} {
		in := []*Instance{{DocID: id, Block: "x", Instance: 0, State: "finished"},
			{DocID: id, Block: "x", Instance: 1, State: "finished"},
			{DocID: id, Block: "y", Instance: 0, State: "queued"}}
		if err := s.AddDocument(&Document{ID: id, Text: "doc " + id, SubmittedAt: time.Now()}, in); err != nil {
			t.Fatal(err)
		}
	}
	gone := []*Instance{{DocID: "a", Block: "x", Instance: 0}, {DocID: "a", Block: "x", Instance: 1}, {DocID: "a", Block: "nosuch", Instance: 0}}
	if err := s.Commit([]*Instance{{DocID: "a", Block: "y", Instance: 0, State: "finished"}}, gone, 0); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, instances, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	var left []string
	for _, in := range instances {
		left = append(left, in.DocID+"/"+in.Block+"/"+in.State)
	}
	if want := "a/y/finished b/x/finished b/x/finished b/y/queued"; strings.Join(left, " ") != want {
		t.Fatalf("instances left: %v, want %s", left, want)
	}
}
