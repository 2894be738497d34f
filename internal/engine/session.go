package engine

import (
	"fmt"
)

// This file keeps track of a document's Babel sessions: the id of each
// session's current interpreter, its blocks, and the sessions to close
// once all their blocks have ended. A session its backend lost, and one
// the server stopped during, are in session_lost.go and session_resume.go.

// sessionID is the id of the current interpreter of a document's session.
func (ds *docState) sessionID(key string) string {
	return fmt.Sprintf("%s/%s/%d", ds.id, key, ds.sessionGen[key]+1)
}

// nextSession has session key's blocks run in a new interpreter from now
// on, and returns the id of the old one, which is to be closed. The
// caller holds e.mu.
func (ds *docState) nextSession(key string) (old string) {
	old = ds.sessionID(key)
	if ds.sessionGen == nil {
		ds.sessionGen = map[string]int{}
	}
	ds.sessionGen[key]++
	delete(ds.openSessions, old)
	return old
}

// sessionsToClose are the open sessions of a document whose blocks have
// all ended; they are no longer open once returned. The caller holds e.mu.
func (ds *docState) sessionsToClose() []string {
	if len(ds.openSessions) == 0 || ds.reportsUnread() {
		// A report of the buffer being read may add blocks to any
		// of them (reportread.go): looked at again once read.
		return nil
	}
	states := map[string][]State{}
	for id, key := range ds.openSessions {
		states[id] = []State{}
		if id != ds.sessionID(key) {
			continue // a session restarted since: closed already
		}
		for _, b := range ds.blocks {
			if b.task != nil && b.task.Session != nil && (b.task.Session.Key == key || ds.mayAdd(b)) {
				states[id] = append(states[id], b.states()...)
			}
		}
		// A block of the session may still be found in the results
		// of a finder that is launched (finders.go). Not one still
		// queued: an open session may hold what it waits for (a
		// cluster's resources); a block found in its results once
		// the interpreter is closed runs the session again.
		for _, f := range ds.finders {
			for _, s := range f.states() {
				if s == Staged || s == Running {
					states[id] = append(states[id], s)
				}
			}
		}
	}
	ids := SessionsToClose(states)
	for _, id := range ids {
		delete(ds.openSessions, id)
	}
	return ids
}

// sessionBlocks are the blocks of a session, in document order.
func (ds *docState) sessionBlocks(key string) []*blockState {
	var out []*blockState
	for _, b := range ds.blocks {
		if b.task.InSession(key) {
			out = append(out, b)
		}
	}
	return out
}

// mayAdd reports whether b is a task of the document's Emacs that may add
// blocks to its Org buffer (added.go): one of a session among them runs
// in the session's interpreter, which stays open until b has ended. A
// task reading a block's output there runs Babel's reader, which adds
// none. The caller holds e.mu.
func (ds *docState) mayAdd(b *blockState) bool {
	return inEmacs(b) && !b.task.ReadsOutput && b.task.Session.Key == ds.writtenEmacs()
}

// sessionClosed reports whether the current interpreter of session key
// was closed: it is not open, and a block of the session but added block
// b ran in it. The caller holds e.mu.
func (ds *docState) sessionClosed(key string, b *blockState) bool {
	if _, open := ds.openSessions[ds.sessionID(key)]; open {
		return false
	}
	for _, x := range ds.sessionBlocks(key) {
		if x == b {
			continue
		}
		for _, in := range x.instances {
			if in.rec.AttemptID != "" && State(in.rec.State).Terminal() {
				return true
			}
		}
	}
	return false
}
