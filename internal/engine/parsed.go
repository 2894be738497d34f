package engine

import (
	"github.com/wallyqs/borges/internal/org"
)

// This file keeps the last few parsed documents: a document is parsed
// again from its text when needed rather than kept, so that a server
// tracking many tasks holds their texts, not every parse tree.

type parsedDoc struct {
	id  string
	doc *org.Document
}

const recentDocs = 16

// parsed returns the document's parse, from the cache or parsed anew.
// Callers hold e.mu.
func (e *Engine) parsed(ds *docState) (*org.Document, error) {
	for i, p := range e.recent {
		if p.id == ds.id {
			copy(e.recent[1:i+1], e.recent[:i])
			e.recent[0] = p
			return p.doc, nil
		}
	}
	doc, err := org.Parse(ds.text)
	if err != nil {
		return nil, err
	}
	doc.Visit = ds.visit
	e.recent = append([]*parsedDoc{{id: ds.id, doc: doc}}, e.recent...)
	if len(e.recent) > recentDocs {
		e.recent = e.recent[:recentDocs]
	}
	return doc, nil
}
