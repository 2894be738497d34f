package local

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
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
	endWhileDown(t, b, r, a)
	b2, r2 := noCgroups(t, dir)
	if err := b2.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	u := r2.wait(t, a.ID)
	if u.ExitCode != nil && *u.ExitCode == 0 || u.State == engine.Finished {
		t.Fatalf("update = %+v (exit %v): the status a task forged at the exit log's name while the server was down was taken", u, u.ExitCode)
	}
}

// A status logged while the server was down, its wrapper's line of
// another boot (a reboot since: the exit log's device number is not
// stable across boots, nor across a move of DATA), is read by the exit
// log's name, as before the identity was recorded: the attempt finished,
// not lost.
func TestRecoverReadsAnEarlierBootsStatusByName(t *testing.T) {
	if machineBoot() == "" {
		t.Skip("no boot id on this machine")
	}
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt("while [ ! -e go ]; do sleep 0.05; done", nil)
	endWhileDown(t, b, r, a)
	// The line as a boot before this one, on another device, wrote it.
	logs, _ := filepath.Glob(filepath.Join(wrappersDir(dir), "*"))
	rewritten := 0
	for _, path := range logs {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfter(string(data), "\n")
		for i, line := range lines {
			f := strings.Fields(line)
			if len(f) != 6 || f[3] != a.ID {
				continue
			}
			dev, err := strconv.ParseUint(f[4], 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			f[2], f[4] = "another-boot", strconv.FormatUint(dev+1, 10)
			lines[i] = strings.Join(f, " ") + "\n"
			rewritten++
		}
		if err := os.WriteFile(path, []byte(strings.Join(lines, "")), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if rewritten != 1 {
		t.Fatalf("%d wrapper lines of %s, want 1", rewritten, a.ID)
	}
	b2, r2 := noCgroups(t, dir)
	if err := b2.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	u := r2.wait(t, a.ID)
	if u.State != engine.Finished || u.ExitCode == nil || *u.ExitCode != 0 {
		t.Fatalf("update = %+v: the status its wrapper logged before a reboot was not read", u)
	}
}

// endWhileDown launches a, a program that waits for "go" in its sandbox,
// stops the server (r's), then lets the program go on and waits until
// its wrapper has ended, all while no server runs.
func endWhileDown(t *testing.T, b *Backend, r *recorder, a *engine.Attempt) {
	t.Helper()
	pid := launchRunning(t, b, r, a).pid
	r.stop() // the server is down
	if err := os.WriteFile(filepath.Join(b.SandboxDir(a.ID), "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	until(t, "the wrapper ends", func() bool {
		p, ok := proclist.Of(pid)
		return !ok || p.Zombie()
	})
}
