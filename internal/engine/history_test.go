package engine

import (
	"testing"
)

// TestPastAttempts: a block retried after failing shows each ended attempt
// (its state, exit code, times) besides its current one, and the document
// summary says when the last task ended once none runs.
func TestPastAttempts(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(t.Context(), "#+name: flaky\n#+begin_src sh :retries 1\nexit 3\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	first := waitLaunches(t, fb, 1)[0]
	finish(fb, first, Failed, 3)
	if s := e.Documents()[0]; s.FinishedAt != nil {
		t.Errorf("a document retrying has a finished time: %v", s.FinishedAt)
	}
	second := waitLaunches(t, fb, 2)[1]
	finish(fb, second, Finished, 0)
	waitState(t, e, v.ID, "flaky", Finished)

	d, _ := e.Document(v.ID)
	in := d.Blocks[0].Instances[0]
	if in.Attempts != 2 || len(in.PastAttempts) != 1 {
		t.Fatalf("attempts %d, past %+v", in.Attempts, in.PastAttempts)
	}
	p := in.PastAttempts[0]
	if p.Attempt != 1 || p.State != Failed || p.ExitCode == nil || *p.ExitCode != 3 || p.StartedAt == nil || p.FinishedAt == nil || p.AttemptID != first.ID {
		t.Errorf("past attempt: %+v", p)
	}
	waitDocumentEnded(t, e, v.ID) // flaky's output read (readAtEnd)
	s := e.Documents()[0]
	if s.FinishedAt == nil || in.FinishedAt == nil || !s.FinishedAt.Equal(*in.FinishedAt) {
		t.Errorf("document finished at %v, its block at %v", s.FinishedAt, in.FinishedAt)
	}
}

// TestPastAttemptsRestart: an attempt dropped by a restart while it runs
// is remembered too, as killed by the restart.
func TestPastAttemptsRestart(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	t.Cleanup(stop)
	v, err := e.Submit(t.Context(), "#+name: server\n#+begin_src sh\nsleep 600\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	first := waitLaunches(t, fb, 1)[0]
	fb.sink(Update{AttemptID: first.ID, State: Running})
	waitState(t, e, v.ID, "server", Running)
	if err := e.RestartBlock(t.Context(), v.ID, "server"); err != nil {
		t.Fatal(err)
	}
	waitLaunches(t, fb, 2)
	d, _ := e.Document(v.ID)
	past := d.Blocks[0].Instances[0].PastAttempts
	if len(past) != 1 || past[0].Attempt != 1 || past[0].State != Killed || past[0].Message != "restarted" || past[0].FinishedAt == nil || past[0].AttemptID != first.ID {
		t.Fatalf("past attempts: %+v", past)
	}
}
