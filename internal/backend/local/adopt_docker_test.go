package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
)

// A container a Borges before the kept ids started (its attempt's
// directory has no record of it) is re-attached to after an upgrade, and
// its id kept then: never reported lost while it runs (the engine would
// run the task a second time beside it), never left running with no
// later start that removes it.
func TestRecoverAdoptsOwnContainerWithoutRecord(t *testing.T) {
	cli := outside.Docker(t)
	dir := t.TempDir()
	first, r1 := newBackend(t, dir)
	long := inContainer("echo one; sleep 300", nil)
	if err := first.Launch(context.Background(), long); err != nil {
		t.Fatal(err)
	}
	r1.wait(t, long.ID, engine.Running)
	t.Cleanup(func() {
		cli.ContainerRemove(context.Background(), containerName(long.ID), container.RemoveOptions{Force: true})
	})
	r1.stop()
	// The layout an older Borges left: no id kept.
	record := filepath.Join(dir, "attempts", long.ID, containerRecord)
	if err := os.Remove(record); err != nil {
		t.Fatal(err)
	}
	second, r2 := newBackend(t, dir)
	if err := second.Recover(context.Background(), []*engine.Attempt{long}); err != nil {
		t.Fatal(err)
	}
	u := firstUpdate(t, r2, long.ID)
	if u.State != engine.Running {
		t.Fatalf("update after the upgrade = %+v, want it re-attached to (Running)", u)
	}
	info, err := cli.ContainerInspect(context.Background(), containerName(long.ID))
	if err != nil {
		t.Fatal(err)
	}
	if !second.ownsContainer(long.ID, info.ID) {
		t.Errorf("the container's id was not kept once it was taken for the attempt's")
	}
	second.Kill(context.Background(), long.ID)
	if u := r2.wait(t, long.ID, engine.Killed); u.State != engine.Killed {
		t.Errorf("update = %+v, want killed", u)
	}
	if _, err := cli.ContainerInspect(context.Background(), info.ID); !cerrdefs.IsNotFound(err) {
		t.Errorf("the re-attached container is still there once killed (%v)", err)
	}
}

// createdUnrecorded creates attempt a's container as runContainer does,
// and stops as a server that died before it kept its id would.
func createdUnrecorded(t *testing.T, b *Backend, a *engine.Attempt) string {
	t.Helper()
	cli := outside.Docker(t)
	if err := b.makeAttemptDirs(a.ID); err != nil {
		t.Fatal(err)
	}
	if err := b.roots.dir("attempts").WriteFile(a.ID+"/script", []byte(a.Script), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := b.docker.ensureImage(context.Background(), a.Task.Container.Image); err != nil {
		t.Fatal(err)
	}
	cfg, host := containerConfig(a, b.SandboxDir(a.ID), b.attemptFile(a.ID, "script"), mountIDs{}, nil, nil, b.cfg.DataDir, b.cfg.MaxOutput, b.cfg.UnsetHelper)
	created, err := cli.ContainerCreate(context.Background(), cfg, host, nil, nil, containerName(a.ID))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true}) })
	return created.ID
}

// A server that died between creating a container and keeping its id
// left it behind: a start removes it, whether its attempt is still
// tracked (lost: it never started) or not (an orphan).
func TestRecoverRemovesCreatedContainerWithoutRecord(t *testing.T) {
	cli := outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	tracked, orphan := inContainer("true", nil), inContainer("true", nil)
	trackedID, orphanID := createdUnrecorded(t, b, tracked), createdUnrecorded(t, b, orphan)
	if err := b.Recover(context.Background(), []*engine.Attempt{tracked}); err != nil {
		t.Fatal(err)
	}
	if u := firstUpdate(t, r, tracked.ID); u.State != engine.Lost {
		t.Errorf("update = %+v, want lost (created, never started)", u)
	}
	for _, id := range []string{trackedID, orphanID} {
		if _, err := cli.ContainerInspect(context.Background(), id); !cerrdefs.IsNotFound(err) {
			t.Errorf("container %s, created by a server that died before it kept its id, is still there (%v)", shortID(id), err)
		}
	}
}

// A container named as an attempt's (its own gone while the server was
// down) and labelled as ours, but mounting no sandbox of ours, is
// another's: not re-attached to, not removed, and the report does not
// call it gone.
func TestRecoverContainerNotAStrangers(t *testing.T) {
	cli := outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	a := inContainer("true", nil)
	if err := b.makeAttemptDirs(a.ID); err != nil {
		t.Fatal(err)
	}
	stranger := strangerContainer(t, cli, b, a.ID, containerName(a.ID), true)
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	u := firstUpdate(t, r, a.ID)
	if u.State != engine.Lost {
		t.Errorf("update = %+v, want the attempt lost (the container of its name is not the one made for it)", u)
	}
	if strings.Contains(u.Message, "gone") {
		t.Errorf("message %q calls gone a container that is there", u.Message)
	}
	if _, err := cli.ContainerInspect(context.Background(), stranger); cerrdefs.IsNotFound(err) {
		t.Errorf("a stranger's container named as the attempt's was removed")
	}
}

// firstUpdate is the first update of attempt id, waited for.
func firstUpdate(t *testing.T, r *recorder, id string) engine.Update {
	t.Helper()
	deadline := time.After(proctest.WaitTimeout(t))
	for {
		if us := r.of(id); len(us) > 0 {
			return us[0]
		}
		select {
		case <-r.changed:
		case <-deadline:
			t.Fatalf("attempt %s: no update", id)
		}
	}
}
