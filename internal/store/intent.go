package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// Launch intents. A launch's write-ahead (Journal) is on the path from
// one block's end to the next one's start, and its fdatasync is most of
// that path on a disk without a fast flush. The engine knows the next
// attempt of a block that waits on nothing but a block it launches: it
// writes that it means to launch it (Intend), synced, while the block
// before runs. The launch record that follows, once the block before has
// ended, is then written without a sync: the page cache holds it through
// the server's end, and only the machine's can lose it. A server that
// starts finds the intents the journal held (Intents): one whose launch
// is not in the database was not launched if the machine has not started
// again since (its boot id says; the engine decides), and may have been
// otherwise. Once it has dealt with them it forgets them (ForgetIntents).

// Intent is a launch the engine means to make: instance (DocID, Block,
// Instance) as attempt AttemptID, its Attempts'th, on the machine whose
// boot is BootID.
type Intent struct {
	DocID     string `json:"doc"`
	Block     string `json:"block"`
	Instance  int    `json:"instance"`
	AttemptID string `json:"attempt"` // not attempt_id: not taken for a launch's
	Attempts  int    `json:"attempts"`
	BootID    string `json:"boot"`
	// RunFor is the attempt's Instance.RunFor: the reader whose
	// reference it runs for, so that one staged from the intent is
	// decided where it was launched.
	RunFor string `json:"run_for,omitempty"`
}

// Key is the key of the intent's instance (Instance.Key).
func (it Intent) Key() []byte {
	return (&Instance{DocID: it.DocID, Block: it.Block, Instance: it.Instance}).Key()
}

// openIntent is an intent on disk whose launch has not been journaled;
// carried counts the times the journal started over since it was made
// (each writes it again at its beginning).
type openIntent struct {
	intent  Intent
	carried int
}

// maxCarried bounds how often an intent is written again when the
// journal starts over (with intents waiting, once it is half full): one
// whose launch has not come by then is let go, and that launch, if it
// comes, is synced.
const maxCarried = 8

// Intend writes intents to the journal, synced. A launch that Journal is
// given later for one of their attempts is written without a sync.
//
// The sync is made without the journal's lock, so that launches
// journaled meanwhile are not held up behind it. An intent is open (its
// launch then written unsynced) only once its sync is done: a launch of
// its attempt journaled before is synced itself. Nor is it open if the
// journal started over meanwhile, whose new records may end a reading
// before it.
func (s *Store) Intend(intents []Intent) error {
	j := s.journal
	if j == nil {
		return ErrJournalFull
	}
	j.mu.Lock()
	launchedAlready := func(it Intent) bool {
		return j.launched[it.AttemptID] || j.wasLaunched[it.AttemptID]
	}
	// Those whose launches came first (the engine read them queued
	// before) are let go.
	intents = slices.DeleteFunc(slices.Clone(intents), launchedAlready)
	if len(intents) == 0 {
		j.mu.Unlock()
		return nil
	}
	payload, err := json.Marshal(intents)
	if err == nil {
		_, err = j.write(intentMagic, payload, false)
	}
	if err != nil {
		j.mu.Unlock()
		return err
	}
	round, f := j.round, j.f
	j.pending++
	j.mu.Unlock()
	syncErr := j.sync(f)
	j.mu.Lock()
	defer j.mu.Unlock()
	j.pending--
	if syncErr != nil {
		// What the page cache holds after a failed sync is unknown:
		// the journal is not trusted with anything more.
		if j.failed == nil {
			j.failed = fmt.Errorf("launch journal: %w", syncErr)
		}
		return j.failed
	}
	j.intentSyncs++
	if j.failed != nil || j.round != round {
		return nil // their launches are synced
	}
	for _, it := range intents {
		if !launchedAlready(it) {
			j.open[it.AttemptID] = &openIntent{intent: it}
		}
	}
	return nil
}

// startOver has new records go over the old ones (the database has all
// they hold). The intents not launched yet are written again at the
// beginning, synced, as they must stay on disk; those carried over
// maxCarried times already are let go. The caller holds j.mu.
func (j *journal) startOver() {
	j.pos = 0
	j.round++
	j.wasLaunched, j.launched = j.launched, map[string]bool{}
	if len(j.open) == 0 || j.failed != nil {
		// Intents launched are harmless where a restart reads them:
		// the database has their launches.
		return
	}
	carry := []Intent{}
	for id, o := range j.open {
		if o.carried >= maxCarried {
			delete(j.open, id)
			continue
		}
		o.carried++
		carry = append(carry, o.intent)
	}
	// Written even when empty: it ends the reading of the round before,
	// whose intents let go are not to be read again.
	payload, err := json.Marshal(carry)
	if err == nil {
		err = j.writeIntents(payload)
	}
	if err != nil {
		j.open = map[string]*openIntent{}
	}
}

// writeIntents writes a record of intents (a JSON list), synced, and
// counts its sync. The caller holds j.mu.
func (j *journal) writeIntents(payload []byte) error {
	if _, err := j.write(intentMagic, payload, true); err != nil {
		return err
	}
	j.intentSyncs++
	return nil
}

// errClosed: the journal's store is closed.
var errClosed = errors.New("launch journal closed")

// forgetOpen has a later Open read no intent of the journal, when the
// database has every state it holds: it starts over with an empty
// intent record. The caller holds j.mu.
func (j *journal) forgetOpen() error {
	if j.failed != nil || len(j.open)+j.pending == 0 || j.stored < j.needs {
		return nil
	}
	j.open = map[string]*openIntent{}
	j.startOver()
	return j.writeIntents([]byte("[]"))
}

// Intents are the intents the journal held when the store was opened.
func (s *Store) Intents() []Intent {
	return s.intents
}

// ForgetIntents has a later Open read none of the intents Intents
// returns: the caller has stored what it decided of them.
func (s *Store) ForgetIntents() error {
	j := s.journal
	if j == nil || len(s.intents) == 0 {
		return nil
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	s.intents = nil
	if j.pos > 0 {
		return nil // a new round's records already end the reading of the old one
	}
	return j.writeIntents([]byte("[]"))
}

// PassIntents says the attempts ids will not be launched as intended
// (their instances ended without them): their intents are no longer
// open, so a launch of one that comes after all is synced, and they are
// not written again when the journal starts over, nor kept open by an
// Intend under way.
func (s *Store) PassIntents(ids []string) {
	j := s.journal
	if j == nil {
		return
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, id := range ids {
		delete(j.open, id)
		j.launched[id] = true
	}
}

// IntentOpen reports whether the intent of attempt id is on disk, synced,
// its launch not journaled yet: that launch is then written unsynced.
func (s *Store) IntentOpen(id string) bool {
	j := s.journal
	if j == nil {
		return false
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.open[id] != nil
}

// JournalSyncs counts the journal's fdatasyncs so far: those of launch
// records, and those of intent records.
func (s *Store) JournalSyncs() (launches, intents int64) {
	j := s.journal
	if j == nil {
		return 0, 0
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.launchSyncs, j.intentSyncs
}
