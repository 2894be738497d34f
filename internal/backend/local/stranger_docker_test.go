package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
)

// strangerContainer creates, as another user of the engine would, a
// container that copies the labels Borges gives its own (this server's
// DATA, an attempt id), named name, run to its end if ran; removed when
// the test ends.
func strangerContainer(t *testing.T, cli *client.Client, b *Backend, id, name string, ran bool) string {
	t.Helper()
	ctx := context.Background()
	created, err := cli.ContainerCreate(ctx, &container.Config{Image: outside.TestImage, Entrypoint: []string{"true"},
		Labels: map[string]string{labelAttempt: id, labelData: b.cfg.DataDir}}, nil, nil, nil, name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true}) })
	if ran {
		if err := cli.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
			t.Fatal(err)
		}
		waitC, errC := cli.ContainerWait(ctx, created.ID, container.WaitConditionNotRunning)
		select {
		case <-waitC:
		case err := <-errC:
			t.Fatal(err)
		}
	}
	return created.ID
}

// A container that merely copies this server's labels is not taken for
// one of its own: a start removes the orphans it made (their ids kept in
// their attempts' directories), never a stranger's.
func TestRecoverLeavesAStrangersContainerWithOurLabels(t *testing.T) {
	cli := outside.Docker(t)
	b, _ := newBackend(t, t.TempDir())
	stranger := strangerContainer(t, cli, b, "not-ours-1", "", false)
	if err := b.Recover(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.ContainerInspect(context.Background(), stranger); err != nil {
		t.Errorf("a stranger's container carrying this server's labels was removed as an orphan (%v)", err)
	}
}

// DATA/attempts replaced by a link once the server runs: a container
// attempt is refused before anything of it is made, neither where the
// link leads (the engine would mount that) nor in the directory the
// server opened at its start (the path no longer names it).
func TestContainerHeldAttemptsRoot(t *testing.T) {
	outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	attempts := filepath.Join(b.cfg.DataDir, "attempts")
	away, untouched := outsideDir(t)
	if err := os.Rename(attempts, attempts+".moved"); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(away, attempts); err != nil {
		t.Fatal(err)
	}
	a := inContainer("echo hi; echo x > made", func(task *plan.Task) {})
	a.Files = []engine.StagedFile{{Path: "in/put.txt", Data: []byte("data"), Mode: 0o644}}
	if err := b.Launch(context.Background(), a); err == nil {
		t.Errorf("launched with DATA/attempts replaced by a link (update %+v)", r.wait(t, a.ID))
	} else if !strings.Contains(err.Error(), "restart the server") {
		t.Errorf("launch refused with %v, want it to say DATA/attempts was replaced", err)
	}
	untouched(t)
}
