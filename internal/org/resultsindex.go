package org

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file indexes what write-back looks up for every block, so that a
// document of many blocks is written back in time proportional to its
// size: the "#+RESULTS" lines by the names they carry (namedResult), and
// the text earlier edits replace (coverage).

// resultsIndex is the "#+RESULTS" lines namedResult looks at (outside
// blocks), in order, and the first of them to carry each block name.
type resultsIndex struct {
	lines   []int
	first   map[string]int  // foldKey of a name → first line carrying it
	names   map[string]bool // foldKey of every block and call name
	unkeyed int             // -1, or the first line matching name ""
}

// resultLines indexes the document's "#+RESULTS" lines, once.
func (p *parser) resultLines() *resultsIndex {
	p.resultsOnce.Do(func() {
		x := &resultsIndex{first: map[string]int{}, names: map[string]bool{}, unkeyed: -1}
		runes := map[int]bool{} // rune counts of the names
		addName := func(name string) {
			x.names[foldKey(name)] = true
			runes[utf8.RuneCountInString(name)] = true
		}
		for _, e := range p.els.srcs {
			if e.hasName {
				addName(e.name)
			}
		}
		for _, c := range p.els.calls {
			if c.hasName {
				addName(c.name)
			}
		}
		for k := 0; k < len(p.lines); k++ {
			if p.els.srcAt[k] != 0 {
				continue
			}
			if end, ok := p.els.latexEnvs[k]; ok {
				k = end
				continue
			}
			t := p.lines[k].Text
			r := t[skipBlanks(t):]
			if hasPrefixFold(r, "#+BEGIN_") {
				typ := r[len("#+BEGIN_"):]
				if i := strings.IndexAny(typ, " \t"); i >= 0 {
					typ = typ[:i]
				}
				switch strings.ToUpper(typ) {
				case "EXAMPLE", "EXPORT", "COMMENT", "VERSE", "SRC":
					if end := p.scan.blockEnd(k+1, len(p.lines), typ); end >= 0 {
						k = end
						continue
					}
				}
			}
			if !hasPrefixFold(r, "#+RESULTS") {
				continue
			}
			x.lines = append(x.lines, k)
			if x.unkeyed < 0 && isResultsKeyword(t, "") {
				x.unkeyed = k
			}
			x.keyLine(k, r[len("#+RESULTS"):], runes)
		}
		p.results = x
	})
	return p.results
}

// keyLine records line k under each name its text after "#+RESULTS" may
// carry: what follows any colon, trimmed. Only candidates as long (in
// characters) as some name are keyed, so that a line of many colons costs
// its length, not its square, unless names of as many lengths exist.
func (x *resultsIndex) keyLine(k int, tail string, runes map[int]bool) {
	end := len(tail)
	for end > 0 && (tail[end-1] == ' ' || tail[end-1] == '\t') {
		end--
	}
	// count[j] is the number of characters in tail[j:end].
	count := make([]int32, end+1)
	for j := end - 1; j >= 0; j-- {
		count[j] = count[j+1]
		if !utf8.RuneStart(tail[j]) {
			continue
		}
		count[j]++
	}
	for i := 0; i < len(tail); i++ {
		if tail[i] != ':' {
			continue
		}
		a := i + 1
		for a < end && (tail[a] == ' ' || tail[a] == '\t') {
			a++
		}
		if a > end {
			a = end
		}
		if !runes[int(count[a])] {
			continue
		}
		key := foldKey(tail[a:end])
		if _, seen := x.first[key]; !seen && x.names[key] {
			x.first[key] = k
		}
	}
}

// FoldKey is foldKey: names equal ignoring case, as Babel finds results
// by them, have the same key.
func FoldKey(s string) string { return foldKey(s) }

// foldKey is s with each character replaced by the smallest of those it
// equals ignoring case (unicode.SimpleFold's orbit): two strings are equal
// under strings.EqualFold exactly when their keys are equal.
func foldKey(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		// In ASCII the smallest is the upper case letter (also for k
		// and s, whose orbits hold U+212A and U+017F).
		return strings.ToUpper(s)
	}
	var b strings.Builder
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}

// coverage is the lines earlier edits replace, as a Fenwick tree of
// counts: marking an edit and asking about a line cost a logarithm, not a
// look at every edit so far.
type coverage struct {
	p    *parser
	tree []int32
}

func newCoverage(p *parser) *coverage {
	return &coverage{p: p, tree: make([]int32, len(p.lines)+2)}
}

// lineAt is the first line starting at or after offset.
func (c *coverage) lineAt(offset int) int {
	lo, hi := 0, len(c.p.lines)
	for lo < hi {
		mid := (lo + hi) / 2
		if c.p.lines[mid].Start < offset {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

func (c *coverage) add(i int, v int32) {
	for i++; i < len(c.tree); i += i & -i {
		c.tree[i] += v
	}
}

// mark records that text[start:end] is replaced: the lines starting in
// it are covered.
func (c *coverage) mark(start, end int) {
	from, to := c.lineAt(start), c.lineAt(end)
	if from < to {
		c.add(from, 1)
		c.add(to, -1)
	}
}

// covered reports whether line i starts in replaced text.
func (c *coverage) covered(i int) bool {
	n := int32(0)
	for i++; i > 0; i -= i & -i {
		n += c.tree[i]
	}
	return n > 0
}

// latexEndLines maps each NAME to the lines holding "\end{NAME}" anywhere,
// in order, built once.
func (p *parser) latexEndLines() map[string][]int {
	p.latexOnce.Do(func() {
		ends := map[string][]int{}
		for k, l := range p.lines {
			t := l.Text
			for off := 0; ; {
				i := strings.Index(t[off:], `\end{`)
				if i < 0 {
					break
				}
				off += i + len(`\end{`)
				e := strings.IndexByte(t[off:], '}')
				if e < 0 {
					break
				}
				name := t[off : off+e]
				if list := ends[name]; len(list) == 0 || list[len(list)-1] != k {
					ends[name] = append(list, k)
				}
			}
		}
		p.latexEnds = ends
	})
	return p.latexEnds
}
