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
// that directory): relative to the document's directory, which for Borges
// is the attempt's sandbox, the block's working directory without :dir.
// A :dir naming the document's directory itself leaves the path as it
// is; an absolute one (or "~/…") gives an absolute path, since the
// server does not know where the sender keeps the document (Emacs writes
// a path relative to it).
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

// fileLink is the result of a :results file block: the link to its file
// (or, without a file name, to the path its result gives), described by
// :file-desc. ok is false when there is nothing to link to.
func fileLink(b *Block, v babelValue) (babelValue, bool) {
	// raw is the file as the block names it (the description without
	// one of its own); the link is made relative to the document.
	raw, _ := b.Args.Get("file")
	if raw == "" {
		if v.kind != valueString || v.str == "" {
			return v, false
		}
		raw = v.str
	}
	link := "[[file:" + inDir(b, raw) + "]"
	// org-babel--file-desc: no value is the path; a value that reads
	// as something else than a string (a number, a vector such as [],
	// a quoted symbol or list) gives no description.
	if desc, ok := b.Args.Get("file-desc"); ok {
		_, number := lispNumber(desc)
		switch {
		case desc == "":
			link += "[" + raw + "]"
		case number, desc[0] == '[', desc[0] == '\'':
		default:
			link += "[" + desc + "]"
		}
	}
	return babelValue{kind: valueString, str: link + "]"}, true
}
