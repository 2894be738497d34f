package local

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proclist"
)

// A status logged while the server was down is read, at Recover, only
// from the exit log the wrapper was given, known by the identity recorded
// at the launch (the wrapper log's line): a task that puts a forged exit
// log at that name, then kills its wrapper before it logged its status,
// all while no server runs, does not decide how its attempt ended.
func TestRecoverReadsOnlyTheExitLogGiven(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt(forgeAndKill, func(task *plan.Task) { task.Interpreter = []string{"/bin/sh"} })
	p := launchRunning(t, b, r, a)
	pid := p.pid
	r.stop() // the server is down
	if err := os.WriteFile(filepath.Join(b.SandboxDir(a.ID), "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	until(t, "the wrapper is killed", func() bool {
		p, ok := proclist.Of(pid)
		return !ok || p.Zombie()
	})
	b2, r2 := noCgroups(t, dir)
	if err := b2.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	u := r2.wait(t, a.ID)
	if u.ExitCode != nil && *u.ExitCode == 0 || u.State == engine.Finished {
		t.Fatalf("update = %+v (exit %v): the status a task forged at the exit log's name while the server was down was taken", u, u.ExitCode)
	}
}
