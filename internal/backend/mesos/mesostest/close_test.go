package mesostest

import (
	"fmt"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/proctest"
)

// TestCloseLeavesNothing: Close ends every process the agents' tasks
// started, those that left the task's tree and session too (as Borges'
// guard of a command task does on purpose, to sweep up after the task),
// as a real agent destroying its containers would: a test that ends
// with the fake master leaves no process of its tasks running, not even
// for the moment a guard takes to notice its task ended.
func TestCloseLeavesNothing(t *testing.T) {
	m := New(Options{Agents: []AgentSpec{{CPUs: 2, MemMB: 1024}}, ResendInterval: time.Hour})
	closed := false
	defer func() {
		if !closed {
			m.Close()
		}
	}()
	mark := proctest.Marker(t)
	c, offerID, agentID := startSession(t, m, "")
	c.launch(offerID, agentID, "escapes", fmt.Sprintf("(setsid sleep %[1]s &) ; sleep %[1]s", mark))
	c.waitState("escapes", "TASK_RUNNING")
	proctest.WaitMarked(t, mark, 2)
	if left := m.Leftovers(); len(left) < 2 {
		t.Fatalf("the task's processes are not found while it runs: %v", left)
	}
	m.Close()
	closed = true
	if left := proctest.WithMarker(mark); len(left) > 0 {
		t.Errorf("processes %v of the task are left once the master is closed", left)
	}
	if left := m.Leftovers(); len(left) > 0 {
		t.Errorf("Leftovers after Close: %v", left)
	}
}
