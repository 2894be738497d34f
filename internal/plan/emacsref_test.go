package plan

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
// =off neither reads nor writes entries; =status runs nothing and reports
// what the committed entries are worth here (referenceTally); =record
// runs Emacs alone for each fixture whose committed entry is missing or of
// other inputs and writes it (Borges's side is held to it by the next run).

// referenceMode is BORGES_EMACS_REFERENCE: "" (use the cache), "fresh",
// "off", "status" or "record".
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
	// Env is the environment Emacs runs with; the key holds of it the
	// variables Emacs, shells and interpreters read and those the
	// fixture names (referenceEnv).
	Env []string
	// Tools are Emacs's and Org's versions and each interpreter's
	// version and file (toolVersions).
	Tools string
}

// keptEnv are the variables Emacs, shells and interpreters read that a
// key holds whatever the fixture (keptEnvPrefixes: those whose names
// begin so); namedEnv, those it holds only for a fixture that names them
// (as a word, or by a match of the expression given: Lisp or commands
// that read them), since they differ from machine to machine and Emacs's output
// does not show them otherwise (the home directory's start files and the
// interpreters found on PATH are in the key by their text: fixtureFiles,
// toolVersions); langEnvPrefixes, those of a language's interpreter, held
// for a fixture that names the language; harnessEnv are the harness's
// own, left out.
var (
	keptEnv = map[string]bool{
		"SHELL": true, "ESHELL": true, "LANG": true, "LANGUAGE": true, "TZ": true,
		"INFOPATH": true, "INSIDE_EMACS": true, "BASH_ENV": true, "ENV": true,
		"CDPATH": true, "GLOBIGNORE": true, "IFS": true, "POSIXLY_CORRECT": true, "INPUTRC": true,
		"PS1": true, "PS2": true, "PS3": true, "PS4": true, "PROMPT_COMMAND": true,
		"LD_PRELOAD": true, "LD_LIBRARY_PATH": true,
	}
	keptEnvPrefixes = []string{"LC_", "EMACS", "HISTFILE", "BORGES_"}
	namedEnv        = map[string]*regexp.Regexp{
		"PATH":   regexp.MustCompile("exec-path|executable-find|command -v|[;|&(`]\\s*which\\s"),
		"HOME":   regexp.MustCompile(`(?m)~/|"~"|home-directory|abbreviate-file-name|(^|[\s;(])cd\s*($|[;)])`),
		"TMPDIR": regexp.MustCompile(`/tmp|temporary-file|make-temp|mktemp|tempfile|gettempdir`),
		"USER":   userEnv, "LOGNAME": userEnv,
		"TERM": ttyEnv, "COLUMNS": ttyEnv, "LINES": ttyEnv,
	}
	userEnv         = regexp.MustCompile(`user-login-name|user-real-login-name|user-full-name|whoami|\bid -[un]|getlogin|getpwuid|getuser`)
	ttyEnv          = regexp.MustCompile("(^|[\\s;|&(`])(tput|stty)\\b|/dev/tty")
	langEnvPrefixes = map[string][]string{
		"PYTHON": {"python"}, "PYENV": {"python"}, "VIRTUAL_ENV": {"python"},
		"RUBY": {"ruby", "irb"}, "GEM_": {"ruby", "irb", "gem"}, "BUNDLE_": {"ruby", "irb", "gem"}, "IRBRC": {"ruby", "irb"},
		"NODE_": {"node", "(js", "src js", "javascript"}, "PERL": {"perl"},
	}
	harnessEnv = map[string]bool{
		"BORGES_EMACS_REFERENCE": true, "BORGES_EMACS_DIFF": true, "BORGES_EMACS_KNOWN_GAPS": true, "BORGES_TEST_STRICT": true,
		// Which rows run, and where inf-ruby is (the row's Lisp, in the
		// key, names its directory).
		"BORGES_KNOWN_GAPS": true, "BORGES_INF_RUBY": true,
	}
)

var envWord = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// referenceEnv is what a key holds of env given the texts Emacs reads (the
// fixture, the files it names, the row's Lisp): the variables in keptEnv
// (or with a prefix of keptEnvPrefixes), those of namedEnv the texts
// name (as they are written), those of langEnvPrefixes whose
// language they name (in any case), and any variable whose name they hold
// as a word; harnessEnv, XDG_SESSION_*, _ (the program the shell that
// started go test ran) and PWD (Emacs gives its processes their own, and
// its Lisp none) left out, PATH without the Go
// root's bin go test puts first (goRootBin) and the harness's Python's
// (harnessPython).
func referenceEnv(env []string, texts ...string) []string {
	named := map[string]bool{}
	for _, text := range texts {
		for _, w := range envWord.FindAllString(text, -1) {
			named[w] = true
		}
	}
	mentions := func(words []string) bool {
		for _, text := range texts {
			text = strings.ToLower(text)
			for _, w := range words {
				if strings.Contains(text, w) {
					return true
				}
			}
		}
		return false
	}
	matches := func(re *regexp.Regexp) bool {
		for _, text := range texts {
			if re.MatchString(text) {
				return true
			}
		}
		return false
	}
	var kept []string
	for _, kv := range env {
		name, value, _ := strings.Cut(kv, "=")
		keep := keptEnv[name] || named[name]
		for _, p := range keptEnvPrefixes {
			keep = keep || strings.HasPrefix(name, p)
		}
		if re, ok := namedEnv[name]; ok && !keep {
			keep = matches(re)
		}
		for p, words := range langEnvPrefixes {
			keep = keep || strings.HasPrefix(name, p) && mentions(words)
		}
		if !keep || harnessEnv[name] || name == "_" || name == "PWD" || strings.HasPrefix(name, "XDG_SESSION_") {
			continue
		}
		if name == "PATH" {
			var dirs []string
			for _, d := range filepath.SplitList(value) {
				if !goRootBin(d) && !harnessPython.onPath(d) {
					dirs = append(dirs, d)
				}
			}
			kv = "PATH=" + strings.Join(dirs, string(filepath.ListSeparator))
		}
		kept = append(kept, kv)
	}
	return kept
}

// goRootBin is whether dir is a Go root's bin (go, and ../pkg/tool).
func goRootBin(dir string) bool {
	if dir == "" {
		return false
	}
	if st, err := os.Stat(filepath.Join(dir, "go")); err != nil || !st.Mode().IsRegular() {
		return false
	}
	st, err := os.Stat(filepath.Join(dir, "..", "pkg", "tool"))
	return err == nil && st.IsDir()
}

// inputPart is one named part of a fixture's inputs: the key hashes
// them all; a committed entry keeps each one's digest (inputDigests), so
// that an entry of other inputs names the parts that differ.
type inputPart struct {
	name string
	data []byte
}

// parts are the inputs, in an order of their own (files and variables by
// name).
func (in referenceInputs) parts() []inputPart {
	ps := []inputPart{
		{"version", []byte("borges-emacs-reference 4")},
		{"fixture", []byte(in.Fixture)},
		{"text", in.Text},
	}
	names := make([]string, 0, len(in.Files))
	for name := range in.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ps = append(ps, inputPart{"file " + name, in.Files[name]})
	}
	ps = append(ps,
		inputPart{"langs", []byte(in.Langs)},
		inputPart{"setup", []byte(in.Setup)},
		inputPart{"visit", []byte(fmt.Sprint(in.Visit))},
		inputPart{"script", []byte(in.Script)})
	texts := []string{string(in.Text), in.Langs, in.Setup, in.Script}
	for _, name := range names {
		// A program's file (a shebang's /bin/sh) holds the names of
		// every variable it reads: no text of the fixture's.
		if data := in.Files[name]; !startFile[name] && !bytes.Contains(data, []byte{0}) {
			texts = append(texts, string(data))
		}
	}
	env := referenceEnv(in.Env, texts...)
	// The last of a name is the one a program sees: sorting keeps them
	// in order (stable), and a name given twice is one part.
	sort.SliceStable(env, func(i, j int) bool { return envName(env[i]) < envName(env[j]) })
	for i, kv := range env {
		if i+1 < len(env) && envName(env[i+1]) == envName(kv) {
			continue
		}
		ps = append(ps, inputPart{"env " + envName(kv), []byte(kv)})
	}
	// The tools a line each, named by the program or library a line
	// describes ("PATH -> FILE SUM"), or by its place.
	for i, line := range strings.Split(in.Tools, "\n") {
		name := fmt.Sprintf("tools line %d", i+1)
		if path, _, ok := strings.Cut(line, " -> "); ok {
			name = "tool " + path
		}
		ps = append(ps, inputPart{name, []byte(line)})
	}
	return ps
}

// key hashes the inputs, each part named and its length given, so that no
// two inputs hash alike by moving bytes from one part to the next.
func (in referenceInputs) key() string {
	h := sha256.New()
	for _, p := range in.parts() {
		fmt.Fprintf(h, "%d %s\n%d\n", len(p.name), p.name, len(p.data))
		h.Write(p.data)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// inputDigests are the digests of the inputs' parts by name, as a
// committed entry keeps them (short: they name what differs, the key
// decides).
func (in referenceInputs) inputDigests() map[string]string {
	m := map[string]string{}
	for _, p := range in.parts() {
		sum := sha256.Sum256(p.data)
		m[p.name] = hex.EncodeToString(sum[:6])
	}
	return m
}

// differingInputs names the parts whose digests differ between was (an
// entry's) and now, sorted: "env PYTHONUNBUFFERED" for a variable one
// side has and the other has not or has otherwise.
func differingInputs(was, now map[string]string) []string {
	var names []string
	for name, d := range now {
		if was[name] != d {
			names = append(names, name)
		}
	}
	for name := range was {
		if _, ok := now[name]; !ok {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
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
	// ~user expands through the password database (links_users.org).
	"/etc/passwd", "/etc/localtime",
}

// startFile: whether a name is one of startFiles (in every key: their
// text names no variable of a fixture's).
var startFile = func() map[string]bool {
	m := map[string]bool{}
	for _, f := range startFiles {
		m[f] = true
	}
	return m
}()

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
		if err == nil && d.IsDir() && filepath.ToSlash(path) == filepath.ToSlash(filepath.Join(filepath.Dir(fixture), "emacs")) {
			// The committed references (committedDir): Emacs's output.
			return fs.SkipDir
		}
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
// the arguments that make it give its version and, on its last line, the
// file it runs as (a shim, pyenv's, runs another).
var toolPrograms = [][]string{
	{"python3", "-c", "import sys; print(sys.version); print(sys.executable)"},
	{"ruby", "-e", "puts RUBY_DESCRIPTION; puts RbConfig.ruby"},
	{"node", "-e", "console.log(process.version); console.log(process.execPath)"},
	{"perl", "-e", `print "$^V\n$^X\n"`}, {"bash", "--version"},
	{"sh", "-c", "echo"}, {"dash", "-c", "echo"},
}

var (
	toolsOnce sync.Once
	tools     string
	toolsErr  error
)

// toolVersions is what the reference depends on outside the fixture and
// the harness: `emacs --version`, Org's version and where Emacs loads it
// and the modes Babel's languages use from, the files Emacs runs and
// loads (its dump, Org's directory whole) by their text's hash, and for
// each program a fixture's Emacs may start (toolPrograms, found on PATH),
// its path, the file it resolves to (its text's hash), and the version it
// gives: what is the same on another machine with the same programs,
// wherever and whenever they were installed. Found once for the test
// binary.
func toolVersions(emacs string) (string, error) {
	toolsOnce.Do(func() {
		var b strings.Builder
		describe := func(path string) {
			real, err := filepath.EvalSymlinks(path)
			if err != nil {
				fmt.Fprintf(&b, "%s: %v\n", path, err)
				return
			}
			sum, err := fileSum(real)
			if err != nil {
				fmt.Fprintf(&b, "%s: %v\n", real, err)
				return
			}
			fmt.Fprintf(&b, "%s -> %s %s\n", path, real, sum)
		}
		describe(emacs)
		out, err := exec.Command(emacs, "-Q", "--batch", "--eval",
			`(progn (require 'org) (princ (emacs-version)) (terpri) (princ (org-version nil t)) (terpri) (princ (locate-library "org")) (terpri) (princ (locate-library "ob-core")) (terpri) (dolist (lib '("comint" "python" "ruby-mode" "js" "perl-mode" "cperl-mode" "sh-script" "shell")) (princ (locate-library lib)) (terpri)) (princ (or (cdr (assq 'dump-file-name (pdumper-stats))) "no-dump")))`).CombinedOutput()
		if err != nil {
			toolsErr = fmt.Errorf("emacs's and Org's versions: %v\n%s", err, out)
			return
		}
		b.Write(out)
		for _, lib := range strings.Fields(string(out)) {
			if strings.HasSuffix(lib, ".elc") || strings.HasSuffix(lib, ".el") || strings.HasSuffix(lib, ".el.gz") || strings.HasSuffix(lib, ".pdmp") {
				describe(lib)
			}
			// Org's directory whole: every ob-*.elc a fixture may load.
			if strings.HasSuffix(lib, "/org.elc") {
				libs, _ := filepath.Glob(filepath.Join(filepath.Dir(lib), "*.elc"))
				for _, l := range libs {
					describe(l)
				}
			}
		}
		// Asked in a directory of its own under TMPDIR, as Emacs runs
		// a fixture's (a .python-version above it picks a Python).
		dir, err := os.MkdirTemp("", "borges-tools")
		if err != nil {
			toolsErr = err
			return
		}
		defer os.RemoveAll(dir)
		for _, argv := range toolPrograms {
			path, err := exec.LookPath(argv[0])
			if err != nil {
				fmt.Fprintf(&b, "%s: none\n", argv[0])
				continue
			}
			// The harness's Python is the interpreter it runs.
			path = harnessPython.unseen(path)
			describe(path)
			// The program's own failure is part of what it is.
			cmd := exec.Command(path, argv[1:]...)
			cmd.Dir = dir
			out, _ := cmd.CombinedOutput()
			fmt.Fprintf(&b, "%s\n", out)
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if real := strings.TrimSpace(lines[len(lines)-1]); filepath.IsAbs(real) {
				describe(real)
			}
		}
		tools = b.String()
	})
	return tools, toolsErr
}

// fileSum is the hash of path's text: a tool is the same on another
// machine when its text is (not its time).
func fileSum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d %x", n, h.Sum(nil)), nil
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

// referenceEntry is an entry's file: Emacs's document and error, when
// it was written, the files Emacs loaded (and the directories it loads
// from) as they were then; Sum, the hash of the rest, tells an entry
// whole from one cut or changed.
type referenceEntry struct {
	Key     string
	Doc     []byte
	Stopped string
	Written time.Time
	Loaded  []loadedFile
	Sum     string
}

func (e referenceEntry) sum() string {
	e.Sum = ""
	data, _ := json.Marshal(e)
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// loadedFile is a file or directory as it was: Size -1 when there was
// none; Hash, of a small regular file's text (a change that keeps its
// size and time).
type loadedFile struct {
	Path    string
	Size    int64
	ModTime int64
	Hash    string `json:",omitempty"`
}

// smallLoaded is the size up to which a loaded file's text is hashed.
const smallLoaded = 64 << 10

func statLoaded(path string) loadedFile {
	f := loadedFile{Path: path, Size: -1}
	st, err := os.Stat(path)
	if err != nil {
		return f
	}
	f.Size, f.ModTime = st.Size(), st.ModTime().UnixNano()
	if st.IsDir() {
		f.Size = 0
	} else if st.Mode().IsRegular() && st.Size() <= smallLoaded {
		if data, err := os.ReadFile(path); err == nil {
			h := sha256.Sum256(data)
			f.Hash = hex.EncodeToString(h[:])
		}
	}
	return f
}

// referenceMaxAge is how long after it was written an entry is used at
// most, used or not: a nondeterministic Emacs's answer is not kept for
// ever.
const referenceMaxAge = 7 * 24 * time.Hour

func (c referenceCache) path(key string) string { return filepath.Join(c.dir, key+".json") }

// load gives the entry of key, ok false when there is none, it is not
// whole, too old, or a file Emacs loaded changed (loadAt).
func (c referenceCache) load(key string) (doc []byte, stopped string, ok bool) {
	e, found, why := c.loadAt(key, time.Now())
	if !found || why != "" {
		return nil, "", false
	}
	return e.Doc, e.Stopped, true
}

// read gives the entry in key's file, found false when there is none
// whole.
func (c referenceCache) read(key string) (e referenceEntry, found bool) {
	data, err := os.ReadFile(c.path(key))
	if err != nil {
		return e, false
	}
	if json.Unmarshal(data, &e) != nil || e.Key != key || e.Sum != e.sum() {
		return referenceEntry{}, false
	}
	return e, true
}

// loadAt gives the entry of key at now, and why it is not to be used
// ("" when it is): an entry written referenceMaxAge before now, or one a
// file Emacs loaded has changed since, is removed.
func (c referenceCache) loadAt(key string, now time.Time) (e referenceEntry, found bool, why string) {
	e, found = c.read(key)
	if !found {
		return e, false, ""
	}
	if now.Sub(e.Written) > referenceMaxAge {
		why = fmt.Sprintf("written %s, more than %s before", e.Written.Format(time.RFC3339), referenceMaxAge)
	}
	for _, f := range e.Loaded {
		if why == "" && statLoaded(f.Path) != f {
			why = "changed since Emacs loaded it: " + f.Path
		}
	}
	if why != "" {
		os.Remove(c.path(key))
		return e, true, why
	}
	// An entry used is marked so (its time, an hour at most behind),
	// so that trim keeps it.
	if st, err := os.Stat(c.path(key)); err == nil && time.Since(st.ModTime()) > time.Hour {
		now := time.Now()
		os.Chtimes(c.path(key), now, now)
	}
	return e, true, ""
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

// settle keeps what Emacs wrote for key (doc, stopped, having loaded
// the files loaded) once Emacs ran: an entry that differs from it is
// removed, whether Borges agreed or not (a key missing an input shows so),
// and what settle did about it said; the entry is written (anew) when
// Borges agreed.
func (c referenceCache) settle(key string, doc []byte, stopped string, loaded []string, agreed bool) (said string) {
	// The stop is compared as Borges gives it: a missing directory Emacs
	// names in the directory that run's Emacs ran in is the same stop in
	// another run's.
	if old, found := c.read(key); found && (string(old.Doc) != string(doc) || stoppedInDocDir(old.Stopped) != stoppedInDocDir(stopped)) {
		said = "the cached reference " + c.path(key) + " disagrees with Emacs (the key misses an input): removed"
		if err := os.Remove(c.path(key)); err != nil && !os.IsNotExist(err) {
			said += fmt.Sprintf(" (%v)", err)
		}
	}
	if agreed {
		if err := c.store(key, doc, stopped, loaded); err != nil {
			return strings.TrimPrefix(said+"; ", "; ") + fmt.Sprintf("reference not cached: %v", err)
		}
		if said != "" {
			said += ", and written anew"
		}
	}
	return said
}

// store writes the entry of key: to a file of its own, renamed into
// place, so that a reader finds the entry whole or none.
func (c referenceCache) store(key string, doc []byte, stopped string, loaded []string) error {
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	e := referenceEntry{Key: key, Doc: doc, Stopped: stopped, Written: time.Now().UTC()}
	for _, path := range loaded {
		e.Loaded = append(e.Loaded, statLoaded(path))
	}
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

// referenceInputsOf are the inputs of a fixture's reference (its key
// is theirs), the files it may read found with home as ~ (Emacs's HOME
// in env).
func referenceInputsOf(emacs, fixture string, text []byte, langs, setup string, visit bool, script string, env []string) (referenceInputs, error) {
	tools, err := toolVersions(emacs)
	if err != nil {
		return referenceInputs{}, err
	}
	home := os.Getenv("HOME")
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "HOME="); ok {
			home = v
		}
	}
	files, err := fixtureFiles(fixture, text, home)
	if err != nil {
		return referenceInputs{}, err
	}
	return referenceInputs{
		Fixture: fixture, Text: text, Files: files,
		Langs: langs, Setup: harnessPython.unseen(setup), Visit: visit,
		Script: harnessPython.unseen(script), Env: env, Tools: tools,
	}, nil
}
