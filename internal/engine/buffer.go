package engine

import (
	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// This file serves the document's Emacs, which keeps one Org buffer of the
// document across its tasks (plan's elisp_buffer.go): a task of it waits
// for the blocks whose results it puts in that buffer first
// (Task.BufferResults) to end, finished or not, and its program carries
// those results as the result document writes them.

// bufferWaits adds to deps the blocks whose results b puts in the
// document's buffer that have not ended: b waits for them, and is not
// held back by a failure, whose drawer it puts in as write-back does.
func (ds *docState) bufferWaits(b *blockState, deps map[string]State) map[string]State {
	for _, br := range b.task.BufferResults {
		s := ds.blockState(br.Task)
		if s == Finished || ended(s) || ds.byName[br.Task] == nil {
			continue
		}
		if deps == nil {
			deps = map[string]State{}
		}
		deps[br.Task] = s
	}
	return deps
}

// takeOverBuffer is b's task as it runs: with the buffer work of the
// tasks before it in the document's Emacs that did not run (a reading of
// output that needed no Emacs, a cached block), which never got an
// attempt (plan.Task.TakeOverBuffer). The caller holds e.mu.
func (ds *docState) takeOverBuffer(b *blockState) *plan.Task {
	if b.task.BufferPrev == "" {
		return b.task
	}
	return b.task.TakeOverBuffer(func(name string) (*plan.Task, bool) {
		p := ds.byName[name]
		if p == nil || p.task == nil || len(p.instances) == 0 {
			return nil, true
		}
		return p.task, p.instances[0].rec.AttemptID != ""
	})
}

// bufferResults are the results the program of b (running as task t, see
// takeOverBuffer) puts in the document's buffer, by task, as
// ResultDocument writes them; a block not run (its cached results stand)
// has none: its results are in the document. The caller holds e.mu.
func (e *Engine) bufferResults(b *blockState, t *plan.Task, doc *org.Document) (map[string]org.Result, error) {
	if len(t.BufferResults) == 0 {
		return nil, nil
	}
	out := make(map[string]org.Result, len(t.BufferResults))
	for _, br := range t.BufferResults {
		w := b.doc.byName[br.Task]
		if w == nil || w.task == nil || len(w.instances) == 0 {
			continue
		}
		if _, ok := b.doc.redirectedResults(w); !ok {
			continue
		}
		if parts, ok := resultParts(w); ok {
			out[br.Task] = e.readParts(w.task, parts)
			continue
		}
		in := w.instances[0]
		if State(in.rec.State) != Finished || in.rec.AttemptID == "" {
			continue
		}
		var refs map[string]plan.Value
		if w.task.Cache {
			refs = e.refsOf(w)
		}
		r, err := e.finishedResult(doc, w.task, in.rec.AttemptID, refs)
		if err != nil {
			return nil, err
		}
		out[br.Task] = r
	}
	return out, nil
}
