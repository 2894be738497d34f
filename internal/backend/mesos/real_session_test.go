package mesos

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/engine"
)

// TestRealSessionAgentRestart: the real agent under a session is killed
// and started again while a block of the session runs (the executor and
// the interpreter run on; the framework checkpoints). The block's end
// reaches Borges once the executor has subscribed to the new agent, the
// session's next block runs in the same interpreter (it sees what the
// first block set), and once the session's blocks have ended its task is
// killed and nothing is left on the agent.
func TestRealSessionAgentRestart(t *testing.T) {
	t.Parallel()
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
	gate := filepath.Join(t.TempDir(), "go")
	b := startBorges(t, c.Master(), t.TempDir(), testExecutor(t), shortIdle)
	defer b.stop()
	doc := "#+name: a\n#+begin_src sh :session s\nx=41\n#+end_src\n\n" +
		"#+name: w\n#+begin_src sh :session s\nwhile [ ! -e " + gate + " ]; do sleep 0.1; done; echo gate open\n#+end_src\n\n" +
		"#+name: after\n#+begin_src sh :session s\necho $((x + 1))\n#+end_src\n"
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	defer b.eng.KillDocument(context.Background(), v.ID)
	waitFor(t, "w running", func() bool { return blockState(t, b.eng, v.ID, "w").State == engine.Running })
	c.RestartAgent(0)
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the document finished", func() bool { d, _ := b.eng.Document(v.ID); return d.State.Terminal() })
	res, _ := b.eng.ResultDocument(context.Background(), v.ID)
	if !strings.Contains(res, "#+RESULTS: w\n: gate open\n") || !strings.Contains(res, "#+RESULTS: after\n: 42\n") {
		t.Fatalf("results:\n%s", res)
	}
	for _, name := range []string{"a", "w", "after"} {
		if in := blockState(t, b.eng, v.ID, name).Instances[0]; in.State != engine.Finished || in.Attempts != 1 {
			t.Errorf("%s: %+v", name, in)
		}
	}
	waitFor(t, "no process left on the agent (the idle executor gone too)", func() bool { return len(c.TaskProcesses()) == 0 })
}

// TestRealSessionDir: under a real master and agent, a session's
// interpreter starts in its first block's :dir, made beneath the
// sandbox, as on the local backend (TestMesosSessionDir).
func TestRealSessionDir(t *testing.T) {
	t.Parallel()
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
	b := startBorges(t, c.Master(), t.TempDir(), testExecutor(t), shortIdle)
	defer b.stop()
	doc := "#+name: a\n#+begin_src sh :session s :results output :dir sub/deeper\nbasename \"$PWD\"\n#+end_src\n\n" +
		"#+name: b\n#+begin_src sh :session s :results output\nbasename \"$(dirname \"$PWD\")\"\n#+end_src\n"
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	defer b.eng.KillDocument(context.Background(), v.ID)
	waitFor(t, "the document finished", func() bool { d, _ := b.eng.Document(v.ID); return d.State.Terminal() })
	res, _ := b.eng.ResultDocument(context.Background(), v.ID)
	if !strings.Contains(res, ": deeper\n\n#+name: b") || !strings.Contains(res, "#+RESULTS: b\n: sub\n") {
		t.Fatalf("results:\n%s", res)
	}
}
