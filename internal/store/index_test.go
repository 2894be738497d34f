package store

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// TestLoadIndex: the index has every document in submission order with its
// title and without its text, and every instance state (many, decoded on
// several cores); the text and one document's states are read on demand.
func TestLoadIndex(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	now := time.Now().UTC().Truncate(time.Second)
	for i := 0; i < 30; i++ {
		id := fmt.Sprintf("doc%02d", 29-i) // keys sort against submission order
		var ins []*Instance
		for k := 0; k < 200; k++ {
			ins = append(ins, &Instance{DocID: id, Block: fmt.Sprintf("b%d", k), State: "finished", FinishedAt: &now})
		}
		d := &Document{ID: id, Text: "#+title: T" + id + "\n", Title: "T" + id, SubmittedAt: now}
		if err := s.AddDocument(d, ins); err != nil {
			t.Fatal(err)
		}
	}
	// A record as an older Borges wrote it: no title.
	if err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDocs).Put([]byte("old"), []byte(`{"id":"old","seq":99,"text":"#+title: Old\n","submitted_at":"2026-01-01T00:00:00Z"}`))
	}); err != nil {
		t.Fatal(err)
	}
	docs, instances, err := s.LoadIndex()
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 31 || docs[0].ID != "doc29" || docs[29].ID != "doc00" || docs[30].ID != "old" {
		t.Fatalf("%d docs, first %s", len(docs), docs[0].ID)
	}
	if d := docs[0]; d.Text != "" || d.Title != "Tdoc29" || !d.TitleKnown || d.Seq != 1 || !d.SubmittedAt.Equal(now) {
		t.Fatalf("first = %+v", d)
	}
	if d := docs[30]; d.TitleKnown || d.Title != "" {
		t.Fatalf("a record without a title: %+v", d)
	}
	if len(instances) != 6000 {
		t.Fatalf("%d instances", len(instances))
	}
	for i, in := range instances {
		if in.State != "finished" || in.FinishedAt == nil || !in.FinishedAt.Equal(now) || in.DocID[:3] != "doc" || in.Block[0] != 'b' {
			t.Fatalf("instance %d = %+v", i, in)
		}
	}
	text, ok, err := s.DocumentText("doc07")
	if err != nil || !ok || text != "#+title: Tdoc07\n" {
		t.Fatalf("text %q %v %v", text, ok, err)
	}
	if _, ok, err := s.DocumentText("nope"); ok || err != nil {
		t.Fatalf("an unknown document's text: %v %v", ok, err)
	}
	ins, err := s.DocumentInstances("doc07")
	if err != nil || len(ins) != 200 || ins[0].DocID != "doc07" {
		t.Fatalf("%d instances, %v", len(ins), err)
	}
	// doc0 is a prefix of doc07's id, not one of its instances' keys.
	if ins, err := s.DocumentInstances("doc0"); err != nil || len(ins) != 0 {
		t.Fatalf("doc0: %d instances, %v", len(ins), err)
	}
	if err := s.SetTitles(map[string]string{"old": "Old", "gone": "x"}); err != nil {
		t.Fatal(err)
	}
	docs, _, err = s.LoadIndex()
	if err != nil {
		t.Fatal(err)
	}
	if d := docs[30]; !d.TitleKnown || d.Title != "Old" || len(docs) != 31 {
		t.Fatalf("after SetTitles: %+v (%d docs)", d, len(docs))
	}
	if text, _, _ := s.DocumentText("old"); text != "#+title: Old\n" {
		t.Fatalf("SetTitles changed the text: %q", text)
	}
}

// TestIndexReadsWhatJSONDoes: the index's quick reading of records agrees
// with decoding them, whatever their texts and messages hold (keys of the
// record quoted inside them, escapes, other scripts), and for records of
// an older Borges.
func TestIndexReadsWhatJSONDoes(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 3, 4, 5, 6, 7, 890, time.FixedZone("x", 3600))
	tricky := []string{"", `"title":"no"`, `"state":"running","finished_at":"2020-01-01T00:00:00Z"`, `"dying":["x"]`, "quote \" \\ back", "λ 日本 \u2028", "\x00nul"}
	n := 0
	for _, text := range tricky {
		for _, title := range tricky {
			id := fmt.Sprintf("d%02d", n)
			n++
			code := 2
			ins := []*Instance{
				{DocID: id, Block: "b\"" + text, Instance: 3, State: "failed", Message: text, ExitCode: &code, FinishedAt: &at, StartedAt: &at},
				{DocID: id, Block: title, State: "queued", Message: title, Dying: []string{text}},
			}
			if err := s.AddDocument(&Document{ID: id, Text: text + "\n#+title: " + title, Title: title, SubmittedAt: at}, ins); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketDocs).Put([]byte("old"), []byte(`{"id":"old","seq":999,"text":"\"title\":\"x\"","submitted_at":"2026-01-01T00:00:00Z"}`))
	}); err != nil {
		t.Fatal(err)
	}
	docs, briefs, err := s.LoadIndex()
	if err != nil {
		t.Fatal(err)
	}
	full, instances, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != len(full) || len(briefs) != len(instances) {
		t.Fatalf("%d docs, %d briefs; want %d, %d", len(docs), len(briefs), len(full), len(instances))
	}
	for i, d := range docs {
		f := full[i]
		want := Document{ID: f.ID, Seq: f.Seq, SubmittedAt: f.SubmittedAt, Title: f.Title, TitleKnown: f.ID != "old"}
		if d.ID != want.ID || d.Seq != want.Seq || !d.SubmittedAt.Equal(want.SubmittedAt) || d.Title != want.Title || d.TitleKnown != want.TitleKnown || d.Text != "" {
			t.Errorf("document %d: %+v, want %+v", i, *d, want)
		}
	}
	for i, b := range briefs {
		in := instances[i]
		if b.DocID != in.DocID || b.Block != in.Block || b.Instance != in.Instance || b.State != in.State ||
			(b.FinishedAt == nil) != (in.FinishedAt == nil) || (b.FinishedAt != nil && !b.FinishedAt.Equal(*in.FinishedAt)) ||
			b.Dying != (len(in.Dying) > 0) {
			t.Errorf("instance %d: %+v, want %+v", i, b, *in)
		}
	}
}

// TestDocumentInstancesOfALargeDocument: a document's many instance states
// are read whole and in key order, however many cores decode them.
func TestDocumentInstancesOfALargeDocument(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ins []*Instance
	for k := 0; k < 12000; k++ {
		ins = append(ins, &Instance{DocID: "big", Block: fmt.Sprintf("b%05d", k), State: "finished", Attempts: k})
	}
	if err := s.AddDocument(&Document{ID: "big"}, ins); err != nil {
		t.Fatal(err)
	}
	got, err := s.DocumentInstances("big")
	if err != nil || len(got) != 12000 {
		t.Fatalf("%d instances, %v", len(got), err)
	}
	for k, in := range got {
		if in.Block != fmt.Sprintf("b%05d", k) || in.Attempts != k {
			t.Fatalf("instance %d: %+v", k, in)
		}
	}
}
