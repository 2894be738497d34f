package sandboxfs

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// openDir opens root as a Dir, closed when the test ends.
func openDir(t *testing.T, root string) *Dir {
	t.Helper()
	d, err := OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// readAll reads f to its end and closes it.
func readAll(t *testing.T, f *os.File) string {
	t.Helper()
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A link at a Dir's path, or another file, is refused when it is opened.
func TestOpenDirRefusesALink(t *testing.T) {
	root, secret := tree(t)
	for _, path := range []string{filepath.Join(root, "dir-in"), filepath.Join(root, "dir-out"), filepath.Join(root, "file"), secret} {
		d, err := OpenDir(path)
		if err == nil {
			d.Close()
			t.Errorf("OpenDir(%s) opened it", path)
		} else if !errors.Is(err, ErrRefused) {
			t.Errorf("OpenDir(%s): %v, want ErrRefused", path, err)
		}
	}
	if _, err := OpenDir(filepath.Join(root, "absent")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenDir of nothing: %v, want ErrNotExist", err)
	}
}

// A link put at a Dir's path once it is open changes nothing: files are
// read, made and deleted in the directory it opened (moved away), none
// where the link points.
func TestDirHeldAfterALinkAtItsPath(t *testing.T) {
	bothWays(t, func(t *testing.T) {
		root, secret := tree(t)
		d := openDir(t, root)
		outside := t.TempDir()
		if err := os.Rename(root, root+".moved"); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(outside, root); err != nil {
			t.Fatal(err)
		}
		f, err := d.Open("file")
		if err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, f); got != "inside" {
			t.Errorf("read %q, want the file of the directory opened", got)
		}
		for _, mk := range []func(string, os.FileMode) (*os.File, error){d.Create, d.Append, d.AppendNew} {
			f, err := mk("new", 0o600)
			if err != nil {
				t.Fatal(err)
			}
			f.WriteString("x")
			f.Close()
			if err := d.Remove("new"); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Place("made/deep/placed", []byte("placed"), 0o640); err != nil {
			t.Fatal(err)
		}
		if st, err := os.Stat(filepath.Join(root+".moved", "made", "deep", "placed")); err != nil || st.Mode().Perm() != 0o640 {
			t.Errorf("the file placed, in the directory opened: %v %v", st, err)
		}
		if err := d.WriteFile("written", []byte("w"), 0o600); err != nil {
			t.Fatal(err)
		}
		if data, size, err := d.ReadAt("written", 0, 10); string(data) != "w" || size != 1 || err != nil {
			t.Errorf("ReadAt(written) = %q %d %v", data, size, err)
		}
		if err := d.Remove("file"); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Lstat(filepath.Join(root+".moved", "file")); !os.IsNotExist(err) {
			t.Errorf("the file removed is still in the directory opened: %v", err)
		}
		names, err := d.Names()
		if err != nil || slices.Contains(names, "file") || !slices.Contains(names, "dir") {
			t.Errorf("names %v (%v): want the directory opened's", names, err)
		}
		if left, _ := os.ReadDir(outside); len(left) != 0 {
			t.Errorf("the directory the link points to holds %v", left)
		}
		if data, _ := os.ReadFile(secret); string(data) != "host secret" {
			t.Errorf("the secret reads %q", data)
		}
	})
}

// Beneath a Dir no link is followed, to a file or a directory, inside or
// out, whether a file is read, made or appended to; and only regular
// files are served (a fifo would block, a directory is no file). A link
// is deleted, not what it points to; only a name of the directory itself
// is deleted.
func TestDirRefusesLinksAndOtherFiles(t *testing.T) {
	bothWays(t, func(t *testing.T) {
		root, secret := tree(t)
		d := openDir(t, root)
		for _, name := range []string{"link-out", "link-abs", "link-in", "dir-out/secret", "dir-in/file", "fifo", "dir", "../secret", "/etc/passwd", "."} {
			if f, err := d.Open(name); err == nil {
				f.Close()
				t.Errorf("Open(%q) opened it", name)
			} else if !errors.Is(err, ErrRefused) {
				t.Errorf("Open(%q): %v, want ErrRefused", name, err)
			}
			for _, mk := range []func(string, os.FileMode) (*os.File, error){d.Create, d.Append, d.AppendNew} {
				if f, err := mk(name, 0o600); err == nil {
					f.Close()
					t.Errorf("made or opened %q for writing", name)
				}
			}
		}
		for _, name := range []string{"link-out", "link-in", "dir-in/file", "fifo"} {
			if err := d.WriteFile(name, []byte("x"), 0o600); !errors.Is(err, ErrRefused) {
				t.Errorf("WriteFile(%q): %v, want ErrRefused", name, err)
			}
			if _, _, err := d.ReadAt(name, 0, 10); !errors.Is(err, ErrRefused) {
				t.Errorf("ReadAt(%q): %v, want ErrRefused", name, err)
			}
		}
		for _, name := range []string{"dir-in/new", "dir-out/new", "link-in/new", "dir-out/x/new", "link-out"} {
			if err := d.Place(name, []byte("x"), 0o600); !errors.Is(err, ErrRefused) {
				t.Errorf("Place(%q): %v, want ErrRefused", name, err)
			}
		}
		if data, size, err := d.ReadAt("absent", 0, 10); data != nil || size != 0 || err != nil {
			t.Errorf("ReadAt of nothing: %q %d %v, want empty", data, size, err)
		}
		if _, err := d.Open("absent"); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open of nothing: %v, want ErrNotExist", err)
		}
		if _, err := d.AppendNew("file", 0o600); !errors.Is(err, fs.ErrExist) {
			t.Errorf("AppendNew of a file there: %v, want ErrExist", err)
		}
		f, err := d.Open("dir/file")
		if err != nil {
			t.Fatal(err)
		}
		if got := readAll(t, f); got != "deeper" {
			t.Errorf("dir/file reads %q", got)
		}
		if err := d.Remove("dir/file"); !errors.Is(err, ErrRefused) {
			t.Errorf("Remove(dir/file): %v, want ErrRefused", err)
		}
		if err := d.Remove("link-out"); err != nil {
			t.Fatal(err)
		}
		if data, _ := os.ReadFile(secret); string(data) != "host secret" {
			t.Errorf("the secret reads %q", data)
		}
		if _, err := os.Lstat(filepath.Join(root, "link-out")); !os.IsNotExist(err) {
			t.Errorf("the link removed is still there: %v", err)
		}
	})
}

// A Dir closed opens nothing, and may be closed again.
func TestDirClosed(t *testing.T) {
	root, _ := tree(t)
	d, err := OpenDir(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if f, err := d.Open("file"); err == nil {
		f.Close()
		t.Error("a closed Dir opened a file")
	}
	if err := d.Close(); err != nil {
		t.Errorf("a second Close: %v", err)
	}
	var none *Dir
	if err := none.Close(); err != nil {
		t.Errorf("a nil Dir's Close: %v", err)
	}
}

// Place gives the file exactly its mode, 0 too (Emacs's set-file-modes
// makes it ----------), beneath a root as beneath a Dir.
func TestPlaceExactMode(t *testing.T) {
	for _, mode := range []os.FileMode{0, 0o640, 0o755} {
		root := t.TempDir()
		if err := Place(root, "by-root", []byte("x"), mode); err != nil {
			t.Fatal(err)
		}
		if err := openDir(t, root).Place("by-dir", []byte("x"), mode); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"by-root", "by-dir"} {
			if st, err := os.Stat(filepath.Join(root, name)); err != nil {
				t.Fatal(err)
			} else if st.Mode().Perm() != mode {
				t.Errorf("%s placed with %v: %v", name, mode, st.Mode().Perm())
			}
		}
	}
}

// A Dir needs no read permission on its directory, as a root opened by
// its path (O_PATH) needs none: a block may have taken its own from its
// sandbox (chmod u-r .), and its files are still made and written there.
// The test takes the permission away from a thread of its own that
// cannot override it (as root, it drops CAP_DAC_OVERRIDE and
// CAP_DAC_READ_SEARCH, which are a thread's own); and checks the Dir's
// descriptor is an O_PATH one, which needs none, in any case.
func TestDirWithoutReadPermission(t *testing.T) {
	root := t.TempDir()
	if err := os.Chmod(root, 0o300); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(root, 0o700) })
	type result struct {
		unreadable bool
		flags      string
		err        error
	}
	done := make(chan result, 1)
	go func() {
		// Never unlocked: the thread ends with the goroutine, and its
		// capabilities with it.
		runtime.LockOSThread()
		hdr := unix.CapUserHeader{Version: unix.LINUX_CAPABILITY_VERSION_3}
		var caps [2]unix.CapUserData
		if err := unix.Capget(&hdr, &caps[0]); err != nil {
			done <- result{err: err}
			return
		}
		caps[0].Effective &^= 1<<unix.CAP_DAC_OVERRIDE | 1<<unix.CAP_DAC_READ_SEARCH
		if err := unix.Capset(&hdr, &caps[0]); err != nil {
			done <- result{err: err}
			return
		}
		var res result
		if fd, err := unix.Open(root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0); err == nil {
			unix.Close(fd)
		} else {
			res.unreadable = errors.Is(err, unix.EACCES)
		}
		d, err := OpenDir(root)
		if err != nil {
			res.err = err
			done <- res
			return
		}
		defer d.Close()
		fdinfo, err := os.ReadFile("/proc/thread-self/fdinfo/" + strconv.Itoa(d.fd))
		if err != nil {
			res.err = err
			done <- res
			return
		}
		for _, line := range strings.Split(string(fdinfo), "\n") {
			if v, ok := strings.CutPrefix(line, "flags:"); ok {
				res.flags = strings.TrimSpace(v)
			}
		}
		if err := d.WriteFile("written", []byte("w"), 0o600); err != nil {
			res.err = err
		} else if err := d.Place("made/placed", []byte("p"), 0o640); err != nil {
			res.err = err
		}
		done <- res
	}()
	res := <-done
	if res.err != nil {
		t.Fatal(res.err)
	}
	if flags, err := strconv.ParseUint(res.flags, 8, 64); err != nil || flags&unix.O_PATH == 0 {
		t.Errorf("the Dir's descriptor's flags: %q, want O_PATH", res.flags)
	}
	if !res.unreadable {
		t.Log("the directory could still be read: only the descriptor's flags were checked")
	}
	for name, want := range map[string]string{"written": "w", "made/placed": "p"} {
		if got, err := os.ReadFile(filepath.Join(root, name)); err != nil || string(got) != want {
			t.Errorf("%s: %q %v, want %q", name, got, err, want)
		}
	}
}

// Sub and Mkdir go through no link: a link where a directory is, on the
// way or at the end, is refused (nothing is made where it leads); a
// closed Dir opens nothing.
func TestDirSubMkdirNoLink(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	d := openDir(t, root)
	if err := d.Mkdir("a", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := d.Mkdir("a/b", 0o700); err != nil {
		t.Fatal(err)
	}
	if err := d.Mkdir("a", 0o700); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Mkdir of a directory there: %v, want fs.ErrExist", err)
	}
	sub, err := d.Sub("a/b")
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	if err := sub.WriteFile("f", []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, err := os.ReadFile(filepath.Join(root, "a/b/f")); err != nil || string(data) != "x" {
		t.Errorf("written beneath Sub: %q %v", data, err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Sub("link"); !errors.Is(err, ErrRefused) {
		t.Errorf("Sub through a link: %v, want ErrRefused", err)
	}
	if err := d.Mkdir("link/made", 0o700); !errors.Is(err, ErrRefused) {
		t.Errorf("Mkdir through a link: %v, want ErrRefused", err)
	}
	if names, _ := os.ReadDir(outside); len(names) != 0 {
		t.Errorf("made where the link leads: %v", names)
	}
	sub.Close()
	if _, err := sub.Open("f"); err == nil {
		t.Error("a closed Dir opened a file")
	}
	if err := sub.Mkdir("g", 0o700); err == nil {
		t.Error("a closed Dir made a directory")
	}
}

// TestCloneHoldsTheSameDirectory: a clone holds the directory the Dir
// held when cloned, on its own: the original closed and another
// directory put at the path, the clone still reads the first.
func TestCloneHoldsTheSameDirectory(t *testing.T) {
	root := t.TempDir()
	p := filepath.Join(root, "d")
	if err := os.Mkdir(p, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(p, "f"), []byte("first"), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := OpenDir(p)
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Clone()
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(p, filepath.Join(root, "moved")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(p, 0o755); err != nil {
		t.Fatal(err)
	}
	got, _, err := c.ReadAt("f", 0, 100)
	if err != nil || string(got) != "first" {
		t.Fatalf("clone read %q, %v; want the first directory's file", got, err)
	}
}
