package plan

//go:generate go run ./emacsprefixes/gen

// OwnLisp is the Lisp Borges itself loads into the Emacs that runs a
// document's Emacs Lisp (the programs of Emacs Lisp blocks, of Lisp :var
// values, of the reading of an output in Emacs, and of the buffer's
// Emacs), some of it templates: the names it defines (borges--buffer)
// are Emacs's to a document there, which emacsprefixes measures
// (emacsPrefixes, docVariable).
func OwnLisp() string {
	return elispPrelude + elispForm + bufferPrelude + lispVarPrelude + lispVarForm + emacsReadPrelude
}
