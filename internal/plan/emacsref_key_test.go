package plan

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestReferenceKeyInputs: each input of a fixture's reference changes its
// key; only the variables saying where go test started, and
// BORGES_EMACS_REFERENCE=fresh (which rewrites the entry), do not.
func TestReferenceKeyInputs(t *testing.T) {
	base := func() referenceInputs {
		return referenceInputs{
			Fixture: "testdata/a.org", Text: []byte("#+begin_src sh\necho a\n#+end_src\n"),
			Files: map[string][]byte{"testdata/b.txt": []byte("b"), "~/.bashrc": nil},
			Langs: "(shell . t)", Setup: `(setq org-babel-python-command "python3")`,
			Script: "(progn (org-babel-execute-buffer))", Env: []string{"PATH=/bin", "LANG=C.UTF-8", "PWD=/x"},
			Tools: "GNU Emacs 28.2\n9.5.5\n",
		}
	}
	changes := map[string]func(*referenceInputs){
		"fixture":    func(in *referenceInputs) { in.Fixture = "testdata/c.org" },
		"text":       func(in *referenceInputs) { in.Text = append(in.Text, '\n') },
		"file text":  func(in *referenceInputs) { in.Files["testdata/b.txt"] = []byte("c") },
		"file added": func(in *referenceInputs) { in.Files["testdata/c.txt"] = nil },
		"file renamed": func(in *referenceInputs) {
			in.Files["testdata/b2.txt"] = in.Files["testdata/b.txt"]
			delete(in.Files, "testdata/b.txt")
		},
		"start file":     func(in *referenceInputs) { in.Files["~/.bashrc"] = []byte("PS1=x") },
		"langs":          func(in *referenceInputs) { in.Langs = "(shell . t) (python . t)" },
		"setup":          func(in *referenceInputs) { in.Setup = `(setq org-babel-python-command "python3.11")` },
		"visit":          func(in *referenceInputs) { in.Visit = true },
		"script":         func(in *referenceInputs) { in.Script = "(progn (org-babel-execute-buffer) (save-buffer))" },
		"env value":      func(in *referenceInputs) { in.Env[1] = "LANG=C" },
		"env added":      func(in *referenceInputs) { in.Env = append(in.Env, "TZ=UTC") },
		"env name twice": func(in *referenceInputs) { in.Env = append(in.Env, "PATH=/usr/bin") },
		"tools":          func(in *referenceInputs) { in.Tools = "GNU Emacs 28.2\n9.6\n" },
		"parts moved":    func(in *referenceInputs) { in.Langs, in.Setup = in.Langs+in.Setup, "" },
	}
	want := base().key()
	if again := base().key(); again != want {
		t.Fatalf("the same inputs give two keys: %s, %s", want, again)
	}
	for name, change := range changes {
		in := base()
		change(&in)
		if in.key() == want {
			t.Errorf("%s: the key does not change", name)
		}
	}
	// Where go test was started is no input; the order of other
	// variables is none either.
	in := base()
	in.Env = []string{"LANG=C.UTF-8", "PWD=/elsewhere", "OLDPWD=/y", "_=/usr/bin/go", "PATH=/bin", "BORGES_EMACS_REFERENCE=fresh"}
	if in.key() != want {
		t.Errorf("the key changes with PWD, OLDPWD, _, BORGES_EMACS_REFERENCE or the order of the variables")
	}
}

// TestFixtureFilesRead: the files a fixture's key holds are those whose
// base name it names, the absolute paths of files it names, and the
// shells' start files.
func TestFixtureFilesRead(t *testing.T) {
	dir := t.TempDir()
	td := filepath.Join(dir, "testdata")
	home := filepath.Join(dir, "home")
	for path, text := range map[string]string{
		"testdata/a.org": "", "testdata/data.txt": "d", "testdata/other.txt": "o",
		"abs.txt": "x", "home/.bashrc": "PS1=h", "home/notes.txt": "n",
	} {
		p := filepath.Join(dir, path)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text := []byte("cat data.txt " + filepath.Join(dir, "abs.txt") + " /dev/null /proc/self/stat [[~/notes.txt]]")
	files, err := fixtureFiles(filepath.Join(td, "a.org"), text, home)
	if err != nil {
		t.Fatal(err)
	}
	if string(files[filepath.ToSlash(filepath.Join(td, "data.txt"))]) != "d" {
		t.Errorf("the testdata file named is not read: %q", files)
	}
	if _, ok := files[filepath.ToSlash(filepath.Join(td, "other.txt"))]; ok {
		t.Errorf("a testdata file not named is read")
	}
	if string(files[filepath.Join(dir, "abs.txt")]) != "x" {
		t.Errorf("the absolute path named is not read: %q", files)
	}
	if string(files[filepath.Join(home, "notes.txt")]) != "n" {
		t.Errorf("the path in ~ named is not read: %q", files)
	}
	if _, ok := files["/proc/self/stat"]; ok {
		t.Errorf("a file of /proc is read")
	}
	if string(files["~/.bashrc"]) != "PS1=h" {
		t.Errorf("~/.bashrc of HOME is not read: %q", files["~/.bashrc"])
	}
	if v, ok := files["~/.profile"]; !ok || v != nil {
		t.Errorf("a start file HOME lacks is not held as none: %q, %v", v, ok)
	}
}

// TestReferenceCache: an entry stored is loaded; a missing, cut,
// changed or another key's entry is none.
func TestReferenceCache(t *testing.T) {
	c := referenceCache{filepath.Join(t.TempDir(), "ref")}
	key := referenceInputs{Fixture: "testdata/a.org"}.key()
	if _, _, ok := c.load(key); ok {
		t.Fatal("an entry found in an empty cache")
	}
	doc := []byte("* a\n#+RESULTS:\n: 1\n")
	if err := c.store(key, doc, "stopped here"); err != nil {
		t.Fatal(err)
	}
	got, stopped, ok := c.load(key)
	if !ok || string(got) != string(doc) || stopped != "stopped here" {
		t.Fatalf("stored %q, %q; loaded %q, %q, %v", doc, "stopped here", got, stopped, ok)
	}
	if tmps, _ := filepath.Glob(filepath.Join(c.dir, "*.tmp")); len(tmps) != 0 {
		t.Errorf("temporary files left: %v", tmps)
	}
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		t.Fatal(err)
	}
	other := referenceInputs{Fixture: "testdata/b.org"}.key()
	for name, bad := range map[string][]byte{
		"cut":     data[:len(data)/2],
		"empty":   nil,
		"changed": changedDoc(data),
	} {
		if err := os.WriteFile(c.path(key), bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if got, _, ok := c.load(key); ok {
			t.Errorf("%s entry loaded: %q", name, got)
		}
	}
	// An entry of one key in another key's file is not that key's.
	if err := os.WriteFile(c.path(other), data, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := c.load(other); ok {
		t.Errorf("another key's entry loaded")
	}
	// Stored again, an entry is whole again.
	if err := c.store(key, doc, ""); err != nil {
		t.Fatal(err)
	}
	if got, stopped, ok := c.load(key); !ok || string(got) != string(doc) || stopped != "" {
		t.Errorf("stored again: loaded %q, %q, %v", got, stopped, ok)
	}
}

// changedDoc is an entry's file with one byte of its document changed.
func changedDoc(data []byte) []byte {
	bad := slices.Clone(data)
	i := bytes.Index(bad, []byte(`"Doc":"`)) + len(`"Doc":"`)
	bad[i] ^= 1
	return bad
}

// TestReferenceCacheTrim: trim removes the entries unused for
// referenceUnused and old temporary files; an entry loaded is used anew.
func TestReferenceCacheTrim(t *testing.T) {
	c := referenceCache{t.TempDir()}
	now := time.Now()
	keys := map[string]time.Time{"old": now.Add(-referenceUnused - time.Hour), "used": now.Add(-referenceUnused - time.Hour), "new": now.Add(-time.Hour)}
	for name, at := range keys {
		key := referenceInputs{Fixture: name}.key()
		if err := c.store(key, []byte(name), ""); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(c.path(key), at, at); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, ok := c.load(referenceInputs{Fixture: "used"}.key()); !ok {
		t.Fatal("entry not loaded")
	}
	tmp := filepath.Join(c.dir, "x.1.tmp")
	if err := os.WriteFile(tmp, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(tmp, now.Add(-48*time.Hour), now.Add(-48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := c.trim(now); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"old": false, "used": true, "new": true} {
		if _, _, ok := c.load(referenceInputs{Fixture: name}.key()); ok != want {
			t.Errorf("entry %s kept: %v, want %v", name, ok, want)
		}
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Errorf("old temporary file kept: %v", err)
	}
}
