package local

import (
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// BenchmarkOutputFirstWrite: an attempt's output file made at its first
// write from a pooled empty file, written and closed, as the thousand
// blocks' outputs are (the file put back into the pool between, off the
// clock). cpu-us/op is the CPU time of the take, the write and the close.
func BenchmarkOutputFirstWrite(b *testing.B) {
	// Its CPU time is the thread's: kept on one.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	dir := b.TempDir()
	if err := makeLayout(dir); err != nil {
		b.Fatal(err)
	}
	r, err := newRecycler(dir)
	if err != nil || r == nil {
		b.Fatalf("pool: %v, %v", r, err)
	}
	out := filepath.Join(dir, outputsDir, "0")
	line := []byte("block 1\n")
	var cpu time.Duration
	for i := 0; i < b.N; i++ {
		name := strconv.Itoa(i) + ".stdout"
		b.StopTimer()
		if i > 0 {
			if err := r.put(poolFiles, filepath.Join(out, strconv.Itoa(i-1)+".stdout")); err != nil {
				b.Fatal(err)
			}
		}
		cpu0 := threadCPU()
		b.StartTimer()
		o := &outputFile{dir: out, name: name, pool: r}
		if _, err := o.Write(line); err != nil {
			b.Fatal(err)
		}
		o.Close()
		b.StopTimer()
		cpu += threadCPU() - cpu0
		b.StartTimer()
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N)/1000, "cpu-us/op")
}

// threadCPU is the CPU time of the calling thread.
func threadCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
