package local

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// forgeAndKill is a program that, once "go" is in its sandbox, puts a
// forged exit log (its attempt ended with status 0) at the name of the log
// its wrapper was given, then kills its wrapper (its parent) before the
// wrapper logs anything: what a task running as the server's user can do.
const forgeAndKill = `while [ ! -e go ]; do sleep 0.05; done
d=${BORGES_EXIT_FILE%/*}
printf '0 %s\n' "${d##*/}" > forged
mv forged "$BORGES_EXIT_LOG"
kill -9 $PPID
sleep 1`

// An exit status is read only from the log the wrapper was given, known
// by its identity (device and inode), not from a file a task put at its
// name: a wrapper killed before it logged its status ends the attempt
// without one, not with the forged status — for the server that launched
// it, and for one that re-attached to it after a restart.
func TestExitLogReadByIdentity(t *testing.T) {
	other := func(task *plan.Task) { task.Interpreter = []string{"/bin/sh"} }
	for _, restarted := range []bool{false, true} {
		name := "launched"
		if restarted {
			name = "reattached"
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			b, r := noCgroups(t, dir)
			a := attempt(forgeAndKill, other)
			launchRunning(t, b, r, a)
			if restarted {
				r.stop()
				b, r = noCgroups(t, dir)
				reattached(t, b, r, a)
			}
			if err := os.WriteFile(filepath.Join(b.SandboxDir(a.ID), "go"), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			u := r.wait(t, a.ID)
			if u.ExitCode != nil && *u.ExitCode == 0 || u.State == engine.Finished {
				t.Fatalf("update = %+v (exit %v): the status a task forged at the exit log's name was taken", u, u.ExitCode)
			}
		})
	}
}
