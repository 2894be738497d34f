package org

import "runtime"

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
