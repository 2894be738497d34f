package session

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wallyqs/borges/internal/org"
)

// Emacs 28.2's M-x shell, which ob-shell calls to start a session (with
// shell-file-name bound to the block's language), runs
// explicit-shell-file-name (nil in emacs -Q), or else $ESHELL of Emacs's
// environment when it is set, or else shell-file-name: so with ESHELL set
// every shell session runs $ESHELL, whatever its block's language. The
// program is found on exec-path (PATH) and run by that path (its $0), with
// the arguments explicit-NAME-args names for its file name NAME
// ("--noediting" "-i" for bash; "-i" for csh, and for a shell without
// such a variable), so bash reads its rc files (/etc/bash.bashrc where
// it is built to, ~/.bashrc) as any interactive bash does; and
// comint-exec sends it, as its first input, the contents of
// ~/.emacs_NAME, or else of init_NAME.sh in user-emacs-directory, when
// that file exists. A session's shell here starts the same way: the
// shell, its arguments and its start file are chosen where the shell
// runs, from the environment it gets (ESHELL, HOME, PATH), by shellStart,
// a small sh program that hands the file's contents to the Conn (a frame
// on the terminal) and then becomes the shell; the Conn sends them
// (decoded and encoded as Emacs does, FileText) before the first
// block. explicit-shell-file-name, a setting of the user's Emacs, has no
// counterpart: an ESHELL in the session's environment (:env) does what
// it would.

// startfileMark begins the frame shellStart writes before it becomes the
// shell: the length of the start file's contents, a space, the length of
// the session's shell-file-name (sessionShellFile), a newline, the
// contents, then the name, so that no byte of the name (a newline, a
// space) can move where the contents begin or end (startFrame). A frame
// of one length (of an older shellStart) holds no name.
const startfileMark = "\x1e\x1eBORGES-STARTFILE "

// shellStart starts the shell for a block whose shell is $1, as shell.el's
// shell does: the program is $ESHELL when ESHELL is set (even empty, as
// getenv gives Emacs ""), else $1, or, where $1 is empty (a "shell"
// block's), $SHELL (/bin/sh where SHELL is unset or empty: Emacs's
// shell-file-name, which ob-shell leaves as it is for "shell"), run by the
// path PATH finds it at; its
// start file, of its name NAME, is ~/.emacs_NAME if it exists, or else
// init_NAME.sh in the directory startup.el makes user-emacs-directory
// (~/.emacs.d/ when it or ~/.emacs exists, or else
// $XDG_CONFIG_HOME/emacs/, ~/.config/emacs/ without XDG_CONFIG_HOME,
// when that exists, or else ~/.emacs.d/). It writes the file's frame (of
// no contents without one), then becomes the shell.
const shellStart = `p=${1:-` + ShellFileName + `}
sf=` + sessionShellFile + `
` + GiveEmacsSHELL + `if [ "${ESHELL+set}" = set ]; then p=$ESHELL; fi
n=${p##*/}
prog=$(command -v "$p") && [ -n "$prog" ] || {
	if [ "${ESHELL+set}" != set ] && [ "$0" = ` + emacsShellArg0 + ` ]; then
		echo "borges: the document's Emacs's shell-file-name '$p' is not found (an Emacs Lisp block before the session's first block ran in that Emacs; the block's SHELL does not choose its shell)"
	else
		echo "borges: the session's shell '$p' is not found"
	fi
	exit 127
}
f=$HOME/.emacs_$n
if [ ! -e "$f" ]; then
	x=${XDG_CONFIG_HOME-$HOME/.config}/emacs
	if [ -e "$HOME/.emacs.d" ] || [ -e "$HOME/.emacs" ] || [ ! -e "$x" ]; then
		x=$HOME/.emacs.d
	fi
	f=$x/init_$n.sh
fi
l=$(printf %s "$sf" | wc -c)
if [ -e "$f" ]; then
	c=$(wc -c < "$f") || { echo "borges: could not read the shell's start file $f"; exit 126; }
	printf '\036\036BORGES-STARTFILE %d %d\n' $c $l
	cat "$f" || exit 126
else
	printf '\036\036BORGES-STARTFILE 0 %d\n' $l
fi
printf %s "$sf"
case $n in
bash) exec "$prog" --noediting -i ;;
*) exec "$prog" -i ;;
esac`

// promptsRe is a line of one or more prompts (promptRe) and nothing else.
var promptsRe = regexp.MustCompile(`^(?:[^#$%>\n]*[#$%>] *)+$`)

// ShellFileName is, as a word of a POSIX shell's program, the shell a
// "shell" block runs where the word is read: $SHELL, or /bin/sh where
// SHELL is unset or empty, as Emacs sets shell-file-name when it starts,
// which ob-shell leaves as it is for the language "shell" (it binds it to
// the language's name for sh, bash…). Where the document's Emacs
// reported another shell-file-name (Environment.Shell), the block's
// program names that one instead (plan's Task.WithShellFileName), and a
// session's command gives it to shellStart (WithShell).
const ShellFileName = `${SHELL:-/bin/sh}`

// sessionShellFile is, as a word of shellStart, the shell-file-name of
// the document's Emacs as the session's "shell" blocks see it: the one it
// reported (WithShell: $1, its $0 emacsShellArg0), else ShellFileName of
// the session's own environment, before ESHELL chooses the program.
// org-babel-variable-assignments:shell binds a "shell" block's values in
// bash's forms where it ends in "bash" (Conn.ShellFileName,
// ShellFormsBody), whatever shell the session runs.
const sessionShellFile = `$(if [ "$0" = ` + emacsShellArg0 + ` ]; then printf %s "$1"; else printf %s "` + ShellFileName + `"; fi)`

// EmacsSHELL is the variable that carries the SHELL the document's Emacs
// left (a setenv of SHELL: "=VALUE"; its removal: "-") to a block that
// runs the shell of its own environment (ShellFileName: the Emacs's
// shell-file-name is still the one it started with), which a setenv of
// SHELL does not change, in Emacs or here: the block's program (or its
// session's command) reads ShellFileName before it gives the block that
// SHELL (GiveEmacsSHELL). A Borges variable, which no block can set.
const EmacsSHELL = "BORGES_EMACS_SHELL"

// GiveEmacsSHELL is sh code that sets (or unsets) SHELL as EmacsSHELL
// says, once the shell was chosen, and removes EmacsSHELL.
const GiveEmacsSHELL = `case ${` + EmacsSHELL + `-} in =*) SHELL=${` + EmacsSHELL + `#=}; export SHELL ;; -) unset SHELL ;; esac
unset ` + EmacsSHELL + `
`

// shellCommand is the command of a shell session whose first block's
// language is shell: shellStart, for that shell (for "shell" blocks none,
// so that shellStart runs $SHELL where the session runs), which runs
// $ESHELL instead where it is set.
func shellCommand(shell string) []string {
	switch shell {
	case "":
		shell = "sh"
	case "shell":
		shell = ""
	}
	return []string{"sh", "-c", shellStart, "sh", shell}
}

// Program is the program a session's command runs: for a shell, the
// block's shell, not the sh that starts it (where ESHELL is set the
// session runs that instead: see ShellSession); "" for a "shell" block's
// session, which runs $SHELL, or /bin/sh (ShellFileName).
func Program(argv []string) string {
	if ShellSession(argv) {
		return argv[4]
	}
	if len(argv) == 0 {
		return ""
	}
	return argv[0]
}

// WithShell is the command of a shell session of a "shell" block
// (shellCommand("shell"), which runs $SHELL) that runs shell instead:
// the document's Emacs's shell-file-name (Environment.Shell). ESHELL still goes first, as in Emacs.
//
// Its $0 is emacsShellArg0, so that shellStart, and EmacsShell, can say
// where a shell not found came from.
func WithShell(argv []string, shell string) []string {
	if !ShellSession(argv) {
		return argv
	}
	return []string{argv[0], argv[1], argv[2], emacsShellArg0, shell}
}

// emacsShellArg0 is the $0 of shellStart in a command of WithShell.
const emacsShellArg0 = "emacs-shell-file-name"

// EmacsShell says whether a shell session's command runs the document's
// Emacs's shell-file-name (WithShell), not a shell of its own.
func EmacsShell(argv []string) bool {
	return ShellSession(argv) && argv[3] == emacsShellArg0
}

// ShellSession says whether a session's command starts a shell through
// shellStart, which looks for the shell itself ($ESHELL, or the block's).
func ShellSession(argv []string) bool {
	return len(argv) == 5 && argv[0] == "sh" && argv[1] == "-c" && argv[2] == shellStart
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
	var bad error
	_, err := c.wait(ctx, func(b []byte) (int, bool) {
		if !bytes.HasPrefix(b, []byte(startfileMark)) {
			// No frame (a shell not started by shellStart), or not
			// all of its beginning yet.
			return 0, !bytes.HasPrefix([]byte(startfileMark), b)
		}
		contents, shellFile, n, ok, err := startFrame(b[len(startfileMark):])
		if err != nil {
			bad = err
			return 0, true
		}
		if !ok {
			return 0, false
		}
		startfile, c.shellFile = contents, shellFile
		return len(startfileMark) + n, true
	})
	if err == nil {
		err = bad
	}
	if err != nil {
		return "", err
	}
	if len(startfile) > 0 {
		if _, err := c.in.Write(FileText(startfile)); err != nil {
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

// startFrame reads what follows startfileMark: "SIZE NAMELEN\n", the
// start file's SIZE bytes, then the shell-file-name's NAMELEN bytes; or,
// from an older shellStart, "SIZE\n" and the contents, no name. n is how
// many bytes that is, ok false until all have arrived; a length that is
// not a number is an error.
func startFrame(rest []byte) (contents []byte, shellFile string, n int, ok bool, err error) {
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 {
		return nil, "", 0, false, nil
	}
	fields := strings.Split(string(rest[:nl]), " ")
	if len(fields) > 2 {
		return nil, "", 0, false, fmt.Errorf("the shell's start frame %q is not one of shellStart's", rest[:nl])
	}
	sizes := make([]int, 2)
	for i, f := range fields {
		v, err := strconv.Atoi(f)
		if err != nil || v < 0 {
			return nil, "", 0, false, fmt.Errorf("the shell's start frame %q holds no length", rest[:nl])
		}
		sizes[i] = v
	}
	end := nl + 1 + sizes[0] + sizes[1]
	if len(rest) < end {
		return nil, "", 0, false, nil
	}
	body := rest[nl+1 : end]
	return append([]byte(nil), body[:sizes[0]]...), string(body[sizes[0]:]), end, true, nil
}

// FileText is a file's bytes as Emacs reads them into a buffer
// (insert-file-contents) and writes them out again in UTF-8: a start
// file's bytes as Emacs sends them to the shell, and the file Babel reads
// a block's result from (org-babel-eval-read-file: Python's, Ruby's and
// Perl's values, Perl's output).
// It is a start file's bytes as Emacs sends them to the shell
// (in a UTF-8 locale, which Emacs 28.2 also takes for the C locale): comint-exec
// reads the file with insert-file-contents, which decodes it in the coding
// system it detects, and comint-send-string encodes the text in the
// process's, utf-8-unix. So a file holding a NUL byte is sent as it is
// (no-conversion); a UTF-8 BOM is dropped (utf-8-with-signature); UTF-8
// text and, where it is not UTF-8, text holding a byte 0x80-0x9F (raw-text)
// keep their bytes; other text is Latin-1 (iso-latin-1), each byte
// 0xA0-0xFF sent as its character's two bytes of UTF-8; and line ends are
// decoded as Emacs detects them (org.DecodeLineEnds). UTF-8 here is as Emacs
// detects it (utf8Text): a sequence the file's end cuts short is sent as
// its bytes. Not reproduced: the coding
// systems Emacs detects from ISO 2022 escape sequences (iso-2022-7bit),
// from a byte 0x80-0x9F followed by one 0xA0-0xFF (emacs-mule), from a
// UTF-16 BOM or a coding: cookie; such a file is sent as it is, or as
// the rules above make it.
func FileText(b []byte) []byte {
	switch {
	case bytes.IndexByte(b, 0) >= 0:
		return b
	case bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) && utf8Text(b[3:]):
		// Decoded sequence by sequence (the BOM's coding system, not
		// taken as Emacs's form: asInserted), its bytes kept.
		return org.DecodeLineEnds(b[3:])
	case utf8Text(b):
		return org.DecodeLineEnds(asInserted(b))
	}
	for _, c := range b {
		if c >= 0x80 && c < 0xa0 {
			return org.DecodeLineEnds(b) // raw-text
		}
	}
	// Latin-1: each byte is the character of its code.
	out := make([]byte, 0, len(b)+len(b)/4)
	for _, c := range org.DecodeLineEnds(b) {
		out = utf8.AppendRune(out, rune(c))
	}
	return out
}

// utf8Text says whether Emacs reads b as UTF-8, as detect_coding_utf_8
// decides: each byte from 0x80 starts a sequence of UTF-8's shape by its
// leading bits (0xC0-0xDF two bytes, 0xE0-0xEF three, 0xF0-0xF7 four,
// whatever they encode: surrogates, code points past U+10FFFF), its
// other bytes continuation bytes (0x80-0xBF); a byte of no such shape
// (a continuation byte, 0xF8-0xFF) is read with the four bytes after it
// and is not UTF-8. Reaching the file's end inside a sequence is UTF-8:
// the bytes there are kept.
func utf8Text(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		i++
		if c < 0x80 {
			continue
		}
		n := 4 // continuation bytes read before the sequence is refused
		switch {
		case c&0xe0 == 0xc0:
			n = 1
		case c&0xf0 == 0xe0:
			n = 2
		case c&0xf8 == 0xf0:
			n = 3
		}
		for k := 0; k < n; k++ {
			if i == len(b) {
				return true // cut short by the end
			}
			if b[i]&0xc0 != 0x80 {
				return false
			}
			i++
		}
		if c&0xe0 != 0xc0 && c&0xf0 != 0xe0 && c&0xf8 != 0xf0 {
			return false
		}
	}
	return true
}

// CutShort says whether b ends inside a sequence of UTF-8's shape
// (utf8Text): a lead byte 0xC0-0xF7 with fewer continuation bytes after
// it than its shape needs (seqLen; F8, which no UTF-8 text holds, too).
func CutShort(b []byte) bool {
	for k := 1; k <= 3 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c&0xc0 == 0x80 {
			continue
		}
		return seqLen(c)-1 >= k // an ASCII byte's is -1
	}
	return false
}

// asInserted is text Emacs detected as UTF-8 (utf8Text) as it inserts
// it and writes it out again: text whose every sequence is whole (no
// sequence cut short at its end) Emacs 28.2 takes as its own multibyte
// form, its bytes as they are (decode_coding_gap's check_utf_8), and
// writes each character of that form in UTF-8: an overlong sequence is
// the character it encodes (E0 80 AF is "/"), C0 or C1 and a
// continuation byte the raw byte of its bits (C0 AF the raw byte AF, C1
// BF the raw byte FF), surrogates and the characters past U+10FFFF as
// they are. Other text is decoded sequence by sequence, its bytes kept.
func asInserted(b []byte) []byte {
	canonical := true
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			i++
			continue
		}
		n := seqLen(c)
		if n == 0 || i+n > len(b) {
			return b
		}
		for k := 1; k < n; k++ {
			if b[i+k]&0xc0 != 0x80 {
				return b
			}
		}
		if c < 0xc2 || c == 0xe0 && b[i+1] < 0xa0 || c == 0xf0 && b[i+1] < 0x90 || c == 0xf8 && b[i+1] < 0x88 {
			canonical = false
		}
		i += n
	}
	if canonical {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		if c < 0x80 {
			out = append(out, c)
			i++
			continue
		}
		n := seqLen(c)
		var v rune
		switch n {
		case 2:
			v = rune(c&0x1f)<<6 | rune(b[i+1]&0x3f)
			if c < 0xc2 {
				// Emacs's form of a raw byte.
				out = append(out, byte(v)|0x80)
				i += n
				continue
			}
		case 3:
			v = rune(c&0x0f)<<12 | rune(b[i+1]&0x3f)<<6 | rune(b[i+2]&0x3f)
		case 4:
			v = rune(c&0x07)<<18 | rune(b[i+1]&0x3f)<<12 | rune(b[i+2]&0x3f)<<6 | rune(b[i+3]&0x3f)
		case 5:
			v = rune(b[i+1]&0x3f)<<18 | rune(b[i+2]&0x3f)<<12 | rune(b[i+3]&0x3f)<<6 | rune(b[i+4]&0x3f)
		}
		out = org.AppendEmacsChar(out, v)
		i += n
	}
	return out
}

// seqLen is the length of the sequence of Emacs's multibyte form that c
// starts (c from 0x80), 0 for a byte that starts none.
func seqLen(c byte) int {
	switch {
	case c&0xe0 == 0xc0:
		return 2
	case c&0xf0 == 0xe0:
		return 3
	case c&0xf8 == 0xf0:
		return 4
	case c == 0xf8:
		return 5
	}
	return 0
}
