package plan

import (
	"fmt"
	"os"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// TestMain runs the tests with Python started directly, not through a
// version manager's shim (see outside.UnshimPython): the fixtures compared
// with Emacs start Python thousands of times, Emacs and Borges the same
// interpreter.
func TestMain(m *testing.M) {
	if err := outside.UnshimPython(); err != nil {
		// Slower, not wrong: the tests run Python through the shim.
		fmt.Fprintln(os.Stderr, "plan tests: Python stays as PATH finds it:", err)
	}
	os.Exit(m.Run())
}
