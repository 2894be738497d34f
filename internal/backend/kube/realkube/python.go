package realkube

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/outside"
)

// PythonImage is a Debian-like test image (ImportPython): this
// machine's Debian python3, and its dash as /bin/sh, the rest busybox's.
// No Python image can be pulled without a registry. Its /bin/sh is
// Debian's, as Emacs's is here, so that a shell session in it prompts as
// one in Emacs does (busybox's sh shows the working directory in its
// prompt, which a few of Babel's readings of a session keep).
const PythonImage = "borges-test/python:1"

// hostShell is the Debian /bin/sh the Python image gets.
const hostShell = "/usr/bin/dash"

// hostPython is the Debian interpreter the Python image is made of (not
// one under /usr/local or a version manager: it must find its standard
// library under /usr/lib, where the image has it).
const hostPython = "/usr/bin/python3"

// pythonSkipped are the parts of the standard library a test has no use
// for (its own tests, the GUI), left out of the image to keep it small.
var pythonSkipped = map[string]bool{"test": true, "tests": true, "idlelib": true, "tkinter": true, "turtledemo": true,
	"ensurepip": true, "__pycache__": true, "config-3.11-x86_64-linux-gnu": true}

// lddPath is a library path in ldd's answer.
var lddPath = regexp.MustCompile(`(?m)(/\S+) \(0x`)

// pythonLayer is the busybox layer with python3 added — the
// interpreter, its standard library, and the shared libraries it and its
// extension modules load (as ldd lists them), as regular files where the
// loader looks for them — and dash as /bin/sh.
func pythonLayer() ([]byte, error) {
	bin, err := filepath.EvalSymlinks(hostPython)
	if err != nil {
		return nil, fmt.Errorf("no %s to build the Python test image from (install the Debian package python3)", hostPython)
	}
	out, err := exec.Command(bin, "-c", "import sys, sysconfig; print(sysconfig.get_path('stdlib'))").Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", bin, err)
	}
	stdlib := strings.TrimSpace(string(out))
	if !strings.HasPrefix(stdlib, "/usr/lib/") {
		return nil, fmt.Errorf("%s's standard library is %s, not under /usr/lib", bin, stdlib)
	}
	base, err := busyboxLayer()
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	now := time.Unix(0, 0)
	dirs := map[string]bool{}
	tr := tar.NewReader(bytes.NewReader(base))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		if h.Name == "bin/sh" {
			continue // dash's, below
		}
		if err := tw.WriteHeader(h); err != nil {
			return nil, err
		}
		if _, err := io.Copy(tw, tr); err != nil {
			return nil, err
		}
		if h.Typeflag == tar.TypeDir {
			dirs[strings.TrimSuffix(h.Name, "/")] = true
		}
	}
	var mkdir func(dir string)
	mkdir = func(dir string) {
		if dir == "." || dir == "" || dirs[dir] {
			return
		}
		mkdir(path.Dir(dir))
		dirs[dir] = true
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: 0o755, ModTime: now})
	}
	// add copies the host's file src (links followed) to name in the
	// image.
	add := func(name, src string) error {
		name = strings.TrimPrefix(name, "/")
		data, err := os.ReadFile(src)
		if err != nil {
			return err
		}
		st, err := os.Stat(src)
		if err != nil {
			return err
		}
		mkdir(path.Dir(name))
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: int64(st.Mode().Perm()), Size: int64(len(data)), ModTime: now}); err != nil {
			return err
		}
		_, err = tw.Write(data)
		return err
	}
	if err := add(bin, bin); err != nil {
		return nil, err
	}
	if err := add("bin/sh", hostShell); err != nil {
		return nil, fmt.Errorf("no %s for the Python test image's /bin/sh (install the Debian package dash)", hostShell)
	}
	mkdir("usr/bin")
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "usr/bin/python3", Linkname: filepath.Base(bin), ModTime: now})
	loaded := []string{bin, hostShell}
	err = filepath.WalkDir(stdlib, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && pythonSkipped[d.Name()] {
			return filepath.SkipDir
		}
		if d.IsDir() {
			mkdir(strings.TrimPrefix(p, "/"))
			return nil
		}
		if d.Type()&fs.ModeSymlink != 0 {
			if _, err := os.Stat(p); err != nil {
				return nil // a link to what the image does not have (Debian's sitecustomize)
			}
		}
		if strings.HasSuffix(p, ".so") {
			loaded = append(loaded, p)
		}
		return add(p, p)
	})
	if err != nil {
		return nil, fmt.Errorf("copying %s: %w", stdlib, err)
	}
	libs := map[string]bool{}
	for _, f := range loaded {
		out, err := exec.Command("ldd", f).Output()
		if err != nil {
			continue // not dynamic
		}
		for _, m := range lddPath.FindAllStringSubmatch(string(out), -1) {
			libs[m[1]] = true
		}
	}
	var names []string
	for l := range libs {
		names = append(names, l)
	}
	sort.Strings(names)
	for _, l := range names {
		if err := add(l, l); err != nil {
			return nil, fmt.Errorf("copying %s: %w", l, err)
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ImportPython imports PythonImage into the node's containerd. Without
// the host's python3 it skips the test (fails it under
// BORGES_TEST_STRICT=1).
func (c *Cluster) ImportPython() {
	c.t.Helper()
	layer, err := pythonLayer()
	if err != nil {
		outside.Missing(c.t, "the Python test image: %v", err)
		return
	}
	data, err := archive(layer, []image{{ref: PythonImage, env: []string{"PATH=/usr/bin:/bin"}}})
	if err != nil {
		c.t.Fatal(err)
	}
	c.importArchive(data)
}
