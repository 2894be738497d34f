package org

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// NowebEnabled is org-babel-noweb-p for CONTEXT :eval: whether Babel
// expands noweb references before evaluating a block with these args.
func NowebEnabled(args Args) bool {
	v, _ := args.Get("noweb")
	return nowebWords(v)
}

// nowebEnabledLight is NowebEnabled for a block a noweb reference takes
// in: org-babel-expand-noweb-references reads it light, its :noweb as
// written.
func nowebEnabledLight(args Args) bool {
	v, _ := args.Light("noweb")
	return nowebWords(v)
}

// nowebWords reports whether a :noweb value enables expansion.
func nowebWords(v string) bool {
	for _, w := range splitString(v) {
		switch w {
		case "yes", "no-export", "strip-export", "eval":
			return true
		}
	}
	return false
}

// nowebRe is org-babel-noweb-wrap with the default "<<" and ">>":
// "\(.*?\)\(<<\([^ \t\n]\(?:.*?[^ \t\n]\)?\)>>\)".
var nowebRe = regexp.MustCompile(`<<([^ \t\n](?:.*?[^ \t\n])?)>>`)

// evaluatedRef matches references that ask for a block's results:
// "<<name(args)>>".
var evaluatedRef = regexp.MustCompile(`\(.*\)`)

// NowebCalls lists, in order and without duplicates, the references in
// block b's expansion that Babel would evaluate ("<<name(args)>>"),
// following plain references into the blocks they include. Borges runs
// those blocks first and hands their results to ExpandedBody.
func (d *Document) NowebCalls(b *Block) []string {
	var calls []string
	seen := map[string]bool{}
	d.walkNoweb(b, nil, nil, func(id string) {
		if !seen[id] {
			seen[id] = true
			calls = append(calls, id)
		}
	})
	return calls
}

// NowebIncluded lists the blocks block b's expansion takes in by plain
// references ("<<name>>": a block of that name, or those of that
// :noweb-ref), following them into the blocks they include, each once.
func (d *Document) NowebIncluded(b *Block) []*Block {
	var out []*Block
	d.walkNoweb(b, nil, func(x *Block, walked bool) string {
		if !walked && !slices.Contains(out, x) {
			out = append(out, x)
		}
		return ""
	}, nil)
	return out
}

// NowebStop is the error org-babel-execute-buffer stops with expanding
// block b's plain noweb references ("" for none), as
// org-babel-expand-noweb-references meets them: a reference naming a
// block (the first of the name, not under a COMMENT heading) reads that
// block's information, and expands its references in turn; any other
// reference (to a :noweb-ref, or to nothing: Emacs looks for a block of
// that :noweb-ref) reads the information of every source block of the
// document not under a COMMENT heading, in order, before the blocks
// taken in are expanded. The first block whose header arguments Babel
// cannot merge (Block.Stop) met so stops Emacs.
func (d *Document) NowebStop(b *Block) string {
	return d.walkNoweb(b, func(id string, heading bool) string {
		if d.readsEvery(id, heading) {
			return d.firstStop()
		}
		return ""
	}, func(x *Block, _ bool) string { return x.Stop }, nil)
}

// readsEvery reports whether org-babel-expand-noweb-references reads the
// information of every source block not under a COMMENT heading for the
// plain reference id (heading: the CUSTOM_ID of a heading): it is not
// the name of a block (NowebStop).
func (d *Document) readsEvery(id string, heading bool) bool {
	n, ok := d.nowebNamed(id)
	return !heading && (!ok || n.Commented)
}

// NowebReads lists the blocks whose information (light)
// org-babel-expand-noweb-references reads expanding block b's plain
// references (NowebStop): those they take in; every is true where it
// reads every source block's not under a COMMENT heading instead (a
// reference that is not a block's name). Each read makes the block's
// :output-dir (org-babel-generate-file-param).
func (d *Document) NowebReads(b *Block) (blocks []*Block, every bool) {
	d.walkNoweb(b, func(id string, heading bool) string {
		if d.readsEvery(id, heading) {
			every = true
			return "every"
		}
		return ""
	}, func(x *Block, walked bool) string {
		if !walked && !slices.Contains(blocks, x) {
			blocks = append(blocks, x)
		}
		return ""
	}, nil)
	return blocks, every
}

// firstStop is the Stop of the first source block of the document not
// under a COMMENT heading that has one, "" for none: what reading every
// block's information stops Emacs with.
func (d *Document) firstStop() string {
	d.indexNoweb()
	return d.noweb.firstStop
}

// HasStop reports whether a source block of the document has header
// arguments Babel cannot merge, which stop Emacs (Block.Stop).
func (d *Document) HasStop() bool {
	for _, x := range d.Blocks {
		if x.Stop != "" {
			return true
		}
	}
	return false
}

// NowebHeadingStops reports whether org-babel-execute-buffer stops at
// block b once it has run it: a plain reference in its expansion
// (<<id>>, in it or a block it takes in) is the CUSTOM_ID of a heading,
// which org-babel-ref-goto-headline-id goes to, leaving point at the
// heading, and org-babel-insert-result, finding no block there, fails
// with NowebHeadingError. A block whose results are not written (:results
// silent or none) goes on.
func (d *Document) NowebHeadingStops(b *Block) bool {
	resultsArg, _ := b.Args.Get("results")
	if rp := splitString(resultsArg); hasWord(rp, "none") || hasWord(rp, "silent") {
		return false
	}
	return d.NowebTakesHeading(b)
}

// NowebTakesHeading reports whether block b's expansion (in it or a
// block it takes in) holds a plain reference that is the CUSTOM_ID of a
// heading, whose body Babel takes in (org-babel-ref-headline-body).
func (d *Document) NowebTakesHeading(b *Block) bool {
	found := false
	d.walkNoweb(b, func(_ string, heading bool) string {
		found = found || heading
		return ""
	}, nil, nil)
	return found
}

// NowebHeadingError is the error NowebHeadingStops stops the document
// with.
const NowebHeadingError = "Wrong type argument: markerp, nil"

// walkNoweb goes through block b's expansion as ExpandedBody makes it,
// each block once: plain (if not nil) is given each plain reference
// (heading: it takes in a heading's body), before the blocks it takes
// in; include (if not nil) each block a plain reference takes in, before
// that block is gone through (walked: it was already); call (if not nil)
// each evaluated reference met. The first of plain's and include's
// answers that is not "" ends the walk, which returns it ("" for none).
func (d *Document) walkNoweb(b *Block, plain func(id string, heading bool) string, include func(x *Block, walked bool) string, call func(id string)) string {
	walked := map[*Block]bool{}
	var walk func(b *Block, depth int) string
	walk = func(b *Block, depth int) string {
		if depth > maxNowebDepth || walked[b] || !nowebEnabledAt(b, depth) {
			return ""
		}
		walked[b] = true
		for _, m := range nowebRe.FindAllStringSubmatch(b.Body, -1) {
			id := m[1]
			if evaluatedRef.MatchString(id) {
				if call != nil {
					call(id)
				}
				continue
			}
			if plain != nil {
				_, _, heading := d.headingBody(id)
				if why := plain(id, heading); why != "" {
					return why
				}
			}
			for _, inc := range d.nowebTargets(id) {
				if include != nil {
					if why := include(inc, walked[inc]); why != "" {
						return why
					}
				}
				if why := walk(inc, depth+1); why != "" {
					return why
				}
			}
		}
		return ""
	}
	return walk(b, 0)
}

const maxNowebDepth = 64

// nowebEnabledAt is whether block b, at depth in a noweb expansion,
// expands its references: the block run reads its :noweb evaluated, a
// block taken in light.
func nowebEnabledAt(b *Block, depth int) bool {
	if depth == 0 {
		return NowebEnabled(b.Args)
	}
	return nowebEnabledLight(b.Args)
}

// NowebRuns lists every evaluated reference in block b's expansion, in the
// order org-babel-expand-noweb-references meets them (a reference written
// twice, or in a block included twice, is there each time): Emacs
// resolves each, running its block again. Each is keyed as ExpandedBody
// looks its result up (NowebKey). The list stops at max references; a
// longer one is reported by ok false.
func (d *Document) NowebRuns(b *Block, max int) (keys, calls []string, ok bool) {
	count := map[string]int{}
	active := map[*Block]bool{}
	ok = true
	var walk func(b *Block, depth int)
	walk = func(b *Block, depth int) {
		if !ok || depth > maxNowebDepth || active[b] || !nowebEnabledAt(b, depth) {
			return
		}
		active[b] = true
		defer delete(active, b)
		for _, m := range nowebRe.FindAllStringSubmatch(b.Body, -1) {
			id := m[1]
			if !evaluatedRef.MatchString(id) {
				for _, inc := range d.nowebTargets(id) {
					walk(inc, depth+1)
				}
				continue
			}
			if len(keys) >= max {
				ok = false
				return
			}
			count[id]++
			keys = append(keys, NowebKey(id, count[id]))
			calls = append(calls, id)
		}
	}
	walk(b, 0)
	return keys, calls, ok
}

// NowebKey is the key of the nth (from 1) time the evaluated reference
// <<id>> is met in an expansion: id itself the first time. A reference
// holds no newline, so no key of another reference is the same.
func NowebKey(id string, n int) string {
	if n == 1 {
		return id
	}
	return fmt.Sprintf("%s\n%d", id, n)
}

// ExpandedBody is the body Babel evaluates (org-babel--expand-body): noweb
// references expanded when :noweb allows it, then coderef labels removed
// (but an inline block's). results gives the text of each evaluated
// reference ("<<name(args)>>", keyed by "name(args)"); the nth time a
// reference is met, its text is the one under NowebKey(id, n) if there is
// one (its own run of the block), else the first's. A missing one is an
// error.
func (d *Document) ExpandedBody(b *Block, results map[string]string) (string, error) {
	body, err := d.NowebBody(b, results)
	if err != nil || b.Inline != 0 {
		// An inline block has no coderef format
		// (org-babel-get-src-block-info gives it none): its labels stay.
		return body, err
	}
	return removeCoderefs(body, b.Switches), nil
}

// NowebBody is the body with noweb references expanded when :noweb allows
// it, coderef labels kept: what org-babel-sha1-hash hashes. results are as
// for ExpandedBody.
func (d *Document) NowebBody(b *Block, results map[string]string) (string, error) {
	if !NowebEnabled(b.Args) {
		return b.Body, nil
	}
	x := &nowebExpansion{doc: d, results: results, active: map[*Block]bool{}, met: map[string]int{}}
	return x.expand(b, 0)
}

// maxNowebSize bounds an expansion: references that include each other
// several times grow exponentially, and Emacs would exhaust its memory.
const maxNowebSize = 64 << 20

type nowebExpansion struct {
	doc     *Document
	results map[string]string
	active  map[*Block]bool // blocks being expanded: a reference back is a cycle
	met     map[string]int  // the times each evaluated reference was met
	size    int
}

func (x *nowebExpansion) expand(b *Block, depth int) (string, error) {
	if depth > maxNowebDepth {
		return "", fmt.Errorf("line %d: noweb references nest deeper than %d", b.Line, maxNowebDepth)
	}
	if x.active[b] {
		return "", fmt.Errorf("line %d: noweb reference cycle: block %q includes itself", b.Line, b.Name)
	}
	x.active[b] = true
	defer delete(x.active, b)
	d, results := x.doc, x.results
	body := b.Body
	var out strings.Builder
	last := 0
	for _, m := range nowebRe.FindAllStringSubmatchIndex(body, -1) {
		id := body[m[2]:m[3]]
		var expansion string
		switch {
		case evaluatedRef.MatchString(id):
			x.met[id]++
			r, ok := results[NowebKey(id, x.met[id])]
			if !ok {
				r, ok = results[id]
			}
			if !ok {
				return "", fmt.Errorf("line %d: noweb reference <<%s>> needs that block's results", b.Line, id)
			}
			expansion = r
		default:
			if hb, live, ok := d.headingBody(id); ok {
				// org-babel-ref-goto-headline-id comes before the
				// blocks: the heading's body, literally.
				if live {
					return "", fmt.Errorf("line %d: noweb reference <<%s>> takes in the body of the heading whose CUSTOM_ID is %q, which results written as the document runs change", b.Line, id, id)
				}
				expansion = hb
				break
			}
			var parts []string
			targets := d.nowebTargets(id)
			comment, err := d.nowebCommenter(b, depth)
			if err != nil && len(targets) > 0 {
				return "", err
			}
			for k, t := range targets {
				text := t.Body
				if nowebEnabledLight(t.Args) {
					var err error
					text, err = x.expand(t, depth+1)
					if err != nil {
						return "", err
					}
				}
				if comment != nil {
					text = comment("[[]["+t.Name+"]]") + "\n" + text + "\n" + comment(t.Name+" ends here")
				}
				if k > 0 {
					sep := "\n"
					if v, ok := targets[k-1].Args.Light("noweb-sep"); ok {
						sep = v
					}
					parts = append(parts, sep)
				}
				parts = append(parts, text)
			}
			expansion = strings.Join(parts, "")
		}
		// The text before the reference on its line is interposed
		// before every line of the expansion.
		// (Looking back no further than the last reference keeps a long
		// line of many references linear.)
		lineStart := last + strings.LastIndexByte(body[last:m[0]], '\n') + 1
		prefix := body[lineStart:m[0]]
		out.WriteString(body[last:m[0]])
		out.WriteString(strings.Join(splitNewlines(expansion), "\n"+prefix))
		last = m[1]
		if x.size += out.Len(); x.size > maxNowebSize {
			return "", fmt.Errorf("line %d: noweb expansion larger than %d MiB", b.Line, maxNowebSize>>20)
		}
	}
	out.WriteString(body[last:])
	return out.String(), nil
}

// nowebCommenter is, for block b expanding its plain references at depth
// (0: the block run, its arguments evaluated; deeper: a block taken in,
// read light), what org-babel-expand-noweb-references wraps each
// included block's body in when b's :comments is "noweb": the lines
// org-babel-tangle-comment-links makes ("[[%link][%source-name]]" and
// "%source-name ends here", the link empty in a buffer visiting no
// file), each commented by comment-region in the mode of b's language
// and trimmed. nil when b's :comments is another; an error for a
// language whose comment syntax Borges does not know (Emacs finds no
// mode for most: a void function stops the document) and in a document
// visiting a file (org-store-link's link to it is not made).
func (d *Document) nowebCommenter(b *Block, depth int) (func(string) string, error) {
	get := b.Args.Get
	if depth > 0 {
		get = b.Args.Light
	}
	if v, _ := get("comments"); v != "noweb" {
		return nil, nil
	}
	if d.Visit.Dir != "" {
		// org-store-link links to the file visited: a link Borges
		// does not make.
		return nil, fmt.Errorf("line %d: :comments noweb in a document visiting a file", b.Line)
	}
	start, ok := nowebCommentStarts[b.Lang]
	if !ok {
		return nil, fmt.Errorf("line %d: :comments noweb: no comment syntax known for language %q", b.Line, b.Lang)
	}
	return func(s string) string { return start + strings.TrimLeft(s, " ") }, nil
}

// nowebCommentStarts is what comment-region puts before a line in the
// mode org-src-get-lang-mode gives each language.
var nowebCommentStarts = map[string]string{
	"sh": "# ", "bash": "# ", "shell": "# ", "python": "# ", "ruby": "# ", "perl": "# ", "cperl": "# ",
	"js": "// ", "javascript": "// ",
	"emacs-lisp": ";; ", "elisp": ";; ",
}

// splitNewlines is (split-string s "[\n\r]"): empty pieces kept.
func splitNewlines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' || s[i] == '\r' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// nowebTargets are the blocks a plain reference <<id>> includes: the first
// block named id outside commented headings, else every block whose
// :noweb-ref is id, in document order. Names are compared ignoring case
// as every other name is, by foldKey (Emacs searches for the #+name: line
// with case-fold-search on; σ and ς match, İ and i do not), a
// :noweb-ref as it stands (Emacs keys a hash table by it). The blocks are
// indexed once per document, so that many references cost no scan of
// the blocks each.
func (d *Document) nowebTargets(id string) []*Block {
	if _, _, ok := d.headingBody(id); ok {
		// A heading's CUSTOM_ID: its body is taken in, no block.
		return nil
	}
	d.indexNoweb()
	if b, ok := d.noweb.named[foldKey(id)]; ok && !b.Commented {
		return []*Block{b}
	}
	return d.noweb.refs[id]
}

// indexNoweb builds the document's nowebIndex, once.
func (d *Document) indexNoweb() {
	d.noweb.once.Do(func() {
		d.noweb.named = map[string]*Block{}
		d.noweb.refs = map[string][]*Block{}
		for _, b := range d.Blocks {
			if b.Unmapped {
				// Neither the name's regexp nor
				// org-babel-map-src-blocks finds it.
				continue
			}
			// org-babel-named-src-block-regexp-for-name: #+name:
			// lines only.
			if _, seen := d.noweb.named[foldKey(b.Name)]; !seen && b.NowebReferable() {
				d.noweb.named[foldKey(b.Name)] = b
			}
			if v, ok := b.Args.Light("noweb-ref"); ok && !b.Commented {
				d.noweb.refs[v] = append(d.noweb.refs[v], b)
			}
			if b.Stop != "" && !b.Commented && d.noweb.firstStop == "" {
				d.noweb.firstStop = b.Stop
			}
		}
	})
}

// nowebNamed is the block org-babel-named-src-block-regexp-for-name finds
// for id first, ok false for none.
func (d *Document) nowebNamed(id string) (*Block, bool) {
	d.indexNoweb()
	b, ok := d.noweb.named[foldKey(id)]
	return b, ok
}

// nowebIndex is the blocks by name (the first of each) and by :noweb-ref.
type nowebIndex struct {
	once  sync.Once
	named map[string]*Block // by foldKey of the name
	refs  map[string][]*Block
	// firstStop is the Stop of the first block not under a COMMENT
	// heading that has one (Document.firstStop).
	firstStop string
}

// removeCoderefs removes coderef labels at line ends, as
// org-babel--expand-body does with org-src-coderef-regexp: the label
// format is "(ref:%s)" unless a -l switch gives another. Each "%s" of the
// format stands for a label; a format without one is removed as it
// stands. Emacs matches with case-fold-search on (its default), in the
// format's text and in the -l switch alike: "(REF:x)" is a label too.
func removeCoderefs(body, switches string) string {
	format := "(ref:%s)"
	if m := labelFmtRe.FindStringSubmatch(switches); m != nil {
		format = m[1]
	}
	parts := strings.Split(format, "%s")
	if !containsFold(body, parts[0]) {
		return body
	}
	for i, part := range parts {
		parts[i] = regexp.QuoteMeta(part)
	}
	re, err := regexp.Compile(`(?im)[ \t]*` + strings.Join(parts, `[-a-zA-Z0-9_][-a-zA-Z0-9_ ]*`) + `[ \t]*$`)
	if err != nil {
		return body
	}
	return re.ReplaceAllString(body, "")
}

// labelFmtRe is the -l switch as org-element-src-block-parser reads it,
// with case-fold-search on ("-L" too).
var labelFmtRe = regexp.MustCompile(`(?i)-l +"([^"\n]+)"`)
