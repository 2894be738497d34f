package org

// This file serves the document's Emacs (plan's Emacs Lisp blocks), which
// keeps one Org buffer of the document across its blocks, as
// org-babel-execute-buffer does: the results of the blocks before an
// Emacs Lisp block are put in that buffer, as write-back writes them,
// before it runs. The buffer may have been changed by earlier blocks, so
// a result is not put at an offset of the submitted text but in place of
// a region of it, the block's results region, which Emacs marks when it
// takes the document in and which write-back replaces whole.

// ResultRegion is where the results of block b go, as byte offsets into
// the submitted text: its existing results (the #+RESULTS: line to the end
// of what follows it), or the empty place after the block where new ones
// are inserted; for an inline block, its {{{results(…)}}} macro or the
// place after the block. Every edit WriteResults makes for b lies in it.
func (d *Document) ResultRegion(b *Block) (start, end int) {
	p := d.parser()
	if b.Inline > 0 {
		closeAt := b.End
		for closeAt > b.Start && (p.text[closeAt-1] == ' ' || p.text[closeAt-1] == '\t') {
			closeAt--
		}
		if _, end, found := p.inlineResultsMacro(b.End); found {
			return closeAt, end
		}
		return closeAt, closeAt
	}
	if loc, found := p.existingResult(b); found {
		return p.lines[loc].Start, p.resultEnd(loc + 1)
	}
	at := p.lines[b.EndLine-1].Next
	return at, at
}

// ResultReplacement is the text that takes the place of b's results
// region (ResultRegion) when r is written back, as WriteResults writes it;
// ok is false when nothing is written (:results silent, say).
func (d *Document) ResultReplacement(b *Block, r Result) (text string, ok bool) {
	e, ok := d.parser().resultEdit(b, r, d.Visit)
	if !ok {
		return "", false
	}
	return d.replacement(b, e)
}

// replacement is ResultReplacement of write-back's edit e of block b.
func (d *Document) replacement(b *Block, e edit) (text string, ok bool) {
	start, end := d.ResultRegion(b)
	if e.Start < start || e.End > end {
		// Not within the region Emacs marked: nothing sound to put in
		// its place.
		return "", false
	}
	return applyEdits(d.Text[start:end], []edit{{Start: e.Start - start, End: e.End - start, New: e.New, Result: e.Result, After: e.After}}), true
}

// LineStart is the byte offset where 1-based line n starts (the text's
// end past its last line).
func (d *Document) LineStart(n int) int {
	p := d.parser()
	if n < 1 {
		return 0
	}
	if n-1 < len(p.lines) {
		return p.lines[n-1].Start
	}
	return len(d.Text)
}

// KeepsResults reports whether named block b has results under it: the
// first "#+RESULTS: name" of the document (letter case folded, as
// org-babel-find-named-result finds it) follows b, past only blank lines
// and affiliated keywords. A block that writes none (:results silent)
// keeps such results from before, and a later block of its name writes
// there.
func (d *Document) KeepsResults(b *Block) bool {
	if b.Name == "" || b.Inline > 0 {
		return false
	}
	p := d.parser()
	loc, found := p.namedResult(b.Name)
	if !found || loc < b.EndLine {
		return false
	}
	for j := b.EndLine; j < loc; j++ {
		if t := p.lines[j].Text; !isBlank(t) && !isAffiliatedLine(t) {
			return false
		}
	}
	return true
}
