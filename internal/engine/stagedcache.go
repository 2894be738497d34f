package engine

import "fmt"

// cachedStandsWhy is why a :cache yes block whose results stand in the
// document is not run (unrun).
const cachedStandsWhy = "cached: the results in the document have the same hash (:cache yes)"

// cachedFilesMissing is notes with one for each file a block reads
// (plan.Task.ReadsFiles) whose writer's cached results stood, so it did
// not run, with no earlier attempt of its own whose file Borges places
// (stagedWriter): in Emacs the file an earlier run left in the
// document's directory, if any, is read; Borges has none, and the block
// runs without it; said only of a reader that runs (readerRuns). The
// writer's cached results stood is known by its record's flag
// (store.Instance.CacheStood). The caller holds e.mu.
func (ds *docState) cachedFilesMissing(notes []string) []string {
	for _, r := range ds.blocks {
		if r.task == nil {
			continue
		}
		for _, f := range r.task.ReadsFiles {
			w := ds.byName[f.Block]
			if w == nil || len(w.instances) == 0 || ds.blockState(f.Block) != Finished {
				continue
			}
			if rec := w.instances[0].rec; rec.AttemptID == "" && rec.CacheStood && readerRuns(r) {
				notes = append(notes[:len(notes):len(notes)], fmt.Sprintf("block %s reads the :file %s of block %s, whose cached results stand (:cache yes): not run, it wrote no file, and Borges has none of an earlier run, so block %s runs without it, where Emacs reads the file an earlier run left in the document's directory, if any", r.name, f.Path, f.Block, r.name))
			}
		}
	}
	return notes
}

// readerRuns reports whether b, a reader, runs or ran: an instance
// queued, staged or running, or one with an attempt. A block not run
// (refused, its own cached results standing, held by a stop) does not.
func readerRuns(b *blockState) bool {
	for _, in := range b.instances {
		if in.rec.AttemptID != "" || !State(in.rec.State).Terminal() {
			return true
		}
	}
	return false
}
