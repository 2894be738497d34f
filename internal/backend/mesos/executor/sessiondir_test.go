package executor

import (
	"context"
	"strings"
	"testing"

	mesos "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/session"
)

// sessionInDir launches a session whose first block is the task first,
// with its :dir dir (SessionWorkDirLabel), and runs h's body in it; it
// returns where the interpreter runs, or the session task's end where
// it could not start.
func sessionInDir(t *testing.T, e *Executor, agent *fakeAgent, first, dir string, h how) (string, mesos.TaskStatus) {
	t.Helper()
	sid := "sess-" + first
	info := sessionTask(t, sid, first, session.Shell, session.Command(session.Shell, "sh", nil), h.env)
	info.Labels.Labels = append(info.Labels.Labels, mesos.Label{Key: SessionWorkDirLabel, Value: strp(dir)})
	e.launch(context.Background(), info)
	until(t, sid+" started or ended", func() bool {
		s := agent.last(sid)
		return s == mesos.TASK_RUNNING || isTerminal(s)
	})
	if s := agent.last(sid); s != mesos.TASK_RUNNING {
		return "", agent.end(sid)
	}
	state, files := runBlock(t, e, agent, blockTask(t, first, sid, SessionBlock{Body: h.body()}))
	if state != mesos.TASK_FINISHED {
		t.Fatalf("the block in %s: %v %q", dir, state, files)
	}
	return strings.TrimSpace(files["stdout"]), agent.end(sid)
}

// A session's first block's :dir is opened as a block's is
// (TestDirNotMadeThroughSandboxLink): no link a task left in its sandbox
// is followed to make it.
func TestSessionDirNotMadeThroughSandboxLink(t *testing.T) {
	notMadeThroughSandboxLink(t, sessionInDir, ":dir x/new")
}

// A session's first block's :dir never lands in the executor's own
// files (TestDirIntoExecutorStateRefused).
func TestSessionDirIntoExecutorStateRefused(t *testing.T) {
	intoExecutorStateRefused(t, sessionInDir)
}

// A session's absolute :dir, or ~/…, follows the user's links
// (TestDirFollowsUsersLink).
func TestSessionDirFollowsUsersLink(t *testing.T) { followsUsersLink(t, sessionInDir) }

// A session's :dir is made with a block's mode (TestDirMode).
func TestSessionDirMode(t *testing.T) { dirMode(t, sessionInDir) }

// A session's ~ in its first block's :dir is the session's environment's
// HOME (TestDirHomeOfTheBlock).
func TestSessionDirHomeOfTheBlock(t *testing.T) { homeOfTheBlock(t, sessionInDir) }

// A session's first block's environment with HOME empty has no home for
// its :dir ~/x (TestDirHomeEmpty).
func TestSessionDirHomeEmpty(t *testing.T) { homeEmpty(t, sessionInDir) }
