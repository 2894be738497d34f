package org

import (
	"runtime"
	"syscall"
	"time"
)

// runtimeAllocs measures the bytes allocated between start and bytes.
type runtimeAllocs struct{ before uint64 }

func (r *runtimeAllocs) start() {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	r.before = m.TotalAlloc
}

func (r *runtimeAllocs) bytes() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc - r.before
}

// processCPU is the CPU time (user and system) this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
