package local

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/proclist"
	"github.com/wallyqs/borges/internal/proctest"
	"golang.org/x/sys/unix"
)

// carrying starts a process-group leader whose environment holds env (a
// stand-in for a process of the user that carries a wrapper's variables),
// ended at the test's end, and waits for its exec to end.
func carrying(t *testing.T, env ...string) int {
	t.Helper()
	cmd := exec.Command("sleep", proctest.Marker(t))
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	waitTick(t, cmd.Process.Pid)
	return cmd.Process.Pid
}

// statsSeen replaces statPath for the test with one that records the
// paths examined (and, where hang says so, blocks until the test ends).
func statsSeen(t *testing.T, hang func(path string) bool) func() []string {
	var mu sync.Mutex
	var seen []string
	release := make(chan struct{})
	was := statPath
	statPath = func(path string, st *unix.Stat_t) error {
		mu.Lock()
		seen = append(seen, path)
		mu.Unlock()
		if hang != nil && hang(path) {
			<-release
		}
		return was(path, st)
	}
	t.Cleanup(func() { close(release); statPath = was })
	return func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(seen)
	}
}

// A process of the user carrying BORGES_EXIT_FILE and BORGES_EXIT_LOG that
// name no attempt recovered and no log of the data directory (another
// server's wrapper, say, its DATA on a mount that may hang) makes Recover
// examine no path it names.
func TestRecoverExaminesNoPathOfAnotherDataDirectory(t *testing.T) {
	b, _ := noCgroups(t, t.TempDir())
	foreign := t.TempDir()
	seen := statsSeen(t, nil)
	carrying(t, "BORGES_EXIT_FILE="+foreign+"/attempts/not-an-attempt/exit", "BORGES_EXIT_LOG="+foreign+"/exits/x")
	a := attempt("exit 0", nil)
	if err := b.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	for _, p := range seen() {
		if strings.HasPrefix(p, foreign) {
			t.Errorf("Recover examined %s, a path of another data directory", p)
		}
	}
}

// A stat of a path a process carries that does not return (a mount that
// hangs) holds Recover up statBound at most.
func TestRecoverBoundsAStatThatHangs(t *testing.T) {
	b, r := noCgroups(t, t.TempDir())
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(b.cfg.DataDir, link); err != nil {
		t.Fatal(err)
	}
	was := statBound
	statBound = 50 * time.Millisecond
	t.Cleanup(func() { statBound = was })
	statsSeen(t, func(path string) bool { return strings.HasPrefix(path, link) })
	a := attempt("exit 0", nil)
	carrying(t, "BORGES_EXIT_FILE="+link+"/attempts/"+a.ID+"/exit")
	done := make(chan error, 1)
	go func() { done <- b.Recover(context.Background(), []*engine.Attempt{a}) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Minute): // a bound for a hang, not a measure
		t.Fatal("Recover waits on a stat that does not return")
	}
	if u := r.of(a.ID); len(u) == 0 {
		t.Errorf("nothing reported of %s", a.ID)
	}
}

// The link through which the server before spelled DATA removed before
// the restart, the wrapper still running is known by the exit log it
// appends to (its descriptor): re-attached to, its log kept, its status
// reported.
func TestRecoverWrapperWhoseSpellingNoLongerResolves(t *testing.T) {
	real, link := dataThroughLink(t)
	long, firstLog, release := launchedSpelling(t, real, link)
	if err := os.Remove(link); err != nil {
		t.Fatal(err)
	}
	second, r2 := newBackend(t, real)
	if err := second.Recover(context.Background(), []*engine.Attempt{long}); err != nil {
		t.Fatal(err)
	}
	releasedAfterRestart(t, r2, long, firstLog, release)
}

// An impostor carrying the attempt's exit file spelled through a link,
// started before the launch, is passed over as one spelled as this run
// does: the guards of the launch read what the path names.
func TestRecoverPassesOverAnImpostorSpelledOtherwise(t *testing.T) {
	b, r := noCgroups(t, t.TempDir())
	a := attempt("exit 0", nil)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(b.cfg.DataDir, link); err != nil {
		t.Fatal(err)
	}
	impostor := carrying(t, "BORGES_EXIT_FILE="+link+"/attempts/"+a.ID+"/exit")
	a.LaunchTicks = proclist.BootTicks()
	_, wrapper := reattachable(t, b, a.ID)
	if p := reattached(t, b, r, a); p.pid != wrapper {
		t.Errorf("re-attached to %d, want wrapper %d (impostor %d)", p.pid, wrapper, impostor)
	}
}

// So too where the wrapper is named on disk and the impostor, spelled
// through a link, is looked at after it.
func TestRecoverPassesOverAnImpostorSpelledOtherwiseNamedWrapper(t *testing.T) {
	b, r := noCgroups(t, t.TempDir())
	a := attempt("exit 0", nil)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(b.cfg.DataDir, link); err != nil {
		t.Fatal(err)
	}
	_, wrapper := reattachable(t, b, a.ID)
	if err := b.recordWrapper(a.ID, wrapper); err != nil {
		t.Fatal(err)
	}
	impostor := carrying(t, "BORGES_EXIT_FILE="+link+"/attempts/"+a.ID+"/exit")
	if impostor < wrapper {
		t.Skipf("pids wrapped around (impostor %d, wrapper %d): the impostor would not be looked at after the wrapper", impostor, wrapper)
	}
	if p := reattached(t, b, r, a); p.pid != wrapper {
		t.Errorf("re-attached to %d, want wrapper %d (impostor %d)", p.pid, wrapper, impostor)
	}
}
