package local

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/engine"
)

// inode is the inode number of path (not following a link).
func inode(t *testing.T, path string) uint64 {
	t.Helper()
	var st unix.Stat_t
	if err := unix.Lstat(path, &st); err != nil {
		t.Fatal(err)
	}
	return st.Ino
}

// poolEntries lists the pool's directory.
func poolEntries(t *testing.T, dataDir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dataDir, poolDir))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// runOne launches a and waits for its end, which must be a success.
func runOne(t *testing.T, b *Backend, r *recorder, a *engine.Attempt) {
	t.Helper()
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
}

// An attempt run in a cgroup found empty at its end has its sandbox and
// outputs recycled at its removal: emptied (what its program left, a
// read-only directory and links included, removed without following
// the links), mode 0700 and 0600 again, and the next attempt's sandbox
// and outputs are those very inodes, holding nothing of the first.
func TestRecycledAttemptFiles(t *testing.T) {
	dir := t.TempDir()
	b, r := newBackend(t, dir)
	if b.cgroups == nil {
		t.Skipf("no cgroups here (%s): a sandbox is recycled only after a cgroup proved its attempt gone", b.Enforcement())
	}
	outside := t.TempDir()
	precious := filepath.Join(outside, "precious")
	if err := os.WriteFile(precious, []byte("keep me\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	first := attempt("mkdir -p out/deep && echo x > out/deep/f && chmod 500 out/deep && ln -s "+outside+" link && ln -s "+precious+
		" filelink && echo first > value && chmod 755 . && echo first && echo warned >&2", nil)
	runOne(t, b, r, first)
	sandbox, stdout, stderr := inode(t, b.SandboxDir(first.ID)), inode(t, outputPath(b, first.ID, "stdout")), inode(t, outputPath(b, first.ID, "stderr"))
	if err := b.RemoveAttempts(context.Background(), []string{first.ID}); err != nil {
		t.Fatal(err)
	}
	if left := madeFor(t, dir, first.ID); len(left) != 0 {
		t.Errorf("the removed attempt's files are still there: %v", left)
	}
	got := poolEntries(t, dir)
	slices.Sort(got)
	if len(got) != 3 || got[0][0] != poolDirs || got[1][0] != poolFiles || got[2][0] != poolFiles {
		t.Fatalf("pool = %v, want a directory and two files (stdout, stderr)", got)
	}
	for _, name := range got {
		st, err := os.Lstat(filepath.Join(dir, poolDir, name))
		if err != nil {
			t.Fatal(err)
		}
		want := os.FileMode(0o600)
		if st.IsDir() {
			want = 0o700 | os.ModeDir
		}
		if st.Mode() != want || !st.IsDir() && st.Size() != 0 {
			t.Errorf("pool entry %s: mode %v, size %d", name, st.Mode(), st.Size())
		}
	}
	if data, err := os.ReadFile(precious); err != nil || string(data) != "keep me\n" {
		t.Errorf("a file the links pointed to: %q, %v", data, err)
	}

	second := attempt(`ls -A; stat -c %a .; echo second; echo again >&2`, nil)
	runOne(t, b, r, second)
	if got := inode(t, b.SandboxDir(second.ID)); got != sandbox {
		t.Errorf("the second sandbox is inode %d, not the recycled %d", got, sandbox)
	}
	if out := inode(t, outputPath(b, second.ID, "stdout")); out != stdout && out != stderr {
		t.Errorf("the second stdout is inode %d, not a recycled one (%d, %d)", out, stdout, stderr)
	}
	if data, _, err := b.ReadLog(context.Background(), second.ID, "stdout", 0, 1<<10); err != nil || string(data) != "700\nsecond\n" {
		t.Errorf("second attempt's stdout = %q, %v; want an empty sandbox of mode 700", data, err)
	}
	if data, _, err := b.ReadLog(context.Background(), second.ID, "stderr", 0, 1<<10); err != nil || string(data) != "again\n" {
		t.Errorf("second attempt's stderr = %q, %v", data, err)
	}
	if left := poolEntries(t, dir); len(left) != 0 {
		t.Errorf("pool after the second attempt: %v", left)
	}
}

// Without a cgroup nothing proves that no process of an ended attempt
// still works in its sandbox (one that left the process group outlives
// it): the sandbox is deleted, not recycled, and such a process finds
// its directory gone rather than in another attempt's hands.
func TestEscapedProcessKeepsSandboxOutOfPool(t *testing.T) {
	dir := t.TempDir()
	b, r := newBackendConfig(t, Config{DataDir: dir, CgroupParent: "-"})
	pidFile := filepath.Join(t.TempDir(), "pid")
	// The attempt ends once its escaped process (which writes its pid
	// after setsid) has left the group.
	a := attempt("setsid sh -c 'echo $$ > "+pidFile+"; exec sleep 1000' </dev/null >/dev/null 2>&1 & "+
		"i=0; while [ ! -s "+pidFile+" ] && [ $i -lt 3000 ]; do sleep 0.01; i=$((i+1)); done; echo out", nil)
	runOne(t, b, r, a)
	pid, err := strconv.Atoi(read(t, pidFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	if !alive(pid) {
		t.Fatal("the escaped process is not running")
	}
	if err := b.RemoveAttempts(context.Background(), []string{a.ID}); err != nil {
		t.Fatal(err)
	}
	for _, name := range poolEntries(t, dir) {
		if name[0] == poolDirs {
			t.Errorf("the sandbox of an attempt with a process still running went to the pool (%s)", name)
		}
	}
	if left := madeFor(t, dir, a.ID); len(left) != 0 {
		t.Errorf("the removed attempt's files are still there: %v", left)
	}
}

// What an end proved decides what is recycled at once: an attempt run in
// a cgroup found empty whose outputs' copy ended; nothing of one whose
// copy did not end, of one without a cgroup, of one this server did not
// see end (those wait for the pass over the processes: holds.go); and
// only the latest ends are remembered.
func TestSettlement(t *testing.T) {
	var s settledSet
	s.add("copying", settlement{copied: false, cgroupd: true, started: 7})
	s.add("no cgroup", settlement{copied: true, started: 8})
	s.add("cgroup", settlement{copied: true, cgroupd: true, started: 9})
	for _, c := range []struct {
		id      string
		proved  bool
		started uint64
	}{
		{"copying", false, 7}, {"no cgroup", false, 8}, {"cgroup", true, 9}, {"unknown", false, 0}, {"cgroup", false, 0},
	} {
		if proved, started := s.take(c.id); proved != c.proved || started != c.started {
			t.Errorf("%s: proved %v, started %d; want %v, %d", c.id, proved, started, c.proved, c.started)
		}
	}
	defer func(n int) { maxSettled = n }(maxSettled)
	maxSettled = 3
	var ring settledSet
	for i := range 5 {
		ring.add(strconv.Itoa(i), settlement{copied: true, cgroupd: true})
	}
	if len(ring.m) != 3 {
		t.Errorf("%d ends remembered, want 3", len(ring.m))
	}
	for i, want := range []bool{false, false, true, true, true} {
		if proved, _ := ring.take(strconv.Itoa(i)); proved != want {
			t.Errorf("end %d remembered: %v, want %v", i, proved, want)
		}
	}
}

// newPool is a data directory's layout and its pool.
func newPool(tb testing.TB) (string, *recycler) {
	tb.Helper()
	dir := tb.TempDir()
	if err := makeLayout(dir); err != nil {
		tb.Fatal(err)
	}
	r, err := newRecycler(dir)
	if err != nil || r == nil {
		tb.Fatalf("pool: %v, %v", r, err)
	}
	return dir, r
}

// What is not what a fresh entry would be is deleted, never pooled, and
// what it links to is untouched: a second hard link (which would reach
// the next attempt's output), a symbolic link, a fifo, a directory grown
// large, one with an extended attribute, one another user owns.
func TestPoolRefusesWhatIsNotFresh(t *testing.T) {
	dir, r := newPool(t)
	outside := filepath.Join(t.TempDir(), "outside")
	if err := os.WriteFile(outside, []byte("keep me\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, outputsDir, "0")
	sb := filepath.Join(dir, sandboxesDir)
	linked := filepath.Join(out, "linked.stdout")
	os.WriteFile(linked, []byte("x"), 0o600)
	os.Link(linked, filepath.Join(out, "second-name"))
	os.Symlink(outside, filepath.Join(out, "symlink.stdout"))
	unix.Mkfifo(filepath.Join(out, "fifo.stdout"), 0o600)
	os.Symlink(filepath.Dir(outside), filepath.Join(sb, "symlink"))
	large := filepath.Join(sb, "large")
	os.Mkdir(large, 0o700)
	for i := range 300 {
		os.WriteFile(filepath.Join(large, strings.Repeat("n", 40)+strconv.Itoa(i)), nil, 0o600)
	}
	xattr := filepath.Join(sb, "xattr")
	os.Mkdir(xattr, 0o700)
	cases := []struct {
		kind byte
		path string
	}{{poolFiles, linked}, {poolFiles, filepath.Join(out, "symlink.stdout")}, {poolFiles, filepath.Join(out, "fifo.stdout")},
		{poolDirs, filepath.Join(sb, "symlink")}, {poolDirs, large}}
	if err := unix.Setxattr(xattr, "user.borges-test", []byte("x"), 0); err == nil {
		cases = append(cases, struct {
			kind byte
			path string
		}{poolDirs, xattr})
	} else {
		t.Logf("no user extended attributes here (%v): not tried", err)
	}
	if os.Geteuid() == 0 {
		owned := filepath.Join(sb, "owned")
		os.Mkdir(owned, 0o700)
		os.Lchown(owned, 65534, 65534)
		cases = append(cases, struct {
			kind byte
			path string
		}{poolDirs, owned})
	}
	for _, c := range cases {
		if err := r.put(c.kind, c.path); err != nil {
			t.Errorf("%s: %v", c.path, err)
		}
		if _, err := os.Lstat(c.path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s: still there (%v)", c.path, err)
		}
	}
	if left := poolEntries(t, dir); len(left) != 0 {
		t.Errorf("pool = %v, want nothing", left)
	}
	if got := read(t, filepath.Join(out, "second-name")); got != "x" {
		t.Errorf("the second link's file: %q", got)
	}
	if got := read(t, outside); got != "keep me" {
		t.Errorf("what the links pointed to: %q", got)
	}
}

// A file is pooled empty and 0600, whatever it held and its mode; a take
// never replaces what exists at the destination, and gives a script its
// mode.
func TestPoolTake(t *testing.T) {
	dir, r := newPool(t)
	out := filepath.Join(dir, outputsDir, "0")
	full := filepath.Join(out, "full.stdout")
	os.WriteFile(full, []byte("old output"), 0o644)
	os.Chmod(full, 0o644)
	if err := r.put(poolFiles, full); err != nil {
		t.Fatal(err)
	}
	exists := filepath.Join(out, "exists.stdout")
	os.WriteFile(exists, []byte("mine"), 0o600)
	if r.take(poolFiles, exists, 0o600) {
		t.Error("a take replaced an existing file")
	}
	if got := read(t, exists); got != "mine" {
		t.Errorf("the existing file: %q", got)
	}
	script := filepath.Join(out, "new.script")
	if !r.take(poolFiles, script, 0o700) {
		t.Fatal("no file taken from the pool")
	}
	st, err := os.Lstat(script)
	if err != nil || st.Size() != 0 || st.Mode() != 0o700 {
		t.Errorf("taken file: %v, %v", st, err)
	}
	if r.take(poolFiles, filepath.Join(out, "more.stdout"), 0o600) {
		t.Error("a take from an empty pool")
	}
	if left := poolEntries(t, dir); len(left) != 0 {
		t.Errorf("pool = %v", left)
	}
}

// The pool is bounded: past poolMax entries of a kind, what is removed is
// deleted.
func TestPoolBounded(t *testing.T) {
	defer func(n int) { poolMax = n }(poolMax)
	poolMax = 2
	dir, r := newPool(t)
	for i := range 3 {
		d := filepath.Join(dir, sandboxesDir, strconv.Itoa(i))
		os.Mkdir(d, 0o700)
		if err := r.put(poolDirs, d); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Lstat(d); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s still there", d)
		}
	}
	if got := poolEntries(t, dir); len(got) != 2 {
		t.Errorf("pool = %v, want 2 entries", got)
	}
}

// A start deletes what a stopped run left staged or that is not an entry,
// checks the entries again (an entry changed since is cleaned, or deleted
// if it cannot be), keeps at most poolMax of each kind, and names new
// entries after the ones it found.
func TestPoolAtStart(t *testing.T) {
	defer func(n int) { poolMax = n }(poolMax)
	poolMax = 3
	dir := t.TempDir()
	if err := makeLayout(dir); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, poolDir)
	os.MkdirAll(filepath.Join(p, poolStage+"5", "half"), 0o700)
	os.WriteFile(filepath.Join(p, poolStage+"6"), []byte("half"), 0o600)
	os.MkdirAll(filepath.Join(p, "d7", "sub"), 0o755)
	os.Mkdir(filepath.Join(p, "d8"), 0o700)
	os.WriteFile(filepath.Join(p, "f9"), []byte("written since"), 0o600)
	os.Symlink(t.TempDir(), filepath.Join(p, "d10"))
	os.WriteFile(filepath.Join(p, "other"), nil, 0o600)
	for i := 20; i < 25; i++ {
		os.WriteFile(filepath.Join(p, "f"+strconv.Itoa(i)), nil, 0o600)
	}
	r, err := newRecycler(dir)
	if err != nil || r == nil {
		t.Fatalf("pool: %v, %v", r, err)
	}
	got := poolEntries(t, dir)
	var dirs, files []string
	for _, name := range got {
		switch name[0] {
		case poolDirs:
			dirs = append(dirs, name)
		case poolFiles:
			files = append(files, name)
		default:
			t.Errorf("left at start: %s", name)
		}
	}
	if slices.Contains(got, "d10") || len(dirs) != 2 || len(files) != 3 {
		t.Errorf("pool at start = %v, want d7 and d8 and three files", got)
	}
	if st, err := os.Lstat(filepath.Join(p, "d7")); err == nil && st.Mode() != os.ModeDir|0o700 {
		t.Errorf("d7: mode %v", st.Mode())
	}
	if entries, _ := os.ReadDir(filepath.Join(p, "d7")); len(entries) != 0 {
		t.Errorf("d7 not emptied: %v", entries)
	}
	if len(r.ready[poolDirs]) != 2 || len(r.ready[poolFiles]) != 3 || r.seq <= 24 {
		t.Errorf("ready %v, next number %d", r.ready, r.seq)
	}
}

// Should the pool's directory go, a removal deletes as before, and a
// launch makes its sandbox anew.
func TestPoolDirectoryGone(t *testing.T) {
	dir, r := newPool(t)
	sb := filepath.Join(dir, sandboxesDir, "gone")
	os.Mkdir(sb, 0o700)
	if err := r.put(poolDirs, sb); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, poolDir)); err != nil {
		t.Fatal(err)
	}
	if r.take(poolDirs, sb, 0) {
		t.Error("taken from a pool that is gone")
	}
	os.Mkdir(sb, 0o700)
	if err := r.put(poolDirs, sb); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(sb); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s still there (%v)", sb, err)
	}
}

// What a take hands over looks made then: its times are the take's, not
// the removed attempt's (a block listing its sandbox sees no older date
// than its own start).
func TestPoolTakeIsNew(t *testing.T) {
	dir, r := newPool(t)
	old := time.Now().Add(-48 * time.Hour)
	d := filepath.Join(dir, sandboxesDir, "old")
	f := filepath.Join(dir, outputsDir, "0", "old.stdout")
	os.Mkdir(d, 0o700)
	os.WriteFile(f, nil, 0o600)
	for kind, p := range map[byte]string{poolDirs: d, poolFiles: f} {
		if err := r.put(kind, p); err != nil {
			t.Fatal(err)
		}
	}
	// The pool's entries keep the old times, as a removal long ago left them.
	for _, e := range poolEntries(t, dir) {
		os.Chtimes(filepath.Join(dir, poolDir, e), old, old)
	}
	before := time.Now().Add(-time.Second)
	taken := map[byte]string{
		poolDirs:  filepath.Join(dir, sandboxesDir, "new"),
		poolFiles: filepath.Join(dir, outputsDir, "0", "new.stdout"),
	}
	for kind, p := range taken {
		if !r.take(kind, p, 0o600) {
			t.Fatalf("nothing taken for %s", p)
		}
		st, err := os.Lstat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.ModTime().Before(before) {
			t.Errorf("%s: modified %v, taken after %v", p, st.ModTime(), before)
		}
	}
}
