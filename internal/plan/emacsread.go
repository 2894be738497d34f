package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// This file is the reading of a block's output that only Emacs can do:
// under :results output table ob-ruby and ob-python read the output with
// org-babel-script-escape, whose org-babel-read evaluates a Lisp form
// (puts "(+ 1 2)" gives 3, "`(1 ,(+ 1 1))" a table). Borges reads the
// forms whose value it knows itself; for the others the block has a task
// of its own, "BLOCK output read by Emacs", after it: the document's
// Emacs (elisp_session.go), or a batch Emacs of its own when it has none,
// on the backend (never in the server), with the document loaded and
// point at the block, reads the output with the language's own function, and
// its value replaces the block's result. The task runs only when the
// output holds such a form (EmacsReadNeeded): most blocks stay one
// process. A form that fails leaves the text as it came, as in Emacs.

// emacsReaders are, by reader, the Babel library that reads a block's
// output as Lisp and the call that does (%s: the output), as
// org-babel-execute:ruby and org-babel-python-evaluate-external-process
// make it.
var emacsReaders = map[org.Reader][2]string{
	org.ReadRuby:   {"ob-ruby", "(org-babel-ruby-table-or-string %s)"},
	org.ReadPython: {"ob-python", "(org-babel-python-table-or-string (org-trim %s))"},
	org.ReadJS:     {"ob-js", "(org-babel-js-read %s)"},
}

// emacsReadTask plans the task that reads block blk's (task t's) output
// in Emacs, when its output may need it: its results are written in the
// block's place (nowhere for a block called with arguments), under the
// block's :cache hash.
func (b *builder) emacsReadTask(blk *org.Block, t *Task) {
	results := t.Results
	posting := slices.ContainsFunc(b.posting, func(p postCall) bool { return p.key == t.Block })
	if b.calling[t.Block] && !posting {
		// A run a reference or a call makes, being planned (its
		// called is set once it is), not a :post's: its value is
		// read as if written (valueResults).
		results = withoutSilent(results)
	}
	if t.Reader.ReadsUnwritten(results) && t.File == "" && t.Instances == 1 && t.Ensure == ItFinishes {
		// Read, and written nowhere: no reading to plan, but a value
		// Emacs cannot read stops the document at the block itself
		// (org.JSReadError), unless it may fail. So for a :post's
		// run of a JavaScript block (its :results silent, as
		// org-babel-ref-resolve adds it), whose value Go reads.
		t.FailureStops = !t.ContinueOnFailure
		return
	}
	if posting {
		// The run a :post makes: org-babel-result-cond reads its
		// value under silent too (valueResults), at the turn of the
		// block whose :post it is (chainRoot).
		results = withoutSilent(results)
	}
	if _, ok := emacsReaders[t.Reader]; !ok || !t.Reader.MayNeedEmacs(results) || t.File != "" ||
		t.Instances != 1 || t.Ensure != ItFinishes {
		return
	}
	key := ReaderOf(t.Block)
	if b.byName[key] != nil {
		return
	}
	b.called++
	rt := &Task{Block: key, Index: -b.called, Line: blk.Line, Lang: "emacs-lisp",
		Interpreter: elispInterpreter, Instances: 1, Ensure: ItFinishes,
		Resources: emacsResources(t.Resources), Container: t.Container, Constraints: t.Constraints, Timeout: t.Timeout,
		// Babel reads the output within the block's :dir, where it
		// binds default-directory for the block.
		Dir:       t.Dir,
		ValueFile: true, Reader: org.ReadLisp, Results: results, Cache: t.Cache,
		ResultsWith: t.Block, resultsAt: t.ResultsIndex(), ReadsOutput: true, owner: t,
		// When the block fails and its dependents run all the same, so
		// does this (not run then, the block's output standing).
		ContinueOnFailure: t.ContinueOnFailure,
		// org-babel-js-read lets the Lisp reader's error through
		// (a quote with nothing after it to read): Emacs stops there,
		// Borges too unless the block may fail (:on-failure continue).
		FailureStops: t.Reader == org.ReadJS && !t.ContinueOnFailure,
		// The block's own dependencies too: their values name the
		// columns and rows put back on a table (resultColnames).
		After: append([]string{t.Block}, t.After...)}
	b.byName[key] = rt
	at := *blk
	at.Commented = false
	b.blocks[rt] = &at
	b.plan.Tasks = append(b.plan.Tasks, rt)
	b.noteTask(rt)
}

// readsForCall reports whether t reads the output of a run a reference
// or a call makes (a block called, with no place of its own in the
// document): Emacs reads it where it resolves that reference, at the
// turn of the block making it, not at the named block's place.
func (t *Task) readsForCall() bool {
	return t.ReadsOutput && t.owner != nil && t.owner.called != nil && t.owner.Index < 0
}

// valueResults are the :results words under which Babel reads t's
// value: t's own, but for a run a reference, a call or a :post makes
// (rerun.go, called.go), whose value is read as a value written would be:
// org-babel-result-cond ignores silent (the reference's own, or the
// block's), under which ob-ruby and ob-python still read the output as
// Lisp (org-babel-script-escape).
func (t *Task) valueResults() string {
	if t.called == nil || t.Index >= 0 || t.ReadsOutput || t.Post && t.Reader.ReadsUnwritten(t.Results) {
		// A :post's run of a JavaScript block is read in Go, its
		// reader's error known there (emacsReadTask).
		return t.Results
	}
	return withoutSilent(t.Results)
}

// ValueResults are the :results words under which Babel reads t's
// value (valueResults).
func (t *Task) ValueResults() string { return t.valueResults() }

// withoutSilent is the :results words results without silent.
func withoutSilent(results string) string {
	words := strings.Fields(results)
	if !slices.Contains(words, "silent") {
		return results
	}
	return strings.Join(slices.DeleteFunc(words, func(w string) bool { return w == "silent" }), " ")
}

// referToReaders has the blocks that refer to a block whose output Emacs
// may read refer to the task reading it instead, as Babel hands them the
// block's value read (org-babel-ref-resolve runs the block, reading
// included), a :post's *this* included; when that task does not run,
// its value is the block's.
func (b *builder) referToReaders() {
	readerOf := map[string]string{}
	for _, t := range b.plan.Tasks {
		if t.ReadsOutput {
			readerOf[t.ResultsWith] = t.Block
		}
	}
	// The reading task keeps its block, whose output it reads; the
	// block's :post takes the value read as *this*.
	b.referTo(readerOf, func(t *Task, name string, _ bool) bool { return t.ReadsOutput && name == t.ResultsWith })
}

// referToPosts has the blocks that refer to a block with a :post refer to
// its :post task instead: org-babel-ref-resolve runs the block through
// org-babel-execute-src-block, which applies the :post, for :var, :stdin,
// noweb "<<name()>>" and #+call: alike.
func (b *builder) referToPosts() {
	postOf := map[string]string{}
	for _, t := range b.plan.Tasks {
		if t.Post && t.owner != nil && !t.postLink {
			postOf[t.owner.Block] = t.Block
		}
	}
	// A task of the block's own, its :post (for *this*) or the reading
	// of its output, keeps the block, as do the tasks of a chain of
	// :post calls it starts (their owners lead back to it): in the
	// order they wait in, and for *this*. Any other reference from
	// them to the block (a :var, noweb or :stdin naming it) is Babel
	// running the block again, :post included, inside its :post: it
	// goes to the :post's task, a cycle refused in resolve, as Emacs
	// recurses until it exceeds its depth.
	b.referTo(postOf, func(t *Task, name string, this bool) bool { return this && t.ownedBy(name, len(b.plan.Tasks)) })
}

// referTo has the tasks that refer to a block named in to (:var, noweb,
// :stdin, and the order they wait in) refer to the task it names there,
// but where keeps says a task keeps a block (this: for the order it
// waits in, or for a *this* reference). A task waits for whatever a
// reference of its was moved to.
func (b *builder) referTo(to map[string]string, keeps func(t *Task, name string, this bool) bool) {
	if len(to) == 0 {
		return
	}
	for _, t := range b.plan.Tasks {
		var moved []string
		swap := func(name *string, this bool) {
			if r, ok := to[*name]; ok && !keeps(t, *name, this) {
				*name = r
				moved = append(moved, r)
			}
		}
		for i, a := range t.After {
			// The order of a session's blocks stays the blocks': the
			// one after a block whose value it does not use need not
			// wait for the value.
			if d := b.byName[a]; d != nil && t.Session != nil && d.Session != nil &&
				d.Session.Key == t.Session.Key && !t.refersTo(a) {
				continue
			}
			swap(&t.After[i], true)
		}
		waits := len(moved)
		for i := range t.Vars {
			// Vars and values are bound side by side (builder.vars).
			swap(&t.Vars[i].Ref, i < len(t.values) && t.values[i].this)
		}
		for i := range t.values {
			swap(&t.values[i].ref, t.values[i].this)
		}
		for i := range t.nowebRefs {
			swap(&t.nowebRefs[i].block, false)
		}
		if t.stdin != nil {
			swap(&t.stdin.ref, false)
		}
		for _, r := range moved[waits:] {
			if !slices.Contains(t.After, r) {
				t.After = append(t.After, r)
			}
		}
	}
}

// UsesValueOf reports whether t uses the value of the block (or task)
// named name (refersTo): where it does not, it waits for name only for
// their order, the document's Emacs's included.
func (t *Task) UsesValueOf(name string) bool { return t.refersTo(name) }

// refersTo reports whether t uses the value of the block named name: a
// :var, noweb or :stdin reference, a :var reading back the results it
// writes over named data, or the block's result for its :post.
func (t *Task) refersTo(name string) bool {
	if t.Post && t.ResultsWith == name || t.stdin != nil && t.stdin.ref == name {
		return true
	}
	for _, v := range t.Vars {
		if v.Ref == name {
			return true
		}
	}
	for _, v := range t.values {
		if v.ref == name || v.readBack == name {
			return true
		}
	}
	for _, r := range t.nowebRefs {
		if r.block == name {
			return true
		}
	}
	return t.refusedRunOf(name) != "" || slices.Contains(t.replacedRuns, name)
}

// ReaderOf names the task that reads block's output in Emacs.
func ReaderOf(block string) string { return block + " output read by Emacs" }

// OutputValue is what a task that reads its block's output in Emacs is
// given for that block: the output as it came.
func OutputValue(output string) Value { return Value{Scalar: output} }

// EmacsReadNeeded reports whether task t, which reads its block's output
// in Emacs, must run for that output: whether it holds a Lisp form that
// Borges cannot evaluate. When it need not, the block's own result stands.
func EmacsReadNeeded(t *Task, output string) bool {
	return t.ReadsOutput && t.owner != nil && t.owner.Reader.NeedsEmacs(output, t.owner.valueResults())
}

// emacsReadProgram is the program of such a task: the document's Emacs
// when the document has one (elisp_session.go), in its Org buffer with
// the results Emacs has put in by then (inserted) and point at the block
// (orgBuffer), as Babel reads the output in the document's buffer before
// it puts the block's own results in; else a batch Emacs of its own, in
// a buffer of the document as submitted. It reads the output with the
// language's function and prints the value as an Emacs Lisp block's is
// printed (elispPrinter, emacsProgram), for org.ReadLisp, but a number
// bare (written the same, handed on as a number).
func emacsReadProgram(doc *org.Document, t *Task, refs map[string]Value, inserted map[string]org.Result) (string, error) {
	out, ok := refs[t.ResultsWith]
	if !ok || t.owner == nil {
		return "", fmt.Errorf("block %s: the output of %s is not available", t.Block, t.ResultsWith)
	}
	reader := emacsReaders[t.owner.Reader]
	blk, err := t.owner.blockIn(doc)
	if err != nil {
		return "", err
	}
	open, prelude, err := orgBuffer(doc, t, blk, inserted)
	if err != nil {
		return "", err
	}
	call := fmt.Sprintf(reader[1], elispString(out.Scalar))
	// Under :results list the value's cells stay as they are, lists
	// printed with %S (strings in quotes), as for an Emacs Lisp block.
	keep := "nil"
	if contains(strings.Fields(t.Results), "list") {
		keep = "t"
	}
	// A number read is printed bare, not as the text Babel writes of
	// it: the blocks referring to the block are handed the number
	// (org-babel-ref-resolve), where a string that reads as one stays
	// a string (resultValue).
	form := "(let ((r " + open + "\n" + call + ")))\n(if (numberp r) (prin1-to-string r) (borges--print r " + keep + ")))"
	return emacsProgram(t, fmt.Sprintf(emacsReadPrelude, reader[0])+elispPrinter+prelude, form), nil
}

// emacsReadPrelude loads the Babel library (%s) whose function reads the
// output.
const emacsReadPrelude = `;; -*- coding: utf-8; lexical-binding: t -*-
;; A block's output read by Emacs as its language's Babel reads it.
(require 'org)
(require 'ob)
(require '%s)
(setq org-confirm-babel-evaluate nil)
`

// ownedBy says whether the block named name owns t, or owns the task
// that owns it, looking at most max owners up.
func (t *Task) ownedBy(name string, max int) bool {
	for o := t.owner; o != nil && max > 0; o, max = o.owner, max-1 {
		if o.Block == name {
			return true
		}
	}
	return false
}
