package mesos

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/session"
)

// sinkUpdates collects a backend's updates.
type sinkUpdates struct {
	mu  sync.Mutex
	all []engine.Update
}

func (s *sinkUpdates) add(u engine.Update) {
	s.mu.Lock()
	s.all = append(s.all, u)
	s.mu.Unlock()
}

// list is what was reported so far (the test's one attempt's updates).
func (s *sinkUpdates) list() []engine.Update {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]engine.Update(nil), s.all...)
}

// newKillRace is a fake master with one agent, a backend for it (not
// started) and an attempt of a block, in session sess if not nil.
func newKillRace(t *testing.T, sess *plan.Session, options ...func(*Config)) (*mesostest.Master, *Backend, context.Context, *engine.Attempt) {
	t.Helper()
	// An update whose acknowledgement was lost (a failed ACCEPT drops
	// mesos-go's subscription, and the acknowledgements sent meanwhile)
	// is sent again soon.
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}, ResendInterval: 300 * time.Millisecond})
	t.Cleanup(m.Close)
	// Reconciled often: a task of a failed ACCEPT is taken as gone two
	// rounds after (tooSoonGone).
	cfg := Config{Master: m.URL(), RefuseSeconds: 0.1, Logger: testLogger(t), UnsureInterval: 200 * time.Millisecond}
	for _, o := range options {
		o(&cfg)
	}
	b, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	a := &engine.Attempt{ID: "d.0-k.0.1", DocID: "d", Block: "k", Script: "sleep 30",
		Task: &plan.Task{Resources: plan.Resources{CPUs: 0.5, MemMB: 64}, Session: sess}}
	if sess != nil {
		a.Session = "d/" + sess.Key + "/1"
		if !b.inSession(a) {
			t.Fatal("the block does not run in its session")
		}
	}
	return m, b, ctx, a
}

// startKillRace starts the backend and launches the attempt; it returns
// what the backend reports.
func startKillRace(t *testing.T, b *Backend, ctx context.Context, a *engine.Attempt) *sinkUpdates {
	t.Helper()
	got := &sinkUpdates{}
	startAlone(t, ctx, b, got.add)
	if err := b.Launch(ctx, a); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestKillWhilePlacing: an attempt is killed after an offer's placement
// has read the queue and before it launches what it placed (a hook runs
// the kill there): the attempt is reported killed once and never launched
// (nor, for a session's block, its session's task); the offer is declined.
// A task of its own, and a block of a session on Borges' executor.
func TestKillWhilePlacing(t *testing.T) {
	sh := &plan.Session{Name: "s", Key: "shell:s", Kind: string(session.Shell), Command: session.Command(session.Shell, "", []string{"sh"})}
	for _, tc := range []struct {
		name    string
		session *plan.Session
		options []func(*Config)
	}{
		{name: "task"},
		{name: "session block", session: sh, options: []func(*Config){testExecutor(t)}},
	} {
		t.Run(tc.name, func(t *testing.T) { testKillWhilePlacing(t, tc.session, tc.options...) })
	}
}

func testKillWhilePlacing(t *testing.T, sess *plan.Session, options ...func(*Config)) {
	m, b, ctx, a := newKillRace(t, sess, options...)
	calls := make(chan int, 1) // the master's calls when the kill was made
	b.placing = func(queue []*engine.Attempt) {
		for _, q := range queue {
			if q.ID == a.ID && len(calls) == 0 {
				if err := b.Kill(ctx, a.ID); err != nil {
					t.Errorf("kill: %v", err)
				}
				calls <- len(m.Calls())
				return
			}
		}
	}
	got := startKillRace(t, b, ctx, a)
	var before int
	select {
	case before = <-calls:
	case <-time.After(proctest.WaitTimeout(t)):
		t.Fatal("no offer placed the attempt")
	}
	// The offer the kill raced with is answered (accepted or declined)
	// once its placement is over.
	waitFor(t, "the offer answered", func() bool {
		for _, c := range m.Calls()[before:] {
			if c.Type == scheduler.Call_ACCEPT || c.Type == scheduler.Call_DECLINE {
				return true
			}
		}
		return false
	})
	if launched := m.Tasks(); len(launched) != 0 {
		t.Fatalf("a killed attempt was launched: %d tasks", len(launched))
	}
	b.mu.Lock()
	tracked, queued, sessions := b.tasks[a.ID] != nil, len(b.queue), len(b.sessions)
	b.mu.Unlock()
	if tracked || queued != 0 || sessions != 0 {
		t.Fatalf("after the kill: tracked %v, %d queued, %d sessions", tracked, queued, sessions)
	}
	ups := got.list()
	if len(ups) != 1 || ups[0].AttemptID != a.ID || ups[0].State != engine.Killed {
		t.Fatalf("updates: %+v", ups)
	}
}

// acceptingCase is what is killed while an ACCEPT is sent: a task of its
// own, a block of a session on Borges' executor, or the task of a session
// closed meanwhile.
type acceptingCase struct {
	name    string
	session *plan.Session
	close   bool // close the session instead of killing the block
}

func acceptingCases() []acceptingCase {
	sh := &plan.Session{Name: "s", Key: "shell:s", Kind: string(session.Shell), Command: session.Command(session.Shell, "", []string{"sh"})}
	return []acceptingCase{
		{name: "task"},
		{name: "session block", session: sh},
		{name: "session closed", session: sh, close: true},
	}
}

// TestKillWhileAccepting: an attempt is killed (or its session closed)
// after it was taken off the queue and before the ACCEPT that launches it
// was sent (a hook runs the kill there). The KILL goes after the ACCEPT,
// so that the master knows the task and ends it at once: sent before, the
// master would answer for a task it does not know, and then launch it
// all the same. The task ends killed; the attempt is never reported lost.
// The master holds the agent's updates until it has the kill: Borges,
// which kills again a killed task that reports itself alive, hears
// nothing of the task before, so the kill must be the one that follows
// the ACCEPT. A task of its own, a block of a session on Borges'
// executor, and the task of a session closed meanwhile.
func TestKillWhileAccepting(t *testing.T) {
	for _, tc := range acceptingCases() {
		t.Run(tc.name, func(t *testing.T) { testKillWhileAccepting(t, tc.session, tc.close) })
	}
}

func testKillWhileAccepting(t *testing.T, sess *plan.Session, closeSession bool) {
	var options []func(*Config)
	if sess != nil {
		options = append(options, testExecutor(t))
	}
	m, b, ctx, a := newKillRace(t, sess, options...)
	target := a.ID // the task killed
	if closeSession {
		target = a.ID + ".session"
	}
	m.HoldUpdates()
	got := killWhileAccepting(t, b, ctx, a, target, closeSession, nil)
	waitFor(t, "the master received the kill, before any update of the task", func() bool {
		_, kill := killAfterAccept(m, target)
		return kill >= 0
	})
	m.ReleaseUpdates()
	waitFor(t, "the killed task ended", func() bool {
		st, ok := m.TaskState(target)
		return ok && st != mesos.TASK_STAGING && st != mesos.TASK_STARTING && st != mesos.TASK_RUNNING && st != mesos.TASK_KILLING
	})
	if st, _ := m.TaskState(target); st != mesos.TASK_KILLED {
		t.Errorf("the killed task ended %s", st)
	}
	if accept, kill := killAfterAccept(m, target); accept < 0 || kill < accept {
		t.Fatalf("the kill (call %d) does not follow the ACCEPT (call %d)", kill, accept)
	}
	if closeSession {
		return // the block ends with its session, however its executor tells it
	}
	reportedKilled(t, got, a)
}

// TestKillWhileAcceptFails: an attempt is killed (or its session closed)
// while the ACCEPT that launches it is being sent, and the ACCEPT fails:
// answered with an error and not carried out, or carried out and its
// connection dropped before the answer. Borges cannot tell which; the
// kill that follows the ACCEPT (accepted) is answered either by the
// task's end (launched) or as a reconciliation of a task the master does
// not know (TASK_LOST or TASK_GONE). The user killed it: the attempt
// ends killed, never lost (which would run it again), and no task of it
// is left running.
func TestKillWhileAcceptFails(t *testing.T) {
	for _, tc := range acceptingCases() {
		for _, carried := range []bool{false, true} {
			name := tc.name + "/answered an error"
			if carried {
				name = tc.name + "/carried out, connection dropped"
			}
			t.Run(name, func(t *testing.T) { testKillWhileAcceptFails(t, tc.session, tc.close, carried) })
		}
	}
}

func testKillWhileAcceptFails(t *testing.T, sess *plan.Session, closeSession, carried bool) {
	var options []func(*Config)
	if sess != nil {
		options = append(options, testExecutor(t))
	}
	m, b, ctx, a := newKillRace(t, sess, options...)
	target := a.ID
	if closeSession {
		target = a.ID + ".session"
	}
	got := killWhileAccepting(t, b, ctx, a, target, closeSession, func() { m.FailAccepts(1, carried) })
	// The kill reaches the master, after the ACCEPT (mesos-go refuses
	// calls until Borges has subscribed again: the kill waits for that).
	waitFor(t, "the master received the kill", func() bool {
		_, kill := killAfterAccept(m, target)
		return kill >= 0
	})
	if closeSession {
		if carried {
			// Launched: its interpreter is killed, with the block.
			waitFor(t, "the closed session's task ended", func() bool {
				st, ok := m.TaskState(target)
				return ok && !alive(st)
			})
			if st, _ := m.TaskState(target); st != mesos.TASK_KILLED {
				t.Errorf("the closed session's task ended %s", st)
			}
		} else {
			// Never launched: the block, which nobody killed, is
			// reconciled, and lost (the engine runs it again).
			waitFor(t, "the block reported ended", func() bool {
				ups := got.list()
				return len(ups) > 0 && ups[len(ups)-1].State.Terminal()
			})
			if ups := got.list(); ups[len(ups)-1].State != engine.Lost {
				t.Errorf("the block of an ACCEPT that failed: %+v", ups)
			}
			if st, ok := m.TaskState(target); ok {
				t.Errorf("a session's task the master never launched is %s", st)
			}
		}
		waitFor(t, "the closed session ended", func() bool {
			b.mu.Lock()
			defer b.mu.Unlock()
			s := b.sessionTasks[target]
			return s == nil || s.ended
		})
		b.mu.Lock()
		s := b.sessionTasks[target]
		lost := s != nil && s.lost
		b.mu.Unlock()
		if lost {
			t.Errorf("the closed session was taken as lost")
		}
		return
	}
	reportedKilled(t, got, a)
	if st, ok := m.TaskState(target); ok && alive(st) {
		t.Errorf("the killed task is left %s", st)
	}
	if carried {
		if _, ok := m.TaskState(target); !ok {
			t.Error("the ACCEPT carried out launched no task")
		} else {
			waitFor(t, "the killed task ended", func() bool {
				st, _ := m.TaskState(target)
				return !alive(st)
			})
			if st, _ := m.TaskState(target); st != mesos.TASK_KILLED {
				t.Errorf("the killed task ended %s", st)
			}
		}
	}
}

// killAfterAccept finds, among the calls the master received, the first
// ACCEPT that launches task target and the first KILL of it that follows
// that ACCEPT (-1: none).
func killAfterAccept(m *mesostest.Master, target string) (accept, kill int) {
	accept, kill = -1, -1
	for i, c := range m.Calls() {
		switch {
		case accept < 0 && launches(c, target):
			accept = i
		case c.Type == scheduler.Call_KILL && accept >= 0 && kill < 0 && c.Call.Kill.TaskID.Value == target:
			kill = i
		}
	}
	return accept, kill
}

// killWhileAccepting starts the backend and launches attempt a, killing
// task target (a's, or its session's: closeSession) once the ACCEPT that
// launches it has been recorded and before it is sent; before, if not
// nil, runs first. It returns what the backend reports, once the kill is
// made.
func killWhileAccepting(t *testing.T, b *Backend, ctx context.Context, a *engine.Attempt, target string, closeSession bool, before func()) *sinkUpdates {
	t.Helper()
	killed := make(chan struct{})
	b.accepting = func(tasks []mesos.TaskInfo) {
		for _, ti := range tasks {
			if ti.TaskID.Value != target {
				continue
			}
			select {
			case <-killed:
				return
			default:
			}
			if before != nil {
				before()
			}
			var err error
			if closeSession {
				err = b.CloseSession(ctx, a.Session)
			} else {
				err = b.Kill(ctx, a.ID)
			}
			if err != nil {
				t.Errorf("kill: %v", err)
			}
			close(killed)
			return
		}
	}
	got := startKillRace(t, b, ctx, a)
	select {
	case <-killed:
	case <-time.After(proctest.WaitTimeout(t)):
		t.Fatal("no ACCEPT launched the attempt")
	}
	return got
}

// reportedKilled waits until attempt a is reported ended, and checks it
// ended killed and was never reported lost or failed.
func reportedKilled(t *testing.T, got *sinkUpdates, a *engine.Attempt) {
	t.Helper()
	waitFor(t, "the attempt reported ended", func() bool {
		ups := got.list()
		return len(ups) > 0 && ups[len(ups)-1].State.Terminal()
	})
	for _, u := range got.list() {
		if u.AttemptID == a.ID && (u.State == engine.Lost || u.State == engine.Failed) {
			t.Errorf("the killed attempt was reported %s: %s", u.State, u.Message)
		}
	}
	if ups := got.list(); ups[len(ups)-1].State != engine.Killed {
		t.Errorf("updates: %+v", ups)
	}
}

// TestFailedAcceptSessionReconciled: a session block is killed while the
// ACCEPT that launches it and its session's task is sent, and the master
// answers the ACCEPT with an error without carrying it out. The session's
// task, which the master never launched, is reconciled like the block's:
// the master answers that it does not know it, and the session ends
// (else a later block of the session would be placed on a phantom
// interpreter, and lost).
func TestFailedAcceptSessionReconciled(t *testing.T) {
	sh := &plan.Session{Name: "s", Key: "shell:s", Kind: string(session.Shell), Command: session.Command(session.Shell, "", []string{"sh"})}
	m, b, ctx, a := newKillRace(t, sh, testExecutor(t), func(c *Config) {
		c.UnsureInterval, c.UnreachableGrace = 100*time.Millisecond, 2*time.Second
	})
	sessionTask := a.ID + ".session"
	got := killWhileAccepting(t, b, ctx, a, a.ID, false, func() { m.FailAccepts(1, false) })
	reportedKilled(t, got, a)
	waitFor(t, "the session of the failed ACCEPT ended", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		s := b.sessionTasks[sessionTask]
		return s == nil || s.ended
	})
	if st, ok := m.TaskState(sessionTask); ok {
		t.Errorf("the master launched the session's task of a failed ACCEPT: %s", st)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if s := b.sessions[a.Session]; s != nil && !s.ended {
		t.Errorf("the session is still live after its task's ACCEPT failed: %+v", s)
	}
	for agent, ex := range b.executors {
		if ex.tasks != 0 {
			t.Errorf("the executor on %s still counts %d live tasks", agent, ex.tasks)
		}
	}
}

// TestFailedAcceptReconciledWhileSubscribed: the tasks of an ACCEPT that
// failed while the subscription stayed up (no SUBSCRIBED reconciles them)
// are reconciled by the rounds of UnsureInterval: a block's task the
// master never launched is reported lost (nobody killed it: it is run
// again), and a session's task ends its session.
func TestFailedAcceptReconciledWhileSubscribed(t *testing.T) {
	m, b, ctx, a := newKillRace(t, nil, func(c *Config) {
		c.UnsureInterval, c.UnreachableGrace = 50*time.Millisecond, time.Hour
	})
	got := &sinkUpdates{}
	startAlone(t, ctx, b, got.add)
	waitFor(t, "subscribed", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return b.subscribed
	})
	agentID := m.AgentID(0)
	sess := &sessionRun{id: "d/shell:s/1", taskID: "d.0-s.0.1.session", agentID: agentID, launchState: launchState{accepting: true}}
	b.mu.Lock()
	b.tasks[a.ID] = &taskInfo{attempt: a, agentID: agentID, state: engine.Staged, launchState: launchState{accepting: true}}
	b.sessions = map[string]*sessionRun{sess.id: sess}
	b.sessionTasks = map[string]*sessionRun{sess.taskID: sess}
	b.mu.Unlock()
	before := len(m.Calls())
	b.accepted(ctx, []mesos.TaskInfo{{TaskID: mesos.TaskID{Value: a.ID}}, {TaskID: mesos.TaskID{Value: sess.taskID}}}, agentID, true)
	waitFor(t, "both tasks reconciled", func() bool {
		asked := map[string]bool{}
		for _, c := range m.Calls()[before:] {
			if c.Type == scheduler.Call_RECONCILE {
				for _, rt := range c.Call.Reconcile.Tasks {
					asked[rt.TaskID.Value] = true
				}
			}
		}
		return asked[a.ID] && asked[sess.taskID]
	})
	waitFor(t, "the block reported ended", func() bool {
		ups := got.list()
		return len(ups) > 0 && ups[len(ups)-1].State.Terminal()
	})
	if ups := got.list(); ups[len(ups)-1].State != engine.Lost {
		t.Errorf("the block of a failed ACCEPT the master never launched: %+v", ups)
	}
	waitFor(t, "the session ended", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		return sess.ended
	})
	for _, c := range m.Calls()[before:] {
		if c.Type == scheduler.Call_SUBSCRIBE {
			t.Fatal("subscribed again: the reconciliation was not the unsure rounds'")
		}
	}
}

// TestFailedAcceptGoneTooSoon: a master might answer a reconciliation of
// the tasks of an ACCEPT that failed for Borges (its connection dropped)
// with TASK_GONE while it has the ACCEPT still to carry out (Mesos 1.12
// does not, see tooSoonGone). Taken as final, the attempt would be lost
// and run again while the task starts. So a task of a failed ACCEPT that
// nobody killed is taken as gone only once it has stayed unknown for two
// reconciliation rounds (end to end: TestLateAcceptNeverLaunched).
func TestFailedAcceptGoneTooSoon(t *testing.T) {
	_, b, ctx, a := newKillRace(t, nil, func(c *Config) { c.UnsureInterval = time.Hour })
	got := &sinkUpdates{}
	b.SetSink(got.add)
	agentID := "agent-1"
	b.mu.Lock()
	b.tasks[a.ID] = &taskInfo{attempt: a, agentID: agentID, state: engine.Staged, launchState: launchState{accepting: true}}
	b.mu.Unlock()
	b.accepted(ctx, []mesos.TaskInfo{{TaskID: mesos.TaskID{Value: a.ID}}}, agentID, true)
	gone := func() mesos.TaskStatus {
		state, source, reason := mesos.TASK_GONE, mesos.SOURCE_MASTER, mesos.REASON_RECONCILIATION
		return mesos.TaskStatus{TaskID: mesos.TaskID{Value: a.ID}, AgentID: &mesos.AgentID{Value: agentID}, State: &state,
			Source: &source, Reason: &reason, Message: strp("Reconciliation: Task is unknown to the agent")}
	}
	b.taskUpdate(ctx, gone())
	if ups := got.list(); len(ups) != 0 {
		t.Fatalf("a task of a failed ACCEPT answered gone at once was reported: %+v", ups)
	}
	b.mu.Lock()
	tr := b.tasks[a.ID]
	if tr == nil || tr.unsureSince.IsZero() {
		b.mu.Unlock()
		t.Fatal("the task answered gone right after its failed ACCEPT is not reconciled again")
	}
	// Two rounds later (the clock moved back rather than waited for).
	tr.acceptFailedAt = tr.acceptFailedAt.Add(-2 * b.cfg.UnsureInterval)
	b.mu.Unlock()
	b.taskUpdate(ctx, gone())
	ups := got.list()
	if len(ups) != 1 || ups[0].State != engine.Lost {
		t.Fatalf("a task of a failed ACCEPT unknown for two rounds: %+v; want lost", ups)
	}
}

// TestUnsureGraceMessage: a task the master reported unreachable (or
// unknown) for longer than the grace is reported with what the master
// last said of it: lost, or, when Borges had asked for its kill, killed
// with the kill not confirmed (the task may still run on a partitioned
// agent: should it come back, it is killed again).
func TestUnsureGraceMessage(t *testing.T) {
	for _, tc := range []struct {
		state  mesos.TaskState
		killed bool
		want   engine.State
		msg    string
	}{
		{mesos.TASK_UNREACHABLE, true, engine.Killed, "kill not confirmed: unreachable for 1h0m0s"},
		{mesos.TASK_UNKNOWN, true, engine.Killed, "kill not confirmed: unknown to the master for 1h0m0s"},
		{mesos.TASK_UNREACHABLE, false, engine.Lost, "unreachable for 1h0m0s"},
		{mesos.TASK_UNKNOWN, false, engine.Lost, "unknown to the master for 1h0m0s"},
	} {
		t.Run(fmt.Sprintf("%s killed %v", tc.state, tc.killed), func(t *testing.T) {
			_, b, ctx, a := newKillRace(t, nil, func(c *Config) { c.UnsureInterval, c.UnreachableGrace = time.Hour, time.Hour })
			got := &sinkUpdates{}
			b.SetSink(got.add)
			b.mu.Lock()
			b.tasks[a.ID] = &taskInfo{attempt: a, agentID: "agent-1", state: engine.Running, killed: tc.killed}
			b.mu.Unlock()
			state, source, reason := tc.state, mesos.SOURCE_MASTER, mesos.REASON_RECONCILIATION
			b.taskUpdate(ctx, mesos.TaskStatus{TaskID: mesos.TaskID{Value: a.ID}, AgentID: &mesos.AgentID{Value: "agent-1"},
				State: &state, Source: &source, Reason: &reason})
			b.mu.Lock()
			tr := b.tasks[a.ID]
			if tr == nil || tr.unsureSince.IsZero() {
				b.mu.Unlock()
				t.Fatalf("the task reported %s is not unsure", tc.state)
			}
			tr.unsureSince = tr.unsureSince.Add(-b.cfg.UnreachableGrace) // the grace over, not waited for
			b.mu.Unlock()
			b.checkUnsure(ctx)
			ups := got.list()
			if len(ups) != 1 || ups[0].State != tc.want || ups[0].Message != tc.msg {
				t.Fatalf("updates: %+v; want %s %q", ups, tc.want, tc.msg)
			}
		})
	}
}

// TestAcceptEnded: the end of an ACCEPT, for a block's task or a
// session's alike (launchState): sent, the task waits for its state as
// before; failed, it is unsure from then (the earliest time the master
// was unsure of it kept) and its ACCEPT's failure is dated.
func TestAcceptEnded(t *testing.T) {
	start := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	sent := launchState{accepting: true}
	sent.acceptEnded(false, start)
	if sent != (launchState{}) {
		t.Errorf("an ACCEPT sent: %+v", sent)
	}
	failed := launchState{accepting: true}
	failed.acceptEnded(true, start)
	if failed != (launchState{unsureSince: start, acceptFailedAt: start}) {
		t.Errorf("an ACCEPT failed: %+v", failed)
	}
	earlier := launchState{accepting: true, unsureSince: start.Add(-time.Minute)}
	earlier.acceptEnded(true, start)
	if earlier != (launchState{unsureSince: start.Add(-time.Minute), acceptFailedAt: start}) {
		t.Errorf("an ACCEPT failed for a task already unsure: %+v", earlier)
	}
	earlier.known()
	if earlier != (launchState{}) {
		t.Errorf("a task the master has told of: %+v", earlier)
	}
}

// TestKillWhileUnknown: TestRealKillWhileUnknown's sequence against the
// fake master. A keep-running block is killed while a restarted master
// does not know its task (its agent has not registered again: the kill is
// answered TASK_UNKNOWN). Then either the agent comes back with the task
// running (the kill is sent again, and the task's own TASK_KILLED ends
// it), or the master's answer to reconciliation says the task was killed
// (TASK_KILLED with REASON_RECONCILIATION: final, as any terminal state
// reconciliation tells). Either way the block is killed on its first
// attempt, not run again, and not left running.
func TestKillWhileUnknown(t *testing.T) {
	for _, reconciled := range []bool{false, true} {
		t.Run(fmt.Sprintf("reconciled %v", reconciled), func(t *testing.T) {
			m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}})
			defer m.Close()
			b := startBorges(t, m.URL(), t.TempDir(), func(c *Config) { c.UnsureInterval = 100 * time.Millisecond })
			defer b.stop()
			v, err := b.eng.Submit(context.Background(), keepRunning)
			if err != nil {
				t.Fatal(err)
			}
			waitFor(t, "d running", func() bool { return blockState(t, b.eng, v.ID, "d").State == engine.Running })
			first := attemptOf(t, b.eng, v.ID, "d", 1)
			m.RestartMaster()
			killUnsure(t, b, v.ID, "d", first)
			waitFor(t, "the kill sent", func() bool { return killed(m, first) })
			if reconciled {
				b.backend.mu.Lock()
				fw := b.backend.frameworkID
				b.backend.mu.Unlock()
				state, source, reason, msg := mesos.TASK_KILLED, mesos.SOURCE_MASTER, mesos.REASON_RECONCILIATION, "Reconciliation: Latest task state"
				m.SendEvent(fw, &scheduler.Event{Type: scheduler.Event_UPDATE, Update: &scheduler.Event_Update{Status: mesos.TaskStatus{
					TaskID: mesos.TaskID{Value: first}, AgentID: &mesos.AgentID{Value: m.AgentID(0)},
					State: &state, Source: &source, Reason: &reason, Message: &msg}}})
			} else {
				m.AgentReregisters(0)
				waitFor(t, "the task killed at the master", func() bool { s, _ := m.TaskState(first); return s == mesos.TASK_KILLED })
			}
			wantKilledFirst(t, b, v.ID, "d")
		})
	}
}
