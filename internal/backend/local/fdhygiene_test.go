package local

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// A block's program holds no descriptor of the server's beyond 0, 1 and
// 2 (the wrapper's 3 to 9: its exit log, the outputs handed to a
// stand-in, the gate and the life pipes), with the keeper holding its
// outputs as with a stand-in, run by sh as by another interpreter. A
// descriptor the test process itself was given without close-on-exec
// (by whatever started it) is not the server's, and is let be.
func TestKeeperAndStandInLeaveNoDescriptorToTheProgram(t *testing.T) {
	inherited := map[string]bool{}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	for _, e := range entries {
		fd, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if flags, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err == nil && flags&unix.FD_CLOEXEC == 0 {
			inherited[e.Name()] = true
		}
	}
	for _, keeper := range []bool{true, false} {
		for _, interp := range []string{"sh", "/bin/sh"} {
			name := map[bool]string{true: "keeper", false: "stand-in"}[keeper] + " " + interp
			t.Run(name, func(t *testing.T) {
				b, r := noCgroups(t, t.TempDir())
				if !keeper {
					withoutKeeper(b)
				}
				// ls, a child, lists what the program gives its children
				// (for sh, $$ is the wrapper's, not the program's), and
				// the directory it opens to list them (a link to
				// /proc/PID/fd), skipped.
				a := attempt("ls -l /proc/self/fd", func(task *plan.Task) { task.Interpreter = []string{interp} })
				if err := b.Launch(context.Background(), a); err != nil {
					t.Fatal(err)
				}
				if u := r.wait(t, a.ID); u.State != engine.Finished {
					t.Fatalf("update = %+v", u)
				}
				out, _, err := b.ReadLog(context.Background(), a.ID, "stdout", 0, 4096)
				if err != nil {
					t.Fatal(err)
				}
				listed := 0
				for _, line := range strings.Split(string(out), "\n") {
					before, target, ok := strings.Cut(line, " -> ")
					if !ok {
						continue
					}
					listed++
					f := strings.Fields(before)
					fd := f[len(f)-1]
					n, err := strconv.Atoi(fd)
					if err != nil {
						t.Fatalf("listed %q", out)
					}
					if strings.HasPrefix(target, "/proc/") && strings.HasSuffix(target, "/fd") {
						continue // ls's own
					}
					if n >= 3 && n <= 9 && !inherited[fd] {
						t.Errorf("the program holds descriptor %d, %s (all: %s)", n, target, out)
					}
				}
				if listed < 3 {
					t.Fatalf("listed %q", out)
				}
			})
		}
	}
}
