package plan

import "strings"

// commandHeader is the header argument that gives a block of lang its own
// interpreter command (ob-python's :python, ob-ruby's :ruby, ob-js's
// :cmd), "" when lang's Babel reads none.
func commandHeader(lang string) string {
	switch {
	case strings.HasPrefix(lang, "python"):
		return "python"
	case lang == "ruby":
		return "ruby"
	case lang == "js" || lang == "node" || lang == "javascript":
		return "cmd"
	}
	return ""
}

// shellCommand is the interpreter that runs a script as command does
// when org-babel-eval hands command to the shell ("sh -c"): assignments,
// quotes, "~" and variables in it work as there. The script's path is
// the argument after it, which "$@" gives the command.
func shellCommand(command string) []string {
	return []string{"sh", "-c", command + ` "$@"`, "sh"}
}
