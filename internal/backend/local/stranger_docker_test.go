package local

import (
	"context"
	"testing"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/client"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
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

// A container named as an attempt's (its own gone while the server was
// down) and labelled as ours, but not the one the server made, is not
// re-attached to: the attempt is lost, and the container left alone.
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
	if u := r.wait(t, a.ID); u.State != engine.Lost {
		t.Errorf("update = %+v, want the attempt lost (the container of its name is not the one made for it)", u)
	}
	if _, err := cli.ContainerInspect(context.Background(), stranger); cerrdefs.IsNotFound(err) {
		t.Errorf("a stranger's container named as the attempt's was removed")
	}
}
