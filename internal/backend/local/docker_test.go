package local

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/api/types/filters"
	"github.com/docker/docker/client"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// inContainer is an attempt of a block with :dockerize t :image the test image.
func inContainer(script string, mod func(*plan.Task)) *engine.Attempt {
	return attempt(script, func(task *plan.Task) {
		task.Container = &plan.Container{Image: outside.TestImage, Kind: "docker", Network: "host"}
		if mod != nil {
			mod(task)
		}
	})
}

// containersOf lists the containers a backend's data directory owns.
func containersOf(t *testing.T, cli *client.Client, b *Backend) []container.Summary {
	t.Helper()
	list, err := cli.ContainerList(context.Background(), container.ListOptions{All: true,
		Filters: filters.NewArgs(filters.Arg("label", labelData+"="+b.cfg.DataDir))})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func stdout(t *testing.T, b *Backend, id string) string {
	t.Helper()
	out, _, err := b.ReadLog(context.Background(), id, "stdout", 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestContainerRunsTheBlock(t *testing.T) {
	cli := outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	a := inContainer(`echo "$GREETING from $(pwd) as $(id -u)"; echo oops >&2; ls /bin/busybox; echo value > "$BORGES_VALUE_FILE"`, nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID, engine.Running); !strings.Contains(u.Message, containerName(a.ID)) {
		t.Fatalf("running: %+v", u)
	}
	u := r.wait(t, a.ID)
	if u.State != engine.Finished || u.ExitCode == nil || *u.ExitCode != 0 {
		errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 1000)
		t.Fatalf("update = %+v, stderr %q", u, errOut)
	}
	// The program ran in the image (its busybox), in the sandbox, and its
	// output, error output and value came back through the attempt's files.
	if got, want := stdout(t, b, a.ID), "hi from "+SandboxPath+" as 0\n/bin/busybox\n"; got != want {
		t.Fatalf("stdout = %q, want %q", got, want)
	}
	if errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 100); string(errOut) != "oops\n" {
		t.Fatalf("stderr = %q", errOut)
	}
	if v, _, _ := b.ReadLog(context.Background(), a.ID, "value", 0, 100); string(v) != "value\n" {
		t.Fatalf("value = %q", v)
	}
	if left := containersOf(t, cli, b); len(left) != 0 {
		t.Fatalf("containers left behind: %d", len(left))
	}
}

func TestContainerExitStatusAndDir(t *testing.T) {
	outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	a := inContainer("pwd; exit 3", func(task *plan.Task) { task.Dir = "work" })
	b.Launch(context.Background(), a)
	u := r.wait(t, a.ID)
	if u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 3 || u.Message != "exit status 3" {
		t.Fatalf("update = %+v", u)
	}
	if got := stdout(t, b, a.ID); got != SandboxPath+"/work\n" {
		t.Fatalf("ran in %q", got)
	}
	missing := inContainer("true", func(task *plan.Task) { task.Interpreter = []string{"python3"} })
	b.Launch(context.Background(), missing)
	if u := r.wait(t, missing.ID); u.State != engine.Failed || u.Message != "exit status 127: the image "+outside.TestImage+" has no python3" {
		t.Fatalf("interpreter missing from the image: %+v", u)
	}
}

func TestContainerKillAndTimeout(t *testing.T) {
	cli := outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	long := inContainer("echo started; sleep 300", nil)
	b.Launch(context.Background(), long)
	r.wait(t, long.ID, engine.Running)
	// Running means started, not that the program has printed yet.
	until(t, "the container prints", func() bool { return stdout(t, b, long.ID) != "" })
	start := time.Now()
	b.Kill(context.Background(), long.ID)
	if u := r.wait(t, long.ID); u.State != engine.Killed {
		t.Fatalf("killed: %+v", u)
	}
	// The engine's init passes SIGTERM on: no wait for the SIGKILL.
	if d := time.Since(start); d > 30*time.Second {
		t.Fatalf("kill took %v", d)
	}
	if got := stdout(t, b, long.ID); got != "started\n" {
		t.Fatalf("stdout = %q", got)
	}
	slow := inContainer("sleep 300", func(task *plan.Task) { task.Timeout = 500 * time.Millisecond })
	b.Launch(context.Background(), slow)
	// Its flag says the :timeout ended it: the container's exit code
	// (137 or 143, its kill's) is then not the program's, no failure
	// that stops the document (exitedNonZero).
	if u := r.wait(t, slow.ID); u.State != engine.Failed || !strings.Contains(u.Message, "timed out") || !u.TimedOut {
		t.Fatalf("timeout: %+v", u)
	}
	if left := containersOf(t, cli, b); len(left) != 0 {
		t.Fatalf("containers left behind: %d", len(left))
	}
}

func TestContainerLimits(t *testing.T) {
	outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	// The limits as the container's own cgroup shows them (v2, or v1).
	a := inContainer(`cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes
cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo "$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"`,
		func(task *plan.Task) { task.Resources = plan.Resources{CPUs: 0.25, CPULimit: 0.5, MemMB: 48} })
	b.Launch(context.Background(), a)
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	if got, want := stdout(t, b, a.ID), strconv.Itoa(48<<20)+"\n50000 100000\n"; got != want {
		t.Fatalf("limits seen inside: %q, want %q", got, want)
	}
	hog := inContainer(`x=$(head -c 300000000 /dev/zero | tr '\0' a); echo survived ${#x}`,
		func(task *plan.Task) { task.Resources.MemMB = 32 })
	b.Launch(context.Background(), hog)
	if u := r.wait(t, hog.ID); u.State != engine.Failed || !strings.Contains(u.Message, "out of memory") {
		t.Fatalf("hog: %+v", u)
	}
}

func TestContainerPorts(t *testing.T) {
	outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	// On the host network the program's port is the host's.
	a := inContainer(`echo "$PORT0 $PORT1 $PORTS"; nc -l -p "$PORT0" > got`, func(task *plan.Task) { task.Resources.Ports = 2 })
	b.Launch(context.Background(), a)
	r.wait(t, a.ID, engine.Running)
	var line string
	deadline := time.Now().Add(30 * time.Second)
	for line == "" && time.Now().Before(deadline) {
		line = stdout(t, b, a.ID)
		time.Sleep(50 * time.Millisecond)
	}
	f := strings.Fields(line)
	if len(f) != 3 || f[2] != f[0]+","+f[1] || f[0] == f[1] {
		t.Fatalf("ports = %q", line)
	}
	var conn net.Conn
	var err error
	for time.Now().Before(deadline) {
		if conn, err = net.Dial("tcp", "127.0.0.1:"+f[0]); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("the container's port is not reachable: %v", err)
	}
	conn.Write([]byte("hello\n"))
	conn.Close()
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	if got, _ := os.ReadFile(filepath.Join(b.SandboxDir(a.ID), "got")); string(got) != "hello\n" {
		t.Fatalf("received %q", got)
	}
}

func TestContainerMissingImage(t *testing.T) {
	outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	a := inContainer("true", func(task *plan.Task) { task.Container.Image = "borges-test/no-such-image:0" })
	b.Launch(context.Background(), a)
	if u := r.wait(t, a.ID); u.State != engine.Failed || !strings.Contains(u.Message, "borges-test/no-such-image:0 is not on this machine and could not be pulled") {
		t.Fatalf("update = %+v", u)
	}
}

// A restarted server re-attaches to a running container, reports the exit
// of one that ended while it was down, and a missing one as lost.
func TestContainerRecover(t *testing.T) {
	cli := outside.Docker(t)
	dir := t.TempDir()
	first, r1 := newBackend(t, dir)
	long := inContainer("echo one; sleep 300", nil)
	quick := inContainer("sleep 1; echo done; exit 4", nil)
	first.Launch(context.Background(), long)
	first.Launch(context.Background(), quick)
	r1.wait(t, long.ID, engine.Running)
	r1.wait(t, quick.ID, engine.Running)
	// The first server stops: its containers go on.
	r1.stop()
	time.Sleep(2 * time.Second)
	vanished := inContainer("true", nil)

	second, r2 := newBackend(t, dir)
	if err := second.Recover(context.Background(), []*engine.Attempt{long, quick, vanished}); err != nil {
		t.Fatal(err)
	}
	wantRecovered(t, second, r2, long, quick, vanished)
	if got := stdout(t, second, quick.ID); got != "done\n" {
		t.Fatalf("quick's output after recovery: %q", got)
	}
	if got := stdout(t, second, long.ID); got != "one\n" {
		t.Fatalf("long's output after recovery: %q", got)
	}
	if left := containersOf(t, cli, second); len(left) != 0 {
		t.Fatalf("containers left behind: %d", len(left))
	}
}

func TestNoDockerEngine(t *testing.T) {
	t.Setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
	b, _ := newBackend(t, t.TempDir())
	why := b.Limits().NoContainers
	if !strings.Contains(why, "Docker engine does not answer") {
		t.Fatalf("NoContainers = %q", why)
	}
	a := inContainer("true", nil)
	if err := b.Launch(context.Background(), a); err == nil || !strings.Contains(err.Error(), "Docker engine") {
		t.Fatalf("launch without an engine: %v", err)
	}
}

// fakeEngine answers as a Docker engine whose registry is slow: the image
// is absent and its pull never ends. It counts the pulls asked for, and
// those still open.
func fakeEngine(t *testing.T) (pulls func() (asked, open int)) {
	var mu sync.Mutex
	n, open := 0, 0
	fakeDockerHost(t, func(path string, w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.HasPrefix(path, "/images/") && strings.HasSuffix(path, "/json"):
			w.WriteHeader(http.StatusNotFound)
			w.Write([]byte(`{"message":"No such image"}`))
		case path == "/images/create":
			mu.Lock()
			n++
			open++
			mu.Unlock()
			w.WriteHeader(http.StatusOK)
			w.(http.Flusher).Flush()
			<-r.Context().Done()
			mu.Lock()
			open--
			mu.Unlock()
		default:
			http.Error(w, `{"message":"unexpected"}`, http.StatusInternalServerError)
		}
	})
	return func() (int, int) {
		mu.Lock()
		defer mu.Unlock()
		return n, open
	}
}

// fakeDockerHost points DOCKER_HOST, for the test, at a loopback server
// speaking as a Docker engine: it answers the client's ping itself, and
// gives serve every other request with its path stripped of the API
// version ("/info", "/images/create").
func fakeDockerHost(t *testing.T, serve func(path string, w http.ResponseWriter, r *http.Request)) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path := r.URL.Path
		if i := strings.Index(path[1:], "/"); strings.HasPrefix(path, "/v1.") && i > 0 {
			path = path[i+1:]
		}
		if path == "/_ping" {
			w.Header().Set("Api-Version", "1.47")
			w.Write([]byte("OK"))
			return
		}
		serve(path, w, r)
	}))
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})
	t.Setenv("DOCKER_HOST", "tcp://"+srv.Listener.Addr().String())
}

// Launches of one absent image share one pull; a kill does not wait for
// it to end, and once no launch waits for it, it is given up.
func TestContainerPullSharedAndKillable(t *testing.T) {
	pulls := fakeEngine(t)
	b, r := newBackend(t, t.TempDir())
	one := inContainer("true", func(task *plan.Task) { task.Container.Image = "slow/image:1" })
	two := inContainer("true", func(task *plan.Task) { task.Container.Image = "slow/image:1" })
	for _, a := range []*engine.Attempt{one, two} {
		if err := b.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
	}
	// Both launches wait for the pull (the second joins the first's after
	// its own look for the image): only then does killing one prove the
	// pull is kept for the other.
	// The pull's request reaches the fake engine after its waiters are
	// counted: wait for both.
	deadline := time.Now().Add(time.Minute)
	for n, _ := pulls(); (pullWaiters(b) < 2 || n < 1) && time.Now().Before(deadline); n, _ = pulls() {
		time.Sleep(10 * time.Millisecond)
	}
	if w := pullWaiters(b); w != 2 {
		t.Fatalf("%d launches wait for the pull, want 2", w)
	}
	if n, _ := pulls(); n != 1 {
		t.Fatalf("%d pulls of one image", n)
	}
	b.Kill(context.Background(), one.ID)
	if u := r.wait(t, one.ID); u.State != engine.Killed {
		t.Fatalf("killed while pulling: %+v", u)
	}
	if _, open := pulls(); open != 1 {
		t.Fatal("the pull was given up while a launch still waits for it")
	}
	b.Kill(context.Background(), two.ID)
	if u := r.wait(t, two.ID); u.State != engine.Killed {
		t.Fatalf("killed while pulling: %+v", u)
	}
	for _, open := pulls(); open > 0 && time.Now().Before(deadline); _, open = pulls() {
		time.Sleep(10 * time.Millisecond)
	}
	if _, open := pulls(); open != 0 {
		t.Fatal("the pull goes on with nobody waiting for it")
	}
}

// pullWaiters is how many launches wait for an image pull of b's.
func pullWaiters(b *Backend) int {
	b.docker.pullMu.Lock()
	defer b.docker.pullMu.Unlock()
	n := 0
	for _, p := range b.docker.pulls {
		n += p.waiters
	}
	return n
}

// TestContainerCPURequestAndLimit inspects running containers: :cpu is
// their share of the CPUs, a quota only under :cpu-limit; :pids bounds
// their processes.
func TestContainerCPURequestAndLimit(t *testing.T) {
	cli := outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	for _, c := range []struct {
		name              string
		res               plan.Resources
		shares, nano, pid int64
	}{
		{"request", plan.Resources{CPUs: 0.5, MemMB: 32}, 512, 0, 4096},
		{"limit", plan.Resources{CPUs: 0.5, CPULimit: 1.5, MemMB: 32, Pids: 50}, 512, 1500000000, 50},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := inContainer("sleep 300", func(task *plan.Task) { task.Resources = c.res })
			if err := b.Launch(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Kill(context.Background(), a.ID); r.wait(t, a.ID) })
			r.wait(t, a.ID, engine.Running)
			info, err := cli.ContainerInspect(context.Background(), containerName(a.ID))
			if err != nil {
				t.Fatal(err)
			}
			h := info.HostConfig
			if h.CPUShares != c.shares || h.NanoCPUs != c.nano || h.PidsLimit == nil || *h.PidsLimit != c.pid {
				t.Fatalf("CPUShares %d NanoCPUs %d PidsLimit %v, want %d %d %d", h.CPUShares, h.NanoCPUs, h.PidsLimit, c.shares, c.nano, c.pid)
			}
		})
	}
}

// TestContainerKillKillsEverything: processes a dockerized block leaves
// outside its process group die with its container.
func TestContainerKillKillsEverything(t *testing.T) {
	outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	m := proctest.Marker(t)
	a := inContainer(proctest.Escapes(m, "sleep 300"), nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID, engine.Running)
	proctest.WaitMarked(t, m, 3)
	b.Kill(context.Background(), a.ID)
	if u := r.wait(t, a.ID); u.State != engine.Killed {
		t.Fatalf("update = %+v", u)
	}
	// The engine reports the container ended once its processes have.
	if left := proctest.WithMarker(m); len(left) > 0 {
		t.Fatalf("processes %v outlived their container", left)
	}
}
