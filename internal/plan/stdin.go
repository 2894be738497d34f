package plan

import (
	"fmt"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// posixShells are the shells whose script takes ob-shell's :stdin and
// :cmdline as Emacs gives them: "set --" sets the arguments, "exec <"
// the standard input.
var posixShells = map[string]bool{
	"sh": true, "shell": true, "bash": true, "zsh": true, "dash": true, "ksh": true, "mksh": true, "ash": true, "posh": true,
}

// stdinAndCmdline reads :stdin and :cmdline. For a POSIX shell they are
// ob-shell's: Emacs runs the script as "SHELL SCRIPT CMDLINE" through
// the shell, with the :stdin reference's value (as
// org-babel-sh-var-to-string prints it) on standard input; Borges puts
// the same in the script's first line (Emacs's script has a blank one
// there), so that the shell splits and expands the arguments itself.
// Fish and csh get :cmdline split into words as the shell splits quotes
// and backslashes, appended to the command line. No other language's
// Babel reads either (ob-python, ob-ruby, ob-perl, ob-js and
// ob-emacs-lisp run their program without arguments or input of the
// block's), so neither is given to them.
func (b *builder) stdinAndCmdline(blk *org.Block, t *Task) {
	if !shellNames[t.Lang] {
		return
	}
	cmdline, hasCmdline := blk.Args.Get("cmdline")
	if hasCmdline {
		if strings.HasPrefix(cmdline, "(") || strings.HasPrefix(cmdline, "'") || strings.HasPrefix(cmdline, "`") {
			// org-babel-read evaluates it, and ob-shell fails on what
			// is not a string.
			b.problem(blk, t.Block, ":cmdline", "%s: Emacs reads a value starting with %q as Lisp (Borges does not evaluate Lisp); quote the words another way (a\\ b, \"a b\")", cmdline, cmdline[:1])
			return
		}
		cmdline = lispStringValue(cmdline)
	}
	stdin, hasStdin := blk.Args.Get("stdin")
	if posixShells[t.Lang] && (t.shebang == "" || shebangIsPOSIXShell(t.shebang)) {
		if hasCmdline && cmdline != "" {
			t.setArgs = "set -- " + cmdline
		}
		if hasStdin && stdin != "" {
			b.stdinRef(blk, t, stdin)
		}
		return
	}
	if hasStdin && stdin != "" {
		if t.shebang != "" {
			b.problem(blk, t.Block, ":stdin", "Borges gives standard input to scripts run by a POSIX shell only, not by %s", t.shebang)
		} else {
			b.problem(blk, t.Block, ":stdin", "Borges gives standard input to POSIX shells only (sh, bash, zsh, dash, ksh…), not %s", t.Lang)
		}
	}
	if hasCmdline && cmdline != "" {
		words, err := splitWords(cmdline)
		if err != nil {
			b.problem(blk, t.Block, ":cmdline", "%v", err)
			return
		}
		t.CmdLine = words
	}
}

// shebangIsPOSIXShell reports whether a #! line runs a POSIX shell
// ("#!/bin/sh -e", "#!/usr/bin/env bash"), which can read the lines
// Borges starts a script with for :stdin and :cmdline.
func shebangIsPOSIXShell(shebang string) bool {
	f := strings.Fields(strings.TrimPrefix(shebang, "#!"))
	if len(f) == 0 {
		return false
	}
	prog := f[0]
	if strings.HasSuffix(prog, "/env") && len(f) > 1 {
		prog = f[1]
	}
	return posixShells[prog[strings.LastIndexByte(prog, '/')+1:]]
}

// stdinRef reads a :stdin reference as org-babel-ref-resolve does: a
// named table, list or example (read now), or a block's result (a
// dependency), either indexed.
func (b *builder) stdinRef(blk *org.Block, t *Task, ref string) {
	r, ok := parseRef(ref)
	if !ok {
		b.problem(blk, t.Block, ":stdin", "%q is not the name of a block or of data", ref)
		return
	}
	if r.call == nil {
		if kind, scalar, table, list, ok := b.doc.NamedData(r.name); ok {
			t.stdin = &boundValue{value: indexValue(rawDataValue(kind, scalar, table, list), r.index)}
			return
		}
	}
	dep := r.name
	if r.call != nil {
		if dep = b.calledTask(blk, t, ":stdin", r.call); dep == "" {
			return
		}
	}
	t.stdin = &boundValue{ref: dep, index: r.index}
	t.After = append(t.After, dep)
}

// stdinText is the task's standard input (org-babel-sh-var-to-string of
// the value) and whether it has one.
func (t *Task) stdinText(refs map[string]Value) (string, bool, error) {
	if t.stdin == nil {
		return "", false, nil
	}
	v := t.stdin.value
	if t.stdin.ref != "" {
		rv, ok := refs[t.stdin.ref]
		if !ok {
			return "", false, fmt.Errorf("block %s: result of %s is not available", t.Block, t.stdin.ref)
		}
		v = indexValue(rv, t.stdin.index)
	}
	return v.text(), true, nil
}

// shellPrelude is the line a shell script starts with for :stdin and
// :cmdline: the standard input from a file the line writes (printf's
// format, so that the text stays on one line and keeps its last byte
// as it is), then the arguments. "" when the block has neither.
func (t *Task) shellPrelude(refs map[string]Value) (string, error) {
	in, hasStdin, err := t.stdinText(refs)
	if err != nil || !hasStdin && t.setArgs == "" {
		return "", err
	}
	var parts []string
	if hasStdin {
		format := strings.NewReplacer(`\`, `\\`, `%`, `%%`, "\n", `\n`, "\r", `\r`).Replace(in)
		// The file sits beside the value file, in the attempt's
		// sandbox, which every backend makes writable (a container
		// may have no /tmp).
		parts = append(parts, `__borges_stdin="${BORGES_VALUE_FILE:-$(mktemp)}.stdin"; printf `+shQuote(format)+` >"$__borges_stdin" && exec <"$__borges_stdin"; rm -f "$__borges_stdin"; unset __borges_stdin`)
	}
	if t.setArgs != "" {
		parts = append(parts, t.setArgs)
	}
	return strings.Join(parts, "; "), nil
}

// lispStringValue is a header argument's value as org-babel-read leaves
// it: a value that is one Lisp string, quotes and all, is its contents.
func lispStringValue(v string) string {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
		if s, rest, err := readString(v); err == nil && rest == "" {
			return s
		}
	}
	return v
}

// splitWords splits a command line into words as a POSIX shell splits
// quotes and backslashes; what the shell would expand ($, `, globs,
// redirections) is refused, since no shell sees it.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\\':
			inWord = true
			if i+1 < len(s) {
				i++
				if s[i] != '\n' {
					cur.WriteByte(s[i])
				}
			}
		case c == '\'':
			inWord = true
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("%q: unterminated single quote", s)
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			inWord = true
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				switch {
				case s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0:
					i++
					if s[i] != '\n' {
						cur.WriteByte(s[i])
					}
				case s[i] == '$' || s[i] == '`':
					return nil, fmt.Errorf("%q: Borges does not expand %q here (only shell blocks' :cmdline goes through a shell)", s, s[i])
				default:
					cur.WriteByte(s[i])
				}
			}
			if i >= len(s) {
				return nil, fmt.Errorf("%q: unterminated double quote", s)
			}
		case strings.IndexByte("$`|&;<>()*?[~", c) >= 0:
			return nil, fmt.Errorf("%q: Borges does not expand %q here (only shell blocks' :cmdline goes through a shell); quote it", s, c)
		default:
			inWord = true
			cur.WriteByte(c)
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
