package local

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// BenchmarkOutputFirstWrite: an attempt's output file made at its first
// write from a pooled empty file, written and closed, as the thousand
// blocks' outputs are (the file put back into the pool between, off the
// clock).
func BenchmarkOutputFirstWrite(b *testing.B) {
	dir, r := newPool(b)
	out := filepath.Join(dir, outputsDir, "0")
	line := []byte("block 1\n")
	// One pooled file for each write: the one before's, put back.
	seed := filepath.Join(out, "seed.stdout")
	if err := os.WriteFile(seed, nil, 0o600); err != nil {
		b.Fatal(err)
	}
	if err := r.put(poolFiles, seed); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i > 0 {
			b.StopTimer()
			if err := r.put(poolFiles, filepath.Join(out, strconv.Itoa(i-1)+".stdout")); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
		}
		o := &outputFile{dir: out, name: strconv.Itoa(i) + ".stdout", pool: r}
		if _, err := o.Write(line); err != nil {
			b.Fatal(err)
		}
		o.Close()
	}
}
