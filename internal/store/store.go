// Package store keeps Borges' state in an embedded bbolt database in the
// data directory: every accepted document (its original text) and the state
// of every task instance. A document is on disk, synced, before the server
// answers 201; instance states are written as they change, a launch before
// the process starts, so that a restarted server knows what may still run.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

var (
	bucketDocs      = []byte("documents")
	bucketInstances = []byte("instances")
	bucketMeta      = []byte("meta")
)

// Store is the database.
type Store struct {
	db      *bolt.DB
	journal *journal // the launch journal (journal.go)
	intents []Intent // those the journal held at Open (intent.go)
}

// Document is one accepted document.
type Document struct {
	ID          string    `json:"id"`
	Seq         uint64    `json:"seq"` // order of submission
	Text        string    `json:"text"`
	SubmittedAt time.Time `json:"submitted_at"`
	// Title is its #+TITLE, kept so that a restarted server lists it
	// without reading it again. Records of older versions have none
	// (LoadIndex says which: TitleKnown).
	Title      string `json:"title"`
	TitleKnown bool   `json:"-"`
	// VisitDir and VisitHome are where the sender visits the document
	// (the API's dir and home), for its :results file links; empty when
	// not said.
	VisitDir  string `json:"visit_dir,omitempty"`
	VisitHome string `json:"visit_home,omitempty"`
	// BOM and EOL are how its file held it (org.Encoding), for the
	// document given back as Emacs saves it; records of older
	// versions have none: LF, no BOM.
	BOM bool   `json:"bom,omitempty"`
	EOL string `json:"eol,omitempty"`
	// Coding is the charset its file held it in (org.Encoding.Coding):
	// "" for UTF-8, as in records of older versions.
	Coding string `json:"coding,omitempty"`
	// File: its text was a file's (org.Encoding.File), saved as Emacs
	// saves it; records of older versions: given back as it is.
	File bool `json:"file,omitempty"`
}

// Instance is the state of one instance of one block's task.
type Instance struct {
	DocID     string `json:"doc"`
	Block     string `json:"block"`
	Instance  int    `json:"instance"`
	State     string `json:"state"`
	Attempts  int    `json:"attempts"`
	AttemptID string `json:"attempt_id,omitempty"`
	ExitCode  *int   `json:"exit_code,omitempty"`
	Message   string `json:"message,omitempty"`
	// TimedOut says that attempt's own :timeout ended it, as its backend
	// said (engine.Update.TimedOut), its exit status that of the kill:
	// set, true or false, when an attempt is launched or ends. A record
	// of an older Borges has it unset: whether its attempt timed out is
	// read from its message (AttemptTimedOut).
	TimedOut   *bool      `json:"timed_out,omitempty"`
	Host       string     `json:"host,omitempty"`
	Killed     bool       `json:"killed,omitempty"` // kill requested: never restart
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	NextRunAt  *time.Time `json:"next_run_at,omitempty"`
	QuickExits int        `json:"quick_exits,omitempty"` // consecutive short runs, for backoff
	Lost       int        `json:"lost,omitempty"`
	// LaunchTicks is, for its attempt (AttemptID), the machine's boot
	// clock in clock ticks read before its backend was given it
	// (engine.Attempt.LaunchTicks); 0 if not known.
	LaunchTicks uint64 `json:"launch_ticks,omitempty"`
	// AddedFrom is, for a block of the document's Emacs, its attempt whose
	// report of the Org buffer says which blocks it added (the last that
	// ended), kept while it runs again: a server started then adds them
	// from it.
	AddedFrom string `json:"added_from,omitempty"`
	// Dying are its attempts a restart killed that have not ended (they
	// hold their resources until then): a later kill, restart or
	// removal of it kills them again, and a server started recovers
	// them. Never changed in place: a record's copy may be on its way
	// to the database.
	Dying []string `json:"dying,omitempty"`
	// DyingTicks maps an attempt of Dying to its launch's boot ticks
	// (LaunchTicks, which the instance's next launch overwrites), where
	// known: it is recovered with them. Never changed in place either.
	DyingTicks map[string]uint64 `json:"dying_ticks,omitempty"`
	// FromIntent says the attempt was staged from a launch intent whose
	// launch was not on disk, at a start after a reboot: its backend
	// may never have been given it (the engine's UnrecordedIntent).
	FromIntent bool `json:"from_intent,omitempty"`
	// BeforeIntent is, while FromIntent, how the last attempt launched
	// before the intent's ended, as the record said before a start
	// staged the intent's attempt; nil if that is unknown (staged by an
	// older Borges). Should the backend not know the intent's attempt,
	// the record says it again; kept with the record, so that however
	// many starts come before the backend tells, they say the same.
	BeforeIntent *LastAttempt `json:"before_intent,omitempty"`
	// Unlaunched counts the attempts among Attempts that were staged
	// from an intent and that their backend did not know (lost at
	// once): they may never have run, so they are no tries (Tries), yet
	// their attempt ids stay spent, never given to a later attempt (the
	// backend, or the files an attempt that did run left, may still
	// hold them).
	Unlaunched int `json:"unlaunched,omitempty"`
	// NotLaunched is the attempt id of the launch intent written for
	// its next attempt when it ended without that launch (its results
	// stood, a dependency failed, an Emacs Lisp block deleted it): its
	// record, ended, cannot say so otherwise, as an intent of an
	// attempt after the one it ended is one perhaps launched. While it
	// has ended, a start passes that intent over.
	NotLaunched string `json:"not_launched,omitempty"`
	// WaitsFor is, for an instance of a block a failure stop held,
	// queued again when the task that stopped the document runs again,
	// that task's name: the instance waits until it has ended, then is
	// decided again (held still, or run). Empty once decided, or when
	// queued again otherwise.
	WaitsFor string `json:"waits_for,omitempty"`
	// HeldBy is, for an instance of a block a failure stop held (not
	// run: org-babel-execute-buffer stopped before it), the name of the
	// task whose failure stopped the document: after a server restart
	// the held blocks are these, not guessed from their states. Empty
	// when queued again.
	HeldBy string `json:"held_by,omitempty"`
	// CacheStood: the instance ended not run, its block's cached
	// results standing (:cache yes), so it wrote no file. False once it
	// is queued again.
	CacheStood bool `json:"cache_stood,omitempty"`
	// RefErr is, for an instance whose attempt failed on a reference
	// Emacs finds no data for, Emacs's error: it stops the document
	// there, after a server restart too. Empty when queued again.
	RefErr string `json:"ref_err,omitempty"`
	// RefErrShell: RefErr is the error Emacs signals running the
	// shell-file-name an Emacs Lisp block left, not a reference's.
	RefErrShell bool `json:"ref_err_shell,omitempty"`
	// RefErrCmdline: RefErr is the error ob-shell's concat signals
	// taking a string of the block's :cmdline (plan.CmdlineArg).
	RefErrCmdline bool `json:"ref_err_cmdline,omitempty"`
	// RefErrBinding: RefErr is the error Emacs signals binding a value
	// found (ob-shell's associative array), not a reference's.
	RefErrBinding bool `json:"ref_err_binding,omitempty"`
	// ResultStop is, for an instance whose attempt finished with
	// results that stop org-babel-execute-buffer (plan.ResultStop),
	// Emacs's error, found once when the attempt ended: the document
	// stops there, after a server restart too. Empty when its next
	// attempt is made.
	ResultStop string `json:"result_stop,omitempty"`
	// ResultStopUnread says that the output of that attempt, whose
	// results may stop Emacs, could not be read when it ended: the
	// document's notes say that whether they stop it is not known. It is
	// not read again; the block's next attempt is judged anew.
	ResultStopUnread bool `json:"result_stop_unread,omitempty"`
	// ResultStopKept says that Emacs stops with ResultStop before it
	// writes the block's results, which stay as they were (column
	// names that are a rule; point left at a heading by a noweb
	// reference), not after (the keyword alone, for a table the
	// exporter leaves nothing of): the same error can be either.
	ResultStopKept bool `json:"result_stop_kept,omitempty"`
	// RunFor is, for an instance of a block launched for a reader's
	// reference to the next element of a name (Emacs runs it within the
	// reader's evaluation), that reader's block name: a server started
	// again decides it at the reader's place, as the one that launched
	// it did (the buffer and environment it ran in). Empty for any other
	// launch, and in the records of an older Borges, which did not keep
	// it: such a block is decided in its own place.
	RunFor string `json:"run_for,omitempty"`
	// InlineRead says that the value of that attempt, of a task whose
	// result is written in place of an inline block, was read once it
	// finished, and InlineStop is the error org-babel-insert-result
	// signals for it, refusing it inline, "" for none: the document
	// stops there, after a server restart too, its output not read
	// again. Both cleared when its next attempt is made.
	InlineRead bool   `json:"inline_read,omitempty"`
	InlineStop string `json:"inline_stop,omitempty"`
	// InlineUnread says that the value of that attempt could not be read
	// (every try failed): whether org-babel-insert-result refuses it
	// inline is not known, the document's notes say so, and the blocks
	// after it run; not read again (InlineRead is set too).
	InlineUnread bool `json:"inline_unread,omitempty"`
	// ResultStopReading says that the output of that attempt, finished,
	// was being read, off the engine's lock, for whether its results
	// stop Emacs (ResultStop, ResultStopKept, ResultStopUnread, not known
	// yet) when the record was stored: a server started again reads it
	// again where that still matters. A record of an older Borges, which
	// found ResultStop when the attempt ended, has it unset: read.
	ResultStopReading bool `json:"result_stop_reading,omitempty"`
	// FoundAfterRead says, with ResultStopReading, that the blocks
	// org-babel-execute-buffer finds in that attempt's results are
	// searched for once that read has ended, not before. A record of an
	// older Borges, which searched them when the attempt ended, has it
	// unset: the blocks found then stand, adopted as stored.
	FoundAfterRead bool `json:"found_after_read,omitempty"`
	// BufferUnread says that the report of the Org buffer that attempt,
	// a task of the document's Emacs that ended, left was being read,
	// off the engine's lock, when the record was stored: what it does
	// (the blocks it added, those found in its results) was not applied
	// yet, and AddedFrom is still the attempt before it. A server started
	// again reads it again before the blocks after it are decided.
	BufferUnread bool `json:"buffer_unread,omitempty"`
	// BufferReport is the attempt (that attempt, or none) known to have
	// left a report of the Org buffer, read once: a server started
	// again that cannot read it (a read that fails, its file gone, what
	// is read no report) holds what is decided from it, as for a report
	// read before and let go, never taking it as no report, which would
	// decide the blocks and the document as they were submitted.
	BufferReport string `json:"buffer_report,omitempty"`
	// BufferReportKnown says that BufferReport was decided, when the
	// report of that attempt was read: "" is then no report. A record of
	// an older Borges has it unset: whether its attempt left a report
	// is not known from the record, and a server started again that
	// cannot read it holds what is decided from it, as for a report
	// known to be there, until a read says whether it is.
	BufferReportKnown bool `json:"buffer_report_known,omitempty"`
	// EndUndecided says that what that attempt's end decides from the
	// buffer it ran in (whether its output is read for a stop, ...) was
	// waiting for the read of the report of that buffer when the record
	// was stored: a server started again decides it once read.
	EndUndecided bool `json:"end_undecided,omitempty"`
}

// LastAttempt is how an instance's attempt ended, as its record says it
// (Instance.BeforeIntent). Never changed in place: a record's copy may be
// on its way to the database.
type LastAttempt struct {
	AttemptID  string     `json:"attempt_id,omitempty"`
	ExitCode   *int       `json:"exit_code,omitempty"`
	Message    string     `json:"message,omitempty"`
	TimedOut   *bool      `json:"timed_out,omitempty"` // as Instance.TimedOut
	Host       string     `json:"host,omitempty"`
	StartedAt  *time.Time `json:"started_at,omitempty"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// AttemptTimedOut reports whether the record's attempt was ended by its
// own :timeout: TimedOut, or, in a record of an older Borges, which did
// not keep it, a message beginning with LegacyTimedOutPrefix, as every
// backend's then did for such an attempt.
func (i *Instance) AttemptTimedOut() bool {
	return timedOut(i.TimedOut, i.Message)
}

// LegacyTimedOutPrefix began the message every backend gave an attempt
// its :timeout ended ("timed out after 2s"), by which a record of an
// older Borges, with no TimedOut, says so.
const LegacyTimedOutPrefix = "timed out"

// decodeInstance is the record v, as stored. One of an older Borges,
// which kept no TimedOut, is given the flag its message says
// (LegacyTimedOutPrefix), its last attempt before an intent too, so that
// the engine's rewrite of the message of an ended instance without a new
// attempt (blocked, could not start, an edit's why) leaves its attempt
// timed out, as for a record of this Borges.
func decodeInstance(v []byte) (*Instance, error) {
	in := &Instance{}
	if err := json.Unmarshal(v, in); err != nil {
		return nil, err
	}
	in.TimedOut = legacyTimedOut(in.TimedOut, in.Message)
	if b := in.BeforeIntent; b != nil {
		b.TimedOut = legacyTimedOut(b.TimedOut, b.Message) // decoded here, no one else's yet
	}
	return in, nil
}

// legacyTimedOut is flag where it is set; else, for a record of an older
// Borges, true where msg begins with LegacyTimedOutPrefix, nil where not
// (no attempt timed out, nor one of this Borges's, whose every record
// with an attempt has the flag).
func legacyTimedOut(flag *bool, msg string) *bool {
	if flag == nil && strings.HasPrefix(msg, LegacyTimedOutPrefix) {
		yes := true
		return &yes
	}
	return flag
}

// timedOut is flag where it is set, else whether msg begins with
// LegacyTimedOutPrefix (legacyTimedOut's rule).
func timedOut(flag *bool, msg string) bool {
	f := legacyTimedOut(flag, msg)
	return f != nil && *f
}

// Tries are the instance's attempts launched: Attempts but those
// Unlaunched. Retries are counted by them, and status, history and the
// notes in the document show them.
func (i *Instance) Tries() int {
	return i.Attempts - i.Unlaunched
}

// Key identifies an instance in the database.
func (i *Instance) Key() []byte {
	k := make([]byte, 0, len(i.DocID)+len(i.Block)+6)
	k = append(k, i.DocID...)
	k = append(k, 0)
	k = append(k, i.Block...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint32(k, uint32(i.Instance))
}

// Open opens (creating if needed) the database at path.
func Open(path string) (*Store, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second})
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			return nil, fmt.Errorf("open %s: another Borges holds it", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// Concurrent submissions share a commit (one fsync), but none waits
	// long for company: bbolt's default 10 ms would be most of a POST.
	db.MaxBatchDelay = 2 * time.Millisecond
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketDocs, bucketInstances, bucketMeta} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db}
	if err := s.openJournal(path + "-journal"); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: launch journal: %w", path, err)
	}
	return s, nil
}

// Close closes the database. Once the database has every state
// journaled, the intents whose launches were not made are forgotten (a
// later Open reads none): their launches never will be.
func (s *Store) Close() error {
	var err error
	if j := s.journal; j != nil {
		j.mu.Lock()
		err = j.forgetOpen()
		err = errors.Join(err, j.f.Close())
		j.failed = errors.Join(j.failed, errClosed)
		j.mu.Unlock()
	}
	return errors.Join(err, s.db.Close())
}

// AddDocument stores a new document with its instances, in one synced
// transaction; concurrent calls share a commit. It assigns Seq.
func (s *Store) AddDocument(d *Document, instances []*Instance) error {
	return s.db.Batch(func(tx *bolt.Tx) error {
		docs := tx.Bucket(bucketDocs)
		seq, err := docs.NextSequence()
		if err != nil {
			return err
		}
		d.Seq = seq
		data, err := json.Marshal(d)
		if err != nil {
			return err
		}
		if err := docs.Put([]byte(d.ID), data); err != nil {
			return err
		}
		return putInstances(tx, instances)
	})
}

// PutInstances writes instance states in one synced transaction. Its
// callers (the engine's scheduler and its state writer) are one goroutine
// each and gather their changes themselves, so it commits at once rather
// than wait for company as a batch does: the scheduler's write-ahead of a
// launch is on the path from one block's end to the next one's start.
func (s *Store) PutInstances(instances []*Instance) error {
	if len(instances) == 0 {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error { return putInstances(tx, instances) })
}

func putInstances(tx *bolt.Tx, instances []*Instance) error {
	b := tx.Bucket(bucketInstances)
	docs := tx.Bucket(bucketDocs)
	for _, in := range instances {
		if docs.Get([]byte(in.DocID)) == nil {
			continue // its document was removed: a late state is not kept
		}
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		if err := b.Put(in.Key(), data); err != nil {
			return err
		}
	}
	return nil
}

// Load reads everything: documents in submission order, and instances.
func (s *Store) Load() ([]*Document, []*Instance, error) {
	var docs []*Document
	var instances []*Instance
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketDocs).ForEach(func(k, v []byte) error {
			d := &Document{}
			if err := json.Unmarshal(v, d); err != nil {
				return fmt.Errorf("document %s: %w", k, err)
			}
			docs = append(docs, d)
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketInstances).ForEach(func(k, v []byte) error {
			in, err := decodeInstance(v)
			if err != nil {
				return fmt.Errorf("instance %q: %w", k, err)
			}
			instances = append(instances, in)
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	sortDocs(docs)
	return docs, instances, nil
}

func sortDocs(docs []*Document) {
	sort.Slice(docs, func(i, j int) bool { return docs[i].Seq < docs[j].Seq })
}

// Meta reads a small value (the framework id, the token…).
func (s *Store) Meta(key string) (string, error) {
	var v string
	err := s.db.View(func(tx *bolt.Tx) error {
		v = string(tx.Bucket(bucketMeta).Get([]byte(key)))
		return nil
	})
	return v, err
}

// SetMeta writes a small value.
func (s *Store) SetMeta(key, value string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put([]byte(key), []byte(value))
	})
}
