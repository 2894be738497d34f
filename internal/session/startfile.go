package session

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
)

// Emacs 28.2's M-x shell, which ob-shell calls to start a session (with
// shell-file-name bound to the block's language), runs the shell with
// the arguments explicit-SHELL-args names ("--noediting" "-i" for bash;
// "-i" for a shell without such a variable), so bash reads its rc files
// (/etc/bash.bashrc where it is built to, ~/.bashrc) as any interactive
// bash does; and comint-exec sends it, as its first input, the contents
// of ~/.emacs_SHELL, or else of init_SHELL.sh in user-emacs-directory,
// when that file exists. A session's shell here starts the same way: the
// files are looked for where the shell runs, in its own HOME, by
// shellStart, a small sh program that hands their contents to the Conn
// (a frame on the terminal) and then becomes the shell; the Conn sends
// them before the first block. (Emacs runs explicit-shell-file-name or
// $ESHELL in place of the block's shell when they are set; Borges runs
// the block's shell, as an Emacs with neither.)

// startfileMark begins the frame shellStart writes before it becomes the
// shell: the length of the start file's contents, a newline, the
// contents.
const startfileMark = "\x1e\x1eBORGES-STARTFILE "

// shellStart finds the start file of the shell $1 as shell.el's shell
// does: ~/.emacs_$1 if it exists, or else init_$1.sh in the directory
// startup.el makes user-emacs-directory (~/.emacs.d/ when it or ~/.emacs
// exists, or else $XDG_CONFIG_HOME/emacs/, ~/.config/emacs/ without
// XDG_CONFIG_HOME, when that exists, or else ~/.emacs.d/), writes its
// frame (of no contents without one), then runs the rest of its
// arguments.
const shellStart = `f=$HOME/.emacs_$1
if [ ! -e "$f" ]; then
	x=${XDG_CONFIG_HOME-$HOME/.config}/emacs
	if [ -e "$HOME/.emacs.d" ] || [ -e "$HOME/.emacs" ] || [ ! -e "$x" ]; then
		x=$HOME/.emacs.d
	fi
	f=$x/init_$1.sh
fi
shift
if [ -e "$f" ]; then
	n=$(wc -c < "$f") || { echo "borges: could not read the shell's start file $f"; exit 126; }
	printf '\036\036BORGES-STARTFILE %d\n' $n
	cat "$f" || exit 126
else
	printf '\036\036BORGES-STARTFILE 0\n'
fi
exec "$@"`

// promptsRe is a line of one or more prompts (promptRe) and nothing else.
var promptsRe = regexp.MustCompile(`^(?:[^#$%>\n]*[#$%>] *)+$`)

// shellCommand is the command of a shell session whose first block's
// language is shell: as M-x shell runs it (bash --noediting -i, other
// shells -i; "shell" blocks run sh), after shellStart.
func shellCommand(shell string) []string {
	argv := []string{shell, "-i"}
	switch shell {
	case "bash":
		argv = []string{"bash", "--noediting", "-i"}
	case "", "shell":
		argv = []string{"sh", "-i"}
	}
	return append([]string{"sh", "-c", shellStart, "sh", argv[0]}, argv...)
}

// Program is the program a session's command runs: for a shell, the
// shell, not the sh that starts it.
func Program(argv []string) string {
	if len(argv) > 5 && argv[0] == "sh" && argv[1] == "-c" && argv[2] == shellStart {
		return argv[5]
	}
	if len(argv) == 0 {
		return ""
	}
	return argv[0]
}

// startShell waits for a shell session's start: the start file's frame,
// if the shell was started by shellStart, whose contents it then sends
// the shell, as comint-exec sends them, as they are; then the shell's
// first prompt. What the shell printed until then (what its rc files
// printed, its first prompt, the start file's prompts and output) is the
// first block's, as in Emacs, where it all reaches the first block's
// output.
func (c *Conn) startShell(ctx context.Context) (string, error) {
	var startfile []byte
	_, err := c.wait(ctx, func(b []byte) (int, bool) {
		if !bytes.HasPrefix(b, []byte(startfileMark)) {
			// No frame (a shell not started by shellStart), or not
			// all of its beginning yet.
			return 0, !bytes.HasPrefix([]byte(startfileMark), b)
		}
		v, n, ok := frameValue(b[len(startfileMark):])
		if !ok {
			return 0, false
		}
		startfile = v
		return len(startfileMark) + n, true
	})
	if err != nil {
		return "", err
	}
	if len(startfile) > 0 {
		if _, err := c.in.Write(dosToUnix(startfile)); err != nil {
			return "", fmt.Errorf("%w: %v", ErrEnded, err)
		}
	}
	start, err := c.wait(ctx, func(b []byte) (int, bool) {
		// The last line is prompts: the first, and the start file's
		// when it arrives with it ("$ $ ").
		return len(b), promptsRe.Match(b[bytes.LastIndexByte(b, '\n')+1:])
	})
	return string(start), err
}

// dosToUnix is a start file as Emacs sends it: insert-file-contents reads
// a file whose every line ends in CRLF with those line ends made LF (a
// file of mixed line ends as it is), and comint sends the text with LF.
func dosToUnix(b []byte) []byte {
	crlf := bytes.Count(b, []byte("\r\n"))
	if crlf == 0 || crlf != bytes.Count(b, []byte("\n")) {
		return b
	}
	return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
}
