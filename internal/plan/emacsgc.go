package plan

import "strings"

// A batch Emacs of a task's own (emacsProgram), and the document's Emacs
// with its first program (Task.BufferStart), load Org, Babel and the
// languages and make a buffer an Org buffer (the first (org-mode) loads
// Org's default org-modules) before the task's Lisp runs: at Emacs's
// default gc-cons-threshold (800 KB) that start collects garbage 26 times,
// about 0.45 of the 1.1 s of CPU it takes. gcRaised lets it load without
// collecting; gcRestored, right after (org-mode), gives the threshold back
// as it was, so that the task's Lisp (a block, a :var form, a block's
// output read as Lisp) runs with the threshold a plain Emacs has (Emacs 28
// watches the variable: the next allocation collects once). Raised again
// (a first program sent again), it saves the threshold as it is then.
const (
	gcRaised = `(defvar borges--gc-cons-threshold nil)
(setq borges--gc-cons-threshold gc-cons-threshold gc-cons-threshold (* 1024 1024 1024))
`
	gcRestored = `(when (bound-and-true-p borges--gc-cons-threshold)
  (setq gc-cons-threshold borges--gc-cons-threshold borges--gc-cons-threshold nil))`
)

// withGCRaised puts gcRaised in a program's prelude, after its first line
// when that is a comment (the coding and lexical-binding cookie, which
// must stay first).
func withGCRaised(prelude string) string {
	if !strings.HasPrefix(prelude, ";;") {
		return gcRaised + prelude
	}
	first, rest, _ := strings.Cut(prelude, "\n")
	return first + "\n" + gcRaised + rest
}

// orgModeBatch makes a batch Emacs's buffer an Org buffer, then gives
// gc-cons-threshold back (gcRestored).
const orgModeBatch = "(org-mode)\n" + gcRestored
