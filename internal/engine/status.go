package engine

import "time"

// This file answers what a document's pollers need to know: its state,
// its blocks and task instances counted by state, and whether it has
// ended, without building the view of each block (Document), so that a
// client asking every few milliseconds how a long document is doing costs
// the engine one pass over its blocks under the lock and no allocation.

// DocumentStatus is a document's state in brief.
type DocumentStatus struct {
	State State // as DocumentView.State
	// Ended: no task of the document is queued, staged or running
	// (State is not Running).
	Ended bool
	// FinishedAt is when its last task ended, once it has ended.
	FinishedAt *time.Time
	blocks     [len(allStates)]int // runnable blocks shown by the view, by state
	tasks      [len(allStates)]int // task instances, by state
}

// Blocks is how many of the document's runnable blocks (as its view lists
// them) are in state st.
func (s DocumentStatus) Blocks(st State) int {
	if i := stateIndex(st); i >= 0 {
		return s.blocks[i]
	}
	return 0
}

// Tasks is how many of the document's task instances are in state st.
func (s DocumentStatus) Tasks(st State) int {
	if i := stateIndex(st); i >= 0 {
		return s.tasks[i]
	}
	return 0
}

// DocumentStatus returns a document's state in brief; it agrees with
// Document's view at the same moment.
func (e *Engine) DocumentStatus(id string) (DocumentStatus, error) {
	ds, err := e.lockedDocRead(id)
	if err != nil {
		return DocumentStatus{}, err
	}
	defer e.mu.Unlock()
	br := e.briefOf(ds)
	s := DocumentStatus{State: br.state, Ended: br.state != Running, blocks: br.blocks, tasks: br.counts}
	if br.finished != nil {
		f := *br.finished
		s.FinishedAt = &f
	}
	return s, nil
}

// state is BlockState of b's instances without allocating for the usual
// few. The caller holds e.mu.
func (b *blockState) state() State {
	if len(b.instances) == 1 {
		return State(b.instances[0].rec.State)
	}
	var buf [8]State
	states := buf[:0]
	for _, in := range b.instances {
		states = append(states, State(in.rec.State))
	}
	return BlockState(states)
}

// StatusView is a document's status as GET /org/ID/status answers it:
// its blocks and task instances counted by state (the states with any).
type StatusView struct {
	ID         string        `json:"id"`
	State      State         `json:"state"`
	Ended      bool          `json:"ended"`
	FinishedAt *time.Time    `json:"finished_at,omitempty"`
	Blocks     map[State]int `json:"blocks"`
	Tasks      map[State]int `json:"tasks"`
}

// View is s as the API answers it for document id.
func (s DocumentStatus) View(id string) StatusView {
	return StatusView{ID: id, State: s.State, Ended: s.Ended, FinishedAt: s.FinishedAt,
		Blocks: counted(s.blocks), Tasks: counted(s.tasks)}
}

// StatusOf is the status of a document's view v (for a service that has
// only views).
func StatusOf(v *DocumentView) StatusView {
	s := StatusView{ID: v.ID, State: v.State, Ended: v.State != Running, Blocks: map[State]int{}, Tasks: map[State]int{}}
	for _, b := range v.Blocks {
		if !b.Runnable {
			continue
		}
		s.Blocks[b.State]++
		for _, in := range b.Instances {
			s.Tasks[in.State]++
			if f := in.FinishedAt; s.Ended && f != nil && (s.FinishedAt == nil || f.After(*s.FinishedAt)) {
				s.FinishedAt = f
			}
		}
	}
	return s
}

// counted is counts by state as a map of the states with any.
func counted(counts [len(allStates)]int) map[State]int {
	m := make(map[State]int, len(allStates))
	for i, n := range counts {
		if n > 0 {
			m[allStates[i]] = n
		}
	}
	return m
}
