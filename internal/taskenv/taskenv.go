// Package taskenv names the variables Borges itself gives a block's
// program on every backend (its ports), and removes from a program's
// environment the variables the document's Emacs removed before the block
// (engine.Attempt.Unset) where the backend does not build that environment
// itself: a container image's, a pod's, a Mesos agent's. There the
// program is run through a shell step that unsets them first
// (ExecStep); where Borges builds the environment (a local process, the
// Mesos executor's tasks, a Docker container's variables) it leaves them
// out (Without).
package taskenv

import (
	"slices"
	"strconv"
	"strings"
)

// Var is one variable of a program's environment.
type Var struct {
	Name, Value string
}

// String is the variable as a process is given it: NAME=VALUE.
func (v Var) String() string { return v.Name + "=" + v.Value }

// Ports is how a program learns the host ports it was given (:ports N),
// on every backend, as on Mesos: PORT0…PORTn-1, one each, and PORTS, all
// of them joined by commas. No ports, no variables.
func Ports[P int | uint64](ports []P) []Var {
	if len(ports) == 0 {
		return nil
	}
	vars := make([]Var, 0, len(ports)+1)
	list := make([]string, 0, len(ports))
	for i, p := range ports {
		s := strconv.FormatUint(uint64(p), 10)
		vars = append(vars, Var{PortName(i), s})
		list = append(list, s)
	}
	return append(vars, Var{portsName, strings.Join(list, ",")})
}

// PortName is the variable of a program's i-th port.
func PortName(i int) string { return "PORT" + strconv.Itoa(i) }

const portsName = "PORTS"

// IsPort reports whether name is one of the variables Ports gives a
// program of n ports.
func IsPort(name string, n int) bool {
	if n <= 0 {
		return false
	}
	if name == portsName {
		return true
	}
	digits, ok := strings.CutPrefix(name, "PORT")
	if !ok {
		return false
	}
	i, err := strconv.Atoi(digits)
	return err == nil && i >= 0 && i < n && PortName(i) == name
}

// ShellName reports whether a POSIX shell can hold a variable of this
// name (letters, digits and underscores, not led by a digit), and so
// unset it.
func ShellName(name string) bool {
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		return false
	}
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// ExecStep is the shell text that ends a shell program by running "$@"
// (a program and its arguments) without the variables names: exec "$@"
// when names is empty, else they are unset first. Where PATH is one of
// them the program is looked up before (as Emacs finds a program in its
// exec-path, not in the environment it gives it). left are the names the
// step cannot remove, those no shell can hold (ShellName: A-B, 1X).
func ExecStep(names []string) (text string, left []string) {
	var ok []string
	lookup := ""
	for _, name := range names {
		switch {
		case !ShellName(name):
			left = append(left, name)
		case name == "PATH":
			lookup = "borges_run=$(command -v \"$1\") && shift && set -- \"$borges_run\" \"$@\"\n"
			ok = append(ok, "borges_run", name)
		default:
			ok = append(ok, name)
		}
	}
	if len(ok) == 0 {
		return `exec "$@"`, left
	}
	return lookup + "unset " + strings.Join(ok, " ") + "\nexec \"$@\"", left
}

// Kept is what the server's log says of the variables ExecStep left
// (left): "" for none.
func Kept(left []string) string {
	if len(left) == 0 {
		return ""
	}
	return "the document's Emacs removed " + strings.Join(left, ", ") + ", which no shell can hold, so no shell step can unset: " +
		"the program has it if the image's or agent's environment has it and its /bin/sh passes it on (bash does; dash and busybox sh drop such names)"
}

// Without is env (NAME=VALUE entries, as a process is given them) less
// the variables names, whatever their names.
func Without(env []string, names []string) []string {
	if len(names) == 0 {
		return env
	}
	return slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return slices.Contains(names, name)
	})
}
