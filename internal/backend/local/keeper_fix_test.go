package local

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testPipes makes an attempt's two pipes, closed when the test ends.
func testPipes(t *testing.T) (r, w [2]*os.File) {
	t.Helper()
	for i := range r {
		var err error
		if r[i], w[i], err = os.Pipe(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r[i].Close(); w[i].Close() })
	}
	return r, w
}

// A restarted server that looks at once, before the old keeper has even
// noted what it took over, waits for it: the output is whole (F1).
func TestKeeperRestartedServerWaitsForTheOldKeeper(t *testing.T) {
	dir := t.TempDir()
	k := testKeeper(t, dir)
	r, w := testPipes(t)
	if err := k.hold("a", filepath.Join(dir, "a"), 1<<20, r); err != nil {
		t.Fatal(err)
	}
	w[0].WriteString(strings.Repeat("x", 60<<10))
	w[0].Close()
	w[1].Close()
	r[0].Close()
	r[1].Close()
	k.abandon() // the server dies
	// The restarted server, another keeper's.
	if !waitKept(k.log, "a", time.Minute, "restarted.") {
		t.Fatal("not copied within a minute")
	}
	if n := len(readFile(dir, "a.stdout")); n != 60<<10 {
		t.Errorf("a.stdout holds %d bytes once said copied, want %d", n, 60<<10)
	}
}
