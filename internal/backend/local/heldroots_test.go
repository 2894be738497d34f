package local

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// swapForLink moves the directory at path away (to path+".moved") and
// puts there a link to a directory outside DATA holding the same names,
// each file reading "stranger": what a task running as the server's user
// could do between an attempt's start and a read of its files.
func swapForLink(t *testing.T, path string, names ...string) {
	t.Helper()
	outside := t.TempDir()
	for _, name := range names {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(outside, name)), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(outside, name), []byte("stranger\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Rename(path, path+".moved"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, path); err != nil {
		t.Fatal(err)
	}
}

// A directory of DATA that an attempt's files are opened beneath (the
// outputs' shard, the sandboxes', the attempts') replaced by a link once
// the server runs is not followed by ReadLog: the server reads in the
// directory it opened at its start, wherever it was moved.
func TestReadLogHeldRoots(t *testing.T) {
	ctx := context.Background()
	b, r := noCgroups(t, t.TempDir())
	a := attempt("echo ours; echo ours > file", nil)
	if err := b.Launch(ctx, a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	cases := []struct {
		name, dir, stream string
		names             []string
	}{
		{"outputs shard", filepath.Join(b.cfg.DataDir, outputsDir, outputShard(a.ID)), "stdout", []string{a.ID + ".stdout"}},
		{"sandboxes", filepath.Join(b.cfg.DataDir, sandboxesDir), "file", []string{a.ID + "/file"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			swapForLink(t, c.dir, c.names...)
			t.Cleanup(func() { os.Remove(c.dir); os.Rename(c.dir+".moved", c.dir) })
			data, _, err := b.ReadLog(ctx, a.ID, c.stream, 0, 100)
			if string(data) == "stranger\n" {
				t.Fatalf("ReadLog %s followed a link at %s out of DATA", c.stream, c.dir)
			}
			if err != nil || string(data) != "ours\n" {
				t.Errorf("ReadLog %s = %q, %v; want the attempt's own %q", c.stream, data, err, "ours\n")
			}
		})
	}
}

// The nested layout (a container's, a session block's, an older
// Borges'): DATA/attempts replaced by a link is not followed either.
func TestReadLogHeldAttemptsRoot(t *testing.T) {
	ctx := context.Background()
	b, _ := noCgroups(t, t.TempDir())
	id := "nested-1"
	if err := b.makeAttemptDirs(id); err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"stdout": "ours\n", "sandbox/file": "ours\n"} {
		if err := os.WriteFile(filepath.Join(b.AttemptDir(id), name), []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	attempts := filepath.Join(b.cfg.DataDir, "attempts")
	swapForLink(t, attempts, id+"/stdout", id+"/sandbox/file")
	for _, stream := range []string{"stdout", "file"} {
		data, _, err := b.ReadLog(ctx, id, stream, 0, 100)
		if string(data) == "stranger\n" {
			t.Fatalf("ReadLog %s followed a link at %s out of DATA", stream, attempts)
		}
		if err != nil || string(data) != "ours\n" {
			t.Errorf("ReadLog %s = %q, %v; want the attempt's own %q", stream, data, err, "ours\n")
		}
	}
}

// The outputs' shard replaced by a link while an attempt runs, before
// its first byte: the server's copy creates the output in the directory
// it opened at its start, not through the link (with a pooled file to
// take, and without).
func TestOutputCopyHeldRoot(t *testing.T) {
	for _, pooled := range []bool{false, true} {
		name := "fresh"
		if pooled {
			name = "pooled"
		}
		t.Run(name, func(t *testing.T) {
			b, r := noCgroups(t, t.TempDir())
			if pooled {
				fillPool(t, b, r)
			}
			a := attempt(`while [ ! -e go ]; do sleep 0.05; done; echo ours`, nil)
			launchRunning(t, b, r, a)
			shard := filepath.Join(b.cfg.DataDir, outputsDir, outputShard(a.ID))
			outside, untouched := outsideDir(t)
			if err := os.Rename(shard, shard+".moved"); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(outside, shard); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(b.SandboxDir(a.ID), "go"), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if u := r.wait(t, a.ID); u.State != engine.Finished {
				t.Fatalf("update = %+v", u)
			}
			untouched(t)
			if data, err := os.ReadFile(filepath.Join(shard+".moved", a.ID+".stdout")); err != nil || string(data) != "ours\n" {
				t.Errorf("the output in the directory the server opened: %q, %v", data, err)
			}
		})
	}
}

// A removal deletes, or recycles, the attempt's files in the directories
// the server opened at its start: DATA/sandboxes, DATA/outputs/SHARD or
// DATA/attempts replaced by a link since is not followed, and nothing
// where it leads is moved or deleted.
func TestRemoveHeldRoots(t *testing.T) {
	for _, replaced := range []string{sandboxesDir, "outputs shard", "attempts"} {
		t.Run(replaced, func(t *testing.T) {
			ctx := context.Background()
			b, r := noCgroups(t, t.TempDir())
			a := attempt("echo ours; echo ours > file", nil)
			if err := b.Launch(ctx, a); err != nil {
				t.Fatal(err)
			}
			r.wait(t, a.ID)
			dir := filepath.Join(b.cfg.DataDir, replaced)
			names := []string{a.ID + "/file"}
			switch replaced {
			case "outputs shard":
				dir = filepath.Join(b.cfg.DataDir, outputsDir, outputShard(a.ID))
				names = []string{a.ID + ".stdout"}
			case "attempts":
				names = []string{a.ID + "/stdout"}
			}
			swapForLink(t, dir, names...)
			away, err := os.Readlink(dir)
			if err != nil {
				t.Fatal(err)
			}
			b.RemoveAttempts(ctx, []string{a.ID})
			for _, name := range names {
				if data, err := os.ReadFile(filepath.Join(away, name)); err != nil || string(data) != "stranger\n" {
					t.Errorf("%s, where the link at %s leads: %q, %v; want it left as it was", name, dir, data, err)
				}
			}
		})
	}
}
