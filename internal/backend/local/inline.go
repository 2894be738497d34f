package local

import "strings"

// A plain sh script — simple commands with literal words, one a line —
// runs in the wrapper's own shell: no subshell forked, no memory file made
// for it. The subshell of shWrapper is what keeps the script's exit,
// set -e, traps, exec, cd, variables and background jobs from the
// wrapper's end (its exit log); a plain script can do none of these, so
// it needs none. Anything else keeps the subshell, as does an attempt
// with a stand-in (wrapperHead), with arguments (:cmdline), or with a
// variable of plainEnv's name.
//
// The script reaches the wrapper in its environment (plainEnv), not in
// its arguments: a process's environment is readable by its owner only,
// as the memory file is, where its arguments are everyone's. The wrapper
// takes it out of its environment (the program does not inherit it) and
// evaluates it past its gate; the shell's messages give the script's own
// line numbers (an "eval: " before the command's name, where the memory
// file's path was).

// maxInline bounds a script given in the wrapper's environment (a
// string of at most 128 KiB on Linux).
const maxInline = 4096

// plainEnv is the variable that holds a plain script for its wrapper.
const plainEnv = "BORGES_PLAIN_SCRIPT"

// inlineWrapper is the wrapper's text for a plain script kept by the
// keeper: keptShWrapper's, with the script evaluated in place of its
// subshell.
const inlineWrapper = keptHead + "borges_s=$" + plainEnv + "; unset " + plainEnv + "; eval \"$borges_s\"\n" + wrapperTail

// notPlain are the shell's reserved words and the builtins that change the
// shell itself (its exit, options, traps, variables, directory, limits,
// the lookup of commands): none is a plain script's command.
var notPlain = map[string]bool{
	"!": true, "{": true, "}": true, "case": true, "do": true, "done": true, "elif": true, "else": true,
	"esac": true, "fi": true, "for": true, "if": true, "in": true, "then": true, "until": true, "while": true,
	".": true, "source": true, "alias": true, "unalias": true, "bg": true, "fg": true, "break": true, "continue": true,
	"cd": true, "chdir": true, "command": true, "builtin": true, "eval": true, "exec": true, "exit": true,
	"export": true, "readonly": true, "local": true, "fc": true, "getopts": true, "read": true, "return": true,
	"set": true, "shift": true, "trap": true, "ulimit": true, "umask": true, "unset": true,
}

// plainScript says whether script is plain: no NUL, at most maxInline
// bytes; each line blank, a comment, or one simple command whose name is
// a word of letters, digits and _ . / + - (no quote, expansion, glob or
// assignment) that notPlain does not hold, its arguments words with no
// expansion ($, `, \), operator (; & | ( ) < >), and quotes closed. A
// quoted argument may span lines: the lines it spans hold no command.
func plainScript(script string) bool {
	s := script
	if len(s) > maxInline || strings.IndexByte(s, 0) >= 0 {
		return false
	}
	i := 0
	for i < len(s) {
		// A command's start.
		for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
			i++
		}
		if i == len(s) {
			break
		}
		if s[i] == '\n' {
			i++
			continue
		}
		if s[i] == '#' {
			i = lineEnd(s, i)
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' {
			j++
		}
		if !plainName(s[i:j]) {
			return false
		}
		// Its arguments, to the line's end.
		for i = j; i < len(s) && s[i] != '\n'; {
			switch c := s[i]; {
			case c == '\'':
				k := strings.IndexByte(s[i+1:], '\'')
				if k < 0 {
					return false
				}
				i += k + 2
			case c == '"':
				k := strings.IndexAny(s[i+1:], "\"$`\\")
				if k < 0 || s[i+1+k] != '"' {
					return false
				}
				i += k + 2
			case c == '#' && (s[i-1] == ' ' || s[i-1] == '\t'):
				i = lineEnd(s, i)
			case strings.IndexByte("$`\\;&|()<>", c) >= 0:
				return false
			default:
				i++
			}
		}
	}
	return true
}

// lineEnd is the index of the newline ending the line at i, or len(s).
func lineEnd(s string, i int) int {
	if k := strings.IndexByte(s[i:], '\n'); k >= 0 {
		return i + k
	}
	return len(s)
}

// plainName says whether a command's name is a plain script's.
func plainName(w string) bool {
	if w == "" || notPlain[w] {
		return false
	}
	for k := 0; k < len(w); k++ {
		c := w[k]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("_./+-", c) >= 0) {
			return false
		}
	}
	return true
}
