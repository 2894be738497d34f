package plantest

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// The helpers of the tests (this package and its kin) import testing, and
// with it the test flags: the server's binary imports none of them, only
// _test.go files do.
func TestOnlyTestsImport(t *testing.T) {
	gobin := outside.Need(t, "golang-go", "go")
	out, err := exec.Command(gobin, "list", "-deps", "github.com/wallyqs/borges/cmd/borges").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	helpers := map[string]bool{
		"testing": true,
		"github.com/wallyqs/borges/internal/plan/plantest":           true,
		"github.com/wallyqs/borges/internal/proctest":                true,
		"github.com/wallyqs/borges/internal/backend/mesos/mesostest": true,
		"github.com/wallyqs/borges/internal/outside":                 true,
	}
	for _, pkg := range strings.Fields(string(out)) {
		if helpers[pkg] {
			t.Errorf("the borges command imports %s", pkg)
		}
	}
}
