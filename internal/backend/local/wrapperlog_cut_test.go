package local

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/sys/unix"
)

// cutBackDir, in the environment of a copy of the test binary, names the
// directory TestWrapperLogCutsBackAPartialLine's copy appends its lines
// in, under a file size limit.
const cutBackDir = "BORGES_TEST_CUT_BACK_DIR"

// A launch's line that a write cuts short (here the file size limit;
// a full disk alike) is cut off the wrapper log again, so that the next
// line does not join it: the log reads as the whole lines, the one cut
// short named nowhere. The appends run in a copy of the test binary,
// whose file size limit is its own.
func TestWrapperLogCutsBackAPartialLine(t *testing.T) {
	lines := []string{"1234 5 - d.first.0.1\n", "1235 6 - d.second-cut-short.0.2\n", "1236 7 - d.third.0.3\n"}
	if dir := os.Getenv(cutBackDir); dir != "" {
		appendUnderLimit(t, dir, lines)
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestWrapperLogCutsBackAPartialLine$", "-test.count=1")
	cmd.Env = append(os.Environ(), cutBackDir+"="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("the copy appending under a file size limit: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(dir, "1-1"))
	if err != nil {
		t.Fatal(err)
	}
	if want := lines[0] + lines[2]; string(data) != want {
		t.Errorf("the log holds %q, want %q (the line cut short cut off)", data, want)
	}
	var ids []string
	if err := scanWrapperLog(filepath.Join(dir, "1-1"), func(id string, _ wrapperID) { ids = append(ids, id) }); err != nil {
		t.Fatal(err)
	}
	if want := []string{"d.first.0.1", "d.third.0.3"}; !slices.Equal(ids, want) {
		t.Errorf("the log names %v, want %v", ids, want)
	}
}

// appendUnderLimit appends lines to a wrapper log in dir, the second
// under a file size limit that cuts it short (which fails), the others
// whole. The limit is this process's: a copy of the test binary.
func appendUnderLimit(t *testing.T, dir string, lines []string) {
	logs, err := openLogDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer logs.close()
	l, err := newWrapperLog(logs, "1-1")
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	if err := l.append([]byte(lines[0])); err != nil {
		t.Fatal(err)
	}
	var was unix.Rlimit
	if err := unix.Getrlimit(unix.RLIMIT_FSIZE, &was); err != nil {
		t.Fatal(err)
	}
	limit := was
	limit.Cur = uint64(len(lines[0]) + 10) // SIGXFSZ is ignored by Go programs: the write fails with EFBIG
	if err := unix.Setrlimit(unix.RLIMIT_FSIZE, &limit); err != nil {
		t.Fatal(err)
	}
	err = l.append([]byte(lines[1]))
	if rerr := unix.Setrlimit(unix.RLIMIT_FSIZE, &was); rerr != nil {
		t.Fatal(rerr)
	}
	if err == nil {
		t.Fatal("a line past the file size limit was appended")
	}
	if err := l.append([]byte(lines[2])); err != nil {
		t.Fatalf("a line after the one cut off: %v", err)
	}
}
