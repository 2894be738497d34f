package plan

import (
	"fmt"

	"strings"

	"github.com/wallyqs/borges/internal/session"
)

// A "shell" block runs the shell $SHELL names where it runs. Org 9.5.5's
// ob-shell binds shell-file-name to the language for sh, bash, zsh… but
// org-babel-execute:shell (language "shell") uses shell-file-name as it
// is, which Emacs sets from $SHELL when it starts, or else /bin/sh. The
// environment a task runs in stands for Emacs's: on this machine the
// server's (which a process gets, see the local backend's baseEnv), in a
// container the image's, which normally sets no SHELL, so /bin/sh. The
// name matters twice: it is the program, and
// org-babel-variable-assignments:shell gives lists and tables bash's
// arrays when it ends in "bash" (string-suffix-p), else one string. Both
// are chosen where the block runs, by the POSIX sh program Render makes
// of it, since only there is SHELL known. After an Emacs Lisp block the
// shell is that Emacs's shell-file-name, which a setenv of SHELL does
// not change and a setq does: the Emacs reports it where a setq made it
// another than the one it started with, and the program names it
// instead (WithShellFileName); else the block runs its own
// environment's, chosen before it is given the SHELL the Emacs left
// (shellPrelude). (The
// :cache hash expands the block as the Emacs process's shell does,
// bash: see CacheHash.)

// shellWord is a "shell" block's shell as a word of its program, read
// between double quotes: the document's Emacs's shell-file-name where
// one reported it (ShellFileName: after a setq of it), written out;
// else $SHELL, or /bin/sh where SHELL is unset or empty, of the block's
// own environment, read by shellPrelude.
func (t *Task) shellWord() string {
	if t.ShellFileName == "" {
		return "$__borges_sh"
	}
	return dqEscape(t.ShellFileName)
}

// shellPrelude is what a "shell" block's program (one that names its
// shell by shellWord) begins with: where it runs the shell of its own
// environment, it reads that shell (session.ShellFileName) before it
// gives the block the SHELL the document's Emacs left
// (session.GiveEmacsSHELL).
func (t *Task) shellPrelude() string {
	if t.Lang != "shell" || t.ShellFileName != "" {
		return ""
	}
	return "__borges_sh=" + session.ShellFileName + "\n" + session.GiveEmacsSHELL
}

// KeepsOwnShell reports whether t, run after the document's Emacs left
// its shell-file-name the one it started with (no shell reported), runs
// the shell of its own environment where Emacs would run its
// shell-file-name: a "shell" block (not one with :shebang that ob-shell
// runs as its file itself, without :stdin or :cmdline), or the block
// that starts a shell session of "shell" blocks, whose own :env does not
// set SHELL. A SHELL
// the Emacs left goes to it as session.EmacsSHELL, not SHELL, so that it
// does not choose that shell.
func (t *Task) KeepsOwnShell() bool {
	if _, own := t.Env["SHELL"]; own {
		return false
	}
	return t.Lang == "shell" && (t.shebang == "" || t.throughShell()) || t.startsShellSession()
}

// startsShellSession reports whether t's session is a shell session of
// "shell" blocks, which runs shell-file-name.
func (t *Task) startsShellSession() bool {
	s := t.Session
	return s != nil && session.ShellSession(s.Command) && session.Program(s.Command) == ""
}

// dqEscape is s as the text of a POSIX shell's double-quoted word: its
// backslashes, double quotes, dollar signs and backquotes escaped.
func dqEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `\$`, "`", "\\`").Replace(s)
}

// WithShellFileName is t as it runs after the document's Emacs reported
// shell as its shell-file-name (session.Environment's Shell, "" where
// $SHELL gives it): for a "shell" block (ob-shell binds shell-file-name
// to the language's name for the others), a copy whose program runs
// that shell (ShellFileName); for a block of a shell session of a
// "shell" block, one whose session starts it, as Emacs's M-x shell
// starts shell-file-name where no ESHELL says otherwise (ESHELL still
// goes first where the session starts). t itself where neither is so.
func (t *Task) WithShellFileName(shell string) *Task {
	s := t.Session
	startsShell := t.startsShellSession()
	if shell == "" || t.Lang != "shell" && !startsShell {
		return t
	}
	c := *t
	if t.Lang == "shell" {
		c.ShellFileName = shell
	}
	if startsShell {
		cs := *s
		cs.Command = session.WithShell(s.Command, shell)
		c.Session = &cs
	}
	return &c
}

// ShellFileNameStop is the error with which Emacs stops the document
// running t after an Emacs Lisp block (from) that left its
// shell-file-name no string a program can be started with, shellErr
// (session.Environment's ShellError, "" for none): a "shell" block runs
// it, unless its own :env sets SHELL (ob-shell binds shell-file-name to
// the language's name for sh, bash…). Signalled before any results, like
// a reference error, it is one; nil where t runs.
//
// Its Arg is ShellFileNameArg, which no reference's is.
func (t *Task) ShellFileNameStop(shellErr, from string) error {
	if _, own := t.Env["SHELL"]; shellErr == "" || own || t.Lang != "shell" {
		return nil
	}
	return &ReferenceError{Line: t.Line, Arg: ShellFileNameArg, Emacs: shellErr,
		Why: fmt.Sprintf("the shell-file-name the Emacs Lisp block %q left is no program a shell block can run: Emacs stops the document here", from)}
}

// ShellFileNameArg is the Arg of the ReferenceError of ShellFileNameStop.
const ShellFileNameArg = "shell-file-name"

// shellScriptChoice is sh code that sets __borges_script to the script
// a "shell" block runs: bash, its variables in bash's forms, where its
// shell's name (shell, a word of the program: Task.shellWord) ends in
// "bash", else generic, in the forms of other shells. Where bashStop is
// not "", bash's values stop Emacs before the block runs: the program
// prints bashStop there and ends (shellbindstop.go).
func shellScriptChoice(shell, generic, bash, bashStop string) string {
	if generic == bash && bashStop == "" {
		return "__borges_script=" + shQuote(generic) + "\n"
	}
	bashRun := `__borges_script=` + shQuote(bash)
	if bashStop != "" {
		bashRun = `printf %s ` + shQuote(bashStop) + `; exit 0`
	}
	return `case "` + shell + `" in
*bash) ` + bashRun + ` ;;
*) __borges_script=` + shQuote(generic) + ` ;;
esac
`
}

// shellFileScript is the POSIX sh program that runs a plain "shell"
// block's script (generic or bash, see shellScriptChoice) as Org 9.5.5's
// org-babel-eval runs (org-trim body): the script is the standard input
// of "OUTER -c SHELL", where SHELL is shell-file-name ($SHELL, or
// /bin/sh) and OUTER is SHELL where it is found, else /bin/sh
// (org-babel--get-shell-file-name). So $0 is the shell's name, bash's
// BASH_SOURCE is empty and its messages name the shell, and a command
// of the block that reads its standard input (read, cat, ssh) reads the
// rest of the script, as in Emacs. The input is a file, as Emacs's is
// (bash reads a seekable input by lines, so read gets the next one),
// written in the attempt's sandbox and removed once it is open, before
// the shell starts: nothing of the block (its :var values) is left
// anywhere when the block is killed, and nothing is written outside the
// sandbox. The program's status is the shell's.
//
// shell is the shell's name as a word of the program: Task.shellWord for
// a "shell" block; for bash, zsh… the language's name, which ob-shell
// binds shell-file-name to (stdinShell).
func shellFileScript(shell, generic, bash, bashStop string) string {
	return shellScriptChoice(shell, orgTrim(generic), orgTrim(bash), bashStop) + `__borges_shell="` + shell + `"
__borges_outer=$__borges_shell
command -v "$__borges_outer" >/dev/null 2>&1 || __borges_outer=/bin/sh
` + shellScriptDir + `printf %s "$__borges_script" >"$__borges_dir/sh-script-borges" || { rm -rf "$__borges_dir"; exit 1; }
unset __borges_script
{ rm -rf "$__borges_dir"; "$__borges_outer" -c "$__borges_shell"; } <"$__borges_dir/sh-script-borges"
`
}

// orgTrim is org-trim: s without its leading and trailing blanks and
// newlines.
func orgTrim(s string) string { return strings.Trim(s, " \t\n\r") }

// shellScriptDir is the sh line that makes the directory of a shell
// block's files in the attempt's sandbox (the working directory where
// no sandbox is named), never in $TMPDIR: the sandbox goes with the
// attempt, however the block ended, where a directory of mktemp's is
// left behind by a block killed before it removes it.
const shellScriptDir = `__borges_dir=$(mktemp -d "${BORGES_SANDBOX:-$PWD}/.babel-XXXXXX" 2>/dev/null) || { __borges_dir="${BORGES_SANDBOX:-$PWD}/.babel-$$" && mkdir -m 700 "$__borges_dir"; } || exit 1
`

// stdinShell reports whether a task is a plain block of a shell language
// whose program (an sh program, shellFileScript) feeds its script to the
// shell on standard input, as org-babel-eval does: not in a session, not
// with :shebang, :stdin or :cmdline (which ob-shell runs from a file),
// and not an "sh" block, which runs as the sh program itself (its $0 is
// "sh" already, and dash reads a small script whole before running it,
// so read and cat in it find what they find in Emacs).
func (t *Task) stdinShell() bool {
	return shellNames[t.Lang] && t.Lang != "sh" && t.Session == nil && t.shebang == "" && !t.throughShell()
}
