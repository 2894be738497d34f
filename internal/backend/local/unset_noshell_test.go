package local

import (
	"context"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/wallyqs/borges/internal/engine"
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

// TestContainerWithoutShellUnchecked: a borges linked dynamically checks a
// container's mounts with the image's /bin/sh (mountcheck.go); an image
// without one fails the block, saying so, rather than run its program
// unchecked.
func TestContainerWithoutShellUnchecked(t *testing.T) {
	cli := outside.Docker(t)
	const ref = "borges-test/busybox-nosh-unchecked:1"
	imageWithoutShell(t, cli, ref)
	b, r := newBackend(t, t.TempDir())
	a := inContainer("echo ran", func(task *plan.Task) { task.Container.Image = ref; task.Interpreter = []string{"/bin/ash"} })
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Failed || u.Message != "exit status 127: the image "+ref+" has no /bin/sh" {
		t.Errorf("update = %+v", u)
	}
	if out := stdout(t, b, a.ID); out != "" {
		t.Errorf("the program ran: stdout %q", out)
	}
}
