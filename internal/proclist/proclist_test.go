package proclist

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

func TestParseStat(t *testing.T) {
	for _, c := range []struct {
		stat string
		want Proc
		ok   bool
	}{
		// Real lines (Linux 6.18): a sleep whose command, "x) S 1 (y",
		// holds spaces and parentheses; a zombie (PF_EXITING among
		// its flags, no memory: its environment's end 0); a process of
		// two threads.
		{"14866 (x) S 1 (y) S 14865 14860 7433 0 -1 4194304 137 0 0 0 0 0 0 0 20 0 1 0 26402 2990080 413 18446744073709551615 94038634287104 94038634305033 140727368987552 0 0 0 0 6 0 1 0 0 17 1 0 0 0 0 0 94038634319120 94038634320384 94039308869632 140727368989373 140727368989388 140727368989388 140727368990700 0",
			Proc{PID: 42, PPID: 14865, PGID: 14860, SID: 7433, State: 'S', Flags: 4194304, Threads: 1, Start: 26402, EnvEnd: 140727368990700, HasEnvEnd: true}, true},
		{"14925 (sleep) Z 14924 14920 7433 0 -1 4227084 96 0 0 0 0 0 0 0 20 0 1 0 26633 0 0 18446744073709551615 0 0 0 0 0 0 0 6 0 1 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0",
			Proc{PID: 42, PPID: 14924, PGID: 14920, SID: 7433, State: 'Z', Flags: 4227084, Threads: 1, Start: 26633, EnvEnd: 0, HasEnvEnd: true}, true},
		{"14970 (python3) R 14920 14920 7433 0 -1 4194304 2849 6532 1 0 6 1 6 1 20 0 2 0 26735 92483584 3325 18446744073709551615 94818891653120 94818891653461 140723566825968 0 0 0 0 16781312 2 0 0 0 17 0 0 0 0 0 0 94818891664816 94818891665432 94819652816896 140723566831716 140723566831882 140723566831882 140723566833615 0",
			Proc{PID: 42, PPID: 14920, PGID: 14920, SID: 7433, State: 'R', Flags: 4194304, Threads: 2, Start: 26735, EnvEnd: 140723566833615, HasEnvEnd: true}, true},
		// A kernel before 3.5 ends the line at field 44: no end of the
		// environment.
		{"7 (a) b (c)) S 1 7 7 0 -1 4202752 120 0 0 0 0 0 0 0 20 0 1 0 981 4468736 130 18446744073709551615 4194304 4196048 140736863375616 140736863374856 139921542510304 0 0 0 0 0 0 0 17 1 0 0 0 0 0",
			Proc{PID: 42, PPID: 1, PGID: 7, SID: 7, State: 'S', Flags: 4202752, Threads: 1, Start: 981}, true},
		{"42 (cut", Proc{}, false},
		// Cut before the start time.
		{"42 (short) S 1 2 3 0 -1 4194304 137 0 0 0 0 0 0 0 20 0 1", Proc{}, false},
		{"42 (bad) S x 2 3 0 -1 4194304 137 0 0 0 0 0 0 0 20 0 1 0 26402", Proc{}, false},
		{"42 (bad) S 1 2 3 0 -1 4194304 137 0 0 0 0 0 0 0 20 0 1 0 soon", Proc{}, false},
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
	want := Proc{PID: os.Getpid(), PPID: os.Getppid(), PGID: pgid, SID: sid, State: 'R'}
	for _, p := range All() {
		if p.PID == want.PID {
			if p.State != 'R' && p.State != 'S' {
				t.Fatalf("%+v: a running test in state %c", p, p.State)
			}
			if p.Threads < 1 || p.Start == 0 || !p.HasEnvEnd || p.EnvEnd == 0 {
				t.Fatalf("%+v: a running test's threads, start or environment not read", p)
			}
			p.State = want.State
			p.Flags, p.Threads, p.Start, p.EnvEnd, p.HasEnvEnd = 0, 0, 0, 0, false
			if p != want {
				t.Fatalf("%+v, want %+v", p, want)
			}
			return
		}
	}
	t.Fatalf("pid %d not listed", want.PID)
}

// The boot clock, in the unit of a start, is past this process's start:
// it started before the clock was read.
func TestBootTicksPastThisProcessStart(t *testing.T) {
	p, ok := Of(os.Getpid())
	if !ok {
		t.Fatal("this process is not listed")
	}
	if now := BootTicks(); now == 0 || now < p.Start {
		t.Errorf("boot clock %d ticks, before this process's start, %d", now, p.Start)
	}
}

// TestReadRecord: a /proc record read whole, as os.ReadFile reads it; a
// file longer than the pooled buffer read whole too; the bytes returned
// not overwritten by later reads (the buffer is pooled); a file that is
// not there, os.ErrNotExist.
func TestReadRecord(t *testing.T) {
	got, err := ReadRecord("/proc/self/stat")
	if err != nil {
		t.Fatal(err)
	}
	p, ok := ParseStat(os.Getpid(), got)
	if !ok || p.PPID != os.Getppid() || p.Start == 0 {
		t.Fatalf("%q: %+v %v", got, p, ok)
	}
	dir := t.TempDir()
	for _, size := range []int{0, 1, 4095, 4096, 4097, 20000} {
		want := make([]byte, size)
		for i := range want {
			want[i] = byte('a' + i%26)
		}
		name := filepath.Join(dir, strconv.Itoa(size))
		if err := os.WriteFile(name, want, 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := ReadRecord(name)
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("%d bytes: %d bytes read, %v", size, len(got), err)
		}
	}
	first, err := ReadRecord("/proc/self/comm")
	if err != nil {
		t.Fatal(err)
	}
	kept := string(first)
	if _, err := ReadRecord("/proc/self/stat"); err != nil {
		t.Fatal(err)
	}
	if string(first) != kept {
		t.Fatalf("the bytes read changed under a later read: %q, then %q", kept, first)
	}
	if _, err := ReadRecord(filepath.Join(dir, "none")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a file not there: %v", err)
	}
}

// BenchmarkReadStat: a stat line read by ReadRecord, and by os.ReadFile
// as before, side by side.
func BenchmarkReadStat(b *testing.B) {
	path := "/proc/" + strconv.Itoa(os.Getpid()) + "/stat"
	for _, c := range []struct {
		name string
		read func(string) ([]byte, error)
	}{{"ReadRecord", ReadRecord}, {"os.ReadFile", os.ReadFile}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.read(path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
