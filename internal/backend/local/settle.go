package local

import "sync"

// Which ended attempts can have their sandbox and outputs recycled
// (pool.go) as soon as they are removed: those whose end this server saw
// and proved that nothing of them runs any more — the attempt ran in a
// cgroup from its first instruction (the wrapper waits until it is moved
// in), the cgroup was found empty at its end (a process that left the
// attempt's process group, setsid or a double fork, stays in its
// cgroup), and the server's copy of its outputs had ended (its files
// closed). What a process as privileged as the server does on purpose
// (moving itself out of its cgroup) is beyond any of this, as it is
// beyond the rest of the data directory.
//
// The record is in memory and bounded (the latest maxSettled ends). What
// it does not prove — the files of an attempt without a cgroup (a process
// that left its group may still work in its sandbox, or hold its output
// open, which it can open by its path), of one ended before a restart or
// long ago — is proved or not at the removal by a pass over the
// machine's processes (holds.go).

// maxSettled bounds the ends remembered (a variable for the tests).
var maxSettled = 16384

// settlement is what an attempt's end proved.
type settlement struct {
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
// outputs and sandbox can be recycled as they are; started is when it
// started (0: not known).
func (s *settledSet) take(id string) (proved bool, started uint64) {
	s.mu.Lock()
	v, ok := s.m[id]
	delete(s.m, id) // its slot in the ring goes when the ring comes round
	s.mu.Unlock()
	return ok && v.copied && v.cgroupd, v.started
}

// started says whether attempt id's end is remembered, and when it
// started.
func (s *settledSet) started(id string) (uint64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[id]
	return v.started, ok
}

// endWork counts the attempts' ends reported whose work is not done (the
// cgroup kept or removed: finish); wait waits until none is left.
type endWork struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n falls to 0
}

func (w *endWork) begin() {
	w.mu.Lock()
	if w.n == 0 {
		w.idle = make(chan struct{})
	}
	w.n++
	w.mu.Unlock()
}

func (w *endWork) done() {
	w.mu.Lock()
	if w.n--; w.n == 0 {
		close(w.idle)
	}
	w.mu.Unlock()
}

func (w *endWork) wait() {
	w.mu.Lock()
	if w.n == 0 {
		w.mu.Unlock()
		return
	}
	idle := w.idle
	w.mu.Unlock()
	<-idle
}
