// Package org reads Org documents the way Emacs Org Babel (Org 9.5.5, Emacs
// 28.2) reads them: source blocks, their affiliated keywords, merged header
// arguments, #+call: lines, noweb references, and the write-back of results.
//
// The package is pure: text in, values out. Nothing here runs code or touches
// files.
package org

import (
	"sort"
	"strings"
	"sync"
)

// Document is one Org text as Babel sees it.
type Document struct {
	// Text is the document exactly as given.
	Text string
	// Blocks are the source blocks in document order, the same ones
	// org-babel-map-src-blocks visits (blocks under COMMENT headings
	// included; see Block.Commented), and those it does not visit
	// (Block.Unmapped: a bare #+begin_src line, a NUL in the body),
	// which org-babel-execute-buffer visits too.
	Blocks []*Block
	// Calls are the #+call: lines in document order.
	Calls []*Call
	// Inline are the inline source blocks (src_LANG[…]{…}) of the
	// document's paragraphs, in document order (see Block.Inline).
	Inline []*Block
	// InlineUnrun are the inline calls Emacs runs nothing for (their
	// Block nil): the first element of the name is data
	// (Call.Overridden), or no block has the name (Call.Problem).
	InlineUnrun []*Call
	// Keywords are the in-buffer settings (#+KEY: value) that stand outside
	// any block, in document order. Used for configuration files and
	// #+PROPERTY lines.
	Keywords []Keyword
	// Visit is where the sender visits the document, for the links of
	// :results file blocks (see linkPath); the zero Visit when not
	// known.
	Visit Visit

	// p is the parse of Text, kept for the write-back and the reads of
	// results and named data. Merges after Parse (RefCallee, CalledWith,
	// Callee) share no scratch with each other, and the parser's name
	// indexes (named, namedCalls) are built once under a sync.Once, so
	// that goroutines may look names up at once. The inherited
	// properties' memo, which fills on first use for an entry Parse did
	// not visit, and a call's calledByCall, set by a lookup after Parse
	// for a call no #+call: line calls, are written and read under the
	// parser's lock (lockMemo; Document.CalledByCall).
	p     *parser
	pOnce sync.Once
	named namedIndex
	noweb nowebIndex

	// textReport is a report of Text (no properties or defaults
	// reported) whose parse (BufferReport.Document) writeRound reads
	// the document's buffer in: made once, on first use.
	textReportOnce sync.Once
	textReport     *BufferReport
}

// parser is the parse of the document's text: the one Parse made, or one
// made now for a Document built by hand.
func (d *Document) parser() *parser {
	d.pOnce.Do(func() {
		if d.p == nil {
			d.p = newParser(d.Text)
		}
	})
	return d.p
}

// Keyword is one #+KEY: VALUE line.
type Keyword struct {
	Line  int    // 1-based line number
	Key   string // as written, without "#+" and ":"; compare case-insensitively
	Value string // trimmed
}

// Arg is one header argument, key without its leading colon.
type Arg struct {
	Key   string
	Value string
	// String is set when the value was written as a Lisp string
	// (":file-desc \"42\""): Babel reads it as that string, where the
	// same text unquoted may read as a number or a vector.
	String bool
	// Symbol is set when the value is a Lisp symbol, which only a
	// default header argument an Emacs Lisp block set can be (see
	// HeaderDefaults): Value is the symbol as prin1 prints it, and
	// org-babel-sha1-hash prints it so. A header value written as a
	// quoted symbol ('x) is one too (Written).
	Symbol bool
	// Printed is set when the value is a Lisp list or vector a header
	// value written as a constant evaluates to ('(a "b"), [1 2]), or an
	// infinity or NaN ('1.0e+INF), which Babel reads from no text: Value
	// is it as prin1 prints it, and org-babel-sha1-hash prints it so.
	Printed bool
	// Written is the Lisp constant, as written, Babel evaluated to
	// Value ('"x", '(a b), [1 2], `y); "" for a value read otherwise.
	Written string
	// Form is set when the value is Lisp Babel evaluates as it reads
	// the header and Borges does not ((concat "n" "o"), (+ 1 2)):
	// Value is the form as written, as a light read keeps it (a called
	// block's own header, org-babel-lob--src-info). Read otherwise, its
	// value is unknown: Borges refuses it where it reads the argument
	// (see formsRead); elsewhere it is hashed as written, and said so
	// (plan's notes).
	Form bool
	// fails is set on a Form that is a function Babel calls without
	// arguments and that needs some (rawArg.fails): Emacs stops at the
	// block, which formsRead says.
	fails string
	// void is rawArg.void, where the merge kept it (merger.void).
	void string
}

// raw is a as a layer of merged arguments. light (a called block's own
// arguments, which org-babel-lob-get-info reads unevaluated) takes a
// value Babel evaluated back to its text.
func (a Arg) raw(light bool) rawArg {
	if light && a.Written != "" {
		return rawArg{Key: ":" + a.Key, Value: strp(a.Written)}
	}
	r := rawArg{Key: ":" + a.Key, Value: strp(a.Value), String: a.String, Symbol: a.Symbol, Printed: a.Printed, Written: a.Written, Form: a.Form && !light}
	if !light {
		// A light read calls and evaluates nothing.
		r.fails, r.void = a.fails, a.void
	}
	return r
}

// Args is an ordered set of header arguments, as Babel's params alist.
type Args []Arg

// Get returns the value of key (without colon) and whether it is present.
func (a Args) Get(key string) (string, bool) {
	for _, arg := range a {
		if arg.Key == key {
			return arg.Value, true
		}
	}
	return "", false
}

// Light returns the value of key (without colon) as Babel reads it light
// (org-babel-get-src-block-info 'light): a Lisp constant as written.
func (a Args) Light(key string) (string, bool) {
	arg, ok := a.Lookup(key)
	if ok && arg.Written != "" {
		return arg.Written, true
	}
	return arg.Value, ok
}

// Lookup returns the argument of key (without colon) and whether it is
// present.
func (a Args) Lookup(key string) (Arg, bool) {
	for _, arg := range a {
		if arg.Key == key {
			return arg, true
		}
	}
	return Arg{}, false
}

// Block is one source block.
type Block struct {
	Index     int // position in Document.Blocks
	Line      int // 1-based line where the element begins: its first affiliated keyword, else #+begin_src
	BeginLine int // 1-based line of #+begin_src
	EndLine   int // 1-based line of #+end_src

	// Start and End are byte offsets into Document.Text: Start is the
	// beginning of the element's first line (affiliated keywords
	// included); End is just past the newline of the #+end_src line (or
	// the end of the text when that line has none).
	Start, End int

	Indent int    // columns of indentation before #+begin_src
	Name   string // from #+name:, "" when unnamed
	// NameKey is the keyword the name is written with, upper case: NAME
	// or an old spelling Org still reads as one (TBLNAME, SRCNAME,
	// SOURCE, DATA, LABEL, RESNAME). See Referable.
	NameKey  string
	Lang     string
	Switches string // -n, -r, -l "…", -i … as written, apart from header args

	// Args are the merged header arguments but :var, in Babel's order, with
	// Org's defaults included; values as Emacs prints them.
	Args Args
	// Vars are the raw :var assignments in Babel's order ("x=5").
	Vars []string

	// Body is the body as Babel hands it to a language: commas unescaped,
	// common indentation removed (unless -i or :preserve-indentation),
	// coderefs handled. Noweb references are not expanded here; see
	// Document.ExpandNoweb.
	Body string

	// Problem is what Babel would signal reading this block (a malformed
	// header argument), or "".
	Problem string
	// Stop is set, with Problem, when what Babel signals is an error
	// org-babel-execute-buffer stops at (EmacsStop): its message.
	Stop string
	// ReadsLisp is set when a header value of the block (a property's,
	// its line's or a #+header: line's), a later one replacing it or
	// not, is a Lisp form org-babel-read evaluates as it reads the
	// header and Borges does not (Arg.Form), or *this*: reading the
	// block's information as org-babel-get-src-block-info does (not
	// light), Emacs evaluates it, and Borges cannot tell what that
	// does, nor whether it signals.
	ReadsLisp bool

	// Commented is true when the block sits under a COMMENT heading: Babel
	// visits it but will not evaluate it.
	Commented bool
	// Unmapped is set on a block org-babel-map-src-blocks does not
	// visit, as org-babel-src-block-regexp does not match it: one of a
	// bare #+begin_src line (nothing but blanks after it, no
	// language; hunt23_nolang_bare_begin_src), or of a NUL in its body
	// (hunt24_nul_in_body). org-babel-execute-buffer
	// (org-babel-map-executables, which searches #+begin_src lines and
	// asks org-element) visits it (and stops at one of no language,
	// "No org-babel-execute function for nil!"), and references, calls
	// (org-element's names) find it; org-babel-map-src-blocks and the
	// noweb references (org-babel-src-block-regexp, which needs a
	// language) do not.
	Unmapped bool

	// Call is set when this is not a source block but what a #+call: line
	// runs (Document.Executables): the called block with the call's
	// merged arguments, its results going under the call line, whose
	// line numbers and offsets it takes.
	Call *Call
	// Inline, for an inline source block, is its 1-based position among
	// the document's inline blocks (0 for any other block). Start and End
	// are then the bytes of "src_…{…}" and the blanks after it; Line,
	// BeginLine and EndLine the line it starts on.
	Inline int
}

// Call is one #+call: line: #+call: name[inside](args) outside.
type Call struct {
	Line       int
	Start, End int
	Name       string // the called block's name
	Inside     string // header args between [] applied to the called block
	Arguments  string // what stands between (), raw
	Outside    string // header args after the closing paren, applied to the call's results
	Args       Args   // merged header args of the call, as for a block
	Vars       []string
	Indent     int
	AffName    string // #+name: of the call line, if any
	AffNameKey string // the keyword AffName is written with, as Block.NameKey
	// Unsearched is set, with Block nil, when the called name is only
	// written with a spelling org-babel-lob--src-info does not search
	// (#+srcname:, …): Emacs runs nothing, silently.
	Unsearched string
	// Overridden is set, with Block nil, when the first element of the
	// called name (#+name: or #+tblname:) is no source block or
	// #+call: line but data (a table, a list, an example block, a
	// paragraph…), a block or call of that name after it or not:
	// org-babel-lob--src-info stops its search at that element and
	// finds nothing, so Emacs runs nothing, silently. It says why.
	Overridden string
	// Unfound is set, with Block nil and Problem, when no block or
	// #+call: line has the called name at all: Emacs runs nothing for
	// the call, silently, and stops at a block referring to the call
	// line by its own name (NamedCallRunsNothing). Borges refuses such
	// a call (a typo, most likely) unless a block refers to it.
	Unfound bool
	// calledByCall is set on an Unfound call line that another #+call:
	// line, an inline call or a reference calls (calleeCall): Emacs
	// runs nothing for either, and Borges skips both. A lookup after
	// Parse (a reference's, CalledWith) may set it first, under the
	// parser's lock: read it through Document.CalledByCall.
	calledByCall bool
	Commented    bool
	Problem      string // what Babel would signal merging its arguments, or ""
	Stop         string // set with Problem when Emacs stops there: see Block.Stop
	// DirOfBlock: the call's :dir is its called block's (no header
	// argument of the call, or property where it stands, sets one).
	// org-babel-lob--src-info reads the block's header arguments
	// without evaluating them: a Lisp :dir is taken as written.
	DirOfBlock bool
	// Ordinal is the call's 1-based position among the document's calls.
	Ordinal int
	// Block is what the call runs: see Block.Call. Nil when the called
	// block is not found.
	Block *Block
}

// Executables are what org-babel-execute-buffer runs, in document order:
// the source blocks and the #+call: lines (as their pseudo-blocks). A
// pseudo-block's Index follows the source blocks' (len(Blocks)+i), so
// that results for both are keyed alike.
func (d *Document) Executables() []*Block {
	out := make([]*Block, 0, len(d.Blocks)+len(d.Calls)+len(d.Inline))
	out = append(out, d.Blocks...)
	out = append(out, d.Inline...)
	for _, c := range d.Calls {
		if c.Block != nil {
			out = append(out, c.Block)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// BlockAt is the source block or call pseudo-block of an Index.
func (d *Document) BlockAt(i int) *Block {
	if i >= 0 && i < len(d.Blocks) {
		return d.Blocks[i]
	}
	if j := i - len(d.Blocks); j >= 0 && j < len(d.Calls) {
		return d.Calls[j].Block
	}
	if j := i - len(d.Blocks) - len(d.Calls); j >= 0 && j < len(d.Inline) {
		return d.Inline[j]
	}
	return nil
}

// Referable reports whether Babel's references (:var, :stdin, a #+call:)
// find the block by its name: they search the lines of
// org-babel-data-names, #+name: and #+tblname:, not #+srcname:,
// #+source:, #+data: and the other spellings Org reads as a name.
func (b *Block) Referable() bool {
	return b.Name != "" && referableKey(b.NameKey)
}

// NowebReferable reports whether a noweb reference finds the block by its
// name: org-babel-named-src-block-regexp-for-name searches #+name: lines
// only.
func (b *Block) NowebReferable() bool {
	return b.Name != "" && b.NameKey == "NAME"
}

func referableKey(k string) bool { return k == "NAME" || k == "TBLNAME" }

// NameKeyword is how the name's keyword is written, for messages:
// "#+srcname:".
func NameKeyword(key string) string { return "#+" + strings.ToLower(key) + ":" }
