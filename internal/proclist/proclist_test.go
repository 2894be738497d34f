package proclist

import (
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

func TestParseStat(t *testing.T) {
	for _, c := range []struct {
		stat string
		want Proc
		ok   bool
	}{
		{"42 (sleep) S 1 40 30 0 -1 4194560", Proc{42, 1, 40, 30, 'S'}, true},
		{"43 (sh) Z 1 43 43 0", Proc{42, 1, 43, 43, 'Z'}, true},
		// A command with spaces and parentheses of its own.
		{"42 (a) b (c)) R 7 8 9 0", Proc{42, 7, 8, 9, 'R'}, true},
		{"42 (cut", Proc{}, false},
		{"42 (short) S 1 2", Proc{}, false},
		{"42 (bad) S x 2 3", Proc{}, false},
	} {
		got, ok := ParseStat(42, []byte(c.stat))
		if got != c.want || ok != c.ok {
			t.Errorf("%q: %+v %v, want %+v %v", c.stat, got, ok, c.want, c.ok)
		}
	}
}

// TestAllHasThisProcess: the list holds this process, with its parent,
// group and session as the kernel gives them.
func TestAllHasThisProcess(t *testing.T) {
	pgid, err := unix.Getpgid(0)
	if err != nil {
		t.Fatal(err)
	}
	sid, err := unix.Getsid(0)
	if err != nil {
		t.Fatal(err)
	}
	want := Proc{os.Getpid(), os.Getppid(), pgid, sid, 'R'}
	for _, p := range All() {
		if p.PID == want.PID {
			if p.State != 'R' && p.State != 'S' {
				t.Fatalf("%+v: a running test in state %c", p, p.State)
			}
			p.State = want.State
			if p != want {
				t.Fatalf("%+v, want %+v", p, want)
			}
			return
		}
	}
	t.Fatalf("pid %d not listed", want.PID)
}
