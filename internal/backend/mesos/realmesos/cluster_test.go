package realmesos

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// TestCluster: a master and two agents with attributes start, register,
// and are seen by the master with their resources.
func TestCluster(t *testing.T) {
	c := Start(t, Options{Agents: []AgentOptions{
		{Resources: "cpus:1;mem:256;disk:64;ports:[31000-31009]", Attributes: "rack:a"},
		{Attributes: "rack:b"},
	}})
	s := c.State()
	if len(s.Slaves) != 2 {
		t.Fatalf("%d agents at the master", len(s.Slaves))
	}
	racks := map[any]bool{}
	for _, a := range s.Slaves {
		racks[a.Attributes["rack"]] = true
	}
	if !racks["a"] || !racks["b"] {
		t.Fatalf("agent attributes: %+v", s.Slaves)
	}
}

// TestExitedMasterFailsAtOnce: a master that exits while Start waits for
// it to answer (here it is given a flag it does not know) fails the test
// at once, with its log's tail, instead of once the wait's bound is out.
func TestExitedMasterFailsAtOnce(t *testing.T) {
	Home(t) // skipped here, in the test's own goroutine, without Mesos
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Start(f, Options{MasterFlags: []string{"--no_such_flag=1"}})
	}()
	<-done // Start's waits are bounded
	if msg := f.message(); !strings.Contains(msg, "exited") || !strings.Contains(msg, "no_such_flag") {
		t.Fatalf("Start failed with %q, want the master's exit and its log's tail", msg)
	}
}

// fatalTB is t, except that Fatal and Fatalf record the failure and end
// only the calling goroutine (not the test), for a test of a failure.
type fatalTB struct {
	testing.TB
	mu  sync.Mutex
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatal(args ...any) { f.fail(fmt.Sprint(args...)) }

func (f *fatalTB) Fatalf(format string, args ...any) { f.fail(fmt.Sprintf(format, args...)) }

func (f *fatalTB) fail(msg string) {
	f.mu.Lock()
	f.msg = msg
	f.mu.Unlock()
	runtime.Goexit()
}

func (f *fatalTB) message() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.msg
}

// Failed is true once Fatal was called (the cluster's cleanup then shows
// the logs), or when the test itself failed.
func (f *fatalTB) Failed() bool { return f.message() != "" || f.TB.Failed() }
