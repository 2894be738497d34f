package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
)

func init() {
	register("rm", command{summary: "remove documents: kill their tasks, then delete their state and files", run: runRemove})
}

const rmUsage = "usage: borges rm ID [ID...] [flags]"

// runRemove removes each document named; one that cannot be removed is
// reported and the others are removed all the same (exit 1 if any failed).
func runRemove(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rm", flag.ContinueOnError)
	var cf clientFlags
	cf.register(fs)
	pos, ok, code := parseFlags(fs, args, rmUsage, stdout, stderr)
	if !ok {
		return code
	}
	if len(pos) == 0 {
		return badUsage(stderr, rmUsage)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	c := cf.client(stderr)
	status := 0
	for _, id := range pos {
		if err := c.Remove(ctx, id); err != nil {
			fmt.Fprintf(stderr, "borges rm: %s: %v\n", id, err)
			status = 1
			continue
		}
		fmt.Fprintln(stdout, "removed "+id)
	}
	return status
}
