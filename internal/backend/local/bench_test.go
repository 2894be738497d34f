package local

import (
	"context"
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
)

// BenchmarkAttempt measures one trivial block from launch to its end and
// its output recorded: as a process, and in a container of the Docker
// engine (what :dockerize costs on this machine).
func BenchmarkAttempt(b *testing.B) {
	for _, c := range []struct {
		name string
		mod  func(*plan.Task)
	}{
		{"process", nil},
		{"container", func(task *plan.Task) {
			task.Container = &plan.Container{Image: outside.TestImage, Kind: "docker", Network: "host"}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			if c.mod != nil {
				outside.Docker(b)
			}
			be, ctx, done := startedBench(b)
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				a := attempt("echo hi", c.mod)
				if err := be.Launch(ctx, a); err != nil {
					b.Fatal(err)
				}
				if u := <-done; u.State != engine.Finished {
					b.Fatalf("attempt: %+v", u)
				}
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/attempt")
		})
	}
}

// BenchmarkCPUBoundBlock runs a CPU-bound shell loop as a block that says
// nothing of its CPUs (the default request, a tenth of a core) and the same
// program directly, and reports how much slower the block is: its :cpu is
// a share, not a cap, so on a machine with CPU to spare it runs at full
// speed (block/direct near 1; a tenth-of-a-core quota made it about 9).
func BenchmarkCPUBoundBlock(b *testing.B) {
	const work = `i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done`
	be, err := New(Config{DataDir: b.TempDir(), CgroupParent: "borges-bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer be.cgroups.Release()
	if be.cgroups == nil || !be.cgroups.Has("cpu") {
		b.Skipf("no cpu controller here: %s", be.Enforcement())
	}
	done := make(chan engine.Update, 16)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	be.Start(ctx, func(u engine.Update) {
		if u.State.Terminal() {
			done <- u
		}
	})
	defaults := plan.DefaultOptions
	var inBlock, direct time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := exec.Command("sh", "-c", work).Run(); err != nil {
			b.Fatal(err)
		}
		direct += time.Since(start)
		a := attempt(work, func(task *plan.Task) {
			task.Resources = plan.Resources{CPUs: defaults.DefaultCPUs, MemMB: defaults.DefaultMemMB, Pids: defaults.DefaultPids}
		})
		start = time.Now()
		if err := be.Launch(ctx, a); err != nil {
			b.Fatal(err)
		}
		if u := <-done; u.State != engine.Finished {
			b.Fatalf("attempt: %+v", u)
		}
		inBlock += time.Since(start)
	}
	b.ReportMetric(float64(inBlock)/float64(direct), "block/direct")
	b.ReportMetric(float64(inBlock.Milliseconds())/float64(b.N), "ms/block")
}

// BenchmarkOutputPipes measures the plumbing of one attempt's outputs
// (newOutputCopy): its three pipes, the server's reading ends, all
// closed again, no process started.
func BenchmarkOutputPipes(b *testing.B) {
	dir := b.TempDir()
	for i := 0; i < b.N; i++ {
		o, err := newOutputCopy(dir, nil, "stdout", "stderr", nil, false)
		if err != nil {
			b.Fatal(err)
		}
		o.closeChildEnds()
		o.readers[0].Close()
		o.readers[1].Close()
		o.life.Close()
	}
}

// BenchmarkReadPipe: the server's own non-blocking reading of a pipe's
// read end (readPipe: a dup, one F_SETFL), beside the baseline of the
// same with unix.SetNonblock (F_GETFL then F_SETFL), in the same run.
func BenchmarkReadPipe(b *testing.B) {
	setNonblock := func(r *os.File) *os.File {
		fd, err := unix.FcntlInt(r.Fd(), unix.F_DUPFD_CLOEXEC, 0)
		if err != nil {
			b.Fatal(err)
		}
		if err := unix.SetNonblock(fd, true); err != nil {
			b.Fatal(err)
		}
		return os.NewFile(uintptr(fd), "|0")
	}
	for _, c := range []struct {
		name string
		read func(*os.File) *os.File
	}{{"setnonblock", setNonblock}, {"setfl", readPipe}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				r, w, err := pipe()
				if err != nil {
					b.Fatal(err)
				}
				rr := c.read(r)
				rr.Close()
				r.Close()
				w.Close()
			}
		})
	}
}

// BenchmarkRecordWrapper: what naming a wrapper on disk costs its launch
// (recordWrapper: its start read from /proc, a line appended to the
// run's wrapper log). Set beside BenchmarkAttempt/process's ms/attempt,
// the launch path's whole.
func BenchmarkRecordWrapper(b *testing.B) {
	be, _, _ := startedBench(b)
	pid := benchSleeper(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := be.recordWrapper(testID("bench.w", i), pid); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWrapperShare: the share of a launch that naming its wrapper
// on disk takes, on a machine others load: each iteration launches a
// trivial block (Launch: its files, its fork and exec, its wrapper
// named) and, just after, names a wrapper for another id (recordWrapper
// alone), so that both see the same load; the medians are compared.
// "fresh": nothing of the launch's attempt is made ahead; "prepared": its
// files are, off the clock, as Prepare makes them (prepare.go).
func BenchmarkWrapperShare(b *testing.B) {
	for _, prepared := range []bool{false, true} {
		b.Run(map[bool]string{false: "fresh", true: "prepared"}[prepared], func(b *testing.B) {
			be, ctx, done := startedBench(b)
			pid := benchSleeper(b)
			launches := make([]time.Duration, 0, b.N)
			records := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				a := attempt("echo hi", nil)
				other := testID("share.w", i)
				if prepared {
					b.StopTimer()
					be.Prepare(a.ID, a.Task)
					b.StartTimer()
				}
				t0 := time.Now()
				if err := be.Launch(ctx, a); err != nil {
					b.Fatal(err)
				}
				t1 := time.Now()
				if err := be.recordWrapper(other, pid); err != nil {
					b.Fatal(err)
				}
				launches = append(launches, t1.Sub(t0))
				records = append(records, time.Since(t1))
				if u := <-done; u.State != engine.Finished {
					b.Fatalf("attempt: %+v", u)
				}
			}
			launch, record := median(launches), median(records)
			b.ReportMetric(float64(launch.Microseconds()), "launch-us")
			b.ReportMetric(float64(record.Microseconds()), "record-us")
			b.ReportMetric(100*float64(record)/float64(launch), "record-%")
		})
	}
}

// median is the middle of ds (sorted in place).
func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	return ds[len(ds)/2]
}

// startedBench is a backend without cgroups, started; done gives its
// attempts' ends.
func startedBench(b *testing.B) (be *Backend, ctx context.Context, done <-chan engine.Update) {
	be, err := New(Config{DataDir: b.TempDir(), CgroupParent: "-"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(be.Close)
	ends := make(chan engine.Update, 16)
	ctx, cancel := context.WithCancel(context.Background())
	b.Cleanup(cancel)
	be.Start(ctx, func(u engine.Update) {
		if u.State.Terminal() {
			ends <- u
		}
	})
	return be, ctx, ends
}

// benchSleeper starts a process that lives as long as the benchmark: a
// wrapper to name.
func benchSleeper(b *testing.B) int {
	cmd := exec.Command("sleep", "1000")
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	return cmd.Process.Pid
}
