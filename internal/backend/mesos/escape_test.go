package mesos

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
)

// escapingBlock is a block running proctest.Escapes with marker m: it
// leaves three processes that a command executor's kill of its process
// tree, groups and sessions misses or may miss (one in a session of its
// own whose parent exited), then waits for "go" in its directory (see
// release) and ends as end says. opts are more header arguments.
func escapingBlock(name, m, end, opts string) string {
	return "#+name: " + name + "\n#+begin_src sh :cpu 0.1 :mem 32" + opts + "\n" + proctest.Escapes(m, end) + "#+end_src\n"
}

// release writes "go" into the directory of the processes carrying m,
// through /proc (so in a container's too).
func release(t *testing.T, m string) {
	t.Helper()
	for _, pid := range proctest.WithMarker(m) {
		if err := os.WriteFile("/proc/"+strconv.Itoa(pid)+"/cwd/go", nil, 0o644); err == nil {
			return
		}
	}
	t.Fatalf("no process with %s to release", m)
}

// testNothingOutlivesItsBlock: whatever a block started is gone once the
// block has ended — by itself (exit 0 or 3: the status and the output as
// the program left them), killed, or by its :timeout (20 s: long enough for its three to start on a loaded machine) — however it
// runs.
func testNothingOutlivesItsBlock(t *testing.T, master, opts string, wait func(*testing.T, string, func() bool), options ...func(*Config)) {
	t.Helper()
	b := startBorges(t, master, t.TempDir(), options...)
	defer b.stop()
	ends, fails, killed, timedOut := proctest.Marker(t), proctest.Marker(t), proctest.Marker(t), proctest.Marker(t)
	v, err := b.eng.Submit(context.Background(), escapingBlock("ends", ends, "echo ends", opts)+"\n"+
		escapingBlock("fails", fails, "echo fails; exit 3", opts)+"\n"+
		escapingBlock("killed", killed, "sleep 600", opts)+"\n"+
		escapingBlock("slow", timedOut, "sleep 600", opts+" :timeout 20s"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []string{ends, fails, killed, timedOut} {
		proctest.WaitMarked(t, m, 3)
	}
	// Each ran the way asked: Borges' executor, or a command executor.
	own := b.backend.cfg.Executor != "" && opts == ""
	for _, name := range []string{"ends", "fails", "killed", "slow"} {
		id := attemptOf(t, b.eng, v.ID, name, 1)
		b.backend.mu.Lock()
		onExecutor := b.backend.tasks[id] != nil && strings.HasPrefix(b.backend.tasks[id].executorID, executorPrefix)
		b.backend.mu.Unlock()
		if onExecutor != own {
			t.Fatalf("%s on Borges' executor: %v", name, onExecutor)
		}
	}
	if err := b.eng.KillBlock(context.Background(), v.ID, "killed"); err != nil {
		t.Fatal(err)
	}
	release(t, ends)
	release(t, fails)
	for _, c := range []struct {
		block string
		state engine.State
		exit  int
	}{{"ends", engine.Finished, 0}, {"fails", engine.Failed, 3}, {"killed", engine.Killed, -1}, {"slow", engine.Failed, -1}} {
		wait(t, c.block+" ended", func() bool { return blockState(t, b.eng, v.ID, c.block).State.Terminal() })
		in := blockState(t, b.eng, v.ID, c.block).Instances[0]
		if in.State != c.state || (c.exit >= 0 && (in.ExitCode == nil || *in.ExitCode != c.exit)) {
			t.Errorf("%s: %s %q exit %v", c.block, in.State, in.Message, in.ExitCode)
		}
	}
	if in := blockState(t, b.eng, v.ID, "slow").Instances[0]; in.Message != "timed out after 20s" {
		t.Errorf("slow: %q", in.Message)
	}
	res, err := b.eng.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"#+RESULTS: ends\n: ends\n", "exited with status 3\n: fails\n"} {
		if !strings.Contains(res, want) {
			t.Errorf("no %q in the results:\n%s", want, res)
		}
	}
	for _, m := range []string{ends, fails, killed, timedOut} {
		proctest.WaitGone(t, m)
	}
}

// TestNothingOutlivesItsBlock: on the fake agent, whose command executor
// kills as the real one does (the task's process tree, process groups
// and sessions), and on Borges' executor.
func TestNothingOutlivesItsBlock(t *testing.T) {
	t.Parallel()
	for _, way := range executorWays(t) {
		t.Run(way.name, func(t *testing.T) {
			t.Parallel()
			m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 4, MemMB: 1024, DiskMB: 1024}}, ResendInterval: time.Second})
			defer m.Close()
			testNothingOutlivesItsBlock(t, m.URL(), "", waitFor, way.options...)
		})
	}
}

// TestRealNothingOutlivesItsBlock: as TestNothingOutlivesItsBlock, on a
// real Mesos 1.12 agent with the posix launcher.
func TestRealNothingOutlivesItsBlock(t *testing.T) {
	t.Parallel()
	for _, way := range executorWays(t, shortIdle) {
		t.Run(way.name, func(t *testing.T) {
			t.Parallel()
			c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
			testNothingOutlivesItsBlock(t, c.Master(), "", waitFor, way.options...)
			waitFor(t, "no process left on the agent", func() bool { return len(c.TaskProcesses()) == 0 })
		})
	}
}

// TestRealNothingOutlivesItsDockerizedBlock: a :dockerize block on a real
// agent with the Docker containerizer has no guard: the container's end
// (its first process's) takes every process of the container, by
// itself, on a kill and on a :timeout.
func TestRealNothingOutlivesItsDockerizedBlock(t *testing.T) {
	outside.Docker(t)
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{Flags: []string{"--containerizers=docker,mesos"}}}})
	testNothingOutlivesItsBlock(t, c.Master(), " :dockerize t :image "+outside.TestImage, waitFor)
	waitFor(t, "no container and no process left", func() bool { return len(c.Containers()) == 0 && len(c.TaskProcesses()) == 0 })
}
