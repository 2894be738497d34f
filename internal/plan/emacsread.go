package plan

import (
	"fmt"
	"unicode/utf8"

	"github.com/wallyqs/borges/internal/org"
)

// This file is the reading of a block's output that only Emacs can do:
// under :results output table ob-ruby and ob-python read the output with
// org-babel-script-escape, whose org-babel-read evaluates a Lisp form
// (puts "(+ 1 2)" gives 3, "`(1 ,(+ 1 1))" a table). Borges reads the
// forms whose value it knows itself; for the others the block has a task
// of its own, "BLOCK output read by Emacs", after it: a batch Emacs on
// the backend (never in the server), with the document loaded and point
// at the block, reads the output with the language's own function, and
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
	if _, ok := emacsReaders[t.Reader]; !ok || !t.Reader.MayNeedEmacs(t.Results) || t.File != "" ||
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
		Resources: t.Resources, Container: t.Container, Constraints: t.Constraints, Timeout: t.Timeout,
		ValueFile: true, Reader: org.ReadLisp, Results: t.Results, Cache: t.Cache,
		ResultsWith: t.Block, resultsAt: t.ResultsIndex(), ReadsOutput: true, owner: t,
		// When the block fails and its dependents run all the same, so
		// does this (not run then, the block's output standing).
		ContinueOnFailure: t.ContinueOnFailure,
		// The block's own dependencies too: their values name the
		// columns and rows put back on a table (ResultColnames).
		After: append([]string{t.Block}, t.After...)}
	b.byName[key] = rt
	at := *blk
	at.Commented = false
	b.blocks[rt] = &at
	b.plan.Tasks = append(b.plan.Tasks, rt)
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
	if len(readerOf) == 0 {
		return
	}
	for _, t := range b.plan.Tasks {
		swap := func(name *string) {
			// A reading task reads its own block's output, and takes
			// the values of that block's references as the block does.
			if r, ok := readerOf[*name]; ok && !(t.ReadsOutput && *name == t.ResultsWith) {
				*name = r
			}
		}
		for i := range t.After {
			swap(&t.After[i])
		}
		for i := range t.Vars {
			swap(&t.Vars[i].Ref)
		}
		for i := range t.values {
			swap(&t.values[i].ref)
		}
		for i := range t.nowebRefs {
			swap(&t.nowebRefs[i].block)
		}
		if t.stdin != nil {
			swap(&t.stdin.ref)
		}
	}
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
	return t.ReadsOutput && t.owner != nil && t.owner.Reader.NeedsEmacs(output, t.owner.Results)
}

// emacsReadProgram is the program of such a task: the batch Emacs puts
// the document's text, as submitted, in an Org buffer, puts point at the
// block (as elispProgram does), reads the output with the language's
// function, and prints the value into $BORGES_VALUE_FILE as elispDriver
// prints a block's value, for org.ReadLisp.
func emacsReadProgram(doc *org.Document, t *Task, refs map[string]Value) (string, error) {
	out, ok := refs[t.ResultsWith]
	if !ok || t.owner == nil {
		return "", fmt.Errorf("block %s: the output of %s is not available", t.Block, t.ResultsWith)
	}
	reader := emacsReaders[t.owner.Reader]
	blk, err := t.owner.blockIn(doc)
	if err != nil {
		return "", err
	}
	goTo := fmt.Sprintf("(forward-line %d)", max(blk.BeginLine, 1)-1)
	if blk.Inline > 0 {
		goTo = fmt.Sprintf("(forward-char %d)", utf8.RuneCountInString(doc.Text[:blk.Start]))
	}
	call := fmt.Sprintf(reader[1], elispString(out.Scalar))
	return fmt.Sprintf(emacsReadDriver, reader[0], elispString(doc.Text), goTo, call), nil
}

// emacsReadDriver reads a block's output as its language's Babel does,
// and prints the value as org-babel-insert-result first sees it (see
// elispDriver): nil nothing, a string as it is, a list it makes a table
// of, any other atom as %S, a list that is no table as %s.
const emacsReadDriver = `;; -*- coding: utf-8; lexical-binding: t -*-
;; A block's output read by Emacs as its language's Babel reads it.
(require 'org)
(require 'ob)
(require '%s)
(setq org-confirm-babel-evaluate nil)
(defun borges--cell (c)
  (if (or (stringp c) (numberp c) (symbolp c)) c (format "%%s" c)))
(defun borges--printable (r)
  (cond ((null r) nil)
        ((stringp r) (substring-no-properties r))
        ((not (listp r)) (format "%%S" r))
        ((not (and (proper-list-p r)
                   (cl-every (lambda (e) (or (atom e) (proper-list-p e))) r)))
         (format "%%s" r))
        ((cl-every (lambda (e) (or (eq e 'hline) (listp e))) r)
         (mapcar (lambda (e) (if (listp e) (mapcar #'borges--cell e) e)) r))
        (t (mapcar #'borges--cell r))))
(let* ((result
        (with-temp-buffer
          (insert %s)
          (org-mode)
          (goto-char (point-min))
          %s
          %s))
       (print-level nil) (print-length nil) (print-escape-newlines nil)
       (print-escape-control-characters nil) (print-escape-nonascii nil)
       (print-escape-multibyte nil) (print-quoted t)
       (text (prin1-to-string (borges--printable result))))
  (let ((coding-system-for-write 'utf-8-unix))
    (write-region text nil (or (getenv "BORGES_VALUE_FILE") "borges-value") nil 'silent)))
`
