package org

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// The Library of Babel (org-babel-library-of-babel) is where
// org-babel-ref-resolve looks for a reference after the buffer (and
// after Org's IDs): an entry (NAME . INFO), INFO as
// org-babel-get-src-block-info gives it (language, body, parameters,
// …), which an Emacs Lisp block may push there or org-babel-lob-ingest
// add from a file. Emacs runs an entry found so as
// (org-babel-execute-src-block nil INFO PARAMS): its own parameters,
// merged with the reference's arguments and :results silent, no
// default header arguments or properties merged in. The document's
// Emacs reports the entries its Lisp added or changed since its buffer
// was started (BufferReport.Library); Borges plans a reference to one
// as a run of a block of the entry's language, body and parameters
// (BufferReport.PlanDocument).

// LibraryEntry is an entry of the Library of Babel the document's Emacs
// reports: its name (a symbol's, which org-babel-ref-resolve's assq
// finds), language, body and parameters. Unread says why Borges cannot
// run it ("" when it can): a reference to it fails saying so.
type LibraryEntry struct {
	Name, Lang, Body string
	Params           []rawArg
	Unread           string
}

// readLibrary reads the n lines of Library of Babel entries of a buffer
// report (borges--report): for each entry a line "NAME LANG BODY COUNT",
// NAME a Lisp string, LANG and BODY Lisp strings or - (not a string: the
// entry is not read), or both + (the entry past the report's caps, by
// its name alone: not read), then its COUNT parameters (readDefaultArg). It
// returns the lines that follow.
func readLibrary(rest string, n int) ([]LibraryEntry, string, error) {
	var out []LibraryEntry
	next := reportLines(&rest, &n, "Library of Babel entries")
	for n > 0 {
		line, err := next()
		if err != nil {
			return nil, "", err
		}
		e, count, err := readLibraryHead(line)
		if err != nil || count > n {
			return nil, "", fmt.Errorf("buffer report: Library of Babel entry %q", line)
		}
		for i := 0; i < count; i++ {
			p, err := next()
			if err != nil {
				return nil, "", err
			}
			a, err := readDefaultArg(p)
			if err != nil {
				if e.Unread == "" {
					e.Unread = fmt.Sprintf("its parameters: %v", err)
				}
				continue
			}
			e.Params = append(e.Params, a)
		}
		out = append(out, e)
	}
	return out, rest, nil
}

// readLibraryHead reads an entry's first line (readLibrary).
func readLibraryHead(line string) (LibraryEntry, int, error) {
	var e LibraryEntry
	field := func() (s string, isString bool, err error) {
		line = strings.TrimLeft(line, " ")
		if strings.HasPrefix(line, "-") {
			line = line[1:]
			return "", false, nil
		}
		if !strings.HasPrefix(line, `"`) {
			return "", false, fmt.Errorf("no Lisp string")
		}
		s, _, rest, err := ReadStringUnibyte(line)
		line = rest
		return s, true, err
	}
	name, ok, err := field()
	if err != nil || !ok || name == "" {
		return e, 0, fmt.Errorf("no name")
	}
	e.Name = name
	// "+ +": past the cap on the count or size of the entries the
	// document's Emacs copies (borges--lob-max, borges--lob-nodes), the
	// entry reported by its name alone.
	if rest, ok := strings.CutPrefix(strings.TrimLeft(line, " "), "+ + "); ok {
		line = rest
		e.Unread = "it is past what the document's Emacs reports of the Library of Babel (its first 256 changed entries, each of at most 20000 conses, strings and vector slots), so Borges does not know what it runs"
		count, err := strconv.Atoi(strings.TrimSpace(line))
		if err != nil || count != 0 {
			return e, 0, fmt.Errorf("no count")
		}
		return e, 0, nil
	}
	lang, langOK, err := field()
	if err != nil {
		return e, 0, err
	}
	body, bodyOK, err := field()
	if err != nil {
		return e, 0, err
	}
	e.Lang, e.Body = lang, body
	switch {
	case !langOK:
		e.Unread = "its language is not a string"
	case !bodyOK:
		e.Unread = "its body is not a string"
	case !langRe.MatchString(lang):
		e.Unread = fmt.Sprintf("its language %q is no word Babel looks up", lang)
	}
	count, err := strconv.Atoi(strings.TrimSpace(line))
	if err != nil || count < 0 {
		return e, 0, fmt.Errorf("no count")
	}
	return e, count, nil
}

var langRe = regexp.MustCompile(`^[^ \t\n\r\f\v]+$`)

// nameRe is a name org-babel-ref-resolve can be asked for in a :var
// value or a #+call: line, which the planning document can hold on a
// #+name: line.
var nameRe = regexp.MustCompile(`^[^ \t\n\r\f\v()\[\]=,"]+$`)

// namedLineRe matches the lines org-babel-ref-resolve searches for a name
// (org-babel-named-data-regexp-for-name): #+name: and #+tblname:.
var namedLineRe = regexp.MustCompile(`(?i)^[ \t]*#\+(?:name|tblname):[ \t]*(.*?)[ \t]*$`)

// LibraryBlock reports whether b is a block of the Library of Babel in a
// document PlanDocument made (not of the buffer: Emacs never runs it in
// its turn, only for a reference), and its entry.
func (d *Document) LibraryBlock(b *Block) (LibraryEntry, bool) {
	if d == nil || b == nil || d.p == nil || d.p.library == nil || b.Start < d.p.library.from {
		return LibraryEntry{}, false
	}
	e, ok := d.p.library.entries[b.Name]
	return e, ok
}

// LibraryFrom is where the Library of Babel's blocks begin in a document
// PlanDocument made, -1 in any other.
func (d *Document) LibraryFrom() int {
	if d == nil || d.p == nil || d.p.library == nil {
		return -1
	}
	return d.p.library.from
}

// library is the Library of Babel's part of a planning document: where
// it starts, the entries by name.
type library struct {
	from    int
	entries map[string]LibraryEntry
}

// libraryHeading begins the Library of Babel's part of a planning
// document: a heading of its own, so that no subtree of the buffer holds
// its blocks (a COMMENT one, properties).
const libraryHeading = "* Library of Babel (reported by the document's Emacs)\n"

// PlanDocument is the buffer parsed (Document) for planning, with the
// Library of Babel entries the report holds after it: each a named block
// of its language and body, whose arguments are the entry's parameters
// alone (no default or property merged, as Emacs runs it), that a
// reference finds where the buffer has nothing of its name (RefFinds:
// no element, no heading of that CUSTOM_ID or ID), as
// org-babel-ref-resolve finds it after the buffer. An entry whose name
// the buffer gives only under a COMMENT heading, or whose name a heading
// may hold (org-babel-ref-resolve looks for a heading of that name
// before the Library of Babel), is unread: Borges does not follow it.
// The text written back is never this one's.
func (r *BufferReport) PlanDocument(v Visit) (*Document, error) {
	base, err := r.Document(v)
	if err != nil || len(r.Library) == 0 {
		return base, err
	}
	bp := base.parser()
	commented := map[string]bool{}
	for i, l := range bp.lines {
		if m := namedLineRe.FindStringSubmatch(l.Text); m != nil && bp.commented(i) {
			commented[m[1]] = true
		}
	}
	var headings []string
	for _, h := range bp.headings {
		headings = append(headings, bp.lines[h.line].Text)
	}
	var b strings.Builder
	b.WriteString(r.Text)
	if !strings.HasSuffix(r.Text, "\n") && r.Text != "" {
		b.WriteString("\n")
	}
	from := b.Len()
	b.WriteString("\n" + libraryHeading)
	lib := &library{from: from, entries: map[string]LibraryEntry{}}
	for _, e := range r.Library {
		// What org-babel-ref-resolve finds in the buffer (an element
		// named so, a heading whose CUSTOM_ID or ID it is) it finds
		// before the Library of Babel: the entry never runs.
		if _, dup := lib.entries[e.Name]; dup || base.RefFinds(e.Name) || !nameRe.MatchString(e.Name) {
			continue
		}
		switch {
		case e.Unread != "":
		case commented[e.Name]:
			e.Unread = "the buffer names it only under a COMMENT heading, which org-babel-ref-resolve passes over before it looks in the Library of Babel, and Borges does not follow that"
		case headingHolds(headings, e.Name):
			e.Unread = "a heading of the buffer holds its name, and org-babel-ref-resolve looks for a heading of that name before the Library of Babel, which Borges does not follow"
		}
		lang := e.Lang
		if e.Unread != "" || lang == "" {
			lang = "unread"
		}
		lib.entries[e.Name] = e
		b.WriteString("\n#+name: " + e.Name + "\n#+begin_src " + lang + "\n" + escapeCode(e.Body) + "\n#+end_src\n")
	}
	if len(lib.entries) == 0 {
		return base, nil
	}
	text := b.String()
	p := newParser(text)
	if r.Properties != nil {
		p.props = r.Properties
	}
	p.defaults = r.Defaults
	p.library = lib
	d := p.document()
	d.Visit = v
	return d, nil
}

// headingHolds reports whether a heading line holds name.
func headingHolds(headings []string, name string) bool {
	for _, h := range headings {
		if strings.Contains(h, name) {
			return true
		}
	}
	return false
}

// libraryArgs sets a Library of Babel block's language, body and
// arguments from its entry: its parameters alone, merged as Babel merges
// a block's, the :var ones its Vars.
func (p *parser) libraryArgs(b *Block) {
	e, ok := p.library.entries[b.Name]
	if !ok {
		return
	}
	b.Body = e.Body
	if e.Unread != "" {
		b.Problem = fmt.Sprintf("the Library of Babel entry %s, which an Emacs Lisp block added or changed: %s", e.Name, e.Unread)
		return
	}
	b.Lang = e.Lang
	var scratch varList // a merge after Parse: its own list
	if p.parsing {
		scratch = p.vars
	}
	m := newMergerInto(scratch, len(e.Params), !p.lispRuns())
	if p.parsing {
		defer func() { p.vars = m.vars }()
	}
	if err := m.add(e.Params); err != nil {
		b.Problem = fmt.Sprintf("the Library of Babel entry %s: %v", e.Name, err)
		b.Stop = EmacsStop(err)
		return
	}
	args, vars := m.result()
	if err := symbolsRead(args); err != nil {
		b.Problem = fmt.Sprintf("the Library of Babel entry %s: %v", e.Name, err)
		return
	}
	b.Args, b.Vars, b.ReadsLisp = args, vars, m.lisp
}
