package plan

import "github.com/wallyqs/borges/internal/session"

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
// of it, since only there is SHELL known. (The :cache hash expands the
// block as the Emacs process's shell does, bash: see CacheHash.)

// shellFileName is the shell word of a "shell" block's shell: $SHELL,
// or /bin/sh where SHELL is unset or empty.
const shellFileName = session.ShellFileName

// shellScriptChoice is sh code that sets __borges_script to the script
// a "shell" block runs: bash, its variables in bash's forms, where its
// shell's name ends in "bash", else generic, in the forms of other
// shells.
func shellScriptChoice(generic, bash string) string {
	if generic == bash {
		return "__borges_script=" + shQuote(generic) + "\n"
	}
	return `case "` + shellFileName + `" in
*bash) __borges_script=` + shQuote(bash) + ` ;;
*) __borges_script=` + shQuote(generic) + ` ;;
esac
`
}

// shellFileScript is the POSIX sh program that runs a "shell" block's
// script (generic or bash, see shellScriptChoice) with $SHELL: the
// script written to a file in a new temporary directory (in the sandbox
// where mktemp makes none), as Borges runs a bash block's script from a
// file, then "$SHELL FILE", with the block's standard input and outputs.
// The directory is removed when the shell ends; the program exits with
// the shell's status. Without the shell, it says so and exits with 127,
// as a shell does for a command it does not find.
func shellFileScript(generic, bash string) string {
	return shellScriptChoice(generic, bash) + `__borges_shell="` + shellFileName + `"
command -v "$__borges_shell" >/dev/null 2>&1 || { echo "borges: $__borges_shell, the shell SHELL names (a shell block's shell), is not installed here" >&2; exit 127; }
` + shellScriptDir + `printf %s "$__borges_script" >"$__borges_dir/sh-script-borges" || { rm -rf "$__borges_dir"; exit 1; }
unset __borges_script
"$__borges_shell" "$__borges_dir/sh-script-borges"
__borges_status=$?
rm -rf "$__borges_dir"
exit "$__borges_status"
`
}

// shellScriptDir is the sh line that makes the temporary directory of a
// shell block's files: mktemp's, or one in the sandbox where mktemp
// makes none.
const shellScriptDir = `__borges_dir=$(mktemp -d 2>/dev/null) || { __borges_dir="${BORGES_SANDBOX:-$PWD}/.babel-$$" && mkdir -m 700 "$__borges_dir"; } || exit 1
`
