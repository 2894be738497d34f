package store

import (
	"path/filepath"
	"testing"
	"time"
)

func TestRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "borges.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	for i, id := range []string{"b", "a", "c"} {
		d := &Document{ID: id, Text: "* doc " + id, SubmittedAt: now}
		in := []*Instance{{DocID: id, Block: "x", Instance: 0, State: "queued"}, {DocID: id, Block: "x", Instance: 1, State: "queued"}}
		if err := s.AddDocument(d, in); err != nil {
			t.Fatal(err)
		}
		if d.Seq != uint64(i+1) {
			t.Fatalf("seq = %d", d.Seq)
		}
	}
	code := 3
	if err := s.PutInstances([]*Instance{{DocID: "a", Block: "x", Instance: 1, State: "failed", ExitCode: &code}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SetMeta("token", "secret"); err != nil {
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
	if len(docs) != 3 || docs[0].ID != "b" || docs[1].ID != "a" || docs[2].Text != "* doc c" || !docs[0].SubmittedAt.Equal(now) {
		t.Fatalf("docs = %+v", docs)
	}
	if len(instances) != 6 {
		t.Fatalf("%d instances", len(instances))
	}
	var failed *Instance
	for _, in := range instances {
		if in.DocID == "a" && in.Instance == 1 {
			failed = in
		}
	}
	if failed == nil || failed.State != "failed" || *failed.ExitCode != 3 {
		t.Fatalf("instance = %+v", failed)
	}
	if v, _ := s.Meta("token"); v != "secret" {
		t.Fatalf("meta = %q", v)
	}
}

func TestLocked(t *testing.T) {
	path := filepath.Join(t.TempDir(), "borges.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := Open(path); err == nil {
		t.Fatal("a second Open of a held database must fail")
	}
}
