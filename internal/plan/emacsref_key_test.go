package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
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
		"env name twice": func(in *referenceInputs) { in.Env = append(in.Env, "LANG=C") },
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
	in.Text = append(in.Text, "echo $_\n"...)
	named := in.key()
	in.Env = []string{"LANG=C.UTF-8", "_=/tmp/plan.test", "PATH=/bin"}
	if in.key() != named {
		t.Errorf("the key of a fixture naming _ changes with the program that started go test")
	}
	in = base()
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
	if err := c.store(key, doc, "stopped here", nil); err != nil {
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
	if err := c.store(key, doc, "", nil); err != nil {
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
		if err := c.store(key, []byte(name), "", nil); err != nil {
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

// TestReferenceKeyEnv: the key holds the variables Emacs, shells and
// interpreters read, and those a fixture names; another variable, or the
// Go root's bin go test puts on PATH, leaves it as it is.
func TestReferenceKeyEnv(t *testing.T) {
	goroot := t.TempDir()
	for _, d := range []string{"bin", "pkg/tool"} {
		if err := os.MkdirAll(filepath.Join(goroot, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(goroot, "bin", "go"), nil, 0o755); err != nil {
		t.Fatal(err)
	}
	base := func() referenceInputs {
		return referenceInputs{
			Fixture: "testdata/a.org", Text: []byte("#+begin_src sh\necho $FIXTURE_FOO\n#+end_src\n"),
			Setup: `(setenv "SETUP_VAR" "1")`, Script: "(org-babel-execute-buffer)",
			Env: []string{"PATH=/bin:/usr/bin", "LANG=C.UTF-8"},
		}
	}
	want := base().key()
	for _, kv := range []string{"GOCACHE=/x", "SSH_CONNECTION=1 2 3 4", "GITHUB_RUN_ID=7", "XDG_SESSION_ID=3",
		"BORGES_TEST_STRICT=1", "BORGES_EMACS_DIFF=/d", "BORGES_EMACS_KNOWN_GAPS=1", "BORGES_KNOWN_GAPS=1", "BORGES_INF_RUBY=/r", "BORGES_EMACS_REFERENCE=fresh", "UNRELATED=1"} {
		in := base()
		in.Env = append(in.Env, kv)
		if in.key() != want {
			t.Errorf("%s changes the key", kv)
		}
	}
	in := base()
	in.Env[0] = "PATH=" + filepath.Join(goroot, "bin") + ":/bin:/usr/bin"
	if in.key() != want {
		t.Errorf("the Go root's bin on PATH changes the key")
	}
	for _, kv := range []string{"FIXTURE_FOO=1", "SETUP_VAR=2", "TZ=UTC", "LC_ALL=C",
		"EMACSLOADPATH=/l", "BORGES_X=1", "IFS=:"} {
		in := base()
		in.Env = append(in.Env, kv)
		if in.key() == want {
			t.Errorf("%s does not change the key", kv)
		}
	}
	// What differs from machine to machine, and a fixture's output shows
	// only where it names it (or its language's), changes the key of
	// such a fixture alone.
	for _, c := range []struct{ kv, names string }{
		{"PATH=/usr/bin:/bin", "echo $PATH"}, {"PATH=/usr/bin:/bin", "(executable-find \"ls\")"},
		{"HOME=/h", "cat ~/notes"}, {"HOME=/h", "echo $HOME"}, {"TMPDIR=/t", "ls /tmp"}, {"TMPDIR=/t", "(make-temp-file \"x\")"},
		{"USER=u", "whoami"}, {"LOGNAME=u", "(user-login-name)"}, {"TERM=xterm", "tput cols"},
		{"XDG_CONFIG_HOME=/c", "echo $XDG_CONFIG_HOME"},
		{"PYTHONPATH=/p", "#+begin_src python"}, {"PYENV_VERSION=3.11", "python3 -c 1"}, {"PERL5LIB=/p", "#+begin_src perl"},
		{"GEM_HOME=/g", "#+begin_src ruby"}, {"NODE_PATH=/n", "#+begin_src js"}, {"RUBYOPT=-w", "irb"},
	} {
		in := base()
		in.Text = append(in.Text, c.names...)
		named := in.key()
		in.Env = append(in.Env, c.kv)
		if in.key() == named {
			t.Errorf("%s does not change the key of a fixture holding %q", c.kv, c.names)
		}
		in = base()
		in.Env = append(in.Env, c.kv)
		if in.key() != want {
			t.Errorf("%s changes the key of a fixture naming neither it nor its language", c.kv)
		}
	}
	// Named in a program's file the fixture names (#!/bin/sh): no name
	// of the fixture's; PWD, named, is Emacs's own.
	in = base()
	in.Files = map[string][]byte{"/bin/sh": []byte("\x7fELF\x00PATH OLDPWD HOME")}
	in.Text = append(in.Text, "echo $PWD\n"...)
	bin := in.key()
	in.Env = append(in.Env, "OLDPWD=/o", "HOME=/h", "PWD=/elsewhere")
	in.Env[0] = "PATH=/usr/bin"
	if in.key() != bin {
		t.Errorf("the words of a program's file, or PWD, change the key")
	}
	// Named in a file the fixture reads.
	in = base()
	in.Files = map[string][]byte{"testdata/b.txt": []byte("print(os.environ['HOME'])")}
	named := in.key()
	in.Env = append(in.Env, "HOME=/h")
	if in.key() == named {
		t.Errorf("HOME named in a file the fixture reads does not change its key")
	}
}

// TestReferenceKeyMachines: a fixture's key on a machine laid out
// otherwise (another checkout directory, another TMPDIR, HOME, USER and
// PATH, a session's variables or none of them, go test's Go root first)
// is the same where the fixture names none of them; a fixture naming
// one keeps it.
func TestReferenceKeyMachines(t *testing.T) {
	in := func(text string, env ...string) referenceInputs {
		return referenceInputs{
			Fixture: "testdata/a.org", Text: []byte(text), Files: map[string][]byte{"~/.bashrc": []byte("PS1='$TERM '")},
			Langs: "(shell . t) (python . t)", Setup: `(setq org-babel-python-command "/usr/bin/python3")`,
			Script: "(progn (insert-file-contents \"testdata/a.org\") (org-babel-execute-buffer))",
			Env:    env, Tools: "GNU Emacs 28.2\n9.5.5\n",
		}
	}
	here := []string{"PATH=/usr/local/go/bin:/root/go/bin:/usr/bin:/bin", "HOME=/root", "LANG=C.UTF-8", "TERM=xterm", "USER=root",
		"PWD=/work/wt/a/internal/plan", "XDG_CACHE_HOME=/tmp/c", "PYTHONUNBUFFERED=1", "SHELL=/bin/bash"}
	ci := []string{"PATH=/usr/bin:/bin", "HOME=/home/ci", "LANG=C.UTF-8", "TMPDIR=/var/tmp", "CI=true",
		"PWD=/tmp/clone/internal/plan", "PYTHONUNBUFFERED=1", "SHELL=/bin/bash"}
	for _, text := range []string{"#+begin_src sh\necho a\n#+end_src\n", "#+begin_src python\nprint(1)\n#+end_src\n"} {
		if a, b := in(text, here...).key(), in(text, ci...).key(); a != b {
			t.Errorf("the key of %q differs from machine to machine", text)
		}
	}
	for _, text := range []string{"echo $HOME", "ls /tmp", "echo $PATH", "whoami", "echo $CI"} {
		if a, b := in(text, here...).key(), in(text, ci...).key(); a == b {
			t.Errorf("the key of %q is the same with another HOME, TMPDIR, PATH, USER and CI", text)
		}
	}
	// A variable the fixture's language reads, where it differs.
	py := "#+begin_src python\nprint(1)\n#+end_src\n"
	if in(py, here...).key() == in(py, append(ci[:len(ci):len(ci)], "PYTHONHASHSEED=0")...).key() {
		t.Errorf("PYTHONHASHSEED does not change a Python fixture's key")
	}
}

// TestReferenceEntryLoaded: an entry is used only while the files Emacs
// loaded (and the directories it loads from) are as they were, and for
// referenceMaxAge since it was written, however often it is used.
func TestReferenceEntryLoaded(t *testing.T) {
	dir := t.TempDir()
	lisp := filepath.Join(dir, "lisp")
	if err := os.MkdirAll(lisp, 0o755); err != nil {
		t.Fatal(err)
	}
	lib := filepath.Join(lisp, "ob-python.elc")
	if err := os.WriteFile(lib, []byte("(defun a ())"), 0o644); err != nil {
		t.Fatal(err)
	}
	c := referenceCache{filepath.Join(dir, "ref")}
	key := referenceInputs{Fixture: "testdata/a.org"}.key()
	loaded := []string{lib, lisp, filepath.Join(dir, "missing.elc")}
	stored := func() {
		t.Helper()
		if err := c.store(key, []byte("doc"), "", loaded); err != nil {
			t.Fatal(err)
		}
		if _, _, ok := c.load(key); !ok {
			t.Fatal("an entry just stored is not loaded")
		}
	}
	stored()
	// Same size, same time, another text.
	st, _ := os.Stat(lib)
	if err := os.WriteFile(lib, []byte("(defun b ())"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(lib, st.ModTime(), st.ModTime())
	if _, _, ok := c.load(key); ok {
		t.Errorf("entry used with a loaded file changed")
	}
	stored()
	if err := os.WriteFile(filepath.Join(lisp, "ob-shell.el"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(lisp, st.ModTime().Add(time.Second), st.ModTime().Add(time.Second))
	if _, _, ok := c.load(key); ok {
		t.Errorf("entry used with a file added to a directory Emacs loads from")
	}
	stored()
	if err := os.WriteFile(filepath.Join(dir, "missing.elc"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, ok := c.load(key); ok {
		t.Errorf("entry used with a file Emacs found missing now there")
	}
	os.Remove(filepath.Join(dir, "missing.elc"))
	stored()
	if _, _, why := c.loadAt(key, time.Now().Add(referenceMaxAge+time.Hour)); why == "" {
		t.Errorf("entry used after referenceMaxAge")
	}
	if _, err := os.Stat(c.path(key)); !os.IsNotExist(err) {
		t.Errorf("an entry too old is kept: %v", err)
	}
}

// TestReferenceSettle: once Emacs ran, an entry that differs from what
// it wrote is removed (and said), whether Borges agreed or not; the entry
// is written only when Borges agreed.
func TestReferenceSettle(t *testing.T) {
	// A missing :dir Emacs stopped at is named in the directory each
	// run's Emacs ran in: the same stop in another run's directory.
	stopIn := func(run string) string {
		return DirStopPrefix + "/tmp/TestAgainstEmacsx" + run + "/001/a/c/"
	}
	for _, tc := range []struct {
		name             string
		old              string // the entry's document before ("": none)
		oldStopped       string
		agreed           bool
		wantEntry        bool
		wantSaid         bool
		wantDocAfterward string
	}{
		{"miss, agreed", "", "", true, true, false, "emacs"},
		{"miss, disagreed", "", "", false, false, false, ""},
		{"stale, agreed", "stale", "", true, true, true, "emacs"},
		{"stale, disagreed", "stale", "", false, false, true, ""},
		{"same, disagreed", "emacs", "", false, true, false, "emacs"},
		{"same stop in another run's directory, agreed", "emacs", stopIn("1"), true, true, false, "emacs"},
		{"another stop, agreed", "emacs", DirStopPrefix + "/tmp/TestAgainstEmacsx1/001/b/", true, true, true, "emacs"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := referenceCache{t.TempDir()}
			key := referenceInputs{Fixture: "testdata/a.org"}.key()
			if tc.old != "" {
				if err := c.store(key, []byte(tc.old), tc.oldStopped, nil); err != nil {
					t.Fatal(err)
				}
			}
			stopped := ""
			if tc.oldStopped != "" {
				stopped = stopIn("2")
			}
			said := c.settle(key, []byte("emacs"), stopped, nil, tc.agreed)
			if (said != "") != tc.wantSaid {
				t.Errorf("said %q, want something: %v", said, tc.wantSaid)
			}
			doc, _, ok := c.load(key)
			if ok != tc.wantEntry || string(doc) != tc.wantDocAfterward {
				t.Errorf("entry afterwards %q, %v; want %q, %v", doc, ok, tc.wantDocAfterward, tc.wantEntry)
			}
		})
	}
}

// TestReferenceWiring: TestAgainstEmacs reads the cache (a forged entry
// of a fixture makes its row fail), and BORGES_EMACS_REFERENCE=fresh
// runs Emacs, removes the forged entry and writes Emacs's anew. The row
// runs in this test binary, with a cache of its own.
func TestReferenceWiring(t *testing.T) {
	if _, err := exec.LookPath("emacs"); err != nil {
		t.Skip("no emacs")
	}
	cacheHome := t.TempDir()
	dir := filepath.Join(cacheHome, "borges-emacs-reference")
	// The row runs where testdata holds the fixtures but no committed
	// reference (testdata/emacs), so that the cache is what it uses.
	work := t.TempDir()
	if err := os.Mkdir(filepath.Join(work, "testdata"), 0o755); err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Type().IsRegular() {
			data, err := os.ReadFile(filepath.Join("testdata", f.Name()))
			if err == nil {
				err = os.WriteFile(filepath.Join(work, "testdata", f.Name()), data, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	row := func(mode string) (string, bool) {
		t.Helper()
		cmd := exec.Command(self, "-test.run", "^TestAgainstEmacs$/^standard_input_and_arguments$", "-test.v", "-test.count=1")
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "XDG_CACHE_HOME="+cacheHome, "BORGES_EMACS_REFERENCE="+mode, "BORGES_TEST_STRICT=1")
		out, err := cmd.CombinedOutput()
		if !strings.Contains(string(out), "--- ") {
			t.Fatalf("the row did not run: %v\n%s", err, out)
		}
		return string(out), err == nil
	}
	entry := func() (string, referenceEntry) {
		t.Helper()
		paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		if len(paths) != 1 {
			t.Fatalf("entries: %v, want one", paths)
		}
		var e referenceEntry
		data, err := os.ReadFile(paths[0])
		if err == nil {
			err = json.Unmarshal(data, &e)
		}
		if err != nil {
			t.Fatal(err)
		}
		return paths[0], e
	}
	if out, ok := row(""); !ok {
		t.Fatalf("the row fails:\n%s", out)
	}
	path, e := entry()
	if len(e.Loaded) == 0 {
		t.Errorf("the entry holds no file Emacs loaded")
	}
	emacsDoc := string(e.Doc)
	forged := e
	forged.Doc = append([]byte("forged\n"), e.Doc...)
	forged.Sum = forged.sum()
	data, _ := json.Marshal(forged)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, ok := row(""); ok || !strings.Contains(out, "from the cache") {
		t.Errorf("a forged entry does not fail the row (passed: %v):\n%s", ok, out)
	}
	if out, ok := row("off"); !ok {
		t.Errorf("=off reads the cache:\n%s", out)
	}
	if _, e := entry(); string(e.Doc) != string(forged.Doc) {
		t.Errorf("=off wrote the entry")
	}
	out, ok := row("fresh")
	if !ok || !strings.Contains(out, "disagrees with Emacs") {
		t.Errorf("=fresh does not pass, or does not say the entry disagreed (passed: %v):\n%s", ok, out)
	}
	if _, e := entry(); string(e.Doc) != emacsDoc {
		t.Errorf("=fresh left the forged entry: %q", e.Doc)
	}
}

// TestNamedEnvWords: the expressions that keep a machine's variable in a
// fixture's key match the commands and Lisp that read it, not words that
// hold them (output, which in prose, pretty).
func TestNamedEnvWords(t *testing.T) {
	for _, c := range []struct {
		name, text string
		want       bool
	}{
		{"TERM", "echo $(tput cols)", true}, {"TERM", "stty size", true}, {"TERM", ":results output", false},
		{"PATH", "p=$(which ls)", true}, {"PATH", "ls; which python3", true}, {"PATH", "the block which runs", false},
		{"PATH", "the block\nwhich runs", false},
		{"HOME", "cd\npwd", true}, {"HOME", "cd; ls", true}, {"HOME", "cd /x", false}, {"HOME", "ls ~/x", true},
		{"USER", "id -un", true}, {"USER", "valid -x", false}, {"TMPDIR", "ls /tmp", true},
	} {
		if got := namedEnv[c.name].MatchString(c.text); got != c.want {
			t.Errorf("%s in %q: %v, want %v", c.name, c.text, got, c.want)
		}
	}
}

// TestReferenceKeySitelessPython: the harness's Python (harnessPython, a
// virtual environment first on PATH) is in a fixture's key as the
// interpreter it runs: the row's Lisp naming the environment's python3,
// and PATH with its bin first, give the key they give without it, and the
// tools name no file of it.
func TestReferenceKeySitelessPython(t *testing.T) {
	if harnessPython.bin == "" {
		t.Skip("no harness's Python (no python3 on PATH)")
	}
	emacs := outside.Need(t, "emacs-nox", "emacs")
	text := []byte("#+begin_src python\nprint(1)\n#+end_src\n\n#+begin_src sh\nwhich python3; echo $PATH\n#+end_src\n")
	setup := `(setq org-babel-python-command "%s")`
	script := "(progn %s (org-babel-execute-buffer))"
	rest := strings.Join(slices.DeleteFunc(filepath.SplitList(os.Getenv("PATH")), harnessPython.onPath), string(filepath.ListSeparator))
	keyOf := func(python, path string) string {
		s := fmt.Sprintf(setup, python)
		in, err := referenceInputsOf(emacs, "testdata/a.org", text, "(python . t) (shell . t)", s, false,
			fmt.Sprintf(script, s), []string{"PATH=" + path, "LANG=C.UTF-8"})
		if err != nil {
			t.Fatal(err)
		}
		return in.key()
	}
	venv := filepath.Join(harnessPython.bin, "python3")
	if keyOf(venv, harnessPython.bin+string(filepath.ListSeparator)+rest) != keyOf(harnessPython.base, rest) {
		t.Errorf("the harness's Python changes a fixture's key")
	}
	tools, err := toolVersions(emacs)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(tools, harnessPython.bin) {
		t.Errorf("the tools name the harness's Python's environment:\n%s", tools)
	}
}
