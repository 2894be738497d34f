package org

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// HeaderDefaults are Babel's default header arguments as an Emacs holds
// them: org-babel-default-header-args (Block), -inline- (Inline), -lob-
// (Call) and the bound org-babel-default-header-args:LANG of the languages
// Borges runs (Lang), which an Emacs Lisp block may set. nil stands for
// Org 9.5.5's own.
type HeaderDefaults struct {
	Block, Inline, Call []rawArg
	// Lang holds the languages' defaults reported; a language not in it
	// has Org's (langDefaultArgs).
	Lang map[string][]rawArg
	// unread holds, by the report's name of a variable (block, inline,
	// lob, lang:LANG), why Borges cannot read its value: the blocks
	// that use it cannot run.
	unread map[string]error
}

func (d *HeaderDefaults) block() ([]rawArg, error) {
	if d == nil {
		return defaultArgs, nil
	}
	return d.Block, d.unread["block"]
}

func (d *HeaderDefaults) inline() ([]rawArg, error) {
	if d == nil {
		return inlineDefaultArgs, nil
	}
	return d.Inline, d.unread["inline"]
}

func (d *HeaderDefaults) call() ([]rawArg, error) {
	if d == nil {
		return lobDefaultArgs, nil
	}
	return d.Call, d.unread["lob"]
}

func (d *HeaderDefaults) lang(lang string) ([]rawArg, error) {
	if d != nil {
		if l, ok := d.Lang[lang]; ok {
			return l, d.unread["lang:"+lang]
		}
	}
	return langDefaultArgs[lang], nil
}

// readDefaultArg reads one entry of a default alist as the buffer report
// gives it: its key, the kind of its value (s: a string, printed as Lisp
// prints it; n: a number; -: nil, no value; f: a symbol naming a
// function, which Babel calls; x: other Lisp data) and the value. Babel merges the value as it stands, unread: a string is that
// string (a :var one is not split into several), a number a number, a
// symbol a symbol (Symbol), which a block of an argument Babel does not
// read runs with, and org-babel-sha1-hash prints bare. A :cmdline list
// or vector is that (Printed), which ob-shell concatenates. Other data (a
// list, a form) Babel evaluates or refuses where it merges or uses it,
// which Borges does not do: it is an error.
func readDefaultArg(line string) (rawArg, error) {
	key, rest, _ := strings.Cut(line, " ")
	kind, value, _ := strings.Cut(rest, " ")
	if !strings.HasPrefix(key, ":") || len(key) < 2 {
		return rawArg{}, fmt.Errorf("default header argument %q: no keyword", line)
	}
	switch kind {
	case "-":
		return rawArg{Key: key}, nil
	case "n":
		if _, ok := lispNumber(value); !ok {
			return rawArg{}, fmt.Errorf("default header argument %s: %q is not a number", key, value)
		}
		return rawArg{Key: key, Value: strp(value), Number: true}, nil
	case "s":
		s, ok := readLispString(value)
		if !ok || !strings.HasPrefix(value, `"`) {
			return rawArg{}, fmt.Errorf("default header argument %s: %q is not a Lisp string", key, value)
		}
		return rawArg{Key: key, Value: strp(s), String: true}, nil
	case "x":
		if isPrintedSymbol(value) {
			return rawArg{Key: key, Value: strp(value), Symbol: true}, nil
		}
		if d, rest, ok := readLispDatum(value, 0); key == ":cmdline" && ok && skipLispBlanks(rest) == "" && (d.kind == lispList || d.kind == lispVec) {
			// A list or vector of characters, which ob-shell's
			// concat makes a string of (ConcatChars).
			return rawArg{Key: key, Value: strp(printLispDatum(d, false)), Printed: true}, nil
		}
		return rawArg{}, fmt.Errorf("default header argument %s: its value %s is Lisp data other than a string or a number, which Borges does not read", key, value)
	case "f":
		// org-babel-merge-params ends in org-babel-eval-headers, which
		// calls a value that is a function (ignore: nil, the argument
		// dropped; emacs-version: a string; car: an error that stops
		// the document).
		return rawArg{}, fmt.Errorf("default header argument %s: its value %s names a function, which Babel calls for the value (org-babel-eval-headers) and Borges does not: set the argument to the value itself", key, value)
	}
	return rawArg{}, fmt.Errorf("default header argument %q: no kind of value", line)
}

// readHeaderDefaults reads the n lines of defaults of a buffer report
// (borges--report): for each variable a line "NAME COUNT" (NAME block,
// inline, lob or lang:LANG), then its COUNT entries (readDefaultArg).
// It returns the lines that follow. An entry Borges cannot read makes the
// variable's defaults an error every block using them reports.
func readHeaderDefaults(rest string, n int) (*HeaderDefaults, string, error) {
	d := &HeaderDefaults{Lang: map[string][]rawArg{}, unread: map[string]error{}}
	next := reportLines(&rest, &n, "default header arguments")
	seen := map[string]bool{}
	for n > 0 {
		line, err := next()
		if err != nil {
			return nil, "", err
		}
		name, count, _ := strings.Cut(line, " ")
		c, err := strconv.Atoi(count)
		if err != nil || c < 0 || c > n {
			return nil, "", fmt.Errorf("buffer report: default header arguments %q", line)
		}
		args := make([]rawArg, 0, c)
		for i := 0; i < c; i++ {
			entry, err := next()
			if err != nil {
				return nil, "", err
			}
			a, err := readDefaultArg(entry)
			if err != nil {
				if d.unread[name] == nil {
					d.unread[name] = fmt.Errorf("%s: %w", defaultsVariable(name), err)
				}
				continue
			}
			args = append(args, a)
		}
		switch {
		case name == "block":
			d.Block = args
		case name == "inline":
			d.Inline = args
		case name == "lob":
			d.Call = args
		case strings.HasPrefix(name, "lang:") && len(name) > len("lang:"):
			d.Lang[name[len("lang:"):]] = args
		default:
			return nil, "", fmt.Errorf("buffer report: default header arguments of %q", name)
		}
		seen[name] = true
	}
	for _, name := range []string{"block", "inline", "lob"} {
		if !seen[name] {
			return nil, "", fmt.Errorf("buffer report: no default header arguments %s", name)
		}
	}
	return d, rest, nil
}

// reportLines is the reader of the next of the n lines of a part of a
// buffer report (what) at *rest: each call takes a line off *rest and
// counts it off *n, an error where the part is cut short.
func reportLines(rest *string, n *int, what string) func() (string, error) {
	return func() (string, error) {
		if *n <= 0 {
			return "", fmt.Errorf("buffer report: %s cut short", what)
		}
		line, after, ok := strings.Cut(*rest, "\n")
		if !ok {
			return "", fmt.Errorf("buffer report: %s cut short", what)
		}
		*n--
		*rest = after
		return line, nil
	}
}

// defaultsVariable is the Lisp variable a report's name of defaults
// stands for.
func defaultsVariable(name string) string {
	switch {
	case name == "block":
		return "org-babel-default-header-args"
	case name == "lob":
		return "org-babel-default-lob-header-args"
	case name == "inline":
		return "org-babel-default-inline-header-args"
	}
	return "org-babel-default-header-args:" + strings.TrimPrefix(name, "lang:")
}

// isPrintedSymbol reports whether printed is a symbol as prin1 prints
// it: the name it reads back to, printed again, is it (so no list,
// vector, string, number or other syntax). The name of the empty
// symbol, ##, is one.
func isPrintedSymbol(printed string) bool {
	if printed == "" {
		return false
	}
	name, escaped := ReadSymbol(printed)
	if !escaped && readsAsNumber(name) {
		return false
	}
	return PrintSymbol(name) == printed
}

// argsBorgesReads are the header arguments (without colon) Borges reads:
// Babel's it reproduces, Borges' own, the languages' commands.
var argsBorgesReads = map[string]bool{}

func init() {
	for _, k := range strings.Fields(`after cache cmd cmdline colnames constraints containerizer cpu cpu-limit cpus
		dir disk dockerize ensure env epilogue eval exports file file-desc file-ext file-mode gpus
		hline-string hlines image instances lexical mem network noeval noweb noweb-ref noweb-sep
		on-failure output-dir padline pids ports post preamble prologue python results retries return
		rownames ruby separator session shebang stdin timeout var wrap`) {
		argsBorgesReads[k] = true
	}
}

// lispDataRead reports whether Borges reads a, an argument Babel
// evaluated to a symbol or a list, as Babel does: a list of names
// (:colnames '(A B), :rownames), :file-desc (no description, as for
// anything but a string), or :lexical, which the Emacs running the block
// reads from its text again (org-babel-read); :noweb-ref and :noweb-sep,
// which org-babel-expand-noweb-references reads light, as written
// (Args.Light); :eval, whose symbol or list is none of the strings Babel
// compares it with (the block runs); :cmdline, which ob-shell concatenates
// to a string (a list or vector of characters; a symbol stops Emacs at
// the block, which the planner says); :file-mode, which set-file-modes
// refuses, stopping Emacs at the block once the file is written (the
// planner says so too).
func lispDataRead(a Arg) bool {
	switch a.Key {
	case "lexical", "file-desc", "noweb-ref", "noweb-sep", "eval", "cmdline", "file-mode":
		return true
	case "colnames", "rownames":
		return a.Printed
	}
	return false
}

// symbolsRead is the error of merged arguments where one Borges reads is
// a symbol (a default an Emacs Lisp block set): Babel reads such a value
// otherwise than its name, each argument its own way (it evaluates
// :results, string= takes the symbol's name, member and equal no string,
// expand-file-name refuses it), which Borges does not reproduce; but
// :cmdline's, whose concat stops Emacs at the block, as the planner
// says. Other arguments keep their symbols, as in Babel, which only the :cache hash
// reads (bare, as %S prints them).
func symbolsRead(args Args) error {
	if err := formsRead(args); err != nil {
		return err
	}
	for _, a := range args {
		if a.Written != "" && (a.Symbol || a.Printed) && argsBorgesReads[a.Key] && !lispDataRead(a) {
			return fmt.Errorf(":%s %s: Emacs evaluates it to %s, which Babel reads otherwise than a string and Borges does not: write a string (:%s \"TEXT\")", a.Key, a.Written, a.Value, a.Key)
		}
		if a.Symbol && argsBorgesReads[a.Key] && a.Written == "" && a.Key != "cmdline" {
			return fmt.Errorf(":%s: the default header argument is the symbol %s, which Babel reads otherwise than a string and Borges does not: set it to a string (\"%s\")", a.Key, a.Value, a.Value)
		}
	}
	return nil
}

// WrapUnsplit is the error of merged arguments whose :wrap
// org-babel-insert-result cannot split into words: a string of blanks
// only ("", "  ": its type is nil) or a number (split-string refuses
// it). Emacs inserts the result unwrapped, then fails at the wrapping
// ("Wrong type argument: stringp, …") and stops the document there,
// which Borges does not reproduce. A block whose results are not written
// (:results silent or none) or that does not run (:eval no) never gets
// there; nor does a :cache yes block whose results are current, which
// only the planner knows: it asks this of the blocks it runs.
func WrapUnsplit(args Args) error {
	a, ok := args.Lookup("wrap")
	if !ok || a.Symbol || a.Printed || a.Form {
		return nil
	}
	what := ""
	switch n, num := lispNumber(a.Value); {
	case a.String && len(splitString(a.Value)) == 0:
		what = "nil"
	case !a.String && num:
		what = n
	default:
		return nil
	}
	rp, _ := args.Get("results")
	if words := splitString(rp); hasWord(words, "silent") || hasWord(words, "none") {
		return nil
	}
	if ev, _ := args.Get("eval"); ev == "no" || ev == "never" {
		return nil
	}
	written := a.Value
	if a.String {
		written = strconv.Quote(a.Value)
	}
	return fmt.Errorf(":wrap %s: org-babel-insert-result finds no word in it, and Emacs writes the result unwrapped, then stops the document there (\"Wrong type argument: stringp, %s\"), which Borges does not reproduce: write a word (:wrap quote), or :wrap alone", written, what)
}

// formsTaken are the arguments Borges reads whose Lisp forms
// (Arg.Form) it need not evaluate: Emacs evaluates a :lexical form
// itself where it runs the block, and org-babel-expand-noweb-references
// reads :noweb-ref and :noweb-sep light, as written; :dir is taken as
// written, and said so (plan's notes); a Python block's :return form
// plan refuses with advice of its own; plan evaluates a :file-mode of
// (identity N) itself, and refuses any other.
var formsTaken = map[string]bool{"dir": true, "lexical": true, "noweb-ref": true, "noweb-sep": true, "return": true, "file-mode": true}

// formsRead is the error of merged arguments where one is a Lisp form
// Babel evaluates and Borges does not (Arg.Form), and Borges reads it
// (:eval, :results, :wrap, :session, ...): its value is unknown, and the
// block would run otherwise than in Emacs. A form in an argument Borges
// does not read is kept as written: under :cache yes it is hashed so, and
// plan says so of the blocks whose hash is written (its notes).
func formsRead(args Args) error {
	for _, a := range args {
		if a.fails != "" {
			// A function Babel calls that needs arguments
			// (lispConstant): Emacs stops at the block, whatever
			// the argument.
			return errors.New(a.fails)
		}
		if a.void != "" {
			// A call of a function Emacs does not have, which no
			// Emacs Lisp of the document's may define (merger.void).
			return errors.New(a.void)
		}
		if a.Form && argsBorgesReads[a.Key] && !formsTaken[a.Key] {
			return formError(":"+a.Key, a.Value)
		}
	}
	return nil
}

// IgnoredForm reports whether a is a Lisp form Babel evaluates as it
// reads the header in an argument whose value Borges does not read
// (:tangle, :mkdirp, :tangle-mode, ...): kept as written, it is exact
// only where evaluating it does nothing else (plan refuses the others).
func (a Arg) IgnoredForm() bool {
	return a.Form && !argsBorgesReads[a.Key] && !formsTaken[a.Key]
}

// formError is the error of a Lisp form Babel evaluates in a header
// argument Borges needs the value of.
func formError(key, form string) error {
	if key == ":cmdline" && strings.ContainsAny(form, "?#") && (strings.HasPrefix(form, "[") || strings.HasPrefix(form, "'(") || strings.HasPrefix(form, "'[")) {
		// A constant Emacs reads (ob-shell concatenates its
		// characters), in a syntax Borges's reader does not take.
		return fmt.Errorf("%s %s: Borges reads a vector or list of characters written as numbers ([97 98], #x61) or "+
			"plainly (?a, ?\\t, ?\\C-a), not in this syntax: write each character as its number", key, form)
	}
	return fmt.Errorf("%s %s: Emacs evaluates this Lisp form as it reads the header, and Borges cannot tell its value "+
		"(it evaluates only constants: '\"text\", '(a b), [1 2], (lambda () \"text\")): write the value itself (%s \"VALUE\")", key, form, key)
}

// Orgs says whether d are Org 9.5.5's own defaults, as a buffer whose
// defaults no Emacs Lisp block set reports them (nil is): the defaults a
// document with no Emacs Lisp block of its own is planned with.
func (d *HeaderDefaults) Orgs() bool {
	if d == nil {
		return true
	}
	if len(d.unread) > 0 || !sameArgs(d.Block, defaultArgs) || !sameArgs(d.Inline, inlineDefaultArgs) || !sameArgs(d.Call, lobDefaultArgs) {
		return false
	}
	for lang, args := range d.Lang {
		if !sameArgs(args, langDefaultArgs[lang]) {
			return false
		}
	}
	return true
}

// sameArgs says whether two lists of arguments are the same, values
// compared as text.
func sameArgs(a, b []rawArg) bool {
	return slices.EqualFunc(a, b, func(x, y rawArg) bool {
		if (x.Value == nil) != (y.Value == nil) || x.Value != nil && *x.Value != *y.Value {
			return false
		}
		x.Value, y.Value = nil, nil
		return x == y
	})
}
