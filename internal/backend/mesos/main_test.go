package mesos

import (
	"os"
	"testing"

	"github.com/wallyqs/borges/internal/backend/mesos/executor"
)

// TestMain lets the test binary serve as Borges' executor, as the borges
// binary does: an agent starts it with executor.EnvMarker set.
func TestMain(m *testing.M) {
	if os.Getenv(executor.EnvMarker) == "1" {
		executor.Main()
	}
	os.Exit(m.Run())
}

// testExecutor configures Borges' executor: this test binary.
func testExecutor(t testing.TB) func(*Config) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return func(c *Config) { c.Executor = self }
}
