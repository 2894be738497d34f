package local

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/proclist"
)

// The stand-in takes over the outputs however the pipes were read: (1)
// the server read them non-blocking and the stand-in opens them again
// through /proc/self/fd; (2) neither could open them again (no /proc):
// the server read them, blocking, and the stand-in reads them as it
// inherited them; (3) the server's check passed, so the description it
// shares with the stand-in is non-blocking, but the stand-in's own
// opening fails when it takes over (/proc gone, a full file table). In
// each, the real wrapper runs a program writing on both streams before
// and after the server's ends close: what it writes after reaches the
// files, or is drained when the file refuses it (past its size cap, a
// full disk, a link), the program never stalls nor dies of a broken
// pipe, and the stand-in ends with the program's outputs.
func TestStandInTakesOver(t *testing.T) {
	fallbacks := []struct {
		name   string
		reopen bool // the server's check (pipesReopen)
		proc   bool // the stand-in's opening through /proc/self/fd works
	}{
		{"reopened", true, true},
		{"no /proc", false, false},
		{"server non-blocking, stand-in not reopened", true, false},
	}
	for _, fb := range fallbacks {
		for _, sc := range takeOverScenarios() {
			t.Run(fb.name+"/"+sc.name, func(t *testing.T) {
				w := wrapper
				if !fb.proc {
					w = strings.ReplaceAll(wrapper, "/proc/self/fd/", "/nonexistent/fd/")
					if w == wrapper {
						t.Fatal("the wrapper opens no pipe through /proc/self/fd/: the test's hook is stale")
					}
				}
				saved := pipesReopen
				pipesReopen = func() bool { return fb.reopen }
				t.Cleanup(func() { pipesReopen = saved })

				dir := sc.prepare(t)
				out, err := newOutputCopy(dir, nil, "a.stdout", "a.stderr", nil, false)
				if err != nil {
					t.Fatal(err)
				}
				if nonblocking := out.readers[0] != out.extra[0]; nonblocking != fb.reopen {
					t.Fatalf("the server reads the pipe through a dup of its own: %v, want %v", nonblocking, fb.reopen)
				}
				takeOver(t, dir, sc, w, out, out.extra, func() {}, func() {})
				sc.check(t, dir)
			})
		}
	}
}

// takeOverScenario is a program whose server dies while it runs.
type takeOverScenario struct {
	name    string
	max     int64
	program string // $1: the file it waits for before its second part
	// stdout, made before the launch: "" none, "full" /dev/full's
	// device, "link" a symbolic link
	stdout string
	sync   []string // what the files hold once the copier took over
	check  func(t *testing.T, dir string)
}

// takeOverScenarios: a program writing on both streams before and after
// the server's death, within its cap or past it, its stdout a full disk
// or a link.
func takeOverScenarios() []takeOverScenario {
	// After the copier took over: err2, and more than a pipe holds on
	// stdout (drained as written, or the program stalls).
	bigOut := "echo out1; echo err1 >&2; " + waitFor("$1") + "; echo err2 >&2; head -c " + strconv.Itoa(300<<10) + " /dev/zero"
	stderrCopied := func(t *testing.T, dir string) {
		if errs := readFile(dir, "a.stderr"); errs != "err1\nerr2\n" {
			t.Errorf("stderr %q", errs)
		}
	}
	return []takeOverScenario{{
		name:    "lines",
		max:     1 << 20,
		program: "echo out1; echo err1 >&2; " + waitFor("$1") + "; echo out2; echo err2 >&2",
		sync:    []string{"out1\n", "err1\n"},
		check: func(t *testing.T, dir string) {
			if out, errs := readFile(dir, "a.stdout"), readFile(dir, "a.stderr"); out != "out1\nout2\n" || errs != "err1\nerr2\n" {
				t.Errorf("stdout %q, stderr %q", out, errs)
			}
		},
	}, {
		// A last line with no newline after it is copied as it is.
		name:    "no final newline",
		max:     1 << 20,
		program: "echo out1; echo err1 >&2; " + waitFor("$1") + "; printf out2; printf err2 >&2",
		sync:    []string{"out1\n", "err1\n"},
		check: func(t *testing.T, dir string) {
			if out, errs := readFile(dir, "a.stdout"), readFile(dir, "a.stderr"); out != "out1\nout2" || errs != "err1\nerr2" {
				t.Errorf("stdout %q, stderr %q", out, errs)
			}
		},
	}, {
		name:    "past the file size cap",
		max:     1000, // ulimit -f 2: 1,024 bytes
		program: bigOut,
		sync:    []string{"out1\n", "err1\n"},
		check: func(t *testing.T, dir string) {
			if out := readFile(dir, "a.stdout"); !strings.HasPrefix(out, "out1\n") || len(out) > 1024 {
				t.Errorf("stdout %d bytes, starting %q", len(out), out[:min(len(out), 8)])
			}
			stderrCopied(t, dir)
		},
	}, {
		name: "disk full", max: 1 << 20, stdout: "full", program: bigOut,
		sync:  []string{"", "err1\n"},
		check: stderrCopied,
	}, {
		name: "a link", max: 1 << 20, stdout: "link", program: bigOut,
		sync: []string{"", "err1\n"},
		check: func(t *testing.T, dir string) {
			if data, err := os.ReadFile(filepath.Join(dir, "target")); len(data) != 0 || !os.IsNotExist(err) {
				t.Errorf("the copier wrote through a link: %d bytes, %v", len(data), err)
			}
			stderrCopied(t, dir)
		},
	}}
}

// prepare makes the scenario's directory, with its stdout if it has one.
func (sc takeOverScenario) prepare(t *testing.T) string {
	dir := t.TempDir()
	switch sc.stdout {
	case "full":
		if err := unix.Mknod(filepath.Join(dir, "a.stdout"), unix.S_IFCHR|0o600, int(unix.Mkdev(1, 7))); err != nil {
			if os.Getenv("BORGES_TEST_STRICT") == "1" {
				t.Fatalf("BORGES_TEST_STRICT=1: /dev/full's device not made: %v", err)
			}
			t.Skipf("/dev/full's device not made: %v", err)
		}
	case "link":
		if err := os.Symlink("target", filepath.Join(dir, "a.stdout")); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// takeOver runs the real wrapper w on sc's program in dir, its outputs
// out, its descriptors 4 to 6 extra; once it is past its gate the server
// dies before it copied anything (its ends close, and die does the rest).
// Once the copier has taken over (what it copies first is in the files,
// so that the program's second part writes to pipes only it reads),
// copying runs, and the program goes on; takeOver returns once the
// wrapper exited 0 and its group has ended (the stand-in with the
// program's outputs).
func takeOver(t *testing.T, dir string, sc takeOverScenario, w string, out *outputCopy, extra []*os.File, die, copying func()) {
	t.Helper()
	goFile := filepath.Join(dir, "go")
	cmd := exec.Command("/bin/sh", "-c", w, "borges-run", filepath.Join(dir, "a"), "/bin/sh", "-c", sc.program, "sh", goFile)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "BORGES_EXIT_FILE=" + filepath.Join(dir, "a", "exit"),
		"BORGES_EXIT_LOG=" + filepath.Join(dir, "exit.log"), "BORGES_MAX_OUTPUT=" + strconv.FormatInt(sc.max, 10)}
	cmd.Stdout, cmd.Stderr = out.stdout, out.stderr
	// A stand-in's wrapper (one given the pipes) is given the output
	// files too, as Launch gives them (standInFiles).
	var files [2]*os.File
	if extra[0] != nil {
		files = out.standInFiles(heldDir(t, dir), "a.stdout", "a.stderr")
		t.Cleanup(func() { out.files[0].Close(); out.files[1].Close() })
	}
	cmd.ExtraFiles = append(append([]*os.File{files[0]}, extra...), nil, exitLogFile(t, filepath.Join(dir, "exit.log")), files[1])
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		out.abort()
		t.Fatal(err)
	}
	pgid := cmd.Process.Pid
	t.Cleanup(func() { syscall.Kill(-pgid, syscall.SIGKILL) })
	out.closeChildEnds()
	if _, err := out.life.Write([]byte("in\n")); err != nil {
		t.Fatal(err)
	}
	out.readers[0].Close()
	out.readers[1].Close()
	out.life.Close()
	die()
	for i := 0; i < 1200 && ((sc.sync[0] != "" && readFile(dir, "a.stdout") != sc.sync[0]) || readFile(dir, "a.stderr") != sc.sync[1]); i++ {
		time.Sleep(50 * time.Millisecond)
	}
	if errs := readFile(dir, "a.stderr"); errs != sc.sync[1] {
		t.Fatalf("the copier never took over: stderr %q", errs)
	}
	copying()
	if err := os.WriteFile(goFile, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if code := cmd.ProcessState.ExitCode(); code != 0 {
		t.Errorf("wrapper exit %d (%v)", code, err)
	}
	if left := groupLeft(pgid); left != nil {
		t.Fatalf("the attempt's group did not end with the program's outputs: %v", left)
	}
}

// waitFor is a shell loop waiting, at most a minute, for file to exist.
func waitFor(file string) string {
	return `i=0; while [ ! -e "` + file + `" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done`
}

// readFile is the content of name in dir, "" if it cannot be read.
func readFile(dir, name string) string {
	data, _ := os.ReadFile(filepath.Join(dir, name))
	return string(data)
}

// groupLeft waits, at most a minute, for process group pgid to have no
// living process, and returns those left in it then.
func groupLeft(pgid int) []proclist.Proc {
	var left []proclist.Proc
	for i := 0; i < 1200; i++ {
		left = left[:0]
		for _, p := range proclist.All() {
			if p.PGID == pgid && !p.Zombie() {
				left = append(left, p)
			}
		}
		if len(left) == 0 {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return left
}

// A previous run's output files under the same attempt id are emptied
// at the launch, with the keeper (the server's copy) as with a stand-in
// (standInFiles): the outputs read are this run's only.
func TestStandInEmptiesAnEarlierRunsOutputs(t *testing.T) {
	for _, keeper := range []bool{true, false} {
		t.Run(map[bool]string{true: "keeper", false: "stand-in"}[keeper], func(t *testing.T) {
			b, r := newBackend(t, t.TempDir())
			if !keeper {
				withoutKeeper(b)
			}
			a := attempt("echo new; echo newerr >&2", nil)
			for _, name := range []string{"stdout", "stderr"} {
				if err := os.WriteFile(filepath.Join(b.flatPaths(a.ID).outRoot, a.ID+"."+name), []byte("an earlier run's\n"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if err := b.Launch(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			if u := r.wait(t, a.ID); u.State != engine.Finished {
				t.Fatalf("update = %+v", u)
			}
			for name, want := range map[string]string{"stdout": "new\n", "stderr": "newerr\n"} {
				if data, err := os.ReadFile(outputPath(b, a.ID, name)); string(data) != want {
					t.Fatalf("%s %q (%v), want %q", name, data, err, want)
				}
			}
		})
	}
}
