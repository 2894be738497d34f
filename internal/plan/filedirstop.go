package plan

import (
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// FileDirStopPrefix begins the error org-babel-execute-buffer stops with
// where Babel writes a block's :file (with-temp-file, after the block has
// run) in a directory that does not exist: "Opening output file: No such
// file or directory, " and the file's path.
const FileDirStopPrefix = "Opening output file: No such file or directory, "

// WritesNoFile reports whether why, the stop ResultStop gave for a
// task, leaves its :file unwritten: with-temp-file failed
// (FileDirStopPrefix).
func WritesNoFile(why string) bool {
	return strings.HasPrefix(why, FileDirStopPrefix)
}

// fileDirStop is the error org-babel-execute-buffer stops with once task
// t's block, blk, of doc has run, where Babel writes its :file into a
// directory certainly missing then; "" where it is not, or where that is
// not certain from the document. Babel makes no directory for a :file:
// org-babel-generate-file-param makes the :output-dir alone (beside the
// document, before :dir is in force, for a block :eval no too), and
// :mkdirp the :dir alone of a block it runs (checked with Emacs 28.2:
// fixtures hunt16_outdir_*, hunt17_sep_file_desc,
// hunt17_file_results_langs, filedir_*).
//
// Borges takes the document's directory to be a new one (as for the file
// of a cached writer, README), and the directory of the :file missing
// only where nothing but Babel could have made it: no executable that
// may run before the block runs a program (one up to it that Babel runs,
// not :eval no, a #+call: line or an inline block among them; or a named
// block after it the block refers to, by :var, :after or an evaluated
// noweb reference, which Babel runs first; or its :post), whatever
// its text names, for a program may make a directory under a name
// computed when it runs; and none of the directory's missing names are
// named (containsName) in the block's own text, which runs before Babel
// writes the file. Then the directory is missing unless the :output-dir
// or the :mkdirp :dir of the block, or the :output-dir of an earlier
// block :eval no, made it or a directory below it. Not planned either: a
// document its sender visits (its directory may hold the directory
// already), a :file outside the document's directory, absolute or under
// "~", a run for a reference or a call, a block with Lisp in a :var, a
// block whose own :dir nothing made (Emacs stops before it runs, with
// DirStopPrefix: dirStop, where that is certain).
// The path is t's :file relative to the document's directory, where Emacs
// names it expanded in the directory it ran in, which Borges does not
// know.
func fileDirStop(doc *org.Document, blk *org.Block, t *Task) string {
	if !t.FileWritten || t.ReadsOutput || t.Post || t.called != nil || t.lispVar != nil || t.Index < 0 ||
		elispLangs[blk.Lang] || doc.Visit.Dir != "" {
		return ""
	}
	if r, _ := blk.Args.Get("results"); slices.Contains(strings.Fields(r), "none") {
		return ""
	}
	file := path.Clean(t.File)
	dir := path.Dir(file)
	if !SandboxFile(file) || dir == "." {
		return ""
	}
	if _, ok := blk.Args.Get("post"); ok {
		return "" // its :post runs before Babel writes the file
	}
	made, ok := babelMadeBefore(doc, blk, t)
	if !ok {
		return "" // a program may make it
	}
	if d, ok := blk.Args.Get("dir"); ok && path.Clean(d) != "." && !made[path.Clean(d)] {
		// A :dir missing stops Emacs before the block runs, with
		// another error (dirStop), or the block runs where it may
		// have been made.
		return ""
	}
	// The names of dir below the deepest directory known made.
	var missing []string
	for d := dir; d != "." && !made[d]; d = path.Dir(d) {
		missing = append(missing, path.Base(d))
	}
	if len(missing) == 0 {
		return ""
	}
	if mayMakeComputedDirs(doc, blk) {
		return "" // its own program may make it, under a name computed
	}
	for _, s := range blockTexts(doc, blk) {
		for _, name := range missing {
			if containsName(s, name) {
				return "" // its own program may make it
			}
		}
	}
	return FileDirStopPrefix + file
}

// babelMadeBefore is the set of directories, relative to the document's,
// that Babel has made by the time task t's block blk of doc writes its
// results, each with its parents (babelMadeDirs: the :output-dir of
// every block up to it and its own, its own :dir under :mkdirp, and the
// :output-dir of every block whose header arguments Babel reads
// expanding blk's noweb references, before its :dir is in force:
// org.Document.NowebReads, all blocks where it reads every one); ok is
// false where a program may run before (any executable up to it that
// Babel runs, a named block after it it refers to, or a block :eval no
// whose references or Lisp Babel resolves before it refuses to run it:
// one with a :var, Lisp in its header, or a call), which may make any
// directory.
func babelMadeBefore(doc *org.Document, blk *org.Block, t *Task) (made map[string]bool, ok bool) {
	return madeBefore(doc, blk, t, nil)
}

// madeBefore is babelMadeBefore, where programs is nil; else an
// executable up to blk that Babel runs (or a named block after it blk
// refers to) gives it up only where programs cannot tell the
// directories its program makes (ok false), those it tells being made
// too (it tells each, a parent where the program makes it: mkdir
// without -p makes none); programs is given what is known made before
// x runs.
func madeBefore(doc *org.Document, blk *org.Block, t *Task, programs func(x *org.Block, made map[string]bool) (dirs []string, ok bool)) (made map[string]bool, ok bool) {
	made = map[string]bool{}
	addDir := func(d string) {
		for ; d != "." && d != "/"; d = path.Dir(d) {
			made[d] = true
		}
	}
	add := func(x *org.Block, runs bool) {
		for _, d := range babelMadeDirs(x, runs) {
			addDir(d)
		}
	}
	for _, x := range doc.Executables() {
		if x != blk && x.Start >= blk.Start && (x.Name == "" || !t.Refers(x.Name)) {
			continue
		}
		_, refused := org.EvalRefused(x.Args)
		if x != blk && !refused && programs != nil {
			dirs, ok := programs(x, made)
			if !ok {
				return nil, false
			}
			for _, d := range dirs {
				made[d] = true // programs tells each, parents too
			}
		} else if x != blk && (!refused || len(x.Vars) > 0 || x.Call != nil || readsLisp(x)) {
			return nil, false
		}
		add(x, !refused)
	}
	reads, every := doc.NowebReads(blk)
	if every {
		reads = doc.Executables() // a superset of the blocks read
	}
	for _, x := range reads {
		add(x, false)
	}
	return made, true
}

// DirStopPrefix begins the error org-babel-execute-buffer stops with at
// a block whose :dir names a directory that does not exist, without
// :mkdirp: Babel binds default-directory to it, and call-process,
// starting the block's program there, fails with "Setting current
// directory: No such file or directory, " and the directory, expanded,
// ending in "/".
const DirStopPrefix = "Setting current directory: No such file or directory, "

// DirNumberStopPrefix begins the error org-babel-execute-buffer stops
// with at a block whose :dir reads as a number (:dir 2024), followed by
// the number: expand-file-name takes strings only.
const DirNumberStopPrefix = "Wrong type argument: stringp, "

// plainNumber is a :dir Emacs reads as an integer it prints as written.
var plainNumber = regexp.MustCompile(`^[1-9][0-9]{0,8}$`)

// ownPlainRun reports whether t is blk's own run in the document sent
// (no visited document, whose directory is the sender's) of a program
// Org 9.5 runs (noOrgExecute: Emacs stops with another error, Borges
// runs it, README), its directory Babel's to set: no call, no run for a
// reference, no Lisp in its header, no :cache yes (Babel may take its
// results as they stand), no session (whose process has a directory of
// its own), no :stdin (which runs another block first): where dirStop
// and postDirStop may stop.
func ownPlainRun(doc *org.Document, blk *org.Block, t *Task) bool {
	if t.called != nil || t.lispVar != nil || t.Index < 0 || t.Cache || blk.Call != nil ||
		doc.Visit.Dir != "" || readsLisp(blk) || noOrgExecute[blk.Lang] {
		return false
	}
	return !sessionOrStdin(blk)
}

// sessionOrStdin reports whether blk is run in a session (other than
// "none") or given a :stdin.
func sessionOrStdin(blk *org.Block) bool {
	if s, ok := blk.Args.Get("session"); ok && s != "none" {
		return true
	}
	_, ok := blk.Args.Get("stdin")
	return ok
}

// dirStop is the error org-babel-execute-buffer stops with at task t's
// block, blk, of doc, before it runs, its :dir certainly missing then;
// "" where it is not, or where that is not certain from the document.
// Its :var references are resolved and its noweb references expanded
// first; then org-babel-execute-src-block binds default-directory to its
// :dir, making it only under :mkdirp, and the language's function starts
// its program there (checked with Emacs 28.2: fixtures dirstop_*; sh,
// bash, Python, Ruby, Perl, JavaScript, inline blocks and :results none
// alike). Not planned: a block in a session (a shell session's process
// runs already, started where it was), Emacs Lisp (no process), a
// :stdin (resolved inside the language's function, running what it
// names), a :var value Lisp (or a call with arguments), a :dir Lisp
// evaluates, one read as a number (Emacs stops with another error,
// DirNumberStopPrefix, given where certain),
// outside the document's directory or the document's directory itself,
// a :cache yes block (Babel may take its results as they stand), a block
// with Lisp in its header, a call, a run for a reference, a language
// Org 9.5 cannot run (noOrgExecute); and, as for fileDirStop, a document
// its sender visits, or a block before which a program may run
// (babelMadeBefore).
// The directory is named relative to the document's directory, with
// Emacs's "/" after it.
func dirStop(doc *org.Document, blk *org.Block, t *Task) string {
	if !ownPlainRun(doc, blk, t) || elispLangs[blk.Lang] {
		return ""
	}
	for _, raw := range blk.Vars {
		if _, rhs, ok := strings.Cut(raw, "="); !ok || isLispForm(strings.TrimSpace(rhs)) || strings.Contains(rhs, "(") {
			// Lisp Emacs evaluates, or a call's arguments: they
			// may make it.
			return ""
		}
	}
	a, ok := blk.Args.Lookup("dir")
	if !ok || !a.String && isLispForm(a.Value) {
		return ""
	}
	if !a.String && isNumber(a.Value) {
		// org-babel-read makes it a number, which expand-file-name
		// refuses, whatever the directory holds; said here where its
		// printed form is certain.
		if plainNumber.MatchString(a.Value) {
			return DirNumberStopPrefix + a.Value
		}
		return ""
	}
	d := path.Clean(a.Value)
	if !SandboxFile(d) {
		return ""
	}
	if made, ok := babelMadeBefore(doc, blk, t); !ok || made[d] {
		return ""
	}
	return DirStopPrefix + d + "/"
}

// noOrgExecute are the languages Borges runs that Org 9.5 has no
// org-babel-execute function for: Emacs stops at their blocks with "No
// org-babel-execute function for python3!", a known gap (README).
var noOrgExecute = map[string]bool{"python3": true, "node": true, "javascript": true}

// dirMakers are words of programs that make, move, copy or unpack
// directories (commands, and the calls of the languages Borges runs).
var dirMakers = []string{"mkdir", "makedirs", "mkpath", "make_path", "mkdir_p", "MkdirAll", "mkdtemp", "mktemp",
	"mkdirSync", "mkdtempSync", "cpSync", "renameSync", "symlinkSync",
	"tar", "unzip", "7z", "git", "clone", "rsync", "cp", "mv", "ln", "install", "rename", "symlink",
	"copytree", "move", "extractall", "unpack_archive", "FileUtils", "curl", "wget", "make", "cmake"}

// mayMakeComputedDirs says whether x's own program, as doc expands it,
// may make a directory under a name its text does not spell (mkdir -p
// run$i, a name from a :var): one of its program texts (programTexts)
// holds a word of dirMakers, or its noweb expansion takes in a heading's
// body (Org 9.5's org-babel-ref-headline-body), text Borges does not read
// for a program. Writing a file makes no directory; a program that makes
// one names a command or call that does. The stop is planned only where
// it is certain: any such word gives it up.
func mayMakeComputedDirs(doc *org.Document, x *org.Block) bool {
	if doc.NowebTakesHeading(x) {
		return true
	}
	for _, s := range programTexts(doc, x) {
		for _, w := range dirMakers {
			if containsWord(s, w) {
				return true
			}
		}
	}
	return false
}

// babelMadeDirs are the directories, relative to the document's, that
// Babel makes for executable x: its :output-dir
// (org-babel-generate-file-param, made in org-babel-get-src-block-info
// whether the block runs or not) and, where it runs (runs), its :dir
// under a :mkdirp other than no and nil (org-babel-execute-src-block,
// after org-babel-check-evaluate), each made with its parents. One
// outside the document's directory is left out.
func babelMadeDirs(x *org.Block, runs bool) []string {
	var out []string
	if d, ok := x.Args.Get("output-dir"); ok && SandboxFile(path.Clean(d)) {
		out = append(out, path.Clean(d))
	}
	d, ok := x.Args.Get("dir")
	if m, _ := x.Args.Get("mkdirp"); runs && ok && m != "" && m != "no" && m != "nil" && SandboxFile(path.Clean(d)) {
		out = append(out, path.Clean(d))
	}
	return out
}

// programTexts are the texts of executable x of doc that run as its
// program: its body and the bodies its noweb references take in (a
// block's of that name, those of that :noweb-ref, and theirs in turn),
// its :cmdline, :prologue and :epilogue.
func programTexts(doc *org.Document, x *org.Block) []string {
	texts := []string{x.Body}
	for _, y := range doc.NowebIncluded(x) {
		texts = append(texts, y.Body)
	}
	for _, k := range []string{"cmdline", "prologue", "epilogue"} {
		if v, ok := x.Args.Get(k); ok {
			texts = append(texts, v)
		}
	}
	return texts
}

// blockTexts is what of executable x of doc may name a file or a
// directory its program reads or makes (textOf, fileDirStop): its
// program texts (programTexts), its raw :var assignments and its :stdin.
func blockTexts(doc *org.Document, x *org.Block) []string {
	texts := append(programTexts(doc, x), x.Vars...)
	if v, ok := x.Args.Get("stdin"); ok {
		texts = append(texts, v)
	}
	return texts
}

// containsWord reports whether w stands in s as a word of a program: not
// beside a letter, a digit or "_" (os.makedirs holds makedirs; mkdirs
// does not hold mkdir).
func containsWord(s, w string) bool {
	return containsBounded(s, w, wordByte)
}

func wordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// PastCapMayStop reports whether task t of doc, whose output is past the
// results' size limit, may stop org-babel-execute-buffer whatever the
// rest of it holds but what utf-8-unix cannot encode (PastCapStop): its
// :file in a directory nothing made (fileDirStop), which with-temp-file
// fails to open, the text Babel writes into it being what the program
// printed (not read from a file, nor read as Lisp: FileText is raw).
func PastCapMayStop(doc *org.Document, t *Task) bool {
	doc = t.docIn(doc)
	blk, err := t.blockIn(doc)
	if err != nil || readFromFile(t) || t.Reader == org.ReadLisp || t.valueForReference() {
		return false
	}
	return fileDirStop(doc, blk, t) != ""
}

// PastCapStop is ResultStop for task t of doc whose output is past the
// results' size limit, and of which unencodable says whether the whole
// holds what utf-8-unix cannot encode (org.Unencodable): for a task
// PastCapMayStop, CodingStopError where it does (Emacs asks for a coding
// system before it opens the file: codingStop comes first), else
// fileDirStop's; "" for any other task. Its results are not written.
func PastCapStop(doc *org.Document, t *Task, unencodable bool) string {
	if !PastCapMayStop(doc, t) {
		return ""
	}
	if unencodable {
		return CodingStopError
	}
	doc = t.docIn(doc)
	blk, _ := t.blockIn(doc)
	return fileDirStop(doc, blk, t)
}
