// Command borges is the one Borges binary: the server (no subcommand, or
// flags only), and the client and tool subcommands (parse, submit, status,
// logs, kill, get).
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wallyqs/borges/internal/taskenv"
)

// command is one subcommand: it gets its arguments (without its name) and
// returns the process exit status.
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is filled by each subcommand's file in its init, so that each
// lives in a file of its own.
var commands = map[string]command{}

func register(name string, c command) { commands[name] = c }

func main() {
	if filepath.Base(os.Args[0]) == taskenv.UnsetName {
		// Mounted in a container by the local backend (see
		// local.Config.UnsetHelper): run a program without some
		// variables.
		os.Exit(taskenv.UnsetMain(os.Args[1:]))
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "help" {
		return help(args[1:], stdin, stdout, stderr)
	}
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		if c, ok := commands[args[0]]; ok {
			return c.run(args[1:], stdin, stdout, stderr)
		}
		fmt.Fprintf(stderr, "borges: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	if len(args) > 0 && (args[0] == "-h" || args[0] == "-help" || args[0] == "--help") {
		return help(nil, stdin, stdout, stderr)
	}
	// No subcommand: run the server.
	if c, ok := commands["serve"]; ok {
		return c.run(args, stdin, stdout, stderr)
	}
	usage(stderr)
	return 2
}

// help is `borges help [COMMAND]`: the commands and the server's flags,
// or one command's usage and flags, on standard output.
func help(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stdout)
		fmt.Fprintln(stdout, "\n`borges help COMMAND` or `borges COMMAND --help` shows a command's flags.")
		fmt.Fprintln(stdout, "\nThe server:")
		return commands["serve"].run([]string{"-h"}, stdin, stdout, stderr)
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "borges help: unknown command %q\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run([]string{"-h"}, stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: borges [-f borges-config.org] [flags]   run the server")
	fmt.Fprintln(w, "       borges COMMAND [args]")
	fmt.Fprintf(w, "  %-8s %s\n", "help", "this help; `borges help COMMAND` for a command's flags")
	names := make([]string, 0, len(commands))
	for name := range commands {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-8s %s\n", name, commands[name].summary)
	}
}
