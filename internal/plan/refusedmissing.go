package plan

import (
	"math"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// missingRefStop is what a block :eval refuses, at point of the Org
// buffer, whose :var reference to name finds nothing there
// (builder.refusedTurnStopOrUnread) makes of its turn: Emacs stops there
// with Reference ‘name’ not found in this buffer, unless a block run
// between the report and that turn may have written the name
// (nameMayBeWrittenSince), where Borges does not know (unread).
func (e *Edits) missingRefStop(name string, point int) (stop, unread string) {
	notFound := org.RefNotFound(name)
	switch {
	case e.nameMayBeWrittenSince(point):
		return "", "its :var reference " + name + " names no block of the Org buffer outside COMMENT headings, where Emacs stops with \"" + notFound + "\" unless a block run since the report of that buffer wrote that name, and Borges does not follow that"
	case e.lispMayNameElsewhere(point):
		return "", "its :var reference " + name + " names no block of the Org buffer outside COMMENT headings, where Emacs stops with \"" + notFound + "\" unless Lisp run before in the document's Emacs put that name in the Library of Babel or Org's ID list, where org-babel-ref-resolve looks after the buffer, and Borges does not follow that"
	}
	return notFound, ""
}

// lispMayNameElsewhere reports whether Lisp the document's Emacs runs
// before the turn at point of the Org buffer may put a name in the
// Library of Babel (org-babel-lob-ingest, org-babel-library-of-babel) or
// Org's ID list, where org-babel-ref-resolve looks for a name the buffer
// lacks: an Emacs Lisp block that does more than edit the buffer
// (bufferEditLisp), or any block that runs Lisp or another block
// (runsMore). Emacs starts with neither holding a name of the
// document's, as the plan of the submitted document supposes
// (TestUnknownReferenceRefused).
func (e *Edits) lispMayNameElsewhere(point int) bool {
	for _, x := range e.Doc.Executables() {
		if e.Doc.Point(x) >= point {
			continue
		}
		if runsMore(e.Doc, x) {
			return true
		}
		if _, refused := org.EvalRefused(x.Args); elispLangs[x.Lang] && x.Call == nil && !refused && !bufferEditLisp(x.Body) {
			return true
		}
	}
	return false
}

// nameMayBeWrittenSince reports whether a block Emacs runs between the
// report of the Org buffer and the turn at point may have put a #+name:
// there that the report lacks. The report is of the buffer the last task
// of the document's Emacs before point left (the engine decides a block
// from that Emacs's latest report before it), so the blocks from that
// task's turn up to point count (nameWriters): the first Emacs Lisp
// block at that turn, having run before the report, only by its results.
// With no such task, every block before point counts.
func (e *Edits) nameMayBeWrittenSince(point int) bool {
	if e.nameWriters == nil {
		e.nameWriters = e.findNameWriters()
	}
	from := math.MinInt
	if k, _ := slices.BinarySearch(e.emacsTurns, point); k > 0 {
		from = e.emacsTurns[k-1]
	}
	i, _ := slices.BinarySearch(e.nameWriters, from)
	return i < len(e.nameWriters) && e.nameWriters[i] < point
}

// findNameWriters is the points, sorted, of the Org buffer's executables
// whose run may write a name in the buffer (runMayWriteName), an Emacs
// Lisp block at a turn of the document's Emacs (which ran before the
// report of it) only by its results (orgResults). Never nil.
func (e *Edits) findNameWriters() []int {
	writers := []int{}
	for _, x := range e.Doc.Executables() {
		at := e.Doc.Point(x)
		_, emacsTurn := slices.BinarySearch(e.emacsTurns, at)
		if emacsTurn && elispLangs[x.Lang] && x.Call == nil {
			if orgResults(x) {
				writers = append(writers, at)
			}
			continue
		}
		if runMayWriteName(e.Doc, x) {
			writers = append(writers, at)
		}
	}
	slices.Sort(writers)
	return writers
}

// runMayWriteName reports whether Emacs, reaching blk, an executable of
// doc, in org-babel-execute-buffer, may put a name in the buffer,
// whatever the language of the blocks it runs: blk is Emacs Lisp, runs
// Lisp or another block (runsMore), or has results written as Org text
// (orgResults) that may hold a #+name:. A block :eval refuses writes no
// results, but its :var values are read; a block under a COMMENT
// heading is counted as any other.
func runMayWriteName(doc *org.Document, blk *org.Block) bool {
	if elispLangs[blk.Lang] || runsMore(doc, blk) {
		return true
	}
	if _, refused := org.EvalRefused(blk.Args); refused {
		return false
	}
	return orgResults(blk)
}

// runsMore reports whether Emacs, reaching blk, an executable of doc, in
// org-babel-execute-buffer, runs Lisp or a block besides blk's body: blk
// is a call, reads a header value as Lisp, has a :var value that is
// neither a literal nor a reference reading data (readsDataOnly: a
// reference may run a block, a Lisp value is evaluated), a :post, or
// noweb references. A block :eval refuses runs none of its own but its
// :var values are read.
func runsMore(doc *org.Document, blk *org.Block) bool {
	if blk.Call != nil || blk.ReadsLisp {
		return true
	}
	for _, a := range blk.Args {
		if a.Form {
			return true
		}
	}
	for _, raw := range blk.Vars {
		_, rhs, ok := strings.Cut(raw, "=")
		if !ok {
			return true
		}
		rhs = trimVarComma(strings.TrimSpace(rhs))
		if _, literal, err := parseLiteral(rhs); err == nil && literal {
			continue
		}
		if r, ok := parseRef(rhs); !ok || !readsDataOnly(doc, r) {
			return true
		}
	}
	if _, ok := blk.Args.Get("post"); ok {
		return true
	}
	nw, ok := blk.Args.Get("noweb")
	return ok && nw != "no" && strings.Contains(blk.Body, "<<")
}

// readsDataOnly reports whether org-babel-ref-resolve, resolving r in
// doc, reads data and runs nothing: the first element of r's name
// outside COMMENT headings is a table, a list or an example block
// (org.Document.NamedData), and r passes it no arguments. A source
// block or call of the name runs; a name the buffer lacks is looked for
// in the Library of Babel, whose entries run.
func readsDataOnly(doc *org.Document, r parsedRef) bool {
	if r.call != nil {
		return false
	}
	_, ok := doc.NamedData(r.name)
	return ok
}

// orgResults reports whether blk's results are written as Org text,
// which may hold a #+name: (:results raw, drawer or org, any :wrap).
func orgResults(blk *org.Block) bool {
	if _, ok := blk.Args.Get("wrap"); ok {
		return true
	}
	if res, ok := blk.Args.Get("results"); ok {
		for _, w := range strings.Fields(res) {
			if w == "raw" || w == "drawer" || w == "org" {
				return true
			}
		}
	}
	return false
}
