package engine

import (
	"fmt"
	"os"
	"runtime/debug"
)

// failHookNow ends the test binary with msg and the stack, for the
// checks the package's tests hook into the engine (checkFollowIndex,
// checkTurnNeeds, checkIndexes). Those run with e.mu held: a panic
// there unwinds the test without unlocking, the test's cleanup then
// waits on the engine, which waits on e.mu, and the test hangs until
// -timeout with the message lost. Exiting at once keeps the message.
func failHookNow(msg string) {
	fmt.Fprintf(os.Stderr, "%s\n%s", msg, debug.Stack())
	os.Exit(2)
}
