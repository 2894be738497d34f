package mesos

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// launches reports whether an ACCEPT launches task id (alone or in a
// task group).
func launches(c mesostest.RecordedCall, id string) bool {
	if c.Type != scheduler.Call_ACCEPT {
		return false
	}
	for _, op := range c.Call.Accept.Operations {
		infos := op.GetLaunch().GetTaskInfos()
		if g := op.GetLaunchGroup(); g != nil {
			infos = g.TaskGroup.Tasks
		}
		for _, ti := range infos {
			if ti.TaskID.Value == id {
				return true
			}
		}
	}
	return false
}

// acceptsOf counts the ACCEPT calls the master received that launch task id.
func acceptsOf(m *mesostest.Master, id string) int {
	n := 0
	for _, c := range m.Calls() {
		if launches(c, id) {
			n++
		}
	}
	return n
}

// TestLateAcceptAdopted: the ACCEPT that launches a block's task fails
// for Borges (its connection dropped unanswered; mesos-go drops the
// subscription) and reaches the master late, just ahead of Borges'
// next SUBSCRIBE, which carries it out (mesostest.LateAccepts). The task
// Borges could not tell was launched is adopted: reported running, then
// finished with its output read, never lost, and launched once. A task
// of its own, and a block of a session on Borges' executor (launched
// with its session's task).
func TestLateAcceptAdopted(t *testing.T) { forLaunchedBlocks(t, testLateAcceptAdopted) }

// forLaunchedBlocks runs test for a block's task of its own, and for a
// block of a session on Borges' executor (sess).
func forLaunchedBlocks(t *testing.T, test func(t *testing.T, sess *plan.Session)) {
	for _, tc := range acceptingCases() {
		if !tc.close {
			t.Run(tc.name, func(t *testing.T) { test(t, tc.session) })
		}
	}
}

// newLateAccept is newKillRace reconciling unsure tasks every interval,
// with Borges' executor for a session's block.
func newLateAccept(t *testing.T, sess *plan.Session, interval time.Duration) (*mesostest.Master, *Backend, context.Context, *engine.Attempt) {
	t.Helper()
	options := []func(*Config){func(c *Config) { c.UnsureInterval, c.UnreachableGrace = interval, time.Hour }}
	if sess != nil {
		options = append(options, testExecutor(t))
	}
	return newKillRace(t, sess, options...)
}

func testLateAcceptAdopted(t *testing.T, sess *plan.Session) {
	m, b, ctx, a := newLateAccept(t, sess, time.Minute)
	a.Script = "echo late-launched; sleep 1"
	m.LateAccepts(1, true)
	got := startKillRace(t, b, ctx, a)
	waitFor(t, "the attempt reported ended", func() bool {
		ups := got.list()
		return len(ups) > 0 && ups[len(ups)-1].State.Terminal()
	})
	ups := got.list()
	running := false
	for _, u := range ups {
		if u.State == engine.Running {
			running = true
		}
		if u.State.Terminal() && u.State != engine.Finished {
			t.Errorf("the late-launched task was reported %s: %s", u.State, u.Message)
		}
	}
	if !running || ups[len(ups)-1].State != engine.Finished {
		t.Fatalf("updates of the late-launched task: %+v; want running, then finished", ups)
	}
	// A session's interpreter lays the output out as Babel's session
	// does (session_faults_test.go); a task of its own, as the program.
	if out, _, err := b.ReadLog(ctx, a.ID, "stdout", 0, 1<<20); err != nil || strings.TrimSpace(string(out)) != "late-launched" ||
		sess == nil && string(out) != "late-launched\n" {
		t.Errorf("its output: %q, %v", out, err)
	}
	if st, _ := m.TaskState(a.ID); st != mesos.TASK_FINISHED {
		t.Errorf("the task at the master: %s", st)
	}
	if n := acceptsOf(m, a.ID); n != 1 {
		t.Errorf("the task was sent in %d ACCEPTs", n)
	}
	subscribes := 0
	for _, c := range m.Calls() {
		if c.Type == scheduler.Call_SUBSCRIBE {
			subscribes++
		}
	}
	if subscribes < 2 {
		t.Errorf("%d SUBSCRIBE: the failed ACCEPT did not make Borges subscribe again", subscribes)
	}
}

// TestLateAcceptNeverLaunched: the ACCEPT that launches a block's task
// fails for Borges and reaches the master after Borges has subscribed
// again: the master refuses it (its stream id is stale) and never
// launches the task, and answers its reconciliation TASK_GONE. Borges
// takes that for final only two reconciliation rounds after the ACCEPT
// failed (tooSoonGone), and then reports the attempt lost (it is run
// again) saying why. A task of its own, and a block of a session on
// Borges' executor (whose session, never launched either, ends).
func TestLateAcceptNeverLaunched(t *testing.T) { forLaunchedBlocks(t, testLateAcceptNeverLaunched) }

func testLateAcceptNeverLaunched(t *testing.T, sess *plan.Session) {
	const interval = 3 * time.Second
	m, b, ctx, a := newLateAccept(t, sess, interval)
	m.LateAccepts(1, false)
	var mu sync.Mutex
	var sending, lostAt time.Time // before the ACCEPT was sent; when the attempt was reported lost
	b.accepting = func([]mesos.TaskInfo) {
		mu.Lock()
		if sending.IsZero() {
			sending = time.Now()
		}
		mu.Unlock()
	}
	got := &sinkUpdates{}
	startAlone(t, ctx, b, func(u engine.Update) {
		if u.State == engine.Lost {
			mu.Lock()
			if lostAt.IsZero() {
				lostAt = time.Now()
			}
			mu.Unlock()
		}
		got.add(u)
	})
	if err := b.Launch(ctx, a); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the attempt reported ended", func() bool {
		ups := got.list()
		return len(ups) > 0 && ups[len(ups)-1].State.Terminal()
	})
	ups := got.list()
	// The message says the time that passed since the ACCEPT failed,
	// at least goneAfterFailedAccept rounds (tooSoonGone).
	const prefix, suffix = "never launched: its ACCEPT failed, and ", " later the master does not know the task (TASK_GONE: Reconciliation: Task is unknown to the agent)"
	if len(ups) != 1 || ups[0].State != engine.Lost || !strings.HasPrefix(ups[0].Message, prefix) || !strings.HasSuffix(ups[0].Message, suffix) {
		t.Fatalf("updates: %+v; want only lost, %q D %q", ups, prefix, suffix)
	}
	if said, err := time.ParseDuration(strings.TrimSuffix(strings.TrimPrefix(ups[0].Message, prefix), suffix)); err != nil || said < goneAfterFailedAccept*interval {
		t.Fatalf("lost %q: said %v (%v), want at least %v", ups[0].Message, said, err, goneAfterFailedAccept*interval)
	}
	mu.Lock()
	waited := lostAt.Sub(sending)
	mu.Unlock()
	if waited < goneAfterFailedAccept*interval {
		t.Errorf("reported lost %s after its ACCEPT was sent: before two reconciliation rounds (%s)", waited, goneAfterFailedAccept*interval)
	}
	if _, ok := m.TaskState(a.ID); ok {
		t.Error("the master launched the task of a refused ACCEPT")
	}
	if n := m.LateAcceptsRefused(); n != 1 {
		t.Errorf("the master refused %d late ACCEPTs", n)
	}
	if n := acceptsOf(m, a.ID); n != 1 {
		t.Errorf("the task was sent in %d ACCEPTs", n)
	}
	if sess == nil {
		return
	}
	waitFor(t, "the session of the refused ACCEPT ended", func() bool {
		b.mu.Lock()
		defer b.mu.Unlock()
		s := b.sessionTasks[a.ID+".session"]
		return s == nil || s.ended
	})
	if _, ok := m.TaskState(a.ID + ".session"); ok {
		t.Error("the master launched the session's task of a refused ACCEPT")
	}
}
