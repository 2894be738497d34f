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
	if t.called != nil || t.lispVar != nil || t.Index < 0 || t.Cache || blk.Call != nil ||
		doc.Visit.Dir != "" || readsLisp(blk) || noOrgExecute[blk.Lang] || !literalVars(blk) {
		return ""
	}
	if s, ok := blk.Args.Get("session"); ok && s != "none" {
		return ""
	}
	if _, ok := blk.Args.Get("stdin"); ok {
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
		return literalShellDirs(doc, x, d)
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
		dirs, ok := literalShellDirs(doc, blk, own)
		if !ok {
			return ""
		}
		for _, d := range dirs {
			for ; d != "."; d = path.Dir(d) {
				made[d] = true
			}
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

// shellSeparators end a shell command, where the next begins (a command
// substitution's included).
var shellSeparators = strings.NewReplacer("$(", "\n", "`", "\n", "&&", "\n", "||", "\n", ";", "\n", "|", "\n",
	"&", "\n", "(", "\n", ")", "\n", "{", "\n", "}", "\n")

// makesNoDir are shell commands that make no directory and run nothing
// else.
var makesNoDir = map[string]bool{"echo": true, "printf": true, "true": true, "false": true, ":": true, "pwd": true,
	"basename": true, "dirname": true, "cat": true, "date": true, "sleep": true, "test": true, "[": true}

// literalName is a directory name mkdir is given with nothing the shell
// expands in it.
var literalName = regexp.MustCompile(`^[A-Za-z0-9_.][A-Za-z0-9_./-]*$`)

// literalShellDirs are the directories, relative to the document's, that
// shell block x, run in dir (relative to the document's), makes: those
// its literal mkdir commands name, with their parents; ok is false where
// that is not certain: not a shell, run in a session, given a :stdin, a
// reference or Lisp in its :var values or header, a noweb expansion
// taking in a heading's body, a redirection, or any command but mkdir
// with literal names and those of makesNoDir (a script, cd, a loop, a
// function may make any directory, under any name).
func literalShellDirs(doc *org.Document, x *org.Block, dir string) (dirs []string, ok bool) {
	if !shellNames[x.Lang] || x.Call != nil || readsLisp(x) || !literalVars(x) || doc.NowebTakesHeading(x) {
		return nil, false
	}
	if s, ok := x.Args.Get("session"); ok && s != "none" {
		return nil, false
	}
	if _, ok := x.Args.Get("stdin"); ok {
		return nil, false
	}
	for _, text := range programTexts(doc, x) {
		if strings.ContainsAny(text, "<>") {
			return nil, false
		}
		for _, cmd := range strings.Split(shellSeparators.Replace(text), "\n") {
			words := strings.Fields(cmd)
			for len(words) > 0 && shellAssignment.MatchString(words[0]) {
				words = words[1:]
			}
			if len(words) == 0 {
				continue
			}
			name := strings.NewReplacer(`"`, "", "'", "").Replace(words[0])
			switch {
			case name == "":
			case makesNoDir[name]:
			case name == "mkdir":
				for _, w := range words[1:] {
					if w == "-p" || w == "--parents" || w == "-v" {
						continue
					}
					d := path.Join(dir, w)
					if !literalName.MatchString(w) || d != "." && !SandboxFile(d) {
						return nil, false
					}
					dirs = append(dirs, d)
				}
			default:
				return nil, false
			}
		}
	}
	return dirs, true
}

// shellAssignment is a word that sets a shell variable before a command.
var shellAssignment = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*=`)
