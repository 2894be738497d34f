package proctest

import (
	"testing"
	"time"
)

// A test waiting for something asynchronous (an update, a process, a
// container) must end every wait, yet no fixed bound is right: on a
// loaded machine starting a container or an executor can take longer
// than any guess, and a test that would have passed then fails. The bound
// is therefore the test's own deadline (go test -timeout), less a margin
// so that a real hang still fails inside the test, saying what it waited
// for, and cleanup still runs before go test gives up on the binary.

// WaitMargin is the time kept, before a test's deadline, for the failure
// report and the test's cleanup.
const WaitMargin = 30 * time.Second

// WaitCap bounds a wait when the test has no deadline (-timeout 0).
const WaitCap = 10 * time.Minute

// WaitDeadline is when a wait of test t gives up: its deadline less
// WaitMargin, or WaitCap from now when it has none (or, like a
// benchmark, cannot tell it). It never asserts a speed; it only ends a
// wait that would otherwise outlive the test.
func WaitDeadline(t testing.TB) time.Time {
	if t, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := t.Deadline(); ok {
			return d.Add(-WaitMargin)
		}
	}
	return time.Now().Add(WaitCap)
}

// WaitTimeout is the time left until WaitDeadline, for a select on
// time.After.
func WaitTimeout(t testing.TB) time.Duration {
	return time.Until(WaitDeadline(t))
}
