package plan

import (
	"strings"

	"github.com/wallyqs/borges/internal/session"
)

// StopsOnLispError reports whether task t is an Emacs Lisp block run
// inside a :post (FailureStops set for it), whose error, signalled there,
// stops org-babel-execute-buffer before the results of the chain's
// block are written: Emacs does not catch it. An Emacs Lisp block that
// signals an error at its own turn fails, as Borges runs it (README,
// Sessions).
func StopsOnLispError(t *Task) bool {
	return t.FailureStops && t.Post && !t.ReadsOutput && elispLangs[t.Lang] && t.shebang == ""
}

// LispErrorStop is the error org-babel-execute-buffer stops with where a
// task StopsOnLispError failed with msg, its failure's message: the
// error its block signalled (session.ErrSignalled: "Emacs Lisp error: "
// and Emacs's message); ok is false for any other failure (killed, its
// Emacs ended), which Emacs, running each block to its end, has no
// counterpart of.
func LispErrorStop(msg string) (string, bool) {
	return strings.CutPrefix(msg, session.ErrSignalled.Error()+": ")
}
