package sandboxfs

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// tree builds a sandbox beside a "host" secret:
//
//	secret                      (outside the root)
//	root/file                   "inside"
//	root/dir/file               "deeper"
//	root/link-out    -> ../secret
//	root/link-abs    -> /…/secret (absolute)
//	root/link-in     -> file      (a link that stays inside)
//	root/dir-out     -> ..        (a directory link leaving the root)
//	root/dir-in      -> dir       (a directory link that stays inside)
//	root/fifo, root/dev (a character device where mknod is allowed)
func tree(t *testing.T) (root, secret string) {
	t.Helper()
	top := t.TempDir()
	secret = filepath.Join(top, "secret")
	root = filepath.Join(top, "root")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.WriteFile(secret, []byte("host secret"), 0o600))
	must(os.MkdirAll(filepath.Join(root, "dir"), 0o755))
	must(os.WriteFile(filepath.Join(root, "file"), []byte("inside"), 0o644))
	must(os.WriteFile(filepath.Join(root, "dir", "file"), []byte("deeper"), 0o644))
	must(os.Symlink("../secret", filepath.Join(root, "link-out")))
	must(os.Symlink(secret, filepath.Join(root, "link-abs")))
	must(os.Symlink("file", filepath.Join(root, "link-in")))
	must(os.Symlink("..", filepath.Join(root, "dir-out")))
	must(os.Symlink("dir", filepath.Join(root, "dir-in")))
	must(syscall.Mkfifo(filepath.Join(root, "fifo"), 0o666))
	// /dev/null's numbers; refused when the test is not root.
	syscall.Mknod(filepath.Join(root, "dev"), syscall.S_IFCHR|0o666, 1<<8|3)
	return root, secret
}

// bothWays runs a test with openat2 and with the per-component walk.
func bothWays(t *testing.T, f func(t *testing.T)) {
	t.Run("openat2", func(t *testing.T) { f(t) })
	t.Run("walk", func(t *testing.T) {
		noOpenat2.Store(true)
		t.Cleanup(func() { noOpenat2.Store(false) })
		f(t)
	})
}

func TestRead(t *testing.T) {
	cases := []struct {
		name    string
		want    string // "" with refused or missing
		refused bool
		missing bool
	}{
		{name: "file", want: "inside"},
		{name: "dir/file", want: "deeper"},
		{name: "absent", missing: true},
		{name: "link-out", refused: true},
		{name: "link-abs", refused: true},
		{name: "link-in", refused: true}, // no link is followed, even one that stays inside
		{name: "dir-out/secret", refused: true},
		{name: "dir-in/file", refused: true},
		{name: "../secret", refused: true},
		{name: "dir/../file", refused: true},
		{name: "/etc/passwd", refused: true},
		{name: ".", refused: true},
		{name: "", refused: true},
		{name: "dir", refused: true},  // a directory
		{name: "fifo", refused: true}, // must not block
		{name: "dev", refused: true},  // a device (or absent when mknod was denied)
	}
	bothWays(t, func(t *testing.T) {
		root, _ := tree(t)
		for _, c := range cases {
			done := make(chan struct{})
			var data []byte
			var size int64
			var err error
			go func() {
				defer close(done)
				data, size, err = ReadAt(root, c.name, 0, 100)
			}()
			select {
			case <-done:
			case <-time.After(2 * time.Minute):
				t.Fatalf("%q: ReadAt blocked", c.name)
			}
			if c.name == "dev" && err == nil && size == 0 {
				continue // no device could be made here
			}
			switch {
			case c.refused:
				if !errors.Is(err, ErrRefused) {
					t.Errorf("%q: err = %v, data %q, want refused", c.name, err, data)
				}
			case c.missing:
				if err != nil || size != 0 || len(data) != 0 {
					t.Errorf("%q: got %q, %d, %v; want empty", c.name, data, size, err)
				}
			default:
				if err != nil || string(data) != c.want || size != int64(len(c.want)) {
					t.Errorf("%q: got %q, %d, %v; want %q", c.name, data, size, err, c.want)
				}
			}
		}
	})
}

func TestReadBounds(t *testing.T) {
	root, _ := tree(t)
	for _, c := range []struct {
		off  int64
		max  int
		want string
	}{{0, 3, "ins"}, {2, 100, "side"}, {6, 10, ""}, {100, 10, ""}, {0, 0, ""}, {-1, 5, ""}} {
		data, size, err := ReadAt(root, "file", c.off, c.max)
		if err != nil || string(data) != c.want || size != 6 {
			t.Errorf("ReadAt(%d, %d) = %q, %d, %v; want %q, 6", c.off, c.max, data, size, err, c.want)
		}
	}
}

func TestWrite(t *testing.T) {
	cases := []struct {
		name    string
		refused bool
	}{
		{name: "new"},
		{name: "file"}, // replaced whole
		{name: "dir/new"},
		{name: "link-out", refused: true},
		{name: "link-abs", refused: true},
		{name: "link-in", refused: true},
		{name: "dir-out/secret", refused: true},
		{name: "dir-out/planted", refused: true},
		{name: "../planted", refused: true},
		{name: "fifo", refused: true},
		{name: "dev", refused: true},
	}
	bothWays(t, func(t *testing.T) {
		root, secret := tree(t)
		for _, c := range cases {
			if c.name == "dev" {
				if _, err := os.Lstat(filepath.Join(root, "dev")); err != nil {
					continue
				}
			}
			err := WriteFile(root, c.name, []byte("written"), 0o600)
			if c.refused {
				if !errors.Is(err, ErrRefused) {
					t.Errorf("%q: err = %v, want refused", c.name, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%q: %v", c.name, err)
				continue
			}
			if got, _ := os.ReadFile(filepath.Join(root, c.name)); string(got) != "written" {
				t.Errorf("%q holds %q", c.name, got)
			}
		}
		if got, _ := os.ReadFile(secret); string(got) != "host secret" {
			t.Fatalf("the file outside was changed: %q", got)
		}
		if _, err := os.Lstat(filepath.Join(filepath.Dir(root), "planted")); err == nil {
			t.Fatal("a file was created outside the root")
		}
		if st, _ := os.Lstat(filepath.Join(root, "link-out")); st == nil || st.Mode()&os.ModeSymlink == 0 {
			t.Fatal("the link was replaced or removed")
		}
	})
}

func TestEdit(t *testing.T) {
	bothWays(t, func(t *testing.T) {
		root, secret := tree(t)
		for _, name := range []string{"link-out", "link-abs", "dir-out/secret", "fifo", "absent"} {
			if f, err := Edit(root, name); err == nil {
				f.Close()
				t.Errorf("%q opened for editing", name)
			}
		}
		f, err := Edit(root, "file")
		if err != nil {
			t.Fatal(err)
		}
		f.WriteAt([]byte("IN"), 0)
		f.Close()
		if got, _ := os.ReadFile(filepath.Join(root, "file")); string(got) != "INside" {
			t.Fatalf("file = %q", got)
		}
		if got, _ := os.ReadFile(secret); string(got) != "host secret" {
			t.Fatalf("the file outside was changed: %q", got)
		}
	})
}

func TestValid(t *testing.T) {
	for name, want := range map[string]bool{
		"a": true, "a/b": true, "a.b/c": true, "..a": true,
		"": false, ".": false, "..": false, "../a": false, "a/..": false, "a/../b": false,
		"/a": false, "a//b": false, "a/": false, "./a": false, "a\x00b": false,
	} {
		if got := Valid(name); got != want {
			t.Errorf("Valid(%q) = %v", name, got)
		}
	}
}
