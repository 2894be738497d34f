package local

import (
	"io"
	"os"
	"sync"
)

// devNull is the standard input of every process attempt, opened once for
// the server's life: left nil, exec.Cmd opens /dev/null for each process
// and closes it after the start (an open, a close and the runtime's
// attempt to poll it: 1.4 % of the server's CPU in a profile of
// BenchmarkThousandBlocks). The child gets the same: /dev/null, read only.
// Should it not open, it is nil and exec.Cmd opens its own.
var devNull = sync.OnceValue(func() *os.File {
	f, err := os.Open(os.DevNull)
	if err != nil {
		return nil
	}
	return f
})

// attemptStdin is a process attempt's Cmd.Stdin: the shared /dev/null,
// else an untyped nil, so that exec.Cmd opens its own.
func attemptStdin() io.Reader {
	if f := devNull(); f != nil {
		return f
	}
	return nil
}
