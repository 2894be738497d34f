package store

import (
	"bytes"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// RemoveDocument deletes a document and every instance state keyed by it,
// in one synced transaction, and returns the instance states it deleted
// (whose attempt ids name the files to remove). Removing a document that
// is not stored deletes nothing.
func (s *Store) RemoveDocument(id string) ([]*Instance, error) {
	var removed []*Instance
	err := s.db.Update(func(tx *bolt.Tx) error {
		removed = nil
		if err := tx.Bucket(bucketDocs).Delete([]byte(id)); err != nil {
			return err
		}
		// Instance keys begin with the document id and a NUL (Key), so
		// the prefix names this document's instances and no other's.
		prefix := append([]byte(id), 0)
		c := tx.Bucket(bucketInstances).Cursor()
		var keys [][]byte
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			in, err := decodeInstance(v)
			if err != nil {
				return fmt.Errorf("instance %q: %w", k, err)
			}
			removed = append(removed, in)
			keys = append(keys, append([]byte(nil), k...))
		}
		b := tx.Bucket(bucketInstances)
		for _, k := range keys {
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("removing document %s: %w", id, err)
	}
	return removed, nil
}

// removeInstances deletes the records of instances (by Key) in tx.
func removeInstances(tx *bolt.Tx, instances []*Instance) error {
	b := tx.Bucket(bucketInstances)
	for _, in := range instances {
		if err := b.Delete(in.Key()); err != nil {
			return fmt.Errorf("removing the record of %s instance %d: %w", in.Block, in.Instance, err)
		}
	}
	return nil
}
