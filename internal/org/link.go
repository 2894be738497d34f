package org

import (
	"regexp"
	"strings"
)

// This file reads a link as a value, as Org 9.5.5's org-babel-read-link
// does (a named paragraph of one link, a :cache yes block's results of a
// link): a link of a type Org knows is its text, but a file: link, whose
// path is expanded against the document's directory (expand-file-name),
// as is a link of no known type, taken for a file name.

// ValueFileLink is the kind of a link read as a path relative to the
// document's directory, which Borges takes to be the sandbox a block runs
// in: the program joins the two (see CleanRelative for its form).
const ValueFileLink = valueTable + 1

// ValueHomeLink is the kind of a link read as a path relative to the home
// directory ("~/…"), where the sender's home is not known: the program
// joins its own $HOME to it, as Emacs expands "~" with its own.
const ValueHomeLink = valueTable + 2

// ValueUserLink is the kind of a link read as a path in another user's
// home ("~user/…"): Emacs expands it with that user's home from the
// passwd database where it runs, or, for no such user, takes it for a
// name relative to the document's directory. The program does the same
// where it runs (see UserLink).
const ValueUserLink = valueTable + 5

// ValueNil is the kind of a link read as nil: one of type file with no
// path after its colon ("[[file:]]"), which org-babel-read-link's
// "file\\(.*\\):\\(.+\\)" does not match. A reference to a block gives
// it as the text "nil" (org-babel-ref-resolve hands a symbol on as its
// name); named data that reads as nil is no reference at all.
const ValueNil = valueTable + 4

// linkTypes are the link types org-link-types-re knows in Emacs 28.2 once
// Org 9.5.5 is loaded with its default org-modules (org-attach and
// org-id, which add attachment: and id:, are not loaded by then).
var linkTypes = []string{
	"bbdb", "bibtex", "docview", "doi", "elisp", "eww", "file", "file+emacs", "file+sys",
	"ftp", "gnus", "help", "http", "https", "info", "irc", "mailto", "mhe", "news",
	"rmail", "shell", "w3m",
}

// linkBracketRe is org-link-bracket-re at the start of a string: the
// link (group 1) and its description.
var linkBracketRe = regexp.MustCompile(`^(?:` + bracketLinkRe.String() + `)`)

// linkFilePathRe is "file\(.*\):\(.+\)": the path is what follows the
// last colon that something follows.
var linkFilePathRe = regexp.MustCompile(`file(.*):(.+)`)

// linkType is the type org-link-types-re finds at the start of a link
// (case ignored), or "".
func linkType(raw string) string {
	k := strings.IndexByte(raw, ':')
	if k <= 0 {
		return ""
	}
	for _, t := range linkTypes {
		if strings.EqualFold(raw[:k], t) {
			return raw[:k]
		}
	}
	return ""
}

// readLinkValue is org-babel-read-link of the link at the start of r.
// visit is where the sender visits the document: a "~" its home expands
// is expanded; otherwise a path under "~" is of kind ValueHomeLink. A
// relative path is of kind ValueFileLink, an absolute one a string; a
// file link without a path is nil (ValueNil).
func readLinkValue(r string, visit Visit) (babelValue, bool) {
	m := linkBracketRe.FindStringSubmatch(r)
	if m == nil {
		return babelValue{}, false
	}
	raw := m[1]
	switch typ := linkType(raw); {
	case typ == "":
		return fileNameValue(raw, visit), true
	case typ == "file":
		if fm := linkFilePathRe.FindStringSubmatch(raw); fm != nil {
			return fileNameValue(fm[2], visit), true
		}
		return babelValue{kind: ValueNil}, true
	}
	return babelValue{kind: valueString, str: raw}, true
}

// fileNameValue is expand-file-name of name in the document's directory.
// A "~user" is of kind ValueUserLink, the name as written.
func fileNameValue(name string, visit Visit) babelValue {
	if _, _, ok := UserLink(name); ok {
		return babelValue{kind: ValueUserLink, str: name}
	}
	switch {
	case name == "~" || strings.HasPrefix(name, "~/"):
		if visit.Home != "" {
			return babelValue{kind: valueString, str: expandFileName(name, "/", strings.TrimSuffix(visit.Home, "/"))}
		}
		return babelValue{kind: ValueHomeLink, str: CleanRelative("." + name[1:])}
	case strings.HasPrefix(name, "/"):
		return babelValue{kind: valueString, str: expandFileName(name, "/", "")}
	}
	return babelValue{kind: ValueFileLink, str: CleanRelative(name)}
}

// CleanRelative is a relative file name as expand-file-name leaves it
// after the directory it is expanded in: "." components and repeated
// slashes gone, each ".." taking off the name before it or, at the
// start, kept (a level up from the directory); "." for the directory
// itself; a final slash kept.
func CleanRelative(name string) string {
	s := strings.Join(cleanComponents(name), "/")
	if s == "" {
		s = "."
	}
	if strings.HasSuffix(name, "/") {
		s += "/"
	}
	return s
}

// cleanComponents are the components of a file name once "." and empty
// ones are gone and each ".." has taken off the component before it (one
// at the start, or after another "..", stays).
func cleanComponents(name string) []string {
	var out []string
	for _, c := range strings.Split(name, "/") {
		switch {
		case c == "" || c == ".":
		case c == ".." && len(out) > 0 && out[len(out)-1] != "..":
			out = out[:len(out)-1]
		default:
			out = append(out, c)
		}
	}
	return out
}

// userNameRe is what Borges takes for a user's name after "~": the
// characters useradd allows (a name with others is of no user, and the
// program could not be told it safely).
var userNameRe = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9._-]*$`)

// UserLink splits a file name "~user" or "~user/…" (a ValueUserLink's
// text) into the user and the name relative to that user's home, in
// CleanRelative's form. ok is false for any other name.
func UserLink(name string) (user, inHome string, ok bool) {
	if !strings.HasPrefix(name, "~") {
		return "", "", false
	}
	user, _, _ = strings.Cut(name[1:], "/")
	if !userNameRe.MatchString(user) {
		return "", "", false
	}
	return user, CleanRelative("." + name[1+len(user):]), true
}
