package engine

import (
	"github.com/wallyqs/borges/internal/org"
)

// This file keeps the last few parsed documents (Engine.recent): a
// document is parsed again from its text when needed rather than kept, so
// that a server tracking many tasks holds their texts, not every parse
// tree.

// parsed returns the document's parse, from the cache or parsed anew.
// Callers hold e.mu.
func (e *Engine) parsed(ds *docState) (*org.Document, error) {
	if doc, ok := e.recent.get(ds.id); ok {
		return doc, nil
	}
	doc, err := org.Parse(ds.text)
	if err != nil {
		return nil, err
	}
	doc.Visit = ds.visit
	e.recent.put(ds.id, doc)
	return doc, nil
}
