package session

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// A block of Emacs's Babel in a shell, Python or any language but Emacs
// Lisp is a process Emacs starts with its process-environment: an Emacs
// Lisp block that calls setenv (or pushes onto process-environment)
// changes what every later block's process sees. The document's Emacs
// says, after each program it evaluates (whether it finished or signalled
// an error), how its process-environment then differs from the one it
// started with; the backend keeps that as the attempt's EnvironmentFile,
// and the engine gives it to the blocks Emacs runs after it.

// Environment is how the document's Emacs left its process-environment,
// relative to the environment it started with: the variables set or
// changed, and those removed. Borges' own variables (BORGES_*) are never
// in it: they say which attempt, sandbox and value file a process has, and
// its markers, which a block must not take from another.
type Environment struct {
	Set   map[string]string `json:"set,omitempty"`
	Unset []string          `json:"unset,omitempty"`
	// Shell is the Emacs's shell-file-name, the shell a "shell" block
	// after it runs, where an Emacs Lisp block's setq made it another
	// than the one the Emacs started with (from its $SHELL, before any
	// block ran; a setenv of SHELL does not change it); "" where it is
	// that one (or in a report of an older host, or kept by one): the
	// block then runs the shell of its own environment, as before any
	// Emacs Lisp block, so a block that starts from another environment
	// than the Emacs (another agent or image) keeps its own. "" too
	// where it is no string a process can be given (ShellError says
	// why). It is reported apart from the variables, so no variable a block sets
	// can make it, and it is given to no process as a variable: the
	// program of a "shell" block names it (plan.Task.ShellFileName).
	Shell string `json:"shell,omitempty"`
	// ShellError is, where the Emacs's shell-file-name is no string a
	// process can be started with (a symbol, "", one holding a NUL),
	// the error Emacs signals when a block after it runs it (as
	// error-message-string says it): Emacs stops the document there.
	ShellError string `json:"shell_error,omitempty"`
}

// KeepingShell is e as a block that runs the shell of its own
// environment (no Shell reported) is given it: the SHELL it sets, or its
// removal, as EmacsSHELL instead, which the block's program gives it as
// SHELL once it chose that shell (GiveEmacsSHELL). e where it leaves
// SHELL as the Emacs started with it.
func (e Environment) KeepingShell() Environment {
	v, set := e.Set["SHELL"]
	if !set && !slices.Contains(e.Unset, "SHELL") {
		return e
	}
	k := Environment{Set: map[string]string{}, Shell: e.Shell, ShellError: e.ShellError}
	for name, value := range e.Set {
		if name != "SHELL" {
			k.Set[name] = value
		}
	}
	k.Unset = slices.DeleteFunc(slices.Clone(e.Unset), func(name string) bool { return name == "SHELL" })
	if set {
		k.Set[EmacsSHELL] = "=" + v
	} else {
		k.Set[EmacsSHELL] = "-"
	}
	return k
}

// EnvironmentFile is the sandbox file of an attempt of the document's
// Emacs where its backend keeps the Environment the attempt reported (as
// JSON): present, even empty, once the Emacs reported one.
const EnvironmentFile = ".borges-environment"

// Protected reports whether a variable is one the document's Emacs cannot
// pass on to other blocks: Borges' own.
func Protected(name string) bool {
	return strings.HasPrefix(name, "BORGES_")
}

// emacsEnvReport is the Lisp the host of the document's Emacs (emacsHost)
// evaluates after each program: "S" (the report's version: an older
// host's began with "E" and had no shell-file-name), "=" and the Emacs's
// shell-file-name (Environment.Shell) where it is not borges-shell0, the
// one the Emacs had when it started (nothing where it is), or, where it is no string
// a process can be started with, "!" and the error Emacs signals when a
// block runs it (Environment.ShellError, a NUL in it as "^@"), and a NUL,
// then each
// variable whose value
// differs from its value in borges-env0 (the process-environment the
// Emacs started with) as "NAME=VALUE" or, removed, "NAME", each followed
// by a NUL, then one more NUL. getenv-internal reads a list as Emacs reads
// process-environment when it starts a process: the first entry of a name
// counts, an entry without "=" removes it (t). A value or a name holding
// a NUL, which no process can be given, is left out: a name holding one
// would otherwise end the report early and make what follows it values.
const emacsEnvReport = `(let ((borges-names nil) (borges-out nil))
  (dolist (borges-e (append process-environment borges-env0))
    (when (stringp borges-e)
      (let ((borges-n (substring borges-e 0 (string-search "=" borges-e))))
        (unless (or (equal borges-n "") (string-search "\0" borges-n) (member borges-n borges-names))
          (push borges-n borges-names)))))
  (dolist (borges-n borges-names)
    (let ((borges-now (getenv-internal borges-n process-environment))
          (borges-was (getenv-internal borges-n borges-env0)))
      (unless (stringp borges-now) (setq borges-now nil))
      (unless (stringp borges-was) (setq borges-was nil))
      (unless (or (equal borges-now borges-was) (and borges-now (string-search "\0" borges-now)))
        (push (concat (if borges-now (concat borges-n "=" borges-now) borges-n) "\0") borges-out))))
  (concat "S"
          (cond
           ((not (stringp shell-file-name))
            (concat "!" (replace-regexp-in-string "\0" "^@" (error-message-string (list 'wrong-type-argument 'stringp shell-file-name)) t t)))
           ((equal shell-file-name "")
            (concat "!" (error-message-string '(file-error "Searching for program" "Is a directory" ""))))
           ((string-search "\0" shell-file-name)
            (concat "!" (replace-regexp-in-string "\0" "^@" (error-message-string (list 'wrong-type-argument 'filenamep shell-file-name)) t t)))
           ((equal shell-file-name borges-shell0) "")
           (t (concat "=" shell-file-name)))
          "\0" (apply #'concat borges-out) "\0"))`

// cutEnvironment takes the environment report off the front of a reply
// of the document's Emacs: nil, and the reply as it is, when it has none.
// A report of an older host ("E" and the variables, no shell-file-name)
// is read as that: a block after it keeps its own shell.
func cutEnvironment(reply []byte) (*Environment, []byte) {
	if len(reply) == 0 || reply[0] != 'S' && reply[0] != 'E' {
		return nil, reply
	}
	env := &Environment{Set: map[string]string{}}
	rest := reply[1:]
	if reply[0] == 'S' {
		shell, after, ok := bytes.Cut(rest, []byte{0})
		switch {
		case !ok:
			return nil, reply // not a report: cut short
		case len(shell) > 0 && shell[0] == '=':
			env.Shell = string(shell[1:])
		case len(shell) > 0 && shell[0] == '!':
			env.ShellError = string(shell[1:])
		case len(shell) > 0:
			return nil, reply // a field this version does not know
		}
		rest = after
	}
	for len(rest) > 0 {
		i := bytes.IndexByte(rest, 0)
		if i < 0 {
			return nil, reply // not a report: cut short
		}
		entry := string(rest[:i])
		rest = rest[i+1:]
		if entry == "" {
			sort.Strings(env.Unset)
			return env, rest
		}
		name, value, set := strings.Cut(entry, "=")
		switch {
		case Protected(name):
		case set:
			env.Set[name] = value
		default:
			env.Unset = append(env.Unset, name)
		}
	}
	return nil, reply
}

// MarshalEnvironment is how a backend keeps an Environment
// (EnvironmentFile).
func MarshalEnvironment(env *Environment) []byte {
	data, _ := json.Marshal(env) // maps and slices of strings: no error
	return data
}

// ParseEnvironment reads a kept Environment; ok is false for an empty
// file (none kept). Borges' own variables are dropped again, whatever the
// file says.
func ParseEnvironment(data []byte) (env Environment, ok bool, err error) {
	if len(data) == 0 {
		return Environment{}, false, nil
	}
	if err := json.Unmarshal(data, &env); err != nil {
		return Environment{}, false, fmt.Errorf("the environment an Emacs Lisp block left: %w", err)
	}
	for name := range env.Set {
		if Protected(name) {
			delete(env.Set, name)
		}
	}
	unset := env.Unset[:0]
	for _, name := range env.Unset {
		if !Protected(name) {
			unset = append(unset, name)
		}
	}
	env.Unset = unset
	return env, true, nil
}

// Apply is env (NAME=VALUE entries, as a process is given them) with the
// variables Unset names removed and those Set names set.
func (e Environment) Apply(env []string) []string {
	out := make([]string, 0, len(env)+len(e.Set))
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if _, set := e.Set[name]; set || slices.Contains(e.Unset, name) {
			continue
		}
		out = append(out, kv)
	}
	names := make([]string, 0, len(e.Set))
	for name := range e.Set {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		out = append(out, name+"="+e.Set[name])
	}
	return out
}
