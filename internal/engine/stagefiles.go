package engine

import (
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
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

// ShellWorkDirStep is the shell step that makes a block's working
// directory and goes to it, leaving the shell where it cannot, for the
// backends that start the program through a shell (Mesos command
// executor and containers, Kubernetes, a local container whose :dir
// names a home): t's :dir (absolute, a home's, or relative to the
// sandbox), else the sandbox, given as the shell word sandbox (t nil or
// without :dir). unset are the variables the document's Emacs removed,
// which the shell still has (the removal takes effect as the program
// starts: taskenv.ExecStep).
//
// Homes are taken as Emacs's expand-file-name takes them in the Emacs
// running the block, read where the program runs (on a Mesos agent its
// password database, through getent where it has it; in a container the
// image's /etc/passwd, never the host's), as taskenv.Home and
// plan.WorkDir take them on the local backend and the Borges executor:
//
//   - ~ and ~/… are HOME as the shell has it, unless the document removed
//     HOME: then the home the password database gives LOGNAME, else USER
//     (each unless removed too), else the shell's uid (get_homedir); the
//     first of them the database has is the one taken, so a relative
//     home, or a database that cannot be read, refuses rather than
//     passing on to the next user's home;
//   - ~NAME and ~NAME/… are NAME's home in the password database; for
//     no such user a name beneath the sandbox, as Emacs leaves it
//     relative.
//
// Where no such home is found, or it is not an absolute path, the step
// refuses with a message naming the block's line and its :dir: "$HOME"/x
// would be /x, the file system's root, and a name beneath the sandbox
// is not what the author meant (Emacs would take its own start
// directory, which a block run by Borges has not). The lookup runs in a
// subshell, so its helper variables never replace the block's own.
func ShellWorkDirStep(sandbox string, t *plan.Task, unset []string) string {
	return shellWorkDirStep(sandbox, t, unset, "/etc/passwd")
}

// shellWorkDirStep is ShellWorkDirStep reading the password database
// from the file passwd where the shell has no getent (a test's fake).
func shellWorkDirStep(sandbox string, t *plan.Task, unset []string, passwd string) string {
	d := ""
	if t != nil {
		d = t.Dir
	}
	switch {
	case d == "":
		return cdStep(sandbox)
	case strings.HasPrefix(d, "/"):
		return cdStep(ShellQuote(d))
	}
	refuse := func(why string) string {
		msg := fmt.Sprintf("borges: block %s at line %d: :dir %s: %s", t.Block, t.Line, d, why)
		return "{ printf '%s\\n' " + ShellQuote(msg) + " >&2; exit 1; }"
	}
	if d == "~" || strings.HasPrefix(d, "~/") {
		rest := ShellQuote(strings.TrimPrefix(d, "~"))
		if !slices.Contains(unset, "HOME") {
			return `case "${HOME-}" in /*) ;; *) ` + refuse("HOME is unset, empty or not an absolute path in the block's environment, so ~ names no directory: set HOME (:env), or write the :dir without ~") + ";; esac\n" +
				cdStep(`"$HOME"`+rest)
		}
		// get_homedir: LOGNAME's, else USER's, else the uid's; the
		// first entry found is the home (a relative one refused, not
		// passed over), a database that cannot be read refused.
		var b strings.Builder
		b.WriteString(passwdFunc(passwd))
		for _, name := range []string{"LOGNAME", "USER"} {
			if !slices.Contains(unset, name) {
				fmt.Fprintf(&b, `if [ -n "${%s-}" ]; then borges_h=$(borges_pw 1 "$%s"); case $? in 0) case $borges_h in /*) printf '%%s\n' "$borges_h"; exit 0;; *) %s;; esac;; 2) ;; *) %s;; esac; fi
`, name, name,
					refuse("the document removed HOME and the home the password database where the block runs gives "+name+" is not an absolute path, so ~ names no directory: set HOME (:env), or write the :dir without ~"),
					refuse("the document removed HOME and the password database where the block runs could not be read for "+name+", so ~ names no directory: set HOME (:env), or write the :dir without ~"))
			}
		}
		b.WriteString(`borges_u=$(id -u) && borges_h=$(borges_pw 3 "$borges_u") && case $borges_h in /*) printf '%s\n' "$borges_h"; exit 0;; esac
` + refuse("the document removed HOME and the password database where the block runs has no absolute home for its user (LOGNAME, USER, its uid), so ~ names no directory: set HOME (:env), or write the :dir without ~") + "\n")
		return goStep(b.String(), rest)
	}
	if name, _, ok := org.UserLink(d); ok {
		rest := ShellQuote(strings.TrimPrefix(d, "~"+name))
		return goStep(passwdFunc(passwd)+"borges_h=$(borges_pw 1 "+ShellQuote(name)+")\ncase $? in 0) ;; 2) printf '%s\\n' "+sandbox+"/"+ShellQuote("~"+name)+"; exit 0;; *) "+
			refuse("the password database where the block runs could not be read for user "+name)+";; esac\n"+
			"case $borges_h in /*) printf '%s\\n' \"$borges_h\";; *) "+
			refuse("the home of user "+name+" in the password database where the block runs is not an absolute path")+";; esac\n", rest)
	}
	return cdStep(sandbox + "/" + ShellQuote(d))
}

// DirNamesHome reports whether the :dir d names a home (~, ~/…, ~NAME,
// ~NAME/…), which a backend that starts its program in a container finds
// only inside it: through ShellWorkDirStep.
func DirNamesHome(d string) bool {
	if d == "~" || strings.HasPrefix(d, "~/") {
		return true
	}
	_, _, ok := org.UserLink(d)
	return ok
}

// goStep runs lookup, a script printing a directory or refusing, in a
// subshell, and makes and goes to that directory followed by rest (a
// shell word): the lookup's helper variables and function never reach
// the shell that starts the program, so a block's own exported
// variables of those names keep their values (review F1). The directory
// reaches borges_go as its argument (no variable), and borges_go is
// removed after the cd.
func goStep(lookup, rest string) string {
	return `borges_go() { [ -n "$1" ] || exit 1; mkdir -p "$1$2" && cd "$1$2" || exit 1; }
borges_go "$(
` + lookup + `)" ` + rest + `
unset -f borges_go
`
}

// cdStep makes the directory the shell word dir names and goes to it.
func cdStep(dir string) string {
	return "mkdir -p " + dir + " && cd " + dir + " || exit 1\n"
}

// passwdFunc defines borges_pw FIELD KEY, which prints the home of the
// first entry of the password database whose name (FIELD 1) or uid
// (FIELD 3) is KEY: through getent where the shell has it (the
// database as the C library reads it, NSS included), else by reading
// /etc/passwd (an image with no getent, busybox's; passwd, a test's
// fake, in passwdFunc(passwd)). It returns 2 where
// there is no such entry (or no /etc/passwd), 1 where the database
// could not be read.
func passwdFunc(passwd string) string {
	return strings.ReplaceAll(passwdFuncText, "/etc/passwd", ShellQuote(passwd))
}

const passwdFuncText = `borges_pw() {
	if command -v getent >/dev/null 2>&1; then
		borges_e=$(getent passwd "$2")
		case $? in 0) ;; 2) return 2;; *) return 1;; esac
		[ "$1" = 3 ] || [ "${borges_e%%:*}" = "$2" ] || return 2
	else
		[ -e /etc/passwd ] || return 2
		[ -r /etc/passwd ] || return 1
		borges_e=
		while IFS= read -r borges_l || [ -n "$borges_l" ]; do
			case $borges_l in *:*:*:*:*:*) ;; *) continue;; esac
			borges_k=${borges_l%%:*}
			if [ "$1" = 3 ]; then borges_k=${borges_l#*:*:}; borges_k=${borges_k%%:*}; fi
			if [ "$borges_k" = "$2" ]; then borges_e=$borges_l; break; fi
		done < /etc/passwd
		[ -n "$borges_e" ] || return 2
	fi
	case $borges_e in *:*:*:*:*:*) ;; *) return 1;; esac
	borges_e=${borges_e#*:*:*:*:*:}
	printf '%s\n' "${borges_e%%:*}"
}
`
