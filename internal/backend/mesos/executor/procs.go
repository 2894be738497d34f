package executor

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/cgroup"
	"github.com/wallyqs/borges/internal/plan"
)

// EnvTask marks every process of a task: the executor sets it to
// "EXECUTOR_ID/TASK_ID" in the task's environment, which its children
// inherit whatever process group or session they move to. Where the
// executor has no cgroups it finds a task's processes by it.
const EnvTask = "BORGES_EXECUTOR_TASK"

// PidsLabel is the task label that carries the block's :pids; the
// executor writes it into the task's pids.max (plan.DefaultPids without).
const PidsLabel = "borges_pids"

// CgroupsFile in the executor's sandbox lists its cgroup directories, one
// per line.
const CgroupsFile = "borges-cgroups"

// taskProcs finds and kills every process of one task: those of its
// cgroup where the executor has cgroups, and those carrying its marker.
type taskProcs struct {
	cg     *cgroup.Group // nil without cgroups
	marker []byte        // "BORGES_EXECUTOR_TASK=..." as in /proc/PID/environ
}

// setupCgroups makes the executor's cgroup directory under its own
// (<own>/<executor id>), where the cgroup filesystem is writable; without,
// tasks are found by their marker alone.
func (e *Executor) setupCgroups() {
	name := e.cfg.ExecutorID
	if !strings.HasPrefix(name, "borges-") {
		name = "borges-" + name
	}
	if strings.ContainsAny(name, "/\x00") {
		name = "borges-executor-" + strconv.Itoa(os.Getpid())
	}
	// Named in the sandbox before they are made, for whoever cleans up
	// after an executor killed before it could remove them: every
	// directory Setup may make (RemoveCgroups passes over those it did
	// not), then those it made.
	layout := cgroup.Discover()
	writeCgroupsFile(e, cgroup.Candidates(layout, name))
	c, err := cgroup.Setup(layout, name)
	if err != nil {
		e.log.Printf("no cgroups (%v): a task's processes are found by %s in their environment", err, EnvTask)
		return
	}
	e.cgroups = c
	e.log.Printf("a cgroup per task under %v", c.Dirs)
	var dirs []string
	for _, d := range c.Dirs {
		dirs = append(dirs, d)
	}
	writeCgroupsFile(e, dirs)
}

// writeCgroupsFile writes dirs, one per line, to CgroupsFile in the sandbox.
func writeCgroupsFile(e *Executor, dirs []string) {
	if err := os.WriteFile(filepath.Join(e.cfg.Sandbox, CgroupsFile), []byte(strings.Join(dirs, "\n")+"\n"), 0o644); err != nil {
		e.log.Printf("%s: %v", CgroupsFile, err)
	}
}

// releaseCgroups kills what is left in the executor's cgroups and removes
// them.
func (e *Executor) releaseCgroups() {
	if e.cgroups != nil {
		e.cgroups.Release()
	}
}

// newTaskProcs makes a task's cgroup (pids.max from its label) if the
// executor has cgroups.
func (e *Executor) newTaskProcs(info mesos.TaskInfo) *taskProcs {
	p := &taskProcs{marker: []byte(EnvTask + "=" + e.cfg.ExecutorID + "/" + info.TaskID.Value)}
	if e.cgroupsOnly {
		p.marker = nil
	}
	if e.cgroups == nil {
		return p
	}
	pids := plan.DefaultPids
	if info.Labels != nil {
		for _, l := range info.Labels.Labels {
			if n, err := strconv.Atoi(l.GetValue()); l.Key == PidsLabel && err == nil && n > 0 {
				pids = n
			}
		}
	}
	cg, err := e.cgroups.Create(info.TaskID.Value, plan.Resources{Pids: pids})
	if err != nil {
		e.log.Printf("task %s: no cgroup (%v): its processes are found by %s", info.TaskID.Value, err, EnvTask)
		return p
	}
	p.cg = cg
	return p
}

// env is the marker as an environment entry.
func (p *taskProcs) env() string {
	if p.marker == nil {
		return EnvTask + "="
	}
	return string(p.marker)
}

// marked lists the live processes whose environment carries the marker.
func (p *taskProcs) marked() []int {
	if p.marker == nil {
		return nil
	}
	var out []int
	entries, _ := os.ReadDir("/proc")
	for _, en := range entries {
		pid, err := strconv.Atoi(en.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		environ, err := os.ReadFile("/proc/" + en.Name() + "/environ")
		if err != nil {
			continue
		}
		for _, kv := range bytes.Split(environ, []byte{0}) {
			if bytes.Equal(kv, p.marker) {
				out = append(out, pid)
				break
			}
		}
	}
	return out
}

// signal sends sig to every process of the task: its cgroup's, and
// those carrying its marker.
func (p *taskProcs) signal(sig syscall.Signal) {
	if p.cg != nil {
		p.cg.Signal(sig)
	}
	for _, pid := range p.marked() {
		syscall.Kill(pid, sig)
	}
}

// killAll SIGKILLs every process of the task, round after round until none
// is left (bounded), and removes its cgroup; it says whether none is left.
func (p *taskProcs) killAll() bool {
	if p.cg != nil {
		p.cg.Kill()
	}
	left := p.marked()
	for i := 0; i < 200 && len(left) > 0; i++ {
		// Stopped first, so that none forks a child this round misses.
		for _, pid := range left {
			syscall.Kill(pid, syscall.SIGSTOP)
		}
		for _, pid := range p.marked() {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(time.Duration(min(i+1, 20)) * time.Millisecond)
		left = p.marked()
	}
	if p.cg != nil {
		p.cg.Kill()
		p.cg.Remove()
	}
	return len(left) == 0
}

// removeCgroupsRounds bounds RemoveCgroups: rounds of removeCgroupsPause,
// 30 seconds in all, for processes SIGKILLed to exit (a big one takes a
// while to give its memory back on a loaded machine).
const (
	removeCgroupsRounds = 1500
	removeCgroupsPause  = 20 * time.Millisecond
)

// RemoveCgroups kills what is left in the cgroups an executor listed in
// CgroupsFile of its sandbox and removes them: what an executor killed by
// SIGKILL (before it could) leaves behind. Every listed hierarchy is
// thawed and killed in each round before any is removed: a process
// frozen in the freezer hierarchy (the executor killed while a kill round
// had its task's cgroup frozen) dies only once thawed there, and its
// cgroups of the other hierarchies go only once it is dead. It waits,
// bounded, until every directory is gone.
func RemoveCgroups(sandbox string) {
	data, _ := os.ReadFile(filepath.Join(sandbox, CgroupsFile))
	RemoveCgroupDirs(strings.Split(string(data), "\n"))
}

// RemoveCgroupDirs is RemoveCgroups for the cgroup directories listed
// (those not named borges-… passed over): what an executor whose
// CgroupsFile is lost made can be found from its id (cgroup.Candidates).
func RemoveCgroupDirs(list []string) {
	var dirs []string // each tree's directories, parents first
	seen := map[string]bool{}
	for _, d := range list {
		if !strings.HasPrefix(filepath.Base(d), "borges-") || !filepath.IsAbs(d) || seen[d] {
			continue
		}
		seen[d] = true
		filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
			if err == nil && e.IsDir() {
				dirs = append(dirs, p)
			}
			return nil
		})
	}
	for round := 0; round < removeCgroupsRounds && len(dirs) > 0; round++ {
		if round > 0 {
			time.Sleep(removeCgroupsPause)
		}
		for _, d := range dirs {
			// A frozen cgroup's processes cannot die until thawed.
			os.WriteFile(filepath.Join(d, "freezer.state"), []byte("THAWED"), 0o644)
			os.WriteFile(filepath.Join(d, "cgroup.freeze"), []byte("0"), 0o644)
			procs, _ := os.ReadFile(filepath.Join(d, "cgroup.procs"))
			for _, f := range strings.Fields(string(procs)) {
				if pid, err := strconv.Atoi(f); err == nil && pid > 0 {
					syscall.Kill(pid, syscall.SIGKILL)
				}
			}
		}
		// Children before their parents; what the kernel still refuses
		// (EBUSY: a process not yet exited, or a child left) is tried
		// again next round, what it cannot remove otherwise is dropped.
		var left []string
		for i := len(dirs) - 1; i >= 0; i-- {
			if err := os.Remove(dirs[i]); err != nil && errors.Is(err, syscall.EBUSY) {
				left = append([]string{dirs[i]}, left...)
			}
		}
		dirs = left
	}
}
