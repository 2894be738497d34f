package plan

import (
	"path"
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
// not known from the document. Babel makes no directory for a :file:
// org-babel-generate-file-param makes the :output-dir alone (beside the
// document, before :dir is in force), and :mkdirp the :dir alone
// (checked with Emacs 28.2: fixtures hunt16_outdir_*, hunt17_sep_file_desc,
// hunt17_file_results_langs, filedir_*).
//
// Borges takes the document's directory to be a new one (as for the file
// of a cached writer, README), and the directory of the :file missing
// when, at that block, none of these made it nor any directory below it:
// the :output-dir or the :dir under :mkdirp of an executable up to the
// block (or of a named block anywhere, which a reference may run first);
// a program, which it knows only by its text: the directory's missing
// names are named (containsName) by no executable up to the block (its
// own included) nor any named block, in the text textOf reads (body,
// noweb, :var, :cmdline, :stdin, :prologue, :epilogue). Not planned,
// where that cannot be told: a document its sender visits (its directory
// may hold the directory already), an Emacs Lisp block up to it (it may
// make directories, add blocks), a :file outside the document's
// directory, absolute or under "~", a run for a reference or a call.
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
	made := map[string]bool{}
	var texts []string
	for _, x := range doc.Executables() {
		if x.Start > blk.Start && x.Name == "" {
			continue
		}
		if elispLangs[x.Lang] {
			return ""
		}
		for _, d := range babelMadeDirs(x) {
			for ; d != "."; d = path.Dir(d) {
				made[d] = true
			}
		}
		texts = append(texts, blockTexts(doc, x)...)
	}
	// The names of dir below the deepest directory known made.
	var missing []string
	for d := dir; d != "." && !made[d]; d = path.Dir(d) {
		missing = append(missing, path.Base(d))
	}
	if len(missing) == 0 {
		return ""
	}
	for _, s := range texts {
		for _, name := range missing {
			if containsName(s, name) {
				return "" // a program may make it
			}
		}
	}
	return FileDirStopPrefix + file
}

// babelMadeDirs are the directories, relative to the document's, that
// Babel makes for executable x: its :output-dir
// (org-babel-generate-file-param) and its :dir under a :mkdirp other than
// no and nil (org-babel-execute-src-block), each made with its parents.
// One outside the document's directory is left out.
func babelMadeDirs(x *org.Block) []string {
	var out []string
	if d, ok := x.Args.Get("output-dir"); ok && SandboxFile(path.Clean(d)) {
		out = append(out, path.Clean(d))
	}
	d, ok := x.Args.Get("dir")
	if m, _ := x.Args.Get("mkdirp"); ok && m != "" && m != "no" && m != "nil" && SandboxFile(path.Clean(d)) {
		out = append(out, path.Clean(d))
	}
	return out
}

// blockTexts is what of executable x of doc may name a file or a
// directory its program reads or makes (textOf, fileDirStop): its body
// and the bodies its noweb references take in, its raw :var assignments,
// and its :cmdline, :stdin, :prologue and :epilogue.
func blockTexts(doc *org.Document, x *org.Block) []string {
	texts := []string{x.Body}
	for _, y := range doc.NowebIncluded(x) {
		texts = append(texts, y.Body)
	}
	texts = append(texts, x.Vars...)
	for _, k := range []string{"cmdline", "stdin", "prologue", "epilogue"} {
		if v, ok := x.Args.Get(k); ok {
			texts = append(texts, v)
		}
	}
	return texts
}
