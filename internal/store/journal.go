package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strconv"
	"sync"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/sys/unix"
)

// The launch journal. A launch is on disk before its process starts, and
// that write is on the path from one block's end to the next one's start.
// A bbolt commit costs two fdatasyncs, and more pages to write as the
// database grows; the journal, a file of fixed size beside the database
// (PATH-journal), costs one: a record written in place, in blocks that are
// already the file's, so that no metadata changes. The engine's state
// writer stores the same states in the database with its next batch
// (PutInstancesUpTo), which also records how far in the journal the
// database is; once it has everything, the journal starts over from its
// beginning. Open puts into the database what it lacks.
//
// A record: "BJ01", the payload's length (uint32), the sequence number
// (uint64), a CRC-32C of the sequence number and the payload, then the
// payload (a JSON array of instance states); or an intent record, the
// same with "BJI1" and a JSON array of intents (Intend). Sequence numbers
// increase through the file from its beginning; reading stops at the
// first record that is torn, damaged, or older than the one before (what
// is left of a previous round).

// JournalSize is the journal file's size: ample room for the launches
// between two of the state writer's batches (100 ms: engine.batchEvery).
const JournalSize = 4 << 20

const journalHeader = 20

var (
	journalMagic = []byte("BJ01")
	intentMagic  = []byte("BJI1")
	castagnoli   = crc32.MakeTable(crc32.Castagnoli)
	// metaJournal is the meta key holding the last journal sequence
	// number whose states the database has.
	metaJournal = []byte("journal-stored")
)

// ErrJournalFull says a record did not fit: the caller stores its states
// in the database directly.
var ErrJournalFull = errors.New("launch journal full")

type journal struct {
	mu     sync.Mutex
	f      *os.File
	pos    int64  // where the next record goes
	seq    uint64 // the last record's sequence number
	needs  uint64 // the last record of states (not intents): the database needs it
	stored uint64 // the last sequence number the database has
	failed error  // a write that failed: the journal is not used again
	// open are the intents on disk, synced, not launched yet, by
	// attempt id (intent.go).
	open map[string]*openIntent
	// launched are the attempt ids of the launches journaled (or
	// passed over: PassIntents) since the journal last started over,
	// and wasLaunched those of the round before: an intent that comes
	// after its launch is not kept open (Intend).
	launched, wasLaunched map[string]bool
	// syncs counts the fdatasyncs of launch records and of intent
	// records (JournalSyncs).
	launchSyncs, intentSyncs int64
	// pending counts the intent records written whose sync, made
	// without j.mu (Intend), is not done; round counts the times the
	// journal started over, which such an intent must not have seen.
	pending int
	round   uint64
	// sync syncs the file's data (fdatasync); tests put a hook in.
	sync func(*os.File) error
}

// fdatasync syncs f's data, f kept open meanwhile.
func fdatasync(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var syncErr error
	if err := rc.Control(func(fd uintptr) { syncErr = unix.Fdatasync(int(fd)) }); err != nil {
		return err
	}
	return syncErr
}

type journalRecord struct {
	seq       uint64
	instances []*Instance
	intents   []Intent // an intent record's
}

// openJournal opens (creating and filling with zeros if needed) the
// journal and reads its records.
func openJournal(path string) (*journal, []journalRecord, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if st.Size() < JournalSize {
		// Zeros written, not a hole or fallocate's unwritten extents: a
		// record then changes data only.
		if _, err := f.WriteAt(make([]byte, JournalSize-st.Size()), st.Size()); err != nil {
			f.Close()
			return nil, nil, err
		}
		if err := f.Sync(); err != nil {
			f.Close()
			return nil, nil, err
		}
	}
	data := make([]byte, JournalSize)
	if _, err := f.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		f.Close()
		return nil, nil, err
	}
	var records []journalRecord
	j := &journal{f: f, open: map[string]*openIntent{}, launched: map[string]bool{}, sync: fdatasync}
	for {
		rec, n, ok := parseRecord(data[j.pos:], j.seq)
		if !ok {
			break
		}
		records = append(records, rec)
		j.seq = rec.seq
		j.pos += int64(n)
	}
	return j, records, nil
}

// parseRecord reads the record at the start of b, which must come after
// sequence number after.
func parseRecord(b []byte, after uint64) (journalRecord, int, bool) {
	if len(b) < journalHeader || string(b[:4]) != string(journalMagic) && string(b[:4]) != string(intentMagic) {
		return journalRecord{}, 0, false
	}
	n := int(binary.BigEndian.Uint32(b[4:8]))
	seq := binary.BigEndian.Uint64(b[8:16])
	if n > len(b)-journalHeader || seq <= after {
		return journalRecord{}, 0, false
	}
	payload := b[journalHeader : journalHeader+n]
	crc := crc32.Update(crc32.Checksum(b[8:16], castagnoli), castagnoli, payload)
	if crc != binary.BigEndian.Uint32(b[16:20]) {
		return journalRecord{}, 0, false
	}
	rec := journalRecord{seq: seq}
	into := any(&rec.instances)
	if string(b[:4]) == string(intentMagic) {
		into = &rec.intents
	}
	if err := json.Unmarshal(payload, into); err != nil {
		return journalRecord{}, 0, false
	}
	return rec, journalHeader + n, true
}

// write writes a record of payload at the journal's end, synced unless
// said otherwise, and returns its sequence number. The caller holds j.mu.
func (j *journal) write(magic, payload []byte, sync bool) (uint64, error) {
	if j.failed != nil {
		return 0, j.failed
	}
	size := int64(journalHeader + len(payload))
	if j.pos+size > JournalSize {
		return 0, ErrJournalFull
	}
	seq := j.seq + 1
	buf := make([]byte, size)
	copy(buf, magic)
	binary.BigEndian.PutUint32(buf[4:8], uint32(len(payload)))
	binary.BigEndian.PutUint64(buf[8:16], seq)
	binary.BigEndian.PutUint32(buf[16:20], crc32.Update(crc32.Checksum(buf[8:16], castagnoli), castagnoli, payload))
	copy(buf[journalHeader:], payload)
	if _, err := j.f.WriteAt(buf, j.pos); err != nil {
		j.failed = fmt.Errorf("launch journal: %w", err)
		return 0, j.failed
	}
	if sync {
		if err := j.sync(j.f); err != nil {
			// What the page cache holds after a failed sync is unknown:
			// the journal is not trusted with anything more.
			j.failed = fmt.Errorf("launch journal: %w", err)
			return 0, j.failed
		}
	}
	j.pos += size
	j.seq = seq
	return seq, nil
}

// Journal writes instance states to the journal and syncs it: on disk
// when it returns, stored in the database by a later PutInstancesUpTo
// with the sequence number it returns. ErrJournalFull (or any error) asks
// the caller to store them in the database at once instead. Launches
// (staged states) whose intents are on disk, synced, and nothing else,
// are written without the sync: in the page cache they survive the
// server's end, and a start after the machine's finds their intents
// (Intend).
func (s *Store) Journal(instances []*Instance) (uint64, error) {
	j := s.journal
	if j == nil {
		return 0, ErrJournalFull
	}
	payload, err := json.Marshal(instances)
	if err != nil {
		return 0, err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	intended := len(instances) > 0
	for _, in := range instances {
		if in.State != "staged" || j.open[in.AttemptID] == nil {
			intended = false
		}
	}
	seq, err := j.write(journalMagic, payload, !intended)
	if err != nil {
		return 0, err
	}
	if !intended {
		j.launchSyncs++
	}
	for _, in := range instances {
		delete(j.open, in.AttemptID)
		if in.State == "staged" {
			j.launched[in.AttemptID] = true
		}
	}
	j.needs = seq
	return seq, nil
}

// PutInstancesUpTo writes instance states in one synced transaction, as
// PutInstances, and records that the database has every state journaled
// up to sequence number seq (0: none). Once it has all, the journal starts
// over.
func (s *Store) PutInstancesUpTo(instances []*Instance, seq uint64) error {
	return s.Commit(instances, nil, seq)
}

// Commit is PutInstancesUpTo of instances, which deletes in the same
// transaction the records of remove (by Key; one not stored is passed
// over), before it writes instances: the records of blocks a document no
// longer has go with the state that drops them, or neither is stored.
func (s *Store) Commit(instances, remove []*Instance, seq uint64) error {
	if len(instances)+len(remove) == 0 && seq == 0 {
		return nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if had, _ := strconv.ParseUint(string(meta.Get(metaJournal)), 10, 64); seq > had {
			if err := meta.Put(metaJournal, []byte(strconv.FormatUint(seq, 10))); err != nil {
				return err
			}
		}
		if err := removeInstances(tx, remove); err != nil {
			return err
		}
		return putInstances(tx, instances)
	})
	if err != nil || seq == 0 || s.journal == nil {
		return err
	}
	j := s.journal
	j.mu.Lock()
	defer j.mu.Unlock()
	j.stored = max(j.stored, seq)
	if j.stored >= j.needs && (len(j.open)+j.pending == 0 || j.pos > JournalSize/2) {
		// Everything in it is in the database (which says so, synced):
		// new records go over the old ones, whose sequence numbers are
		// lower and so end a reading. Not while intents wait for their
		// launches (they would be written again, synced), or for their
		// sync (their launches would be synced: Intend), unless the
		// journal is half full.
		j.startOver()
	}
	return nil
}

// openJournal opens the journal beside the database and puts into the
// database the journaled states it lacks (replay), whatever reads them
// afterwards: those of a later attempt than it has, of a document it has.
// The journal then starts over.
func (s *Store) openJournal(path string) error {
	j, records, err := openJournal(path)
	if err != nil {
		return err
	}
	err = s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		j.stored, _ = strconv.ParseUint(string(meta.Get(metaJournal)), 10, 64)
		docs, instances := tx.Bucket(bucketDocs), tx.Bucket(bucketInstances)
		latest := map[string]*Instance{}
		var keys []string
		for _, rec := range records {
			if rec.seq <= j.stored {
				continue
			}
			for _, in := range rec.instances {
				if docs.Get([]byte(in.DocID)) == nil {
					continue // removed since
				}
				k := string(in.Key())
				if _, ok := latest[k]; !ok {
					keys = append(keys, k)
				}
				latest[k] = in // later records come later
			}
		}
		var replay []*Instance
		for _, rec := range records {
			s.intents = append(s.intents, rec.intents...)
		}
		for _, k := range keys {
			in := latest[k]
			if v := instances.Get([]byte(k)); v != nil {
				old := &Instance{}
				if err := json.Unmarshal(v, old); err == nil && old.Attempts >= in.Attempts {
					continue // the database has this attempt, or a later one
				}
			}
			replay = append(replay, in)
		}
		if err := putInstances(tx, replay); err != nil {
			return err
		}
		// Sequence numbers go on from the last the database has seen,
		// even when the journal was emptied or lost.
		j.seq = max(j.seq, j.stored)
		j.stored, j.needs, j.pos = j.seq, j.seq, 0
		return meta.Put(metaJournal, []byte(strconv.FormatUint(j.seq, 10)))
	})
	if err != nil {
		j.f.Close()
		return err
	}
	s.journal = j
	return nil
}
