package local

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/wallyqs/borges/internal/sandboxfs"
)

// A process attempt's wrapper is known to a restarted server by its pid
// and its start (in clock ticks since boot, field 22 of /proc/PID/stat),
// which together name one process even where the pid is reused. Launch
// writes them, once the wrapper is forked and before it is let past its
// gate, beside the attempt's outputs,
//
//	DATA/outputs/SHARD/ID.wrapper  ("PID START BOOT\n")
//
// written to ID.wrapper.new beneath the shard's directory through no link
// (made empty ahead of the launch by Prepare, where the engine asks it),
// then renamed: a reader finds the whole line or nothing. A wrapper whose
// line could not be written is held at its gate (it starts nothing), so
// that every wrapper a Borges of this version let in is named so; not
// synced, since it matters only while the wrapper may still run, which a
// crash of the machine ends. Recover takes the process so named, if it
// runs and carries the attempt's exit file, and no other (recoverWrapper);
// where the file is missing or unreadable (an attempt of an older Borges,
// or one whose file was removed or spoiled), the rules of before apply
// (launches.before, lookAt). BOOT is the machine's boot id: a file of
// another boot names a wrapper that ended with it, whatever runs now with
// its pid and start (both counted again from the boot); a file without
// it (the id unreadable) is taken as of this boot. A server restarted in
// another time namespace reads other starts (see launches.before): its
// running attempts' wrappers are then not matched, and reported lost.

// wrapperMax bounds what is read of the file: a line of two numbers.
const wrapperMax = 64

// wrapperID is a wrapper's pid and start.
type wrapperID struct {
	pid   int
	start uint64
}

// wrapperFile is where attempt id's wrapper is named: a root and a name
// beneath it.
func (b *Backend) wrapperFile(id string) (root, name string) {
	return b.flatPaths(id).outRoot, id + ".wrapper"
}

// recordWrapper names process pid, just forked and held at its gate, as
// attempt id's wrapper.
func (b *Backend) recordWrapper(id string, pid int) error {
	p, err := procStat(pid)
	if err != nil {
		return err
	}
	root, name := b.wrapperFile(id)
	line := strconv.Itoa(pid) + " " + strconv.FormatUint(p.Start, 10)
	if boot := machineBoot(); boot != "" {
		line += " " + boot
	}
	line += "\n"
	// Made ahead by Prepare (prepare.go), else a removed attempt's
	// file, emptied, rather than a new inode (pool.go), where the pool
	// has one: on some disks a file's creation costs most of what this
	// does.
	if !b.recall(&b.wrapPrepared, id) {
		b.pool.take(poolFiles, filepath.Join(root, name+".new"), 0o600)
	}
	if err := sandboxfs.WriteFile(root, name+".new", []byte(line), 0o600); err != nil {
		return err
	}
	// A link at name is replaced, not followed.
	return os.Rename(filepath.Join(root, name+".new"), filepath.Join(root, name))
}

// recordedWrapper reads the pid and start of attempt id's wrapper, if its
// file is there and holds one line of two numbers and maybe a boot id
// (through no link). A wrapper of another boot is returned as pid 0:
// none runs.
func (b *Backend) recordedWrapper(id string) (wrapperID, bool) {
	root, name := b.wrapperFile(id)
	data, size, err := sandboxfs.ReadAt(root, name, 0, wrapperMax)
	if err != nil || size == 0 || size > wrapperMax || !strings.HasSuffix(string(data), "\n") {
		return wrapperID{}, false
	}
	f := strings.Split(strings.TrimSuffix(string(data), "\n"), " ")
	if len(f) != 2 && len(f) != 3 {
		return wrapperID{}, false
	}
	pid, err := strconv.Atoi(f[0])
	if err != nil || pid <= 1 {
		return wrapperID{}, false
	}
	start, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return wrapperID{}, false
	}
	if len(f) == 3 && f[2] != machineBoot() {
		return wrapperID{}, true
	}
	return wrapperID{pid: pid, start: start}, true
}

// machineBoot is the machine's boot id ("" where it cannot be read; a
// variable: tests).
var machineBoot = sync.OnceValue(func() string {
	data, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
})
