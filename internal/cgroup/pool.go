package cgroup

import (
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// An ended attempt's cgroup, found empty, can be kept for a later one
// (Recycle) instead of removed: on the v1 hierarchies (four here: memory,
// cpu, pids, freezer) making and removing an attempt's cgroup directories
// cost about 0.8 ms of the server's CPU. It is kept where it is, under
// the ended attempt's name (renaming it, there and back, cost 0.3 ms
// more), and Create hands it to the next attempt, writing all its limits
// again, each once (limit): an attempt's cgroup is named by its own id or
// by an earlier attempt's, and a restarted server finds it from its
// processes (OfProcess). Only v1 for now: kept cgroups were renamed,
// which v2 cannot do, and keeping one there has not been measured.
//
// The caller offers it only once its Kill found it empty in every
// hierarchy (an empty cgroup stays so: a process enters one only by a
// fork of one of its processes, or by a write to its cgroup.procs, which
// Borges makes only before an attempt runs) and OOMKilled said no (its
// counters would tell the next attempt so): the caller has read both
// already. Recycle keeps it only if it is also not frozen, and charged at most
// maxCarried bytes of memory — what an ended program leaves charged
// (kernel objects, page cache of files it wrote) stays with its memory
// cgroup, and so with the next attempt, up to that much. The pool is
// bounded (maxPooled) and in memory only: a restart's Sweep removes what
// a previous run left there, as it removes any cgroup not of a running
// attempt, and Drain removes it at a server's end.

// maxPooled bounds the cgroups kept.
const maxPooled = 32

// maxCarried is the most memory a kept cgroup may be charged.
const maxCarried = 1 << 20

// pool is the cgroups kept.
type pool struct {
	mu   sync.Mutex
	kept []*Group
}

// Recycle keeps a's cgroup, emptied by its Kill and not out of memory,
// for a later attempt if it can (see above) and says whether it did; if
// not, the caller removes it as before.
func (c *Set) Recycle(a *Group) bool {
	if c == nil || a == nil || c.V2 || a.V2 || len(a.Dirs) == 0 {
		return false
	}
	if a.Dirs["freezer"] != "" && a.Frozen() {
		return false
	}
	if d := a.Dirs["memory"]; d != "" {
		data, err := ReadFile(filepath.Join(d, "memory.usage_in_bytes"))
		n, perr := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		if err != nil || perr != nil || n > maxCarried {
			return false
		}
	}
	c.pool.mu.Lock()
	defer c.pool.mu.Unlock()
	if len(c.pool.kept) >= maxPooled {
		return false
	}
	c.pool.kept = append(c.pool.kept, a)
	return true
}

// fromPool is a kept cgroup, under the name of the attempt that left it,
// or nil (none kept). Its limits are the ended attempt's: the caller
// writes them all (limit, kept). They were first written back to a new
// cgroup's, then the attempt's over them: eight writes where five do.
func (c *Set) fromPool() *Group {
	c.pool.mu.Lock()
	defer c.pool.mu.Unlock()
	n := len(c.pool.kept)
	if n == 0 {
		return nil
	}
	kept := c.pool.kept[n-1]
	c.pool.kept = c.pool.kept[:n-1]
	return kept
}

// Keeps reports whether the cgroup named name waits, kept, for a later
// attempt.
func (c *Set) Keeps(name string) bool {
	if c == nil {
		return false
	}
	c.pool.mu.Lock()
	defer c.pool.mu.Unlock()
	for _, a := range c.pool.kept {
		if a.Name() == name {
			return true
		}
	}
	return false
}

// Drain removes the kept cgroups.
func (c *Set) Drain() {
	if c == nil {
		return
	}
	c.pool.mu.Lock()
	kept := c.pool.kept
	c.pool.kept = nil
	c.pool.mu.Unlock()
	for _, a := range kept {
		a.Remove()
	}
}
