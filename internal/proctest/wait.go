package proctest

import (
	"testing"
	"time"
)

// A test waiting for something asynchronous (an update, a process, a
// container) must end every wait, yet no tight bound is right: on a
// loaded machine starting a container or an executor can take longer
// than any guess, and a test that would have passed then fails. The bound
// is therefore generous: the test's own deadline (go test -timeout), less
// a margin so that a real hang still fails inside the test, saying what it
// waited for, and cleanup still runs before go test gives up on the
// binary; but never more than WaitCap from the wait's start, because that
// deadline is the whole test binary's: a hang waiting until it would leave
// every later test of the package no time at all, and bury the one real
// failure under dozens of false ones.

// WaitMargin is the time kept, before a test's deadline, for the failure
// report and the test's cleanup.
const WaitMargin = 30 * time.Second

// WaitCap bounds one wait: nothing a test waits for takes this long but
// a hang.
const WaitCap = 10 * time.Minute

// WaitDeadline is when a wait of test t gives up: its deadline less
// WaitMargin, or WaitCap from now if that is sooner (or the test has no
// deadline, or, like a benchmark, cannot tell it). It never asserts a
// speed; it only ends a wait that would otherwise outlive the test.
func WaitDeadline(t testing.TB) time.Time {
	capped := time.Now().Add(WaitCap)
	if t, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if d, ok := t.Deadline(); ok && d.Add(-WaitMargin).Before(capped) {
			return d.Add(-WaitMargin)
		}
	}
	return capped
}

// WaitTimeout is the time left until WaitDeadline, for a select on
// time.After.
func WaitTimeout(t testing.TB) time.Duration {
	return time.Until(WaitDeadline(t))
}
