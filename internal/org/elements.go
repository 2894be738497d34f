package org

import (
	"sort"
	"strings"
)

// This file finds the elements Babel cares about — source blocks, #+call:
// lines and keywords — the way org-element (Org 9.5.5) parses a buffer:
// element by element, each greater element (drawer, dynamic block, center,
// quote and special blocks, footnote definition) parsed inside its own
// limits, so that a "#+begin_src" line inside an example block, a verse
// block or an unclosed construct is not taken for a block. Lists are read
// transparently: a block inside an item is found as in Emacs because the
// list structure never cuts a block (org-list skips over blocks); each
// list's structure is kept (liststruct.go), so that a block ending an
// item is known.

// srcElem is a src-block element.
type srcElem struct {
	begin int // line of the first affiliated keyword, else of #+begin_src
	post  int // line of #+begin_src
	end   int // line of #+end_src
	// limit is the line its container's contents end at (the closing
	// line of a drawer or block, the end of a footnote definition, the
	// next heading): org-babel-where-is-src-block-result looks for no
	// anonymous results there.
	limit int
	// inFootnote: the block is inside a footnote definition (at any
	// depth), where org-indent-line puts its new #+RESULTS: line at
	// column 0.
	inFootnote bool
	// endsItem: the block is the last element of a list item (see
	// scanner.endsItem).
	endsItem bool
	name     string
	hasName  bool
	nameKey  string   // the spelling of the keyword the name is from: NAME, TBLNAME, SRCNAME, …
	headers  []string // #+header: values, last line first (as org-element stores them)
}

// callElem is a babel-call element (#+call: line).
type callElem struct {
	begin, post int
	limit       int  // as srcElem's
	inFootnote  bool // as srcElem's
	endsItem    bool // as srcElem's
	name        string
	hasName     bool
	nameKey     string // as srcElem's
	headers     []string
}

// elements is what one scan of a document yields.
type elements struct {
	srcs     []srcElem
	calls    []callElem
	keywords []Keyword
	// paras are the paragraphs, verse blocks' contents and captions,
	// [from, to) lines each: where inline source blocks are found
	// (inline.go).
	paras [][2]int
	// srcAt maps a line index to the src element whose lines (from
	// #+begin_src to #+end_src) contain it, as index into srcs + 1 (0: none).
	srcAt []int32
	// closers are the closing lines of the drawers and special blocks
	// (the greater elements org-babel-result-end takes for results):
	// org-element-at-point on such a line is the drawer or block itself.
	closers map[int]bool
	// latexEnvs maps the first line of each LaTeX environment to its
	// last: a "#+RESULTS: NAME" line inside is its text, which
	// org-babel-find-named-result passes over.
	latexEnvs map[int]int
}

type scanner struct {
	lines []line
	out   *elements
	// Indexes of closing lines, so that looking for the end of a construct
	// that has none costs a binary search, not a scan to the limit: a
	// document of many unclosed "#+begin_x" lines stays linear.
	blockEnds  map[string][]int // "#+END_TYPE" lines by upper-cased type
	drawerEnds []int            // ":END:" lines
	dynEnds    []int            // "#+END:" lines
	dynColon   []int            // "#+END:" lines with their colon
	latexEnds  map[string][]int // lines ending with "\end{NAME}"
	run        tableRun         // see tableElAt
	inFootnote bool             // parsing a footnote definition's contents
	// list is the plain list being parsed at this level of greater
	// elements (nil: none yet), as org-element--list-struct has it.
	list *listSpans
}

// tableRun is a run of lines starting with "+" or "|": lines[from:end],
// ended by another line or by limit.
type tableRun struct{ from, end, limit int }

func newScanner(lines []line) *scanner {
	s := &scanner{lines: lines, out: &elements{srcAt: make([]int32, len(lines)), closers: map[int]bool{}, latexEnvs: map[int]int{}},
		blockEnds: map[string][]int{}, latexEnds: map[string][]int{}}
	for j, l := range lines {
		t := l.Text
		r := t[skipBlanks(t):]
		if strings.IndexByte(t, '\\') >= 0 {
			s.indexLatexEnds(j, t)
		}
		if r == "" || (r[0] != '#' && r[0] != ':') {
			continue
		}
		switch {
		case hasPrefixFold(r, "#+END_"):
			typ := r[6:]
			k := 0
			for k < len(typ) && !isSpaceSyntax(typ[k]) {
				k++
			}
			if k > 0 && isBlank(typ[k:]) {
				u := strings.ToUpper(typ[:k])
				s.blockEnds[u] = append(s.blockEnds[u], j)
			}
		case isDrawerEnd(t):
			s.drawerEnds = append(s.drawerEnds, j)
		case isDynamicEnd(t):
			s.dynEnds = append(s.dynEnds, j)
			if strings.HasPrefix(r[len("#+END"):], ":") {
				s.dynColon = append(s.dynColon, j)
			}
		}
	}
	return s
}

// nextIn returns the first line of sorted in [from, limit), or -1.
func nextIn(sorted []int, from, limit int) int {
	k := sort.SearchInts(sorted, from)
	if k < len(sorted) && sorted[k] < limit {
		return sorted[k]
	}
	return -1
}

func (s *scanner) blockEnd(from, limit int, typ string) int {
	return nextIn(s.blockEnds[strings.ToUpper(typ)], from, limit)
}

// scanElements parses the whole document (the scanner's out). headings
// are the heading line indexes in order.
func scanElements(lines []line, headings []int) *scanner {
	s := newScanner(lines)
	// The zeroth section runs from the top to the first heading.
	first := len(lines)
	if len(headings) > 0 {
		first = headings[0]
	}
	s.parseElements(0, first, true)
	for i, h := range headings {
		next := len(lines)
		if i+1 < len(headings) {
			next = headings[i+1]
		}
		j := h + 1
		if j < next && isPlanningLine(lines[j].Text) {
			j++
		}
		if end, ok := propertyDrawerAt(lines, j, next); ok {
			j = end + 1
		}
		s.parseElements(j, next, false)
	}
	return s
}

// parseElements parses the elements of lines [from, limit).
func (s *scanner) parseElements(from, limit int, top bool) {
	i := from
	if top {
		// A property drawer may open the document, after comments.
		j := i
		for j < limit && isCommentLine(s.lines[j].Text) {
			j++
		}
		if end, ok := propertyDrawerAt(s.lines, j, limit); ok && (j == 0 || !isBlank(s.lines[j-1].Text)) {
			s.parseRange(i, j, limit)
			i = end + 1
		}
	}
	s.parseRange(i, limit, limit)
}

// parseRange parses elements starting at lines [from, to), each bounded by
// limit.
func (s *scanner) parseRange(from, to, limit int) {
	outer := s.list
	s.list = nil
	for i := from; i < to; {
		i = s.element(i, limit)
	}
	s.list = outer
}

// element parses the element starting at line i and returns the line after
// it.
func (s *scanner) element(i, limit int) int {
	lines := s.lines
	t := lines[i].Text
	if isBlank(t) {
		return i + 1
	}
	if isCommentLine(t) {
		for i < limit && isCommentLine(lines[i].Text) {
			i++
		}
		return i
	}
	if isClockLine(t) {
		return i + 1
	}
	// Affiliated keywords.
	origin := i
	var aff affiliation
	for i < limit {
		kw, ok := affiliatedKeyword(lines[i].Text)
		if !ok {
			break
		}
		aff.add(kw)
		i++
	}
	if i > origin && i < limit && !isBlank(lines[i].Text) {
		// A caption (parsed: objects, inline blocks among them)
		// attached to the element that follows.
		for k := origin; k < i; k++ {
			if kw, _ := affiliatedKeyword(lines[k].Text); kw.key == "CAPTION" {
				s.out.paras = append(s.out.paras, [2]int{k, k + 1})
			}
		}
	}
	if i > origin && (i >= limit || isBlank(lines[i].Text)) {
		// Keywords running into the limit, or orphaned (before a blank
		// line), are plain keywords, each an element of its own. (Parsing
		// from the next one would find the same run and the same end:
		// they are all taken at once, so that a long run costs its
		// length, not its square.)
		for k := origin; k < i; k++ {
			s.keyword(k)
		}
		return i
	}
	t = lines[i].Text
	ind := skipBlanks(t)
	rest := t[ind:]
	switch {
	case strings.HasPrefix(rest, `\begin{`):
		if name, ok := latexBegin(rest); ok {
			if end := nextIn(s.latexEnds[name], i, limit); end >= 0 {
				s.out.latexEnvs[i] = end
				return end + 1
			}
		}
		return s.paragraph(i, limit)
	case isDrawerLine(t):
		if end := nextIn(s.drawerEnds, i+1, limit); end >= 0 {
			s.parseRange(i+1, end, end)
			s.out.closers[end] = true
			return end + 1
		}
		return s.paragraph(i, limit)
	case isFixedWidth(rest):
		for i < limit && isFixedWidth(lines[i].Text[skipBlanks(lines[i].Text):]) {
			i++
		}
		return i
	case strings.HasPrefix(rest, "#+"):
		after := rest[2:]
		switch {
		case hasPrefixFold(after, "BEGIN_") && len(after) > 6 && !isSpaceSyntax(after[6]):
			typ := after[6:]
			if k := strings.IndexAny(typ, " \t\r\f"); k >= 0 {
				typ = typ[:k]
			}
			end := s.blockEnd(i+1, limit, typ)
			if end < 0 {
				return s.paragraph(i, limit)
			}
			switch strings.ToUpper(typ) {
			case "SRC":
				s.src(origin, i, end, limit, &aff)
			case "VERSE":
				// Its lines are objects (inline blocks among them).
				if end > i+1 {
					s.out.paras = append(s.out.paras, [2]int{i + 1, end})
				}
			case "COMMENT", "EXAMPLE", "EXPORT":
			case "CENTER", "QUOTE":
				s.parseRange(i+1, end, end)
			default: // special blocks hold elements
				s.parseRange(i+1, end, end)
				s.out.closers[end] = true
			}
			return end + 1
		case hasPrefixFold(after, "CALL:"):
			s.call(origin, i, limit, &aff)
			return i + 1
		case hasPrefixFold(after, "BEGIN ") || hasPrefixFold(after, "BEGIN: "):
			end := nextIn(s.dynEnds, i+1, limit)
			if end < 0 {
				return s.paragraph(i, limit)
			}
			s.parseRange(i+1, end, end)
			return end + 1
		case keywordLike(after):
			s.keyword(i)
			return i + 1
		}
		return s.paragraph(i, limit)
	case ind == 0 && isFootnoteDef(t):
		end := footnoteEnd(lines, i, limit)
		// The rest of the first line is a paragraph; then elements.
		// (A definition starts at column 0 only, so none is inside
		// another: the flag needs no saving.)
		j := s.paragraph(i, end)
		s.inFootnote = true
		s.parseRange(j, end, end)
		s.inFootnote = false
		return end
	case isHorizontalRule(rest):
		return i + 1
	case ind == 0 && strings.HasPrefix(t, "%%("):
		return i + 1
	case strings.HasPrefix(rest, "|"):
		for i < limit {
			r := lines[i].Text[skipBlanks(lines[i].Text):]
			if !strings.HasPrefix(r, "|") {
				break
			}
			i++
		}
		for i < limit && hasPrefixFold(strings.TrimLeft(lines[i].Text, " \t"), "#+TBLFM:") {
			i++
		}
		return i
	case isTableElRule(rest) && s.tableElAt(i, limit):
		for i < limit {
			r := lines[i].Text[skipBlanks(lines[i].Text):]
			if r == "" || (r[0] != '|' && r[0] != '+') {
				break
			}
			i++
		}
		return i
	}
	if n := itemBullet(t); n > 0 {
		// A list item: its first line, after the bullet, starts a
		// paragraph (never a block); what follows is parsed as usual.
		// The first item of a list gives the list's structure.
		if isListItem(t) && (s.list == nil || i >= s.list.end) {
			s.list = s.listStruct(i, limit)
		}
		return s.paragraph(i, limit)
	}
	return s.paragraph(i, limit)
}

// paragraph parses a paragraph whose first line (after any affiliated
// keywords) is i, and returns the line after it.
func (s *scanner) paragraph(i, limit int) int {
	end := limit
	for j := i + 1; j < limit; j++ {
		if s.endsParagraph(j, limit) {
			end = j
			break
		}
	}
	s.out.paras = append(s.out.paras, [2]int{i, end})
	return end
}

func (s *scanner) keyword(i int) {
	t := s.lines[i].Text
	r := t[skipBlanks(t)+2:]
	// "[ \t]*#\+\(\S-*\):" — the key is the longest run of non-space
	// characters that is followed by a colon.
	end := 0
	for end < len(r) && !isSpaceSyntax(r[end]) {
		end++
	}
	k := strings.LastIndexByte(r[:end], ':')
	if k < 0 {
		return
	}
	s.out.keywords = append(s.out.keywords, Keyword{Line: i + 1, Key: r[:k], Value: orgTrim(r[k+1:])})
}

func (s *scanner) src(origin, post, end, limit int, aff *affiliation) {
	s.out.srcs = append(s.out.srcs, srcElem{begin: origin, post: post, end: end, limit: limit, inFootnote: s.inFootnote,
		endsItem: s.endsItem(post, end), name: aff.name, hasName: aff.hasName, nameKey: aff.nameKey, headers: aff.newestFirst()})
	n := int32(len(s.out.srcs))
	for j := post; j <= end; j++ {
		s.out.srcAt[j] = n
	}
}

func (s *scanner) call(origin, post, limit int, aff *affiliation) {
	t := s.lines[post].Text
	r := t[skipBlanks(t)+len("#+CALL:"):]
	s.out.calls = append(s.out.calls, callElem{begin: origin, post: post, limit: limit, inFootnote: s.inFootnote,
		endsItem: s.endsItem(post, post), name: aff.name,
		hasName: aff.hasName, nameKey: aff.nameKey, headers: aff.newestFirst()})
	_ = r
}

// affiliation accumulates affiliated keywords as
// org-element--collect-affiliated-keywords does.
type affiliation struct {
	name    string
	hasName bool
	nameKey string   // the keyword the name is from, untranslated (SRCNAME, …)
	headers []string // oldest first; newestFirst gives org-element's order
}

// newestFirst is the #+header: values, the last line first, as
// org-element stores them (appending, then reversing once, keeps many
// lines linear).
func (a *affiliation) newestFirst() []string {
	out := make([]string, len(a.headers))
	for i, h := range a.headers {
		out[len(out)-1-i] = h
	}
	return out
}

func (a *affiliation) add(kw affKeyword) {
	switch kw.key {
	case "NAME":
		a.name, a.hasName, a.nameKey = kw.value, true, kw.spelling
	case "HEADER":
		a.headers = append(a.headers, kw.value)
	}
}

type affKeyword struct {
	key      string // translated: DATA, LABEL, … → NAME; HEADERS → HEADER; RESULT → RESULTS
	value    string
	spelling string // the key as written (upper case), before translation
}

var keywordTranslation = map[string]string{
	"DATA": "NAME", "LABEL": "NAME", "RESNAME": "NAME", "SOURCE": "NAME",
	"SRCNAME": "NAME", "TBLNAME": "NAME", "RESULT": "RESULTS", "HEADERS": "HEADER",
}

var affiliatedNames = map[string]bool{
	"CAPTION": true, "DATA": true, "HEADER": true, "HEADERS": true, "LABEL": true,
	"NAME": true, "PLOT": true, "RESNAME": true, "RESULT": true, "RESULTS": true,
	"SOURCE": true, "SRCNAME": true, "TBLNAME": true,
}

// affiliatedKeyword matches org-element--affiliated-re at the start of t.
func affiliatedKeyword(t string) (affKeyword, bool) {
	r := t[skipBlanks(t):]
	if !strings.HasPrefix(r, "#+") {
		return affKeyword{}, false
	}
	r = r[2:]
	n := 0
	for n < len(r) && (isAlnum(r[n]) || r[n] == '_' || r[n] == '-') {
		n++
	}
	name := strings.ToUpper(r[:n])
	rest := r[n:]
	var valueStart int
	switch {
	case strings.HasPrefix(name, "ATTR_") && len(name) > 5:
		if !strings.HasPrefix(rest, ":") {
			return affKeyword{}, false
		}
		valueStart = n + 1
	case affiliatedNames[name] && !strings.ContainsRune(name, '-'):
		if strings.HasPrefix(rest, ":") {
			valueStart = n + 1
		} else if (name == "CAPTION" || name == "RESULTS") && strings.HasPrefix(rest, "[") {
			k := strings.LastIndex(rest, "]:")
			if k < 0 {
				return affKeyword{}, false
			}
			valueStart = n + k + 2
		} else {
			return affKeyword{}, false
		}
	default:
		return affKeyword{}, false
	}
	spelling := name
	if tr, ok := keywordTranslation[name]; ok {
		name = tr
	}
	v := r[valueStart:]
	v = strings.TrimLeft(v, " \t")
	v = strings.TrimRight(v, " \t")
	return affKeyword{key: name, value: orgTrim(v), spelling: spelling}, true
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isWordByte approximates Emacs's word syntax: ASCII letters and digits,
// and any non-ASCII byte (letters of other scripts).
func isWordByte(c byte) bool { return isAlnum(c) || c >= 0x80 }

func isHeading(t string) bool {
	n := 0
	for n < len(t) && t[n] == '*' {
		n++
	}
	return n > 0 && n < len(t) && t[n] == ' '
}

func isCommentLine(t string) bool {
	r := t[skipBlanks(t):]
	return r == "#" || strings.HasPrefix(r, "# ")
}

func isClockLine(t string) bool {
	return hasPrefixFold(t[skipBlanks(t):], "CLOCK:")
}

func isPlanningLine(t string) bool {
	r := t[skipBlanks(t):]
	return strings.HasPrefix(r, "CLOSED:") || strings.HasPrefix(r, "DEADLINE:") || strings.HasPrefix(r, "SCHEDULED:")
}

func isFixedWidth(rest string) bool {
	return rest == ":" || strings.HasPrefix(rest, ": ")
}

// isDrawerLine is org-drawer-regexp: ^[ \t]*:\(\(?:\w\|[-_]\)+\):[ \t]*$
func isDrawerLine(t string) bool {
	r := t[skipBlanks(t):]
	if len(r) < 3 || r[0] != ':' {
		return false
	}
	n := 1
	for n < len(r) && (isWordByte(r[n]) || r[n] == '-' || r[n] == '_') {
		n++
	}
	return n > 1 && n < len(r) && r[n] == ':' && isBlank(r[n+1:])
}

func isDrawerEnd(t string) bool {
	r := t[skipBlanks(t):]
	return hasPrefixFold(r, ":END:") && isBlank(r[5:])
}

func isDynamicEnd(t string) bool {
	r := t[skipBlanks(t):]
	if !hasPrefixFold(r, "#+END") {
		return false
	}
	r = r[5:]
	r = strings.TrimPrefix(r, ":")
	return isBlank(r)
}

// propertyDrawerAt matches org-property-drawer-re at line i: :PROPERTIES:,
// node property lines, :END:. It returns the :END: line.
func propertyDrawerAt(lines []line, i, limit int) (int, bool) {
	if i >= limit {
		return 0, false
	}
	r := lines[i].Text[skipBlanks(lines[i].Text):]
	if !hasPrefixFold(r, ":PROPERTIES:") || !isBlank(r[12:]) || !lines[i].NL {
		return 0, false
	}
	for j := i + 1; j < len(lines); j++ {
		t := lines[j].Text
		if isDrawerEnd(t) {
			return j, true
		}
		if !isNodeProperty(t) || !lines[j].NL {
			return 0, false
		}
	}
	return 0, false
}

// isNodeProperty matches "[ \t]*:\S-+:\(?: .*\)?[ \t]*".
func isNodeProperty(t string) bool {
	r := t[skipBlanks(t):]
	if len(r) < 3 || r[0] != ':' {
		return false
	}
	// \S-+ is greedy and may contain colons: find a colon after at least
	// one non-space char such that what follows is empty or a space.
	end := 1
	for end < len(r) && !isSpaceSyntax(r[end]) {
		end++
	}
	for k := end - 1; k >= 2; k-- {
		if r[k] == ':' && (k+1 == len(r) || r[k+1] == ' ' || isBlank(r[k+1:])) {
			return true
		}
	}
	return false
}

func latexBegin(rest string) (string, bool) {
	r := rest[len(`\begin{`):]
	n := 0
	for n < len(r) && (isAlnum(r[n]) || r[n] == '*') {
		n++
	}
	if n == 0 || n >= len(r) || r[n] != '}' {
		return "", false
	}
	return r[:n], true
}

// keywordLike is "\S-+:" after "#+".
func keywordLike(after string) bool {
	end := 0
	for end < len(after) && !isSpaceSyntax(after[end]) {
		end++
	}
	k := strings.LastIndexByte(after[:end], ':')
	return k >= 1
}

func isFootnoteDef(t string) bool {
	if !strings.HasPrefix(t, "[fn:") {
		return false
	}
	n := 4
	for n < len(t) && (isWordByte(t[n]) || t[n] == '-' || t[n] == '_') {
		n++
	}
	return n > 4 && n < len(t) && t[n] == ']'
}

// footnoteEnd is where a footnote definition starting at line i ends: the
// next definition (before the affiliated keywords right above it, which
// are that definition's), or two blank lines.
func footnoteEnd(lines []line, i, limit int) int {
	for j := i + 1; j < limit; j++ {
		if isFootnoteDef(lines[j].Text) {
			for j-1 > i && isAffiliatedLine(lines[j-1].Text) {
				j--
			}
			return j
		}
		if isBlank(lines[j].Text) && j+1 < limit && isBlank(lines[j+1].Text) {
			return j
		}
	}
	return limit
}

func isHorizontalRule(rest string) bool {
	n := 0
	for n < len(rest) && rest[n] == '-' {
		n++
	}
	return n >= 5 && isBlank(rest[n:])
}

// isTableElRule is "+(-+\+)+[ \t]*$".
func isTableElRule(rest string) bool {
	if !strings.HasPrefix(rest, "+-") {
		return false
	}
	r := strings.TrimRight(rest, " \t")
	if !strings.HasSuffix(r, "+") {
		return false
	}
	for k := 1; k < len(r); k++ {
		if r[k] != '-' && r[k] != '+' {
			return false
		}
		if r[k] == '+' && r[k-1] == '+' {
			return false
		}
	}
	return true
}

// tableElAt is org-element's guard against pseudo table.el tables: a full
// rule must also close the table. The run of "+" and "|" lines it looks
// at is kept (s.run): a rule in the middle of that run, checked again,
// finds the same end without a scan, so that many rules in a run that
// never closes cost the run's length, not its square.
func (s *scanner) tableElAt(i, limit int) bool {
	lines := s.lines
	if i+1 >= limit {
		return false
	}
	j := i + 1
	if r := s.run; r.limit == limit && r.from <= j && j < r.end {
		j = r.end
	}
	for j < limit {
		r := lines[j].Text[skipBlanks(lines[j].Text):]
		if r == "" || (r[0] != '+' && r[0] != '|') {
			break
		}
		j++
	}
	s.run = tableRun{from: i + 1, end: j, limit: limit}
	if j == i+1 {
		return false
	}
	return isTableElRule(lines[j-1].Text[skipBlanks(lines[j-1].Text):])
}

// itemBullet returns the length of the bullet (with its indentation and
// the following blank) when t is a list item, else 0.
func itemBullet(t string) int {
	ind := skipBlanks(t)
	r := t[ind:]
	n := 0
	switch {
	case r == "":
		return 0
	case r[0] == '-' || r[0] == '+' || r[0] == '*':
		n = 1
	default:
		for n < len(r) && r[n] >= '0' && r[n] <= '9' {
			n++
		}
		if n == 0 || n >= len(r) || (r[n] != '.' && r[n] != ')') {
			return 0
		}
		n++
	}
	if n < len(r) && r[n] != ' ' && r[n] != '\t' {
		return 0
	}
	return ind + n
}

// endsParagraph reports whether line j, inside a paragraph, starts
// something else: it matches org-element-paragraph-separate and passes
// the paragraph parser's double checks.
func (s *scanner) endsParagraph(j, limit int) bool {
	t := s.lines[j].Text
	if isHeading(t) || isFootnoteDef(t) || strings.HasPrefix(t, "%%(") {
		return true
	}
	ind := skipBlanks(t)
	r := t[ind:]
	if r == "" {
		return true
	}
	switch r[0] {
	case '|':
		return true
	case '+':
		if isTableElRule(r) {
			return true
		}
	case '#':
		if len(r) == 1 || r[1] == ' ' {
			return true
		}
		if r[1] != '+' {
			return false
		}
		after := r[2:]
		if hasPrefixFold(after, "BEGIN_") && len(after) > 6 && !isSpaceSyntax(after[6]) {
			typ := after[6:]
			if k := strings.IndexAny(typ, " \t\r\f"); k >= 0 {
				typ = typ[:k]
			}
			return s.blockEnd(j, limit, typ) >= 0
		}
		if !keywordLike(after) && !dualLike(after) {
			return false
		}
		// "[ \t]*#\+\(\S-+\)\[.*\]:" must be a dual keyword.
		if name, ok := bracketKeyword(after); ok {
			return strings.EqualFold(name, "CAPTION") || strings.EqualFold(name, "RESULTS")
		}
		return true
	case ':':
		if isDrawerLine(t) {
			return nextIn(s.drawerEnds, j, limit) >= 0
		}
		if len(r) == 1 || r[1] == ' ' {
			return true
		}
		return false
	case '-':
		if isHorizontalRule(r) {
			return true
		}
	case '\\':
		if strings.HasPrefix(r, `\begin{`) {
			if name, ok := latexBegin(r); ok {
				return nextIn(s.latexEnds[name], j, limit) >= 0
			}
		}
		return false
	case 'C', 'c':
		if hasPrefixFold(r, "CLOCK:") {
			return true
		}
	}
	return itemBullet(t) > 0
}

// dualLike matches "\S-+\[.*\]:" after "#+".
func dualLike(after string) bool {
	_, ok := bracketKeyword(after)
	return ok
}

// bracketKeyword matches "\(\S-+\)\[.*\]:" and returns the name: the
// non-space run before the last "[" that still allows a later "]:".
func bracketKeyword(after string) (string, bool) {
	end := 0
	for end < len(after) && !isSpaceSyntax(after[end]) {
		end++
	}
	closeAt := strings.LastIndex(after, "]:")
	if closeAt < 0 {
		return "", false
	}
	// \S-+ is greedy: the last "[" inside the non-space run before "]:".
	for k := min(end, closeAt) - 1; k >= 1; k-- {
		if after[k] == '[' {
			return after[:k], true
		}
	}
	return "", false
}

// indexLatexEnds records the "\end{NAME}" at the end of line j.
func (s *scanner) indexLatexEnds(j int, t string) {
	for off := 0; ; {
		k := strings.Index(t[off:], `\end{`)
		if k < 0 {
			return
		}
		off += k + 5
		e := strings.IndexByte(t[off:], '}')
		if e < 0 {
			return
		}
		if isBlank(t[off+e+1:]) {
			name := t[off : off+e]
			s.latexEnds[name] = append(s.latexEnds[name], j)
		}
	}
}
