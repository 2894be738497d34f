package proctest

import (
	"testing"
	"time"
)

type fixedDeadline struct {
	testing.TB
	at time.Time
	ok bool
}

func (d fixedDeadline) Deadline() (time.Time, bool) { return d.at, d.ok }

// TestWaitDeadline: a wait ends WaitMargin before the test's deadline
// when that is near, within WaitCap when it is far or there is none.
func TestWaitDeadline(t *testing.T) {
	near := time.Now().Add(WaitCap / 2)
	if got := WaitDeadline(fixedDeadline{t, near, true}); !got.Equal(near.Add(-WaitMargin)) {
		t.Errorf("with a deadline at %v: %v, want %v", near, got, near.Add(-WaitMargin))
	}
	for _, d := range []fixedDeadline{{t, time.Now().Add(2 * time.Hour), true}, {TB: t}} {
		before := time.Now()
		got := WaitDeadline(d)
		if got.Before(before.Add(WaitCap)) || got.After(time.Now().Add(WaitCap)) {
			t.Errorf("deadline %v (%v): %v, want %v from now", d.at, d.ok, got, WaitCap)
		}
	}
}
