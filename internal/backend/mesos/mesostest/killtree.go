package mesostest

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"

	"github.com/wallyqs/borges/internal/proclist"
)

// A real agent's command executor (Mesos 1.12, src/launcher/executor.cpp)
// starts its task in a session of its own, and kills it by its process
// tree: SIGTERM to the tree rooted at the task's process, with every
// process group and session met on the way (stout's os::killtree with
// groups and sessions), then, if the task's process has not been reaped
// after the grace period (3 s unless a kill policy says otherwise; zero
// for max_completion_time), SIGKILL to the tree as it is then. A process
// that left the task's session after its parent exited is in none of
// these and outlives the task; nothing at all is killed when the task's
// program ends by itself. The fake command executor does the same.

// commandKillLocked kills a command executor's task as the real one
// does: its tree with SIGTERM, SIGKILL after grace unless it was reaped
// meanwhile.
func (m *Master) commandKillLocked(t *task, grace time.Duration) {
	pid := t.proc.Pid
	killTree(pid, syscall.SIGTERM)
	time.AfterFunc(grace, func() {
		// The real executor's SIGKILL comes after a walk of the whole
		// process table and a dispatch: a shell that dies of the SIGTERM
		// has died by then, even with no grace, and its status says
		// "Terminated" (TestMaxCompletionTimeLikeReal). A moment
		// (bounded) for it here.
		for i := 0; i < 50 && running(pid); i++ {
			time.Sleep(10 * time.Millisecond)
		}
		m.mu.Lock()
		reaped := t.reaped
		m.mu.Unlock()
		if !reaped {
			killTree(pid, syscall.SIGKILL)
		}
	})
}

// killTree sends sig to the process tree rooted at root, and to every
// process group and session of a process of the tree, transitively; a
// root that has ended (or is a zombie) stands for its group and session.
// Each process is stopped when it is met, so that none forks a child the
// walk misses, and continued once all are signalled.
func killTree(root int, sig syscall.Signal) {
	procs := proclist.All()
	var queue []int
	if _, ok := find(procs, root); !ok {
		for _, p := range procs {
			if p.PGID == root || p.SID == root {
				queue = append(queue, p.PID)
			}
		}
	} else {
		queue = append(queue, root)
	}
	visited := map[int]bool{}
	groups, sessions := map[int]bool{}, map[int]bool{}
	var stopped []int
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if visited[pid] {
			continue
		}
		p, ok := find(proclist.All(), pid)
		if !ok {
			continue
		}
		visited[pid] = true
		syscall.Kill(pid, syscall.SIGSTOP)
		stopped = append(stopped, pid)
		for _, q := range proclist.All() {
			if q.PPID == pid || (!groups[p.PGID] && q.PGID == p.PGID) || (!sessions[p.SID] && q.SID == p.SID) {
				queue = append(queue, q.PID)
			}
		}
		groups[p.PGID], sessions[p.SID] = true, true
	}
	for _, pid := range stopped {
		syscall.Kill(pid, sig)
	}
	for _, pid := range stopped {
		syscall.Kill(pid, syscall.SIGCONT)
	}
}

// find is the process pid of procs.
func find(procs []proclist.Proc, pid int) (proclist.Proc, bool) {
	for _, p := range procs {
		if p.PID == pid {
			return p, true
		}
	}
	return proclist.Proc{}, false
}

// running reports whether pid is a live process (not gone, not a zombie).
func running(pid int) bool {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}
