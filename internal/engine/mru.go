package engine

import "sync"

// recentDocs bounds what the engine keeps of the documents it used last
// (mru): their parses, the latest reports of their Emacs' buffers.
const recentDocs = 16

// mru keeps the values asked for or put last, by key, at most recentDocs
// of them: the engine's caches of what it can make again (a document's
// parse, a report of its Emacs' buffer) but should not for every use.
type mru[V any] struct {
	mu sync.Mutex
	// kept are the values, the one asked for last first.
	kept []mruEntry[V]
}

type mruEntry[V any] struct {
	key string
	val V
}

// get is key's value if kept.
func (c *mru[V]) get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, r := range c.kept {
		if r.key == key {
			copy(c.kept[1:i+1], c.kept[:i])
			c.kept[0] = r
			return r.val, true
		}
	}
	var zero V
	return zero, false
}

// put keeps v as key's value, first, in place of any kept before (two
// callers that both missed it put it twice).
func (c *mru[V]) put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, r := range c.kept {
		if r.key == key {
			c.kept = append(c.kept[:i], c.kept[i+1:]...)
			break
		}
	}
	c.kept = append([]mruEntry[V]{{key, v}}, c.kept...)
	if len(c.kept) > recentDocs {
		c.kept[recentDocs] = mruEntry[V]{}
		c.kept = c.kept[:recentDocs]
	}
}

// drop forgets the values of keys.
func (c *mru[V]) drop(keys ...string) {
	gone := make(map[string]bool, len(keys))
	for _, k := range keys {
		gone[k] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := c.kept[:0]
	for _, r := range c.kept {
		if !gone[r.key] {
			kept = append(kept, r)
		}
	}
	clear(c.kept[len(kept):])
	c.kept = kept
}
