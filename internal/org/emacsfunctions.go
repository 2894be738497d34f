package org

import (
	_ "embed"
	"sort"
	"strings"
	"sync"
)

// emacsFunctionNames are the symbols functionp holds true of in an
// "emacs -Q --batch" (28.2) with Org 9.5.5 and the Babel languages Borges
// runs loaded (shell, python, ruby, perl, js, emacs-lisp), one a line,
// sorted: TestEmacsFunctions writes it anew from that Emacs.
//
//go:embed emacs_functions.txt
var emacsFunctionNames string

var emacsFunctions = sync.OnceValue(func() []string {
	names := strings.Split(strings.TrimSuffix(emacsFunctionNames, "\n"), "\n")
	sort.Strings(names)
	return names
})

// isEmacsFunction reports whether Emacs calls the symbol name where a
// header value evaluates to it (org-babel-eval-headers: functionp).
func isEmacsFunction(name string) bool {
	names := emacsFunctions()
	i := sort.SearchStrings(names, name)
	return i < len(names) && names[i] == name
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
	"+":              {kind: lispNum, text: "0"},
	"*":              {kind: lispNum, text: "1"},
	"logior":         {kind: lispNum, text: "0"},
	"logxor":         {kind: lispNum, text: "0"},
	"logand":         {kind: lispNum, text: "-1"},
}
