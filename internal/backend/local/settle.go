package local

import (
	"errors"
	"sync"
	"syscall"

	"github.com/wallyqs/borges/internal/proclist"
)

// Which ended attempts can have their sandbox and outputs recycled
// (pool.go): those whose end this server saw and proved that nothing of
// them runs any more. Their sandbox, only if the attempt ran in a cgroup
// from its first instruction (the wrapper waits until it is moved in)
// and the cgroup was found empty at its end: a process that left the
// attempt's process group (setsid, a double fork) stays in its cgroup,
// and without one it could still be working in the sandbox, where the
// next attempt would find what it writes. Their outputs, if so too, or
// once the process group is gone: what writes them is the server's copy
// (ended, its files closed) and the wrapper's stand-in (of the group).
// What a process as privileged as the server does on purpose (moving
// itself out of its cgroup) is beyond any of this, as it is beyond the
// rest of the data directory.
//
// The record is in memory and bounded (the latest maxSettled ends). What
// it does not prove — the sandbox of an attempt without a cgroup, the
// files of one ended before a restart or long ago — is proved or not at
// the removal by a pass over the machine's processes (holds.go).

// maxSettled bounds the ends remembered (a variable for the tests).
var maxSettled = 16384

// settlement is what an attempt's end proved.
type settlement struct {
	pgid    int    // its process group
	copied  bool   // the server's copy of its outputs ended (or there was none)
	cgroupd bool   // it ran in a cgroup from its start, found empty at its end
	started uint64 // its wrapper's start, in clock ticks since boot (holds.go)
}

// settledSet remembers the latest ends.
type settledSet struct {
	mu    sync.Mutex
	m     map[string]settlement
	order []string // a ring of the ids, oldest at next
	next  int
}

func (s *settledSet) add(id string, v settlement) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.m == nil {
		s.m = map[string]settlement{}
	}
	if _, ok := s.m[id]; !ok {
		if len(s.order) < maxSettled {
			s.order = append(s.order, id)
		} else {
			delete(s.m, s.order[s.next])
			s.order[s.next] = id
			s.next = (s.next + 1) % maxSettled
		}
	}
	s.m[id] = v
}

// take forgets an attempt and says what its end proved: whether its
// outputs and whether its sandbox can be recycled; groups says which
// process groups still have a live process. started is when it started
// (0: not known).
func (s *settledSet) take(id string, groups *liveGroups) (outputs, sandbox bool, started uint64) {
	s.mu.Lock()
	v, ok := s.m[id]
	delete(s.m, id) // its slot in the ring goes when the ring comes round
	s.mu.Unlock()
	if !ok || !v.copied {
		return false, false, v.started
	}
	return v.cgroupd || groups.gone(v.pgid), v.cgroupd, v.started
}

// liveGroups answers whether a process group is gone, for one removal:
// a group left with zombies only counts as gone (a zombie holds no file;
// the wrapper's stand-in, orphaned, waits as one until its new parent
// reaps it, which some init processes do only now and then). The
// processes are listed once, at the first group that is not gone
// outright.
type liveGroups struct {
	listed bool
	live   map[int]bool
}

// gone reports whether no live process is left in group pgid (a group
// of the same number made since is taken for the attempt's: nothing is
// recycled then).
func (g *liveGroups) gone(pgid int) bool {
	if pgid <= 0 {
		return false
	}
	if errors.Is(syscall.Kill(-pgid, 0), syscall.ESRCH) {
		return true
	}
	if !g.listed {
		g.listed, g.live = true, map[int]bool{}
		for _, p := range proclist.All() {
			if !p.Zombie() {
				g.live[p.PGID] = true
			}
		}
	}
	return !g.live[pgid]
}
