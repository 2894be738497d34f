package taskenv

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func identityOf(t *testing.T, path string) (dev, ino uint64) {
	t.Helper()
	var st syscall.Stat_t
	if err := syscall.Stat(path, &st); err != nil {
		t.Fatal(err)
	}
	return uint64(st.Dev), st.Ino
}

// A mount check passes for the directory it names and refuses another
// (or a missing one), with a refusal Refused reads back.
func TestMountChecks(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	dev, ino := identityOf(t, dir)
	for _, tc := range []struct {
		name, path string
		refused    bool
	}{
		{"the one meant", dir, false},
		{"another", other, true},
		{"missing", filepath.Join(dir, "missing"), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checks := []string{MountCheck(tc.path, dev, ino)}
			err := CheckMounts(checks)
			if (err != nil) != tc.refused {
				t.Fatalf("CheckMounts = %v, refused want %v", err, tc.refused)
			}
			if err != nil && Refused([]byte(err.Error()+"\n")) == "" {
				t.Errorf("Refused does not read %q", err)
			}
		})
	}
	if Refused([]byte("some program's error\n")) != "" {
		t.Errorf("Refused reads what is no refusal")
	}
}

// UnsetMain makes the mount checks among its names before anything:
// a failing one ends it with MountRefused, the program not run.
func TestUnsetMainRefusesMounts(t *testing.T) {
	dir := t.TempDir()
	dev, ino := identityOf(t, dir)
	ran := filepath.Join(dir, "ran")
	if code := UnsetMain([]string{MountCheck(t.TempDir(), dev, ino), "HOME", "--", "/bin/sh", "-c", "echo > " + ran}); code != MountRefused {
		t.Errorf("UnsetMain = %d, want %d", code, MountRefused)
	}
	if _, err := os.Stat(ran); err == nil {
		t.Errorf("the program ran")
	}
}

// The helper makes its working directory (WorkDirArg) and enters it
// after the checks; one it cannot make refuses, naming it.
func TestUnsetMainWorkDir(t *testing.T) {
	dir := t.TempDir()
	dev, ino := identityOf(t, dir)
	t.Chdir(dir)
	work := filepath.Join(dir, "a", "b")
	if names, refused := refuseMounts([]string{MountCheck(dir, dev, ino), WorkDirArg(work), "HOME"}); refused || len(names) != 1 || names[0] != "HOME" {
		t.Fatalf("refuseMounts = %q, %v", names, refused)
	}
	if wd, err := os.Getwd(); err != nil || wd != work {
		t.Errorf("working directory %q (%v), want %q", wd, err, work)
	}
	if fi, err := os.Stat(work); err != nil || fi.Mode().Perm() != 0o755&^umask() {
		t.Errorf("made %v (%v)", fi.Mode(), err)
	}
	blocked := filepath.Join(dir, "file")
	if err := os.WriteFile(blocked, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, refused := refuseMounts([]string{WorkDirArg(filepath.Join(blocked, "c"))}); !refused {
		t.Errorf("a working directory beneath a file entered")
	}
	line := mountRefusalPrefix + workDirRefusal + blocked + "/c: mkdir " + blocked + ": not a directory\n"
	if got := Refused([]byte(line)); got != strings.TrimPrefix(strings.TrimSuffix(line, "\n"), mountRefusalPrefix) {
		t.Errorf("Refused(%q) = %q", line, got)
	}
}

// umask is the process's file mode creation mask.
func umask() os.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return os.FileMode(m)
}
