package org

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// Parse reads an Org document as Emacs Org Babel does. It never runs
// anything. The error is for text that is not an Org document at all (not
// UTF-8); what Babel would refuse in one block is reported on that block
// (Block.Problem), so that a caller can list every problem at once.
func Parse(text string) (*Document, error) {
	if !utf8.ValidString(text) {
		line := 1 + strings.Count(text[:firstInvalidUTF8(text)], "\n")
		return nil, fmt.Errorf("line %d: not valid UTF-8", line)
	}
	p := newParser(text)
	return p.document(), nil
}

// parseWith is Parse with the #+PROPERTY values props in place of those of
// the text's lines (nil: the lines') and Babel's default header arguments
// defaults (nil: Org's).
func parseWith(text string, props map[string]string, defaults *HeaderDefaults) (*Document, error) {
	if props == nil && defaults == nil {
		return Parse(text)
	}
	if !utf8.ValidString(text) {
		return Parse(text) // its error
	}
	p := newParser(text)
	if props != nil {
		p.props = props
	}
	p.defaults = defaults
	return p.document(), nil
}

func firstInvalidUTF8(s string) int {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(s)
}

type parser struct {
	text     string
	lines    []line
	headings []heading
	// headingOf[i] is the index in headings of the heading whose section
	// holds line i, or -1 before the first heading.
	headingOf []int32
	els       *elements
	// scan is the scanner that found els, kept for its indexes of
	// closing lines; results indexes the "#+RESULTS" lines, on first use.
	scan        *scanner
	resultsOnce sync.Once
	results     *resultsIndex
	latexOnce   sync.Once
	lispOnce    sync.Once
	lisp        bool              // see lispRuns
	latexEnds   map[string][]int  // see latexEndLines
	props       map[string]string // #+PROPERTY values, keys lower-cased
	defaults    *HeaderDefaults   // Babel's default header arguments; nil: Org's
	library     *library          // the Library of Babel's blocks (PlanDocument); nil: none
	todo        []string

	// underComment[h]: heading h is under a COMMENT heading (itself
	// included).
	underComment []bool
	// Filled while Parse reads the blocks: the inherited properties of
	// the entries visited (properties.go). The name indexes (named and
	// namedSrcs, the blocks read for #+call: lines and references, by
	// name; namedCalls) are built once, on first use, during Parse or
	// after it, each guarded by its sync.Once.
	inherit        map[string]*propMemo
	late           sync.Mutex       // guards the memo after Parse: see lockMemo
	drawerNames    map[string]bool  // see drawersMayName
	named          map[string]int32 // index in namedSrcs
	namedSrcs      []namedSrc
	namedOnce      sync.Once
	namedCalls     map[string]int // the first #+call: of a name, index in els.calls
	namedCallsOnce sync.Once
	namedFirst     map[string]int // see firstNamedData
	callsRead      map[int]*Call  // calls read, by line of #+call:
	callsReading   map[int]bool   // calls being read (a call of itself)
	inlineUnrun    []*Call        // see Document.InlineUnrun
	segs           [][]rawArg     // scratch for propertyValue.segments while parsing
	// vars is the scratch list of mergeHeadersFrom's merges while
	// document reads the blocks (parsing); merges after Parse (RefCallee,
	// CalledWith, …) take a list of their own, so that they write nothing
	// shared.
	vars           varList
	parsing        bool
	drawerReads    int // property drawers read, for tests
	propertyParses int // inherited values read as header arguments, for tests
}

type heading struct {
	line      int
	level     int
	parent    int // index in headings, -1 if none
	commented bool
	drawer    [2]int // lines strictly inside the property drawer; [0]==[1] if none
	hasDrawer bool
}

func newParser(text string) *parser {
	p := &parser{text: text, lines: splitLines(text)}
	var hl []int
	for i, l := range p.lines {
		if isHeading(l.Text) {
			hl = append(hl, i)
		}
	}
	p.scan = scanElements(p.lines, hl)
	p.els = p.scan.out
	p.props = keywordProperties(p.els.keywords)
	p.todo = todoKeywords(p.els.keywords)
	p.headingOf = make([]int32, len(p.lines))
	cur := int32(-1)
	hi := 0
	for i := range p.lines {
		if hi < len(hl) && hl[hi] == i {
			cur = int32(hi)
			hi++
		}
		p.headingOf[i] = cur
	}
	p.headings = make([]heading, len(hl))
	p.underComment = make([]bool, len(hl))
	// open holds the headings that may still be parents, levels
	// increasing: a heading's parent is the last one of lower level.
	var open []int
	for k, li := range hl {
		t := p.lines[li].Text
		level := 0
		for level < len(t) && t[level] == '*' {
			level++
		}
		h := heading{line: li, level: level, parent: -1}
		for len(open) > 0 && p.headings[open[len(open)-1]].level >= level {
			open = open[:len(open)-1]
		}
		if len(open) > 0 {
			h.parent = open[len(open)-1]
		}
		open = append(open, k)
		h.commented = p.titleCommented(t[level:])
		p.underComment[k] = h.commented || h.parent >= 0 && p.underComment[h.parent]
		j := li + 1
		next := len(p.lines)
		if k+1 < len(hl) {
			next = hl[k+1]
		}
		if j < next && isPlanningLine(p.lines[j].Text) {
			j++
		}
		if end, ok := propertyDrawerAt(p.lines, j, len(p.lines)); ok {
			h.drawer = [2]int{j + 1, end}
			h.hasDrawer = true
		}
		p.headings[k] = h
	}
	return p
}

// titleCommented reports whether a heading's text (after the stars) starts,
// after an optional TODO keyword and priority cookie, with "COMMENT".
func (p *parser) titleCommented(rest string) bool {
	rest = strings.TrimLeft(rest, " \t")
	for _, kw := range p.todo {
		if strings.HasPrefix(rest, kw) && (len(rest) == len(kw) || rest[len(kw)] == ' ' || rest[len(kw)] == '\t') {
			rest = strings.TrimLeft(rest[len(kw):], " \t")
			break
		}
	}
	if len(rest) >= 4 && rest[0] == '[' && rest[1] == '#' && rest[3] == ']' {
		rest = strings.TrimLeft(rest[4:], " \t")
	}
	return strings.HasPrefix(rest, "COMMENT") && (len(rest) == 7 || rest[7] == ' ')
}

// todoKeywords are the TODO keywords in force: #+TODO:, #+SEQ_TODO: and
// #+TYP_TODO: lines, or Org's default TODO and DONE.
func todoKeywords(kws []Keyword) []string {
	var out []string
	for _, k := range kws {
		switch strings.ToUpper(k.Key) {
		case "TODO", "SEQ_TODO", "TYP_TODO":
			for _, w := range strings.Fields(k.Value) {
				if w == "|" {
					continue
				}
				if i := strings.IndexByte(w, '('); i > 0 {
					w = w[:i]
				}
				out = append(out, w)
			}
		}
	}
	if out == nil {
		out = []string{"TODO", "DONE"}
	}
	return out
}

// keywordProperties collects #+PROPERTY: lines as org-set-regexps-and-options
// does: "KEY VALUE", with "KEY+" appending to an earlier value.
func keywordProperties(kws []Keyword) map[string]string {
	// The parts of each value, joined once at the end: many "KEY+"
	// lines cost their length, not its square.
	parts := map[string][]string{}
	for _, k := range kws {
		if !strings.EqualFold(k.Key, "PROPERTY") {
			continue
		}
		v := k.Value
		i := 0
		for i < len(v) && !isSpaceSyntax(v[i]) {
			i++
		}
		j := i
		for j < len(v) && (v[j] == ' ' || v[j] == '\t') {
			j++
		}
		if i == 0 || j == i {
			continue
		}
		key, val := strings.ToLower(v[:i]), v[j:]
		if strings.HasSuffix(key, "+") && len(key) > 1 {
			key = key[:len(key)-1]
			if old, ok := parts[key]; ok {
				parts[key] = append(old, val)
				continue
			}
		}
		parts[key] = []string{val}
	}
	props := make(map[string]string, len(parts))
	for key, p := range parts {
		props[key] = strings.Join(p, " ")
	}
	return props
}

// document assembles the Document.
func (p *parser) document() *Document {
	d := &Document{Text: p.text, Keywords: p.els.keywords, p: p}
	p.parsing = true
	defer func() { p.parsing, p.vars = false, varList{} }()
	visited := map[int]bool{}
	for _, idx := range p.visitedBlocks() {
		visited[idx] = true
	}
	// org-babel-execute-buffer (org-babel-map-executables) visits every
	// #+begin_src line org-element reads as a source block; those
	// org-babel-map-src-blocks does not visit (no language after the
	// blanks, a NUL in the body) are Unmapped blocks among them, in
	// document order.
	for idx, e := range p.els.srcs {
		b := p.block(e)
		b.Unmapped = !visited[idx]
		b.Index = len(d.Blocks)
		d.Blocks = append(d.Blocks, b)
	}
	for i, c := range p.els.calls {
		call := p.call(c)
		call.Ordinal = i + 1
		if call.Block != nil {
			call.Block.Index = len(d.Blocks) + i
		}
		d.Calls = append(d.Calls, call)
	}
	d.Inline = p.inlineBlocks(len(d.Blocks) + len(d.Calls))
	d.InlineUnrun = p.inlineUnrun
	return d
}

// visitedBlocks emulates org-babel-map-src-blocks: search
// org-babel-src-block-regexp, keep a match when the element at its end is a
// source block, and read the block at its beginning. Each block is listed
// once, in the order first visited.
func (p *parser) visitedBlocks() []int {
	var out []int
	seen := map[int]bool{}
	lines := p.lines
	// nextEnd[k] is the first line at or after k starting with
	// "[ \t]*#\+end_src"; nextNul[k] the first at or after k holding a NUL,
	// which the body "[^\000]*?\n" cannot cross.
	nextEnd := make([]int32, len(lines)+1)
	nextNul := make([]int32, len(lines)+1)
	nextEnd[len(lines)], nextNul[len(lines)] = -1, int32(len(lines))
	for k := len(lines) - 1; k >= 0; k-- {
		t := lines[k].Text
		nextEnd[k], nextNul[k] = nextEnd[k+1], nextNul[k+1]
		if r := t[skipBlanks(t):]; len(r) > 0 && r[0] == '#' && hasPrefixFold(r, "#+end_src") {
			nextEnd[k] = int32(k)
		}
		if strings.IndexByte(t, 0) >= 0 {
			nextNul[k] = int32(k)
		}
	}
	for i := 0; i < len(lines); i++ {
		if !isBabelBeginLine(lines[i]) {
			continue
		}
		found := int(nextEnd[i+1])
		if found < 0 || int(nextNul[i+1]) < found {
			continue
		}
		// The element at the match's end (just after "#+end_src").
		if at := p.els.srcAt[found]; at != 0 {
			if info := p.els.srcAt[i]; info != 0 && !seen[int(info)-1] {
				seen[int(info)-1] = true
				out = append(out, int(info)-1)
			}
		}
		// The search goes on after the match: from the next line.
		i = found
	}
	return out
}

// isBabelBeginLine matches the first line of org-babel-src-block-regexp:
// "^\([ \t]*\)#\+begin_src[ \t]+\([^ \f\t\n\r\v]+\)[ \t]*…\n".
func isBabelBeginLine(l line) bool {
	if !l.NL {
		return false
	}
	t := l.Text
	r := t[skipBlanks(t):]
	if !hasPrefixFold(r, "#+begin_src") {
		return false
	}
	r = r[len("#+begin_src"):]
	k := skipBlanks(r)
	return k > 0 && k < len(r) && !isBabelSpace(r[k])
}

var srcBeginRe = regexp.MustCompile(`(?i)^[ \t]*#\+BEGIN_SRC(?: +([^ \t\n\r\f]+))?((?: +(?:-(?:l ".+"|[ikr])|[-+]n(?: *[0-9]+)?))+)?(.*)[ \t]*$`)

// preserveIndentRe is the -i switch as org-element-src-block-parser reads
// it, with case-fold-search on ("-I" too).
var preserveIndentRe = regexp.MustCompile(`(?i)-i\b`)

// block builds a Block from a src-block element.
func (p *parser) block(e srcElem) *Block {
	lines := p.lines
	b := &Block{
		Line:      e.begin + 1,
		BeginLine: e.post + 1,
		EndLine:   e.end + 1,
		Start:     lines[e.begin].Start,
		End:       lines[e.end].Next,
		Name:      e.name,
		NameKey:   e.nameKey,
	}
	begin := lines[e.post].Text
	b.Indent = columns(begin[:skipBlanks(begin)])
	var params string
	if m := srcBeginRe.FindStringSubmatch(begin); m != nil {
		b.Lang = m[1]
		if hasNonWhite(m[2]) {
			b.Switches = orgTrim(m[2])
		}
		if hasNonWhite(m[3]) {
			params = orgTrim(m[3])
		}
	}
	value := unescapeCode(p.text[lines[e.post].Next:lines[e.end].Start])
	body := strings.TrimSuffix(value, "\n")
	if b.Switches == "" || !preserveIndentRe.MatchString(b.Switches) {
		body = removeIndentation(body)
	}
	b.Body = body
	b.Commented = p.commented(e.begin)

	if p.library != nil && b.Start >= p.library.from {
		// An entry of the Library of Babel (PlanDocument): its own
		// parameters alone, as Emacs runs it.
		p.libraryArgs(b)
		return b
	}
	var err error
	b.Args, b.Vars, b.ReadsLisp, err = p.mergeHeaders(e.begin, b.Lang, params, e.headers)
	if err != nil {
		b.Problem = err.Error()
		b.Stop = EmacsStop(err)
		return b
	}
	b.Args = fileParam(e.hasName, e.name, b.Args)
	return b
}

// mergeHeaders merges the layers org-babel-get-src-block-info merges:
// Org's defaults, the language's defaults, the header-args and
// header-args:LANG properties in force at the element, the block line,
// then the #+header: lines (the last one first, as org-element stores
// them).
//
// lisp is merger.lisp.
func (p *parser) mergeHeaders(at int, lang, params string, headers []string) (args Args, vars []string, lisp bool, err error) {
	return p.mergeHeadersFrom(p.defaults.block, at, lang, params, headers)
}

// mergeHeadersFrom is mergeHeaders from other defaults than Org's for
// blocks (an inline block's, org-babel-default-inline-header-args).
func (p *parser) mergeHeadersFrom(defaultsOf func() ([]rawArg, error), at int, lang, params string, headers []string) (Args, []string, bool, error) {
	defaults, err := defaultsOf()
	if err != nil {
		return nil, nil, false, err
	}
	langDefaults, err := p.defaults.lang(lang)
	if err != nil {
		return nil, nil, false, err
	}
	props := []string{"header-args", "header-args:" + lang}
	if lang == "" {
		// (and lang …): no language, no language property.
		props = props[:1]
	}
	var inherited []*propertyValue
	nvars := 0
	for _, prop := range props {
		v, err := p.propertyValue(at, prop)
		if err != nil {
			return nil, nil, false, fmt.Errorf("property %s: %w", prop, err)
		}
		inherited = append(inherited, v)
		nvars += v.vars()
	}
	own := make([][]rawArg, 0, 1+len(headers))
	for _, h := range append([]string{params}, headers...) {
		l, err := parseHeaderArgs(h)
		if err != nil {
			return nil, nil, false, err
		}
		own = append(own, l)
		nvars += countVars(l)
	}
	var scratch varList // a merge after Parse: its own list
	if p.parsing {
		scratch = p.vars
	}
	m := newMergerInto(scratch, nvars, !p.lispRuns())
	if p.parsing {
		defer func() { p.vars = m.vars }()
	}
	if err := m.add(defaults); err != nil {
		return nil, nil, false, err
	}
	if err := m.add(langDefaults); err != nil {
		return nil, nil, false, err
	}
	for _, v := range inherited {
		if err := v.each(m.add); err != nil {
			return nil, nil, false, err
		}
	}
	for _, l := range own {
		if err := m.add(l); err != nil {
			return nil, nil, false, err
		}
	}
	args, vars := m.result()
	if err := symbolsRead(args); err != nil {
		return nil, nil, false, err
	}
	return args, vars, m.lisp, nil
}

// fileParam is org-babel-generate-file-param.
func fileParam(hasName bool, name string, args Args) Args {
	dir, hasDir := args.Get("output-dir")
	if _, ok := args.Get("file"); ok {
		if hasDir && dir != "" {
			for i := range args {
				if args[i].Key == "file" {
					args[i].Value = strings.TrimSuffix(dir, "/") + "/" + args[i].Value
				}
			}
		}
		return args
	}
	ext, hasExt := args.Get("file-ext")
	if hasName && hasExt && ext != "" {
		f := name + "." + ext
		if hasDir && dir != "" {
			f = strings.TrimSuffix(dir, "/") + "/" + f
		}
		return append(Args{{Key: "file", Value: f}}, args...)
	}
	return args
}

// commented is org-in-commented-heading-p for line i.
func (p *parser) commented(i int) bool {
	h := int(p.headingOf[i])
	return h >= 0 && p.underComment[h]
}

func columns(indent string) int {
	col := 0
	for i := 0; i < len(indent); i++ {
		if indent[i] == '\t' {
			col = (col/tabWidth + 1) * tabWidth
		} else {
			col++
		}
	}
	return col
}
