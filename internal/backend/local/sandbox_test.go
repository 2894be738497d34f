package local

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
)

// A container's program, not root, plants symbolic links to a host file
// in its sandbox; Borges, root on the host, must neither serve that file
// nor write to it. The "host file" is one the test makes.

// hostSecret is a file of the host the container must not reach.
func hostSecret(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte("host secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func untouched(t *testing.T, secret string) {
	t.Helper()
	if got, err := os.ReadFile(secret); err != nil || string(got) != "host secret\n" {
		t.Fatalf("the host file was changed: %q, %v", got, err)
	}
}

// asNobody is an attempt in the image whose user is nobody.
func asNobody(script string, mod func(*plan.Task)) *engine.Attempt {
	return inContainer(script, func(task *plan.Task) {
		task.Container.Image = outside.TestImageNobody
		if mod != nil {
			mod(task)
		}
	})
}

func TestContainerLinksToTheHost(t *testing.T) {
	outside.Docker(t)
	secret := hostSecret(t)
	b, r := newBackend(t, t.TempDir())
	// The files route (leak), a :results file target (plot.txt), the
	// value, and the outputs replaced by links.
	a := asNobody(`id -u
ln -s `+secret+` leak
mkdir d && ln -s `+secret+` d/plot.txt
ln -s `+filepath.Dir(secret)+` dir
ln -s `+secret+` "$BORGES_VALUE_FILE"
for f in stdout stderr script exit; do rm -f $f; ln -s `+secret+` $f; done
mkfifo fifo
echo written > mine
echo printed`, nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 1000)
		t.Fatalf("update = %+v, stderr %q", u, errOut)
	}
	if got := stdout(t, b, a.ID); got != "65534\nprinted\n" {
		t.Fatalf("stdout = %q", got)
	}
	for _, name := range []string{"leak", "d/plot.txt", "dir/secret", "value", "stdout", "stderr", "fifo"} {
		read := make(chan string, 1)
		go func() {
			data, _, err := b.ReadLog(context.Background(), a.ID, name, 0, 1000)
			read <- fmt.Sprintf("%q (%v)", data, err)
		}()
		select {
		case got := <-read:
			if strings.Contains(got, "host secret") {
				t.Errorf("%s served the host file: %s", name, got)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("reading %s blocks", name)
		}
	}
	// What the program wrote itself is served.
	if data, _, err := b.ReadLog(context.Background(), a.ID, "mine", 0, 1000); err != nil || string(data) != "written\n" {
		t.Fatalf("mine = %q, %v", data, err)
	}
	untouched(t, secret)
	st, err := os.Stat(b.SandboxDir(a.ID))
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm()&0o002 != 0 {
		t.Fatalf("the sandbox is world-writable: %v", st.Mode())
	}
}

// A relative :dir is made in the sandbox for the container's user.
func TestContainerDirAsNobody(t *testing.T) {
	outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	a := asNobody("pwd; echo hi > f", func(task *plan.Task) { task.Dir = "work/deep" })
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 1000)
		t.Fatalf("update = %+v, stderr %q", u, errOut)
	}
	if got := stdout(t, b, a.ID); got != SandboxPath+"/work/deep\n" {
		t.Fatalf("ran in %q", got)
	}
	if data, _, err := b.ReadLog(context.Background(), a.ID, "work/deep/f", 0, 100); err != nil || string(data) != "hi\n" {
		t.Fatalf("work/deep/f = %q, %v", data, err)
	}
}

// TestContainerLinksAcrossARestart: the program replaces its output files
// with links to a host file while Borges is down; the restarted Borges
// copies the container's output again and must not write through them.
func TestContainerLinksAcrossARestart(t *testing.T) {
	outside.Docker(t)
	secret := hostSecret(t)
	data := t.TempDir()
	b1, r1 := newBackend(t, data)
	a := asNobody(`echo before
for f in stdout stderr; do rm -f $f; ln -s `+secret+` $f; done
touch linked
i=0; while [ ! -e go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done
echo after`, nil)
	removeAtEnd(t, a.ID)
	if err := b1.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r1.wait(t, a.ID, engine.Running)
	until(t, "the links are made", func() bool {
		_, err := os.Stat(filepath.Join(b1.SandboxDir(a.ID), "linked"))
		return err == nil
	})
	r1.stop()
	b2, r2 := newBackend(t, data)
	if err := b2.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(b2.SandboxDir(a.ID), "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	untouched(t, secret)
	if got := stdout(t, b2, a.ID); got != "before\nafter\n" {
		t.Fatalf("stdout = %q", got)
	}
}

// TestOldLayoutLinksAcrossARestart: an attempt started by a Borges of
// before the sandbox had its own directory (the attempt's directory
// mounted whole); its stdout is a link to a host file. The restarted
// Borges neither writes through it nor serves it.
func TestOldLayoutLinksAcrossARestart(t *testing.T) {
	cli := outside.Docker(t)
	secret := hostSecret(t)
	b, r := newBackend(t, t.TempDir())
	a := inContainer("", nil)
	dir := b.AttemptDir(a.ID)
	if err := os.MkdirAll(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"stdout", "stderr"} {
		if err := os.Symlink(secret, filepath.Join(dir, f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "value"), []byte("old value\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	created, err := cli.ContainerCreate(ctx, &container.Config{Image: outside.TestImage, Entrypoint: []string{"sh", "-c", "echo old; sleep 1"},
		Labels: map[string]string{labelAttempt: a.ID, labelData: b.cfg.DataDir}},
		&container.HostConfig{Binds: []string{dir + ":" + SandboxPath}}, nil, nil, containerName(a.ID))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cli.ContainerRemove(context.Background(), created.ID, container.RemoveOptions{Force: true}) })
	if err := cli.ContainerStart(ctx, created.ID, container.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := b.Recover(ctx, []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID)
	untouched(t, secret)
	for _, name := range []string{"stdout", "stderr"} {
		if data, _, _ := b.ReadLog(ctx, a.ID, name, 0, 1000); strings.Contains(string(data), "host secret") {
			t.Fatalf("%s served the host file", name)
		}
	}
	// The old layout's sandbox files are still found.
	if data, _, err := b.ReadLog(ctx, a.ID, "value", 0, 1000); err != nil || string(data) != "old value\n" {
		t.Fatalf("value = %q, %v", data, err)
	}
}

func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 600; i++ {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting until %s", what)
}

// removeAtEnd removes an attempt's container when the test ends, however
// it ends.
func removeAtEnd(t *testing.T, id string) {
	cli := outside.Docker(t)
	t.Cleanup(func() {
		cli.ContainerRemove(context.Background(), containerName(id), container.RemoveOptions{Force: true})
	})
}
