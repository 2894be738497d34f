package engine

import (
	"sort"
	"time"
)

// Retention is which ended documents the engine keeps (#+borges_keep):
// none older than For, and no more documents than Count. Zero fields keep
// everything.
type Retention struct {
	For   time.Duration // an ended document is removed once it ended longer ago than this
	Count int           // beyond this many documents, the ones that ended longest ago are removed
}

// Kept is what the retention decision knows of one document.
type Kept struct {
	ID    string
	Seq   uint64    // submission order
	Live  bool      // something of it is queued, staged or running: never removed
	Ended time.Time // when its last task ended (its submission when it ran none)
}

// ToRemove decides which documents retention removes now: the ended ones
// that ended longer ago than keep.For, then, while there are more
// documents than keep.Count (live ones count, but are never removed), the
// ended ones that ended longest ago. They come oldest ended first (ties:
// first submitted first), the order they are removed in.
func ToRemove(docs []Kept, keep Retention, now time.Time) []string {
	if keep.For <= 0 && keep.Count <= 0 {
		return nil
	}
	var ended []Kept
	for _, d := range docs {
		if !d.Live {
			ended = append(ended, d)
		}
	}
	sort.SliceStable(ended, func(i, j int) bool {
		if !ended[i].Ended.Equal(ended[j].Ended) {
			return ended[i].Ended.Before(ended[j].Ended)
		}
		return ended[i].Seq < ended[j].Seq
	})
	var out []string
	left := len(docs)
	for _, d := range ended {
		tooOld := keep.For > 0 && now.Sub(d.Ended) > keep.For
		tooMany := keep.Count > 0 && left > keep.Count
		if tooOld || tooMany {
			out = append(out, d.ID)
			left--
		}
	}
	return out
}
