package main

import (
	"fmt"
	"io"
	"os"

	"github.com/wallyqs/borges/internal/backend/mesos/executor"
)

func init() {
	register("mesos-executor", command{summary: "serve as Borges' Mesos executor (a Mesos agent starts it; see #+mesos_executor)", run: runExecutor})
}

// runExecutor is `borges mesos-executor`: the agent starts it with its
// MESOS_* environment; by hand it says so and fails.
func runExecutor(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "borges mesos-executor: takes no arguments (a Mesos agent starts it)")
		return 2
	}
	if _, err := executor.FromEnv(os.Getenv); err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	executor.Main()
	return 0
}
