package org

import (
	"fmt"
	"slices"
	"strings"
)

// Callee is the block (or #+call: line's) org-babel-ref-resolve finds
// for a reference to name, with its own header arguments and :var
// values, not merged with a call's; nil when there is none.
func (d *Document) Callee(name string) *Block {
	b, _, _ := d.parser().callee(name)
	return b
}

// CalledWith is what org-babel-ref-resolve runs for a reference that
// calls a block with arguments, "name[header](x=1, y=2)": the first block
// (or #+call: line) named name, with the header arguments and the :var
// arguments merged over its own, and :results silent (the result is a
// value for the caller, written nowhere). The block keeps the position
// of the block named; it is not one of the document's Executables.
func (d *Document) CalledWith(name, header, arguments string) (*Block, error) {
	p := d.parser()
	b, problem, overridden := p.callee(name)
	if overridden != "" {
		problem = overridden
	}
	if b != nil && b.Commented {
		// org-babel-ref-resolve skips COMMENT subtrees: it runs the
		// first block of the name outside them (ReferredRunLine).
		b = p.blockAtLine(d.ReferredRunLine(name), b)
	}
	if b == nil {
		return nil, fmt.Errorf("%s", problem)
	}
	if b.Problem != "" {
		// org-babel-ref-resolve reads the block's information first.
		return nil, fmt.Errorf("%s: %w", name, &blockError{b.Problem, b.Stop})
	}
	first := make([]rawArg, 0, len(b.Args)+len(b.Vars))
	// org-babel-ref-resolve runs a block named at its place, its header
	// values evaluated (a call's: the called block's light, as for the
	// call itself).
	for _, a := range b.Args {
		first = append(first, a.raw(false))
	}
	for _, v := range b.Vars {
		first = append(first, rawArg{Key: ":var", Value: strp(v)})
	}
	params, err := parseHeaderArgs(header)
	if err != nil {
		return nil, fmt.Errorf("%s[%s]: %v", name, header, err)
	}
	if hasNonWhite(arguments) {
		for _, a := range balancedSplitOn(arguments, ',') {
			params = append(params, rawArg{Key: ":var", Value: strp(orgTrim(a))})
		}
	}
	params = append(params, rawArg{Key: ":results", Value: strp("silent")})
	args, vars, err := mergeParams(!p.lispRuns(), first, params)
	if err != nil {
		return nil, fmt.Errorf("%s(%s): %w", name, arguments, err)
	}
	// org-babel-process-params: the block's own :results words stay in
	// its result-params after the merge (silent does not take none's
	// place; output stays beside a call's value).
	own, _ := b.Args.Get("results")
	for i := range args {
		if args[i].Key == "results" {
			words := strings.Fields(args[i].Value)
			for _, w := range strings.Fields(own) {
				if !slices.Contains(words, w) {
					words = append(words, w)
				}
			}
			args[i].Value = strings.Join(words, " ")
		}
	}
	cb := *b
	cb.Args, cb.Vars, cb.Problem, cb.Stop = args, vars, "", ""
	return &cb, nil
}

// blockAtLine is the source block whose #+begin_src line is line
// (1-based), or b when none is (a #+call: line, or no line: 0).
func (p *parser) blockAtLine(line int, b *Block) *Block {
	for _, e := range p.els.srcs {
		if e.post+1 == line {
			return p.block(e)
		}
	}
	return b
}
