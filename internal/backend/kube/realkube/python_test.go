package realkube

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// unpackLayer unpacks a host layer alone (nothing of this machine beside
// it) into a directory to be entered with chroot.
func unpackLayer(t *testing.T, layer func() ([]byte, error)) string {
	t.Helper()
	if os.Geteuid() != 0 {
		outside.Missing(t, "chroot needs root")
		return ""
	}
	data, err := layer()
	if err != nil {
		outside.Missing(t, "%v", err)
		return ""
	}
	t.Logf("layer: %d MiB", len(data)>>20)
	root := t.TempDir()
	tr := tar.NewReader(bytes.NewReader(data))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(root, h.Name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(p, os.FileMode(h.Mode)|0o700); err != nil {
				t.Fatal(err)
			}
		case tar.TypeSymlink:
			if err := os.Symlink(h.Linkname, p); err != nil {
				t.Fatal(err)
			}
		case tar.TypeReg:
			data, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, os.FileMode(h.Mode)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

// checkDebianShell: a host layer's sh is dash, whose interactive prompt
// is Emacs's here, and its stty Debian's, which reports a window with no
// size as 0×0, as Emacs's here does (busybox's reports 24×80 with
// COLUMNS=80).
func checkDebianShell(t *testing.T, root string) {
	t.Helper()
	stty := exec.Command("chroot", root, "/bin/sh", "-c", "stty --version")
	stty.Env = []string{"PATH=/usr/bin:/bin"}
	if out, err := stty.CombinedOutput(); err != nil || !bytes.Contains(out, []byte("GNU coreutils")) {
		t.Fatalf("stty --version in the image: %v: %q", err, out)
	}
	cmd := exec.Command("chroot", root, "/bin/sh", "-i")
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	cmd.Stdin = bytes.NewReader([]byte("echo hi\n"))
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.HasSuffix(out, []byte("\n# hi\n# \n")) {
		t.Fatalf("sh -i in the image: %v: %q", err, out)
	}
}

// TestPythonLayer: the Python image's layer, unpacked alone and entered
// with chroot, runs python3 with what a Python session's host program
// imports, and its sh prompts as Debian's does.
func TestPythonLayer(t *testing.T) {
	root := unpackLayer(t, pythonLayer)
	if root == "" {
		return
	}
	cmd := exec.Command("chroot", root, "/bin/sh", "-c",
		`python3 -c 'import ast, builtins, io, json, os, pprint, sys, tempfile, traceback, types; print(json.dumps(pprint.pformat([1, 2])))'`)
	cmd.Env = []string{"PATH=/usr/bin:/bin"}
	out, err := cmd.CombinedOutput()
	if err != nil || string(out) != "\"[1, 2]\"\n" {
		t.Fatalf("python3 in the image: %v: %q", err, out)
	}
	checkDebianShell(t, root)
}
