// Package cgroup makes a cgroup per task under the process's own cgroup
// (v2, or v1 hierarchies), limits it, and kills it whole: the local
// backend and the Mesos executor share it.
package cgroup

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/plan"
)

// A task is its cgroup: every process an attempt starts stays in the
// attempt's cgroup whatever it does to its process group or session
// (setsid, a double fork), so the cgroup is what Borges limits, counts
// and kills. Attempts' cgroups sit under the server's own cgroup, in a
// directory of this server instance ("<own>/borges-<instance>/<attempt>"),
// so that a limit on the Borges service covers its tasks and two servers
// on one machine never touch each other's. The instance is named once per
// data directory and kept in it, so a restarted server finds the cgroups
// of the attempts that ran on.

// ServerLeaf is where the server moves itself on cgroup v2 when its own
// cgroup must give its controllers to its children: a cgroup with
// processes of its own cannot ("no internal processes").
const ServerLeaf = "borges-server"

// Layout is where this process's own cgroups are: the directory of
// its cgroup in the unified (v2) hierarchy, and in each v1 hierarchy by
// controller.
type Layout struct {
	Unified string
	V1      map[string]string
}

// Discover reads the mounted hierarchies and this process's place in
// them.
func Discover() Layout {
	own, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return Layout{}
	}
	mounts, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return Layout{}
	}
	return ParseLayout(string(own), string(mounts))
}

// ParseLayout joins /proc/self/cgroup ("0::/a/b", "4:memory:/x") with the
// cgroup mounts of /proc/self/mountinfo.
func ParseLayout(own, mountinfo string) Layout {
	l := Layout{V1: map[string]string{}}
	type mount struct{ root, point string }
	var unified *mount
	v1 := map[string]mount{}
	sc := bufio.NewScanner(strings.NewReader(mountinfo))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		sep := -1
		for i, x := range f {
			if x == "-" {
				sep = i
				break
			}
		}
		if sep < 5 || len(f) < sep+4 {
			continue
		}
		m := mount{root: unescapeMount(f[3]), point: unescapeMount(f[4])}
		switch f[sep+1] {
		case "cgroup2":
			if unified == nil {
				unified = &m
			}
		case "cgroup":
			for _, opt := range strings.Split(f[sep+3], ",") {
				if _, seen := v1[opt]; !seen {
					v1[opt] = m
				}
			}
		}
	}
	// dir is where the cgroup path p of a hierarchy mounted as m is.
	dir := func(m mount, p string) (string, bool) {
		rel, ok := strings.CutPrefix(p, m.root)
		if !ok || (rel != "" && m.root != "/" && !strings.HasPrefix(rel, "/")) {
			return "", false
		}
		return filepath.Join(m.point, rel), true
	}
	for _, ln := range strings.Split(own, "\n") {
		parts := strings.SplitN(ln, ":", 3)
		if len(parts) != 3 {
			continue
		}
		if parts[0] == "0" && parts[1] == "" {
			if unified != nil {
				if d, ok := dir(*unified, parts[2]); ok {
					l.Unified = d
				}
			}
			continue
		}
		for _, ctrl := range strings.Split(parts[1], ",") {
			if m, ok := v1[ctrl]; ok {
				if d, ok := dir(m, parts[2]); ok {
					l.V1[ctrl] = d
				}
			}
		}
	}
	return l
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// cgroups is this server instance's cgroup directory, in the unified
// hierarchy (v2) or in each v1 hierarchy it uses.
type Set struct {
	V2 bool
	// dirs is the instance's directory by controller; on v2 the one
	// directory is under the key "".
	Dirs map[string]string
	// controllers are those that limit attempts (memory, cpu, pids; on
	// v1 also freezer, which stops a cgroup while it is signalled).
	Controllers []string

	pool pool // ended attempts' empty cgroups, for the next (pool.go)
}

// V1Controllers are the v1 hierarchies Borges uses; memory and cpu are
// required, the others used where mounted.
var V1Controllers = []string{"memory", "cpu", "pids", "freezer"}

// Setup makes the instance's directory under the server's own
// cgroups: v2 when its hierarchy offers the memory and cpu controllers,
// else v1 when the memory and cpu hierarchies are writable, else v2
// without controllers (tasks are still counted and killed whole). The
// error says why there are none.
func Setup(l Layout, instance string) (*Set, error) {
	if l.Unified != "" {
		ctrl, err := os.ReadFile(filepath.Join(l.Unified, "cgroup.controllers"))
		if err == nil && has(strings.Fields(string(ctrl)), "memory") && has(strings.Fields(string(ctrl)), "cpu") {
			return SetupV2(l.Unified, instance)
		}
	}
	if l.V1["memory"] != "" && l.V1["cpu"] != "" {
		c, err := SetupV1(l.V1, instance)
		if err == nil {
			return c, nil
		}
		if l.Unified == "" {
			return nil, err
		}
	}
	if l.Unified != "" {
		return SetupV2(l.Unified, instance)
	}
	return nil, errors.New("no cgroup hierarchy mounted")
}

// Candidates lists every directory Setup(l, instance) may make: what to
// name before they are made, for whoever cleans up after a process
// killed while making them.
func Candidates(l Layout, instance string) []string {
	var dirs []string
	if l.Unified != "" {
		own := l.Unified
		if filepath.Base(own) == ServerLeaf {
			own = filepath.Dir(own)
		}
		dirs = append(dirs, filepath.Join(own, instance))
	}
	for _, ctrl := range V1Controllers {
		if l.V1[ctrl] != "" {
			dirs = append(dirs, filepath.Join(l.V1[ctrl], instance))
		}
	}
	return dirs
}

func SetupV1(own map[string]string, instance string) (*Set, error) {
	c := &Set{Dirs: map[string]string{}}
	for _, ctrl := range V1Controllers {
		if own[ctrl] == "" {
			continue
		}
		d := filepath.Join(own[ctrl], instance)
		if err := os.Mkdir(d, 0o755); err != nil && !os.IsExist(err) {
			if ctrl == "memory" || ctrl == "cpu" {
				return nil, fmt.Errorf("cgroup v1: %w", err)
			}
			continue
		}
		c.Dirs[ctrl] = d
		c.Controllers = append(c.Controllers, ctrl)
	}
	return c, nil
}

func SetupV2(own, instance string) (*Set, error) {
	// A second backend of one process finds itself in the leaf the
	// first moved it to: the instance goes beside, not under, it.
	if filepath.Base(own) == ServerLeaf {
		own = filepath.Dir(own)
	}
	d := filepath.Join(own, instance)
	if err := os.Mkdir(d, 0o755); err != nil && !os.IsExist(err) {
		return nil, fmt.Errorf("cgroup v2: %w", err)
	}
	c := &Set{V2: true, Dirs: map[string]string{"": d}}
	avail, _ := os.ReadFile(filepath.Join(own, "cgroup.controllers"))
	var enable []string
	for _, ctrl := range []string{"memory", "cpu", "pids"} {
		if has(strings.Fields(string(avail)), ctrl) {
			enable = append(enable, ctrl)
		}
	}
	if len(enable) == 0 {
		return c, nil
	}
	plus := "+" + strings.Join(enable, " +")
	err := writeFile(own, "cgroup.subtree_control", plus)
	if err != nil {
		// The server's own cgroup holds processes (this one): move
		// the server into a leaf beside its instance and try again.
		leaf := filepath.Join(own, ServerLeaf)
		if e := os.Mkdir(leaf, 0o755); e == nil || os.IsExist(e) {
			if writeFile(leaf, "cgroup.procs", strconv.Itoa(os.Getpid())) == nil {
				err = writeFile(own, "cgroup.subtree_control", plus)
			}
		}
	}
	if err == nil {
		err = writeFile(d, "cgroup.subtree_control", plus)
	}
	if err == nil {
		c.Controllers = enable
	}
	return c, nil
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (c *Set) Has(ctrl string) bool { return has(c.Controllers, ctrl) }

func (c *Set) Describe() string {
	var where []string
	for _, k := range append([]string{""}, V1Controllers...) {
		if d, ok := c.Dirs[k]; ok {
			where = append(where, d)
		}
	}
	var limits []string
	if c.Has("memory") {
		limits = append(limits, map[bool]string{true: "memory.max", false: "memory.limit_in_bytes"}[c.V2]+" = :mem")
	}
	if c.Has("cpu") {
		if c.V2 {
			limits = append(limits, "cpu.weight from :cpu (cpu.max with :cpu-limit)")
		} else {
			limits = append(limits, "cpu.shares = 1024 × :cpu (cpu.cfs_quota_us with :cpu-limit)")
		}
	}
	if c.Has("pids") {
		limits = append(limits, "pids.max = :pids")
	}
	if len(limits) == 0 {
		limits = append(limits, "no limits (no controller delegated)")
	}
	version := map[bool]string{true: "cgroup v2", false: "cgroup v1"}[c.V2]
	return fmt.Sprintf("%s, a cgroup per attempt under %s: %s; a task's processes are killed together",
		version, strings.Join(where, ", "), strings.Join(limits, ", "))
}

// Group is one attempt's cgroup, a directory per hierarchy.
type Group struct {
	V2   bool
	Dirs map[string]string // by controller, "" on v2
	mu   sync.Mutex        // one frozen signalling round at a time (Signal)
	// freezes counts Freeze's freezes of this cgroup (Freezes).
	freezes atomic.Int64
}

// Name is the cgroup's name: its attempt's id, or on v1 an earlier
// attempt's (pool.go).
func (a *Group) Name() string {
	for _, d := range a.Dirs {
		return filepath.Base(d)
	}
	return ""
}

// attempt names an attempt's cgroup, whether or not it exists.
func (c *Set) Attempt(id string) *Group {
	a := &Group{V2: c.V2, Dirs: map[string]string{}}
	for k, d := range c.Dirs {
		a.Dirs[k] = filepath.Join(d, id)
	}
	return a
}

// existing is an attempt's cgroup if it is still there (after a restart of
// the server), else nil.
func (c *Set) Existing(id string) *Group {
	if c == nil {
		return nil
	}
	a := c.Attempt(id)
	for _, d := range a.Dirs {
		if _, err := os.Stat(d); err == nil {
			// A server that died in the middle of a kill round left it
			// frozen: its processes neither run nor die until thawed.
			a.Thaw()
			return a
		}
	}
	return nil
}

// OfProcess is the cgroup of this instance that process pid is in, from
// /proc/PID/cgroup (thawed, as Existing's), or nil: a kept cgroup
// (pool.go) is named after an earlier attempt than the one it holds, so
// a restarted server finds a running attempt's cgroup from its process.
func (c *Set) OfProcess(pid int) *Group {
	if c == nil {
		return nil
	}
	data, err := ReadFile("/proc/" + strconv.Itoa(pid) + "/cgroup")
	if err != nil {
		return nil
	}
	name := groupIn(string(data), c.Dirs)
	if name == "" {
		return nil
	}
	return c.Existing(name)
}

// groupIn is the name of the cgroup a /proc/PID/cgroup text (lines
// "ID:CONTROLLERS:PATH", controllers "" on v2) puts its process in, if
// that cgroup is one of the instance's, whose directories per controller
// are dirs: its path's parent is the instance's directory. "" otherwise.
func groupIn(procCgroup string, dirs map[string]string) string {
	for _, line := range strings.Split(procCgroup, "\n") {
		parts := strings.SplitN(line, ":", 3)
		if len(parts) != 3 {
			continue
		}
		for _, ctrl := range strings.Split(parts[1], ",") {
			d, ok := dirs[ctrl]
			if !ok {
				continue
			}
			path := parts[2]
			if name := filepath.Base(path); filepath.Base(filepath.Dir(path)) == filepath.Base(d) && name != "." && name != "/" {
				return name
			}
		}
	}
	return ""
}

// CPUShares is the v1 share of a request of cpus CPUs, as Kubernetes and
// Mesos give it: 1024 per CPU, within the kernel's bounds.
func CPUShares(cpus float64) int64 {
	return min(max(int64(cpus*1024), 2), 262144)
}

// CPUWeight is the v2 weight of the same request, by the conversion
// Kubernetes uses from shares ([2, 262144] onto [1, 10000]).
func CPUWeight(cpus float64) int64 {
	return 1 + (CPUShares(cpus)-2)*9999/262142
}

// CPUPeriod is the CFS period of a hard CPU limit, in µs.
const CPUPeriod = 100000

// create makes the attempt's cgroup, or gives it one kept (named after
// the attempt that left it: pool.go), and writes its limits: memory, a
// proportional CPU share of :cpu, a CPU quota only for :cpu-limit, and the
// most processes it may have at once.
func (c *Set) Create(id string, r plan.Resources) (*Group, error) {
	if c == nil {
		return nil, errors.New("no cgroups")
	}
	if a := c.fromPool(); a != nil {
		if err := c.limit(a, r, true); err != nil {
			a.Remove()
			return nil, err
		}
		return a, nil
	}
	a := c.Attempt(id)
	for _, d := range a.Dirs {
		if err := os.Mkdir(d, 0o755); err != nil && !os.IsExist(err) {
			a.Remove()
			return nil, err
		}
	}
	if err := c.Limit(a, r); err != nil {
		a.Remove()
		return nil, err
	}
	return a, nil
}

func (c *Set) Limit(a *Group, r plan.Resources) error {
	return c.limit(a, r, false)
}

// limit writes a's limits; kept says a is an ended attempt's cgroup
// (pool.go), which holds that attempt's: then every file is written, to
// what a new cgroup has where r asks for nothing (no memory limit, the
// default CPU share, no quota), each once.
func (c *Set) limit(a *Group, r plan.Resources, kept bool) error {
	mem := int64(r.MemMB * 1024 * 1024)
	quota := int64(r.CPULimit * CPUPeriod)
	pids := r.Pids
	if pids <= 0 {
		pids = plan.DefaultPids
	}
	if c.V2 {
		d := a.Dirs[""]
		if c.Has("memory") && mem > 0 {
			if err := writeFile(d, "memory.max", strconv.FormatInt(mem, 10)); err != nil {
				return err
			}
			writeFile(d, "memory.swap.max", "0") // absent without swap accounting
		}
		if c.Has("cpu") {
			if r.CPUs > 0 {
				if err := writeFile(d, "cpu.weight", strconv.FormatInt(CPUWeight(r.CPUs), 10)); err != nil {
					return err
				}
			}
			limit := "max"
			if quota > 0 {
				limit = strconv.FormatInt(max(quota, 1000), 10)
			}
			if err := writeFile(d, "cpu.max", fmt.Sprintf("%s %d", limit, CPUPeriod)); err != nil {
				return err
			}
		}
		if c.Has("pids") {
			return writeFile(d, "pids.max", strconv.Itoa(pids))
		}
		return nil
	}
	if d := a.Dirs["memory"]; d != "" && (mem > 0 || kept) {
		v := "-1"
		if mem > 0 {
			v = strconv.FormatInt(mem, 10)
		}
		// The memory and swap limit may not be below the memory limit:
		// a kept cgroup's lower one goes first where the memory limit
		// rises past it. Without swap accounting the file is absent; the
		// limit then covers memory only.
		if err := writeFile(d, "memory.limit_in_bytes", v); err != nil {
			writeFile(d, "memory.memsw.limit_in_bytes", v)
			if err := writeFile(d, "memory.limit_in_bytes", v); err != nil {
				return err
			}
		} else {
			writeFile(d, "memory.memsw.limit_in_bytes", v)
		}
	}
	if d := a.Dirs["cpu"]; d != "" {
		if r.CPUs > 0 || kept {
			shares := "1024"
			if r.CPUs > 0 {
				shares = strconv.FormatInt(CPUShares(r.CPUs), 10)
			}
			if err := writeFile(d, "cpu.shares", shares); err != nil {
				return err
			}
		}
		if quota > 0 {
			writeFile(d, "cpu.cfs_period_us", strconv.Itoa(CPUPeriod))
			if err := writeFile(d, "cpu.cfs_quota_us", strconv.FormatInt(max(quota, 1000), 10)); err != nil {
				return err
			}
		} else if kept {
			if err := writeFile(d, "cpu.cfs_quota_us", "-1"); err != nil {
				return err
			}
		}
	}
	if d := a.Dirs["pids"]; d != "" {
		return writeFile(d, "pids.max", strconv.Itoa(pids))
	}
	return nil
}

// add moves pid into the attempt's cgroup.
func (a *Group) Add(pid int) error {
	for _, d := range a.Dirs {
		if err := writeFile(d, "cgroup.procs", strconv.Itoa(pid)); err != nil {
			return err
		}
	}
	return nil
}

// procs lists the processes in the cgroup, in any of its hierarchies (a
// process of root's could have moved itself out of one of them).
func (a *Group) Procs() []int {
	seen := map[int]bool{}
	var out []int
	for _, d := range a.Dirs {
		data, err := ReadFile(filepath.Join(d, "cgroup.procs"))
		if err != nil {
			continue
		}
		for _, f := range strings.Fields(string(data)) {
			if pid, err := strconv.Atoi(f); err == nil && pid > 0 && !seen[pid] {
				seen[pid] = true
				out = append(out, pid)
			}
		}
	}
	return out
}

// signal sends sig to every process of the cgroup, the cgroup frozen
// meanwhile so that none forks a child the round misses; SIGKILL on v2 is
// the kernel's cgroup.kill where it has one.
func (a *Group) Signal(sig syscall.Signal) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.V2 && sig == syscall.SIGKILL && writeFile(a.Dirs[""], "cgroup.kill", "1") == nil {
		return
	}
	a.SignalFrozen(sig)
}

// signalFrozen signals every process while the cgroup is frozen; the
// caller holds a.mu or is a test.
func (a *Group) SignalFrozen(sig syscall.Signal) {
	thaw := a.Freeze()
	for _, pid := range a.Procs() {
		syscall.Kill(pid, sig)
	}
	thaw()
}

// freeze stops every process of the cgroup (bounded: a process in an
// uninterruptible sleep can hold a freeze up) and returns what thaws it.
func (a *Group) Freeze() (thaw func()) {
	dir, file, on, off := a.Dirs["freezer"], "freezer.state", "FROZEN", "THAWED"
	if a.V2 {
		dir, file, on, off = a.Dirs[""], "cgroup.freeze", "1", "0"
	}
	if dir == "" || writeFile(dir, file, on) != nil {
		return func() {}
	}
	a.freezes.Add(1)
	for i := 0; i < 100 && !a.Frozen(); i++ {
		time.Sleep(time.Millisecond)
	}
	return func() { writeFile(dir, file, off) }
}

// Freezes is how many times this process froze the cgroup (Freeze)
// through a: what a test of when Kill freezes counts, unaffected by
// other cgroups' kills going on meanwhile.
func (a *Group) Freezes() int64 { return a.freezes.Load() }

// thaw lets a frozen cgroup's processes run again (nothing if it is not
// frozen, or has no freezer).
func (a *Group) Thaw() {
	if a.V2 {
		writeFile(a.Dirs[""], "cgroup.freeze", "0")
	} else if d := a.Dirs["freezer"]; d != "" {
		writeFile(d, "freezer.state", "THAWED")
	}
}

func (a *Group) Frozen() bool {
	if a.V2 {
		return CounterSet(filepath.Join(a.Dirs[""], "cgroup.events"), "frozen")
	}
	state, err := ReadFile(filepath.Join(a.Dirs["freezer"], "freezer.state"))
	return err != nil || strings.TrimSpace(string(state)) == "FROZEN"
}

// Kill SIGKILLs every process of the cgroup, round after round until none
// is left (bounded); it says whether the cgroup is empty. A process
// SIGKILLed forks no more: the first round signals the processes it finds
// one by one (or by cgroup.kill), and the cgroup is frozen for a round
// (Signal) only where that is needed: when a round finds a process not
// signalled before (forked while the first round ran). A process
// signalled is not signalled again: SIGKILL stays pending until it dies,
// however long that takes on a busy machine. Freezing an attempt's cgroup for processes dying
// anyway cost the end of one in ten attempts a millisecond's sleep and
// four writes on a busy machine.
func (a *Group) Kill() bool {
	if a == nil {
		return true
	}
	signalled := map[int]bool{}
	for i := 0; i < 200; i++ {
		procs := a.Procs()
		if len(procs) == 0 {
			return true
		}
		forked := false
		for _, pid := range procs {
			forked = forked || !signalled[pid]
			signalled[pid] = true
		}
		switch {
		case i == 0:
			if !a.V2 || writeFile(a.Dirs[""], "cgroup.kill", "1") != nil {
				a.killListed(procs)
			}
		case forked:
			a.Signal(syscall.SIGKILL)
		}
		time.Sleep(time.Duration(min(i+1, 20)) * time.Millisecond)
	}
	return len(a.Procs()) == 0
}

// killListed SIGKILLs procs, processes a listing of the unfrozen cgroup
// found. A listed process can exit and its number go to a process
// outside the cgroup before the signal: each is pinned by a pidfd first
// and signalled through it only if a listing made after that still has
// its number, so only processes of the cgroup are ever signalled (one
// that exits after the second listing makes its pidfd's signal fail).
// Without pidfds (Linux before 5.3) the cgroup is frozen for the round.
func (a *Group) killListed(procs []int) {
	pinned := make(map[int]int, len(procs))
	defer func() {
		for _, fd := range pinned {
			unix.Close(fd)
		}
	}()
	for _, pid := range procs {
		fd, err := unix.PidfdOpen(pid, 0)
		if errors.Is(err, unix.ENOSYS) {
			a.Signal(syscall.SIGKILL)
			return
		}
		if err == nil {
			pinned[pid] = fd
		}
	}
	for _, pid := range a.Procs() {
		if fd, ok := pinned[pid]; ok {
			unix.PidfdSendSignal(fd, unix.SIGKILL, nil, 0)
		}
	}
}

// remove deletes the attempt's cgroup directories; the kernel lets a
// cgroup go only once its last process has exited, which can lag behind
// the kill a little.
func (a *Group) Remove() {
	if a == nil {
		return
	}
	for _, d := range a.Dirs {
		for i := 0; i < 100; i++ {
			err := os.Remove(d)
			if err == nil || os.IsNotExist(err) || !errors.Is(err, syscall.EBUSY) {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// gone reports whether none of the attempt's directories is left.
func (a *Group) Gone() bool {
	for _, d := range a.Dirs {
		if _, err := os.Stat(d); err == nil {
			return false
		}
	}
	return true
}

// OOMKilled reports whether the kernel killed something in the cgroup for
// want of memory.
func (a *Group) OOMKilled() bool {
	if a == nil {
		return false
	}
	if a.V2 {
		return CounterSet(filepath.Join(a.Dirs[""], "memory.events"), "oom_kill")
	}
	d := a.Dirs["memory"]
	if d == "" {
		return false
	}
	if set, found := counter(filepath.Join(d, "memory.oom_control"), "oom_kill"); found {
		return set
	}
	// Older kernels have no oom_kill counter: a hit limit tells.
	fc, err := ReadFile(filepath.Join(d, "memory.failcnt"))
	return err == nil && strings.TrimSpace(string(fc)) != "0"
}

// sweep kills and removes every attempt cgroup of this instance but those
// of keep: what attempts that ended while the server was down, or were
// lost, left behind.
func (c *Set) Sweep(keep map[string]bool) {
	if c == nil {
		return
	}
	names := map[string]bool{}
	for _, d := range c.Dirs {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			if e.IsDir() && !keep[e.Name()] {
				names[e.Name()] = true
			}
		}
	}
	for name := range names {
		a := c.Attempt(name)
		a.Thaw()
		a.Kill()
		a.Remove()
	}
}

// release kills every attempt of the instance and removes its cgroups
// (tests).
func (c *Set) Release() {
	if c == nil {
		return
	}
	c.Sweep(nil)
	c.RemoveIfEmpty()
}

// removeIfEmpty removes the cgroups kept for later attempts (pool.go) and
// the instance's directories; the kernel refuses while an attempt's
// cgroup is in them.
func (c *Set) RemoveIfEmpty() {
	if c == nil {
		return
	}
	c.Drain()
	for _, d := range c.Dirs {
		os.Remove(d)
	}
}

// CounterSet reports whether a "key value" line of a cgroup file has a
// non-zero value.
func CounterSet(path, key string) bool {
	set, _ := counter(path, key)
	return set
}

// counter reads a "key value" line of a cgroup file: whether its value
// is non-zero, and whether the file has the line.
func counter(path, key string) (set, found bool) {
	data, err := ReadFile(path)
	if err != nil {
		return false, false
	}
	for _, ln := range strings.Split(string(data), "\n") {
		f := strings.Fields(ln)
		if len(f) == 2 && f[0] == key {
			return f[1] != "0", true
		}
	}
	return false, false
}
