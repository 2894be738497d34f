package org

import (
	"path"
	"strings"
)

// This file is :results file, as org-babel-execute-src-block and
// org-babel-insert-result make it (Org 9.5.5): the result becomes a link
// to the file named by :file (with :output-dir before it; or, for a named
// block without :file, NAME.EXT from :file-ext), written with the block's
// result unless :results says link or graphics (the program writes it
// then). Without a file name the result itself is taken as the path.
// :file-desc gives the link a description; empty, the path is the
// description.

// ResultFile is the file a block's result goes to under :results file:
// its path as the link shows it, and whether Babel writes the block's
// result into it (not for link and graphics, where the program writes
// it). ok is false when the block's results are not a file.
func (b *Block) ResultFile() (path string, written bool, ok bool) {
	r, _ := b.Args.Get("results")
	rp := splitString(r)
	if !hasWord(rp, "file") {
		return "", false, false
	}
	path = filePath(b)
	if path == "" {
		return "", false, false
	}
	return path, !hasWord(rp, "link") && !hasWord(rp, "graphics"), true
}

// filePath is the :file of a block, which the reader has already made as
// org-babel-generate-file-param does (:output-dir, :file-ext).
func filePath(b *Block) string {
	f, _ := b.Args.Get("file")
	if f == "" {
		return ""
	}
	return inDir(b, f)
}

// inDir is a file's path as org-babel-result-to-file links it when the
// block has a :dir (Emacs then runs the block, and writes its :file, in
// that directory) and where the sender visits the document is not known:
// relative to the document's directory, which for Borges is then the
// attempt's sandbox, the block's working directory without :dir. A :dir
// naming the document's directory itself leaves the path as it is; an
// absolute one (or "~/…") gives an absolute path, since the server does
// not know where the sender keeps the document (Emacs writes a path
// relative to it: see Visit).
func inDir(b *Block, p string) string {
	dir, ok := b.Args.Get("dir")
	if !ok || dir == "" || path.IsAbs(p) || strings.HasPrefix(p, "~") {
		return p
	}
	if path.IsAbs(dir) || strings.HasPrefix(dir, "~") {
		return path.Join(dir, p)
	}
	if path.Clean(dir) == "." {
		return p
	}
	return path.Clean(path.Join(dir, p))
}

// linkPath is a file's path as the link of a :results file block shows
// it. Where the sender visits the document is known (v.Dir), it is
// org-babel-result-to-file's, in a buffer visiting a file of that
// directory: the path as it is when the block runs in the document's
// directory (no :dir, or a :dir naming that directory), else the file's
// path (expanded in :dir) relative to the document's directory
// (org-link-file-path-type adaptive). Otherwise, and for a "~" that the
// sender's home (v.Home) does not resolve, it is inDir's.
func linkPath(b *Block, p string, v Visit) string {
	if v.Dir == "" {
		return inDir(b, p)
	}
	dir, hasDir := b.Args.Get("dir")
	if (hasDir && !v.expands(dir)) || !v.expands(p) {
		return inDir(b, p)
	}
	docDir := asDirectory(expandFileName(v.Dir, "/", ""))
	work := docDir
	if hasDir {
		work = asDirectory(expandFileName(dir, docDir, v.Home))
	}
	if work == docDir {
		return p
	}
	return fileRelativeName(expandFileName(p, work, v.Home), docDir)
}

// Visit is where the sender of a document visits it, as its client says
// (the API's dir and home): the directory of the document's file and the
// home directory "~" stands for, both absolute. They are only text for
// making links as Emacs makes them in a buffer visiting that file; the
// server never reads or writes there. The zero Visit is not knowing it.
type Visit struct {
	Dir, Home string
}

// expands says whether Emacs's expansion of p is known: it starts with
// no "~", or with "~" or "~/" and the home directory is known ("~user"
// is another user's).
func (v Visit) expands(p string) bool {
	if !strings.HasPrefix(p, "~") {
		return true
	}
	return v.Home != "" && (p == "~" || strings.HasPrefix(p, "~/"))
}

// expandFileName is Emacs 28's expand-file-name of name in directory dir
// (absolute), as text, on GNU/Linux: "~" and "~/…" are home's, a
// relative name is put after dir ("" is dir itself), then fileio.c's canonicalization:
// "/." goes (a name of "/." alone is "/"), "/.." takes off the component
// before it (at the very start it stays: "/.." and "/../a" are left, the
// "superroot"), repeated slashes go but a leading "//" followed by
// something else than a slash, and a final slash stays.
func expandFileName(name, dir, home string) string {
	if name == "" {
		// The directory itself, without its final slash.
		d := expandFileName(asDirectory(dir), "/", home)
		if len(d) > 1 {
			d = strings.TrimSuffix(d, "/")
		}
		return d
	}
	if name == "~" || strings.HasPrefix(name, "~/") {
		name = home + name[1:]
	}
	if !strings.HasPrefix(name, "/") {
		name = asDirectory(dir) + name
	}
	p := name
	o := make([]byte, 0, len(p))
	// Each turn consumes at least one byte of p: bounded by its length.
	for i := 0; i < len(p); {
		at := func(k int) byte {
			if i+k < len(p) {
				return p[i+k]
			}
			return 0
		}
		sepOrEnd := func(k int) bool { return at(k) == '/' || at(k) == 0 }
		switch {
		case p[i] != '/':
			o = append(o, p[i])
			i++
		case at(1) == '.' && sepOrEnd(2):
			if len(o) == 0 && at(2) == 0 {
				o = append(o, '/')
			}
			i += 2
		case at(1) == '.' && at(2) == '.' && len(o) != 0 && sepOrEnd(3):
			k := len(o)
			for k > 0 {
				k--
				if o[k] == '/' {
					break
				}
			}
			if k == 0 && o[0] == '/' && at(3) == 0 {
				k++
			}
			o = o[:k]
			i += 3
		case at(1) == '/' && (i != 0 || at(2) == '/'):
			i++
		default:
			o = append(o, p[i])
			i++
		}
	}
	return string(o)
}

// asDirectory is file-name-as-directory: the name with a final slash.
func asDirectory(p string) string {
	if strings.HasSuffix(p, "/") {
		return p
	}
	return p + "/"
}

// fileRelativeName is Emacs's file-relative-name of an expanded file name
// from an expanded directory (with its final slash), on a system whose
// file names are case-sensitive: ".." for each level up to their common
// ancestor, then the rest of the file name.
func fileRelativeName(filename, directory string) string {
	ancestor := "."
	filenameDir := asDirectory(filename)
	// Each turn takes one level off directory: bounded by its length.
	for !strings.HasPrefix(filenameDir, directory) && !strings.HasPrefix(filename, directory) {
		d := strings.TrimSuffix(directory, "/")
		directory = d[:strings.LastIndex(d, "/")+1]
		if ancestor == "." {
			ancestor = ".."
		} else {
			ancestor = "../" + ancestor
		}
	}
	if !strings.HasPrefix(filename, directory) {
		return ancestor
	}
	rest := filename[len(directory):]
	if ancestor == "." && rest != "" {
		return rest
	}
	return asDirectory(ancestor) + rest
}

// FileLink is the link a block's results are under :results file with a
// :file (org-babel-result-to-file, described as org-babel--file-desc
// says): what org-babel-execute-src-block binds *this* to for the
// block's :post. ok is false when the block has no such file.
func (d *Document) FileLink(b *Block) (string, bool) {
	if _, _, ok := b.ResultFile(); !ok {
		return "", false
	}
	v, ok := fileLink(b, babelValue{}, d.Visit)
	return v.str, ok
}

// fileLink is the result of a :results file block: the link to its file
// (or, without a file name, to the path its result gives), described by
// :file-desc. ok is false when there is nothing to link to.
func fileLink(b *Block, v babelValue, visit Visit) (babelValue, bool) {
	// raw is the file as the block names it (the description without
	// one of its own); the link is made relative to the document.
	raw, _ := b.Args.Get("file")
	if raw == "" {
		if v.kind != valueString || v.str == "" {
			return v, false
		}
		raw = v.str
	}
	link := "[[file:" + linkPath(b, raw, visit) + "]"
	// org-babel--file-desc: no value is the path; a value that reads
	// as something else than a string (a number, a vector such as [],
	// a quoted symbol or list) gives no description; a Lisp string
	// ("42", "") is the description, whatever it holds.
	if arg, ok := b.Args.Lookup("file-desc"); ok {
		desc := arg.Value
		_, number := lispNumber(desc)
		switch {
		case arg.String:
			link += "[" + desc + "]"
		case arg.Symbol, arg.Printed:
			// A constant ([], '(a), 'x) evaluated to no string.
		case desc == "":
			link += "[" + raw + "]"
		case number, desc[0] == '[', desc[0] == '\'':
		default:
			link += "[" + desc + "]"
		}
	}
	return babelValue{kind: valueString, str: link + "]"}, true
}

// ExpandFileName is Emacs's expand-file-name of name in directory dir
// (absolute), "~" being home (see expandFileName).
func ExpandFileName(name, dir, home string) string { return expandFileName(name, dir, home) }
