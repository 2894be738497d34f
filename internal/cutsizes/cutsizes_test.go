package cutsizes

import (
	"os"
	"path/filepath"
	"testing"
)

// TestRecord: what is written reads back; a directory without a record
// reads as nothing cut; a record that is not one is an error naming it;
// a name reports the larger of its kept size and its recorded one.
func TestRecord(t *testing.T) {
	dir := t.TempDir()
	if s, found, err := Read(dir); err != nil || found || s.Of("stdout", 3) != 3 {
		t.Fatalf("no record: %v, %v, %v", s, found, err)
	}
	if err := Write(dir, Sizes{"stdout": 20 << 20, "out/big.csv": 17 << 20}); err != nil {
		t.Fatal(err)
	}
	s, found, err := Read(dir)
	if err != nil || !found {
		t.Fatalf("read %v, %v", found, err)
	}
	for _, c := range []struct {
		name       string
		kept, want int64
	}{
		{"stdout", 16 << 20, 20 << 20},
		{"out/big.csv", 16 << 20, 17 << 20},
		{"stderr", 5, 5},               // kept whole
		{"stdout", 30 << 20, 30 << 20}, // never less than what is there
	} {
		if got := s.Of(c.name, c.kept); got != c.want {
			t.Errorf("Of(%q, %d) = %d, want %d", c.name, c.kept, got, c.want)
		}
	}
	if err := Write(dir, nil); err != nil {
		t.Fatal(err)
	}
	if s, found, err := Read(dir); err != nil || !found || len(s) != 0 {
		t.Fatalf("empty record read as %v, %v, %v", s, found, err)
	}
	if err := os.WriteFile(filepath.Join(dir, File), []byte("not a record"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Read(dir); err == nil {
		t.Fatal("a record that is not one read")
	}
}
