package org

import (
	"fmt"
	"slices"
	"strings"
	"sync"
)

// lobDefaultArgs is org-babel-default-lob-header-args.
var lobDefaultArgs = []rawArg{{Key: ":exports", Value: strp("results"), String: true}}

// call builds a Call from a babel-call element, as
// org-element-babel-call-parser reads the line and org-babel-lob-get-info
// merges its header arguments.
func (p *parser) call(e callElem) *Call {
	if c, ok := p.callsRead[e.post]; ok {
		return c
	}
	if p.callsRead == nil {
		p.callsRead, p.callsReading = map[int]*Call{}, map[int]bool{}
	}
	p.callsReading[e.post] = true
	c := p.readCall(e)
	delete(p.callsReading, e.post)
	p.callsRead[e.post] = c
	return c
}

func (p *parser) readCall(e callElem) *Call {
	l := p.lines[e.post]
	t := l.Text
	c := &Call{Line: e.begin + 1, Start: l.Start, End: l.Next, Indent: columns(t[:skipBlanks(t)]),
		AffName: e.name, AffNameKey: e.nameKey, Commented: p.commented(e.begin)}
	c.Start = p.lines[e.begin].Start
	rest := t[strings.IndexByte(t, ':')+1:]
	rest = strings.TrimLeft(rest, " \t")
	// The called name runs up to the first bracket or parenthesis.
	n := strings.IndexAny(rest, "[]()")
	if n < 0 {
		n = len(rest)
	}
	if hasNonWhite(rest[:n]) {
		c.Name = rest[:n]
	}
	rest = rest[n:]
	if inside, after, ok := pairedBrackets(rest, '[', ']'); ok {
		c.Inside, rest = inside, after
	}
	args, after, paren := pairedBrackets(rest, '(', ')')
	if paren {
		if hasNonWhite(args) {
			c.Arguments = args
		}
		rest = after
	}
	if hasNonWhite(rest) {
		c.Outside = orgTrim(rest)
	}
	c.Name = strings.TrimRight(c.Name, " \t")
	if !paren && c.Name != "" {
		// org-babel-execute-buffer finds calls by
		// org-babel-lob-one-liner-regexp, which wants the parentheses:
		// Emacs skips this line, silently. A call meant to run
		// that does not is refused rather than run or skipped.
		c.Problem = fmt.Sprintf("#+call: %s has no parentheses, and Emacs skips it without a word (org-babel-execute-buffer runs only name(…) calls): write #+call: %s()", c.Name, c.Name)
		return c
	}
	return p.callBlock(c, e.post)
}

// callBlock finds the block a call (a #+call: line on line post, or an
// inline call) names and makes what it runs (Call.Block).
func (p *parser) callBlock(c *Call, post int) *Call {
	// Merge: the called block's own parameters, the call defaults, the
	// properties at the call, the inside header, the arguments, the
	// outside header.
	var called Args
	var calledVars []string
	var lang string
	b, problem, overridden := p.callee(c.Name)
	if b != nil && p.library != nil && b.Start >= p.library.from {
		// An entry of the Library of Babel (PlanDocument), which
		// org-babel-lob--src-info finds after the buffer
		// (assoc-string): org-babel-lob-get-info merges the call's
		// arguments into its parameters, which Borges does not follow
		// for a #+call: line.
		b, problem = nil, fmt.Sprintf("#+call: %s names an entry of the Library of Babel that Lisp of the document's Emacs added or changed, which Borges does not run for a #+call: line", c.Name)
	}
	if line, ok := p.firstNamedData(c.Name); ok {
		overridden = fmt.Sprintf("the first element named %q (line %d) is no source block or #+call: line, and org-babel-lob--src-info stops its search there, finding nothing: Emacs runs nothing for this call", c.Name, line+1)
	}
	if overridden != "" {
		// Emacs runs nothing for it, silently.
		c.Overridden = overridden
		return c
	}
	if b == nil {
		// org-babel-lob-get-info finds nothing: Babel cannot run it.
		c.Problem = problem
		c.Unfound = strings.HasPrefix(problem, noBlockNamed)
		if key := p.unsearchedName(c.Name); key != "" {
			c.Unsearched = key
		}
		return c
	}
	if b.Problem != "" {
		// org-babel-lob-get-info reads the called block's header
		// arguments first: Emacs stops at the call as at the block.
		// The message names the block: the call's own line has
		// nothing wrong with it.
		c.Problem = fmt.Sprintf("called block %q (line %d): %s", c.Name, b.BeginLine, b.Problem)
		c.Stop = b.Stop
		return p.callRuns(c, b, post)
	}
	called, calledVars, lang = b.Args, b.Vars, b.Lang
	first := make([]rawArg, 0, len(called)+len(calledVars))
	// org-babel-lob--src-info reads a called block light: its own
	// header values stay as written (a called call's own are
	// evaluated, org-babel-lob-get-info reading them).
	light := b.Call == nil
	for _, a := range called {
		first = append(first, a.raw(light))
	}
	for _, v := range calledVars {
		first = append(first, rawArg{Key: ":var", Value: strp(v)})
	}
	lob, err := p.defaults.call()
	if err != nil {
		c.Problem = err.Error()
		return c
	}
	layers := [][]rawArg{first, lob}
	for _, prop := range []string{"header-args", "header-args:" + lang} {
		if prop == "header-args:" {
			continue
		}
		segs, err := p.propertyLayers(post, prop)
		if err != nil {
			c.Problem = err.Error()
			return c
		}
		layers = append(layers, segs...)
	}
	inside, err := parseHeaderArgs(c.Inside)
	if err != nil {
		return p.callHeaderFailed(c, b, post, err)
	}
	layers = append(layers, inside)
	var argVars []rawArg
	if c.Arguments != "" {
		for _, a := range balancedSplitOn(c.Arguments, ',') {
			argVars = append(argVars, rawArg{Key: ":var", Value: strp(orgTrim(a))})
		}
	}
	layers = append(layers, argVars)
	outside, err := parseHeaderArgs(c.Outside)
	if err != nil {
		return p.callHeaderFailed(c, b, post, err)
	}
	layers = append(layers, outside)
	c.Args, c.Vars, err = mergeParams(!p.lispRuns(), layers...)
	if err != nil {
		c.Problem = err.Error()
		c.Stop = EmacsStop(err)
	}
	c.DirOfBlock = hasRawArg(first, ":dir") && !slices.ContainsFunc(layers[1:], func(l []rawArg) bool { return hasRawArg(l, ":dir") })
	return p.callRuns(c, b, post)
}

// callHeaderFailed is call c (on line post) of block b whose own header
// (inside or end) Babel cannot read, err: its problem, and where Emacs
// stops at the call with it (EmacsStop: a bare :var), as at a block
// whose header it cannot read, what it runs, so that the blocks before
// it run and the document stops there.
func (p *parser) callHeaderFailed(c *Call, b *Block, post int, err error) *Call {
	c.Problem = err.Error()
	if c.Stop = EmacsStop(err); c.Stop == "" {
		return c
	}
	return p.callRuns(c, b, post)
}

// callRuns sets what call c (on line post) of block b runs: the called
// block's body and language, with the call's arguments and problem,
// standing where the call line stands.
func (p *parser) callRuns(c *Call, b *Block, post int) *Call {
	cb := *b
	cb.Line, cb.BeginLine, cb.EndLine = c.Line, post+1, post+1
	cb.Start, cb.End = c.Start, c.End
	cb.Indent, cb.Name, cb.NameKey, cb.Commented = c.Indent, c.AffName, c.AffNameKey, c.Commented
	cb.Args, cb.Vars, cb.Problem, cb.Stop = c.Args, c.Vars, c.Problem, c.Stop
	cb.Call = c
	c.Block = &cb
	return c
}

// callee is what a #+call: of name runs, as org-babel-lob--src-info
// finds it: the first source block or #+call: line of that name in the
// document, a call standing for the block it calls with its arguments
// merged. It is nil, with why, when there is none (or the call calls
// itself); nil with overridden (Call.Overridden) where it is a call
// that runs nothing so.
func (p *parser) callee(name string) (b *Block, why, overridden string) {
	b = p.namedBlock(name)
	if e, isCall := p.firstNamedCall(name, b); isCall {
		return p.calleeCall(name, e)
	}
	if b == nil {
		return nil, fmt.Sprintf(noBlockNamed+"%q", name) + p.namedWithArguments(name), ""
	}
	return b, "", ""
}

// calleeCall is callee where the element found is e, a #+call: line
// named name: the block it runs.
func (p *parser) calleeCall(name string, e callElem) (b *Block, why, overridden string) {
	if p.callsReading[e.post] {
		return nil, fmt.Sprintf("#+call: %s calls itself (line %d)", name, e.post+1), ""
	}
	c := p.call(e)
	if c.Overridden != "" {
		return nil, "", fmt.Sprintf("#+call: %s (line %d), the first of that name, runs nothing: %s", name, e.post+1, c.Overridden)
	}
	if c.Block == nil && c.Unfound {
		// org-babel-lob--src-info finds that call line, which calls
		// nothing: Emacs runs nothing for this call either, and the
		// call line called is no typo left unseen. Parse, which reads
		// every #+call: line, sets it for those a call line calls; a
		// lookup after Parse writes it only the first time (under the
		// memo's lock), so that lookups of a name already set write
		// nothing another goroutine reads.
		p.markCalledByCall(c)
		return nil, "", fmt.Sprintf("#+call: %s (line %d), the first of that name, runs nothing: %s: Emacs runs nothing for this call", name, e.post+1, c.Problem)
	}
	if c.Block == nil {
		return nil, fmt.Sprintf("#+call: %s: %s", name, c.Problem), ""
	}
	return c.Block, "", ""
}

// firstNamedCall is the #+call: line named name when it comes before
// the first block so named, b (nil for none): the one
// org-babel-lob--src-info and org-babel-ref-resolve find.
func (p *parser) firstNamedCall(name string, b *Block) (e callElem, ok bool) {
	p.namedCallsOnce.Do(func() {
		p.namedCalls = map[string]int{}
		for k, e := range p.els.calls {
			if _, seen := p.namedCalls[e.name]; e.hasName && referableKey(e.nameKey) && !seen {
				p.namedCalls[e.name] = k
			}
		}
	})
	k, isCall := p.namedCalls[name]
	if !isCall || b != nil && p.els.calls[k].begin >= p.els.srcs[p.namedSrcs[p.named[name]].elem].begin {
		return callElem{}, false
	}
	return p.els.calls[k], true
}

// noBlockNamed begins the problem of a call of a name no block or call
// has (Call.Unfound).
const noBlockNamed = "#+call: no block named "

// NamedCallRunsNothing reports whether the first element named name is
// a #+call: line for which org-babel-lob-get-info finds nothing (the
// name it calls belongs first to data, Call.Overridden, is written
// only with a spelling Babel does not search, Call.Unsearched, or is
// nobody's, Call.Unfound): a
// reference to it has org-babel-execute-src-block run with no
// information, and Emacs stops at the referring block (RefCallNil).
func (d *Document) NamedCallRunsNothing(name string) bool {
	line := d.ReferredRunLine(name)
	if line == 0 {
		return false
	}
	// The element the reference resolves to, outside COMMENT subtrees
	// (not firstNamedCall's, which #+call: lines search them for).
	p := d.parser()
	for _, e := range p.els.calls {
		if e.post+1 != line {
			continue
		}
		if p.callsReading[e.post] {
			return false
		}
		c := p.call(e)
		return c.Block == nil && (c.Overridden != "" || c.Unsearched != "" || c.Unfound)
	}
	return false
}

// RefCallNil is the error Emacs stops with at a block referring to a
// call that runs nothing (NamedCallRunsNothing).
const RefCallNil = "Wrong type argument: consp, nil"

// firstNamedData is the line of the first element named name (by
// #+name: or #+tblname:, the lines org-babel-lob--src-info searches, the
// element's own name: the last of its name keywords) when that element
// is neither a source block nor a #+call: line; ok is false where it is
// one of them, or no element is so named. Built once for all names.
func (p *parser) firstNamedData(name string) (line int, ok bool) {
	if p.namedFirst == nil {
		p.namedFirst = map[string]int{}
		inBlock := ""
		for i := 0; i < len(p.lines); i++ {
			t := p.lines[i].Text
			if p.els.srcAt[i] != 0 || p.inVerbatimBlock(i, t[skipBlanks(t):], &inBlock) {
				continue
			}
			kw, isKw := affiliatedKeyword(t)
			if !isKw || kw.key != "NAME" || !referableKey(kw.spelling) {
				continue
			}
			if _, seen := p.namedFirst[kw.value]; seen {
				continue
			}
			j, own, ok := p.affiliatedTo(i)
			if !ok || own != kw.value {
				continue // an orphaned keyword, or another name's
			}
			er := p.lines[j].Text[skipBlanks(p.lines[j].Text):]
			if hasPrefixFold(er, "#+BEGIN_SRC") || hasPrefixFold(er, "#+CALL:") {
				p.namedFirst[kw.value] = -1
			} else {
				p.namedFirst[kw.value] = j
			}
			i = j - 1
		}
	}
	line, found := p.namedFirst[name]
	return line, found && line >= 0
}

// namedWithArguments explains a call of name where a block is named
// "name(…)": the old way (#+srcname: f(x=1)) of naming a block with
// default arguments, which Org 9.5 reads as the whole name, so that
// Emacs runs nothing for the call.
func (p *parser) namedWithArguments(name string) string {
	for _, e := range p.els.srcs {
		if e.hasName && strings.HasPrefix(e.name, name+"(") && strings.HasSuffix(e.name, ")") {
			args := e.name[len(name)+1 : len(e.name)-1]
			return fmt.Sprintf(": the block at line %d is named %q (an old form of a name with default arguments), which Org 9.5 takes whole, so Emacs runs nothing for this call; name the block %s and give it :var %s",
				e.post+1, e.name, name, strings.Join(strings.Fields(strings.ReplaceAll(args, ",", " ")), " "))
		}
	}
	return ""
}

// namedBlock is the first block named name (org-babel-find-named-block),
// each read once however many calls name it. The index is built, and
// each block read, once whoever asks first: a parsed Document's
// lookups may run at once (Callee, RefCallee, CalledWith).
func (p *parser) namedBlock(name string) *Block {
	p.namedOnce.Do(func() {
		p.named = map[string]int32{}
		for k, e := range p.els.srcs {
			if _, seen := p.named[e.name]; e.hasName && referableKey(e.nameKey) && !seen {
				p.named[e.name] = int32(len(p.namedSrcs))
				p.namedSrcs = append(p.namedSrcs, namedSrc{elem: k})
			}
		}
	})
	i, ok := p.named[name]
	if !ok {
		return nil
	}
	n := &p.namedSrcs[i]
	n.once.Do(func() { n.block = p.block(p.els.srcs[n.elem]) })
	return n.block
}

// unsearchedName is the keyword (SRCNAME, …) the first source block or
// #+call: line named name is written with, when Babel's references do not
// search that spelling, or FUNCTION for a #+function: line of that name;
// else "".
func (p *parser) unsearchedName(name string) string {
	for _, e := range p.els.srcs {
		if e.hasName && e.name == name && !referableKey(e.nameKey) {
			return e.nameKey
		}
	}
	for _, e := range p.els.calls {
		if e.hasName && e.name == name && !referableKey(e.nameKey) {
			return e.nameKey
		}
	}
	// Org 9.5 does not read #+function: (Org 6's spelling) as a name at
	// all, but one naming a block is meant as one.
	for _, k := range p.els.keywords {
		if strings.EqualFold(k.Key, "FUNCTION") && k.Value == name {
			return "FUNCTION"
		}
	}
	return ""
}

// namedSrc is the first source block of a name, read on first use.
type namedSrc struct {
	elem  int
	once  sync.Once
	block *Block
}

// pairedBrackets is org-element--parse-paired-brackets: when s starts with
// open, the text up to the balancing close, and what follows it.
func pairedBrackets(s string, open, close byte) (inside, after string, ok bool) {
	if s == "" || s[0] != open {
		return "", s, false
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case open:
			depth++
		case close:
			depth--
			if depth == 0 {
				return s[1:i], s[i+1:], true
			}
		}
	}
	return "", s, false
}

// balancedSplitOn is org-babel-balanced-split with a single character.
func balancedSplitOn(s string, sep byte) []string {
	pieces, _ := balancedSplitBy(s, false, sep)
	return pieces
}

// hasRawArg reports whether args hold key (with its colon).
func hasRawArg(args []rawArg, key string) bool {
	return slices.ContainsFunc(args, func(a rawArg) bool { return a.Key == key })
}

// markCalledByCall sets c.calledByCall, after Parse under the memo's
// lock and only when not yet set.
func (p *parser) markCalledByCall(c *Call) {
	defer p.lockMemo()()
	if !c.calledByCall {
		c.calledByCall = true
	}
}

// CalledByCall reports whether c, one of d's calls, is an Unfound call
// line that another #+call: line, an inline call or a reference calls
// (Emacs runs nothing for either, and Borges skips both): set by Parse,
// or by a lookup after it (CalledWith, RefCallee, Callee), so read under
// the lock that lookup writes it under while other goroutines may look
// names up.
func (d *Document) CalledByCall(c *Call) bool {
	defer d.parser().lockMemo()()
	return c.calledByCall
}
