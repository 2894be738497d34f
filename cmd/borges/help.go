package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// This file is how every command answers -h/--help and bad flags: help is
// asked for, so it goes to standard output with exit status 0; a bad flag
// is an error, on standard error with exit status 2.

// parseOrHelp parses a command's flags. When it returns ok=false the
// command returns code at once: help was printed (0) or a bad flag
// reported (2).
func parseOrHelp(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer) (ok bool, code int) {
	fs.SetOutput(io.Discard) // the flag package's own messages are replaced below
	fs.Usage = func() {}
	err := fs.Parse(args)
	switch {
	case err == nil:
		return true, 0
	case errors.Is(err, flag.ErrHelp):
		writeHelp(stdout, fs, usage)
		return false, 0
	default:
		fmt.Fprintf(stderr, "borges %s: %v\n", fs.Name(), err)
		writeHelp(stderr, fs, usage)
		return false, 2
	}
}

// writeHelp prints a usage line and every flag with its default: the
// flag's own default value, unless its description already says what the
// default is (a flag whose zero value means "from elsewhere").
func writeHelp(w io.Writer, fs *flag.FlagSet, usage string) {
	fmt.Fprintln(w, usage)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n == 0 {
		return
	}
	fmt.Fprintln(w, "flags:")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	defer tw.Flush()
	fs.VisitAll(func(f *flag.Flag) {
		kind, text := flag.UnquoteUsage(f)
		name := "-" + f.Name
		if kind != "" {
			name += " " + kind
		}
		if !strings.Contains(text, "default") {
			def := f.DefValue
			if def == "" {
				def = `""`
			}
			text += " (default " + def + ")"
		}
		fmt.Fprintf(tw, "  %s\t%s\n", name, text)
	})
}
