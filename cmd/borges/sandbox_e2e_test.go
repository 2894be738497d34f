package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
)

// A container whose program does not run as root plants links to a host
// file in its sandbox: Borges, root on the host, serves none of it through
// the files route, the log route or the results, and writes nothing
// through them, even across a restart. The "host file" is the test's own.

func hostSecret(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte("host secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// removeContainersAtEnd removes the containers of a data directory when
// the test ends, however it ends.
func removeContainersAtEnd(t *testing.T, data string) {
	cli := outside.Docker(t)
	t.Cleanup(func() {
		ctx := context.Background()
		list, _ := cli.ContainerList(ctx, container.ListOptions{All: true, Filters: filters.NewArgs(filters.Arg("label", "borges.data="+data))})
		for _, c := range list {
			cli.ContainerRemove(ctx, c.ID, container.RemoveOptions{Force: true})
		}
	})
}

func TestContainerLinksThroughTheAPI(t *testing.T) {
	t.Parallel()
	outside.Docker(t)
	secret := hostSecret(t)
	data := t.TempDir()
	removeContainersAtEnd(t, data)
	s := startServer(t, data)
	v := s.submit("#+name: plot\n#+begin_src sh :dockerize t :image " + outside.TestImageNobody + " :results file graphics :file plot.svg\n" +
		"ln -s " + secret + " plot.svg\nln -s " + secret + " leak\n" +
		"for f in stdout stderr; do rm -f $f; ln -s " + secret + " $f; done\necho printed\n#+end_src\n")
	until(t, "finished", func() bool { return s.doc(v.ID).State.Terminal() })
	if st := s.doc(v.ID).State; st != engine.Finished {
		_, errLog := s.get("/org/" + v.ID + "/blocks/plot/log?stream=stderr")
		t.Fatalf("state %s, stderr %q", st, errLog)
	}
	for _, path := range []string{"/files/plot.svg", "/files/leak", "/files/stdout", "/blocks/plot/log", "/blocks/plot/log?stream=stderr", ""} {
		code, body := s.get("/org/" + v.ID + path)
		if strings.Contains(body, "host secret") {
			t.Errorf("GET /org/ID%s served the host file (%d)", path, code)
		}
	}
	if code, _ := s.get("/org/" + v.ID + "/files/plot.svg"); code != 404 {
		t.Errorf("a link as :file: %d, want 404", code)
	}
	if _, log := s.get("/org/" + v.ID + "/blocks/plot/log"); log != "printed\n" {
		t.Errorf("log %q", log)
	}
}

// TestContainerLinksAcrossARestartThroughTheAPI: Borges is killed while
// the container runs; the program has replaced its output files with
// links to a host file; the restarted Borges re-attaches and copies the
// container's output, leaving the host file as it was.
func TestContainerLinksAcrossARestartThroughTheAPI(t *testing.T) {
	t.Parallel()
	outside.Docker(t)
	secret := hostSecret(t)
	data := t.TempDir()
	removeContainersAtEnd(t, data)
	s := startServer(t, data)
	v := s.submit("#+name: long\n#+begin_src sh :dockerize t :image " + outside.TestImageNobody + "\n" +
		"echo before\nfor f in stdout stderr; do rm -f $f; ln -s " + secret + " $f; done\ntouch linked\n" +
		waitForGo + "echo after\n#+end_src\n")
	until(t, "running", func() bool { return blockOf(s.doc(v.ID), "long").State == engine.Running })
	sandbox := filepath.Join(data, "attempts", blockOf(s.doc(v.ID), "long").Instances[0].AttemptID, "sandbox")
	until(t, "the links are made", func() bool {
		_, err := os.Stat(filepath.Join(sandbox, "linked"))
		return err == nil
	})
	s.kill9()
	s2 := startServer(t, data)
	if err := os.WriteFile(filepath.Join(sandbox, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	until(t, "finished", func() bool { return s2.doc(v.ID).State.Terminal() })
	if got, _ := os.ReadFile(secret); string(got) != "host secret\n" {
		t.Fatalf("the host file was changed: %q", got)
	}
	if _, log := s2.get("/org/" + v.ID + "/blocks/long/log"); log != "before\nafter\n" {
		t.Fatalf("log %q", log)
	}
}
