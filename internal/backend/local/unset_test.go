package local

import (
	"context"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/session"
)

// envOf runs an attempt that prints its environment, one variable a
// line, and returns the names it printed.
func envOf(t *testing.T, b *Backend, r *recorder, a *engine.Attempt) []string {
	t.Helper()
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 1000)
		t.Fatalf("update = %+v, stderr %q", u, errOut)
	}
	return proctest.EnvNames(stdout(t, b, a.ID), "\n")
}

// TestProcessUnset: a local process has none of the variables the
// attempt removes (Attempt.Unset) that the backend would give it from the
// server's environment, and keeps its own, its ports among them.
func TestProcessUnset(t *testing.T) {
	t.Setenv("LANG", "C.UTF-8")
	b, r := newBackend(t, t.TempDir())
	a := attempt("env", func(task *plan.Task) { task.Resources.Ports = 1 })
	a.Unset = []string{"HOME", "LANG", "A-B"}
	proctest.CheckEnv(t, envOf(t, b, r, a), []string{"PATH", "GREETING", "PORT0", "PORTS", "BORGES_SANDBOX"}, a.Unset)
}

// imageWithEnv makes an image of the test image whose environment has
// env besides its PATH, removed in t.Cleanup.
func imageWithEnv(t *testing.T, cli *client.Client, ref string, env ...string) {
	t.Helper()
	committedImage(t, cli, ref, &container.Config{Image: outside.TestImage, Env: append([]string{"PATH=/bin"}, env...),
		Entrypoint: []string{"true"}}, false)
}

// committedImage makes image ref of a container of cfg (run first, when
// run says, and required to exit 0), removed in t.Cleanup.
func committedImage(t *testing.T, cli *client.Client, ref string, cfg *container.Config, run bool) {
	t.Helper()
	ctx := context.Background()
	made, err := cli.ContainerCreate(ctx, cfg, nil, nil, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	defer cli.ContainerRemove(ctx, made.ID, container.RemoveOptions{Force: true})
	if run {
		waitC, errC := cli.ContainerWait(ctx, made.ID, container.WaitConditionNextExit)
		if err := cli.ContainerStart(ctx, made.ID, container.StartOptions{}); err != nil {
			t.Fatal(err)
		}
		select {
		case w := <-waitC:
			if w.StatusCode != 0 {
				t.Fatalf("%v exited %d", cfg.Entrypoint, w.StatusCode)
			}
		case err := <-errC:
			t.Fatal(err)
		}
	}
	if _, err := cli.ContainerCommit(ctx, made.ID, container.CommitOptions{Reference: ref}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.ImageRemove(context.Background(), ref, image.RemoveOptions{Force: true}) })
}

// TestContainerUnset: a container's program has none of the variables
// the attempt removes, whoever would give them: the image (its PATH and
// IMAGE_VAR, A-B whatever its name), the engine (HOSTNAME), the runtime
// (HOME); it keeps its own and its ports. What the program was given is
// read from /proc: the image's sh gives what it runs a PATH of its own.
func TestContainerUnset(t *testing.T) {
	cli := outside.Docker(t)
	const ref = "borges-test/busybox-env:1"
	imageWithEnv(t, cli, ref, "IMAGE_VAR=1", "A-B=2")
	b, r := newBackend(t, t.TempDir())
	withEnv := func(task *plan.Task) { task.Container.Image = ref }
	a := inContainer(procEnviron, func(task *plan.Task) { withEnv(task); task.Resources.Ports = 1 })
	a.Unset = []string{"PATH", "HOSTNAME", "HOME", "IMAGE_VAR", "A-B"}
	proctest.CheckEnv(t, envOf(t, b, r, a), []string{"GREETING", "PORT0", "PORTS", "BORGES_SANDBOX"}, a.Unset)
	// Without HOME, no shell: the container's environment alone.
	noHome := inContainer(procEnviron, withEnv)
	noHome.Unset = []string{"HOSTNAME", "IMAGE_VAR", "A-B"}
	proctest.CheckEnv(t, envOf(t, b, r, noHome), []string{"PATH", "HOME", "GREETING"}, noHome.Unset)
	// Without removals, the image's and the engine's are there.
	kept := inContainer(procEnviron, withEnv)
	proctest.CheckEnv(t, envOf(t, b, r, kept), []string{"PATH", "HOSTNAME", "HOME", "IMAGE_VAR", "A-B", "GREETING"}, nil)
}

// procEnviron prints the environment the shell running it was given.
const procEnviron = `/bin/tr '\0' '\n' < /proc/$$/environ`

// TestSessionUnset: a session's interpreter, a local process or in a
// container, starts without the variables its first block's attempt
// removes, and with the terminal Borges gives it.
func TestSessionUnset(t *testing.T) {
	t.Setenv("LANG", "C.UTF-8")
	b, r := newBackend(t, t.TempDir())
	cmd := session.Command(session.Shell, "sh", nil)
	probe := `/bin/cat /proc/$$/environ | /usr/bin/tr '\0' '\n' | /usr/bin/cut -d= -f1 | /usr/bin/sort | /usr/bin/tr '\n' ' '; echo`
	a := sessionAttempt("d.1-a.0.1", "d/shell:p/1", "shell", probe, cmd)
	a.Unset = []string{"HOME", "LANG", "A-B"}
	if u := runSession(t, b, r, a); u[0].State != engine.Finished {
		t.Fatalf("%+v", u)
	}
	proctest.CheckEnv(t, strings.Fields(readStream(t, b, a.ID, "stdout")), []string{"PATH", "TERM", "COLUMNS", "BORGES_SESSION"}, a.Unset)

	outside.Docker(t)
	in := sessionAttempt("d.2-b.0.1", "d/shell:c/1", "shell", strings.ReplaceAll(probe, "/usr/bin/", "/bin/"), cmd)
	in.Task.Container = &plan.Container{Image: outside.TestImage, Kind: "docker"}
	// Not PATH: the image's sh that starts a shell session (shellStart)
	// gives it one when it has none, as that sh gives whatever it runs
	// (the shell a block sees in Emacs does too).
	in.Unset = []string{"HOME", "HOSTNAME", "A-B"}
	if u := runSession(t, b, r, in); u[0].State != engine.Finished {
		t.Fatalf("%+v", u)
	}
	proctest.CheckEnv(t, strings.Fields(readStream(t, b, in.ID, "stdout")), []string{"TERM", "COLUMNS", "BORGES_SESSION"}, in.Unset)
}
