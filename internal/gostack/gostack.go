// Package gostack readies a new goroutine's stack for a deep call.
package gostack

// Grow gives the calling goroutine, new and still shallow, a stack of 16
// KiB in one step (the largest the runtime keeps cached by processor: a
// stack of 32 KiB comes from the heap, which cost more than the growth it
// saved). A goroutine starts with a small stack (2 KiB,
// or what the runtime finds goroutines use on average) and doubles it
// each time a call needs more, copying it at each step and adjusting
// every frame on it, which costs more the deeper the calls already are:
// an attempt's launch (fork and exec through os/exec) and its end (the
// engine's update and its log line) went through three or four such
// copies, a few microseconds each. Called first, the one copy there is
// finds only the caller's frame to move. The stack stays that size until
// the goroutine ends, or a collection finds it mostly unused. Not
// inlined: inlined, its frame would be its caller's, for the caller's
// whole life.
//
//go:noinline
func Grow() {
	var frame [12 << 10]byte
	touch(frame[:])
}

// touch keeps frame, which the compiler would otherwise drop.
//
//go:noinline
func touch(frame []byte) {
	if len(frame) == 0 {
		panic("gostack: empty frame")
	}
}
