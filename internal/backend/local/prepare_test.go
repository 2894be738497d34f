package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proclist"
)

// An attempt prepared ahead runs as one that was not: its output, its
// exit status (in the exit log), its files' modes.
func TestPreparedAttemptRuns(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	a := attempt("echo hi; echo oops >&2; exit 3", nil)
	b.Prepare(a.ID, a.Task)
	st, err := os.Lstat(outputPath(b, a.ID, "stdout"))
	if err != nil || st.Size() != 0 || !st.Mode().IsRegular() {
		t.Fatalf("prepared stdout: %v %v", st, err)
	}
	if st, err := os.Stat(b.SandboxDir(a.ID)); err != nil || !st.IsDir() || b.SandboxDir(a.ID) != filepath.Join(b.cfg.DataDir, "sandboxes", a.ID) {
		t.Fatalf("prepared sandbox %s: %v", b.SandboxDir(a.ID), err)
	}
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	u := r.wait(t, a.ID)
	if u.State != engine.Failed || u.ExitCode == nil || *u.ExitCode != 3 {
		t.Fatalf("update = %+v", u)
	}
	if out, _, _ := b.ReadLog(context.Background(), a.ID, "stdout", 0, 100); string(out) != "hi\n" {
		t.Fatalf("stdout = %q", out)
	}
	if out, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 100); string(out) != "oops\n" {
		t.Fatalf("stderr = %q", out)
	}
	if code, ok := loggedExit(b.exitLog, a.ID); !ok || code != 3 {
		t.Fatalf("exit log: %d %v", code, ok)
	}
}

// The program of an interpreter other than sh is a file, prepared ahead
// empty, then written with its mode.
func TestPreparedScriptFile(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	a := attempt("echo hi", func(task *plan.Task) { task.Interpreter = []string{"bash"} })
	b.Prepare(a.ID, a.Task)
	script := filepath.Join(b.flatPaths(a.ID).outRoot, a.ID+".script")
	if st, err := os.Lstat(script); err != nil || st.Size() != 0 {
		t.Fatalf("prepared script: %v %v", st, err)
	}
	launchFinishedHi(t, b, r, a)
	if st, err := os.Stat(script); err != nil || st.Mode().Perm()&0o100 == 0 {
		t.Fatalf("script: %v %v", st, err)
	}
}

// outputPath is the file of an attempt's stdout or stderr.
func outputPath(b *Backend, id, stream string) string {
	dir, name := b.locate(id, stream)
	return dir.Join(name)
}

// Preparing an attempt that ran (a preparation that came late) changes
// nothing of it; a container's attempt, or an id that is not one
// directory name, is not prepared.
func TestPrepareLeavesWhatExists(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	a := attempt("echo kept", nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID)
	b.Prepare(a.ID, a.Task)
	if out, _, _ := b.ReadLog(context.Background(), a.ID, "stdout", 0, 100); string(out) != "kept\n" {
		t.Fatalf("stdout after a late preparation = %q", out)
	}
	if code, ok := loggedExit(b.exitLog, a.ID); !ok || code != 0 {
		t.Fatalf("exit log after a late preparation: %d %v", code, ok)
	}
	root, name := b.wrapperFile(a.ID)
	if _, err := os.Lstat(filepath.Join(root, name+".new")); !os.IsNotExist(err) {
		t.Fatalf("a late preparation made the wrapper's file to be renamed (%v)", err)
	}
	ctr := &plan.Task{Block: "c", Container: &plan.Container{Image: "x", Kind: "docker"}}
	b.Prepare("d.c.0.1", ctr)
	for _, id := range []string{"..", "a/b", ""} {
		b.Prepare(id, a.Task)
	}
	sess := &plan.Task{Block: "s", Interpreter: []string{"sh"}, Session: &plan.Session{}}
	b.Prepare("d.s.0.1", sess)
	for _, id := range []string{"d.c.0.1", "d.s.0.1"} {
		if made := madeFor(t, b.cfg.DataDir, id); len(made) != 0 {
			t.Fatalf("a container's or a session's attempt was prepared: %v", made)
		}
	}
	for _, dir := range []string{"attempts", "sandboxes"} {
		if _, err := os.Lstat(filepath.Join(b.cfg.DataDir, dir, "a")); !os.IsNotExist(err) {
			t.Fatalf("an id with a slash was prepared: %v", err)
		}
	}
}

// When the server's copy ends (as when the server dies), the keeper of
// the outputs, or where there is none the wrapper's one stand-in, copies
// both streams into their files.
func TestStandInCopiesBothStreams(t *testing.T) {
	for _, keeper := range []bool{true, false} {
		t.Run(map[bool]string{true: "keeper", false: "stand-in"}[keeper], func(t *testing.T) {
			testCopiesBothStreams(t, keeper)
		})
	}
}

// withoutKeeper has b's attempts launched with a stand-in each.
func withoutKeeper(b *Backend) {
	b.keeper.mu.Lock()
	b.keeper.noStart = errors.New("the test asks for stand-ins")
	b.keeper.mu.Unlock()
}

// serverGone closes the server's ends of an attempt's outputs, as the
// server's death does: its copies' pipes, the stand-ins' life and the
// keeper's socket.
func serverGone(b *Backend, p *proc) {
	p.out.readers[0].Close()
	p.out.readers[1].Close()
	p.out.life.Close()
	b.keeper.abandon()
}

func testCopiesBothStreams(t *testing.T, keeper bool) {
	b, r := newBackend(t, t.TempDir())
	if !keeper {
		withoutKeeper(b)
	}
	a := attempt("echo out1; echo err1 >&2; i=0; while [ ! -e go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo out2; echo err2 >&2; "+
		// Until the stand-in has copied both (the block's end kills it).
		"i=0; while { ! grep -q out2 $OUT.stdout || ! grep -q err2 $OUT.stderr; } && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done", nil)
	a.Env["OUT"] = filepath.Join(b.flatPaths(a.ID).outRoot, a.ID)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	read := func(name string) string {
		data, _ := os.ReadFile(outputPath(b, a.ID, name))
		return string(data)
	}
	for i := 0; i < 600 && (read("stdout") != "out1\n" || read("stderr") != "err1\n"); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	b.mu.Lock()
	p := b.procs[a.ID]
	b.mu.Unlock()
	if p == nil {
		t.Fatal("not running")
	}
	if p.kept != keeper {
		t.Fatalf("the keeper holds its outputs: %v, want %v", p.kept, keeper)
	}
	// The server's ends go, as they would with the server.
	serverGone(b, p)
	if err := os.WriteFile(filepath.Join(b.SandboxDir(a.ID), "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID)
	if out, errs := read("stdout"), read("stderr"); out != "out1\nout2\n" || errs != "err1\nerr2\n" {
		t.Fatalf("stdout %q, stderr %q", out, errs)
	}
}

// An attempt's outputs are made only if it writes some: one that writes
// nothing leaves no stdout or stderr file, and reads as empty.
func TestSilentAttemptMakesNoOutputFiles(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	a := attempt("echo only-out", nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	if out, _, _ := b.ReadLog(context.Background(), a.ID, "stdout", 0, 100); string(out) != "only-out\n" {
		t.Fatalf("stdout = %q", out)
	}
	if _, err := os.Lstat(outputPath(b, a.ID, "stderr")); !os.IsNotExist(err) {
		t.Fatalf("stderr of an attempt that wrote none: %v", err)
	}
	if out, size, err := b.ReadLog(context.Background(), a.ID, "stderr", 0, 100); len(out) != 0 || size != 0 || err != nil {
		t.Fatalf("stderr reads %q %d %v", out, size, err)
	}
}

// When the server's copy ends before the program wrote anything (the
// server died early), the keeper, or the stand-in, makes the output files
// itself; it writes through no link put where one of them should be.
func TestStandInMakesTheFiles(t *testing.T) {
	for _, keeper := range []bool{true, false} {
		t.Run(map[bool]string{true: "keeper", false: "stand-in"}[keeper], func(t *testing.T) {
			testMakesTheFiles(t, keeper)
		})
	}
}

func testMakesTheFiles(t *testing.T, keeper bool) {
	b, r := newBackend(t, t.TempDir())
	if !keeper {
		withoutKeeper(b)
	}
	a := attempt("i=0; while [ ! -e go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo out; echo err >&2; "+
		"i=0; while ! grep -q out $OUT.stdout && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done", nil)
	a.Env["OUT"] = filepath.Join(b.flatPaths(a.ID).outRoot, a.ID)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	p := b.procs[a.ID]
	b.mu.Unlock()
	if p == nil {
		t.Fatal("not running")
	}
	// A stand-in was handed its files at the launch (standInFiles): the
	// link replaces the file it was given, and it goes on writing there.
	if err := os.Remove(outputPath(b, a.ID, "stderr")); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if err := os.Symlink("target", outputPath(b, a.ID, "stderr")); err != nil {
		t.Fatal(err)
	}
	serverGone(b, p)
	if err := os.WriteFile(filepath.Join(b.SandboxDir(a.ID), "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID)
	if data, err := os.ReadFile(outputPath(b, a.ID, "stdout")); string(data) != "out\n" {
		t.Fatalf("stdout %q %v", data, err)
	}
	if data, err := os.ReadFile(filepath.Join(b.flatPaths(a.ID).outRoot, "target")); len(data) != 0 && !os.IsNotExist(err) {
		t.Fatalf("the stand-in wrote through a link: %q", data)
	}
}

// The wrapper's gate reads "in" on the stand-in's life pipe: past it, the
// stand-in still waits for the server's end, and takes nothing over while
// the server lives. It is seen blocked in its read of that pipe, which
// nothing but the server's end can then wake (the server writes no more
// there): seen once, it waits for good, however slow the machine. A
// stand-in that took over would never be seen there, and would open
// both output files at once (its copiers append to them): no stderr file
// may appear while the program, which writes none, runs.
func TestStandInWaitsPastTheGate(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	withoutKeeper(b)
	var lifePipe string
	waitsWhileTheServerLives(t, b, r, "the stand-in", func(p *proc) bool {
		if lifePipe == "" {
			var life unix.Stat_t
			if err := unix.Fstat(int(p.out.life.Fd()), &life); err != nil {
				t.Fatal(err)
			}
			lifePipe = fmt.Sprintf("pipe:[%d]", life.Ino)
		}
		for _, proc := range proclist.All() {
			if proc.PGID == p.pid && proc.PID != p.pid && readsOnStdin(proc.PID, lifePipe) {
				return true
			}
		}
		return false
	}, func(*proc) {})
}

// waitsWhileTheServerLives launches a program that writes a line, waits,
// and writes another, none on stderr, and sees its outputs' copier (who)
// waiting (seen) while the server lives: no stderr file appears
// meanwhile, nor after, and stdout is the server's copy alone. past is
// run once the copier was seen.
func waitsWhileTheServerLives(t *testing.T, b *Backend, r *recorder, who string, seen func(*proc) bool, past func(*proc)) {
	t.Helper()
	a := attempt("echo started; i=0; while [ ! -e go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo done", nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Kill(context.Background(), a.ID); r.wait(t, a.ID) })
	b.mu.Lock()
	p := b.procs[a.ID]
	b.mu.Unlock()
	if p == nil {
		t.Fatal("not running")
	}
	waiting := false
	for i := 0; i < 1200 && !waiting; i++ {
		if err := stderrUntouched(b, a.ID); err != nil {
			t.Fatalf("%s took over while the server lives: stderr %v", who, err)
		}
		waiting = seen(p)
		if !waiting {
			time.Sleep(50 * time.Millisecond)
		}
	}
	if !waiting {
		t.Fatalf("%s was never seen waiting for the server's end", who)
	}
	past(p)
	if err := os.WriteFile(filepath.Join(b.SandboxDir(a.ID), "go"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	if out, _, _ := b.ReadLog(context.Background(), a.ID, "stdout", 0, 100); string(out) != "started\ndone\n" {
		t.Fatalf("stdout = %q", out)
	}
	if err := stderrUntouched(b, a.ID); err != nil {
		t.Fatalf("%s took over while the server lived: stderr %v", who, err)
	}
}

// stderrUntouched says why attempt id's stderr, which its program does
// not write, is not as its launch left it: not there, or (a stand-in's:
// standInFiles) an empty file.
func stderrUntouched(b *Backend, id string) error {
	st, err := os.Lstat(outputPath(b, id, "stderr"))
	switch {
	case os.IsNotExist(err):
		return nil
	case err != nil:
		return err
	case !st.Mode().IsRegular() || st.Size() != 0:
		return fmt.Errorf("%v, %d bytes", st.Mode(), st.Size())
	}
	return nil
}

// inSyscall says whether the process or thread of /proc directory dir is
// blocked in system call nr on descriptor fd (its first argument), if
// the kernel shows it (known).
func inSyscall(dir string, nr, fd int) (in, known bool) {
	call, err := os.ReadFile(dir + "/syscall")
	if err != nil {
		return false, false
	}
	f := strings.Fields(string(call))
	return len(f) > 1 && f[0] == strconv.Itoa(nr) && f[1] == "0x"+strconv.FormatInt(int64(fd), 16), true
}

// readsOnStdin says whether process pid is blocked reading its fd 0,
// which is file (a /proc/PID/fd link's target) before and after: the
// shell's `read <&6` reads a dup of fd 6 as its fd 0. Where the kernel
// does not show the system call a process is blocked in, a sleeping
// process is taken to be in it.
func readsOnStdin(pid int, file string) bool {
	dir := "/proc/" + strconv.Itoa(pid)
	if fd0, err := os.Readlink(dir + "/fd/0"); err != nil || fd0 != file {
		return false
	}
	blocked, known := inSyscall(dir, unix.SYS_READ, 0)
	if proc, ok := proclist.Of(pid); !known && ok {
		blocked = proc.State == 'S'
	}
	fd0, err := os.Readlink(dir + "/fd/0")
	return blocked && err == nil && fd0 == file
}

// The stdout of an attempt prepared ahead (Prepare made it) is opened
// where it is at the first write: the pool is not tried first (its entry
// opened, checked, its rename refused and the entry given back, for
// nothing).
func TestPreparedStdoutNotTakenFromPool(t *testing.T) {
	b, r := newBackend(t, t.TempDir())
	if b.pool == nil {
		t.Fatal("no pool")
	}
	out := b.flatPaths("pooled-old").outRoot
	for i := 0; i < 2; i++ {
		f := filepath.Join(out, fmt.Sprintf("pooled-old-%d.stdout", i))
		if err := os.WriteFile(f, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := b.pool.put(poolFiles, f); err != nil {
			t.Fatal(err)
		}
	}
	a := attempt("echo hi", nil)
	b.Prepare(a.ID, a.Task)
	tried := make(chan string, 8)
	b.pool.beforeRename = func(entry string) {
		select {
		case tried <- entry:
		default:
		}
	}
	launchFinishedHi(t, b, r, a)
	select {
	case entry := <-tried:
		t.Fatalf("the prepared stdout's first write tried the pool's %s", filepath.Base(entry))
	default:
	}
}

// launchFinishedHi launches a, which is to finish printing "hi".
func launchFinishedHi(t *testing.T, b *Backend, r *recorder, a *engine.Attempt) {
	t.Helper()
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	if out, _, _ := b.ReadLog(context.Background(), a.ID, "stdout", 0, 100); string(out) != "hi\n" {
		t.Fatalf("stdout = %q", out)
	}
}
