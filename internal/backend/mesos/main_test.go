package mesos

import (
	"fmt"
	"os"
	"testing"

	"github.com/wallyqs/borges/internal/backend/mesos/executor"
	"github.com/wallyqs/borges/internal/outside"
)

// TestMain lets the test binary serve as Borges' executor, as the borges
// binary does: an agent starts it with executor.EnvMarker set.
func TestMain(m *testing.M) {
	if os.Getenv(executor.EnvMarker) == "1" {
		executor.Main()
	}
	// Python started directly, not through a version manager's shim
	// (see outside.UnshimPython), by the agents' tasks and sessions.
	if err := outside.UnshimPython(); err != nil {
		fmt.Fprintln(os.Stderr, "mesos tests: Python stays as PATH finds it:", err)
	}
	outside.SideBySide(realParallel)
	os.Exit(m.Run())
}

// The tests against a real master and agents (realmesos.Start: ports,
// work directories and cgroup roots of their own) and those waiting out a
// block's :timeout spend their time waiting, not computing: they call
// t.Parallel, and so run side by side. go test's -parallel bounds how
// many: realParallel unless it was given (outside.SideBySide). Most of the
// parallel tests start a real master and agents, so this is also how many
// real clusters of this package run at once: no more than 3, as their
// pings, grace periods and timeouts of a few seconds are missed on a
// loaded machine. The real agents with the Docker containerizer stay one
// at a time: they share the machine's one Docker engine.
const realParallel = 3

// testExecutor configures Borges' executor: this test binary.
func testExecutor(t testing.TB) func(*Config) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return func(c *Config) { c.Executor = self }
}
