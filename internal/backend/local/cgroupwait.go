package local

import (
	"bytes"
	"os"
	"path/filepath"
	"time"
)

// dyingLeave waits a little — at most about 2 ms — for the processes an
// ended attempt's process-group kill has just hit (its wrapper's stand-in,
// as a rule) to leave its cgroup, polling one hierarchy's cgroup.procs.
// The cgroup's kill that follows then finds it empty at its first look,
// where it froze the cgroup, signalled and thawed it, and slept a
// millisecond, for a process that was dying anyway: 0.35 ms of the
// server's CPU an attempt (1,000 trivial blocks with a cgroup each).
// Whatever is left after it (what left the process group) is killed by
// the cgroup, as before.
func dyingLeave(cg *attemptCgroup) {
	if cg == nil {
		return
	}
	var procs string
	for _, d := range cg.Dirs {
		procs = filepath.Join(d, "cgroup.procs")
		break
	}
	for i := 0; i < 20; i++ {
		data, err := os.ReadFile(procs)
		if err != nil || len(bytes.TrimSpace(data)) == 0 {
			return
		}
		time.Sleep(100 * time.Microsecond)
	}
}
