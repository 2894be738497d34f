package org

import (
	_ "embed"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// emacsFunctionNames are the symbols fboundp holds true of in an
// "emacs -Q --batch" (28.2) with Org 9.5.5 and the Babel languages Borges
// runs loaded (shell, python, ruby, perl, js, emacs-lisp) and an Org file
// visited, as Babel runs a document (org-mode loads org-modules, and
// with them gnus, mail, xml, dom, url...), one a line,
// sorted, each followed by a tab and, for a function (functionp), the
// number of arguments it needs at least (func-arity), or "?" for one
// Emacs loads as it calls it (an autoload), whose number Borges does not
// know; "-" for one that is no function (a macro, a special form):
// TestEmacsFunctions writes it anew from that Emacs.
//
//go:embed emacs_functions.txt
var emacsFunctionNames string

// emacsFunctionList is emacsFunctionNames read: the names, sorted, and
// the number of arguments each needs (-1 where unknown, notFunction for
// a macro or special form).
type emacsFunctionList struct {
	names []string
	needs []int
}

var emacsFunctions = sync.OnceValue(func() emacsFunctionList {
	lines := strings.Split(strings.TrimSuffix(emacsFunctionNames, "\n"), "\n")
	type entry struct {
		name  string
		needs int
	}
	entries := make([]entry, len(lines))
	for i, line := range lines {
		name, needs, _ := strings.Cut(line, "\t")
		entries[i] = entry{name, -1}
		if needs == "-" {
			entries[i].needs = notFunction
		} else if n, err := strconv.Atoi(needs); err == nil {
			entries[i].needs = n
		}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].name < entries[j].name })
	l := emacsFunctionList{names: make([]string, len(entries)), needs: make([]int, len(entries))}
	for i, e := range entries {
		l.names[i], l.needs[i] = e.name, e.needs
	}
	return l
})

// notFunction is what emacsFunctionList holds of a name fboundp holds
// true of that is no function: a macro or a special form.
const notFunction = -2

// isEmacsFunction reports whether Emacs calls the symbol name where a
// header value evaluates to it (org-babel-eval-headers: functionp).
func isEmacsFunction(name string) bool {
	_, ok := emacsFunctionNeeds(name)
	return ok
}

// emacsFunctionNeeds is the number of arguments the Emacs function name
// needs at least, -1 where Borges does not know it; ok is false where
// name is no Emacs function.
func emacsFunctionNeeds(name string) (needs int, ok bool) {
	needs, ok = emacsFbound(name)
	return needs, ok && needs != notFunction
}

// emacsFbound is emacsFunctionNeeds, notFunction for a macro or a special
// form; ok is false where Emacs has no function of that name at all
// (fboundp), which a form that calls it stops at (void-function).
func emacsFbound(name string) (needs int, ok bool) {
	l := emacsFunctions()
	i := sort.SearchStrings(l.names, name)
	if i < len(l.names) && l.names[i] == name {
		return l.needs[i], true
	}
	return 0, false
}

// functionValues are what the functions among emacsFunctions whose value
// without arguments is a constant give, called so.
var functionValues = map[string]lispDatum{
	"list":           {kind: lispSym, text: "nil"},
	"ignore":         {kind: lispSym, text: "nil"},
	"append":         {kind: lispSym, text: "nil"},
	"nconc":          {kind: lispSym, text: "nil"},
	"always":         {kind: lispSym, text: "t"},
	"vector":         {kind: lispVec},
	"concat":         {kind: lispStr},
	"string":         {kind: lispStr},
	"unibyte-string": {kind: lispStr},
	"vconcat":        {kind: lispVec},
	"+":              {kind: lispNum, text: "0"},
	"-":              {kind: lispNum, text: "0"},
	"*":              {kind: lispNum, text: "1"},
	"logior":         {kind: lispNum, text: "0"},
	"logxor":         {kind: lispNum, text: "0"},
	"logand":         {kind: lispNum, text: "-1"},
}
