package mesos

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
)

// sessionProcesses lists the live processes of a document's sessions'
// interpreters (BORGES_SESSION=DOC/… in their environment).
func sessionProcesses(docID string) []int {
	var pids []int
	needle := []byte("BORGES_SESSION=" + docID + "/")
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil {
			if i := bytes.LastIndexByte(stat, ')'); i > 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
				continue
			}
		}
		if env, err := os.ReadFile(filepath.Join("/proc", e.Name(), "environ")); err == nil && bytes.Contains(env, needle) {
			pids = append(pids, pid)
		}
	}
	return pids
}

// TestSessionKillOnExecutor: killing a block of a session kills its
// interpreter and everything it started, on the agent; the session's later
// blocks are not run; the session's task ends.
func TestSessionKillOnExecutor(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}, ResendInterval: time.Second})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir(), testExecutor(t))
	defer b.stop()
	v, err := b.eng.Submit(context.Background(), "#+name: slow\n#+begin_src sh :session k\n(setsid sleep 600 &)\nsleep 600\n#+end_src\n\n"+
		"#+name: next\n#+begin_src sh :session k\necho next\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	defer b.eng.KillDocument(context.Background(), v.ID)
	waitFor(t, "slow runs", func() bool { return blockState(t, b.eng, v.ID, "slow").State == engine.Running })
	waitFor(t, "the interpreter and its sleeps run", func() bool { return len(sessionProcesses(v.ID)) >= 3 })
	if err := b.eng.KillBlock(context.Background(), v.ID, "slow"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the document ended", func() bool { d, _ := b.eng.Document(v.ID); return d.State.Terminal() })
	if s := blockState(t, b.eng, v.ID, "slow"); s.State != engine.Killed {
		t.Errorf("slow: %+v", s.Instances[0])
	}
	if s := blockState(t, b.eng, v.ID, "next"); s.State != engine.Failed || !strings.Contains(s.Instances[0].Message, "dependency slow killed") {
		t.Errorf("next: %+v", s.Instances[0])
	}
	sessions, _ := sessionTasks(m)
	for id := range sessions {
		waitFor(t, "the session's task ended", func() bool { s, _ := m.TaskState(id); return s == mesoslib.TASK_KILLED })
	}
	waitFor(t, "nothing of the session left", func() bool { return len(sessionProcesses(v.ID)) == 0 })
}

// TestSessionRestartOnExecutor: restarting a block of a session runs the
// session again in a new interpreter (a new session task), to the same
// results; the old one is gone.
func TestSessionRestartOnExecutor(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}, ResendInterval: time.Second})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir(), testExecutor(t))
	defer b.stop()
	doc := "#+name: a\n#+begin_src sh :session s\nx=$((x + 1))\n#+end_src\n\n#+name: b\n#+begin_src sh :session s\necho x=$x\n#+end_src\n"
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "finished", func() bool { d, _ := b.eng.Document(v.ID); return d.State == engine.Finished })
	first, _ := b.eng.ResultDocument(context.Background(), v.ID)
	if !strings.Contains(first, "#+RESULTS: b\n: x=1\n") {
		t.Fatalf("results:\n%s", first)
	}
	if err := b.eng.RestartBlock(context.Background(), v.ID, "b"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the session ran again", func() bool {
		a, bb := blockState(t, b.eng, v.ID, "a"), blockState(t, b.eng, v.ID, "b")
		return a.State == engine.Finished && bb.State == engine.Finished && a.Instances[0].Attempts == 2 && bb.Instances[0].Attempts == 2
	})
	if again, _ := b.eng.ResultDocument(context.Background(), v.ID); again != first {
		t.Fatalf("after the restart:\n%s\nwant\n%s", again, first)
	}
	sessions, _ := sessionTasks(m)
	if len(sessions) != 2 {
		t.Fatalf("%d session tasks, want 2", len(sessions))
	}
	for id := range sessions {
		waitFor(t, "the session's task killed", func() bool { s, _ := m.TaskState(id); return s == mesoslib.TASK_KILLED })
	}
}

// TestSessionAgentLost: the agent that holds a session's interpreter is
// lost while a block of it runs; once Borges takes it as lost, the whole
// session runs again on the other agent, in a new interpreter, and its
// results are what one run gives.
func TestSessionAgentLost(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{Hostname: "a0", CPUs: 1, MemMB: 512, DiskMB: 1024}, {Hostname: "a1", CPUs: 1, MemMB: 512, DiskMB: 1024}},
		ResendInterval: time.Second})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir(), testExecutor(t), func(c *Config) {
		c.UnreachableGrace, c.UnsureInterval = 500*time.Millisecond, 100*time.Millisecond
	})
	defer b.stop()
	gate := filepath.Join(t.TempDir(), "go")
	doc := "#+name: a\n#+begin_src sh :session s :cpu 0.5\nx=$((x + 1))\n#+end_src\n\n" +
		"#+name: b\n#+begin_src sh :session s\nn=0; while [ ! -e " + gate + " ] && [ $n -lt 3000 ]; do sleep 0.02; n=$((n+1)); done; echo x=$x\n#+end_src\n"
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	defer b.eng.KillDocument(context.Background(), v.ID)
	waitFor(t, "b runs", func() bool { return blockState(t, b.eng, v.ID, "b").State == engine.Running })
	host := blockState(t, b.eng, v.ID, "b").Instances[0].Host
	lose := 0
	if host == "a1" {
		lose = 1
	}
	m.LoseAgent(lose)
	waitFor(t, "a ran again", func() bool { return blockState(t, b.eng, v.ID, "a").Instances[0].Attempts == 2 })
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "finished", func() bool { d, _ := b.eng.Document(v.ID); return d.State.Terminal() })
	res, _ := b.eng.ResultDocument(context.Background(), v.ID)
	if !strings.Contains(res, "#+RESULTS: b\n: x=1\n") {
		t.Fatalf("results:\n%s", res)
	}
	for _, name := range []string{"a", "b"} {
		if in := blockState(t, b.eng, v.ID, name).Instances[0]; in.State != engine.Finished || in.Host == host {
			t.Errorf("%s: %+v", name, in)
		}
	}
}

// TestSessionTimeoutOnExecutor: a block of a session past its :timeout
// fails, saying so, and its interpreter is stopped (the session's task
// ends); the session's later block is not run.
func TestSessionTimeoutOnExecutor(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}, ResendInterval: time.Second})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir(), testExecutor(t))
	defer b.stop()
	v, err := b.eng.Submit(context.Background(), "#+name: slow\n#+begin_src sh :session k :timeout 1s\nsleep 600\n#+end_src\n\n"+
		"#+name: next\n#+begin_src sh :session k\necho next\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	defer b.eng.KillDocument(context.Background(), v.ID)
	waitFor(t, "the document ended", func() bool { d, _ := b.eng.Document(v.ID); return d.State.Terminal() })
	if s := blockState(t, b.eng, v.ID, "slow"); s.State != engine.Failed || !strings.Contains(s.Instances[0].Message, "timed out after 1s") {
		t.Errorf("slow: %+v", s.Instances[0])
	}
	if s := blockState(t, b.eng, v.ID, "next"); s.State != engine.Failed || s.Instances[0].Attempts != 0 {
		t.Errorf("next: %+v", s.Instances[0])
	}
	sessions, _ := sessionTasks(m)
	for id := range sessions {
		waitFor(t, "the session's task ended", func() bool { s, _ := m.TaskState(id); return s == mesoslib.TASK_KILLED })
	}
	waitFor(t, "nothing of the session left", func() bool { return len(sessionProcesses(v.ID)) == 0 })
}

// TestSessionLogLive: a running block of a session shows its transcript
// (its stderr) as it is printed, through the agent's files API, before
// it ends; once ended, its stdout is its result text.
func TestSessionLogLive(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}, ResendInterval: time.Second})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir(), testExecutor(t))
	defer b.stop()
	gate := filepath.Join(t.TempDir(), "go")
	v, err := b.eng.Submit(context.Background(), "#+name: talk\n#+begin_src sh :session s :results output\necho started\n"+
		"n=0; while [ ! -e "+gate+" ] && [ $n -lt 3000 ]; do sleep 0.02; n=$((n+1)); done; echo done\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	defer b.eng.KillDocument(context.Background(), v.ID)
	waitFor(t, "talk runs", func() bool { return blockState(t, b.eng, v.ID, "talk").State == engine.Running })
	id := blockState(t, b.eng, v.ID, "talk").Instances[0].AttemptID
	waitFor(t, "the transcript so far", func() bool {
		data, _, err := b.backend.ReadLog(context.Background(), id, "stderr", 0, 1<<20)
		return err == nil && strings.Contains(string(data), "started\n")
	})
	if data, _, _ := b.backend.ReadLog(context.Background(), id, "stderr", 0, 1<<20); strings.Contains(string(data), "done") {
		t.Fatalf("the transcript shows what was not printed yet: %q", data)
	}
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "talk finished", func() bool { return blockState(t, b.eng, v.ID, "talk").State == engine.Finished })
	if data, _, err := b.backend.ReadLog(context.Background(), id, "stdout", 0, 1<<20); err != nil || !strings.HasSuffix(string(data), "started\ndone") {
		t.Fatalf("stdout %q, %v", data, err)
	}
}
