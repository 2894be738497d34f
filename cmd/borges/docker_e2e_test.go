package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
)

// The original README's redis example as written, :dockerize and all, on
// this machine's Docker engine. No registry is reachable here, so the
// images are the test image, and the redis server a few lines of busybox
// that answer SET and GET on the port (a free one rather than 6379).
const redisDockerized = `#+name: redis-server
#+header: :cpu 1 :mem 128 :dockerize t :image IMAGE
#+BEGIN_SRC sh
cat > /tmp/handle <<'END'
read cmd key val
case "$cmd" in
SET) echo "$val" > "/tmp/$key"; echo +OK ;;
GET) cat "/tmp/$key" 2>/dev/null || echo '(nil)' ;;
esac
END
nc -ll -p PORT -e sh /tmp/handle
#+END_SRC

#+name: set-something-in-redis
#+header: :cpu 1 :mem 128
#+BEGIN_SRC sh
while true; do 
  echo "SET timestamp ` + "`date \\\"+%s\\\"`" + `" | nc 127.0.0.1 PORT
  sleep 1
done
#+END_SRC

#+name: get-something-from-redis
#+header: :cpu 1 :mem 128 :dockerize t :image IMAGE
#+BEGIN_SRC sh
while true; do 
  echo "Current value in Redis:"
  echo "GET timestamp" | nc 127.0.0.1 PORT
  sleep 1
done
#+END_SRC
`

func TestReadmeRedisDockerized(t *testing.T) {
	cli := outside.Docker(t)
	// The block that is not dockerized runs nc on this machine.
	bin := t.TempDir()
	if err := os.Symlink("/bin/busybox", filepath.Join(bin, "nc")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+":"+os.Getenv("PATH"))
	data := t.TempDir()
	// Three blocks of :cpu 1 on a machine of two CPUs: the capacity is
	// configured, as a user of a small machine would.
	s := startServer(t, data, "-cpus", "4")
	doc := strings.NewReplacer("IMAGE", outside.TestImage, "PORT", fmt.Sprint(freePort(t))).Replace(redisDockerized)
	// As the README sends it: curl --data-binary, a form content type.
	code, body := s.post(doc, "application/x-www-form-urlencoded", "")
	if code != 201 {
		t.Fatalf("POST: %d %s", code, body)
	}
	id := strings.Fields(body)[0]
	value := regexp.MustCompile(`Current value in Redis:\n[0-9]{10}\n`)
	until(t, "the dockerized reader sees what the host writer set", func() bool {
		_, log := s.get("/org/" + id + "/blocks/get-something-from-redis/log")
		return value.MatchString(log)
	})
	d := s.doc(id)
	for _, b := range d.Blocks {
		if b.State != engine.Running {
			t.Fatalf("%s: %+v", b.Name, b)
		}
	}
	mine := filters.NewArgs(filters.Arg("label", "borges.data="+data))
	list, err := cli.ContainerList(context.Background(), container.ListOptions{Filters: mine})
	if err != nil || len(list) != 2 {
		t.Fatalf("running containers: %d (%v)", len(list), err)
	}
	// The reader's output so far follows the status line: ": " lines, or an
	// example block once it has ten lines or more.
	_, result := s.get("/org/" + id)
	if !regexp.MustCompile(`#\+RESULTS: get-something-from-redis\n(: |#\+begin_example\n)borges: running since`).MatchString(result) {
		t.Fatalf("results document:\n%s", result)
	}
	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+id, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	until(t, "all are killed", func() bool { return s.doc(id).State == engine.Killed })
	until(t, "the containers are removed", func() bool {
		list, err := cli.ContainerList(context.Background(), container.ListOptions{All: true, Filters: mine})
		return err == nil && len(list) == 0
	})
}

// A server that cannot reach a Docker engine refuses :dockerize at once,
// naming the line and the header arg, and schedules nothing.
func TestDockerizeWithoutEngine(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	s := startServer(t, t.TempDir())
	doc := "#+name: ok\n#+begin_src sh\ntrue\n#+end_src\n\n#+name: boxed\n#+begin_src sh :dockerize t :image redis\nredis-server\n#+end_src\n"
	code, body := s.post(doc, "text/org", "application/json")
	if code != 400 || !strings.Contains(body, `"arg": ":dockerize"`) || !strings.Contains(body, `"line": 6`) ||
		!strings.Contains(body, "this server cannot run containers: the Docker engine does not answer") {
		t.Fatalf("%d %s", code, body)
	}
	if _, list := s.get("/org"); strings.Contains(list, "boxed") {
		t.Fatalf("a rejected document was kept: %s", list)
	}
}

// The same example through the Mesos backend: Borges → fake master → an
// agent with the Docker containerizer, which runs the two dockerized
// blocks in containers of this machine's engine and the third as a
// process; their output comes back through the agent's files API.
func TestMesosRedisDockerized(t *testing.T) {
	outside.Docker(t)
	bin := t.TempDir()
	if err := os.Symlink("/bin/busybox", filepath.Join(bin, "nc")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+":"+os.Getenv("PATH"))
	s, _ := startMesosServer(t, mesostest.AgentSpec{CPUs: 4, MemMB: 2812, Docker: true})
	doc := strings.NewReplacer("IMAGE", outside.TestImage, "PORT", fmt.Sprint(freePort(t))).Replace(redisDockerized)
	v := s.submit(doc)
	value := regexp.MustCompile(`Current value in Redis:\n[0-9]{10}\n`)
	until(t, "the dockerized reader sees what the writer set", func() bool {
		_, log := s.get("/org/" + v.ID + "/blocks/get-something-from-redis/log")
		return value.MatchString(log)
	})
	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+v.ID, nil)
	http.DefaultClient.Do(req)
	until(t, "all are killed", func() bool { return s.doc(v.ID).State == engine.Killed })

	// An agent without the Docker containerizer cannot launch them: the
	// block fails with the agent's reason.
	s2, _ := startMesosServer(t, mesostest.AgentSpec{CPUs: 4, MemMB: 2812})
	boxed := s2.submit("#+name: boxed\n#+begin_src sh :dockerize t :image " + outside.TestImage + "\necho hi\n#+end_src\n")
	until(t, "the dockerized block fails", func() bool { return blockOf(s2.doc(boxed.ID), "boxed").State == engine.Failed })
	if b := blockOf(s2.doc(boxed.ID), "boxed"); !strings.Contains(b.Instances[0].Message, "Failed to launch container") {
		t.Fatalf("failure: %+v", b)
	}
}

// TestContainerCrash: Borges is killed with SIGKILL while a container runs
// one block and another ends; restarted, it re-attaches to the first (not
// run again, its output whole) and reads the second's exit status.
func TestContainerCrash(t *testing.T) {
	t.Parallel()
	cli := outside.Docker(t)
	data := t.TempDir()
	s := startServer(t, data)
	img := outside.TestImage
	// Each block waits for a file the test writes in its sandbox: ends
	// ends while Borges is away, long once it is back (sleeps would let
	// them end before both are seen running on a loaded machine).
	long := s.submit("#+name: long\n#+begin_src sh :dockerize t :image " + img + "\necho start\n" + waitForGo + "echo end\n#+end_src\n")
	ends := s.submit("#+name: ends\n#+begin_src sh :dockerize t :image " + img + " :results output\n" + waitForGo + "echo done; exit 3\n#+end_src\n")
	until(t, "both run", func() bool {
		return blockOf(s.doc(long.ID), "long").State == engine.Running && blockOf(s.doc(ends.ID), "ends").State == engine.Running
	})
	release := func(attempt string) {
		t.Helper()
		// A container's sandbox is in its attempt's directory.
		if err := os.WriteFile(filepath.Join(data, "attempts", attempt, "sandbox", "go"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	longAttempt := blockOf(s.doc(long.ID), "long").Instances[0].AttemptID
	endsAttempt := blockOf(s.doc(ends.ID), "ends").Instances[0].AttemptID
	s.kill9()
	release(endsAttempt)
	until(t, "ends' container exits while Borges is away", func() bool {
		list, err := cli.ContainerList(context.Background(), container.ListOptions{All: true,
			Filters: filters.NewArgs(filters.Arg("label", "borges.data="+data), filters.Arg("status", "exited"))})
		return err == nil && len(list) == 1
	})
	s2 := startServer(t, data)
	release(longAttempt)
	until(t, "the long block finishes in its original container", func() bool {
		return blockOf(s2.doc(long.ID), "long").State == engine.Finished
	})
	if b := blockOf(s2.doc(long.ID), "long"); b.Instances[0].Attempts != 1 {
		t.Fatalf("long was run again instead of re-attached: %+v", b.Instances[0])
	}
	if _, log := s2.get("/org/" + long.ID + "/blocks/long/log"); log != "start\nend\n" {
		t.Fatalf("long log %q", log)
	}
	until(t, "the other's exit is known", func() bool { return blockOf(s2.doc(ends.ID), "ends").State == engine.Failed })
	if b := blockOf(s2.doc(ends.ID), "ends"); b.Instances[0].ExitCode == nil || *b.Instances[0].ExitCode != 3 {
		t.Fatalf("ends: %+v", b.Instances[0])
	}
	until(t, "no container is left", func() bool {
		list, err := cli.ContainerList(context.Background(), container.ListOptions{All: true,
			Filters: filters.NewArgs(filters.Arg("label", "borges.data="+data))})
		return err == nil && len(list) == 0
	})
}

// A :dockerize block's last output with no newline after it is in its
// results, as Emacs writes them (the engine's followed log drops it).
func TestContainerOutputWithoutFinalNewline(t *testing.T) {
	t.Parallel()
	outside.Docker(t)
	s := startServer(t, t.TempDir())
	img := outside.TestImage
	v := s.submit("#+name: x\n#+begin_src sh :dockerize t :image " + img + " :results output\nprintf x\n#+end_src\n\n" +
		"#+name: ab\n#+begin_src sh :dockerize t :image " + img + " :results output\nprintf 'a\\nb'\n#+end_src\n")
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	_, res := s.get("/org/" + v.ID)
	if !strings.Contains(res, "#+RESULTS: x\n: x\n") || !strings.Contains(res, "#+RESULTS: ab\n: a\n: b\n") {
		t.Fatalf("results:\n%s", res)
	}
}
