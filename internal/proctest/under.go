package proctest

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wallyqs/borges/internal/proclist"
)

// Under lists the live processes whose working directory, or a value of
// whose environment, is under dir: a Mesos agent's executors and their
// tasks (a real agent's or the fake's) run in sandboxes of its work
// directory and carry it in MESOS_* variables, and whatever they start
// inherits them, a process that left its task's tree and session too.
func Under(dir string) []int {
	var pids []int
	prefix := filepath.Clean(dir) + "/"
	needle := []byte("=" + prefix)
	for _, p := range proclist.All() {
		// A zombie waits only for its parent to reap it.
		if p.PID == os.Getpid() || p.Zombie() {
			continue
		}
		dir := filepath.Join("/proc", strconv.Itoa(p.PID))
		if cwd, err := os.Readlink(filepath.Join(dir, "cwd")); err == nil && strings.HasPrefix(cwd+"/", prefix) {
			pids = append(pids, p.PID)
			continue
		}
		if env, err := os.ReadFile(filepath.Join(dir, "environ")); err == nil && bytes.Contains(env, needle) {
			pids = append(pids, p.PID)
		}
	}
	return pids
}
