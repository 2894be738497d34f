package plan

import "strings"

// A batch Emacs of a task's own (emacsProgram) loads Org, Babel and the
// languages and makes its buffer an Org buffer (the first (org-mode) loads
// Org's default org-modules) before the task's Lisp runs: at Emacs's
// default gc-cons-threshold (800 KB) that start collects garbage 26 times,
// about 0.45 of the 1.1 s of CPU it takes. gcRaised lets it load without
// collecting; gcRestored, after (org-mode), gives the threshold back as a
// plain Emacs has it, so that the task's Lisp (a block's output read as
// Lisp, a :var form, a block) runs as in the Emacs that runs the document
// (Emacs 28 watches the variable: the next allocation collects once).
const (
	gcRaised = `(defvar borges--gc-cons-threshold gc-cons-threshold)
(setq gc-cons-threshold (* 1024 1024 1024))
`
	gcRestored = `(setq gc-cons-threshold borges--gc-cons-threshold)`
)

// withGCRaised puts gcRaised in a batch program's prelude, after its first
// line (the coding and lexical-binding cookie, which must stay first).
func withGCRaised(prelude string) string {
	first, rest, _ := strings.Cut(prelude, "\n")
	return first + "\n" + gcRaised + rest
}

// orgModeBatch makes a batch Emacs's buffer an Org buffer, then gives
// gc-cons-threshold back (gcRestored).
const orgModeBatch = "(org-mode)\n" + gcRestored
