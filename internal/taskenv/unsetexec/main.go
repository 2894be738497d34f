// Command unsetexec is taskenv.UnsetMain alone: a program that runs
// another without some variables, built statically for the tests of the
// containers that run through it (a static borges does the same, run by
// the name taskenv.UnsetName).
package main

import (
	"os"

	"github.com/wallyqs/borges/internal/taskenv"
)

func main() {
	os.Exit(taskenv.UnsetMain(os.Args[1:]))
}
