package engine

import (
	"reflect"
	"testing"
	"time"
)

// TestToRemove is the retention decision over made-up documents and time.
func TestToRemove(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	day := 24 * time.Hour
	// Submitted in this order (Seq); "b" ended before "a".
	docs := []Kept{
		{ID: "a", Seq: 1, Ended: ago(2 * day)},
		{ID: "b", Seq: 2, Ended: ago(9 * day)},
		{ID: "live", Seq: 3, Live: true, Ended: ago(30 * day)},
		{ID: "c", Seq: 4, Ended: ago(8 * day)},
		{ID: "d", Seq: 5, Ended: ago(time.Hour)},
		{ID: "future", Seq: 6, Ended: now.Add(time.Hour)}, // a clock that went back
	}
	cases := []struct {
		name string
		keep Retention
		docs []Kept
		want []string
	}{
		{"nothing configured keeps all", Retention{}, docs, nil},
		{"age: ended longer ago than 7d, oldest first", Retention{For: 7 * day}, docs, []string{"b", "c"}},
		{"age exactly reached is kept", Retention{For: 2 * day}, docs, []string{"b", "c"}},
		{"age: a live document never", Retention{For: time.Hour / 2}, docs, []string{"b", "c", "a", "d"}},
		{"count: keep 4 of 6, oldest ended go", Retention{Count: 4}, docs, []string{"b", "c"}},
		{"count: live ones count but stay", Retention{Count: 1}, docs, []string{"b", "c", "a", "d", "future"}},
		{"count: under the count nothing goes", Retention{Count: 6}, docs, nil},
		{"both: age first, then count", Retention{For: 8*day + time.Minute, Count: 3}, docs, []string{"b", "c", "a"}},
		{"ties in end time: submitted first goes first", Retention{Count: 1},
			[]Kept{{ID: "y", Seq: 2, Ended: ago(day)}, {ID: "x", Seq: 1, Ended: ago(day)}}, []string{"x"}},
		{"no documents", Retention{For: day, Count: 1}, nil, nil},
		{"only live documents", Retention{For: time.Second, Count: 1},
			[]Kept{{ID: "l1", Seq: 1, Live: true, Ended: ago(day)}, {ID: "l2", Seq: 2, Live: true}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := append([]Kept(nil), c.docs...)
			got := ToRemove(in, c.keep, now)
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("ToRemove(%+v) = %v, want %v", c.keep, got, c.want)
			}
			if !reflect.DeepEqual(in, c.docs) {
				t.Errorf("ToRemove changed its input")
			}
		})
	}
}
