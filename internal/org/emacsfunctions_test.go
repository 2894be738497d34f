package org

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// TestEmacsFunctions: emacs_functions.txt is the symbols fboundp holds
// true of in a batch Emacs with Org and Borges's Babel languages loaded,
// as Emacs lists them, each with the number of arguments a function
// needs (func-arity) or "-" for a macro or special form (-update writes
// it anew); the functions whose values Borges knows are among them, and
// a symbol that is no function is not.
func TestEmacsFunctions(t *testing.T) {
	for name := range functionValues {
		if needs, ok := emacsFunctionNeeds(name); !ok || needs != 0 {
			t.Errorf("%s: a value without arguments is known, but emacs_functions.txt has it needing %d (listed: %v)", name, needs, ok)
		}
	}
	for name, want := range map[string]int{"max": 1, "car": 1, "cons": 2, "point": 0} {
		if needs, ok := emacsFunctionNeeds(name); !ok || needs != want {
			t.Errorf("%s: needs %d arguments (listed: %v), want %d", name, needs, ok, want)
		}
	}
	for _, name := range []string{"sym", "x", "a.b", "nil", "t", ":foo", "when", "quote", "lambda"} {
		if isEmacsFunction(name) {
			t.Errorf("%s: listed as a function", name)
		}
	}
	for _, name := range []string{"when", "quote", "lambda", "let", "car"} {
		if _, ok := emacsFbound(name); !ok {
			t.Errorf("%s: not listed as fbound", name)
		}
	}
	// Functions of the libraries Org's link modules (org-modules) load
	// once a buffer is in org-mode, as every document Babel runs is:
	// xml, dom (dom-attr a macro), mail, gnus.
	for name, want := range map[string]int{"xml-escape-string": 1, "dom-attr": notFunction, "mail-header-parse-address": 1, "gnus-date-iso8601": 1} {
		if needs, ok := emacsFbound(name); !ok || needs != want {
			t.Errorf("%s: needs %d arguments (listed: %v), want %d: a function of a library Org loads as a buffer enters org-mode", name, needs, ok, want)
		}
	}
	emacs := outside.Need(t, "emacs-nox", "emacs")
	// The functions are listed as Babel runs a document: the languages
	// loaded, an Org file visited (org-mode loads org-modules).
	doc := filepath.Join(t.TempDir(), "doc.org")
	if err := os.WriteFile(doc, []byte("* Heading\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	script := `(progn (require 'org) (require 'ob)
  (org-babel-do-load-languages 'org-babel-load-languages
    '((shell . t) (python . t) (ruby . t) (perl . t) (js . t) (emacs-lisp . t)))
  (with-current-buffer (find-file-noselect ` + strconv.Quote(doc) + `)
    (unless (derived-mode-p 'org-mode) (error "not in org-mode")))
  (let (names)
    (mapatoms (lambda (s) (when (fboundp s) (push s names))))
    (dolist (s (sort names #'string<))
      (princ (format "%s\t%s\n" (symbol-name s)
                     (cond ((not (functionp s)) "-")
                           ((autoloadp (indirect-function s)) "?")
                           (t (or (car (ignore-errors (func-arity s))) "?"))))))))`
	out, err := exec.Command(emacs, "-Q", "--batch", "--eval", script).Output()
	if err != nil {
		t.Fatalf("emacs: %v", err)
	}
	if *update {
		if err := os.WriteFile("emacs_functions.txt", out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := string(out); want != emacsFunctionNames {
		got := strings.Split(emacsFunctionNames, "\n")
		for i, w := range strings.Split(want, "\n") {
			if i >= len(got) || got[i] != w {
				t.Fatalf("emacs_functions.txt differs from Emacs's functions at line %d: Emacs has %q (go test -run TestEmacsFunctions -update writes it anew)", i+1, w)
			}
		}
		t.Fatalf("emacs_functions.txt has more lines than Emacs's functions")
	}
}
