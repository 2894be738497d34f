package main

import (
	"net/http"
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
	_, got := s.get("/org/" + v.ID)
	// Emacs's Python sessions depend on timing: Emacs is run again, twice
	// at most (as TestSessionsAgainstEmacsE2E does).
	want := emacs(sessionE2EDoc)
	for try := 0; got != want && try < 2; try++ {
		want = emacs(sessionE2EDoc)
	}
	if got != want {
		t.Fatalf("differs from Emacs:\n--- emacs\n%s\n--- borges on Mesos\n%s", want, got)
	}
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

	req, _ := http.NewRequest("POST", "http://"+s.addr+"/org/"+v.ID+"/blocks/back/restart", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("restart: %v %v", resp, err)
	}
	untilLong(t, "the session ran again", func() bool {
		d := s.doc(v.ID)
		for _, name := range []string{"setup", "count", "back"} {
			if b := blockOf(d, name); b.State != engine.Finished || b.Instances[0].Attempts != 2 {
				return false
			}
		}
		return true
	})
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
