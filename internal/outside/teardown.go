package outside

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"
)

// UnmountUnder detaches every mount at or under dir, deepest first: what a
// real cluster's agents or kubelet mounted in a test's directory.
func UnmountUnder(dir string) {
	data, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return
	}
	prefix := filepath.Clean(dir)
	var points []string
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) > 4 && (fields[4] == prefix || strings.HasPrefix(fields[4], prefix+"/")) {
			points = append(points, fields[4])
		}
	}
	sort.Slice(points, func(i, j int) bool { return len(points[i]) > len(points[j]) })
	for _, p := range points {
		syscall.Unmount(p, syscall.MNT_DETACH)
	}
}

// RemoveCgroups removes the cgroups under root (relative to a hierarchy's
// top) in every hierarchy, deepest first; they are empty once the
// processes are gone.
func RemoveCgroups(root string) {
	hierarchies, _ := filepath.Glob("/sys/fs/cgroup/*/" + strings.TrimPrefix(root, "/"))
	for _, h := range hierarchies {
		var dirs []string
		filepath.WalkDir(h, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				dirs = append(dirs, p)
			}
			return nil
		})
		for i := len(dirs) - 1; i >= 0; i-- {
			if err := os.Remove(dirs[i]); err != nil && !errors.Is(err, os.ErrNotExist) {
				// A cgroup a dying process still holds: once more shortly.
				time.Sleep(100 * time.Millisecond)
				os.Remove(dirs[i])
			}
		}
	}
}
