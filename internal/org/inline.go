package org

import (
	"sort"
	"strings"
)

// This file finds inline source blocks, src_LANG[HEADERS]{BODY}, as
// org-element-inline-src-block-parser reads them in a paragraph (Org
// 9.5.5): "src_" at a word start of org-mode's syntax table and in no
// other object (inlinecontext.go), the language up to a blank or
// bracket, optional header arguments in square brackets, the body in
// curly braces (brackets paired as scan-lists pairs them), then the blanks
// that follow. org-babel-execute-buffer runs
// each one (org-babel-map-executables), with
// org-babel-default-inline-header-args in place of Org's defaults.
//
// Borges looks for them in paragraphs (list items included) and headings,
// outside macros, verbatim text, subscripts, LaTeX fragments, export
// snippets and targets; not in table cells (Emacs does not run
// those either).

// inlineDefaultArgs is org-babel-default-inline-header-args (Org 9.5.5).
var inlineDefaultArgs = []rawArg{
	{Key: ":session", Value: strp("none"), String: true}, {Key: ":results", Value: strp("replace"), String: true},
	{Key: ":exports", Value: strp("results"), String: true}, {Key: ":hlines", Value: strp("yes"), String: true},
}

// inlineBlocks finds the inline source blocks and inline calls of the
// document's paragraphs, in document order, numbering their Index from
// first. An inline call of a block that does not exist is left out:
// org-babel-lob-execute-maybe does nothing there.
func (p *parser) inlineBlocks(first int) []*Block {
	paras := append([][2]int(nil), p.els.paras...)
	for _, h := range p.headings {
		// A heading's title holds objects too.
		paras = append(paras, [2]int{h.line, h.line + 1})
	}
	sort.Slice(paras, func(i, j int) bool { return paras[i][0] < paras[j][0] })
	var out []*Block
	for _, para := range paras {
		base := p.lines[para[0]].Start
		t := p.text[base:p.lines[para[1]-1].Next]
		if !strings.Contains(t, "src_") && !strings.Contains(t, "call_") {
			continue
		}
		pr := linePairs(t)
		// Inside a macro, verbatim (=…=, ~…~) text and the objects
		// objectSpans finds, "src_" is the object's, not a block.
		spans, m := objectSpans(t, append(macroSpans(t), verbatimSpans(t)...), &pr), 0
		reach := -1 // the end of the spans begun so far
		line, counted := para[0], 0
		for at := 0; at < len(t); at++ {
			for m < len(spans) && spans[m][0] <= at {
				reach = max(reach, spans[m][1])
				m++
			}
			// The prefix first: the look back of inScriptOrFragment
			// over a run of letters, made at every word start, was
			// quadratic in a long run of them.
			if !strings.HasPrefix(t[at:], "src_") && !strings.HasPrefix(t[at:], "call_") || at < reach || !atWordStart(t, at) || inScriptOrFragment(t, at) {
				continue
			}
			line += strings.Count(t[counted:at], "\n")
			counted = at
			var b *Block
			var end int
			if t[at] == 's' {
				b, end = p.inlineSrc(t, base, line, at, pr)
			} else {
				b, end = p.inlineCall(t, base, line, at, pr)
			}
			if b == nil {
				if end > at {
					// A call of nothing is an object still: what is
					// inside its parentheses is its own.
					at = end - 1
				}
				continue
			}
			b.Index, b.Inline = first+len(out), len(out)+1
			out = append(out, b)
			at = end - 1
		}
	}
	return out
}

// lineIndent is the indentation of the line holding byte at of t.
func lineIndent(t string, at int) int {
	ls := strings.LastIndexByte(t[:at], '\n') + 1
	return columns(t[ls : ls+skipBlanks(t[ls:])])
}

// oneLine is what org-element makes of a header in brackets: trimmed,
// each newline and the blanks after it one space.
func oneLine(h string) string {
	return joinLines(orgTrim(h))
}

// joinLines replaces each newline of h and the blanks after it by a
// space (what org-babel--normalize-body does to an inline block's body,
// after its final newline: they may come from filling the paragraph).
func joinLines(h string) string {
	if !strings.Contains(h, "\n") {
		return h
	}
	var b strings.Builder
	for i := 0; i < len(h); i++ {
		if h[i] == '\n' {
			b.WriteByte(' ')
			for i+1 < len(h) && (h[i+1] == ' ' || h[i+1] == '\t') {
				i++
			}
			continue
		}
		b.WriteByte(h[i])
	}
	return b.String()
}

// inlineSrc reads the inline source block at column at of line i.
func (p *parser) inlineSrc(t string, base, i, at int, pr pairs) (*Block, int) {
	lang, headers, body, end, ok := inlineSrcAt(t, at, pr)
	if !ok {
		return nil, 0
	}
	b := &Block{Line: i + 1, BeginLine: i + 1, EndLine: i + 1,
		Start: base + at, End: base + end, Lang: lang, Body: joinLines(strings.TrimSuffix(body, "\n")), Indent: lineIndent(t, at)}
	b.Commented = p.commented(i)
	var err error
	b.Args, b.Vars, b.ReadsLisp, err = p.mergeHeadersFrom(p.defaults.inline, i, lang, headers, nil)
	if err != nil {
		b.Problem = err.Error()
		b.Stop = EmacsStop(err)
	}
	return b, end
}

// inlineCall reads the inline call at column at of line i, as
// org-element-inline-babel-call-parser does: call_NAME, an optional
// [inside header], (arguments), an optional [end header], then blanks.
// Its block is what a #+call: line with these parts runs.
func (p *parser) inlineCall(t string, base, i, at int, pr pairs) (*Block, int) {
	name, inside, args, outside, end, ok := inlineCallAt(t, at, pr)
	if !ok {
		return nil, 0
	}
	c := &Call{Line: i + 1, Name: name, Indent: lineIndent(t, at), Commented: p.commented(i)}
	c.Inside, c.Outside = inside, outside
	if hasNonWhite(args) {
		c.Arguments = args
	}
	c.Start, c.End = base+at, base+end
	p.callBlock(c, i)
	if c.Block == nil {
		// org-babel-lob-execute-maybe finds nothing to run: Emacs
		// runs nothing, silently (Document.InlineUnrun says so).
		p.inlineUnrun = append(p.inlineUnrun, c)
		return nil, end
	}
	return c.Block, end
}

// macroSpans are the "{{{…}}}" macros of a line: what is inside one (a
// result like {{{results(src_sh[]{1})}}}) is the macro's, not a block.
func macroSpans(t string) [][2]int {
	var out [][2]int
	for from := 0; ; {
		k := strings.Index(t[from:], "{{{")
		if k < 0 {
			return out
		}
		start := from + k
		e := strings.Index(t[start+3:], "}}}")
		if e < 0 {
			return out
		}
		end := start + 3 + e + 3
		out = append(out, [2]int{start, end})
		from = end
	}
}

// verbatimSpans are the verbatim and code objects of a line (=…=, ~…~),
// with org-emphasis-regexp-components' rules (Org 9.5.5): the marker after
// the line's start, a blank or one of -('"{, the text starting and ending
// with a non-blank, the closing marker before the line's end, a blank or
// one of -.,:!?;'")}\[. Each opening marker takes the first closing one
// (found through a table of the next closing marker, one pass).
func verbatimSpans(t string) [][2]int {
	var out [][2]int
	if !strings.ContainsAny(t, "=~") {
		return out
	}
	blank := func(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }
	// The newlines, to count those a span holds (at most one): memory
	// for the lines and markers, not the text.
	var newlines []int
	for k := strings.IndexByte(t, '\n'); k >= 0; {
		newlines = append(newlines, k)
		n := strings.IndexByte(t[k+1:], '\n')
		if n < 0 {
			break
		}
		k += 1 + n
	}
	linesBefore := func(k int) int { return sort.SearchInts(newlines, k) }
	for _, mark := range []byte{'=', '~'} {
		var closers []int
		for j := strings.IndexByte(t, mark); j >= 0; {
			if j > 0 && !blank(t[j-1]) && (j+1 == len(t) || strings.IndexByte(" \t\n-.,:!?;'\")}\\[", t[j+1]) >= 0) {
				closers = append(closers, j)
			}
			n := strings.IndexByte(t[j+1:], mark)
			if n < 0 {
				break
			}
			j += 1 + n
		}
		c := 0 // the first closer not yet passed
		for i := strings.IndexByte(t, mark); i >= 0 && i+2 < len(t); {
			if i == 0 || strings.IndexByte(" \t\n-('\"{", t[i-1]) >= 0 {
				if !blank(t[i+1]) {
					for c < len(closers) && closers[c] < i+2 {
						c++
					}
					if c < len(closers) && linesBefore(closers[c])-linesBefore(i) <= 1 {
						j := closers[c]
						out = append(out, [2]int{i, j + 1})
						i = j
					}
				}
			}
			n := strings.IndexByte(t[i+1:], mark)
			if n < 0 {
				break
			}
			i += 1 + n
		}
	}
	return out
}

// inlineCallAt reads the inline call at t[at:] ("call_…"): its name,
// inside header, arguments, end header, and where it ends, blanks after
// it included.
func inlineCallAt(t string, at int, pr pairs) (name, inside, args, outside string, end int, ok bool) {
	j := at + 5
	k := j
	for k < len(t) && !strings.ContainsRune(" \t\n[(", rune(t[k])) {
		k++
	}
	if k == j || k >= len(t) || (t[k] != '[' && t[k] != '(') {
		return "", "", "", "", 0, false
	}
	name = t[j:k]
	if t[k] == '[' {
		close := int(pr.square.at(k))
		if close < 0 {
			return "", "", "", "", 0, false
		}
		inside = oneLine(t[k+1 : close])
		k = close + 1
	}
	if k >= len(t) || t[k] != '(' || pr.round.at(k) < 0 {
		return "", "", "", "", 0, false
	}
	close := int(pr.round.at(k))
	args = t[k+1 : close]
	k = close + 1
	if k < len(t) && t[k] == '[' && pr.square.at(k) >= 0 {
		close := int(pr.square.at(k))
		outside = oneLine(t[k+1 : close])
		k = close + 1
	}
	end = k
	for end < len(t) && (t[end] == ' ' || t[end] == '\t') {
		end++
	}
	return name, inside, args, outside, end, true
}

// inlineAt is where the inline block or call beginning at t[at] ends, as
// inlineBlocks finds them (a word start, not in a script or after a
// backslash), or -1.
func inlineAt(t string, at int, pr pairs) int {
	if !atWordStart(t, at) || inScriptOrFragment(t, at) {
		return -1
	}
	var end int
	var ok bool
	switch {
	case strings.HasPrefix(t[at:], "src_"):
		_, _, _, end, ok = inlineSrcAt(t, at, pr)
	case strings.HasPrefix(t[at:], "call_"):
		_, _, _, _, end, ok = inlineCallAt(t, at, pr)
	}
	if !ok {
		return -1
	}
	return end
}

// inlineSrcAt reads the inline block at t[at:] ("src_…"): its language,
// header arguments (newlines and surrounding blanks as the parser leaves
// them), body, and where it ends, blanks after it included.
func inlineSrcAt(t string, at int, pr pairs) (lang, headers, body string, end int, ok bool) {
	i := at + 4
	j := i
	for j < len(t) && !strings.ContainsRune(" \t\n[{", rune(t[j])) {
		j++
	}
	if j == i || j >= len(t) || (t[j] != '[' && t[j] != '{') {
		return "", "", "", 0, false
	}
	lang = t[i:j]
	if t[j] == '[' {
		close := int(pr.square.at(j))
		if close < 0 {
			return "", "", "", 0, false
		}
		headers = oneLine(t[j+1 : close])
		j = close + 1
	}
	if j >= len(t) || t[j] != '{' {
		return "", "", "", 0, false
	}
	close := int(pr.curly.at(j))
	if close < 0 {
		return "", "", "", 0, false
	}
	body = t[j+1 : close]
	end = close + 1
	for end < len(t) && (t[end] == ' ' || t[end] == '\t') {
		end++
	}
	return lang, headers, body, end, true
}

// pairs is where each opening bracket of a line closes, as scan-lists
// finds it in org-element's pair tables: only the bracket's own kind
// counts (Emacs 28 takes neither quotes nor backslashes there:
// src_sh{echo "}"} ends at the first brace). One pass per kind, so that a
// line of many unclosed "src_x{" costs its length, not its square.
type pairs struct{ curly, square, round brackets }

func linePairs(t string) pairs {
	return pairs{curly: matchBrackets(t, '{', '}'), square: matchBrackets(t, '[', ']'), round: matchBrackets(t, '(', ')')}
}

// brackets are the opening brackets of one kind in a text, in order, and
// where each closes (-1: never): memory for the brackets, not the text.
type brackets struct{ open, close []int32 }

// at is where the bracket opening at i closes, or -1.
func (b brackets) at(i int) int32 {
	k := sort.Search(len(b.open), func(k int) bool { return b.open[k] >= int32(i) })
	if k < len(b.open) && b.open[k] == int32(i) {
		return b.close[k]
	}
	return -1
}

// matchBrackets pairs the open and close bytes of t in one pass.
func matchBrackets(t string, open, close byte) brackets {
	var b brackets
	var stack []int32 // indexes into b.open
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case open:
			stack = append(stack, int32(len(b.open)))
			b.open = append(b.open, int32(i))
			b.close = append(b.close, -1)
		case close:
			if n := len(stack); n > 0 {
				b.close[stack[n-1]] = int32(i)
				stack = stack[:n-1]
			}
		}
	}
	return b
}

// inlineEdit is org-babel-insert-result for an inline block: the result
// as "{{{results(=…=)}}}" (or as :results and :wrap say) after the block
// and a space, or in place of the results macro already there. ok is false
// when nothing is written: :results none or silent, a block still running,
// or a result Babel refuses inline (a table or list, several lines),
// where Emacs stops with "Inline error".
func (p *parser) inlineEdit(b *Block, r Result, visit Visit) (edit, bool) {
	rp := resultParams(b)
	if hasWord(rp, "none") || hasWord(rp, "silent") || r.Status != "" {
		return edit{}, false
	}
	if p.inHeadingWithoutContents(b) {
		// org-babel-where-is-src-block-result compares with the
		// heading's :contents-end, nil: Emacs stops there ("Wrong
		// type argument: number-or-marker-p, nil") and writes nothing.
		return edit{}, false
	}
	if r.WithoutFile {
		rp = withoutWord(rp, "file")
	}
	var text string
	if len(r.Parts) > 0 {
		// Borges' failure (a timeout, a kill), which Babel has no
		// value for: its notes, as a block's drawer says them, never
		// an empty value a success could have given.
		text = "{{{results(=" + macroEscape(partsNote(r.Parts)) + "=)}}}"
	} else {
		v, ok := inlineValue(b, r, rp, visit)
		if !ok {
			return edit{}, false
		}
		if text, ok = inlineResult(v, rp, b); !ok {
			return edit{}, false
		}
	}
	closeAt := b.End
	for closeAt > b.Start && (p.text[closeAt-1] == ' ' || p.text[closeAt-1] == '\t') {
		closeAt--
	}
	if start, end, found := p.inlineResultsMacro(b.End); found {
		return edit{Start: start, End: end, New: text}, true
	}
	return edit{Start: closeAt, End: closeAt, New: " " + text}, true
}

// partsNote is the notes of parts on one line, as an inline result holds
// them: "borges: failed — timed out after 2s".
func partsNote(parts []Part) string {
	notes := make([]string, len(parts))
	for i, part := range parts {
		// One line, and no ")}}}" to end the macro early.
		notes[i] = strings.ReplaceAll(strings.Join(strings.Fields(part.Note), " "), ")}}}", ") }}}")
	}
	return strings.Join(notes, "; ")
}

// inlineValue is the value org-babel-insert-result has of inline block
// b's result r, rp its :results words (without "file" for r.WithoutFile):
// a link to the file under :results file (ok false when there is none to
// write).
func inlineValue(b *Block, r Result, rp []string, visit Visit) (babelValue, bool) {
	v := r.value(rp)
	if hasWord(rp, "file") {
		// The link to the file, as for a block (resultBody).
		return fileLink(b, v, visit)
	}
	return v, true
}

// InlineListError is the error org-babel-insert-result signals for a
// value of an inline block that is a list: a table, or nil (no value, as
// for a block that exits non-zero).
const InlineListError = "Inline error: list result cannot be used"

// InlineValueRefused is the error org-babel-insert-result signals,
// stopping org-babel-execute-buffer, when it comes to write result r of
// inline block (or inline call) b, finished, for its value: a list (a
// table, or nil: no value) is "Inline error: list result cannot be used",
// a string with a newline followed by anything but a newline
// "Inline error: multiline result cannot be used". "" for none, for a
// block not inline, one writing no results (:results none or silent), a
// result not finished (r.Status), and the :results words InlineRefused
// already refuses before the run (table; list when the value is neither).
// In a heading with no contents too: the value is refused before its
// place is looked for (InlineStops).
func (d *Document) InlineValueRefused(b *Block, r Result) string {
	if b == nil || b.Inline == 0 || r.Status != "" || r.Parts != nil {
		return ""
	}
	rp := resultParams(b)
	if hasWord(rp, "none") || hasWord(rp, "silent") || hasWord(rp, "table") {
		return ""
	}
	if r.WithoutFile {
		rp = withoutWord(rp, "file")
	}
	v, ok := inlineValue(b, r, rp, d.Visit)
	switch {
	case !ok:
		return ""
	case v.kind == valueTable || v.kind == valueNone || v.listText:
		// listText: an Emacs Lisp list no table holds (a cons), a
		// list to Babel.
		return InlineListError
	case multiline(v.str):
		return "Inline error: multiline result cannot be used"
	}
	return ""
}

// inlineResultsMacro finds a "{{{results(…)}}}" macro after an inline
// block ending at pos, past blanks and a newline within its paragraph:
// where org-babel-where-is-src-block-result looks.
func (p *parser) inlineResultsMacro(pos int) (start, end int, found bool) {
	t := p.text
	i := pos
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	if i < len(t) && t[i] == '\n' {
		j := i + 1
		for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
			j++
		}
		if j >= len(t) || t[j] == '\n' {
			return 0, 0, false // a blank line ends the paragraph
		}
		i = j
	}
	const open = "{{{results("
	if len(t)-i < len(open) || !strings.EqualFold(t[i:i+len(open)], open) {
		return 0, 0, false
	}
	k := strings.Index(t[i:], ")}}}")
	if k < 0 {
		return 0, 0, false
	}
	return i, i + k + 4, true
}

// inlineResult is the text org-babel-insert-result writes for an inline
// block's value.
func inlineResult(v babelValue, rp []string, b *Block) (string, bool) {
	if v.kind == valueTable || hasWord(rp, "table") || hasWord(rp, "list") {
		return "", false
	}
	if v.kind == valueNone || v.listText {
		return "", false // nil, a list: refused (InlineValueRefused)
	}
	s := v.str
	if multiline(s) {
		return "", false
	}
	if hasWord(rp, "raw") {
		if _, ok := b.Args.Get("wrap"); !ok {
			if hasWord(rp, "file") {
				return macroEscape(s), true // escaped as it is inserted
			}
			return s, true
		}
	}
	x := macroEscape(strings.TrimRight(s, "\n"))
	if w, ok := b.Args.Get("wrap"); ok {
		full := w
		if full == "" {
			full = "results"
		}
		split := splitString(full)
		typ := full
		if len(split) > 0 {
			typ = split[0]
		}
		switch {
		case strings.EqualFold(typ, "export"):
			backend := "none"
			if len(split) > 1 {
				backend = split[1]
			}
			return "{{{results(@@" + backend + ":" + x + "@@)}}}", true
		case strings.EqualFold(typ, "example"):
			return "{{{results(=" + x + "=)}}}", true
		case strings.EqualFold(typ, "src"):
			switch len(split) {
			case 0, 1:
				return "{{{results(src_none{" + x + "})}}}", true
			case 2:
				return "{{{results(src_" + split[1] + "{" + x + "})}}}", true
			}
			return "{{{results(src_" + split[1] + "[" + strings.Join(split[2:], " ") + "]{" + x + "})}}}", true
		}
		return "{{{results(" + x + ")}}}", true
	}
	switch {
	case hasWord(rp, "html"):
		return "{{{results(@@html:" + x + "@@)}}}", true
	case hasWord(rp, "latex"):
		return "{{{results(@@latex:" + x + "@@)}}}", true
	case hasWord(rp, "org"):
		return "{{{results(src_org{" + x + "})}}}", true
	case hasWord(rp, "code"):
		lang := b.Lang
		if lang == "" {
			lang = "none"
		}
		return "{{{results(src_" + lang + "[" + resultsSwitches(b.Args) + "]{" + x + "})}}}", true
	case hasWord(rp, "drawer"), hasWord(rp, "wrap"), hasWord(rp, "file"):
		return "{{{results(" + x + ")}}}", true
	}
	return "{{{results(=" + x + "=)}}}", true
}

// multiline is (string-match-p "\n." s): a newline with a character
// after it other than a newline.
func multiline(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '\n' && s[i+1] != '\n' {
			return true
		}
	}
	return false
}

// macroEscape is org-macro-escape-arguments of one argument: a comma gets
// a backslash, and the backslashes before it are doubled.
func macroEscape(s string) string {
	if !strings.Contains(s, ",") {
		return s
	}
	var b strings.Builder
	run := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ',' {
			b.WriteString(strings.Repeat(`\`, run+1))
		}
		if c == '\\' {
			run++
		} else {
			run = 0
		}
		b.WriteByte(c)
	}
	return b.String()
}

// InlineStops reports whether org-babel-execute-buffer, having run
// inline block (or inline call) b, stops the document with an error when
// it comes to write its result: b stands in the title of a heading with
// no contents, where org-babel-where-is-src-block-result compares with
// the heading's :contents-end, nil ("Wrong type argument:
// number-or-marker-p, nil"), and b writes a result (not :results none or
// silent).
func (d *Document) InlineStops(b *Block) bool {
	if b == nil || b.Inline == 0 {
		return false
	}
	if rp := resultParams(b); hasWord(rp, "none") || hasWord(rp, "silent") {
		return false
	}
	return d.parser().inHeadingWithoutContents(b)
}

// InlineRefused is the error org-babel-insert-result signals, stopping
// org-babel-execute-buffer, when it comes to write the result of inline
// block (or inline call) b whose :results words Babel does not write
// inline: "table", then "list" ("Inline error: `:results list' cannot be
// used"; a list value or one of several lines under it is named so
// instead, in Emacs's words). "" for none.
func InlineRefused(b *Block) string {
	if b == nil || b.Inline == 0 {
		return ""
	}
	rp := resultParams(b)
	switch {
	case hasWord(rp, "none") || hasWord(rp, "silent"):
		return ""
	case hasWord(rp, "table"):
		return "Inline error: `:results table' cannot be used"
	case hasWord(rp, "list"):
		return "Inline error: `:results list' cannot be used"
	}
	return ""
}

// InlineStopError is the error Emacs stops with at a block InlineStops.
const InlineStopError = "Wrong type argument: number-or-marker-p, nil"

// inHeadingWithoutContents reports whether inline block b stands in the
// title of a heading that has no contents: only blank lines before the
// next heading of its level or higher, or before the end.
func (p *parser) inHeadingWithoutContents(b *Block) bool {
	i := b.Line - 1
	if i < 0 || i >= len(p.headingOf) {
		return false
	}
	k := int(p.headingOf[i])
	if k < 0 || p.headings[k].line != i {
		return false
	}
	end := len(p.lines)
	if k+1 < len(p.headings) {
		if p.headings[k+1].level > p.headings[k].level {
			return false // a subheading: contents
		}
		end = p.headings[k+1].line
	}
	for j := i + 1; j < end; j++ {
		if !isBlank(p.lines[j].Text) {
			return false
		}
	}
	return true
}
