package local

import (
	"bytes"
	"math"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// midExec shows process pid, for its first n reads of its environment
// through procFile, as the kernel shows a process in the middle of an
// exec (its parent's start has returned; its new memory has no
// environment yet): an empty environment, and 0 for the end of its
// environment in its stat line (field 51).
func midExec(t *testing.T, pid, n int) {
	t.Helper()
	var mu sync.Mutex
	reads := 0
	old := procFile
	procFile = func(p int, name string) ([]byte, error) {
		data, err := old(p, name)
		if p != pid || err != nil {
			return data, err
		}
		mu.Lock()
		defer mu.Unlock()
		if reads >= n {
			return data, nil
		}
		switch name {
		case "environ":
			reads++
			return nil, nil
		case "stat":
			i := bytes.LastIndexByte(data, ')')
			f := strings.Fields(string(data[i+1:]))
			if len(f) < 49 {
				t.Errorf("stat line of %d cut: %q", pid, data)
				return data, nil
			}
			f[48] = "0"
			return []byte(string(data[:i+1]) + " " + strings.Join(f, " ") + "\n"), nil
		}
		return data, nil
	}
	t.Cleanup(func() { procFile = old })
}

// A wrapper caught by the scan in the middle of an exec (under load, a
// moment after its start returned: the flake of the keeper handover
// tests) has no environment yet: it is looked at again once its exec has
// set one up, and re-attached to, not reported lost.
func TestRecoverWaitsForAnExecToEnd(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	_, pid := reattachable(t, b, a.ID)
	midExec(t, pid, 2)
	reattached(t, b, r, a)
}

// shortExecWait has a scan wait a twentieth of a second for processes in
// the middle of an exec.
func shortExecWait(t *testing.T) {
	old := execSettleFor
	execSettleFor = 50 * time.Millisecond
	t.Cleanup(func() { execSettleFor = old })
}

// A process still in the middle of an exec once the scan's wait is over
// may be the wrapper of an attempt not found: Recover fails, reporting
// nothing, rather than report that attempt lost (or ended) on a guess.
func TestRecoverFailsOnAnExecThatDoesNotEnd(t *testing.T) {
	shortExecWait(t)
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	_, pid := reattachable(t, b, a.ID)
	midExec(t, pid, math.MaxInt)
	recoverFails(t, b, r, a, "middle of an exec")
}

// Where every attempt's wrapper is found, a process in the middle of an
// exec for good is no one's it could be: Recover re-attaches.
func TestRecoverPastAnExecThatDoesNotEnd(t *testing.T) {
	shortExecWait(t)
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	reattachable(t, b, a.ID)
	_, stranger := reattachable(t, b, "other")
	midExec(t, stranger, math.MaxInt)
	reattached(t, b, r, a)
}

// A process an attempt started that leads a process group of its own
// (setsid, a shell's job control) carries its wrapper's exit file too:
// the scan takes the wrapper, the oldest, even where it lists the other
// after it.
func TestRecoverTakesTheWrapperNotItsDescendant(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("exit 0", nil)
	_, wrapper := reattachable(t, b, a.ID)
	// Started a clock tick later at least (the unit of a start time).
	for i := 0; ; i++ {
		start, err := processStart(wrapper)
		if err != nil {
			t.Fatal(err)
		}
		if bootTicks() > start {
			break
		}
		if i == 1000 {
			t.Fatal("the clock did not tick within a few seconds")
		}
		time.Sleep(5 * time.Millisecond)
	}
	_, descendant := reattachable(t, b, a.ID)
	old := listProcesses
	listProcesses = func() ([]os.DirEntry, error) {
		entries, err := old()
		var last []os.DirEntry
		out := entries[:0:0]
		for _, e := range entries {
			if e.Name() == strconv.Itoa(descendant) {
				last = append(last, e)
			} else {
				out = append(out, e)
			}
		}
		return append(out, last...), err
	}
	t.Cleanup(func() { listProcesses = old })
	if p := reattached(t, b, r, a); p.pid != wrapper {
		t.Errorf("re-attached to pid %d, want the wrapper, %d (not %d)", p.pid, wrapper, descendant)
	}
}
