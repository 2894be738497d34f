package main

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/engine"
)

// TestRealMesosSessions: on a real Mesos 1.12 master and agent, with
// Borges' executor, a document's shell and Python sessions give the
// results Emacs writes for it, byte for byte (org-babel-execute-buffer);
// each session is one task at the master (its interpreter), killed once
// the session's blocks have ended, its blocks tasks on the same executor.
// Restarting a block of a session runs the session again in a new
// interpreter, to the same results. Nothing is left on the agent.
func TestRealMesosSessions(t *testing.T) {
	t.Parallel()
	emacs := emacsSessionRunner(t)
	s, c, _ := startRealMesosServer(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}}, "")
	v := s.submit(sessionE2EDoc)
	for _, b := range v.Blocks {
		if b.Task != nil && len(b.Task.Notes) > 0 {
			t.Errorf("%s: notes %q", b.Name, b.Task.Notes)
		}
	}
	untilLong(t, "the document ended on Mesos", func() bool { return s.doc(v.ID).State.Terminal() })
	if d := s.doc(v.ID); d.State != engine.Finished {
		t.Fatalf("document %s: %+v", d.State, d.Blocks)
	}
	want := resultsLikeEmacs(t, s, v.ID, sessionE2EDoc, emacs, "borges on Mesos")
	sessions := func() map[string]realmesos.Task {
		out := map[string]realmesos.Task{}
		for id, task := range tasksOf(c, v.ID) {
			if strings.HasSuffix(id, ".session") {
				out[id] = task
			}
		}
		return out
	}
	untilLong(t, "both sessions' tasks killed", func() bool {
		n := 0
		for _, task := range sessions() {
			if task.State == "TASK_KILLED" {
				n++
			}
		}
		return n == 2
	})
	executors := map[string]bool{}
	for id, task := range tasksOf(c, v.ID) {
		executors[task.ExecutorID] = true
		if !strings.HasSuffix(id, ".session") && strings.Contains(id, "setup") && task.Resources.CPUs > 0.011 {
			t.Errorf("block task %s holds %g CPUs", id, task.Resources.CPUs)
		}
	}
	if len(executors) != 1 || executors[""] {
		t.Errorf("executors %v, want Borges' one", executors)
	}

	rerunSession(t, s, v.ID, untilLong)
	if _, again := s.get("/org/" + v.ID); again != want {
		t.Fatalf("after the restart, differs from Emacs:\n--- emacs\n%s\n--- borges on Mesos\n%s", want, again)
	}
	untilLong(t, "three sessions' tasks killed", func() bool {
		n := 0
		for _, task := range sessions() {
			if task.State == "TASK_KILLED" {
				n++
			}
		}
		return n == 3
	})
	untilLong(t, "the agent has no live executor left", func() bool { return len(c.TaskProcesses()) == 0 })
}

// TestRealMesosSessionKill: on a real agent, killing a block of a session
// kills its interpreter and what it started (a process in a session of its
// own included); the session's later block is not run; once the idle
// executor has gone, nothing is left on the agent.
func TestRealMesosSessionKill(t *testing.T) {
	t.Parallel()
	s, c, _ := startRealMesosServer(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}}, "")
	v := s.submit("#+name: slow\n#+begin_src sh :session k\n(setsid sleep 600 &)\nsleep 600\n#+end_src\n\n" +
		"#+name: next\n#+begin_src sh :session k\necho next\n#+end_src\n")
	untilLong(t, "slow runs", func() bool { return blockOf(s.doc(v.ID), "slow").State == engine.Running })
	req, _ := http.NewRequest("POST", "http://"+s.addr+"/org/"+v.ID+"/blocks/slow/kill", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("kill: %v %v", resp, err)
	}
	untilLong(t, "ended", func() bool { return s.doc(v.ID).State.Terminal() })
	d := s.doc(v.ID)
	if b := blockOf(d, "slow"); b.State != engine.Killed {
		t.Errorf("slow: %+v", b.Instances[0])
	}
	if b := blockOf(d, "next"); b.State != engine.Failed || !strings.Contains(b.Instances[0].Message, "dependency slow killed") {
		t.Errorf("next: %+v", b.Instances[0])
	}
	untilLong(t, "the agent has no live executor or task left", func() bool { return len(c.TaskProcesses()) == 0 })
}

// TestRealMesosSessionBorgesRestart: Borges is killed (-9) while a block
// of a session runs on a real agent, and started again. The new Borges
// does not know the session's task (the engine's sessions are not kept
// across restarts) and kills it; the block, whose interpreter is gone, is
// reported lost by the executor, and the engine runs the whole session
// again in a new interpreter: the results are those of one run.
func TestRealMesosSessionBorgesRestart(t *testing.T) {
	t.Parallel()
	s, c, conf := startRealMesosServer(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}}, "")
	gate := t.TempDir() + "/go"
	v := s.submit("#+name: a\n#+begin_src sh :session s\nx=$((x + 1))\n#+end_src\n\n" +
		"#+name: wait\n#+begin_src sh :session s\nn=0; while [ ! -e " + gate + " ] && [ $n -lt 3000 ]; do sleep 0.05; n=$((n+1)); done; echo x=$x\n#+end_src\n")
	untilLong(t, "wait runs", func() bool { return blockOf(s.doc(v.ID), "wait").State == engine.Running })
	s.kill9()
	s2 := startServer(t, s.data, "-f", conf)
	untilLong(t, "the session ran again", func() bool { return blockOf(s2.doc(v.ID), "a").Instances[0].Attempts == 2 })
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	untilLong(t, "ended", func() bool { return s2.doc(v.ID).State.Terminal() })
	d := s2.doc(v.ID)
	if w := blockOf(d, "wait"); w.State != engine.Finished || w.Instances[0].Attempts != 2 {
		t.Fatalf("wait: %+v", w.Instances[0])
	}
	if _, res := s2.get("/org/" + v.ID); !strings.Contains(res, "#+RESULTS: wait\n: x=1\n") {
		t.Fatalf("results:\n%s", res)
	}
	untilLong(t, "the agent has no live executor or task left", func() bool { return len(c.TaskProcesses()) == 0 })
}

// TestRealMesosSessionAgentLost: the real agent that holds a session's
// interpreter is killed while a block of the session runs; once the master
// has taken it as unreachable for the grace, Borges runs the whole session
// again on the other agent, in a new interpreter, to the results of one
// run.
func TestRealMesosSessionAgentLost(t *testing.T) {
	t.Parallel()
	s, c, _ := startRealMesosServer(t, realmesos.Options{
		// Room for one session (its first block's :cpu 1) and Borges'
		// executor on each agent.
		Agents:      []realmesos.AgentOptions{{Resources: "cpus:1.5;mem:256;disk:64"}, {Resources: "cpus:1.5;mem:256;disk:64"}},
		MasterFlags: []string{"--agent_ping_timeout=1secs", "--max_agent_ping_timeouts=3"}},
		"#+mesos_unreachable_grace: 2s\n")
	gate := t.TempDir() + "/go"
	v := s.submit("#+name: a\n#+begin_src sh :session s :cpu 1 :mem 32\nx=$((x + 1))\n#+end_src\n\n" +
		"#+name: wait\n#+begin_src sh :session s\nn=0; while [ ! -e " + gate + " ] && [ $n -lt 3000 ]; do sleep 0.05; n=$((n+1)); done; echo x=$x\n#+end_src\n")
	untilLong(t, "wait runs", func() bool { return blockOf(s.doc(v.ID), "wait").State == engine.Running })
	lost := tasksOf(c, v.ID)[attemptOf(t, s, v.ID, "wait", 1)].AgentID
	for i := 0; i < 2; i++ {
		var st struct {
			ID string `json:"id"`
		}
		if resp, err := http.Get(c.AgentURL(i) + "/state"); err == nil {
			json.NewDecoder(resp.Body).Decode(&st)
			resp.Body.Close()
		}
		if st.ID == lost {
			c.KillAgent(i)
		}
	}
	untilLong(t, "the session ran again", func() bool { return blockOf(s.doc(v.ID), "a").Instances[0].Attempts == 2 })
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	untilLong(t, "ended", func() bool { return s.doc(v.ID).State.Terminal() })
	d := s.doc(v.ID)
	for _, name := range []string{"a", "wait"} {
		b := blockOf(d, name)
		if b.State != engine.Finished || b.Instances[0].Attempts != 2 {
			t.Fatalf("%s: %+v", name, b.Instances[0])
		}
		if task := tasksOf(c, v.ID)[b.Instances[0].AttemptID]; task.AgentID == lost {
			t.Errorf("%s ran again on the lost agent: %+v", name, task)
		}
	}
	if _, res := s.get("/org/" + v.ID); !strings.Contains(res, "#+RESULTS: wait\n: x=1\n") {
		t.Fatalf("results:\n%s", res)
	}
}
