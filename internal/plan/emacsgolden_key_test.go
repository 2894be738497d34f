package plan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommittedReferenceStaleOrTampered: a committed reference is used
// only under its own key (an entry whose key differs, written for other
// inputs, is ignored and Emacs runs), and one whose text was edited after
// it was written is rejected as damaged, not used.
func TestCommittedReferenceStaleOrTampered(t *testing.T) {
	c := committedReferences{t.TempDir()}
	key := referenceInputs{Fixture: "testdata/a.org", Text: []byte("a")}.key()
	doc, stopped := []byte("#+RESULTS:\n: 1\n"), "Wrong type argument"
	if err := c.store("testdata/a.org", key, doc, stopped); err != nil {
		t.Fatal(err)
	}
	got, gotStopped, status := c.load("testdata/a.org", key)
	if status != referenceCommitted || string(got) != string(doc) || gotStopped != stopped {
		t.Fatalf("the entry stored is not loaded: %v %q %q", status, got, gotStopped)
	}
	if _, _, status := c.load("testdata/b.org", key); status != referenceNone {
		t.Errorf("another fixture's entry: %v, want none", status)
	}
	stale := referenceInputs{Fixture: "testdata/a.org", Text: []byte("a, edited")}.key()
	if _, _, status := c.load("testdata/a.org", stale); status != referenceStale {
		t.Errorf("an entry of other inputs: %v, want stale (ignored)", status)
	}
	// The document, the error or the key edited by hand.
	path := c.path("testdata/a.org")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(string) string{
		"document": func(s string) string { return strings.Replace(s, ": 1\n", ": 2\n", 1) },
		"error":    func(s string) string { return strings.Replace(s, "Wrong type", "Wrong kind", 1) },
		"key":      func(s string) string { return strings.Replace(s, key, stale, 1) },
		"cut":      func(s string) string { return s[:len(s)-3] },
	} {
		if err := os.WriteFile(path, []byte(edit(string(data))), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{key, stale} {
			if got, _, status := c.load("testdata/a.org", k); status != referenceDamaged {
				t.Errorf("%s edited, loaded with its key %v: %v %q, want damaged", name, k == key, status, got)
			}
		}
	}
	if filepath.Dir(c.path("testdata/a.org")) != c.dir {
		t.Errorf("an entry is not in its directory: %s", c.path("testdata/a.org"))
	}
}

// TestReferenceSample: the fixtures whose committed reference a strict
// run checks against Emacs are a fixed share of each language's, at least
// one each, the same in every run.
func TestReferenceSample(t *testing.T) {
	var rows []sampleRow
	for i := 0; i < 100; i++ {
		rows = append(rows, sampleRow{fixture: "testdata/sh" + strings.Repeat("x", i) + ".org", lang: ""})
	}
	rows = append(rows, sampleRow{fixture: "testdata/py.org", lang: "python"}, sampleRow{fixture: "testdata/rb.org", lang: "ruby"})
	s := referenceSample(rows)
	if !s["testdata/py.org"] || !s["testdata/rb.org"] {
		t.Errorf("a language's only fixture is not sampled: %v", s)
	}
	if n := len(s); n != 5+2 {
		t.Errorf("%d sampled, want 5 of the shell's 100 and one of each other", n)
	}
	again := referenceSample(append(rows[50:], rows[:50]...))
	for f := range s {
		if !again[f] {
			t.Errorf("the sample depends on the rows' order: %s", f)
		}
	}
}
