package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// This file is what a starting server reads: everything about every
// document but its text (LoadIndex), and then, one document at a time as
// it is needed, its text and instance states (DocumentText,
// DocumentInstances). A restart over a long history reads little.

// Brief is what the index holds of an instance state: enough to list a
// document and to know whether anything of it may still run.
type Brief struct {
	DocID      string
	Block      string
	Instance   int
	State      string
	FinishedAt *time.Time
	Dying      bool // attempts of it a restart killed have not ended
	// BufferUnread: the report of its ended attempt's Org buffer was
	// not read yet (Instance.BufferUnread).
	BufferUnread bool
}

// LoadIndex reads every document, in submission order, without its text
// (Text is empty: DocumentText reads it), and a brief of every instance
// state (DocumentInstances reads them whole).
//
// It reads the records without decoding them whole: a field is found by
// its key, quoted, which JSON cannot hold unescaped inside a string, so
// that a document's text is skipped at the speed of a byte search. A
// record it does not find a field of as it expects is decoded whole.
func (s *Store) LoadIndex() ([]*Document, []Brief, error) {
	var docs []*Document
	var briefs []Brief
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketDocs).ForEach(func(k, v []byte) error {
			d, err := indexDocument(v)
			if err != nil {
				return fmt.Errorf("document %s: %w", k, err)
			}
			docs = append(docs, d)
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketInstances).ForEach(func(k, v []byte) error {
			prev := ""
			if n := len(briefs); n > 0 {
				prev = briefs[n-1].DocID
			}
			b, err := briefOf(k, v, prev)
			if err != nil {
				return fmt.Errorf("instance %q: %w", k, err)
			}
			briefs = append(briefs, b)
			return nil
		})
	})
	if err != nil {
		return nil, nil, err
	}
	sortDocs(docs)
	return docs, briefs, nil
}

// indexDocument reads a document record but its text.
func indexDocument(v []byte) (*Document, error) {
	d := &Document{}
	id, ok1 := plainString(v, `"id":"`)
	seq, ok2 := number(v, `"seq":`)
	// The text comes before these: they are looked for from the end.
	at, ok3 := plainStringLast(v, `"submitted_at":"`)
	var err error
	if ok1 && ok2 && ok3 {
		d.ID, d.Seq = id, seq
		d.SubmittedAt, err = time.Parse(time.RFC3339Nano, at)
		ok3 = err == nil
	}
	title, ok4 := plainStringLast(v, `"title":"`)
	known := ok4
	if !ok4 && !bytes.Contains(v, []byte(`"title":`)) {
		ok4 = true // an older record, without a title
	}
	if !(ok1 && ok2 && ok3 && ok4) {
		var x struct {
			ID          string    `json:"id"`
			Seq         uint64    `json:"seq"`
			SubmittedAt time.Time `json:"submitted_at"`
			Title       *string   `json:"title"`
		}
		if err := json.Unmarshal(v, &x); err != nil {
			return nil, err
		}
		d.ID, d.Seq, d.SubmittedAt = x.ID, x.Seq, x.SubmittedAt
		title, known = "", x.Title != nil
		if known {
			title = *x.Title
		}
	}
	d.Title, d.TitleKnown = title, known
	return d, nil
}

// briefOf reads an instance record's key and its state and end; prev is
// the document id of the record before, whose string it shares.
func briefOf(k, v []byte, prev string) (Brief, error) {
	var b Brief
	doc := bytes.IndexByte(k, 0)
	if doc < 0 || len(k) < doc+6 || k[len(k)-5] != 0 {
		return b, fmt.Errorf("not an instance key")
	}
	b.DocID, b.Block = prev, string(k[doc+1:len(k)-5])
	if string(k[:doc]) != prev {
		b.DocID = string(k[:doc])
	}
	b.Instance = int(binary.BigEndian.Uint32(k[len(k)-4:]))
	state, ok := plainString(v, `"state":"`)
	end, hasEnd := plainString(v, `"finished_at":"`)
	if hasEnd {
		t, err := time.Parse(time.RFC3339Nano, end)
		if err == nil {
			b.FinishedAt = &t
		} else {
			ok = false
		}
	} else if bytes.Contains(v, []byte(`"finished_at":`)) {
		ok = false
	}
	if ok {
		// A key, quoted, is never inside a string (see LoadIndex).
		b.State, b.Dying = state, bytes.Contains(v, []byte(`"dying":[`))
		b.BufferUnread = bytes.Contains(v, []byte(`"buffer_unread":true`))
		return b, nil
	}
	in := &Instance{}
	if err := json.Unmarshal(v, in); err != nil {
		return b, err
	}
	b.State, b.FinishedAt, b.Dying, b.BufferUnread = in.State, in.FinishedAt, len(in.Dying) > 0, in.BufferUnread
	return b, nil
}

// plainString is the string after key in a JSON object, when it has no
// escapes.
func plainString(v []byte, key string) (string, bool) {
	return plainStringAt(v, key, bytes.Index(v, []byte(key)))
}

// plainStringLast is plainString, the key looked for from the end.
func plainStringLast(v []byte, key string) (string, bool) {
	return plainStringAt(v, key, bytes.LastIndex(v, []byte(key)))
}

func plainStringAt(v []byte, key string, i int) (string, bool) {
	if i < 0 {
		return "", false
	}
	rest := v[i+len(key):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 || bytes.IndexByte(rest[:j], '\\') >= 0 {
		return "", false
	}
	return string(rest[:j]), true
}

// number is the unsigned integer after key in a JSON object.
func number(v []byte, key string) (uint64, bool) {
	i := bytes.Index(v, []byte(key))
	if i < 0 {
		return 0, false
	}
	var n uint64
	digits := 0
	for _, c := range v[i+len(key):] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + uint64(c-'0')
		digits++
	}
	return n, digits > 0 && digits < 20
}

// DocumentText reads a document's text; ok is false when it is not stored.
func (s *Store) DocumentText(id string) (text string, ok bool, err error) {
	d, ok, err := s.DocumentRecord(id)
	if !ok || err != nil {
		return "", ok, err
	}
	return d.Text, true, nil
}

// DocumentRecord reads a document's record whole, text included; ok is
// false when it is not stored.
func (s *Store) DocumentRecord(id string) (d *Document, ok bool, err error) {
	err = s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketDocs).Get([]byte(id))
		if v == nil {
			return nil
		}
		d = &Document{}
		if err := json.Unmarshal(v, d); err != nil {
			return fmt.Errorf("document %s: %w", id, err)
		}
		ok = true
		return nil
	})
	return d, ok, err
}

// DocumentInstances reads the instance states of one document (of a
// document of many, on as many cores as there are).
func (s *Store) DocumentInstances(id string) ([]*Instance, error) {
	var out []*Instance
	err := s.db.View(func(tx *bolt.Tx) error {
		// Instance keys begin with the document id and a NUL (Key).
		// The values are the database's memory, valid for the
		// transaction: they are decoded in it, not copied.
		prefix := append([]byte(id), 0)
		var vals [][]byte
		c := tx.Bucket(bucketInstances).Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			vals = append(vals, v)
		}
		out = make([]*Instance, len(vals))
		workers := min(runtime.GOMAXPROCS(0), 1+len(vals)/5000)
		errs := make([]error, workers)
		var wg sync.WaitGroup
		for w := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(vals); i += workers {
					in, err := decodeInstance(vals[i])
					if err != nil {
						errs[w] = fmt.Errorf("an instance of document %s: %w", id, err)
						return
					}
					out[i] = in
				}
			}()
		}
		wg.Wait()
		return errors.Join(errs...)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SetTitles records the titles of documents stored before titles were
// (id → title), in one transaction; a document no longer stored is left
// out.
func (s *Store) SetTitles(titles map[string]string) error {
	if len(titles) == 0 {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketDocs)
		for id, title := range titles {
			v := b.Get([]byte(id))
			if v == nil {
				continue
			}
			var d Document
			if err := json.Unmarshal(v, &d); err != nil {
				return fmt.Errorf("document %s: %w", id, err)
			}
			d.Title = title
			data, err := json.Marshal(&d)
			if err != nil {
				return err
			}
			if err := b.Put([]byte(id), data); err != nil {
				return fmt.Errorf("document %s: %w", id, err)
			}
		}
		return nil
	})
}
