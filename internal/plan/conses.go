package plan

import "fmt"

// This file is what Babel does with a cons or a dotted list of Lisp
// ((1 . 2), (1 2 . 3), an alist's pairs) an Emacs Lisp block or a Lisp
// :var value gives a block in another language: Emacs Lisp blocks take
// it as it is, but every other language's variable conversion
// (org-babel-python-var-to-python, -ruby-, -js-, -perl--, -sh-) maps
// over it as over a proper list, and mapconcat signals
// (wrong-type-argument listp CDR) at its last cdr, which stops
// org-babel-execute-buffer there. A vector is no list: it reaches them
// printed ([1 2]).

// consError is the error Babel signals binding v to a variable of a
// block in another language than Emacs Lisp, "" for none: the first
// cons met walking v as the conversions do, a dotted list before its
// items.
func consError(v Value) string {
	if v.DottedEnd != "" {
		return "Wrong type argument: listp, " + v.DottedEnd
	}
	for _, it := range v.List {
		if e := consError(it); e != "" {
			return e
		}
	}
	return ""
}

// checkConses is the error binding bound to t's block signals: it names
// the block's line and the :var. Emacs Lisp blocks signal none.
func checkConses(t *Task, bound []bound) error {
	if elispLangs[t.Lang] {
		return nil
	}
	for _, bv := range bound {
		if e := consError(bv.value); e != "" {
			return fmt.Errorf("block %s (line %d): :var %s: %s (Babel converts a cons or dotted list of Lisp for %s as a proper list)", t.Block, t.Line, bv.name, e, t.Lang)
		}
	}
	return nil
}
