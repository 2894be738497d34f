package local

import (
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// imageWithoutShell makes an image of the test image without /bin/sh
// (its other applets stay: ash runs the test's program), removed in
// t.Cleanup.
func imageWithoutShell(t *testing.T, cli *client.Client, ref string) {
	t.Helper()
	committedImage(t, cli, ref, &container.Config{Image: outside.TestImage, Entrypoint: []string{"/bin/rm", "/bin/sh"}}, true)
}

// TestContainerUnsetWithoutShell: HOME (which the runtime gives a
// program whose environment lacks it) and the rest of what the document's
// Emacs removed are taken away without a shell in the image: the block
// runs in an image that has no /bin/sh, its interpreter (ash) given none
// of them.
func TestContainerUnsetWithoutShell(t *testing.T) {
	cli := outside.Docker(t)
	const ref = "borges-test/busybox-nosh:1"
	imageWithoutShell(t, cli, ref)
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), CgroupParent: "borges-test", UnsetHelper: staticUnsetHelper(t)})
	a := inContainer(procEnviron, func(task *plan.Task) { task.Container.Image = ref; task.Interpreter = []string{"/bin/ash"} })
	a.Unset = []string{"HOME", "HOSTNAME", "A-B"}
	proctest.CheckEnv(t, envOf(t, b, r, a), []string{"PATH", "GREETING", "BORGES_SANDBOX"}, a.Unset)
	// PATH too: the interpreter is looked up in it first.
	noPath := inContainer(procEnviron, func(task *plan.Task) { task.Container.Image = ref; task.Interpreter = []string{"ash"} })
	noPath.Unset = []string{"PATH", "HOME"}
	proctest.CheckEnv(t, envOf(t, b, r, noPath), []string{"HOSTNAME", "GREETING", "BORGES_SANDBOX"}, noPath.Unset)
}
