package engine

// This file counts each document's changes for the web page's long poll:
// a poll waits on DocumentChanges' channel and builds the document's view
// again only once it is closed, so that a document that does not change
// costs its watchers nothing. Whatever changes what a view shows of a
// document (its tasks' states, its blocks, its removal) calls changed.

// docChanges is one document's change count, and the channel its
// watchers wait on (nil while none waits).
type docChanges struct {
	n    uint64
	wake chan struct{}
}

// docChanged counts a change of ds, unless it is being removed (see
// forgetChanges). The caller holds e.mu.
func (e *Engine) docChanged(ds *docState) {
	if !ds.removing {
		e.changed(ds.id)
	}
}

// changed counts a change of document id and wakes its watchers. The
// caller holds e.mu.
func (e *Engine) changed(id string) {
	c := e.changesOf(id)
	c.n++
	if c.wake != nil {
		close(c.wake)
		c.wake = nil
	}
}

// changesOf is document id's change count, made at its first use. The
// caller holds e.mu.
func (e *Engine) changesOf(id string) *docChanges {
	c := e.changes[id]
	if c == nil {
		c = &docChanges{}
		e.changes[id] = c
	}
	return c
}

// resourcesChanged is what is free changing (an attempt staged or ended):
// the documents watched that have instances queued change with it, for
// their views say what those wait for against what is free. The caller
// holds e.mu.
func (e *Engine) resourcesChanged() {
	for id := range e.watchedQueued {
		e.changed(id)
	}
	clear(e.watchedQueued)
}

// forgetChanges drops a removed document's count once its watchers are woken
// (they find it gone). The caller holds e.mu.
func (e *Engine) forgetChanges(id string) {
	e.changed(id)
	delete(e.changes, id)
	delete(e.watchedQueued, id)
}

// DocumentChanges returns how many changes document id has had, and a
// channel closed at its next change: a view built after this call is
// current until then.
func (e *Engine) DocumentChanges(id string) (uint64, <-chan struct{}, error) {
	ds, err := e.lockedDoc(id)
	if err != nil {
		return 0, nil, err
	}
	defer e.mu.Unlock()
	c := e.changesOf(id)
	if c.wake == nil {
		c.wake = make(chan struct{})
	}
	if ds.brief().counts[stateIndex(Queued)] > 0 {
		e.watchedQueued[id] = struct{}{}
	}
	return c.n, c.wake, nil
}
