package mesos

import (
	"context"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/session"
)

// TestUnsetOnMesos: a task's program has none of the variables its
// attempt removes that the agent's environment gives (the fake agent's
// is this test's), on a command executor and on Borges' executor, and
// keeps its own and its ports; on Borges' executor, which builds the
// environment itself, a name no shell can hold (A-B) goes too, from a
// session's interpreter (Python, started with no shell) as from a task.
func TestUnsetOnMesos(t *testing.T) {
	t.Setenv("AGENT_VAR", "1")
	t.Setenv("AGENT_OTHER", "2")
	t.Setenv("A-B", "3")
	t.Run("command executors", func(t *testing.T) { testUnsetOnMesos(t, false) })
	t.Run("Borges executor", func(t *testing.T) { testUnsetOnMesos(t, true) })
}

func testUnsetOnMesos(t *testing.T, own bool) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024, Ports: [][2]uint64{{31000, 31010}}}}})
	defer m.Close()
	cfg := Config{Master: m.URL(), RefuseSeconds: 0.1, Logger: testLogger(t)}
	if own {
		testExecutor(t)(&cfg)
	}
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	updates := make(chan engine.Update, 100)
	startAlone(t, ctx, b, func(u engine.Update) { updates <- u })
	run := func(a *engine.Attempt) []string {
		t.Helper()
		return proctest.EnvNames(runFinished(t, ctx, b, updates, a), "\n")
	}
	// What the shell running the program was given.
	task := &plan.Task{Interpreter: []string{"sh"}, Resources: plan.Resources{CPUs: 0.1, MemMB: 32, Ports: 1}}
	a := &engine.Attempt{ID: "d.0-env.0.1", Block: "env", Task: task, Script: `tr '\0' '\n' < /proc/$$/environ`,
		Env: map[string]string{"GREETING": "hi"}, Unset: []string{"AGENT_VAR", "PATH", "A-B"}}
	proctest.CheckEnv(t, run(a), []string{"AGENT_OTHER", "GREETING", "PORT0", "PORTS", "BORGES_SANDBOX"}, a.Unset)
	if !own {
		return
	}
	outside.Need(t, "python3", "python3")
	py := &engine.Attempt{ID: "d.1-py.0.1", Block: "py", Session: "d/python:s/1", Env: map[string]string{"GREETING": "hi"},
		Unset: []string{"AGENT_VAR", "A-B"}, Script: "import os\nprint('\\n'.join(k + '=' for k in os.environ))",
		Task: &plan.Task{Block: "py", Lang: "python", Resources: plan.Resources{CPUs: 0.1, MemMB: 64},
			Session: &plan.Session{Name: "s", Key: "python:s", Kind: string(session.Python), Command: session.Command(session.Python, "", []string{"python3"})}}}
	t.Cleanup(func() { b.CloseSession(context.Background(), py.Session) })
	proctest.CheckEnv(t, run(py), []string{"AGENT_OTHER", "GREETING", "PATH", "TERM", "BORGES_SESSION"}, py.Unset)
}

// runFinished launches a, waits for its end among updates (which must
// be a finish) and returns its standard output.
func runFinished(t *testing.T, ctx context.Context, b *Backend, updates <-chan engine.Update, a *engine.Attempt) string {
	t.Helper()
	if err := b.Launch(ctx, a); err != nil {
		t.Fatal(err)
	}
	for u := range updates {
		if u.AttemptID != a.ID || !u.State.Terminal() {
			continue
		}
		if u.State != engine.Finished {
			t.Fatalf("update %+v", u)
		}
		break
	}
	data, _, err := b.ReadLog(ctx, a.ID, "stdout", 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
