package plan

import (
	"fmt"
	"strings"

	"github.com/wallyqs/borges/internal/org"
)

// stdinAndCmdline reads :stdin and :cmdline, which Babel gives to shells
// only: ob-shell writes a block that has either to a script file and runs
// "SHELL SCRIPT CMDLINE" (with :shebang, "SCRIPT CMDLINE") through the
// shell, with the :stdin reference's value (as org-babel-sh-var-to-string
// prints it) in the file on its standard input (see throughShell). No
// other language's Babel reads either (ob-python, ob-ruby, ob-perl, ob-js
// and ob-emacs-lisp run their program without arguments or input of the
// block's), so neither is given to them.
func (b *builder) stdinAndCmdline(blk *org.Block, t *Task) {
	if !shellNames[t.Lang] {
		return
	}
	if arg, ok := blk.Args.Lookup("cmdline"); ok && !cmdlineNil(arg) {
		cmdline, stop, ok := b.cmdline(blk, t, arg)
		if !ok {
			return
		}
		if stop != "" {
			// ob-shell's (concat " " cmdline) stops Emacs at the
			// block, which does not run. ob-shell binds the variables
			// first: where that stops Emacs (bashAssocRuleStop), the
			// block's Render says so, as it does with no :cmdline.
			// Where the values are a block's results, whether their
			// binding stops is known only then: RenderIn decides
			// which stop is made, the plan none.
			if !t.cachedNow && !b.stopsBefore(t.Block) {
				if stops, known := t.bindingStops(blk); known && !stops {
					b.setStop(t.Block, stop)
				}
				t.cmdlineStop = stop
			}
			return
		}
		// The command line ends at a NUL: Emacs gives the shell the
		// command as a C string.
		if i := strings.IndexByte(cmdline, 0); i >= 0 {
			cmdline = cmdline[:i]
		}
		t.cmdline = &cmdline
	}
	if stdin, ok := blk.Args.Get("stdin"); ok && stdin != "" && !t.cachedNow {
		b.stdinRef(blk, t, stdin)
	}
	if t.throughShell() {
		// The program the backend runs is the POSIX shell script
		// that writes the block's script and runs it as Emacs does.
		t.Interpreter = []string{"sh"}
	}
}

// cmdline is the string ob-shell's (concat " " cmdline) takes of a
// shell block's :cmdline arg (not nil): a string as org-babel-read made
// it, the characters of a list or vector; or the error that stops Emacs
// at the block (stop), for a number, a symbol (which only a default
// header argument or a quoted one can be) or a list or vector of other
// than characters. ok is false where Borges refused the block.
func (b *builder) cmdline(blk *org.Block, t *Task, arg org.Arg) (cmdline, stop string, ok bool) {
	if arg.Printed {
		if text, stop, ok := org.ConcatChars(arg.Value); ok {
			return text, stop, true
		}
		// An infinity or a NaN: no sequence.
		return "", "Wrong type argument: sequencep, " + arg.Value, true
	}
	if arg.String {
		// A Lisp string (or a constant Borges read to one, '"(x")
		// is the string, whatever it starts with: a Lisp string
		// written ("\"1 2 3\"") is its contents, quotes the shell
		// reads included, not read a second time.
		return arg.Value, "", true
	}
	if arg.Symbol {
		return "", "Wrong type argument: sequencep, " + arg.Value, true
	}
	if n, isNumber := lispNumber(arg.Value); isNumber {
		// org-babel-read made a number of it.
		return "", "Wrong type argument: sequencep, " + n, true
	}
	if v := arg.Value; strings.HasPrefix(v, "(") || strings.HasPrefix(v, "'") || strings.HasPrefix(v, "`") || strings.HasPrefix(v, "[") {
		// org-babel-read evaluates it, and Borges does not.
		b.problem(blk, t.Block, ":cmdline", "%s: Emacs reads a value starting with %q as Lisp (Borges does not evaluate Lisp); quote the words another way (a\\ b, \"a b\")", v, v[:1])
		return "", "", false
	}
	return arg.Value, "", true
}

// cmdlineNil reports whether a :cmdline argument is nil in Babel's
// params (written without a value, '(), 'nil, or a default set to nil):
// ob-shell then runs the block as it runs one without :cmdline, in its
// session if it has one.
func cmdlineNil(a org.Arg) bool {
	return !a.String && !a.Printed && !a.Form && (a.Value == "" || a.Symbol && a.Value == "nil")
}

// CmdlineArg is the Arg of the ReferenceError of a :cmdline that stops
// Emacs (Task.CmdlineStop).
const CmdlineArg = ":cmdline"

// CmdlineStop is the error ob-shell's (concat " " cmdline) stops Emacs
// with at the block, "" where it takes a string of the block's :cmdline
// (or there is none). RenderIn returns it as a ReferenceError whose Arg
// is CmdlineArg.
func (t *Task) CmdlineStop() string { return t.cmdlineStop }

// throughShell reports whether the task is a shell block ob-shell runs as
// "SHELL SCRIPT CMDLINE": one with :stdin or :cmdline (an empty one
// too).
func (t *Task) throughShell() bool {
	return shellNames[t.Lang] && (t.stdin != nil || t.cmdline != nil)
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
	// Named data read, its arguments left unused (see vars).
	if d, ok := b.doc.NamedData(r.name); ok {
		if b.rewrittenData(blk, t.Block, ":stdin", r.name) {
			return
		}
		t.stdin = &boundValue{value: indexValue(rawDataValue(d), r.index)}
		return
	}
	if b.refStops(t, r.name) {
		return
	}
	dep := r.name
	// ob-shell resolves :stdin inside org-babel-execute:sh, where
	// default-directory is the block's :dir: the runs it makes are
	// there (runInDir), the block named run again for it when its own
	// run is elsewhere (runsElsewhere).
	first := len(b.plan.Tasks)
	restore := b.resolveIn(t.Dir)
	again := b.rerun(blk, t, ":stdin", ":stdin "+ref, r)
	restore()
	if again != "" {
		dep = again
	} else if b.postCachedLispVars(t, ":stdin "+ref, r); r.call != nil {
		if dep = b.calledTask(blk, t, ":stdin", r.call); dep == "" {
			return
		}
	}
	b.runInDir(t.Dir, b.plan.Tasks[first:])
	t.stdin = &boundValue{ref: dep, index: r.index}
	t.After = append(t.After, dep)
	b.refusedRefRuns(blk, t, ":stdin", ":stdin "+ref, r)
}

// stdinText is the task's standard input (org-babel-sh-var-to-string of
// the value) as shell code that writes it: a word, after the commands in
// setup. A link's path is expanded where the program runs, as :var
// values are (sandboxAssignment), since Babel gives the path the link
// reads as.
func (t *Task) stdinText(refs map[string]Value) (word, setup string, err error) {
	if t.stdin == nil {
		return "''", "", nil
	}
	v := t.stdin.value
	if t.stdin.ref != "" {
		rv, ok := refs[t.stdin.ref]
		if !ok {
			return "", "", fmt.Errorf("block %s: result of %s is not available", t.Block, t.stdin.ref)
		}
		v = indexValue(rv, t.stdin.index)
	}
	if v.Sandbox || v.Home {
		return `"$__borges_stdin"`, assignment("sh", "__borges_stdin", v, false, shellForm{}) + "\n", nil
	}
	return shQuote(v.shellText(shellForm{})), "", nil
}

// shellCommandScript is the POSIX shell program that runs a shell
// block's script as ob-shell's org-babel-sh-evaluate runs it for :stdin
// and :cmdline: the script (the :shebang line, the blank line of
// :padline, the body) and the standard input each written to a file in a
// new temporary directory, as org-babel-temp-file writes them, then
// "SHELL -c 'SHELL SCRIPT CMDLINE'" (without SHELL before SCRIPT when
// there is a #! line) with the input file on standard input and the
// standard error mixed into the output, as call-process-shell-command
// runs it into a buffer. SHELL is the block's shell, which ob-shell binds
// shell-file-name to: called by its path (as Emacs's call-process calls
// a program, so that a :cmdline "$0" is that path) outside, by its name
// inside. So the shell splits, expands and redirects :cmdline, and the
// script's $0 is its file. The directory is removed when the shell ends
// (Emacs removes its own when it exits); where mktemp makes none, it is
// made in the sandbox. Without the block's shell, the program says so
// and exits with 127, as a shell does for a command it does not find.
//
// stdin is the shell word that is the standard input, after the commands
// in stdinSetup (see stdinText). body is the script's body; bashBody the
// same with bash's forms of variables, which a "shell" block's script has
// where its shell's name ends in "bash" (shellfile.go); bashStop, where
// not "", what it prints there instead of running (shellBindStopOutput).
func (t *Task) shellCommandScript(blk *org.Block, body, bashBody, bashStop, stdin, stdinSetup string) string {
	head := ""
	if t.shebang != "" {
		head = t.shebang + "\n"
	}
	if v, _ := blk.Args.Get("padline"); v != "no" {
		head += "\n"
	}
	// shell is the shell's name, as a word of the program: a "shell"
	// block's is shell-file-name ($SHELL's, or /bin/sh: shellWord), as
	// ob-shell takes it there.
	shell := interpreters[t.Lang][0]
	if t.Lang == "shell" {
		shell = t.shellWord()
	}
	// missing says, where the shell is not installed, whose it is.
	missing := "(the block's shell)"
	if t.Lang == "shell" && t.ShellFileName != "" {
		missing = "(the document's Emacs's shell-file-name, which an Emacs Lisp block before this block ran in: the block's SHELL does not choose it)"
	}
	inner := shell + ` '$__borges_dir/sh-script-borges'`
	if t.shebang != "" {
		inner = `'$__borges_dir/sh-script-borges'`
	}
	tail := ""
	if t.cmdline != nil {
		tail = shQuote(" " + *t.cmdline)
	}
	return stdinSetup + shellScriptChoice(shell, head+body, head+bashBody, bashStop) + shellScriptDir + `printf %s "$__borges_script" >"$__borges_dir/sh-script-borges" && chmod 755 "$__borges_dir/sh-script-borges" &&
printf %s ` + stdin + ` >"$__borges_dir/sh-stdin-borges" || exit 1
unset __borges_script
__borges_shell=$(command -v "` + shell + `") || { echo "borges: ` + shell + ` is not installed here ` + missing + `" >&2; rm -rf "$__borges_dir"; exit 127; }
"$__borges_shell" -c "` + inner + `"` + tail + ` <"$__borges_dir/sh-stdin-borges" 2>&1
__borges_status=$?
rm -rf "$__borges_dir"
exit "$__borges_status"
`
}
