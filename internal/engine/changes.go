package engine

// This file wakes the web page's long polls at a change of their
// document: a poll waits on DocumentChanges' channel and builds the
// document's view again only once it is closed, so that a document that
// does not change costs its watchers nothing. Whatever changes what a
// view shows of a document (its tasks' states, its blocks, its removal)
// calls changed.

// docChanged counts a change of ds (docState.changes), and wakes its
// watchers, unless it is being removed (see forgetChanges), and has the
// end check look at it (endCheckWanted). The caller holds e.mu.
func (e *Engine) docChanged(ds *docState) {
	ds.changes++
	if !ds.removing {
		e.changed(ds.id)
		e.endCheckWanted(ds)
	}
}

// changed wakes the watchers of document id. Only a watched document has
// a channel (made by DocumentChanges, dropped here), so that the engine
// holds nothing for the documents no page watches. The caller holds e.mu.
func (e *Engine) changed(id string) {
	if wake := e.watchers[id]; wake != nil {
		close(wake)
		delete(e.watchers, id)
	}
}

// resourcesChanged is what is free changing (an attempt staged or ended):
// the watched documents whose instances wait for resources change with
// it, for their views say what those need against what is free. Those
// whose instances wait for their dependencies or a backoff do not: their
// views cannot change with it. The caller holds e.mu.
func (e *Engine) resourcesChanged() {
	for id := range e.watchedForResources {
		e.changed(id)
	}
	clear(e.watchedForResources)
}

// forgetChanges wakes a removed document's watchers (they find it gone).
// The caller holds e.mu.
func (e *Engine) forgetChanges(id string) {
	e.changed(id)
	delete(e.waitForResources, id)
	delete(e.watchedForResources, id)
}

// DocumentChanges returns a channel closed at document id's next change:
// a view built after this call is current until then.
func (e *Engine) DocumentChanges(id string) (<-chan struct{}, error) {
	if _, err := e.lockedDoc(id); err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	wake := e.watchers[id]
	if wake == nil {
		wake = make(chan struct{})
		e.watchers[id] = wake
	}
	if _, waits := e.waitForResources[id]; waits {
		e.watchedForResources[id] = struct{}{}
	}
	return wake, nil
}
