package engine

import (
	"time"

	"github.com/wallyqs/borges/internal/store"
)

// A session's interpreter does not outlive the server: on this machine it
// reads its input from the server, and on Mesos a new Borges does not
// find its sessions' tasks again (it kills them, as any task it does not
// know). A session that had begun (a block of it had run) and not ended
// when the server stopped would give its next block a new interpreter,
// without what the blocks before it built; so at start it runs again,
// from its first block, as a restart of one of its blocks runs it: a
// block of it still staged or running is killed once its backend has it
// back (Recover), and run again in order.

// resumeSessionsLocked queues again every block of each session of ds that
// had begun and not ended. It returns the attempts to kill once recovered,
// and the instances changed. The caller holds e.mu.
func (e *Engine) resumeSessionsLocked(ds *docState, now time.Time) (kills []string, changed []*store.Instance) {
	var keys []string
	seen := map[string]bool{}
	for _, b := range ds.blocks {
		if b.task != nil && b.task.Session != nil && !seen[b.task.Session.Key] {
			seen[b.task.Session.Key] = true
			keys = append(keys, b.task.Session.Key)
		}
	}
	for _, key := range keys {
		blocks := ds.sessionBlocks(key)
		begun, open := false, false
		for _, b := range blocks {
			for _, in := range b.instances {
				begun = begun || in.rec.Tries() > 0
				open = open || !State(in.rec.State).Terminal()
			}
		}
		if !begun || !open {
			continue
		}
		for _, b := range blocks {
			for _, in := range b.instances {
				kills = append(kills, e.requeue(in, now, "its session runs again: the server restarted while it was open")...)
				changed = append(changed, &in.rec)
			}
			b.result = nil
			e.touch(b)
		}
	}
	return kills, changed
}
