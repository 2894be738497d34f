// Package session runs the blocks of an Org Babel session (":session
// NAME") as Org 9.5.5's ob-shell, ob-python and ob-ruby run them: one
// long-lived interpreter fed the session's blocks one after the other, each
// block's result read from what the interpreter printed, as Babel reads it
// (babel.go), through a connection to the interpreter's standard input and
// output (conn.go) that the backend gives it.
package session

import (
	"bytes"
	"regexp"
	"strings"
)

// Kind is the Babel language family of a session: it says how blocks are
// sent and how their results are read.
type Kind string

const (
	Shell  Kind = "shell"
	Python Kind = "python"
	Ruby   Kind = "ruby"
)

// The end-of-evaluation indicators Babel sends after a block, and what
// they print.
const (
	shellEOE     = "echo 'org_babel_sh_eoe'"
	shellEOEOut  = "org_babel_sh_eoe"
	pythonEOEOut = "org_babel_python_eoe"
	rubyEOEOut   = ":org_babel_ruby_eoe"
)

// promptRe is shell-mode's comint-prompt-regexp (shell-prompt-pattern).
var promptRe = regexp.MustCompile(`(?m)^[^#$%>\n]*[#$%>] *`)

// weirdPromptRe is what org-babel-sh-strip-weird-long-prompt removes.
var weirdPromptRe = regexp.MustCompile(`(?m)^% +[\r\n$]+ *`)

// ShellLines are the lines ob-shell sends a session for a block's full
// body, one at a time: the trimmed body's lines, then the end indicator.
func ShellLines(body string) []string {
	return append(strings.Split(orgTrim(body), "\n"), shellEOE)
}

// ShellResult is org-babel-sh-evaluate's result of a session block: the
// output collected while its lines ran (transcript: everything the shell
// printed, prompts included, from the moment Babel sent the first line),
// with the echoed body removed, split at every prompt, the last two
// pieces (the end indicator's) dropped, each piece trimmed and the pieces
// joined by newlines.
func ShellResult(body, transcript string) string {
	s := removeEcho(transcript, body)
	pieces := splitString(s, promptRe)
	if len(pieces) <= 2 {
		return ""
	}
	pieces = pieces[:len(pieces)-2]
	for i, p := range pieces {
		p = orgTrim(p)
		for {
			loc := weirdPromptRe.FindStringIndex(p)
			if loc == nil {
				break
			}
			p = p[loc[1]:]
		}
		pieces[i] = p
	}
	return strings.Join(pieces, "\n")
}

// PythonOutput is org-babel-python--send-string's output of a block: what
// was printed before the end indicator, trailing blanks removed.
func PythonOutput(transcript string) string {
	if i := bytes.Index(asciiLower([]byte(transcript)), []byte(pythonEOEOut)); i >= 0 {
		transcript = transcript[:i]
	}
	return chomp(transcript)
}

// removeEcho is org-babel-comint-with-output's REMOVE-ECHO: when the full
// body (its newlines matching any run of line ends) occurs in the output,
// the output starts after it. Emacs matches ignoring case
// (case-fold-search).
func removeEcho(s, body string) string {
	if body == "" {
		return s
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		lines[i] = regexp.QuoteMeta(l)
	}
	re, err := regexp.Compile("(?i)" + strings.Join(lines, `[\r\n]+`))
	if err != nil {
		return s
	}
	if loc := re.FindStringIndex(s); loc != nil {
		return s[loc[1]:]
	}
	return s
}

// splitString is Emacs's split-string with a separator regexp and
// OMIT-NULLS nil: the pieces between matches, empty ones included.
func splitString(s string, re *regexp.Regexp) []string {
	var out []string
	start := 0
	for _, loc := range re.FindAllStringIndex(s, -1) {
		if loc[1] == loc[0] {
			continue
		}
		out = append(out, s[start:loc[0]])
		start = loc[1]
	}
	return append(out, s[start:])
}

// orgTrim is org-trim: blanks and line ends removed at both ends.
func orgTrim(s string) string {
	return strings.Trim(s, " \t\n\r")
}

// chomp is org-babel-chomp: trailing blanks and line ends removed.
func chomp(s string) string {
	return strings.TrimRight(s, " \f\t\n\r\v")
}
