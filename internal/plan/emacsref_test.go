package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// The reference cache: what Emacs wrote for a fixture (its document and
// the error that stopped org-babel-execute-buffer), kept outside the
// repository, in the user's cache directory, as Go keeps the results of
// tests. Running the reference Emacs is about half the CPU TestAgainstEmacs
// takes; an entry is used only where everything that decides what Emacs
// writes is as it was (referenceInputs, hashed into the entry's key), and
// only the Emacs side is kept: Borges's side always runs.
// BORGES_EMACS_REFERENCE=fresh runs Emacs and writes the entry anew,
// =off neither reads nor writes entries.

// referenceMode is BORGES_EMACS_REFERENCE: "" (use the cache), "fresh"
// or "off".
func referenceMode() string { return os.Getenv("BORGES_EMACS_REFERENCE") }

// referenceInputs is everything that decides what the reference Emacs
// writes for a fixture.
type referenceInputs struct {
	Fixture string // the fixture's name (testdata/NAME.org)
	Text    []byte // its text
	// Files are the other files it may read: the testdata files whose
	// base name its text holds, the absolute paths it holds that name a
	// file, the files shells and interpreters read when they start
	// (path: text, "" for none).
	Files map[string][]byte
	// Langs, Setup, Visit: the row's fields.
	Langs, Setup string
	Visit        bool
	// Script is the Lisp the harness gives Emacs, the fixture's path
	// in it made its name.
	Script string
	// Env is the environment Emacs runs with, but for the variables
	// that say only where the test was started (volatileEnv).
	Env []string
	// Tools are Emacs's and Org's versions and each interpreter's
	// version and file (toolVersions).
	Tools string
}

// volatileEnv are the variables left out of a key: the directory the
// shell starting go test was in (and its last program), which no Emacs
// of a fixture reads (it runs in a directory of its own), and
// BORGES_EMACS_REFERENCE, read by the harness only (fresh rewrites the
// entry it would read).
var volatileEnv = map[string]bool{"PWD": true, "OLDPWD": true, "_": true, "BORGES_EMACS_REFERENCE": true}

// key hashes the inputs, each part named and its length given, so that no
// two inputs hash alike by moving bytes from one part to the next.
func (in referenceInputs) key() string {
	h := sha256.New()
	part := func(name string, data []byte) {
		fmt.Fprintf(h, "%s %d\n", name, len(data))
		h.Write(data)
	}
	part("version", []byte("borges-emacs-reference 1"))
	part("fixture", []byte(in.Fixture))
	part("text", in.Text)
	names := make([]string, 0, len(in.Files))
	for name := range in.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		part("file", []byte(name))
		part("data", in.Files[name])
	}
	part("langs", []byte(in.Langs))
	part("setup", []byte(in.Setup))
	part("visit", []byte(fmt.Sprint(in.Visit)))
	part("script", []byte(in.Script))
	env := slices.Clone(in.Env)
	// The last of a name is the one a program sees: sorting keeps them
	// in order (stable).
	sort.SliceStable(env, func(i, j int) bool { return envName(env[i]) < envName(env[j]) })
	for _, kv := range env {
		if !volatileEnv[envName(kv)] {
			part("env", []byte(kv))
		}
	}
	part("tools", []byte(in.Tools))
	return hex.EncodeToString(h.Sum(nil))
}

func envName(kv string) string {
	name, _, _ := strings.Cut(kv, "=")
	return name
}

// startFiles are the files shells and interpreters read when they start
// (~: the HOME Emacs has), kept in every key.
var startFiles = []string{
	"/etc/bash.bashrc", "/etc/profile", "/etc/inputrc", "/etc/environment",
	"~/.bashrc", "~/.bash_profile", "~/.bash_login", "~/.profile", "~/.inputrc",
	"~/.emacs_bash", "~/.emacs_sh", "~/.emacs_dash", "~/.irbrc", "~/.pythonrc",
}

// absolutePath finds the absolute paths a fixture's text names, and
// those in the home directory (~/).
var absolutePath = regexp.MustCompile(`~?/[^\s"'()\[\]<>|;,=:*]+`)

// fixtureFiles are the files a fixture's Emacs may read besides the
// fixture (referenceInputs.Files): each testdata file whose base name
// text holds, each absolute path (or path in ~) it holds that names a
// regular file, and startFiles, home standing for ~.
func fixtureFiles(fixture string, text []byte, home string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(filepath.Dir(fixture), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path == fixture || !bytes.Contains(text, []byte(d.Name())) {
			return err
		}
		data, err := os.ReadFile(path)
		files[filepath.ToSlash(path)] = data
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, p := range absolutePath.FindAll(text, -1) {
		path := string(p)
		if rest, ok := strings.CutPrefix(path, "~/"); ok {
			path = filepath.Join(home, rest)
		}
		path = filepath.Clean(path)
		if strings.HasPrefix(path, "/proc/") || strings.HasPrefix(path, "/sys/") || strings.HasPrefix(path, "/dev/") {
			continue
		}
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			files[path] = data
		}
	}
	for _, f := range startFiles {
		path := f
		if rest, ok := strings.CutPrefix(f, "~/"); ok {
			path = filepath.Join(home, rest)
		}
		data, err := os.ReadFile(path)
		if err != nil && !os.IsNotExist(err) {
			return nil, err
		}
		files[f] = data
	}
	return files, nil
}

// toolPrograms are the programs a fixture's Emacs may start, each with
// the arguments that make it give its version.
var toolPrograms = [][]string{
	{"python3", "--version"}, {"ruby", "--version"}, {"node", "--version"},
	{"perl", "-e", `print "$^V $^X"`}, {"bash", "--version"},
	{"sh", "-c", "echo"}, {"dash", "-c", "echo"},
}

var (
	toolsOnce sync.Once
	tools     string
	toolsErr  error
)

// toolVersions is what the reference depends on outside the fixture and
// the harness: `emacs --version`, Org's version and where Emacs loads it
// from, and for each program a fixture's Emacs may start (toolPrograms,
// found on PATH), its path, the file it resolves to (size, time), and the
// version it gives. Found once for the test binary.
func toolVersions(emacs string) (string, error) {
	toolsOnce.Do(func() {
		var b strings.Builder
		describe := func(path string) {
			real, err := filepath.EvalSymlinks(path)
			if err != nil {
				fmt.Fprintf(&b, "%s: %v\n", path, err)
				return
			}
			st, err := os.Stat(real)
			if err != nil {
				fmt.Fprintf(&b, "%s: %v\n", real, err)
				return
			}
			fmt.Fprintf(&b, "%s -> %s %d %s\n", path, real, st.Size(), st.ModTime().UTC())
		}
		describe(emacs)
		out, err := exec.Command(emacs, "-Q", "--batch", "--eval",
			`(progn (require 'org) (princ (emacs-version)) (terpri) (princ (org-version nil t)) (terpri) (princ (locate-library "org")) (terpri) (princ (locate-library "ob-core")))`).CombinedOutput()
		if err != nil {
			toolsErr = fmt.Errorf("emacs's and Org's versions: %v\n%s", err, out)
			return
		}
		b.Write(out)
		for _, lib := range strings.Fields(string(out)) {
			if strings.HasSuffix(lib, ".elc") || strings.HasSuffix(lib, ".el") || strings.HasSuffix(lib, ".el.gz") {
				describe(lib)
			}
		}
		for _, argv := range toolPrograms {
			path, err := exec.LookPath(argv[0])
			if err != nil {
				fmt.Fprintf(&b, "%s: none\n", argv[0])
				continue
			}
			describe(path)
			// The program's own failure is part of what it is.
			out, _ := exec.Command(path, argv[1:]...).CombinedOutput()
			fmt.Fprintf(&b, "%s\n", out)
		}
		tools = b.String()
	})
	return tools, toolsErr
}

// referenceCache holds reference entries in dir, one file a key.
type referenceCache struct{ dir string }

// userReferenceCache is the cache in the user's cache directory.
func userReferenceCache() (referenceCache, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return referenceCache{}, err
	}
	return referenceCache{filepath.Join(dir, "borges-emacs-reference")}, nil
}

// referenceEntry is an entry's file: Sum, the hash of the key, document
// and error, tells an entry whole from one cut or changed.
type referenceEntry struct {
	Key     string
	Doc     []byte
	Stopped string
	Sum     string
}

func (e referenceEntry) sum() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%d\n", e.Key, len(e.Doc))
	h.Write(e.Doc)
	h.Write([]byte(e.Stopped))
	return hex.EncodeToString(h.Sum(nil))
}

func (c referenceCache) path(key string) string { return filepath.Join(c.dir, key+".json") }

// load gives the entry of key, ok false when there is none or it is not
// whole.
func (c referenceCache) load(key string) (doc []byte, stopped string, ok bool) {
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return nil, "", false
	}
	var e referenceEntry
	if json.Unmarshal(data, &e) != nil || e.Key != key || e.Sum != e.sum() {
		return nil, "", false
	}
	// An entry used is marked so (its time, an hour at most behind),
	// so that trim keeps it.
	if st, err := os.Stat(c.path(key)); err == nil && time.Since(st.ModTime()) > time.Hour {
		now := time.Now()
		os.Chtimes(c.path(key), now, now)
	}
	return e.Doc, e.Stopped, true
}

// referenceUnused is how long an entry stays unused before trim removes
// it (Go's test cache keeps its entries five days).
const referenceUnused = 30 * 24 * time.Hour

// trim removes the entries unused for referenceUnused and the temporary
// files of writes that did not finish a day ago.
func (c referenceCache) trim(now time.Time) error {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		age := now.Sub(info.ModTime())
		name := e.Name()
		if strings.HasSuffix(name, ".json") && age > referenceUnused || strings.HasSuffix(name, ".tmp") && age > 24*time.Hour {
			if err := os.Remove(filepath.Join(c.dir, name)); err != nil && !os.IsNotExist(err) {
				return err
			}
		}
	}
	return nil
}

var trimOnce sync.Once

// trimmed is c, trimmed once for the test binary.
func (c referenceCache) trimmed() referenceCache {
	trimOnce.Do(func() { c.trim(time.Now()) })
	return c
}

// store writes the entry of key: to a file of its own, renamed into
// place, so that a reader finds the entry whole or none.
func (c referenceCache) store(key string, doc []byte, stopped string) error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	e := referenceEntry{Key: key, Doc: doc, Stopped: stopped}
	e.Sum = e.sum()
	data, err := json.Marshal(e)
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(c.dir, key+".*.tmp")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), c.path(key))
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// referenceKey is the key of a fixture's reference: its inputs, the
// files it may read found with home as ~ (Emacs's HOME in env).
func referenceKey(emacs, fixture string, text []byte, langs, setup string, visit bool, script string, env []string) (string, error) {
	tools, err := toolVersions(emacs)
	if err != nil {
		return "", err
	}
	home := os.Getenv("HOME")
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "HOME="); ok {
			home = v
		}
	}
	files, err := fixtureFiles(fixture, text, home)
	if err != nil {
		return "", err
	}
	return referenceInputs{
		Fixture: fixture, Text: text, Files: files,
		Langs: langs, Setup: setup, Visit: visit,
		Script: script, Env: env, Tools: tools,
	}.key(), nil
}
