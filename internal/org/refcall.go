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

// refCallee is callee for a reference, org-babel-ref-resolve's search:
// the first element named name outside COMMENT subtrees
// (ReferredRunLine), where callee's (the first block or #+call: line of
// the name, wherever it stands: org-babel-lob--src-info's, which #+call:
// lines run) stands in one. Callee's when no source block or #+call:
// line of the name stands outside them (the planner says what then).
func (d *Document) refCallee(p *parser, name string) (b *Block, why, overridden string) {
	line := d.ReferredRunLine(name)
	first := p.namedBlock(name)
	if call, isCall := p.firstNamedCall(name, first); line == 0 || isCall && call.post+1 == line || !isCall && first != nil && first.BeginLine == line {
		return p.callee(name)
	}
	for _, e := range p.els.srcs {
		if e.post+1 == line {
			return p.block(e), "", ""
		}
	}
	for _, e := range p.els.calls {
		if e.post+1 == line {
			return p.calleeCall(name, e)
		}
	}
	return p.callee(name)
}

// RefCallee is the block org-babel-ref-resolve runs for a reference
// with arguments to name (refCallee: the first element of the name
// outside COMMENT subtrees; a #+call: line's block), nil for none. Its
// position (BeginLine) is the block's in the document; it is not one of
// the document's Executables.
func (d *Document) RefCallee(name string) *Block {
	b, _, _ := d.refCallee(d.parser(), name)
	return b
}

// CalledWith is what org-babel-ref-resolve runs for a reference that
// calls a block with arguments, "name[header](x=1, y=2)": the first block
// (or #+call: line) named name outside COMMENT subtrees (refCallee; a
// #+call: line runs the first wherever it stands), with the header arguments and the :var
// arguments merged over its own, and :results silent (the result is a
// value for the caller, written nowhere). The block keeps the position
// of the block named; it is not one of the document's Executables.
func (d *Document) CalledWith(name, header, arguments string) (*Block, error) {
	p := d.parser()
	b, problem, overridden := d.refCallee(p, name)
	if overridden != "" {
		problem = overridden
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
	// place; output stays beside a call's value). Not a #+call: line's:
	// org-babel-lob-get-info leaves its headers unprocessed, so silent
	// replaces its none, append or prepend, and the run has a value
	// (and its :post runs).
	own, _ := b.Args.Get("results")
	if b.Call != nil {
		own = ""
	}
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
