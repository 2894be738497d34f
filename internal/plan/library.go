package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

// A reference naming no element of the buffer finds, after the buffer,
// an entry of the Library of Babel that Lisp of the document's Emacs
// added or changed (org.BufferReport.Library): org-babel-ref-resolve
// runs it there, at the referring block's turn, as
// (org-babel-execute-src-block nil INFO PARAMS). The planning document
// holds such an entry as a block of its own after the buffer
// (org.BufferReport.PlanDocument), its arguments the entry's parameters
// alone, which Emacs never runs in its turn; a reference to it makes a
// run as a reference to a block of the buffer does (libraryRun), its
// value handed to the referrer, its results written nowhere.

// libraryRun is rt, a task of the buffer's plan, as a run of a Library
// of Babel entry for a reference, ok false for a task that is no such
// run. The run is planned as the runs for references of the blocks added
// (planRun): named after its referring block, at that block's turn. An
// entry of the document's Emacs (Emacs Lisp) runs there with point
// where org-babel-ref-resolve left it, not at a block, which Borges does
// not reproduce: only a body of pure Lisp (pureLisp), which reads
// neither point nor the buffer, is run, at the referring block's mark. A
// run in a session, under :cache, with a :post or made inside another
// run is not planned: the referrer fails naming its line and the
// reference.
func (e *Edits) libraryRun(rt *Task, added map[string]string) (name string, err error, ok bool) {
	if rt == nil {
		return "", nil, false
	}
	if rt.called == nil {
		// The entry's own task, which Emacs never runs in its turn:
		// a reference waiting for it is one Borges made no run for.
		if blk, err := rt.blockIn(e.Doc); err == nil {
			if entry, ok := e.Doc.LibraryBlock(blk); ok {
				return "", fmt.Errorf("the Library of Babel entry %s, for which Borges plans no run of its own (Emacs runs it at this reference), so it does not know the value", entry.Name), true
			}
		}
		return "", nil, false
	}
	if rt.Index >= 0 {
		return "", nil, false
	}
	blk, berr := e.Doc.CalledWith(rt.called.name, "", "")
	if berr != nil {
		return "", nil, false
	}
	entry, isEntry := e.Doc.LibraryBlock(blk)
	if !isEntry {
		return "", nil, false
	}
	if r, ok := e.newRuns[rt.Block]; ok {
		return r.name, r.err, true
	}
	if e.newRuns == nil {
		e.newRuns = map[string]refRunOf{}
	}
	e.newRuns[rt.Block] = refRunOf{err: errRunCycle}
	r := e.planLibraryRun(rt, entry, added)
	if r.err != nil {
		r.err = fmt.Errorf("the Library of Babel entry %s (%s), a run of it Borges cannot make: %w", entry.Name, e.refWritten(rt), r.err)
	}
	e.newRuns[rt.Block] = r
	return r.name, r.err, true
}

// planLibraryRun plans rt, a run of entry (libraryRun).
func (e *Edits) planLibraryRun(rt *Task, entry org.LibraryEntry, added map[string]string) refRunOf {
	if why, bad := e.runFailing(rt); bad {
		return refRunOf{err: errors.New(why)}
	}
	by := e.byName[rt.callOf]
	if by == nil || by.Index < 0 || by.called != nil {
		return refRunOf{err: fmt.Errorf("it is referred to inside another run, which Borges does not plan anew")}
	}
	switch {
	case rt.Cache:
		return refRunOf{err: fmt.Errorf("it is :cache yes, whose hash of the entry Borges does not reproduce")}
	case rt.File != "":
		return refRunOf{err: fmt.Errorf("it writes a :results file (:file %s), which Borges does not order with that file's other readers and writers", rt.File)}
	case rt.Session != nil && rt.Session.Kind != string(session.Emacs):
		return refRunOf{err: fmt.Errorf("it runs in a session (:session %s), where Borges does not place it", rt.Session.Name)}
	case rt.Session != nil && !pureLisp(entry.Body):
		return refRunOf{err: fmt.Errorf("its body is Emacs Lisp that may read point or the buffer, which Emacs runs with point where org-babel-ref-resolve left it, not at a block, and Borges does not reproduce that")}
	}
	key := -1
	if rt.Session != nil {
		k, err := e.keyOf(by)
		if err != nil {
			return refRunOf{err: err}
		}
		key = k
	}
	r := e.planRun(rt, added, key)
	return r
}

// libraryUnrun is why a reference to name, which the buffer's plan has
// no task of, finds an entry of the Library of Babel that Borges does
// not run (its language none Borges runs, its parameters unread), ""
// where no entry has that name: org-babel-ref-resolve finds the entry
// after the buffer and runs it, or stops there, which Borges does not
// reproduce.
func (b *builder) libraryUnrun(name string) string {
	from := b.doc.LibraryFrom()
	if from < 0 {
		return ""
	}
	for _, blk := range b.doc.Blocks {
		if blk.Start < from || blk.Name != name {
			continue
		}
		e, _ := b.doc.LibraryBlock(blk)
		if blk.Problem != "" {
			return blk.Problem
		}
		return fmt.Sprintf("it names the Library of Babel entry %s, which an Emacs Lisp block added or changed, of language %s, which Borges does not run: Emacs runs it there, or stops if it has no org-babel-execute function for it", name, e.Lang)
	}
	return ""
}

// refRunsThere is the first name x's :var values (x a block :eval
// refuses, as the Org buffer holds it) give of a source block or #+call:
// line, or of a Library of Babel entry, that org-babel-ref-resolve runs
// resolving them: "" for none (literals, Lisp forms, named data).
func (e *Edits) refRunsThere(x *org.Block) string {
	for _, raw := range x.Vars {
		if _, _, isForm := lispForm(raw); isForm {
			continue
		}
		_, rhs, found := strings.Cut(raw, "=")
		rhs = trimVarComma(strings.TrimSpace(rhs))
		if !found || rhs == "" {
			continue
		}
		if _, literal, err := parseLiteral(rhs); err == nil && literal {
			continue
		}
		r, ok := parseRef(rhs)
		if !ok {
			return rhs
		}
		if _, data := e.Doc.NamedData(r.name); data {
			continue
		}
		return r.name
	}
	return ""
}

// libraryForm is the form Emacs evaluates running name, a Library of
// Babel entry of Emacs Lisp, for a :var value of a block :eval refuses
// (turnLispFormsWith): its body in a progn, as org-babel-execute:emacs-lisp
// evaluates it, where that body is Lisp that changes no buffer and calls
// no code of the document's (refusedFormLisp) and the entry's
// parameters ask nothing else of the run (no :var, :post, :eval,
// :dir, :cache, :noweb (Emacs expands the body's noweb references,
// running the blocks they call) or session). ok false for any other name.
func (e *Edits) libraryForm(name string) (string, bool) {
	if e.Doc.LibraryFrom() < 0 || !nameOnly(name) {
		return "", false
	}
	blk, err := e.Doc.CalledWith(name, "", "")
	if err != nil {
		return "", false
	}
	entry, ok := e.Doc.LibraryBlock(blk)
	if !ok || !elispLangs[entry.Lang] || len(blk.Vars) > 0 {
		return "", false
	}
	for _, a := range blk.Args {
		switch a.Key {
		case "results", "exports", "tangle", "comments", "padline", "hlines", "lexical", "wrap", "colnames", "rownames", "hlines-string":
		case "cache", "noweb":
			if a.Value != "no" {
				return "", false
			}
		case "session":
			if a.Value != "none" {
				return "", false
			}
		default:
			return "", false
		}
	}
	form := "(progn " + entry.Body + "\n)" // as org-babel-execute:emacs-lisp: "(progn %s\n)"
	if !refusedFormLisp(form) {
		return "", false
	}
	return form, true
}

// nameOnly reports whether s is a name alone: no arguments, index or
// file in it.
func nameOnly(s string) bool {
	return s != "" && !strings.ContainsAny(s, "()[]:\"' \t")
}
