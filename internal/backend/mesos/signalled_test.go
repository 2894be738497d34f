package mesos

import (
	"context"
	"strings"
	"testing"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestSignalExitCode: a task a signal ended fails with the status a shell
// gives it, 128 and the signal's number, as the local backend's wrapper
// and Kubernetes report it: the command executor's words (strsignal's,
// "Killed"), Borges' executor's (Go's, "killed"), a real-time or an
// unknown signal. Not under a :timeout's kill, whose message is its own.
func TestSignalExitCode(t *testing.T) {
	for _, c := range []struct {
		msg  string
		code int
	}{
		{"Command terminated with signal Killed", 137},
		{"Command terminated with signal killed", 137},
		{"Command terminated with signal Terminated", 143},
		{"Command terminated with signal Segmentation fault (core dumped)", 139},
		{"Command terminated with signal Aborted", 134},
		{"Command terminated with signal Real-time signal 2", 128 + 34 + 2},
		{"Command terminated with signal Unknown signal 70", 128 + 70},
		{"Command terminated with signal signal 70", 128 + 70},
		{"Command exited with status 3", 3},
		{"Container exited with status 137", 137},
	} {
		_, code, _ := failure(failedStatus(c.msg), &engine.Attempt{Task: &plan.Task{}})
		if code == nil || *code != c.code {
			t.Errorf("%q: exit %v, want %d", c.msg, code, c.code)
		}
	}
	// Only the executor's own words, at the start of its message: a
	// session block's message carries its program's text after Borges'
	// ("Emacs Lisp error: …", "its session's interpreter ended (…): …").
	for _, msg := range []string{
		"Command terminated with signal Frobnicated", "Total resources …", "",
		"Emacs Lisp error: Command terminated with signal Killed",
		"its session's interpreter ended (exit status 1): the job terminated with signal Hangup",
		"Abnormal executor termination: Command terminated with signal Killed",
		"Commands terminated with signal Killed",
		" terminated with signal Killed",
	} {
		if _, code, _ := failure(failedStatus(msg), &engine.Attempt{Task: &plan.Task{}}); code != nil {
			t.Errorf("%q: exit %d, want none", msg, *code)
		}
	}
	// Nor a status its executor did not send (the agent's, the master's).
	for _, source := range []mesoslib.TaskStatus_Source{mesoslib.SOURCE_AGENT, mesoslib.SOURCE_MASTER} {
		st := failedStatus("Command terminated with signal Killed")
		st.Source = &source
		if _, code, _ := failure(st, &engine.Attempt{Task: &plan.Task{}}); code != nil {
			t.Errorf("from %s: exit %d, want none", source, *code)
		}
	}
}

// failedStatus is a TASK_FAILED status its executor sent with msg.
func failedStatus(msg string) mesoslib.TaskStatus {
	st, source := mesoslib.TASK_FAILED, mesoslib.SOURCE_EXECUTOR
	return mesoslib.TaskStatus{TaskID: mesoslib.TaskID{Value: "t"}, State: &st, Source: &source, Message: &msg}
}

// TestSignalledFailedNilStop: on Mesos, a Perl :results output block a
// signal ends (its own SIGKILL) stops the document with ob-perl's error,
// as it does on the local and Kubernetes backends and in Emacs, where
// org-babel-eval gives nil for it (TestAgainstEmacs/perlstop:_perl_output_killed_by_a_signal):
// the fake master's command executor reports no exit status, only the
// signal. A shell block ended so is the control: it fails, no stop.
func TestSignalledFailedNilStop(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}})
	defer m.Close()
	testSignalledStop(t, m.URL())
}

// TestRealSignalledFailedNilStop: so against a real master and agent, with
// Mesos' command executor ("Command terminated with signal Killed") and
// with Borges' executor (Go's words, "killed").
func TestRealSignalledFailedNilStop(t *testing.T) {
	t.Parallel()
	c := realmesos.Start(t, realmesos.Options{Agents: []realmesos.AgentOptions{{}}})
	t.Run("command executor", func(t *testing.T) { testSignalledStop(t, c.Master()) })
	t.Run("Borges executor", func(t *testing.T) { testSignalledStop(t, c.Master(), testExecutor(t)) })
}

// testSignalledStop runs, on the Mesos master at master, a shell block and
// a Perl :results output block that each end by their own SIGKILL: both
// fail with exit status 137, and the Perl block stops the document.
func testSignalledStop(t *testing.T, master string, options ...func(*Config)) {
	t.Helper()
	b := startBorges(t, master, t.TempDir(), options...)
	defer b.stop()
	v, err := b.eng.Submit(context.Background(),
		"#+name: shell\n#+begin_src sh :results output :cpu 0.1 :mem 32\necho partial; kill -KILL $$\n#+end_src\n\n"+
			"#+name: killed\n#+begin_src perl :results output :cpu 0.1 :mem 32\n$| = 1; print \"partial\\n\"; kill 'KILL', $$; sleep 60;\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"shell", "killed"} {
		waitFor(t, name+" ended", func() bool { return blockState(t, b.eng, v.ID, name).State.Terminal() })
		in := blockState(t, b.eng, v.ID, name).Instances[0]
		if in.State != engine.Failed || in.ExitCode == nil || *in.ExitCode != 137 || !strings.Contains(in.Message, "signal") {
			t.Fatalf("%s: %s %q exit %v, want failed by SIGKILL, exit status 137", name, in.State, in.Message, in.ExitCode)
		}
	}
	// Until the stop is known or the document has ended without it.
	waitFor(t, "the stop known or the document ended", func() bool {
		d, err := b.eng.Document(v.ID)
		return err == nil && (strings.Contains(strings.Join(d.Notes, "\n"), "stops this document") || d.State.Terminal())
	})
	d, err := b.eng.Document(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(d.Notes, "\n"); strings.Count(notes, "stops this document") != 1 || !strings.Contains(notes, "for block killed") || !strings.Contains(notes, plan.PerlOutputNilError) {
		t.Errorf("notes: %q, want the one stop at killed with %q", notes, plan.PerlOutputNilError)
	}
}

// TestTimedOutNoStopOnMesos: a Perl :results output block its :timeout
// ended fails saying so, its SIGTERM's status given (143), and stops
// nothing: Emacs has no :timeout (the engine's TestTimedOutNoNilStop).
func TestTimedOutNoStopOnMesos(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}})
	defer m.Close()
	b := startBorges(t, m.URL(), t.TempDir())
	defer b.stop()
	v, err := b.eng.Submit(context.Background(),
		"#+name: slow\n#+begin_src perl :results output :cpu 0.1 :mem 32 :timeout 1s\n$| = 1; print \"partial\\n\"; sleep 600;\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "slow ended", func() bool { return blockState(t, b.eng, v.ID, "slow").State.Terminal() })
	if in := blockState(t, b.eng, v.ID, "slow").Instances[0]; in.State != engine.Failed || in.Message != "timed out after 1s" {
		t.Errorf("slow: %s %q exit %v, want failed, timed out after 1s", in.State, in.Message, in.ExitCode)
	}
	d, err := b.eng.Document(v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(d.Notes, "\n"); strings.Contains(notes, "stops this document") {
		t.Errorf("notes: %q, want no stop", notes)
	}
}
