package engine

import (
	"sync"

	"github.com/wallyqs/borges/internal/org"
)

// reportCache keeps the latest reports of the buffer of the documents'
// Emacs read from ended attempts (buffer.go), each with its parse of the
// buffer (org.BufferReport.Document, made once): an ended attempt's
// report does not change, and every results-document request of a
// document with Emacs Lisp writes back in the latest one, as does every
// block planned again from it. A server started again reads each report
// again once, when first asked for it.
type reportCache struct {
	mu sync.Mutex
	// latest are the reports, the one asked for last first, at most
	// keptReports.
	latest []cachedReport
}

type cachedReport struct {
	attempt string
	rep     *org.BufferReport
}

// keptReports bounds the reports kept: those of as many documents as the
// parses kept (recentDocs), each document's latest asked for alike.
const keptReports = recentDocs

// get is attempt's report if kept, nil if not.
func (c *reportCache) get(attempt string) *org.BufferReport {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, r := range c.latest {
		if r.attempt == attempt {
			copy(c.latest[1:i+1], c.latest[:i])
			c.latest[0] = r
			return r.rep
		}
	}
	return nil
}

// put keeps rep as attempt's report.
func (c *reportCache) put(attempt string, rep *org.BufferReport) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.latest = append([]cachedReport{{attempt, rep}}, c.latest...)
	if len(c.latest) > keptReports {
		c.latest[keptReports] = cachedReport{}
		c.latest = c.latest[:keptReports]
	}
}

// drop forgets the reports of attempts (a document removed).
func (c *reportCache) drop(attempts []string) {
	gone := make(map[string]bool, len(attempts))
	for _, a := range attempts {
		gone[a] = true
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	kept := c.latest[:0]
	for _, r := range c.latest {
		if !gone[r.attempt] {
			kept = append(kept, r)
		}
	}
	clear(c.latest[len(kept):])
	c.latest = kept
}
