package engine

import (
	"strings"
	"sync"
	"time"
)

// This file answers the document list (GET /org, `borges status`): the
// documents that match are counted, and only those of the page asked for
// are summarised, so that a page of a long list costs little more than a
// look at each document's states.

// ListQuery selects documents of the list.
type ListQuery struct {
	State  State  // the document's state or one of its tasks'; "" for any
	Text   string // in its title or id, in any case; "" for any
	Offset int
	Limit  int // at most this many; < 0 for all
}

// allStates are the states in the order lists show them.
var allStates = [...]State{Queued, Staged, Running, Finished, Failed, Killed, Lost}

// stateIndex is s's place in allStates, -1 for none: a switch, where a
// loop compared s with each state before it.
func stateIndex(s State) int {
	switch s {
	case Queued:
		return 0
	case Staged:
		return 1
	case Running:
		return 2
	case Finished:
		return 3
	case Failed:
		return 4
	case Killed:
		return 5
	case Lost:
		return 6
	}
	return -1
}

// brief is what the list needs to know of a document to filter it.
type brief struct {
	state  State
	counts [len(allStates)]int // task instances by state
	// blocks are the runnable blocks the view shows, by state (a
	// document not loaded: its instances, one a block).
	blocks   [len(allStates)]int
	finished *time.Time
}

// brief works out a document's state and task counts without allocating.
// The caller holds e.mu.
func (ds *docState) brief() brief {
	var br brief
	if ds.lazy != nil {
		for st, n := range ds.lazy.tasks {
			if i := stateIndex(st); i >= 0 {
				br.counts[i] += n
			}
		}
		br.state, br.finished = ds.lazy.state, ds.lazy.finished
		br.blocks = br.counts
		return br
	}
	// documentState, folded block by block.
	any, live, failed, killed := false, false, false, false
	for _, b := range ds.blocks {
		if b.task == nil {
			continue
		}
		for _, in := range b.instances {
			if i := stateIndex(State(in.rec.State)); i >= 0 {
				br.counts[i]++
			}
			if f := in.rec.FinishedAt; f != nil && (br.finished == nil || f.After(*br.finished)) {
				br.finished = f
			}
		}
		any = true
		st := b.state()
		if i := stateIndex(st); i >= 0 && !b.unshownReader() {
			br.blocks[i]++
		}
		switch st {
		case Queued, Staged, Running:
			live = true
		case Failed, Lost:
			failed = true
		case Killed:
			killed = true
		}
	}
	// An output being read once its attempt ended may stop the
	// document yet (not one of an attempt run again since).
	for _, in := range ds.endReads {
		live = live || ds.endReadCurrent(in)
	}
	// So may the report of a buffer being read add blocks to it.
	live = live || ds.reportsUnread()
	switch {
	case !any:
		br.state = Finished
	case live:
		br.state = Running
	case failed:
		br.state = Failed
	case killed:
		br.state = Killed
	default:
		br.state = Finished
	}
	if br.state == Running {
		br.finished = nil
	}
	return br
}

// matches reports whether a document is in the list q asks for; text is
// q.Text in lower case.
func (ds *docState) matches(q ListQuery, text string, br *brief) bool {
	if q.State != "" && br.state != q.State {
		if i := stateIndex(q.State); i < 0 || br.counts[i] == 0 {
			return false
		}
	}
	if text == "" {
		return true
	}
	if ds.lower == "" || ds.lowerOf != ds.title {
		ds.lower, ds.lowerOf = strings.ToLower(ds.title), ds.title
	}
	return strings.Contains(ds.lower, text) || strings.Contains(strings.ToLower(ds.id), text)
}

// ListDocuments lists the documents q asks for, newest first, and says
// how many match in all.
func (e *Engine) ListDocuments(q ListQuery) (page []DocumentSummary, total int) {
	text := strings.ToLower(strings.TrimSpace(q.Text))
	e.mu.lockRead()
	defer e.mu.Unlock()
	if q.Limit >= 0 {
		page = make([]DocumentSummary, 0, min(q.Limit, len(e.order)))
	} else {
		page = make([]DocumentSummary, 0, len(e.order))
	}
	for i := len(e.order) - 1; i >= 0; i-- {
		ds := e.order[i]
		if ds.removing {
			continue
		}
		br := e.briefOf(ds)
		if !ds.matches(q, text, &br) {
			continue
		}
		total++
		if total <= q.Offset || (q.Limit >= 0 && len(page) >= q.Limit) {
			continue
		}
		s := DocumentSummary{ID: ds.id, Title: ds.title, SubmittedAt: ds.submitted, State: br.state, FinishedAt: br.finished}
		if ds.lazy != nil {
			s.Tasks = ds.lazy.tasks
		} else {
			s.Tasks = make(map[State]int, 2)
			for k, n := range br.counts {
				if n > 0 {
					s.Tasks[allStates[k]] = n
				}
			}
		}
		page = append(page, s)
	}
	return page, total
}

// Documents lists every document, newest first.
func (e *Engine) Documents() []DocumentSummary {
	page, _ := e.ListDocuments(ListQuery{Limit: -1})
	return page
}

// MaxViewBlocks is the most blocks one view of a document holds: a
// document's view without a page (GET /org/ID.json) holds its first
// MaxViewBlocks blocks, and says how many there are (BlocksTotal). It is
// the tasks a document may have by default (#+borges_max_tasks), so the
// view of any document a server accepts unconfigured is whole.
const MaxViewBlocks = 10000

// DocumentPage is one document's view with at most limit of its blocks
// (at most MaxViewBlocks; limit < 0 for as many), from the offset-th on.
// It says how many blocks there are and how many of its task instances
// are in each state, so that a client can page through a document of a
// hundred thousand blocks, or follow its progress, a page at a time.
func (e *Engine) DocumentPage(id string, offset, limit int) (*DocumentView, error) {
	if limit < 0 || limit > MaxViewBlocks {
		limit = MaxViewBlocks
	}
	offset = max(offset, 0)
	ds, err := e.lockedDoc(id)
	if err != nil {
		return nil, err
	}
	defer e.mu.Unlock()
	v := e.viewPage(ds, offset, limit)
	v.BlocksTotal, v.Offset = len(ds.blocks), offset
	br := e.briefOf(ds)
	v.Tasks = make(map[State]int, 2)
	for k, n := range br.counts {
		if n > 0 {
			v.Tasks[allStates[k]] = n
		}
	}
	return v, nil
}

// engineMutex is the engine's lock, counting the times it is taken by
// callers that may change what it guards (Lock): a document's brief
// worked out under one generation holds as long as the count is the same,
// for callers taking it only to read (lockRead) change nothing it depends
// on. Everything a brief reads changes only under the lock.
type engineMutex struct {
	sync.Mutex
	gen uint64
}

// Lock takes the lock for a caller that may change anything: every brief
// kept until now is stale.
func (m *engineMutex) Lock() {
	m.Mutex.Lock()
	m.gen++
}

// lockRead takes the lock for a caller that changes nothing a brief
// depends on (the document list, a document's status).
func (m *engineMutex) lockRead() { m.Mutex.Lock() }

// briefOf is ds's brief, worked out again only if the engine's state may
// have changed since it was last (a poller asking every few milliseconds
// of a document of thousands of blocks, a list of thousands of
// documents). The caller holds e.mu.
func (e *Engine) briefOf(ds *docState) brief {
	if ds.keptGen != 0 && ds.keptGen == e.mu.gen {
		return ds.keptBrief
	}
	ds.keptBrief, ds.keptGen = ds.brief(), e.mu.gen
	return ds.keptBrief
}
