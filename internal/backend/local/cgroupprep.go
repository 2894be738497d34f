package local

import (
	"github.com/wallyqs/borges/internal/plan"
)

// An attempt's cgroup is made ahead of its launch, with its limits, by
// Prepare (while the attempt it waits on runs), so that the launch that
// follows that attempt's end only moves the wrapper in: on v1 (four
// hierarchies) taking a kept cgroup and writing its five limits, or
// making the four directories and writing them, was the largest part of
// the server's CPU between one block's end and the next one's start in a
// chain (profiles of BenchmarkChain with a cgroup each).
//
// The cgroup bears the attempt's name, as the one its launch makes does,
// so that a restart finds it (Recover, Sweep). One is made only for an
// attempt that has not begun its launch, and not run before (settled);
// its launch takes it if the limits are still those it asks for, and
// removes it otherwise. One never launched (the block before failed, the
// document was removed) is removed with the attempt's files
// (RemoveAttempts), at the backend's Close, or when more than
// maxPreparedCgroups wait (the oldest goes); a restart's Sweep removes
// what a server that stopped left.

// maxPreparedCgroups bounds the cgroups made ahead and not yet launched.
const maxPreparedCgroups = 16

// preparedCgroup is a cgroup made ahead for an attempt.
type preparedCgroup struct {
	ready chan struct{} // closed once cg is made (or could not be)
	cg    *attemptCgroup
	res   plan.Resources
	seq   uint64 // order of preparation, the oldest evicted first
}

// prepareCgroup makes attempt id's cgroup ahead of its launch, unless the
// launch has begun, the attempt ran already, or one is made for it.
func (b *Backend) prepareCgroup(id string, r plan.Resources) {
	if b.cgroups == nil {
		return
	}
	b.mu.Lock()
	_, settled := b.settled.started(id)
	if b.procs[id] != nil || b.launching[id] || b.cgPrepared[id] != nil || settled {
		b.mu.Unlock()
		return
	}
	var evict *preparedCgroup
	if len(b.cgPrepared) >= maxPreparedCgroups {
		oldest := ""
		for k, p := range b.cgPrepared {
			if oldest == "" || p.seq < b.cgPrepared[oldest].seq {
				oldest = k
			}
		}
		evict = b.cgPrepared[oldest]
		delete(b.cgPrepared, oldest)
	}
	b.cgPrepSeq++
	p := &preparedCgroup{ready: make(chan struct{}), res: r, seq: b.cgPrepSeq}
	b.cgPrepared[id] = p
	b.mu.Unlock()
	evict.drop()
	cg, err := b.cgroups.Create(id, r)
	if err != nil {
		b.log.Debug("preparing an attempt's cgroup", "attempt", id, "err", err)
	}
	p.cg = cg
	close(p.ready)
}

// claimCgroup marks attempt id's launch as begun and returns its cgroup
// made ahead, if one was with the limits r; one with other limits is
// removed. The caller calls launched once the attempt is in b.procs or
// its launch failed.
func (b *Backend) claimCgroup(id string, r plan.Resources) *attemptCgroup {
	if b.cgroups == nil {
		return nil
	}
	b.mu.Lock()
	p := b.cgPrepared[id]
	delete(b.cgPrepared, id)
	b.launching[id] = true
	b.mu.Unlock()
	if p == nil {
		return nil
	}
	<-p.ready
	if p.cg != nil && p.res != r {
		p.cg.Remove()
		return nil
	}
	return p.cg
}

// launched ends what claimCgroup began.
func (b *Backend) launched(id string) {
	if b.cgroups == nil {
		return
	}
	b.mu.Lock()
	delete(b.launching, id)
	b.mu.Unlock()
}

// dropPreparedCgroup removes attempt id's cgroup made ahead, if its launch
// never took it.
func (b *Backend) dropPreparedCgroup(id string) {
	b.mu.Lock()
	p := b.cgPrepared[id]
	delete(b.cgPrepared, id)
	b.mu.Unlock()
	p.drop()
}

// dropPreparedCgroups removes every cgroup made ahead and not launched.
func (b *Backend) dropPreparedCgroups() {
	b.mu.Lock()
	all := b.cgPrepared
	b.cgPrepared = map[string]*preparedCgroup{}
	b.mu.Unlock()
	for _, p := range all {
		p.drop()
	}
}

// drop removes a cgroup made ahead once it is made (nothing for nil).
func (p *preparedCgroup) drop() {
	if p == nil {
		return
	}
	<-p.ready
	p.cg.Remove()
}
