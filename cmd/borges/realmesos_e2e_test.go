package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
)

// The same promises as the fake master's end-to-end tests, through the
// borges binary against a real Mesos 1.12 master and agents (realmesos):
// skipped without ../shared/mesos-bin, failed then under
// BORGES_TEST_STRICT=1.

// The tests on a real master and agents, each with a cluster and a
// Borges of its own, spend their time waiting on the agents: they call
// t.Parallel and run side by side (as many as go test's -parallel lets
// them); those on the agents' Docker containerizer, which share the
// machine's Docker engine, stay one at a time.

// startRealMesosServer starts a real master with the given agents and a
// Borges whose setupfile names it, with the borges binary under test as
// its executor on the agents (idle ones exit after 2 s, so that a test
// sees the agent left with no process); conf adds setupfile lines.
func startRealMesosServer(t *testing.T, opt realmesos.Options, conf string) (*server, *realmesos.Cluster, string) {
	t.Helper()
	return startRealMesosServerWith(t, opt, "#+mesos_executor: "+binary+"\n#+mesos_executor_idle: 2s\n"+conf)
}

// startRealMesosServerWith is startRealMesosServer with conf alone: no
// #+mesos_executor, a command executor per task, unless conf names one.
func startRealMesosServerWith(t *testing.T, opt realmesos.Options, conf string) (*server, *realmesos.Cluster, string) {
	t.Helper()
	c := realmesos.Start(t, opt)
	dir := t.TempDir()
	path := filepath.Join(dir, "borges-config.org")
	text := "#+TITLE: Borges Configuration\n\n#+mesos_master: " + c.Master() + "\n" + conf
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return startServer(t, filepath.Join(dir, "data"), "-f", path), c, path
}

// untilLong polls cond for up to 90 s: a real agent takes a second or
// more to start an executor, much more on a loaded machine.
func untilLong(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// tasksOf are the master's tasks of a document, by id.
func tasksOf(c *realmesos.Cluster, docID string) map[string]realmesos.Task {
	out := map[string]realmesos.Task{}
	for id, t := range c.State().Tasks() {
		if strings.HasPrefix(id, docID+".") {
			out[id] = t
		}
	}
	return out
}

// readmePipeline is the README's dependency example.
const readmePipeline = `#+name: hosts
#+begin_src sh
echo web1 web2
#+end_src

#+begin_src sh :var h=hosts :cpu 0.5 :mem 64
for x in $h; do echo "deploying to $x"; done
#+end_src
`

// TestRealMesosPipeline: the README's :var pipeline runs on a real agent
// and its results document is byte for byte the one Emacs writes for the
// same document (org-babel-execute-buffer) — also once the agent has
// completed the executors, and after Borges is killed and restarted.
func TestRealMesosPipeline(t *testing.T) {
	t.Parallel()
	want := emacsRunner(t)(readmePipeline)
	if !strings.Contains(want, "| deploying | to | web2 |\n") {
		t.Fatalf("Emacs's results:\n%s", want)
	}

	s, c, conf := startRealMesosServer(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}}, "")
	v := s.submit(readmePipeline)
	untilLong(t, "the pipeline finished on Mesos", func() bool { return s.doc(v.ID).State == engine.Finished })
	check := func(s *server, when string) {
		t.Helper()
		if _, got := s.get("/org/" + v.ID); got != want {
			t.Fatalf("%s: differs from Emacs:\n--- emacs\n%s\n--- borges on Mesos\n%s", when, want, got)
		}
	}
	check(s, "finished")
	untilLong(t, "the agent has no live executor left", func() bool { return len(c.TaskProcesses()) == 0 })
	check(s, "executors completed")
	s.kill9()
	s2 := startServer(t, s.data, "-f", conf)
	check(s2, "after kill -9 and a restart")
	// hosts, its run again for the :var reference (Emacs runs hosts
	// again as it resolves h) and the block that deploys: no task ran
	// again at the restart.
	if n := len(tasksOf(c, v.ID)); n != 3 {
		t.Fatalf("%d tasks at the master, want 3", n)
	}
}

// TestRealMesosOffers: offers are respected. Two :cpu 3 blocks on a
// 4-CPU agent run one after the other; :instances 3 with :ports 1 get
// three distinct ports from the offers; :constraints rack==b put every
// instance on the agent with that attribute; idle, the framework is
// suppressed at the master, and work revives it.
func TestRealMesosOffers(t *testing.T) {
	t.Parallel()
	s, c, _ := startRealMesosServer(t, realmesos.Options{Agents: []realmesos.AgentOptions{
		{Resources: "cpus:4;mem:1024;disk:1024;ports:[31000-31099]", Attributes: "rack:a"},
		{Resources: "cpus:1;mem:512;disk:1024;ports:[31100-31199]", Attributes: "rack:b"},
	}}, "")
	// SUPPRESS and REVIVE show in the master's metrics for the framework.
	suppressed := func() bool {
		for k, v := range c.Metrics() {
			if strings.HasPrefix(k, "master/frameworks/borges/") && strings.HasSuffix(k, "/roles/*/suppressed") {
				return v == 1
			}
		}
		return false
	}
	untilLong(t, "the idle framework is suppressed at the master", suppressed)

	revives := func() float64 {
		for k, v := range c.Metrics() {
			if strings.HasPrefix(k, "master/frameworks/borges/") && strings.HasSuffix(k, "/calls/revive") {
				return v
			}
		}
		return 0
	}
	big := s.submit("#+name: big1\n#+begin_src sh :cpu 3 :mem 32\nsleep 1; echo one\n#+end_src\n\n" +
		"#+name: big2\n#+begin_src sh :cpu 3 :mem 32\nsleep 1; echo two\n#+end_src\n")
	untilLong(t, "both big blocks finished", func() bool { return s.doc(big.ID).State == engine.Finished })
	if revives() < 1 {
		t.Fatal("no REVIVE at the master after work arrived")
	}
	var spans [][2]float64 // [running, ended] of each
	for _, task := range tasksOf(c, big.ID) {
		var span [2]float64
		for _, st := range task.Statuses {
			switch st.State {
			case "TASK_RUNNING":
				span[0] = st.Timestamp
			case "TASK_FINISHED":
				span[1] = st.Timestamp
			}
		}
		spans = append(spans, span)
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	if len(spans) != 2 || spans[0][1] == 0 || spans[1][0] < spans[0][1] {
		t.Fatalf("two :cpu 3 blocks on a 4-CPU agent overlapped: %v", spans)
	}

	ports := s.submit("#+name: listen\n#+begin_src sh :instances 3 :ports 1 :cpu 0.1 :mem 32\necho $PORT0\n#+end_src\n")
	untilLong(t, "the three instances finished", func() bool { return s.doc(ports.ID).State == engine.Finished })
	seen := map[string]bool{}
	for i := 0; i < 3; i++ {
		_, log := s.get("/org/" + ports.ID + "/blocks/listen/log?instance=" + string(rune('0'+i)))
		seen[strings.TrimSpace(log)] = true
	}
	if len(seen) != 3 {
		t.Fatalf("ports of the three instances: %v", seen)
	}
	for p := range seen {
		if !strings.HasPrefix(p, "31") || len(p) != 5 {
			t.Fatalf("port %q is not from the agents' ranges", p)
		}
	}

	rackB := ""
	for _, a := range c.State().Slaves {
		if a.Attributes["rack"] == "b" {
			rackB = a.ID
		}
	}
	placed := s.submit("#+name: onb\n#+begin_src sh :instances 2 :cpu 0.2 :mem 32 :constraints rack==b\necho on b\n#+end_src\n")
	untilLong(t, "the constrained instances finished", func() bool { return s.doc(placed.ID).State == engine.Finished })
	tasks := tasksOf(c, placed.ID)
	if len(tasks) != 2 {
		t.Fatalf("%d tasks for :instances 2", len(tasks))
	}
	for id, task := range tasks {
		if task.AgentID != rackB {
			t.Fatalf("%s ran on agent %s, not on rack b's %s", id, task.AgentID, rackB)
		}
	}
	untilLong(t, "suppressed again once idle", suppressed)
}

// TestRealMesosFaults: a keep-running block through a master restart
// (killed by pid, started again; its agents register again) and a kill -9
// of Borges: Borges subscribes again with its framework id each time,
// nothing runs twice, its output is still served; DELETE kills it
// (TASK_KILLED at the master) and no process of it is left on the agent;
// meanwhile borges logs -f streams its sandbox's output live.
func TestRealMesosFaults(t *testing.T) {
	t.Parallel()
	s, c, conf := startRealMesosServer(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}},
		MasterFlags: []string{"--agent_ping_timeout=1secs", "--max_agent_ping_timeouts=3"}}, "")
	v := s.submit("#+name: daemon\n#+begin_src sh :ensure it-keeps-running :cpu 0.5 :mem 32\nwhile true; do echo alive; sleep 0.2; done\n#+end_src\n")
	first := attemptOf(t, s, v.ID, "daemon", 1)
	untilLong(t, "daemon running", func() bool { return blockOf(s.doc(v.ID), "daemon").State == engine.Running })
	oneTask := func(when string) {
		t.Helper()
		untilLong(t, when+": the master has daemon's task running", func() bool { return tasksOf(c, v.ID)[first].State == "TASK_RUNNING" })
		if b := blockOf(s.doc(v.ID), "daemon"); b.State != engine.Running || b.Instances[0].Attempts != 1 {
			t.Fatalf("%s: daemon %+v", when, b.Instances[0])
		}
		if tasks := tasksOf(c, v.ID); len(tasks) != 1 {
			t.Fatalf("%s: tasks at the master %v", when, tasks)
		}
	}

	c.RestartMaster()
	untilLong(t, "Borges subscribed to the new master", func() bool {
		for _, f := range c.State().Frameworks {
			if f.Name == "borges" && f.Active {
				return true
			}
		}
		return false
	})
	oneTask("after the master's restart")

	s.kill9()
	s = startServer(t, s.data, "-f", conf)
	untilLong(t, "re-subscribed after kill -9", func() bool { return strings.Contains(s.log.String(), "Framework registered with ID=") })
	oneTask("after Borges' kill -9")
	untilLong(t, "its output still served", func() bool {
		_, log := s.get("/org/" + v.ID + "/blocks/daemon/log")
		return strings.Count(log, "alive") >= 3
	})
	if n := strings.Count(s.log.String(), "Framework registered with ID="); n != 1 {
		t.Fatalf("%d registrations", n)
	}

	// borges logs -f streams the sandbox's output as it grows, and ends
	// when the block does.
	follow := exec.Command(binary, "logs", "-f", v.ID, "daemon")
	follow.Env = append(os.Environ(), "BORGES_ADDR="+s.addr, "BORGES_DATA="+s.data)
	followed := &syncBuffer{}
	follow.Stdout, follow.Stderr = followed, followed
	if err := follow.Start(); err != nil {
		t.Fatal(err)
	}
	followDone := make(chan struct{})
	go func() { follow.Wait(); close(followDone) }()
	t.Cleanup(func() { follow.Process.Kill(); <-followDone })
	untilLong(t, "logs -f shows the output", func() bool { return strings.Count(followed.String(), "alive\n") >= 3 })
	seen := strings.Count(followed.String(), "alive\n")
	untilLong(t, "logs -f shows new output as it comes", func() bool { return strings.Count(followed.String(), "alive\n") >= seen+5 })

	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+v.ID, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	select {
	case <-followDone:
	case <-time.After(90 * time.Second):
		t.Fatalf("logs -f still following after DELETE:\n%s", followed.String())
	}
	untilLong(t, "TASK_KILLED at the master", func() bool { return tasksOf(c, v.ID)[first].State == "TASK_KILLED" })
	untilLong(t, "no process left on the agent", func() bool { return len(c.TaskProcesses()) == 0 })
	if b := blockOf(s.doc(v.ID), "daemon"); b.State != engine.Killed {
		t.Fatalf("daemon %+v", b)
	}
}

// TestRealMesosRedisDockerized: the original README's redis example as
// written, on a real agent with --containerizers=docker,mesos: the two
// dockerized blocks run in containers of this machine's Docker engine
// (a locally imported stand-in image; the redis server a few lines of
// busybox), the writer as a command task; the reader sees what the writer
// set; DELETE kills all three and no container or process is left.
func TestRealMesosRedisDockerized(t *testing.T) {
	outside.Docker(t)
	bin := t.TempDir()
	if err := os.Symlink("/bin/busybox", filepath.Join(bin, "nc")); err != nil {
		t.Fatal(err)
	}
	// A real agent gives its command tasks a PATH of its own: the
	// writer's nc is put on it.
	path := fmt.Sprintf(`--executor_environment_variables={"PATH":%q}`, bin+":/usr/sbin:/usr/bin:/sbin:/bin")
	s, c, _ := startRealMesosServer(t, realmesos.Options{Agents: []realmesos.AgentOptions{{
		Resources: "cpus:4;mem:2048;disk:1024;ports:[31000-31099]", Flags: []string{"--containerizers=docker,mesos", path}}}}, "")
	doc := strings.NewReplacer("IMAGE", outside.TestImage, "PORT", fmt.Sprint(freePort(t))).Replace(redisDockerized)
	v := s.submit(doc)
	t.Cleanup(func() {
		if t.Failed() {
			for _, b := range s.doc(v.ID).Blocks {
				_, out := s.get("/org/" + v.ID + "/blocks/" + b.Name + "/log")
				_, errs := s.get("/org/" + v.ID + "/blocks/" + b.Name + "/log?stream=stderr")
				t.Logf("%s: %+v\nstdout: %q\nstderr: %q", b.Name, b.Instances[0], out, errs)
			}
		}
	})
	value := regexp.MustCompile(`Current value in Redis:\n[0-9]{10}\n`)
	untilLong(t, "the dockerized reader sees what the writer set", func() bool {
		_, log := s.get("/org/" + v.ID + "/blocks/get-something-from-redis/log")
		return value.MatchString(log)
	})
	if n := len(c.Containers()); n != 2 {
		t.Fatalf("%d containers of the agent run, want 2", n)
	}
	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+v.ID, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	untilLong(t, "all are killed", func() bool { return s.doc(v.ID).State == engine.Killed })
	for id, task := range tasksOf(c, v.ID) {
		if task.State != "TASK_KILLED" {
			t.Errorf("%s: %s at the master", id, task.State)
		}
	}
	untilLong(t, "no container and no process left", func() bool { return len(c.Containers()) == 0 && len(c.TaskProcesses()) == 0 })
}

// TestRealMesosKilledWhileUnacknowledged: Borges is frozen (SIGSTOP) while
// a block runs, so that the block's TASK_FINISHED reaches it but is never
// acknowledged, then killed -9 and started again: the update is not lost
// (the block is finished with its output) and nothing ran twice.
func TestRealMesosKilledWhileUnacknowledged(t *testing.T) {
	t.Parallel()
	s, c, conf := startRealMesosServer(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}}, "")
	gate := filepath.Join(t.TempDir(), "go")
	v := s.submit("#+name: late\n#+begin_src sh :cpu 0.1 :mem 32\nwhile [ ! -e " + gate + " ]; do sleep 0.1; done\necho done late\n#+end_src\n")
	task := attemptOf(t, s, v.ID, "late", 1)
	untilLong(t, "late running", func() bool { return blockOf(s.doc(v.ID), "late").State == engine.Running })
	if err := s.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	untilLong(t, "the master has late finished", func() bool { return tasksOf(c, v.ID)[task].State == "TASK_FINISHED" })
	s.kill9()
	s2 := startServer(t, s.data, "-f", conf)
	untilLong(t, "late finished after the restart", func() bool { return blockOf(s2.doc(v.ID), "late").State == engine.Finished })
	if b := blockOf(s2.doc(v.ID), "late"); b.Instances[0].Attempts != 1 {
		t.Fatalf("late was run again: %+v", b.Instances[0])
	}
	if _, res := s2.get("/org/" + v.ID); !strings.Contains(res, "#+RESULTS: late\n: done late\n") {
		t.Fatalf("results:\n%s", res)
	}
	if n := len(tasksOf(c, v.ID)); n != 1 {
		t.Fatalf("%d tasks at the master", n)
	}
}

// TestRealMesosAgentLost: the agent under a keep-running block is killed
// with its tasks while a second agent is there; the master (short ping
// timeouts) reports the task unreachable and, after
// #+mesos_unreachable_grace, Borges runs the block again on the other
// agent.
func TestRealMesosAgentLost(t *testing.T) {
	t.Parallel()
	s, c, _ := startRealMesosServer(t, realmesos.Options{
		// Room for the block and Borges' executor.
		Agents:      []realmesos.AgentOptions{{Resources: "cpus:1.5;mem:256;disk:64"}, {Resources: "cpus:1.5;mem:256;disk:64"}},
		MasterFlags: []string{"--agent_ping_timeout=1secs", "--max_agent_ping_timeouts=3"}},
		"#+mesos_unreachable_grace: 2s\n")
	v := s.submit("#+name: daemon\n#+begin_src sh :ensure it-keeps-running :cpu 1 :mem 32\nwhile true; do echo alive; sleep 0.2; done\n#+end_src\n")
	untilLong(t, "daemon running", func() bool { return tasksOf(c, v.ID)[attemptOf(t, s, v.ID, "daemon", 1)].State == "TASK_RUNNING" })
	first := tasksOf(c, v.ID)[attemptOf(t, s, v.ID, "daemon", 1)]
	if !strings.HasPrefix(first.ExecutorID, "borges-executor-") {
		t.Fatalf("daemon is not on Borges' executor: %+v", first)
	}
	lost := first.AgentID
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
	untilLong(t, "daemon running again on the other agent", func() bool {
		t2 := tasksOf(c, v.ID)[attemptOf(t, s, v.ID, "daemon", 2)]
		return t2.State == "TASK_RUNNING" && t2.AgentID != lost && strings.HasPrefix(t2.ExecutorID, "borges-executor-")
	})
	// Borges hears of it after the master does.
	untilLong(t, "Borges has daemon running in its second attempt", func() bool {
		b := blockOf(s.doc(v.ID), "daemon")
		return b.State == engine.Running && b.Instances[0].Attempts == 2
	})
	if b := blockOf(s.doc(v.ID), "daemon"); b.Instances[0].Attempts != 2 {
		t.Fatalf("daemon %+v", b.Instances[0])
	}
}

// TestRealMesosRunForever: the original README's first example as written
// on a real agent: its output comes through the agent's files API into the
// results, the original's log lines appear, and DELETE kills the task and
// leaves no process on the agent: on Borges' executor, and with a command
// executor per task (no #+mesos_executor).
func TestRealMesosRunForever(t *testing.T) {
	t.Parallel()
	opt := realmesos.Options{Agents: []realmesos.AgentOptions{{Resources: "cpus:4;mem:2812;disk:1024"}}}
	onBothExecutors(t, opt, testRunForever)
}

// onBothExecutors runs test on a server of a real cluster of opt twice:
// with Borges' executor, and with a command executor per task (no
// #+mesos_executor).
func onBothExecutors(t *testing.T, opt realmesos.Options, test func(*testing.T, *server, *realmesos.Cluster)) {
	t.Run("Borges executor", func(t *testing.T) {
		t.Parallel()
		s, c, _ := startRealMesosServer(t, opt, "")
		test(t, s, c)
	})
	t.Run("command executors", func(t *testing.T) {
		t.Parallel()
		s, c, _ := startRealMesosServerWith(t, opt, "")
		test(t, s, c)
	})
}

func testRunForever(t *testing.T, s *server, c *realmesos.Cluster) {
	v := s.submit(runForever)
	untilRunForeverRuns(t, s, v.ID, untilLong)
	for _, want := range []string{"Framework registered with ID=", "Received Offer with cpus = 4  mem = 2812"} {
		if !strings.Contains(s.log.String(), want) {
			t.Errorf("server log lacks %q", want)
		}
	}
	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+v.ID, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	untilLong(t, "TASK_KILLED at the master", func() bool {
		tasks := tasksOf(c, v.ID)
		return len(tasks) == 1 && tasks[attemptOf(t, s, v.ID, "run-forever", 1)].State == "TASK_KILLED"
	})
	untilLong(t, "no process left on the agent", func() bool { return len(c.TaskProcesses()) == 0 })
}

// TestRealMesosContainerizerMesos: :containerizer mesos with a Docker
// image, on an agent of the Mesos containerizer with a Linux launcher,
// cgroups, the pid namespace and a Docker image provisioner reading `docker
// save` tarballs from a folder (the locally imported test image). The
// Mesos containerizer mounts /proc/sysrq-trigger read-only into the
// container: on a kernel without it the launch fails, which is checked to
// be reported with the agent's reason, and the test is then skipped.
func TestRealMesosContainerizerMesos(t *testing.T) {
	outside.Docker(t)
	registry := t.TempDir()
	repo, tag, _ := strings.Cut(outside.TestImage, ":")
	if err := os.MkdirAll(filepath.Join(registry, filepath.Dir(repo)), 0o755); err != nil {
		t.Fatal(err)
	}
	// The local puller reads REGISTRY/REPOSITORY:TAG.tar.
	if out, err := exec.Command("docker", "save", "-o", filepath.Join(registry, repo+":"+tag+".tar"), outside.TestImage).CombinedOutput(); err != nil {
		t.Fatalf("docker save: %v: %s", err, out)
	}
	s, _, _ := startRealMesosServer(t, realmesos.Options{Agents: []realmesos.AgentOptions{{Flags: []string{
		"--launcher=linux", "--isolation=cgroups/cpu,cgroups/mem,filesystem/linux,docker/runtime,namespaces/pid",
		"--image_providers=docker", "--docker_registry=" + registry}}}}, "")
	v := s.submit("#+name: boxed\n#+begin_src sh :dockerize t :image " + outside.TestImage + " :containerizer mesos :cpu 0.1 :mem 32\necho in a mesos container\n#+end_src\n")
	untilLong(t, "boxed ended", func() bool { return s.doc(v.ID).State.Terminal() })
	if _, err := os.Stat("/proc/sysrq-trigger"); err != nil {
		b := blockOf(s.doc(v.ID), "boxed")
		_, why := s.get("/org/" + v.ID + "/blocks/boxed/log?stream=stderr")
		if b.State != engine.Failed || !strings.Contains(why, "sysrq-trigger") {
			t.Fatalf("on a kernel without /proc/sysrq-trigger: %+v, stderr %q", b.Instances[0], why)
		}
		t.Skipf("this kernel has no /proc/sysrq-trigger, which Mesos 1.12's containerizer mounts read-only into every container: the launch failed as it must (%s)", b.Instances[0].Message)
	}
	if _, res := s.get("/org/" + v.ID); s.doc(v.ID).State != engine.Finished || !strings.Contains(res, "#+RESULTS: boxed\n: in a mesos container\n") {
		t.Fatalf("results:\n%s", res)
	}
}

// TestRealMesosNothingOutlivesItsBlock: on a real agent with the posix
// launcher, what a block started — a process in a session of its own, one
// orphaned by a double fork, one both (proctest.Escapes) — is gone when
// the block is, however it ended: by itself (exit 0 or a failure), by a
// kill (DELETE), by its :timeout (the executor enforces its task's
// max_completion_time); under Borges' executor, and under command
// executors (whose kill misses the third, and whose end by itself kills
// nothing: the task's guard kills them).
func TestRealMesosNothingOutlivesItsBlock(t *testing.T) {
	t.Parallel()
	opt := realmesos.Options{Agents: []realmesos.AgentOptions{{}}}
	onBothExecutors(t, opt, testNothingOutlivesItsBlock)
}

func testNothingOutlivesItsBlock(t *testing.T, s *server, c *realmesos.Cluster) {
	gate := filepath.Join(t.TempDir(), "go")
	// leave runs proctest.Escapes, its "go" a link to gate.
	leave := func(m, end string) string { return "ln -s " + gate + " go\n" + proctest.Escapes(m, end) }
	ends, fails, killed, timedOut := proctest.Marker(t), proctest.Marker(t), proctest.Marker(t), proctest.Marker(t)
	// keeper keeps Borges' executor busy meanwhile: an executor that
	// exits kills whatever is left in its cgroups, which must not be what
	// cleans up after the blocks.
	keeper := s.submit("#+name: keeper\n#+begin_src sh :cpu 0.1 :mem 32\nsleep 600\n#+end_src\n")
	untilLong(t, "keeper runs", func() bool { return blockOf(s.doc(keeper.ID), "keeper").State == engine.Running })
	v := s.submit("#+name: ends\n#+begin_src sh :cpu 0.1 :mem 32\n" + leave(ends, "echo left three") + "#+end_src\n\n" +
		"#+name: fails\n#+begin_src sh :cpu 0.1 :mem 32\n" + leave(fails, "echo left three; exit 3") + "#+end_src\n")
	k := s.submit("#+name: killed\n#+begin_src sh :cpu 0.1 :mem 32\n" + leave(killed, "sleep 600") + "#+end_src\n")
	// Long enough for its three to start on a loaded machine.
	slow := s.submit("#+name: slow\n#+begin_src sh :cpu 0.1 :mem 32 :timeout 20s\n" + leave(timedOut, "sleep 600") + "#+end_src\n")
	for _, m := range []string{ends, fails, killed, timedOut} {
		proctest.WaitMarked(t, m, 3)
	}
	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+k.ID, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	if err := os.WriteFile(gate, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	untilLong(t, "ends finished", func() bool { return blockOf(s.doc(v.ID), "ends").State == engine.Finished })
	untilLong(t, "fails failed", func() bool { return blockOf(s.doc(v.ID), "fails").State == engine.Failed })
	untilLong(t, "killed killed", func() bool { return s.doc(k.ID).State == engine.Killed })
	if in := blockOf(s.doc(v.ID), "fails").Instances[0]; in.ExitCode == nil || *in.ExitCode != 3 {
		t.Fatalf("fails: exit %v", in.ExitCode)
	}
	for _, b := range []struct{ name, m string }{{"ends", ends}, {"fails", fails}} {
		if _, log := s.get("/org/" + v.ID + "/blocks/" + b.name + "/log"); log != "left three\n" {
			t.Fatalf("%s's output: %q", b.name, log)
		}
		proctest.WaitGone(t, b.m)
	}
	proctest.WaitGone(t, killed)
	untilLong(t, "slow timed out", func() bool { return s.doc(slow.ID).State.Terminal() })
	if b := blockOf(s.doc(slow.ID), "slow"); b.State != engine.Failed || b.Instances[0].Message != "timed out after 20s" {
		t.Fatalf("slow: %s %q", b.State, b.Instances[0].Message)
	}
	proctest.WaitGone(t, timedOut)
	if b := blockOf(s.doc(keeper.ID), "keeper"); b.State != engine.Running {
		t.Fatalf("keeper %s: the executor did not stay", b.State)
	}
	req, _ = http.NewRequest("DELETE", "http://"+s.addr+"/org/"+keeper.ID, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	untilLong(t, "no process left on the agent", func() bool { return len(c.TaskProcesses()) == 0 })
}

// TestRealMesosEmacsLispEnvironment: on Borges' executor at a real agent,
// a variable an Emacs Lisp block removes is gone for the block after it,
// though the agent gives it to the executor, which gives it to the block
// before (MESOS_FRAMEWORK_ID), and a variable it sets reaches it.
func TestRealMesosEmacsLispEnvironment(t *testing.T) {
	t.Parallel()
	emacsRunner(t)
	s, _, _ := startRealMesosServer(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}}, "")
	v := s.submit("#+name: before\n#+begin_src sh\necho \"framework=${MESOS_FRAMEWORK_ID:+given}\"\n#+end_src\n\n" +
		"#+name: env\n#+begin_src emacs-lisp\n(setenv \"MESOS_FRAMEWORK_ID\")\n(setenv \"REAL_MESOS_FOO\" \"bar\")\n#+end_src\n\n" +
		"#+name: after\n#+begin_src sh\necho \"framework=${MESOS_FRAMEWORK_ID-unset} foo=$REAL_MESOS_FOO\"\n#+end_src\n")
	untilLong(t, "the document ended on Mesos", func() bool { return s.doc(v.ID).State.Terminal() })
	if _, res := s.get("/org/" + v.ID); !strings.Contains(res, "#+RESULTS: before\n: framework=given\n") ||
		!strings.Contains(res, "#+RESULTS: after\n: framework=unset foo=bar\n") {
		t.Fatalf("results:\n%s", res)
	}
}
