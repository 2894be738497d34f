package engine

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// StagedFile is a file a backend places in an attempt's sandbox before
// its program runs: the :file Babel wrote for an earlier block that the
// block reads (plan.Task.ReadsFiles), as Emacs, running every block in
// the document's directory, left it there.
type StagedFile struct {
	// Path is relative to the sandbox (the document's directory), a
	// clean path beneath it (SandboxPath).
	Path string
	Data []byte
	// Mode is the file's permissions (the writer's :file-mode, else
	// 0644).
	Mode uint32
}

// MaxStagedFiles bounds the bytes of the files placed in one attempt's
// sandbox: each is the writer's result, as the files route serves it
// (maxServedFile), and a backend may carry them in one message (a Mesos
// task, a Kubernetes object).
const MaxStagedFiles = 4 << 20

// StagedSize is the bytes of files.
func StagedSize(files []StagedFile) int {
	n := 0
	for _, f := range files {
		n += len(f.Data)
	}
	return n
}

// stagedReadTimeout bounds the reading of one writer's file for a
// reader (readStaged), made off the engine's lock.
const stagedReadTimeout = 10 * time.Second

// MaxShellArg is the most bytes of the shell command a backend starts
// the program with (PlaceStep and the program, for Mesos; the pod's
// command, for Kubernetes): the kernel takes one argument of at most 128
// KiB (MAX_ARG_STRLEN) with its final NUL byte.
const MaxShellArg = 128<<10 - 1

// FitsShellArg is nil if cmd fits in one argument of a program (the
// shell's -c command, MaxShellArg), else an error saying why the attempt
// cannot start.
func FitsShellArg(cmd string) error {
	if len(cmd) > MaxShellArg {
		return fmt.Errorf("the files Babel wrote for earlier blocks that it reads and its program make a %d-byte shell command, over %d, the most the kernel takes in one argument (a quote takes 5 bytes of it, a NUL byte 15)", len(cmd), MaxShellArg)
	}
	return nil
}

// PlaceStep is a POSIX sh step that places files in the current
// directory (the sandbox), for a backend that starts the program through
// a shell command on another machine (Mesos, Kubernetes): the
// directories on the way made, each file written (printf, its NUL bytes
// apart) and given its mode. A step that fails says so on standard error
// and exits 1. A step over MaxShellArg is an error; the backend bounds it
// with the command it travels in (FitsShellArg).
func PlaceStep(files []StagedFile) (string, error) {
	var b strings.Builder
	for _, f := range files {
		if !SandboxPath(f.Path) {
			return "", fmt.Errorf("%q is not a path beneath the sandbox", f.Path)
		}
		// "./" before each path: a :file beginning with '-' is no
		// option of mkdir or chmod.
		p := ShellQuote("./" + f.Path)
		fail := " || { echo " + ShellQuote("borges: could not place "+f.Path) + " >&2; exit 1; }\n"
		if d := path.Dir(f.Path); d != "." {
			b.WriteString("mkdir -p " + ShellQuote("./"+d) + fail)
		}
		b.WriteString("{ :")
		for i, part := range strings.Split(string(f.Data), "\x00") {
			if i > 0 {
				b.WriteString("; printf '\\000'")
			}
			if part != "" {
				b.WriteString("; printf '%s' " + ShellQuote(part))
			}
		}
		b.WriteString("; } > " + p + fail)
		b.WriteString(fmt.Sprintf("chmod %o %s", f.Mode&0o7777, p) + fail)
		if b.Len() > MaxShellArg {
			break
		}
	}
	if err := FitsShellArg(b.String()); err != nil {
		return "", err
	}
	return b.String(), nil
}

// ShellQuote is s as one word of a POSIX shell command, for the
// backends that start a program through one (Mesos, Kubernetes).
func ShellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'"'"'`) + "'" }

// ShellDir is a block's working directory as a word of a POSIX shell
// command, for a backend that starts the program through one (Mesos,
// Kubernetes): its :dir d (absolute, under the home directory, or
// relative to the sandbox), else the sandbox, given as the shell word
// sandbox. A ~ is "$HOME" as the shell has it (quoted: a home with a
// space is one word); ShellWorkDirStep refuses it unset, empty or
// relative.
func ShellDir(sandbox, d string) string {
	switch {
	case d == "":
		return sandbox
	case strings.HasPrefix(d, "/"):
		return ShellQuote(d)
	case d == "~" || strings.HasPrefix(d, "~/"):
		return `"$HOME"` + ShellQuote(strings.TrimPrefix(d, "~"))
	}
	return sandbox + "/" + ShellQuote(d)
}

// ShellWorkDirStep is the shell step that makes a block's working
// directory (ShellDir of sandbox and d) and goes to it, leaving the
// shell where it cannot. A :dir naming ~ where HOME is unset, empty or
// not absolute is refused with a message naming the :dir, as
// taskenv.Home refuses it for the local backend and the Borges
// executor: "$HOME"/x would be /x, the file system's root, which no
// author means (Emacs would take the password database's home, or its
// own start directory, which a block run by Borges has not).
func ShellWorkDirStep(sandbox, d string) string {
	dir := ShellDir(sandbox, d)
	step := "mkdir -p " + dir + " && cd " + dir + " || exit 1\n"
	if d == "~" || strings.HasPrefix(d, "~/") {
		msg := "borges: :dir " + d + ": HOME is unset, empty or not an absolute path in the block's environment, so ~ names no directory: set HOME (:env), or write the :dir without ~"
		step = `case "${HOME-}" in /*) ;; *) printf '%s\n' ` + ShellQuote(msg) + " >&2; exit 1;; esac\n" + step
	}
	return step
}
