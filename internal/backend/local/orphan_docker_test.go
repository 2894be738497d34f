package local

import (
	"context"
	"testing"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/docker/docker/api/types/container"

	"github.com/wallyqs/borges/internal/outside"
)

// A container that a server before labelled with DATA as configured
// (through a link: it did not resolve it), whose attempt has ended, is
// an orphan to the server that resolves it: removed at the start.
func TestRecoverRemovesAnOrphanLabelledWithDataAsConfigured(t *testing.T) {
	cli := outside.Docker(t)
	_, link := dataThroughLink(t)
	b, _ := newBackend(t, link)
	orphan := inContainer("", nil)
	ctx := context.Background()
	created, err := cli.ContainerCreate(ctx, &container.Config{Image: outside.TestImage, Entrypoint: []string{"true"},
		Labels: map[string]string{labelAttempt: orphan.ID, labelData: link}}, nil, nil, nil, containerName(orphan.ID))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true}) })
	// Its id kept in its attempt's directory, as the server that made
	// it kept it (recordContainer).
	if err := b.makeAttemptDirs(orphan.ID); err != nil {
		t.Fatal(err)
	}
	if err := b.recordContainer(orphan.ID, created.ID); err != nil {
		t.Fatal(err)
	}
	if err := b.Recover(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.ContainerInspect(ctx, created.ID); !cerrdefs.IsNotFound(err) {
		t.Errorf("the orphan container labelled %s=%s is still there (%v)", labelData, link, err)
	}
}
