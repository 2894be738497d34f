package plan

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// postDirStop is the error org-babel-execute-buffer stops with at task
// t's block, blk, once its own program has run, where the block its
// :post calls starts its process in a directory certainly missing then;
// "" where it does not, or where that is not certain from the document.
// org-babel-execute-src-block resolves the :post inside its binding of
// default-directory to blk's :dir, so the callee's relative :dir is
// expanded under it (:dir a, a callee's :dir c: a/c), and a callee of
// none runs there: an Emacs Lisp block runs with a missing :dir (no
// process), its :post's process does not (checked with Emacs 28.2:
// fixtures hunt19_gap_post_joined_dir, hunt19_gap_elisp_missing_dir,
// postdir_*). No results are written for blk, nor for the blocks after.
//
// Planned only where every program that runs before the callee is one
// whose directories are known: a shell program of literal mkdir and
// commands that make none (literalShellDirs), blk's own too, or an
// Emacs Lisp body that is a constant; the rest as dirStop (what Babel
// makes, babelMadeBefore's care, a visited document, Lisp evaluated,
// sessions, :cache, :stdin, a language Org cannot run, no stop). The
// callee's own references are none but *this* (its :post's run is its
// task alone), it is no Emacs Lisp block and has no :mkdirp. The
// directory is named relative to the document's, with Emacs's "/".
// postsOf is postsByOwner of the plan's tasks, found once for all blocks.
func (b *builder) postDirStop(blk *org.Block, t *Task, postsOf map[string][]*Task) string {
	doc := b.doc
	if _, ok := blk.Args.Get("post"); !ok {
		return ""
	}
	if !ownPlainRun(doc, blk, t) || !literalVars(blk) {
		return ""
	}
	posts := postsOf[t.Block]
	if len(posts) != 1 {
		return ""
	}
	pt, cb := posts[0], b.blocks[posts[0]]
	if cb == nil || !b.postRunsAlone(pt, t) || !startsProcess(cb) {
		return ""
	}
	dir := path.Clean(pt.Dir)
	if !SandboxFile(dir) {
		return ""
	}
	own, ok := plainDir(blk)
	if !ok {
		return ""
	}
	made, ok := madeBefore(doc, blk, t, func(x *org.Block, made map[string]bool) ([]string, bool) {
		d, ok := plainDir(x)
		if !ok || d != "." && !made[d] && !slices.Contains(babelMadeDirs(x, true), d) {
			// Its own :dir may be missing: Emacs may stop there.
			return nil, false
		}
		if _, post := x.Args.Get("post"); post {
			return nil, false // its callee runs too
		}
		return literalShellDirs(doc, x, d, made)
	})
	if !ok {
		return ""
	}
	if elispLangs[blk.Lang] {
		if !elispConstant(doc, blk) {
			return ""
		}
	} else {
		if own != "." && !made[own] {
			return "" // Emacs stops before blk runs (dirStop), where certain
		}
		dirs, ok := literalShellDirs(doc, blk, own, made)
		if !ok {
			return ""
		}
		for _, d := range dirs {
			made[d] = true // its parents too where mkdir made them
		}
	}
	if made[dir] {
		return ""
	}
	return DirStopPrefix + dir + "/"
}

// postRunsAlone reports whether pt, the task of t's :post, is all the
// :post runs: it refers to t alone (its *this*), reads no :stdin nor
// noweb reference, evaluates no Lisp and is no session's or cache's.
func (b *builder) postRunsAlone(pt, t *Task) bool {
	if pt.Session != nil || pt.Cache || pt.stdin != nil || pt.lispVar != nil || len(pt.postLispVars) > 0 ||
		len(pt.nowebRefs) > 0 || pt.postLink {
		return false
	}
	for _, a := range b.refersTo(pt) {
		if a != t.Block {
			return false
		}
	}
	return true
}

// startsProcess reports whether cb, the block a :post calls, starts a
// process in its default-directory that Babel does not make: a language
// Org 9.5 runs by a process (not Emacs Lisp), no :mkdirp, no :stdin, no
// :cache yes, no Lisp read, a :dir (if any) a plain string.
func startsProcess(cb *org.Block) bool {
	if elispLangs[cb.Lang] || noOrgExecute[cb.Lang] || readsLisp(cb) {
		return false
	}
	if m, ok := cb.Args.Get("mkdirp"); ok && m != "no" && m != "nil" {
		return false
	}
	if _, ok := cb.Args.Get("stdin"); ok {
		return false
	}
	if c, _ := cb.Args.Get("cache"); c == "yes" {
		return false // Babel may take its results as they stand
	}
	_, ok := plainDir(cb)
	return ok
}

// plainDir is x's :dir, cleaned, relative to the document's directory
// ("." for none), ok false where it is Lisp, a number, or outside it.
func plainDir(x *org.Block) (string, bool) {
	a, ok := x.Args.Lookup("dir")
	if !ok {
		return ".", true
	}
	if !a.String && (isLispForm(a.Value) || isNumber(a.Value)) {
		return "", false
	}
	d := path.Clean(a.Value)
	return d, d == "." || SandboxFile(d)
}

// literalVars reports whether every :var value of x is a literal string
// or number: no reference (which runs a block), no Lisp.
func literalVars(x *org.Block) bool {
	for _, raw := range x.Vars {
		_, rhs, ok := strings.Cut(raw, "=")
		rhs = strings.TrimSpace(rhs)
		if !ok || !isNumber(rhs) && !(len(rhs) >= 2 && rhs[0] == '"' && rhs[len(rhs)-1] == '"' && !strings.Contains(rhs[1:len(rhs)-1], `"`)) {
			return false
		}
	}
	return true
}

// elispConstant reports whether x, an Emacs Lisp block, evaluates a
// constant: a string with no escape, a number, nil or t, and nothing
// else of its program (a :prologue, a noweb reference).
func elispConstant(doc *org.Document, x *org.Block) bool {
	texts := programTexts(doc, x)
	if len(texts) != 1 {
		return false
	}
	s := strings.TrimSpace(texts[0])
	return elispPlainString.MatchString(s) || isNumber(s) || s == "nil" || s == "t"
}

var elispPlainString = regexp.MustCompile(`^"[^"\\]*"$`)

// shellUnread are the characters of a shell program whose effect
// literalShellDirs does not model (a redirection, a noweb reference, an
// escape, a comment): any of them gives the program up.
const shellUnread = "<>\\#"

// shellSeparator ends a shell command, where the next begins: a list's,
// a pipe's, a command substitution's, a subshell's or group's. The
// commands a substitution runs are read as commands; a mkdir's is read
// only between plainSeparators.
var shellSeparator = regexp.MustCompile("\\$\\(|&&|\\|\\||[`;|&(){}\n]")

// plainSeparators are those a mkdir read stands between (or the
// program's start or end): after any other its names may go on (mkdir
// $(echo c), mkdir c`echo d`, fish's mkdir (echo c)), or it may run in
// a subshell or group, on a condition, in the background, or not at all.
var plainSeparators = map[string]bool{"": true, ";": true, "\n": true}

// makesNoDir are shell commands that make no directory and run nothing
// else.
var makesNoDir = map[string]bool{"echo": true, "printf": true, "true": true, "false": true, ":": true, "pwd": true,
	"basename": true, "dirname": true, "cat": true, "date": true, "sleep": true, "test": true, "[": true}

// literalName is a directory name mkdir is given with nothing the shell
// expands in it.
var literalName = regexp.MustCompile(`^[A-Za-z0-9_.][A-Za-z0-9_./-]*$`)

// literalShellDirs are the directories, relative to the document's, that
// shell block x, run in dir (relative to the document's, known to
// exist), makes, those of known made before it: those its literal mkdir
// commands make (mkdirMakes), each of them, parents included; ok is
// false where that is not certain: not a shell, run in a session, given
// a :stdin, a reference or Lisp in its :var values or header, a noweb
// expansion taking in a heading's body, any of shellUnread, a mkdir
// not between plainSeparators (but for one that certainly does not
// run, neverRuns, which makes none: only in the program as Babel joins
// it, shellProgram, alone and plainShellText), or one after an open quote (an argument
// of another command), or any command but mkdir with literal names and
// those of makesNoDir (a script, cd, a loop, a function may make any
// directory, under any name).
func literalShellDirs(doc *org.Document, x *org.Block, dir string, known map[string]bool) (dirs []string, ok bool) {
	if !shellNames[x.Lang] || x.Call != nil || readsLisp(x) || !literalVars(x) || doc.NowebTakesHeading(x) || sessionOrStdin(x) {
		return nil, false
	}
	texts := []string{shellProgram(x)}
	for _, y := range doc.NowebIncluded(x) {
		texts = append(texts, y.Body)
	}
	v, cmdline := x.Args.Get("cmdline")
	if cmdline {
		texts = append(texts, v)
	}
	_, shebang := x.Args.Get("shebang")
	for t, text := range texts {
		if strings.ContainsAny(text, shellUnread) {
			return nil, false
		}
		// Where a mkdir on a condition may be known not to run: the
		// program as Babel joins it, alone, of plain text.
		certain := t == 0 && len(texts) == 1 && !cmdline && !shebang && plainShellText(text)
		cmds := shellListedCommands(text)
		for i, c := range cmds {
			name := shellListedName(c.words)
			switch {
			case certain && x.Lang == "bash" && eatsScript(text, c):
				// Nothing after its line runs.
				return dirs, true
			case name == "":
			case makesNoDir[name]:
			case name == "mkdir":
				if strings.Count(text[:c.start], `"`)%2 != 0 || strings.Count(text[:c.start], "'")%2 != 0 {
					return nil, false
				}
				if !plainAll(c.before) || !plainAll(c.after) {
					if certain && i > 0 && neverRuns(cmds[i-1], c) {
						continue // it makes nothing
					}
					return nil, false
				}
				made, ok := mkdirMakes(c.words[1:], dir, func(p string) bool { return p == dir || known[p] || slices.Contains(dirs, p) })
				if !ok {
					return nil, false
				}
				dirs = append(dirs, made...)
			default:
				return nil, false
			}
		}
	}
	return dirs, true
}

// eatsScript reports whether command c of bash program text (given to
// bash on standard input, as ob-shell gives a plain block's script,
// plainShellText) is a cat that certainly reads that input, the rest of
// the script, lines that then never run: cat alone or given "-", in no
// list, pipe or substitution, its line ending the command bash read with
// it (bash reads a seekable input by whole commands and seeks back to
// their end; checked with Emacs 28.2: fixture postdir_bash_cat_eats, and
// a group or subshell round it too). A cat on the line of the commands
// after it (bash has read them), one on a condition, given a file or
// an option, or a shell that reads its input otherwise (dash, sh here,
// reads a small script whole before it runs it: fixture
// postdir_cat_runs_on) is read as what it is, a command that makes no
// directory, the commands after it as running: what they make is then
// what they may make, a stop given up, not planned.
func eatsScript(text string, c shellListed) bool {
	if len(c.words) == 0 || c.words[0] != "cat" || len(c.words) > 2 || len(c.words) == 2 && c.words[1] != "-" {
		return false
	}
	end := strings.IndexByte(text[c.start:], '\n')
	if end < 0 {
		return false // nothing after it
	}
	depth := 0
	for _, sep := range shellSeparator.FindAllString(text[:c.start+end], -1) {
		switch sep {
		case ";", "\n":
		case "{", "(":
			depth++
		case "}", ")":
			depth--
		default:
			return false
		}
		if depth < 0 {
			return false
		}
	}
	return depth == 0
}

// shellProgram is the program Babel runs for shell block x, as
// org-babel-expand-body:generic joins it, by newlines: its :prologue, a
// line per :var (an assignment; one stands for them all here, its
// value of no matter: literalVars lets only literal ones through), its
// body and its :epilogue. A :prologue ending in an operator takes the
// body's first command into its list, as an :epilogue's first joins
// the body's last.
func shellProgram(x *org.Block) string {
	var parts []string
	if v, ok := x.Args.Get("prologue"); ok {
		parts = append(parts, v)
	}
	if len(x.Vars) > 0 {
		parts = append(parts, "borges_var=")
	}
	parts = append(parts, x.Body)
	if v, ok := x.Args.Get("epilogue"); ok {
		parts = append(parts, v)
	}
	return strings.Join(parts, "\n")
}

// plainShellText reports whether shell program text is one neverRuns
// may read: printable ASCII, tabs and newlines alone (sh takes a
// non-breaking space, a carriage return, a form feed for part of a
// word, where strings.Fields splits at them), and no quote (a quoted
// word is not the command true, a separator within quotes separates
// nothing).
func plainShellText(text string) bool {
	for i := 0; i < len(text); i++ {
		if b := text[i]; b != '\t' && b != '\n' && (b < 0x20 || b > 0x7e) || b == '"' || b == '\'' {
			return false
		}
	}
	return true
}

// shellListed is a command of a shell program as literalShellDirs
// reads it: the text between shellSeparators holding a word, from
// start, its words but the variables it sets before, and the
// separators between it and the command before (or the program's
// start), and the one after (or the end): where a line breaks after
// an operator, the operator and the line's end.
type shellListed struct {
	start         int
	words         []string
	before, after []string
}

// shellListedCommands are the commands of shell program text, split at
// shellSeparator.
func shellListedCommands(text string) []shellListed {
	var cmds []shellListed
	var seps []string
	start := 0
	for _, sep := range append(shellSeparator.FindAllStringIndex(text, -1), []int{len(text), len(text)}) {
		if words := strings.Fields(text[start:sep[0]]); len(words) > 0 {
			for len(words) > 0 && shellAssignment.MatchString(words[0]) {
				words = words[1:]
			}
			if len(cmds) > 0 {
				cmds[len(cmds)-1].after = seps
			}
			cmds = append(cmds, shellListed{start: start, words: words, before: seps})
			seps = nil
		}
		if sep[1] > sep[0] {
			seps = append(seps, text[sep[0]:sep[1]])
		}
		start = sep[1]
	}
	if len(cmds) > 0 {
		cmds[len(cmds)-1].after = seps
	}
	return cmds
}

// shellListedName is the command words run, its quotes taken out; ""
// for none (it sets variables alone).
func shellListedName(words []string) string {
	if len(words) == 0 {
		return ""
	}
	return strings.NewReplacer(`"`, "", "'", "").Replace(words[0])
}

// plainAll reports whether every separator of seps is a plainSeparator
// (none is too).
func plainAll(seps []string) bool {
	for _, s := range seps {
		if !plainSeparators[s] {
			return false
		}
	}
	return true
}

// neverRuns reports whether command c certainly does not run (the
// program read being plainShellText, joined as Babel joins it), where
// prev is the command before it: prev begins a list (plainSeparators
// before it), c ends it (plainSeparators after it), and the one
// operator between them, the line perhaps breaking after it, runs c
// only where prev fails and prev is true or :, or only where it
// succeeds and prev is false (true || mkdir c, false && mkdir c).
func neverRuns(prev, c shellListed) bool {
	if !plainAll(prev.before) || !plainAll(c.after) || len(c.before) == 0 {
		return false
	}
	for _, s := range c.before[1:] {
		if s != "\n" {
			return false
		}
	}
	switch name := shellListedName(prev.words); c.before[0] {
	case "||":
		return name == "true" || name == ":"
	case "&&":
		return name == "false"
	}
	return false
}

// mkdirMakes are the directories, relative to the document's, that a
// mkdir given args makes run in dir, those before it known to exist
// where exists says so: a name whose parent exists (or an earlier name
// made), or with -p (before the names) the name and each parent below
// dir, which exists. ok is false where a name is not literal,
// not clean (./x, x/, x/.. name what mkdir may not make), outside the
// document's directory, or where there is none (cut short by what the
// shell expands, say).
func mkdirMakes(args []string, dir string, exists func(string) bool) (made []string, ok bool) {
	parents := slices.Contains(args, "-p") || slices.Contains(args, "--parents")
	named := false
	for _, w := range args {
		if w == "-p" || w == "--parents" || w == "-v" {
			if named {
				return nil, false // GNU mkdir takes it, another may make a directory "-p"
			}
			continue
		}
		d := path.Join(dir, w)
		if !literalName.MatchString(w) || w != path.Clean(w) || slices.Contains(strings.Split(w, "/"), "..") ||
			d != "." && !SandboxFile(d) {
			return nil, false
		}
		named = true
		if !parents {
			// mkdir reports the name whose parent is missing and
			// goes on to the next.
			if p := path.Dir(d); d != dir && (exists(p) || slices.Contains(made, p)) {
				made = append(made, d)
			}
			continue
		}
		for p := d; p != dir; p = path.Dir(p) {
			made = append(made, p)
		}
	}
	return made, named
}

// shellAssignment is a word that sets a shell variable before a command.
var shellAssignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
