package local

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// pooledFile puts an empty file into r's pool and returns the entry's path
// there.
func pooledFile(t *testing.T, dir string, r *recycler) string {
	t.Helper()
	f := filepath.Join(dir, outputsDir, "0", "old.stdout")
	if err := os.WriteFile(f, []byte("old output"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := r.put(poolFiles, f); err != nil {
		t.Fatal(err)
	}
	entries := poolEntries(t, dir)
	if len(entries) != 1 {
		t.Fatalf("pool = %v, want one entry", entries)
	}
	return filepath.Join(dir, poolDir, entries[0])
}

// A file taken from the pool open (an output's first write) is the pooled
// inode, renamed to its place, empty, of the mode asked for, with the
// take's times, and what is written to it is the file's; a take never
// replaces what exists at the destination (the entry stays pooled), and
// an empty pool gives nothing.
func TestPoolTakeFileOpen(t *testing.T) {
	dir, r := newPool(t)
	out := filepath.Join(dir, outputsDir, "0")
	entry := pooledFile(t, dir, r)
	ino := inode(t, entry)
	old := time.Now().Add(-48 * time.Hour)
	os.Chtimes(entry, old, old)

	exists := filepath.Join(out, "exists.stdout")
	os.WriteFile(exists, []byte("mine"), 0o600)
	if f := r.takeFile(exists, 0o600); f != nil {
		f.Close()
		t.Fatal("a take replaced an existing file")
	}
	if got := read(t, exists); got != "mine" {
		t.Errorf("the existing file: %q", got)
	}
	if left := poolEntries(t, dir); len(left) != 1 {
		t.Fatalf("pool = %v after a take that found its place taken, want the entry back", left)
	}

	before := time.Now().Add(-time.Second)
	dst := filepath.Join(out, "new.script")
	f := r.takeFile(dst, 0o700)
	if f == nil {
		t.Fatal("no file taken from the pool")
	}
	if _, err := f.Write([]byte("written\n")); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	st, err := os.Lstat(dst)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode() != 0o700 || inode(t, dst) != ino {
		t.Errorf("taken file: mode %v, inode %d (the pooled one: %d)", st.Mode(), inode(t, dst), ino)
	}
	var sys unix.Stat_t
	unix.Lstat(dst, &sys)
	if atime := time.Unix(sys.Atim.Unix()); atime.Before(before) || st.ModTime().Before(before) {
		t.Errorf("taken file: accessed %v, modified %v, taken after %v", atime, st.ModTime(), before)
	}
	if got := read(t, dst); got != "written" {
		t.Errorf("taken file holds %q", got)
	}
	if left := poolEntries(t, dir); len(left) != 0 {
		t.Errorf("pool = %v after the take", left)
	}
	if f := r.takeFile(filepath.Join(out, "more.stdout"), 0o600); f != nil {
		f.Close()
		t.Error("a take from an empty pool")
	}
}

// What stands under a pooled entry's name when it is taken open, if it is
// not what the pool put there — a symbolic link (to a file outside), a
// fifo (a reader waiting on it or not), a file of two links, a file with
// data — is never opened through, written, nor renamed to the
// destination: the take gives nothing, quickly, and what the link points
// to is untouched.
func TestPoolTakeFileRefusesWhatIsNotPooled(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "outside")
	if err := os.WriteFile(outside, []byte("keep me\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := map[string]func(t *testing.T, entry string){
		"symlink": func(t *testing.T, entry string) {
			if err := os.Symlink(outside, entry); err != nil {
				t.Fatal(err)
			}
		},
		"fifo": func(t *testing.T, entry string) {
			if err := unix.Mkfifo(entry, 0o600); err != nil {
				t.Fatal(err)
			}
		},
		"fifo with a reader": func(t *testing.T, entry string) {
			if err := unix.Mkfifo(entry, 0o600); err != nil {
				t.Fatal(err)
			}
			fd, err := unix.Open(entry, unix.O_RDONLY|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { unix.Close(fd) })
		},
		"two links": func(t *testing.T, entry string) {
			if err := os.WriteFile(entry, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Link(entry, filepath.Join(filepath.Dir(outside), "second-name")); err != nil {
				t.Fatal(err)
			}
		},
		"not empty": func(t *testing.T, entry string) {
			if err := os.WriteFile(entry, []byte("data"), 0o600); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, plant := range cases {
		t.Run(name, func(t *testing.T) {
			dir, r := newPool(t)
			entry := pooledFile(t, dir, r)
			if err := os.Remove(entry); err != nil {
				t.Fatal(err)
			}
			plant(t, entry)
			dst := filepath.Join(dir, outputsDir, "0", "new.stdout")
			if f := r.takeFile(dst, 0o600); f != nil {
				f.Close()
				t.Fatalf("took %s from the pool", name)
			}
			if _, err := os.Lstat(dst); err == nil {
				t.Errorf("%s renamed to the destination", name)
			}
			if got := read(t, outside); got != "keep me" {
				t.Errorf("what the link points to: %q", got)
			}
			// The output is then made as without a pool.
			o := &outputFile{dir: filepath.Dir(dst), name: filepath.Base(dst), pool: r}
			if _, err := o.Write([]byte("out\n")); err != nil {
				t.Fatal(err)
			}
			o.Close()
			if got := read(t, dst); got != "out" {
				t.Errorf("the output made instead holds %q", got)
			}
		})
	}
}

// An output's first write takes a pooled file: the output is that inode.
func TestOutputFileTakesPooledOpen(t *testing.T) {
	dir, r := newPool(t)
	entry := pooledFile(t, dir, r)
	ino := inode(t, entry)
	o := &outputFile{dir: filepath.Join(dir, outputsDir, "0"), name: "a.stdout", pool: r}
	for _, s := range []string{"one\n", "two\n"} {
		if _, err := o.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, outputsDir, "0", "a.stdout")
	if got := read(t, p); got != "one\ntwo" {
		t.Errorf("output holds %q", got)
	}
	if inode(t, p) != ino {
		t.Error("the output is not the pooled file")
	}
	if left := poolEntries(t, dir); len(left) != 0 {
		t.Errorf("pool = %v", left)
	}
}

// A pooled entry taken open whose mode changed while pooled is given the
// mode asked for (checked on the open file, as the rest); one of another
// owner is refused; one swapped under its name between its open and its
// rename (what the rename put in place is not the file open) is refused,
// the file open never given as the output.
func TestPoolTakeFileChecksOwnerModeAndPlace(t *testing.T) {
	t.Run("mode", func(t *testing.T) {
		dir, r := newPool(t)
		entry := pooledFile(t, dir, r)
		if err := os.Chmod(entry, 0o644); err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, outputsDir, "0", "new.stdout")
		f := r.takeFile(dst, 0o600)
		if f == nil {
			t.Fatal("no file taken from the pool")
		}
		f.Close()
		if st, err := os.Lstat(dst); err != nil || st.Mode() != 0o600 {
			t.Fatalf("taken file: %v, %v; want mode 0600", st.Mode(), err)
		}
	})
	t.Run("owner", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("changing a file's owner needs root")
		}
		dir, r := newPool(t)
		entry := pooledFile(t, dir, r)
		if err := os.Chown(entry, 65534, 65534); err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, outputsDir, "0", "new.stdout")
		if f := r.takeFile(dst, 0o600); f != nil {
			f.Close()
			t.Fatal("took a file of another owner from the pool")
		}
		if _, err := os.Lstat(dst); err == nil {
			t.Error("a file of another owner renamed to the destination")
		}
	})
	t.Run("swapped", func(t *testing.T) {
		dir, r := newPool(t)
		pooledFile(t, dir, r)
		r.beforeRename = func(entry string) {
			if err := os.Remove(entry); err != nil {
				t.Error(err)
			}
			if err := os.WriteFile(entry, nil, 0o600); err != nil {
				t.Error(err)
			}
		}
		dst := filepath.Join(dir, outputsDir, "0", "new.stdout")
		if f := r.takeFile(dst, 0o600); f != nil {
			f.Close()
			t.Fatal("took the file open though another was renamed to its place")
		}
	})
}
