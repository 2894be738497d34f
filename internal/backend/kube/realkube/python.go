package realkube

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/wallyqs/borges/internal/outside"
)

// PythonImage is a Debian-like test image (ImportPython): this
// machine's Debian python3, and its dash as /bin/sh and stty, the rest
// busybox's.
// No Python image can be pulled without a registry. Its /bin/sh is
// Debian's, as Emacs's is here, so that a shell session in it prompts as
// one in Emacs does (busybox's sh shows the working directory in its
// prompt, which a few of Babel's readings of a session keep).
const PythonImage = "borges-test/python:1"

// hostPython is the Debian interpreter the Python image is made of (not
// one under /usr/local or a version manager: it must find its standard
// library under /usr/lib, where the image has it).
const hostPython = "/usr/bin/python3"

// pythonSkipped are the parts of the standard library a test has no use
// for (its own tests, the GUI), left out of the image to keep it small.
var pythonSkipped = map[string]bool{"test": true, "tests": true, "idlelib": true, "tkinter": true, "turtledemo": true,
	"ensurepip": true, "__pycache__": true, "config-3.11-x86_64-linux-gnu": true}

// pythonLayer is the host layer with python3 — the interpreter, its
// standard library, and the shared libraries it and its extension modules
// load.
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
	return hostLayer{
		files:   []string{bin},
		links:   map[string]string{hostPython: filepath.Base(bin)},
		trees:   []string{stdlib},
		skipped: pythonSkipped,
	}.layer()
}

// ImportPython imports PythonImage into the node's containerd. Without
// the host's python3 it skips the test (fails it under
// BORGES_TEST_STRICT=1).
func (c *Cluster) ImportPython() {
	c.t.Helper()
	c.importHostImage(PythonImage, "Python", pythonLayer, nil)
}

// importHostImage imports the image ref made by layer (a host layer),
// with env in its environment besides PATH, into the node's containerd,
// or skips the test (fails it under BORGES_TEST_STRICT=1) when this
// machine lacks what it is made of.
func (c *Cluster) importHostImage(ref, what string, layer func() ([]byte, error), env []string) {
	c.t.Helper()
	l, err := layer()
	if err != nil {
		outside.Missing(c.t, "the %s test image: %v", what, err)
		return
	}
	data, err := archive(l, []image{{ref: ref, env: append([]string{"PATH=/usr/bin:/bin"}, env...)}})
	if err != nil {
		c.t.Fatal(err)
	}
	c.importArchive(data)
}
