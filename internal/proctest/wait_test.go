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

// TestWaitDeadline: a wait ends WaitMargin before the test's deadline,
// however far that is, and within WaitCap without one.
func TestWaitDeadline(t *testing.T) {
	at := time.Now().Add(2 * time.Hour)
	if got := WaitDeadline(fixedDeadline{t, at, true}); !got.Equal(at.Add(-WaitMargin)) {
		t.Errorf("with a deadline at %v: %v, want %v", at, got, at.Add(-WaitMargin))
	}
	before := time.Now()
	got := WaitDeadline(fixedDeadline{TB: t})
	if got.Before(before.Add(WaitCap)) || got.After(time.Now().Add(WaitCap)) {
		t.Errorf("without a deadline: %v, want %v from now", got, WaitCap)
	}
}
