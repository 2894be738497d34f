package taskenv

import (
	"os"
	"os/exec"
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
// (or a missing one), with the same refusal from Go and from the shell
// step, which Refused reads back.
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
			if _, err := exec.LookPath("stat"); err != nil {
				t.Skip("no stat for the shell step")
			}
			cmd := exec.Command("/bin/sh", "-c", MountStep(checks)+`exec "$@"`, "sh", "echo", "ran")
			out, err := cmd.Output()
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			switch {
			case !tc.refused && (err != nil || string(out) != "ran\n"):
				t.Errorf("shell step: %v, stdout %q, stderr %q", err, out, stderr)
			case tc.refused && (cmd.ProcessState.ExitCode() != MountRefused || len(out) != 0):
				t.Errorf("shell step: exit %d, stdout %q: want %d, the program not run", cmd.ProcessState.ExitCode(), out, MountRefused)
			case tc.refused && Refused(stderr) != strings.TrimPrefix(MountRefusal(tc.path), mountRefusalPrefix):
				t.Errorf("shell step's stderr %q, want %q", stderr, MountRefusal(tc.path))
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
