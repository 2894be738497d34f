// Package api serves Borges over HTTP: documents in, status, logs and
// results out, plus the web page, /healthz and /metrics.
package api

import (
	"context"

	"github.com/wallyqs/borges/internal/engine"
)

// Service is what the HTTP layer needs of the engine. *engine.Engine
// implements it; tests may use a fake.
type Service interface {
	// Submit plans and stores a document whole, then schedules it. A
	// rejected document returns *plan.RejectError and nothing is stored.
	// Submit, KillDocument, KillBlock, RestartBlock and RemoveDocument
	// take effect only through engine.TakeEffect(ctx): a request whose
	// deadline has been answered with 503 never takes effect afterwards.
	Submit(ctx context.Context, text string) (*engine.DocumentView, error)
	Document(id string) (*engine.DocumentView, error)
	Documents() []engine.DocumentSummary
	// ResultDocument is the document's text with current results written
	// back (finished blocks: their output; running ones: a status line and
	// the output so far).
	ResultDocument(ctx context.Context, id string) (string, error)
	KillDocument(ctx context.Context, id string) error
	KillBlock(ctx context.Context, id, block string) error
	RestartBlock(ctx context.Context, id, block string) error
	// RemoveDocument kills a document's tasks, waits for them to end,
	// then deletes the document, its state and its files: it is 404
	// afterwards. A task that does not stop in time makes it
	// engine.ErrConflict, the document kept (killed).
	RemoveDocument(ctx context.Context, id string) error
	// ReadLog reads a block instance's current attempt's stream from
	// offset. done is true once the attempt is terminal and everything
	// has been read.
	ReadLog(ctx context.Context, id, block string, instance int, stream string, offset int64, max int) (data []byte, next int64, done bool, err error)
	// ReadFile returns a file the document's blocks made, by the path a
	// [[file:…]] result names (:results file).
	ReadFile(ctx context.Context, id, path string) ([]byte, error)
}

// documentLister is a Service that filters and pages the document list
// itself (*engine.Engine: it summarises only the page asked for);
// otherwise the list is filtered from Documents.
type documentLister interface {
	ListDocuments(q engine.ListQuery) (page []engine.DocumentSummary, total int)
}

// documentPager is a Service that gives a page of a document's view
// (*engine.Engine); otherwise the page is cut from Document's.
type documentPager interface {
	DocumentPage(id string, offset, limit int) (*engine.DocumentView, error)
}

// documentStatuser is a Service that gives a document's status without
// its view (*engine.Engine); otherwise the status is counted from
// Document's.
type documentStatuser interface {
	DocumentStatus(id string) (engine.DocumentStatus, error)
}

// documentWatcher is a Service that says when a document changes
// (*engine.Engine): the page's long poll builds a view again only then;
// otherwise it builds one every pollEvery.
type documentWatcher interface {
	DocumentChanges(id string) (changed <-chan struct{}, err error)
}
