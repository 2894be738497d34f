package mesos

import (
	"context"
	"fmt"
	"os/user"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// homeCase is a block's :dir, the variables the document's Emacs removed
// and set, and the directory it should run in ("sandbox/NAME" beneath
// its sandbox).
type homeCase struct {
	dir   string
	unset []string
	env   map[string]string
	want  string
}

// agentHomeCases: on a Mesos command executor (an agent runs the block
// as a process of its environment), a :dir ~ whose HOME the document's
// Emacs removed is the home the agent's password database gives the
// block's user, read where it runs, not the agent's HOME the shell still
// has (the removal takes effect as the program starts); ~NAME is NAME's
// home there; for no such user a name beneath the sandbox, as Emacs
// leaves it relative.
func agentHomeCases(t *testing.T) []homeCase {
	own := proctest.PasswdHome(t)
	daemon, err := user.Lookup("daemon")
	if err != nil || daemon.HomeDir == "" {
		t.Skipf("no user daemon: %v", err)
	}
	return []homeCase{
		{"~", []string{"HOME"}, nil, own},
		{"~", []string{"HOME"}, map[string]string{"LOGNAME": "daemon"}, daemon.HomeDir},
		{"~daemon", nil, nil, daemon.HomeDir},
		{"~borges-no-such-user/x", nil, nil, "sandbox/~borges-no-such-user/x"},
	}
}

// containerHomeCases: in a Docker container on Mesos the homes are the
// image's (the test image's users no host has), as in a local container
// (TestContainerDirHome).
var containerHomeCases = []homeCase{
	{"~borges-image/x", nil, nil, "/home/borges-image/x"},
	{"~/y", []string{"HOME"}, map[string]string{"LOGNAME": "borges-image"}, "/home/borges-image/y"},
	{"~", []string{"HOME"}, nil, "/root"},
	{"~borges-no-such-user/x", nil, nil, "sandbox/~borges-no-such-user/x"},
}

// TestDirHomeOnMesos: the fake master's agent (its command executor a
// process of the test's environment, its Docker containerizer the
// machine's engine).
func TestDirHomeOnMesos(t *testing.T) {
	t.Setenv("HOME", t.TempDir()) // the agent's
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}})
	defer m.Close()
	testDirHome(t, m.URL(), nil, agentHomeCases(t))
	outside.Docker(t)
	d := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024, Docker: true}}})
	defer d.Close()
	testDirHome(t, d.URL(), &plan.Container{Image: outside.TestImage, Kind: "docker"}, containerHomeCases)
}

// TestRealDirHomeOnMesos: a real agent, its command executor and its
// Docker containerizer.
func TestRealDirHomeOnMesos(t *testing.T) {
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
	testDirHome(t, c.Master(), nil, agentHomeCases(t))
	outside.Docker(t)
	d := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{Flags: []string{"--containerizers=docker,mesos"}}}})
	testDirHome(t, d.Master(), &plan.Container{Image: outside.TestImage, Kind: "docker"}, containerHomeCases)
}

// testDirHome runs a block for each case on the master's command
// executors (in container, where not nil) and checks where it ran.
func testDirHome(t *testing.T, master string, container *plan.Container, cases []homeCase) {
	t.Helper()
	b, err := New(Config{Master: master, RefuseSeconds: 0.1, Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	updates := make(chan engine.Update, 100)
	startAlone(t, ctx, b, func(u engine.Update) { updates <- u })
	// The sandbox's own name for a :dir beneath it, else the path.
	script := `case $PWD in "$BORGES_SANDBOX"/*) echo "sandbox/${PWD#"$BORGES_SANDBOX"/}";; *) echo "$PWD";; esac`
	way := "agent"
	if container != nil {
		way = "container"
	}
	for i, c := range cases {
		a := &engine.Attempt{ID: fmt.Sprintf("d.0-%s%d.0.1", way, i), Block: "h", Script: script, Unset: c.unset, Env: c.env,
			Task: &plan.Task{Block: "h", Line: 3, Dir: c.dir, Interpreter: []string{"sh"}, Container: container, Resources: plan.Resources{CPUs: 0.1, MemMB: 32}}}
		if got := runFinished(t, ctx, b, updates, a); got != c.want+"\n" {
			t.Errorf(":dir %s (removed %v, set %v, container %v): ran in %q, want %q", c.dir, c.unset, c.env, container != nil, got, c.want)
		}
	}
}
