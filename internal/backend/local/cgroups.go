package local

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/wallyqs/borges/internal/plan"
)

const cgroupRoot = "/sys/fs/cgroup"

// cgroups creates one cgroup per attempt with its memory and CPU limits:
// the unified hierarchy (v2) when it has the memory and cpu controllers,
// else the v1 memory and cpu hierarchies.
type cgroups struct {
	v2     bool
	parent string
	memDir string // v1
	cpuDir string // v1
}

func detectCgroups(parent string) *cgroups { return detectCgroupsAt(cgroupRoot, parent) }

// detectCgroupsAt looks for a usable hierarchy mounted at root.
func detectCgroupsAt(cgroupRoot, parent string) *cgroups {
	if ctrl, err := os.ReadFile(filepath.Join(cgroupRoot, "cgroup.controllers")); err == nil {
		fields := strings.Fields(string(ctrl))
		if has(fields, "memory") && has(fields, "cpu") {
			dir := filepath.Join(cgroupRoot, parent)
			if err := os.MkdirAll(dir, 0o755); err == nil {
				// Controllers must be enabled for the children.
				os.WriteFile(filepath.Join(cgroupRoot, "cgroup.subtree_control"), []byte("+memory +cpu"), 0o644)
				if os.WriteFile(filepath.Join(dir, "cgroup.subtree_control"), []byte("+memory +cpu"), 0o644) == nil {
					return &cgroups{v2: true, parent: dir}
				}
			}
		}
		return nil
	}
	mem := filepath.Join(cgroupRoot, "memory", parent)
	cpu := filepath.Join(cgroupRoot, "cpu", parent)
	if os.MkdirAll(mem, 0o755) != nil || os.MkdirAll(cpu, 0o755) != nil {
		return nil
	}
	return &cgroups{memDir: mem, cpuDir: cpu}
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (c *cgroups) describe() string {
	if c.v2 {
		return "cgroup v2: memory.max and cpu.max per attempt"
	}
	return "cgroup v1: memory.limit_in_bytes and cpu.cfs_quota_us per attempt"
}

// create makes the attempt's cgroup(s) and sets its limits.
func (c *cgroups) create(id string, r plan.Resources) (string, error) {
	if c == nil {
		return "", errors.New("no cgroups")
	}
	write := func(dir, file, value string) error {
		return os.WriteFile(filepath.Join(dir, file), []byte(value), 0o644)
	}
	period := 100000
	quota := int(r.CPUs * float64(period))
	mem := int64(r.MemMB * 1024 * 1024)
	if c.v2 {
		dir := filepath.Join(c.parent, id)
		if err := os.Mkdir(dir, 0o755); err != nil && !os.IsExist(err) {
			return "", err
		}
		if mem > 0 {
			if err := write(dir, "memory.max", strconv.FormatInt(mem, 10)); err != nil {
				return "", err
			}
			write(dir, "memory.swap.max", "0")
		}
		if quota > 0 {
			if err := write(dir, "cpu.max", fmt.Sprintf("%d %d", quota, period)); err != nil {
				return "", err
			}
		}
		return id, nil
	}
	md, cd := filepath.Join(c.memDir, id), filepath.Join(c.cpuDir, id)
	if err := os.Mkdir(md, 0o755); err != nil && !os.IsExist(err) {
		return "", err
	}
	if err := os.Mkdir(cd, 0o755); err != nil && !os.IsExist(err) {
		return "", err
	}
	if mem > 0 {
		if err := write(md, "memory.limit_in_bytes", strconv.FormatInt(mem, 10)); err != nil {
			return "", err
		}
		// Without swap accounting this file is absent; the limit then
		// covers memory only.
		write(md, "memory.memsw.limit_in_bytes", strconv.FormatInt(mem, 10))
	}
	if quota > 0 {
		write(cd, "cpu.cfs_period_us", strconv.Itoa(period))
		if err := write(cd, "cpu.cfs_quota_us", strconv.Itoa(max(quota, 1000))); err != nil {
			return "", err
		}
	}
	return id, nil
}

func (c *cgroups) dirs(name string) []string {
	if c.v2 {
		return []string{filepath.Join(c.parent, name)}
	}
	return []string{filepath.Join(c.memDir, name), filepath.Join(c.cpuDir, name)}
}

// add moves pid into the cgroup.
func (c *cgroups) add(name string, pid int) error {
	for _, d := range c.dirs(name) {
		if err := os.WriteFile(filepath.Join(d, "cgroup.procs"), []byte(strconv.Itoa(pid)), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// oomKilled reports whether the kernel killed something in the cgroup for
// want of memory.
func (c *cgroups) oomKilled(name string) bool {
	if c == nil || name == "" {
		return false
	}
	if c.v2 {
		return counterSet(filepath.Join(c.parent, name, "memory.events"), "oom_kill")
	}
	if counterSet(filepath.Join(c.memDir, name, "memory.oom_control"), "oom_kill") {
		return true
	}
	// Older kernels have no oom_kill counter: a hit limit tells.
	fc, err := os.ReadFile(filepath.Join(c.memDir, name, "memory.failcnt"))
	return err == nil && strings.TrimSpace(string(fc)) != "0"
}

// remove deletes the cgroup once its processes are gone.
func (c *cgroups) remove(name string) {
	if c == nil || name == "" {
		return
	}
	for _, d := range c.dirs(name) {
		os.Remove(d)
	}
}

// counterSet reports whether a "key value" line of a cgroup file has a
// non-zero value.
func counterSet(path, key string) bool {
	data, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	for _, ln := range strings.Split(string(data), "\n") {
		f := strings.Fields(ln)
		if len(f) == 2 && f[0] == key && f[1] != "0" {
			return true
		}
	}
	return false
}
