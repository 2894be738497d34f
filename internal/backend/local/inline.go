package local

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/session"
	"golang.org/x/sys/unix"
)

// A plain sh script — simple commands with literal words, one a line,
// each command's name a program or one of a few harmless builtins, its
// variables assigned alone on their lines and expanded plainly ($x, ${x},
// $((x+1)): a :var's block) — runs in the wrapper's own shell where
// /bin/sh is dash (Backend.plainSh, decided once by New): no subshell
// forked, no memory file made for it. The subshell of shWrapper is what
// keeps the script's exit, set -e, traps, exec, cd, variables and
// background jobs from the wrapper's end (its exit log); a plain script
// can do none of these but set variables the wrapper's end does not read,
// and end the shell by an arithmetic error (logged by the wrapper's EXIT
// trap, as the subshell's end is), so it needs none.
// Anything else keeps the subshell, as does any script where /bin/sh is
// another shell (bash as sh accepts declare, shopt, function ...), an
// attempt with a stand-in (wrapperHead), with arguments (:cmdline), with
// a big environment, or with a variable of one of wrapperNames.
//
// The script's commands are then the wrapper's children, and the wrapper
// itself runs its builtins (echo, printf, test, true, false, [, :): a
// signal meant for the script's shell reaches the wrapper, which traps
// it and logs 128+n as the subshell path did (inlineTraps).
//
// The script reaches the wrapper in its environment (plainEnv), not in
// its arguments: a process's environment is readable by its owner only,
// as the memory file is, where its arguments are everyone's. The wrapper
// unsets the variable before the script runs, so the program does not
// inherit it; the wrapper's initial environment block keeps it all the
// same (/proc/PID/environ, ps eww), readable by its owner for the
// wrapper's life, as the memory file was through /proc/PID/fd/7. The
// wrapper evaluates the script past its gate; the shell's messages give
// the script's own line numbers (an "eval: " before the command's name,
// where the memory file's path was).

// maxInline bounds a script given in the wrapper's environment (a
// string of at most 128 KiB on Linux).
const maxInline = 4096

// plainEnv is the variable that holds a plain script for its wrapper.
const plainEnv = "BORGES_PLAIN_SCRIPT"

// inlineWrapper is the wrapper's text for a plain script kept by the
// keeper: keptShWrapper's, with the script evaluated in place of its
// subshell. The script's text is expanded into eval's argument before
// the unset runs (the program does not inherit the variable; the ";"
// keeps the script's line numbers, and unset leaves $? 0), and no other
// variable is set before it runs. The traps stand for the subshell that
// a signal to the script's shell ended: see inlineTraps; the EXIT trap for
// the subshell that an arithmetic error ended (dash's status 2), and
// logs the status of a signal's trap, which exits with it, so that one
// status is logged; both ignore the trapped signals first, so that no
// signal ends the wrapper before it logs. The eval closes the exit log's descriptor (logExit)
// for the script's commands, the wrapper's children; a trap run meanwhile
// would find it closed, but the EXIT trap runs once the shell, exiting,
// has put back the descriptors its redirections took (dash unwinds them
// first), and logs.
var inlineWrapper = keptHead + inlineTraps() + `trap 'st=$?; trap "" ` + strings.Join(trappedNames(), " ") + `; ` + logExit + `' EXIT
eval "unset ` + plainEnv + `; $` + plainEnv + `" 8>&-
st=$?; trap '' ` + strings.Join(trappedNames(), " ") + "; trap - EXIT\n" + logExit

// trapped are the signals that end a process by default, bar HUP (which
// the wrapper ignores from its gate on, as its program then does), KILL
// (which cannot be caught: it ends the wrapper unlogged), STKFLT (dash
// knows no such name) and the faults SEGV, BUS, FPE and ILL (a real fault
// in the shell would loop on a caught handler; sent by kill, they end the
// wrapper unlogged): a plain script's commands are the wrapper's children, and
// what signals its parent ("kill -TERM $PPID") or its shell's output (a
// broken pipe of an echo) signals the wrapper, where it signalled the
// subshell, whose end the wrapper logged as 128+n.
var trapped = append([]trap{
	{"TERM", unix.SIGTERM}, {"INT", unix.SIGINT}, {"QUIT", unix.SIGQUIT}, {"USR1", unix.SIGUSR1},
	{"USR2", unix.SIGUSR2}, {"ALRM", unix.SIGALRM}, {"PIPE", unix.SIGPIPE}, {"VTALRM", unix.SIGVTALRM},
	{"PROF", unix.SIGPROF}, {"XCPU", unix.SIGXCPU}, {"XFSZ", unix.SIGXFSZ}, {"ABRT", unix.SIGABRT},
	{"SYS", unix.SIGSYS}, {"TRAP", unix.SIGTRAP}, {"IO", unix.SIGIO}, {"PWR", unix.SIGPWR},
}, realTime()...)

type trap struct {
	name string
	sig  unix.Signal
}

// realTime are the real-time signals, which end a process by default
// too, by number (dash takes numbers; glibc's SIGRTMIN is 34, 32 and 33
// being its own).
func realTime() []trap {
	var rt []trap
	for n := 34; n <= 64; n++ {
		rt = append(rt, trap{strconv.Itoa(n), unix.Signal(n)})
	}
	return rt
}

func trappedNames() []string {
	var names []string
	for _, t := range trapped {
		names = append(names, t.name)
	}
	return names
}

// inlineTraps has the wrapper of a plain script log and exit with 128+n
// on signal n of trapped, as the subshell path's wrapper does when the
// signal ends its subshell; the script's command that runs when the
// signal comes runs on to its end first (the shell runs a trap once its
// foreground command has ended), the rest of the script does not run. A
// caught signal is reset to its default in every command the shell runs,
// so the program's dispositions are the subshell path's (an empty trap would
// not be: an ignored signal stays ignored). A signal ignored at the
// wrapper's start cannot be trapped (POSIX) and stays ignored, as on the
// subshell path. A signal's trap ignores them all (no command runs after
// it) and exits with 128+n, which the EXIT trap logs (inlineWrapper): a
// second signal coming before the log is written, reset to its default,
// would end the wrapper unlogged. Once the script has ended they are
// ignored too, and the EXIT trap dropped, so that the tail logs one
// status, whatever signal comes then.
//
// The server's own kill (killGroup) signals the whole process group and
// kills the wrapper outright (proc.plain): it ends at once, logging
// nothing, as the subshell path's wrapper died of the SIGTERM, and its
// end kills the rest. The kill goes through the wrapper's handle
// (proc.process, a pidfd), never its bare pid, which may be another
// process's once the wrapper is waited for. An attempt re-attached after
// a restart is known to be plain from its wrapper's environment
// (groupLeaders), and held by a pidfd opened on its pid before its
// environment and start time are read, kept if the process lives on after
// (reattach); where pidfds are not available, by none, and then killed by
// its group's signals alone.
func inlineTraps() string {
	var b strings.Builder
	names := strings.Join(trappedNames(), " ")
	for _, t := range trapped {
		fmt.Fprintf(&b, "trap 'trap \"\" %s; exit %d' %s\n", names, 128+int(t.sig), t.name)
	}
	return b.String()
}

// wrapperNames are the variables the sh wrappers set or unset before the
// program runs, or in their tail (besides the BORGES_ ones given to every
// attempt): a block with one of them in its environment takes the
// subshell path, whose program sees what it always did (the plain path's
// would see its own value, where the subshell path's wrapper clobbers
// script and borges_in). session.EmacsSHELL, which only a "shell" block's
// prelude gives back as SHELL, is never a plain script's.
var wrapperNames = []string{plainEnv, "borges_in", "script", "st", "d", session.EmacsSHELL}

// harmless are the builtins a plain script may run, none of which
// changes the shell that runs it, nor (under dash, the only shell that
// runs a plain script) sets a variable; printf is refused with a -v
// anywhere in its arguments all the same (bash's printf -v sets one).
var harmless = map[string]bool{"echo": true, "printf": true, "true": true, "false": true, "test": true, "[": true, ":": true}

// shellWords are the builtins and reserved words of dash, bash, busybox
// ash and mksh: but for harmless, none is a plain script's command
// (TestPlainScriptShellBuiltins checks dash's and bash's against the
// shells themselves).
var shellWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`! { } [[ ]] case coproc do done elif else esac fi for function if in
		select then time until while
		. : [ alias autoload bg bind break builtin caller cd chdir command compgen complete compopt
		continue declare dirs disown echo enable eval exec exit export false fc fg getopts hash help
		history integer jobs kill let local login logout mapfile nameref popd print printf pushd pwd r
		read readarray readonly realpath rename return set shift shopt source stop suspend test times
		trap true type typeset ulimit umask unalias unset wait whence`) {
		shellWords[w] = true
	}
}

// dashShell says whether the shell at path is dash: its real file is
// named dash, and it sets none of bash's, ksh's, zsh's or yash's version
// variables. A plain script runs in the wrapper's shell only there: the
// scanner (plainScript) is sound for dash's grammar and builtins, and
// another shell, bash as sh included, accepts more (declare, shopt,
// function ...).
func dashShell(path string) bool {
	real, err := filepath.EvalSymlinks(path)
	if err != nil || filepath.Base(real) != "dash" {
		return false
	}
	cmd := exec.Command(path, "-c", `echo "${BASH_VERSION-}${KSH_VERSION-}${ZSH_VERSION-}${YASH_VERSION-}"`)
	cmd.Env = []string{}
	out, err := cmd.Output()
	return err == nil && len(out) == 1 && out[0] == '\n'
}

// plainScript says whether script is plain: no NUL, at most maxInline
// bytes; each line blank, a comment, an assignment (assignment), or one
// simple command whose name is a word of letters, digits and _ . / + -
// (no quote, expansion, glob or assignment) that shellWords does not hold
// (or one of harmless), its arguments words with no operator
// (; & | ( ) < >), backquote or backslash, their expansions those
// expansion allows, and quotes closed. A quoted argument may span lines:
// the lines it spans hold no command.
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
		if k := assignment(s, i); k != 0 {
			if k < 0 {
				return false
			}
			i = k
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' {
			j++
		}
		name := s[i:j]
		if !plainName(name) {
			return false
		}
		// Its arguments, to the line's end.
		expands := false
		for i = j; i < len(s) && s[i] != '\n'; {
			if s[i] == '#' && (s[i-1] == ' ' || s[i-1] == '\t') {
				i = lineEnd(s, i)
				continue
			}
			k := wordPart(s, i)
			if k < 0 {
				return false
			}
			expands = expands || s[i] != '\'' && strings.IndexByte(s[i:k], '$') >= 0
			i = k
		}
		// An expansion could make -v too.
		if name == "printf" && (expands || strings.Contains(strings.NewReplacer("'", "", `"`, "").Replace(s[j:i]), "-v")) {
			return false
		}
	}
	return true
}

// wordPart scans the part of a plain script's word at i (s[i] no blank
// nor newline): a quoted string, an expansion, or one character; it
// returns the index after it, or -1 where the script is not plain there.
func wordPart(s string, i int) int {
	switch c := s[i]; {
	case c == '\'':
		k := strings.IndexByte(s[i+1:], '\'')
		if k < 0 {
			return -1
		}
		return i + k + 2
	case c == '"':
		for i++; i < len(s) && s[i] != '"'; {
			switch s[i] {
			case '`', '\\':
				return -1
			case '$':
				if i = expansion(s, i); i < 0 {
					return -1
				}
			default:
				i++
			}
		}
		if i == len(s) {
			return -1
		}
		return i + 1
	case c == '$':
		return expansion(s, i)
	case strings.IndexByte("`\\;&|()<>", c) >= 0:
		return -1
	}
	return i + 1
}

// expansion scans the expansion at s[i] ('$') of a plain script: $NAME,
// ${NAME} or arithmetic, $((...)), of names, numbers, blanks, parentheses
// and operators that assign nothing (no =, ++ or --; dash reads a
// variable's value in arithmetic as a number, never as an expression,
// and a value that is none is an error that ends the shell: the
// wrapper's EXIT trap logs it, see inlineWrapper) and divide nothing (no
// / or %: dash does not check INT64_MIN / -1, whose SIGFPE would end the
// wrapper's own shell unlogged, where it ends the subshell path's
// subshell, logged as 136). It returns the index after it, or -1 for any
// other: special parameters, ${...} with an operator (which may assign,
// or end the shell), command substitution, a $ alone.
func expansion(s string, i int) int {
	switch {
	case strings.HasPrefix(s[i:], "$(("):
		depth := 0
		for j := i + 3; j < len(s); j++ {
			switch c := s[j]; {
			case c == '(':
				depth++
			case c == ')' && depth > 0:
				depth--
			case c == ')':
				if j+1 < len(s) && s[j+1] == ')' {
					return j + 2
				}
				return -1
			case (c == '+' || c == '-') && j+1 < len(s) && s[j+1] == c:
				return -1
			case nameByte(c) || strings.IndexByte(" \t+-*<>&|^!~?:", c) >= 0:
			default:
				return -1
			}
		}
		return -1
	case strings.HasPrefix(s[i:], "${"):
		j := nameEnd(s, i+2)
		if j == i+2 || j == len(s) || s[j] != '}' {
			return -1
		}
		return j + 1
	}
	if j := nameEnd(s, i+1); j > i+1 {
		return j
	}
	return -1
}

// assignment scans a line of a plain script at i that assigns a variable
// (NAME=WORD, the WORD's parts as an argument's, nothing after it but
// blanks and a comment): it returns the index of the line's end, 0 where
// the line assigns nothing, and -1 where it assigns otherwise (another
// word after it, which would be a command or a second assignment) or
// assigns a variable the wrapper reads after the script
// (assignedByWrapper).
func assignment(s string, i int) int {
	j := nameEnd(s, i)
	if j == i || j == len(s) || s[j] != '=' {
		return 0
	}
	if assignedByWrapper(s[i:j]) {
		return -1
	}
	for j++; j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n'; {
		if j = wordPart(s, j); j < 0 {
			return -1
		}
	}
	for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
		j++
	}
	switch {
	case j == len(s) || s[j] == '\n':
		return j
	case s[j] == '#':
		return lineEnd(s, j)
	}
	return -1
}

// assignedByWrapper says whether a plain script may not assign a
// variable: one of wrapperNames, the BORGES_ variables the wrapper's end
// reads (BORGES_EXIT_FILE, whose directory names the attempt in the line
// it logs), IFS, which splits its unquoted "exit $st",
// and PATH, where dash looks for its echo before the builtin when an
// entry is %builtin (the user's echo would then write the exit log).
func assignedByWrapper(name string) bool {
	return name == "IFS" || name == "PATH" || strings.HasPrefix(name, "BORGES_") || slices.Contains(wrapperNames, name)
}

// nameEnd is the index after the shell name (a letter or _, then
// letters, digits and _) at i, or i where there is none.
func nameEnd(s string, i int) int {
	if i == len(s) || !nameByte(s[i]) || '0' <= s[i] && s[i] <= '9' {
		return i
	}
	j := i + 1
	for j < len(s) && nameByte(s[j]) {
		j++
	}
	return j
}

func nameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_'
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
	if harmless[w] {
		return true
	}
	if w == "" || shellWords[w] {
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

// maxInlineEnv bounds the attempt's own environment where its script is
// added to it: Linux's smallest limit on a process's arguments and
// environment together is 128 KiB, and a bigger environment could then
// fail the wrapper's start (E2BIG), where without the script it starts.
const maxInlineEnv = 64 << 10

// runsPlain says whether an attempt's script may run in its wrapper's own
// shell: a plain sh script with no :cmdline under dash, where the
// attempt's environment is not big and sets none of wrapperNames. It does
// where the keeper also holds the outputs (Launch).
func (b *Backend) runsPlain(a *engine.Attempt) bool {
	if !b.plainSh || len(a.Task.Interpreter) != 1 || a.Task.Interpreter[0] != "sh" || len(a.Task.CmdLine) > 0 {
		return false
	}
	n := 0
	for k, v := range a.Env {
		n += len(k) + len(v) + 2
	}
	if n > maxInlineEnv {
		return false
	}
	for _, k := range wrapperNames {
		if _, ok := a.Env[k]; ok {
			return false
		}
	}
	return plainScript(a.Script)
}
