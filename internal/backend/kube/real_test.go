package kube

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/wallyqs/borges/internal/backend/kube/realkube"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// updates collects a backend's updates.
type updates struct {
	mu   sync.Mutex
	all  []engine.Update
	wake chan struct{}
}

func newUpdates() *updates { return &updates{wake: make(chan struct{}, 1)} }

func (u *updates) sink(up engine.Update) {
	u.mu.Lock()
	u.all = append(u.all, up)
	u.mu.Unlock()
	select {
	case u.wake <- struct{}{}:
	default:
	}
}

// of lists the updates of one attempt.
func (u *updates) of(id string) []engine.Update {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []engine.Update
	for _, x := range u.all {
		if x.AttemptID == id {
			out = append(out, x)
		}
	}
	return out
}

// wait waits (bounded: a loaded machine starts pods slowly) until an
// update of id satisfies ok, and returns it.
func (u *updates) wait(t *testing.T, id, what string, ok func(engine.Update) bool) engine.Update {
	t.Helper()
	deadline := time.After(3 * time.Minute)
	for {
		for _, x := range u.of(id) {
			if ok(x) {
				return x
			}
		}
		select {
		case <-u.wake:
		case <-deadline:
			t.Fatalf("timed out waiting until %s %s; updates: %+v", id, what, u.of(id))
		}
	}
}

func (u *updates) ended(t *testing.T, id string) engine.Update {
	t.Helper()
	return u.wait(t, id, "ends", func(x engine.Update) bool { return x.State.Terminal() })
}

// newBackend starts a backend on the cluster, with a kept output directory.
func newBackend(t *testing.T, c *realkube.Cluster, owner, dir string) (*Backend, *updates, context.CancelFunc) {
	t.Helper()
	b, u, _, cancel := startBackend(t, Config{Client: c.Client(), RESTConfig: c.RESTConfig(), Namespace: "default",
		DefaultImage: realkube.TestImage, Owner: owner, OutputDir: dir})
	return b, u, cancel
}

// startBackend makes a backend of cfg and starts it, its updates
// collected; it is stopped at the test's end, or by the cancel returned.
func startBackend(t *testing.T, cfg Config) (*Backend, *updates, context.Context, context.CancelFunc) {
	t.Helper()
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	// Stopped, then its last writes into OutputDir waited for: a test's
	// TempDir removed under them is not empty.
	t.Cleanup(func() {
		cancel()
		if !b.Wait(time.Minute) {
			t.Error("the backend still writes its output a minute after it was stopped")
		}
	})
	u := newUpdates()
	if err := b.Start(ctx, u.sink); err != nil {
		t.Fatal(err)
	}
	return b, u, ctx, cancel
}

var attemptN int

// attempt is an attempt of a sh block.
func attempt(doc, block, script string, mod ...func(*plan.Task)) *engine.Attempt {
	attemptN++
	t := &plan.Task{Block: block, Lang: "sh", Interpreter: []string{"sh"}, Script: script,
		Resources: plan.Resources{CPUs: 0.1, MemMB: 64}}
	for _, m := range mod {
		m(t)
	}
	return &engine.Attempt{ID: fmt.Sprintf("%s.%d-%s.0.1", doc, attemptN, block), DocID: doc, Block: block, Number: 1,
		Task: t, Script: script, Env: map[string]string{"BORGES_BLOCK": block}}
}

func readAll(t *testing.T, b *Backend, id, stream string) string {
	t.Helper()
	data, _, err := b.ReadLog(context.Background(), id, stream, 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func podsOf(t *testing.T, c *realkube.Cluster, selector string) []corev1.Pod {
	t.Helper()
	list, err := c.Client().CoreV1().Pods("default").List(context.Background(), metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		t.Fatal(err)
	}
	return list.Items
}

// untilNoPods waits until no pod matches selector.
func untilNoPods(t *testing.T, c *realkube.Cluster, selector string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for len(podsOf(t, c, selector)) > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("pods %s still there: %v", selector, podsOf(t, c, selector))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// TestReal runs the backend against a real single-node cluster
// (realkube): skipped without its programs, failed then under
// BORGES_TEST_STRICT=1. One cluster, started once (its start is the
// longest part of each test, and one cluster runs at a time on the
// machine), serves the tests one after the other, each with a backend of
// its own owner and documents of their own names; the one that stops the
// node's kubelet runs last.
func TestReal(t *testing.T) {
	c := realkube.Start(t)
	t.Run("backend", func(t *testing.T) { c.In(t); testRealBackend(t, c) })
	t.Run("sessions", func(t *testing.T) { c.In(t); testRealSessions(t, c) })
	t.Run("node lost", func(t *testing.T) { c.In(t); testRealNodeLost(t, c) })
}

// testRealBackend: launches, output, recovery and deletion of pods.
func testRealBackend(t *testing.T, c *realkube.Cluster) {
	owner := "borges-test-a"
	dir := t.TempDir()
	b, u, stop := newBackend(t, c, owner, dir)
	if err := b.Recover(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	t.Run("streams", func(t *testing.T) {
		// stdout and stderr interleaved, a partial last line, a line
		// that looks like the end marker's start: each stream exact.
		a := attempt("docs", "out", `printf 'one\n'; printf 'err one\n' >&2; printf 'two <<bor'; printf 'err <<borges-end' >&2; printf '\ttab\n\nlast'`)
		if err := b.Launch(ctx, a); err != nil {
			t.Fatal(err)
		}
		// Labelled so that a document's pods are found.
		pods := podsOf(t, c, LabelDocument+"=docs")
		if len(pods) != 1 || pods[0].Labels[LabelBlock] != "out" || pods[0].Labels[LabelOwner] != owner ||
			pods[0].Labels[LabelAttempt] != "1" || pods[0].Labels[LabelInstance] != "0" {
			t.Fatalf("pods of the document: %+v", pods)
		}
		end := u.ended(t, a.ID)
		if end.State != engine.Finished || end.ExitCode == nil || *end.ExitCode != 0 || end.Host != realkube.NodeName {
			t.Fatalf("end %+v", end)
		}
		if got, want := readAll(t, b, a.ID, "stdout"), "one\ntwo <<bor\ttab\n\nlast"; got != want {
			t.Errorf("stdout %q, want %q", got, want)
		}
		if got, want := readAll(t, b, a.ID, "stderr"), "err one\nerr <<borges-end"; got != want {
			t.Errorf("stderr %q, want %q", got, want)
		}
		// Read, then deleted.
		untilNoPods(t, c, LabelDocument+"=docs")
	})

	t.Run("live", func(t *testing.T) {
		// Output is readable while the pod runs.
		a := attempt("doclive", "live", `echo started; echo warming >&2; while [ ! -e /borges/sandbox/go ]; do sleep 0.2; done; echo done`)
		if err := b.Launch(ctx, a); err != nil {
			t.Fatal(err)
		}
		u.wait(t, a.ID, "runs", func(x engine.Update) bool { return x.State == engine.Running })
		deadline := time.Now().Add(2 * time.Minute)
		for readAll(t, b, a.ID, "stdout") != "started\n" || readAll(t, b, a.ID, "stderr") != "warming\n" {
			if time.Now().After(deadline) {
				t.Fatalf("live output %q / %q", readAll(t, b, a.ID, "stdout"), readAll(t, b, a.ID, "stderr"))
			}
			time.Sleep(100 * time.Millisecond)
		}
		if _, _, err := b.fetch(ctx, PodName(a.ID), "none"); err != nil {
			t.Fatal(err)
		}
		execIn(t, c, PodName(a.ID), "touch /borges/sandbox/go")
		if end := u.ended(t, a.ID); end.State != engine.Finished {
			t.Fatalf("end %+v", end)
		}
		if got := readAll(t, b, a.ID, "stdout"); got != "started\ndone\n" {
			t.Fatalf("stdout %q", got)
		}
	})

	t.Run("failure", func(t *testing.T) {
		a := attempt("docfail", "bad", `echo oops >&2; exit 3`)
		b.Launch(ctx, a)
		end := u.ended(t, a.ID)
		if end.State != engine.Failed || end.ExitCode == nil || *end.ExitCode != 3 {
			t.Fatalf("end %+v", end)
		}
		if got := readAll(t, b, a.ID, "stderr"); got != "oops\n" {
			t.Fatalf("stderr %q", got)
		}
	})

	t.Run("interpreter missing", func(t *testing.T) {
		a := attempt("docinterp", "py", `print(1)`, func(t *plan.Task) { t.Interpreter = []string{"python3"}; t.Lang = "python" })
		b.Launch(ctx, a)
		end := u.ended(t, a.ID)
		if end.State != engine.Failed || end.ExitCode == nil || *end.ExitCode != 127 {
			t.Fatalf("end %+v", end)
		}
		if got := readAll(t, b, a.ID, "stderr"); !strings.Contains(got, "python3 is not in the image "+realkube.TestImage) {
			t.Fatalf("stderr %q", got)
		}
	})

	t.Run("unset", func(t *testing.T) {
		// What the program was given: the runtime's HOSTNAME and HOME,
		// the image's PATH, all removed; its own and its ports kept.
		a := attempt("docunset", "unset", `tr "\0" "\n" < /proc/$$/environ`, func(t *plan.Task) { t.Resources.Ports = 1 })
		a.Unset = []string{"HOSTNAME", "HOME", "PATH"}
		b.Launch(ctx, a)
		if end := u.ended(t, a.ID); end.State != engine.Finished {
			t.Fatalf("end %+v, stderr %q", end, readAll(t, b, a.ID, "stderr"))
		}
		names := proctest.EnvNames(readAll(t, b, a.ID, "stdout"), "\n")
		proctest.CheckEnv(t, names, []string{"BORGES_BLOCK", "PORT0", "PORTS", "BORGES_SANDBOX"}, a.Unset)
	})

	t.Run("dollars", func(t *testing.T) {
		// The block's text as written: $$ the shell's process, $(PORT0)
		// not the port (a kubelet expands both in a container's args).
		a := attempt("docdollars", "dollars", dollarBlock, func(t *plan.Task) { t.Resources.Ports = 1 })
		b.Launch(ctx, a)
		if end := u.ended(t, a.ID); end.State != engine.Finished {
			t.Fatalf("end %+v, stderr %q", end, readAll(t, b, a.ID, "stderr"))
		}
		if got := readAll(t, b, a.ID, "stdout"); got != dollarOutput {
			t.Fatalf("stdout %q, want %q", got, dollarOutput)
		}
	})

	t.Run("env dir ports value file", func(t *testing.T) {
		a := attempt("docenv", "env", `echo "$GREETING $PORT0 $PORTS" > greeting.txt; pwd; echo 42 > "$BORGES_VALUE_FILE"; cat greeting.txt`,
			func(t *plan.Task) {
				t.Dir = "work"
				t.Resources.Ports = 2
				t.File = "work/greeting.txt"
				t.ValueFile = true
			})
		a.Env["GREETING"] = "hello"
		b.Launch(ctx, a)
		if end := u.ended(t, a.ID); end.State != engine.Finished {
			t.Fatalf("end %+v", end)
		}
		if got := readAll(t, b, a.ID, "stdout"); got != "/borges/sandbox/work\nhello 31000 31000,31001\n" {
			t.Fatalf("stdout %q", got)
		}
		if got := readAll(t, b, a.ID, "value"); got != "42\n" {
			t.Fatalf("value %q", got)
		}
		if got := readAll(t, b, a.ID, "work/greeting.txt"); got != "hello 31000 31000,31001\n" {
			t.Fatalf("file %q", got)
		}
	})

	t.Run("unschedulable then killed", func(t *testing.T) {
		a := attempt("docbig", "big", `echo never`, func(t *plan.Task) { t.Resources.CPUs = 64 })
		b.Launch(ctx, a)
		w := u.wait(t, a.ID, "says why it waits", func(x engine.Update) bool {
			return x.State == engine.Staged && strings.Contains(x.Message, "Insufficient cpu")
		})
		if !strings.HasPrefix(w.Message, "waiting for a node: ") {
			t.Fatalf("message %q", w.Message)
		}
		if err := b.Kill(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if end := u.ended(t, a.ID); end.State != engine.Killed {
			t.Fatalf("end %+v", end)
		}
		untilNoPods(t, c, LabelDocument+"=docbig")
	})

	t.Run("deleted under it", func(t *testing.T) {
		a := attempt("docdel", "del", `echo up; sleep 600`)
		b.Launch(ctx, a)
		u.wait(t, a.ID, "runs", func(x engine.Update) bool { return x.State == engine.Running })
		if err := c.Client().CoreV1().Pods("default").Delete(ctx, PodName(a.ID), metav1.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
		end := u.ended(t, a.ID)
		if end.State != engine.Lost || !strings.Contains(end.Message, "deleted (not by Borges)") {
			t.Fatalf("end %+v", end)
		}
		untilNoPods(t, c, LabelDocument+"=docdel")
	})

	t.Run("image not on the node", func(t *testing.T) {
		// No registry is reachable: the kubelet cannot pull it, and the
		// block says so while it waits.
		a := attempt("docimg", "img", `echo never`, func(t *plan.Task) { t.Container = &plan.Container{Image: "borges-test/absent:1"} })
		b.Launch(ctx, a)
		w := u.wait(t, a.ID, "says the image cannot be pulled", func(x engine.Update) bool {
			return x.State == engine.Staged && strings.Contains(x.Message, "cannot be pulled")
		})
		if !strings.HasPrefix(w.Message, "image borges-test/absent:1 cannot be pulled (") {
			t.Fatalf("message %q", w.Message)
		}
		if err := b.Kill(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		if end := u.ended(t, a.ID); end.State != engine.Killed {
			t.Fatalf("end %+v", end)
		}
		untilNoPods(t, c, LabelDocument+"=docimg")
	})

	t.Run("evicted", func(t *testing.T) {
		// An eviction through the Eviction API (policy/v1, as kubectl
		// drain does): lost, so that a keep-running block runs again.
		a := attempt("docevict", "ev", `echo up; sleep 600`)
		b.Launch(ctx, a)
		u.wait(t, a.ID, "runs", func(x engine.Update) bool { return x.State == engine.Running })
		ev := &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: PodName(a.ID), Namespace: "default"}}
		if err := c.Client().CoreV1().Pods("default").EvictV1(ctx, ev); err != nil {
			t.Fatal(err)
		}
		end := u.ended(t, a.ID)
		if end.State != engine.Lost || !strings.Contains(end.Message, "evicted") {
			t.Fatalf("end %+v", end)
		}
		untilNoPods(t, c, LabelDocument+"=docevict")
	})

	t.Run("timeout", func(t *testing.T) {
		a := attempt("doctime", "slow", `sleep 600`, func(t *plan.Task) { t.Timeout = 2 * time.Second })
		b.Launch(ctx, a)
		end := u.ended(t, a.ID)
		if end.State != engine.Failed || end.Message != "timed out after 2s" || !end.TimedOut {
			t.Fatalf("end %+v", end)
		}
	})

	t.Run("out of memory", func(t *testing.T) {
		a := attempt("docoom", "oom", `head -c 200000000 /dev/zero | tail > /dev/null`, func(t *plan.Task) { t.Resources.MemMB = 24 })
		b.Launch(ctx, a)
		end := u.ended(t, a.ID)
		if end.State != engine.Failed || !strings.Contains(end.Message, "OOMKilled") {
			t.Fatalf("end %+v", end)
		}
	})

	t.Run("restart", func(t *testing.T) {
		// Borges stops while an attempt runs, another ended, and a third
		// was stored as launched but never created; a pod of its own
		// belongs to no attempt. The next Borges re-attaches to the first
		// (not created twice), reports the second as it ended, loses the
		// third and deletes the orphan.
		running := attempt("docre", "run", `echo before; while [ ! -e /borges/sandbox/go ]; do sleep 0.2; done; echo after`)
		done := attempt("docre", "done", `echo finished early`)
		never := attempt("docre", "never", `echo never`)
		orphan := attempt("docre", "orphan", `sleep 600`)
		for _, a := range []*engine.Attempt{running, done, orphan} {
			if err := b.Launch(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		u.wait(t, running.ID, "runs", func(x engine.Update) bool { return x.State == engine.Running })
		u.ended(t, done.ID)
		u.wait(t, orphan.ID, "runs", func(x engine.Update) bool { return x.State == engine.Running })
		stop()
		// Only the newcomer's pods are the next server's to judge.
		b2, u2, _ := newBackend(t, c, owner, dir)
		if err := b2.Recover(ctx, []*engine.Attempt{running, done, never}); err != nil {
			t.Fatal(err)
		}
		if end := u2.ended(t, done.ID); end.State != engine.Finished {
			t.Fatalf("done after restart: %+v", end)
		}
		if end := u2.ended(t, never.ID); end.State != engine.Lost {
			t.Fatalf("never: %+v", end)
		}
		untilNoPods(t, c, LabelBlock+"=orphan")
		// Launching the running attempt again (as an engine would after a
		// crash between storing and creating) finds its pod.
		if err := b2.Launch(ctx, running); err != nil {
			t.Fatal(err)
		}
		if n := len(podsOf(t, c, LabelBlock+"=run")); n != 1 {
			t.Fatalf("%d pods for one attempt", n)
		}
		execIn(t, c, PodName(running.ID), "touch /borges/sandbox/go")
		if end := u2.ended(t, running.ID); end.State != engine.Finished {
			t.Fatalf("running after restart: %+v", end)
		}
		if got := readAll(t, b2, running.ID, "stdout"); got != "before\nafter\n" {
			t.Fatalf("stdout after restart %q", got)
		}
		if got := readAll(t, b2, done.ID, "stdout"); got != "finished early\n" {
			t.Fatalf("kept stdout %q", got)
		}
	})
}

// execIn runs a shell command in a pod's stderr container.
func execIn(t *testing.T, c *realkube.Cluster, pod, command string) {
	t.Helper()
	b := &Backend{cfg: Config{Client: c.Client(), RESTConfig: c.RESTConfig(), Namespace: "default"}}
	if err := b.exec(context.Background(), pod, []string{"/bin/sh", "-c", command}, nil); err != nil {
		t.Fatalf("exec %q in %s: %v", command, pod, err)
	}
}

// testRealNodeLost: the kubelet of the node a block runs on stops (killed:
// the node goes silent). The node lifecycle controller marks the node
// Unknown; the block says so while it runs, then, after the grace, is
// lost, its pod force-deleted. The attempt run again waits for a node
// until the kubelet is back, then runs; the kubelet, back, kills what the
// lost pod still ran: nothing runs twice.
func testRealNodeLost(t *testing.T, c *realkube.Cluster) {
	b, u, ctx, _ := startBackend(t, Config{Client: c.Client(), RESTConfig: c.RESTConfig(), Namespace: "default",
		DefaultImage: realkube.TestImage, Owner: "borges-test-node", OutputDir: t.TempDir(), NodeLostGrace: 5 * time.Second})
	if err := b.Recover(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// A distinctive program, found among the machine's processes.
	const marker = "6173"
	first := attempt("doclost", "keep", `echo up; exec sleep `+marker)
	if err := b.Launch(ctx, first); err != nil {
		t.Fatal(err)
	}
	u.wait(t, first.ID, "runs", func(x engine.Update) bool { return x.State == engine.Running })
	// Running is the container's start: its script execs the program a
	// moment later.
	firstPIDs := untilSleepers(t, "the block's program runs", marker, func(pids []int) bool { return len(pids) == 1 })
	c.StopKubelet()
	restarted := false
	t.Cleanup(func() {
		if !restarted {
			c.StartKubelet()
		}
	})
	w := u.wait(t, first.ID, "says its node is not ready", func(x engine.Update) bool {
		return x.State == engine.Running && strings.Contains(x.Message, "node "+realkube.NodeName+" not ready since")
	})
	if !strings.Contains(w.Message, "NodeStatusUnknown") {
		t.Fatalf("message %q", w.Message)
	}
	end := u.ended(t, first.ID)
	if end.State != engine.Lost || !strings.Contains(end.Message, "node "+realkube.NodeName+" lost: not ready for 5s (NodeStatusUnknown") {
		t.Fatalf("end %+v", end)
	}
	untilNoPods(t, c, LabelBlock+"=keep")
	// Run again (the engine does so for a lost keep-running block): no
	// node takes it while the only one is down.
	second := attempt("doclost", "keep", `echo again; exec sleep `+marker)
	second.Number = 2
	if err := b.Launch(ctx, second); err != nil {
		t.Fatal(err)
	}
	u.wait(t, second.ID, "waits for a node", func(x engine.Update) bool {
		return x.State == engine.Staged && strings.HasPrefix(x.Message, "waiting for a node: ")
	})
	c.StartKubelet()
	restarted = true
	u.wait(t, second.ID, "runs once the node is back", func(x engine.Update) bool {
		return x.State == engine.Running && !strings.Contains(x.Message, "not ready")
	})
	untilSleepers(t, "one process runs the block's program once the node is back, the lost pod's killed", marker, func(pids []int) bool {
		return len(pids) == 1 && !slices.Contains(pids, firstPIDs[0])
	})
	if err := b.Kill(ctx, second.ID); err != nil {
		t.Fatal(err)
	}
	if end := u.ended(t, second.ID); end.State != engine.Killed {
		t.Fatalf("end %+v", end)
	}
}

// sleepers counts the machine's processes running `sleep N`.
func sleepers(n string) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if pid, perr := strconv.Atoi(e.Name()); perr == nil && err == nil && string(data) == "sleep\x00"+n+"\x00" {
			pids = append(pids, pid)
		}
	}
	return pids
}

// untilSleepers waits (three minutes at most) until the processes running
// sleep n are as ok wants, and returns them.
func untilSleepers(t *testing.T, what, n string, ok func([]int) bool) []int {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for {
		pids := sleepers(n)
		if ok(pids) {
			return pids
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting until %s: processes %v", what, pids)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
