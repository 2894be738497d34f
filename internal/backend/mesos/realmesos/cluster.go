package realmesos

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/backend/mesos/executor"
	"github.com/wallyqs/borges/internal/cgroup"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/proctest"
)

// AgentOptions configure one agent.
type AgentOptions struct {
	// Resources as --resources (default cpus:2;mem:1024;disk:1024 and
	// 100 ports from 31000+100×index).
	Resources string
	// Attributes as --attributes ("rack:b;zone:eu").
	Attributes string
	// Flags are further agent flags.
	Flags []string
}

// Options configure a cluster.
type Options struct {
	Agents []AgentOptions
	// MasterFlags are further master flags (short agent ping timeouts for
	// tests that restart the master or lose an agent).
	MasterFlags []string
}

// Cluster is a running master with its agents.
type Cluster struct {
	t      testing.TB
	home   string
	dir    string // logs and work directories
	port   int
	master *proc
	agents []*agentProc
	opt    Options
}

type proc struct {
	cmd  *exec.Cmd
	log  string
	done chan struct{}
	// shown: its log's tail is in a failure's message already.
	shown bool
}

type agentProc struct {
	*proc
	port    int
	workDir string
	args    []string
}

// cgroupsRoot names the agent's cgroups (cgroups isolation only).
func (a *agentProc) cgroupsRoot() string { return "borges-mesos-test-" + strconv.Itoa(a.port) }

// Start starts a master and the agents and waits until every agent is
// registered; all is stopped at cleanup, whatever happens, with every
// executor and task the agents started.
func Start(t testing.TB, opt Options) *Cluster {
	t.Helper()
	home := Home(t)
	c := &Cluster{t: t, home: home, dir: t.TempDir(), opt: opt}
	t.Cleanup(c.stop)
	c.port = freePort(t)
	c.startMaster()
	for i, a := range opt.Agents {
		ap := &agentProc{port: freePort(t), workDir: filepath.Join(c.dir, fmt.Sprintf("agent%d", i))}
		res := a.Resources
		if res == "" {
			res = fmt.Sprintf("cpus:2;mem:1024;disk:1024;ports:[%d-%d]", 31000+100*i, 31099+100*i)
		}
		ap.args = []string{"--ip=127.0.0.1", "--port=" + strconv.Itoa(ap.port), "--master=" + c.Master(),
			"--work_dir=" + ap.workDir, "--launcher=posix", "--isolation=posix/cpu,posix/mem",
			"--no-systemd_enable_support", "--resources=" + res, "--hostname=localhost",
			// Everything an agent keeps under its own work directory: an
			// agent takes containers it finds in a shared runtime
			// directory for orphans of its own, and kills them.
			"--runtime_dir=" + filepath.Join(ap.workDir, "run"),
			"--docker_store_dir=" + filepath.Join(ap.workDir, "store", "docker"),
			"--appc_store_dir=" + filepath.Join(ap.workDir, "store", "appc"),
			"--fetcher_cache_dir=" + filepath.Join(ap.workDir, "fetch"),
			// Agents of other tests run on this machine at the same
			// time (the packages' tests run in parallel): a Docker
			// containerizer that kills the mesos-* containers it does
			// not know would kill theirs. Ours are removed at cleanup.
			"--no-docker_kill_orphans",
			// With cgroups isolation: a cgroup root of its own, removed
			// at cleanup.
			"--cgroups_root=" + ap.cgroupsRoot(),
			// An agent started again waits this long for its executors
			// to subscribe before it shuts them down (Mesos' default:
			// 2 seconds, which an executor on a machine as loaded as a
			// test run's may miss; at most 15). Mesos 1.12 registers the
			// agent with its master only once this has passed
			// (MESOS-7539): a restart costs the tests that much.
			"--executor_reregistration_timeout=10secs"}
		if a.Attributes != "" {
			ap.args = append(ap.args, "--attributes="+a.Attributes)
		}
		ap.args = append(overridden(ap.args, a.Flags), a.Flags...)
		c.agents = append(c.agents, ap)
		c.startAgent(i)
	}
	c.WaitAgents(len(opt.Agents))
	return c
}

// overridden drops the defaults that flags give again (an agent refuses
// a flag given twice).
func overridden(defaults, flags []string) []string {
	given := map[string]bool{}
	for _, f := range flags {
		name, _, _ := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		given[strings.TrimPrefix(name, "no-")] = true
	}
	var out []string
	for _, d := range defaults {
		name, _, _ := strings.Cut(strings.TrimPrefix(d, "--"), "=")
		if !given[strings.TrimPrefix(name, "no-")] {
			out = append(out, d)
		}
	}
	return out
}

// Master is the master's host:port.
func (c *Cluster) Master() string { return "127.0.0.1:" + strconv.Itoa(c.port) }

// URL is the master's base URL.
func (c *Cluster) URL() string { return "http://" + c.Master() }

// AgentURL is agent i's base URL.
func (c *Cluster) AgentURL(i int) string { return "http://127.0.0.1:" + strconv.Itoa(c.agents[i].port) }

func (c *Cluster) startMaster() {
	c.t.Helper()
	args := append([]string{"--ip=127.0.0.1", "--port=" + strconv.Itoa(c.port), "--hostname=localhost",
		"--work_dir=" + filepath.Join(c.dir, "master"), "--registry=in_memory"}, c.opt.MasterFlags...)
	c.master = c.start("mesos-master", filepath.Join(c.dir, "master.log"), args)
	c.waitHTTP(c.master, "the master", c.URL()+"/health")
}

func (c *Cluster) startAgent(i int) {
	c.t.Helper()
	a := c.agents[i]
	a.proc = c.start("mesos-agent", filepath.Join(c.dir, fmt.Sprintf("agent%d.log", i)), a.args)
}

// start runs a Mesos program in its own process group, its output
// appended to log.
func (c *Cluster) start(program, log string, args []string) *proc {
	c.t.Helper()
	out, err := os.OpenFile(log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		c.t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command(filepath.Join(c.home, "bin", program), args...)
	cmd.Env = env(c.home)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("starting %s: %v", program, err)
	}
	p := &proc{cmd: cmd, log: log, done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	return p
}

// kill ends a program's process group with SIGKILL and waits for it.
func (p *proc) kill() {
	if p == nil {
		return
	}
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
	}
}

// RestartMaster kills the master (SIGKILL, by pid) and starts it again on
// the same port. Its registry is in memory: agents re-register (after the
// ping timeout the master gave them) and frameworks subscribe again.
func (c *Cluster) RestartMaster() {
	c.t.Helper()
	c.master.kill()
	c.startMaster()
}

// KillAgent kills agent i (SIGKILL); its executors and tasks are killed
// too, as when its machine goes away.
func (c *Cluster) KillAgent(i int) {
	c.t.Helper()
	c.agents[i].kill()
	for _, pid := range proctest.Under(c.agents[i].workDir) {
		syscall.Kill(pid, syscall.SIGKILL)
	}
}

// HoldAgent stops agent i's process (SIGSTOP: its executors, in sessions
// of their own, run on) until the function it returns is called (or the
// test ends): a master started meanwhile does not hear from it, whatever
// the machine's load.
func (c *Cluster) HoldAgent(i int) (resume func()) {
	c.t.Helper()
	pid := c.agents[i].cmd.Process.Pid
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		c.t.Fatalf("stopping agent %d: %v", i, err)
	}
	var once sync.Once
	resume = func() { once.Do(func() { syscall.Kill(pid, syscall.SIGCONT) }) }
	c.t.Cleanup(resume)
	return resume
}

// RestartAgent kills agent i alone (SIGKILL to the agent's process
// group: its executors live in sessions of their own and run on) and
// starts it again with the same flags and work directory: it recovers its
// checkpointed executors, which subscribe to it again.
func (c *Cluster) RestartAgent(i int) {
	c.t.Helper()
	c.agents[i].kill()
	c.startAgent(i)
}

// WaitAgents waits until n agents are registered and active.
func (c *Cluster) WaitAgents(n int) {
	c.t.Helper()
	c.until(fmt.Sprintf("%d agents are registered", n), 90*time.Second, func() bool {
		c.failIfExited(c.master, "the master")
		for i, a := range c.agents {
			c.failIfExited(a.proc, fmt.Sprintf("agent %d", i))
		}
		var s struct {
			Slaves []struct {
				Active bool `json:"active"`
			} `json:"slaves"`
		}
		if c.get("/slaves", &s) != nil {
			return false
		}
		active := 0
		for _, a := range s.Slaves {
			if a.Active {
				active++
			}
		}
		return active >= n
	})
}

// Get decodes the JSON of a master endpoint ("/state", "/slaves").
func (c *Cluster) Get(path string, v any) error { return c.get(path, v) }

func (c *Cluster) get(path string, v any) error {
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Get(c.URL() + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Task is a task as the master's /state shows it.
type Task struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	FrameworkID string `json:"framework_id"`
	AgentID     string `json:"slave_id"`
	State       string `json:"state"`
	ExecutorID  string `json:"executor_id"` // "" for a task with a command executor of its own
	Resources   struct {
		CPUs  float64 `json:"cpus"`
		Ports string  `json:"ports"`
	} `json:"resources"`
	Statuses []struct {
		State     string  `json:"state"`
		Timestamp float64 `json:"timestamp"`
	} `json:"statuses"`
}

// Framework is a framework as the master's /state shows it.
type Framework struct {
	ID             string   `json:"id"`
	Name           string   `json:"name"`
	Active         bool     `json:"active"`
	Capabilities   []string `json:"capabilities"`
	Tasks          []Task   `json:"tasks"`
	CompletedTasks []Task   `json:"completed_tasks"`
	UnreachableTks []Task   `json:"unreachable_tasks"`
	Suppressed     []string `json:"suppressed_roles"`
}

// State is the master's /state, reduced to what tests look at.
type State struct {
	Frameworks          []Framework `json:"frameworks"`
	CompletedFrameworks []Framework `json:"completed_frameworks"`
	Slaves              []struct {
		ID         string         `json:"id"`
		Attributes map[string]any `json:"attributes"`
		Resources  map[string]any `json:"resources"`
		Used       map[string]any `json:"used_resources"`
	} `json:"slaves"`
}

// State reads the master's /state (zero State when it does not answer).
func (c *Cluster) State() State {
	var s State
	c.get("/state", &s)
	return s
}

// Tasks lists every task of every framework the master knows, live and
// completed, by id.
func (s State) Tasks() map[string]Task {
	out := map[string]Task{}
	for _, fs := range [][]Framework{s.Frameworks, s.CompletedFrameworks} {
		for _, f := range fs {
			for _, ts := range [][]Task{f.Tasks, f.CompletedTasks, f.UnreachableTks} {
				for _, t := range ts {
					out[t.ID] = t
				}
			}
		}
	}
	return out
}

// TaskProcesses lists the processes still running for the agents:
// executors and tasks (their working directory or environment is under an
// agent's work directory).
func (c *Cluster) TaskProcesses() []int {
	var pids []int
	for _, a := range c.agents {
		pids = append(pids, proctest.Under(a.workDir)...)
	}
	return pids
}

// stop kills the agents, the master and every executor and task the
// agents started, and checks that nothing is left; on failure the logs'
// tails are shown.
func (c *Cluster) stop() {
	if c.t.Failed() {
		// What a test waited for in vain is often a process still there:
		// say which, before they are killed.
		for _, pid := range c.TaskProcesses() {
			c.t.Logf("left on an agent: %s", describeProcess(pid))
		}
	}
	for _, a := range c.agents {
		if a.proc != nil {
			a.kill()
		}
	}
	c.master.kill()
	var left []int
	for i := 0; i < 100; i++ {
		left = c.TaskProcesses()
		if len(left) == 0 {
			break
		}
		for _, pid := range left {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if len(left) > 0 {
		c.t.Errorf("processes of the Mesos agents still running after cleanup: %v", left)
	}
	if gone := c.removeContainers(); len(gone) > 0 {
		c.t.Logf("removed Docker containers the agents left: %v", gone)
	}
	// An agent with the Linux launcher makes its work directory a mount
	// point and mounts containers' root filesystems under it.
	for _, a := range c.agents {
		outside.UnmountUnder(a.workDir)
		outside.RemoveCgroups(a.cgroupsRoot())
		removeExecutorCgroups(a.workDir)
	}
	if c.t.Failed() {
		procs := []*proc{c.master}
		for _, a := range c.agents {
			procs = append(procs, a.proc)
		}
		for _, p := range procs {
			if p != nil && !p.shown {
				c.t.Logf("--- tail of %s:\n%s", filepath.Base(p.log), tail(p.log))
			}
		}
	}
}

// describeProcess is a process's pid, parent, command line and working
// directory, as /proc shows them.
func describeProcess(pid int) string {
	dir := filepath.Join("/proc", strconv.Itoa(pid))
	cmdline, _ := os.ReadFile(filepath.Join(dir, "cmdline"))
	cwd, _ := os.Readlink(filepath.Join(dir, "cwd"))
	ppid := "?"
	if p, ok := proclist.Of(pid); ok {
		ppid = strconv.Itoa(p.PPID)
	}
	return fmt.Sprintf("pid %d (parent %s) %q in %s", pid, ppid, strings.TrimSpace(string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '}))), cwd)
}

// waitHTTP waits until p, called name, answers url with 200 OK; if p
// exits first, the test fails at once.
func (c *Cluster) waitHTTP(p *proc, name, url string) {
	c.t.Helper()
	start := time.Now()
	c.until(name+" answers", 90*time.Second, func() bool {
		c.failIfExited(p, name)
		resp, err := (&http.Client{Timeout: 2 * time.Second}).Get(url)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	if d := time.Since(start); d > 20*time.Second {
		// Not a failure: a sign of a loaded machine, for the logs.
		c.t.Logf("real Mesos: %s answered after %v", name, d.Round(time.Second))
	}
}

// failIfExited fails the test at once, with the tail of p's log, when p
// (called name) has exited: whatever a test waits for will not come.
func (c *Cluster) failIfExited(p *proc, name string) {
	c.t.Helper()
	select {
	case <-p.done:
		p.shown = true
		c.t.Fatalf("real Mesos: %s exited (%v); tail of %s:\n%s", name, p.cmd.ProcessState, filepath.Base(p.log), tail(p.log))
	default:
	}
}

// tail is the end of a log file.
func tail(log string) []byte {
	data, _ := os.ReadFile(log)
	if len(data) > 4000 {
		data = data[len(data)-4000:]
	}
	return data
}

// until polls cond for at most limit; a real agent is slow under load,
// so limits are generous and only bound the wait.
func (c *Cluster) until(what string, limit time.Duration, cond func() bool) {
	c.t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			c.t.Fatalf("real Mesos: timed out after %v waiting until %s", limit, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// freePort is a port for one of the cluster's programs, below the
// ephemeral range (see outside.ServerPort): an agent started again on its
// port must not find an outgoing connection on it.
func freePort(t testing.TB) int {
	t.Helper()
	p, err := outside.ServerPort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Metrics reads the master's /metrics/snapshot (empty when it does not
// answer). A framework's suppression shows there, not in /state:
// master/frameworks/NAME/ID/roles/ROLE/suppressed is 1.
func (c *Cluster) Metrics() map[string]float64 {
	m := map[string]float64{}
	c.get("/metrics/snapshot", &m)
	return m
}

// removeContainers removes the Docker containers the agents' Docker
// containerizer started, which outlive the agent and its executors.
func (c *Cluster) removeContainers() []string {
	ids := c.containers(true)
	for _, id := range ids {
		exec.Command("docker", "rm", "-f", id).Run()
	}
	return ids
}

// Containers lists the Docker containers the agents' Docker
// containerizer runs now (ids).
func (c *Cluster) Containers() []string { return c.containers(false) }

// containers lists the agents' containers (all: stopped ones too): named
// mesos-…, with a sandbox of an agent's work directory mounted.
func (c *Cluster) containers(all bool) []string {
	if _, err := exec.LookPath("docker"); err != nil {
		return nil
	}
	args := []string{"ps", "-q", "--filter", "name=mesos-"}
	if all {
		args = append(args, "-a")
	}
	out, err := exec.Command("docker", args...).Output()
	if err != nil {
		return nil
	}
	var mine []string
	for _, id := range strings.Fields(string(out)) {
		mounts, err := exec.Command("docker", "inspect", "--format", "{{range .Mounts}}{{.Source}} {{end}}", id).Output()
		if err != nil {
			continue
		}
		for _, a := range c.agents {
			if strings.Contains(" "+string(mounts), " "+filepath.Clean(a.workDir)+"/") {
				mine = append(mine, id)
				break
			}
		}
	}
	return mine
}

// removeExecutorCgroups removes the cgroups Borges' executors on an agent
// made: an executor killed when the cluster stops cannot remove them
// itself. Those its sandbox lists, and those named from its id where the
// executor, an agent's child, makes them (under this process's cgroups):
// what an executor whose list was lost made.
func removeExecutorCgroups(workDir string) {
	sandboxes, _ := filepath.Glob(filepath.Join(workDir, "slaves", "*", "frameworks", "*", "executors", "*", "runs", "*"))
	for _, sb := range sandboxes {
		executor.RemoveCgroups(sb)
	}
	ids, _ := filepath.Glob(filepath.Join(workDir, "slaves", "*", "frameworks", "*", "executors", "borges-*"))
	layout := cgroup.Discover()
	for _, id := range ids {
		executor.RemoveCgroupDirs(cgroup.Candidates(layout, filepath.Base(id)))
	}
}
