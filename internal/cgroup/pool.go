package cgroup

import (
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// An ended attempt's cgroup, found empty, can be kept for a later one
// (Recycle) instead of removed: on the v1 hierarchies (four here: memory,
// cpu, pids, freezer) making and removing an attempt's cgroup directories
// cost about 0.8 ms of the server's CPU, renaming them there and back
// 0.3 ms. It waits as "pool-N" beside the attempts' cgroups, in every
// hierarchy, and Create renames it to the next attempt's name and writes
// all its limits again, each once (limit). Only v1: cgroup v2 cannot
// rename a cgroup.
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

// poolPrefix names kept cgroups (no attempt id is one: they hold dots).
const poolPrefix = "pool-"

// pool is the cgroups kept, by name.
type pool struct {
	mu    sync.Mutex
	names []string
	seq   int
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
	if len(c.pool.names) >= maxPooled {
		c.pool.mu.Unlock()
		return false
	}
	c.pool.seq++
	name := poolPrefix + strconv.Itoa(c.pool.seq)
	c.pool.mu.Unlock()
	if !c.renameAll(a.Dirs, name) {
		return false
	}
	c.pool.mu.Lock()
	c.pool.names = append(c.pool.names, name)
	c.pool.mu.Unlock()
	return true
}

// renameAll renames a group's directory in every hierarchy (dirs) to
// name, or none of them.
func (c *Set) renameAll(dirs map[string]string, name string) bool {
	var done []string
	for k, d := range dirs {
		to := filepath.Join(filepath.Dir(d), name)
		if err := unix.Renameat(unix.AT_FDCWD, d, unix.AT_FDCWD, to); err != nil {
			for _, k := range done {
				unix.Renameat(unix.AT_FDCWD, filepath.Join(filepath.Dir(dirs[k]), name), unix.AT_FDCWD, dirs[k])
			}
			return false
		}
		done = append(done, k)
	}
	return true
}

// fromPool renames a kept cgroup to attempt id's, or returns nil (none
// kept, or a cgroup of id exists). Its limits are the ended attempt's:
// the caller writes them all (limit, kept). They were first written back
// to a new cgroup's, then the attempt's over them: eight writes where
// five do.
func (c *Set) fromPool(id string) *Group {
	c.pool.mu.Lock()
	n := len(c.pool.names)
	if n == 0 {
		c.pool.mu.Unlock()
		return nil
	}
	name := c.pool.names[n-1]
	c.pool.names = c.pool.names[:n-1]
	c.pool.mu.Unlock()
	kept := c.Attempt(name)
	if !c.renameAll(kept.Dirs, id) {
		kept.Remove()
		return nil
	}
	return c.Attempt(id)
}

// Drain removes the kept cgroups.
func (c *Set) Drain() {
	if c == nil {
		return
	}
	c.pool.mu.Lock()
	names := c.pool.names
	c.pool.names = nil
	c.pool.mu.Unlock()
	for _, name := range names {
		c.Attempt(name).Remove()
	}
}
