package main

import (
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
)

// TestTaskEnvironmentE2E: what the README says a task's environment holds,
// for a process on this machine and a Mesos task.
func TestTaskEnvironmentE2E(t *testing.T) {
	t.Parallel()
	backends := []struct {
		name  string
		start func(t *testing.T) *server
	}{
		{"local", func(t *testing.T) *server { return startServer(t, t.TempDir()) }},
		{"mesos", func(t *testing.T) *server {
			s, _ := startMesosServer(t, mesostest.AgentSpec{CPUs: 4, MemMB: 2048, Ports: [][2]uint64{{31000, 31100}}})
			return s
		}},
	}
	for _, be := range backends {
		t.Run(be.name, func(t *testing.T) { checkTaskEnvironment(t, be.start(t)) })
	}
}

func checkTaskEnvironment(t *testing.T, s *server) {
	v := s.submit(`#+name: env
#+begin_src sh :results output :instances 2 :ports 2 :env "GREETING=hi"
[ "$BORGES_SANDBOX" = "$PWD" ] && sandbox=ok || sandbox="$BORGES_SANDBOX vs $PWD"
[ "$BORGES_VALUE_FILE" = "$BORGES_SANDBOX/value" ] && value=ok || value="$BORGES_VALUE_FILE"
[ "$PORTS" = "$PORT0,$PORT1" ] && [ "$PORT0" -gt 0 ] && ports=ok || ports="$PORTS"
echo "$BORGES_DOCUMENT $BORGES_BLOCK $BORGES_INSTANCE $BORGES_ATTEMPT $GREETING sandbox=$sandbox value=$value ports=$ports"
#+end_src
`)
	t.Cleanup(func() { s.killDocument(v.ID) })
	until(t, "it has ended", func() bool { return s.doc(v.ID).State != engine.Running })
	d := s.doc(v.ID)
	b := blockOf(d, "env")
	if b.State != engine.Finished || len(b.Instances) != 2 {
		t.Fatalf("block: %+v", b)
	}
	_, res := s.get("/org/" + v.ID)
	for _, in := range b.Instances {
		want := "borges: instance " + string(rune('0'+in.Instance)) + "\n: " + v.ID + " env " + string(rune('0'+in.Instance)) + " " +
			in.AttemptID + " hi sandbox=ok value=ok ports=ok\n"
		if !strings.Contains(res, want) {
			t.Errorf("no\n%s\nin\n%s", want, res)
		}
	}
}
