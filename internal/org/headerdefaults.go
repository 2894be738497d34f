package org

import (
	"fmt"
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
// prints it; n: a number; -: nil, no value; x: other Lisp data) and the
// value. Babel merges the value as it stands, unread: a string is that
// string (a :var one is not split into several), a number a number.
// Other data (a symbol, a form) Babel evaluates or refuses where it
// merges or uses it, which Borges does not do: it is an error.
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
		return rawArg{}, fmt.Errorf("default header argument %s: its value %s is Lisp data other than a string or a number, which Borges does not read", key, value)
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
	next := func() (string, error) {
		if n <= 0 {
			return "", fmt.Errorf("buffer report: default header arguments cut short")
		}
		line, after, ok := strings.Cut(rest, "\n")
		if !ok {
			return "", fmt.Errorf("buffer report: default header arguments cut short")
		}
		n--
		rest = after
		return line, nil
	}
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
