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
	if len(ds.openSessions) == 0 {
		return nil
	}
	states := map[string][]State{}
	for id, key := range ds.openSessions {
		states[id] = []State{}
		if id != ds.sessionID(key) {
			continue // a session restarted since: closed already
		}
		for _, b := range ds.blocks {
			if b.task != nil && b.task.Session != nil && b.task.Session.Key == key {
				states[id] = append(states[id], b.states()...)
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
		if b.task != nil && b.task.Session != nil && b.task.Session.Key == key {
			out = append(out, b)
		}
	}
	return out
}
