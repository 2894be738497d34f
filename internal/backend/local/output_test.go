package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
)

// newCappedBackend is a backend that keeps max bytes of each output.
func newCappedBackend(t *testing.T, max int64) (*Backend, *recorder) {
	t.Helper()
	// Cleaned up as every test's backend: its keeper too.
	return newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: "borges-test", MaxOutput: max})
}

// A program writing far past the cap is neither killed nor stopped: it
// ends as it would have, its output kept up to the cap with a marker line
// after it, on disk as in what is read.
func TestOutputCap(t *testing.T) {
	const max = 100
	head := strings.Repeat("0123456789\n", 10)[:max] // the first 100 bytes of the output
	cases := []struct {
		name      string
		container bool
		script    string
		stdout    string
		stderr    string
	}{
		{name: "process", script: `yes 0123456789 | head -c 5000; yes err | head -c 300 >&2; head -c 5000 /dev/zero > own; echo alive > alive; exit 3`,
			stdout: head + "\n[borges: output truncated at 100 B]\n",
			stderr: strings.Repeat("err\n", 25) + "[borges: output truncated at 100 B]\n"},
		{name: "process under the cap", script: `echo small; echo small >&2; echo alive > alive; exit 3`,
			stdout: "small\n", stderr: "small\n"},
		{name: "container", container: true, script: `yes 0123456789 | head -c 5000; yes err | head -c 300 >&2; echo alive > alive; exit 3`,
			stdout: head + "\n[borges: output truncated at 100 B]\n",
			stderr: strings.Repeat("err\n", 25) + "[borges: output truncated at 100 B]\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, r := newCappedBackend(t, max)
			a := attempt(c.script, nil)
			if c.container {
				outside.Docker(t)
				a = inContainer(c.script, func(*plan.Task) {})
			}
			if err := b.Launch(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			if u := r.wait(t, a.ID); u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 3 {
				t.Fatalf("update = %+v", u)
			}
			if data, _, _ := b.ReadLog(context.Background(), a.ID, "alive", 0, 100); string(data) != "alive\n" {
				t.Fatalf("the program did not go on past the cap: %q", data)
			}
			// The cap is the outputs' alone: a file the program writes
			// itself is whole.
			if own, size, _ := b.ReadLog(context.Background(), a.ID, "own", 0, 100); strings.Contains(c.script, "> own") && (size != 5000 || len(own) != 100) {
				t.Fatalf("a file of the program was cut: %d bytes", size)
			}
			for stream, want := range map[string]string{"stdout": c.stdout, "stderr": c.stderr} {
				data, size, err := b.ReadLog(context.Background(), a.ID, stream, 0, 1<<20)
				if err != nil || string(data) != want || size != int64(len(want)) {
					t.Errorf("%s = %q (%d), %v; want %q", stream, data, size, err, want)
				}
				if disk, _ := os.ReadFile(outputPath(b, a.ID, stream)); string(disk) != want {
					t.Errorf("%s on disk = %q, want %q", stream, disk, want)
				}
			}
		})
	}
}

// While a process runs past the cap, its file holds one byte more than
// the cap (how the wrapper tells a cut output from one of exactly that
// size); what is read is the same as after its end, at any offset.
func TestOutputCapView(t *testing.T) {
	b, _ := newCappedBackend(t, 10)
	id := "d.b.0.view"
	if err := b.makeAttemptDirs(id); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		file string // on disk
		want string // what reads
	}{
		{"0123456789X", "0123456789\n[borges: output truncated at 10 B]\n"},
		{"012345678\nX", "012345678\n[borges: output truncated at 10 B]\n"},
		{"0123456789\n[borges: output truncated at 10 B]\n", "0123456789\n[borges: output truncated at 10 B]\n"},
		{"0123456789", "0123456789"},
		{"short", "short"},
	}
	for _, c := range cases {
		if err := os.WriteFile(filepath.Join(b.AttemptDir(id), "stdout"), []byte(c.file), 0o600); err != nil {
			t.Fatal(err)
		}
		for off := 0; off <= len(c.want)+1; off++ {
			for _, n := range []int{1, 3, 100} {
				data, size, err := b.ReadLog(context.Background(), id, "stdout", int64(off), n)
				want := ""
				if off < len(c.want) {
					want = c.want[off:min(len(c.want), off+n)]
				}
				if err != nil || string(data) != want || size != int64(len(c.want)) {
					t.Fatalf("file %q at %d, %d: %q (%d), %v; want %q (%d)", c.file, off, n, data, size, err, want, len(c.want))
				}
			}
		}
	}
}

// The engine's own log of a container is bounded too: two files of twice
// the cap, 64 MiB at least.
func TestEngineLogBounded(t *testing.T) {
	for max, want := range map[int64]string{100: "67108864", 1 << 30: "2147483648"} {
		a := inContainer("true", nil)
		_, host := containerConfig(a, "/s", "/p", mountIDs{}, nil, nil, "/d", max, "")
		if c := host.LogConfig.Config; host.LogConfig.Type != "json-file" || c["max-size"] != want || c["max-file"] != "2" {
			t.Errorf("cap %d: log config %+v", max, host.LogConfig)
		}
	}
}
