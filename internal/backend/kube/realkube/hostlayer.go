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
)

// hostShell is the Debian /bin/sh the images made of this machine's
// programs get: a session's shell prompts in them as Emacs's does here
// (busybox's sh shows the working directory in its prompt, which a few of
// Babel's readings of a session keep).
const hostShell = "/usr/bin/dash"

// hostStty is the Debian stty (GNU coreutils') the images made of this
// machine's programs get, as Emacs's sessions here have it: it reports a
// terminal's window as the kernel has it, where busybox's reports a window
// with no rows (a session's, 0×0 as in Emacs) as $LINES (else 24) by
// $COLUMNS (80 in a session's environment, as in Emacs's), so that
// `stty size` there prints "24 80" (libbb/xfuncs.c,
// get_terminal_width_height).
const hostStty = "/usr/bin/stty"

// hostTools are the programs of busybox's layer a host layer replaces
// with this machine's (image path → host file).
var hostTools = map[string]string{"bin/sh": hostShell, "bin/stty": hostStty}

// hostLayer says which of this machine's files an image made of them
// holds besides busybox's: no interpreter image can be pulled without a
// registry, so the tests' are made of the host's Debian packages.
type hostLayer struct {
	// files are copied (links followed) to the same paths.
	files []string
	// links are symbolic links made in the image (name → target), as the
	// host has them (python3 → python3.11).
	links map[string]string
	// trees are directories copied whole, but for the directories named
	// in skipped (a library's own tests...).
	trees   []string
	skipped map[string]bool
}

// lddPath is a library path in ldd's answer.
var lddPath = regexp.MustCompile(`(?m)(/\S+) \(0x`)

// layer is the busybox layer with dash as /bin/sh and Debian's stty, the files and trees,
// and the shared libraries those of them that are programs or loadable
// modules (.so) load, as ldd lists them, as regular files where the
// loader looks for them.
func (h hostLayer) layer() ([]byte, error) {
	base, err := busyboxLayer()
	if err != nil {
		return nil, err
	}
	w := newLayerWriter()
	if err := w.copyLayer(base, hostTools); err != nil {
		return nil, err
	}
	if err := w.add("bin/sh", hostShell); err != nil {
		return nil, fmt.Errorf("no %s for the image's /bin/sh (install the Debian package dash): %w", hostShell, err)
	}
	if err := w.add("bin/stty", hostStty); err != nil {
		return nil, fmt.Errorf("no %s for the image's stty (install the Debian package coreutils): %w", hostStty, err)
	}
	loaded := []string{hostShell, hostStty}
	for _, f := range h.files {
		if err := w.add(f, f); err != nil {
			return nil, err
		}
		loaded = append(loaded, f)
	}
	var names []string
	for name := range h.links {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		w.link(name, h.links[name])
	}
	for _, tree := range h.trees {
		err := filepath.WalkDir(tree, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && h.skipped[d.Name()] {
				return filepath.SkipDir
			}
			if d.IsDir() {
				w.mkdir(strings.TrimPrefix(p, "/"))
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
			return w.add(p, p)
		})
		if err != nil {
			return nil, fmt.Errorf("copying %s: %w", tree, err)
		}
	}
	for _, l := range lddClosure(loaded) {
		if err := w.add(l, l); err != nil {
			return nil, fmt.Errorf("copying %s: %w", l, err)
		}
	}
	return w.close()
}

// lddClosure is every shared library ldd lists for the files (ldd lists
// what they load indirectly too), sorted; files that are not dynamic
// programs or libraries (scripts) have none.
func lddClosure(files []string) []string {
	libs := map[string]bool{}
	for _, f := range files {
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
	return names
}

// layerWriter writes a layer's tar, making each file's directories once.
type layerWriter struct {
	buf  bytes.Buffer
	tw   *tar.Writer
	dirs map[string]bool
	now  time.Time
}

func newLayerWriter() *layerWriter {
	w := &layerWriter{dirs: map[string]bool{}, now: time.Unix(0, 0)}
	w.tw = tar.NewWriter(&w.buf)
	return w
}

// copyLayer copies a layer's entries but those named in skip.
func (w *layerWriter) copyLayer(layer []byte, skip map[string]string) error {
	tr := tar.NewReader(bytes.NewReader(layer))
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, ok := skip[h.Name]; ok {
			continue
		}
		if err := w.tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := io.Copy(w.tw, tr); err != nil {
			return err
		}
		if h.Typeflag == tar.TypeDir {
			w.dirs[strings.TrimSuffix(h.Name, "/")] = true
		}
	}
}

func (w *layerWriter) mkdir(dir string) {
	if dir == "." || dir == "" || w.dirs[dir] {
		return
	}
	w.mkdir(path.Dir(dir))
	w.dirs[dir] = true
	w.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: dir + "/", Mode: 0o755, ModTime: w.now})
}

// add copies the host's file src (links followed) to name in the image.
func (w *layerWriter) add(name, src string) error {
	name = strings.TrimPrefix(name, "/")
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	st, err := os.Stat(src)
	if err != nil {
		return err
	}
	w.mkdir(path.Dir(name))
	if err := w.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: int64(st.Mode().Perm()), Size: int64(len(data)), ModTime: w.now}); err != nil {
		return err
	}
	_, err = w.tw.Write(data)
	return err
}

// link makes the symbolic link name → target.
func (w *layerWriter) link(name, target string) {
	name = strings.TrimPrefix(name, "/")
	w.mkdir(path.Dir(name))
	w.tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, ModTime: w.now})
}

func (w *layerWriter) close() ([]byte, error) {
	if err := w.tw.Close(); err != nil {
		return nil, err
	}
	return w.buf.Bytes(), nil
}
