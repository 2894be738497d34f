package engine

import (
	"context"
	"slices"

	"github.com/wallyqs/borges/internal/store"
)

// A block of a session that its backend lost (its Mesos agent gone, and
// the session's interpreter with it) is run again in a new interpreter,
// which has none of what the session's blocks before it built: the whole
// session is run again, as a restart of one of its blocks runs it
// (RestartBlock). Its blocks are run again in order; the blocks outside
// the session are not.

// restartLostSessionLocked starts a session's next generation after lost,
// one of its blocks, was lost and is to run again: every other block of the
// session is queued again (a running one killed), and the old interpreter
// is to be closed. It returns the old session's id, the attempts to kill
// and the instances changed. The caller holds e.mu.
func (e *Engine) restartLostSessionLocked(lost *instState) (old string, kills []string, changed []*store.Instance) {
	s := lost.block.task.Session
	ds := lost.block.doc
	old = ds.nextSession(s.Key)
	why := "its session runs again: block " + lost.block.name + " was lost with its interpreter"
	// The lost block runs again as its end decided (AfterAttempt), and
	// the readers of the session's output are left as they are.
	others := slices.DeleteFunc(ds.sessionBlocks(s.Key), func(b *blockState) bool { return b == lost.block })
	r := e.requeueBlocks(ds, others, e.now(), func(*blockState) string { return why }, nil)
	return old, r.kills, r.recs
}

// closeLostSession kills what ran in a lost session and closes it, beside
// the update that lost it (a backend reports updates from its own loop).
func (e *Engine) closeLostSession(old string, kills []string) {
	if err := e.endAttempts(context.Background(), kills, []string{old}); err != nil {
		e.log.Warn("killing the blocks of a lost session, or closing it", "err", err)
	}
}
