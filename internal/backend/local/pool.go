package local

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"unsafe"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/sandboxfs"
)

// A removed process attempt's sandbox and output files are recycled, not
// deleted: on the disk this was measured on (ext4 without a journal),
// deleting a file or a directory costs 0.3–0.8 ms of CPU and creating
// one 0.04–1 ms (more the more were deleted in the last 30 s), where
// renaming one costs 20–35 µs. Emptied, they wait in
//
//	DATA/pool/dN  (an empty directory, mode 0700)
//	DATA/pool/fN  (an empty file, mode 0600)
//
// and a new attempt's sandbox or output is renamed out of the pool, where
// it would be made (renameat2 RENAME_NOREPLACE: what exists is never
// replaced). An attempt's files enter the pool only once nothing of the
// attempt can still reach them: at once if it ran in a cgroup found empty
// at its end (settle.go), else once a pass over the processes at its
// removal found none that holds them (holds.go); if not, they are
// deleted as before. On the way in,
// an entry is moved out of the attempt's name to DATA/pool/.stage-N, made
// what a fresh one is — emptied (never following a link), its mode set,
// its owner, size, links, extended attributes and inode flags checked,
// else it is deleted — and only then named dN or fN. A start deletes what
// a crash left staged, checks the named entries again the same way, and
// keeps at most poolMax of each kind: the pool is bounded, and a full
// pool deletes as before.

const (
	poolDir   = "pool"
	poolStage = ".stage-"
)

// poolMax bounds the entries of each kind (a variable for the tests).
var poolMax = 2048

// entry kinds, the first letter of a pool entry's name.
const (
	poolDirs  = 'd'
	poolFiles = 'f'
)

// recycler is the pool of one data directory (nil: none).
type recycler struct {
	dir      string
	uid, gid int
	flags    uint32 // the pool directory's inode flags, which fresh inodes inherit
	mu       sync.Mutex
	ready    map[byte][]string // entries' names by kind, the last recycled last
	staged   map[byte]int      // entries on their way in
	seq      uint64
	off      bool // the file system refused a recycling rename: the pool is not used
	// beforeRename, in tests, runs in takeFile between the entry's open
	// and its rename (given the entry's path).
	beforeRename func(string)
}

// newRecycler opens the pool of dataDir, checking what a previous run left
// there. Where recycled inodes could not be owned as fresh ones are
// (a set-group-ID directory on the way), there is no pool.
func newRecycler(dataDir string) (*recycler, error) {
	dir := filepath.Join(dataDir, poolDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	for _, d := range []string{dir, filepath.Join(dataDir, sandboxesDir), filepath.Join(dataDir, outputsDir)} {
		st, err := os.Lstat(d)
		if err != nil {
			return nil, err
		}
		if st.Mode()&fs.ModeSetgid != 0 {
			return nil, nil
		}
	}
	r := &recycler{dir: dir, uid: os.Geteuid(), gid: os.Getegid(), ready: map[byte][]string{}, staged: map[byte]int{}}
	r.flags = inodeFlags(dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		kind, n, ok := parseEntry(e.Name())
		if ok && n >= r.seq {
			r.seq = n + 1
		}
		if ok && len(r.ready[kind]) < poolMax && r.clean(kind, path) == nil {
			r.ready[kind] = append(r.ready[kind], e.Name())
			continue
		}
		// Staged when a run stopped, unknown, or beyond the bound.
		removeTree(path)
	}
	return r, nil
}

// parseEntry reads a named entry's kind and number.
func parseEntry(name string) (kind byte, n uint64, ok bool) {
	if len(name) < 2 || name[0] != poolDirs && name[0] != poolFiles {
		return 0, 0, false
	}
	n, err := strconv.ParseUint(name[1:], 10, 64)
	return name[0], n, err == nil
}

// take renames a pooled entry of kind to dst (a sandbox, an output's
// path), if the pool has one and dst does not exist; the mode of a file
// is set to mode. It says whether it did: if not, the caller makes dst as
// it would have without a pool.
func (r *recycler) take(kind byte, dst string, mode os.FileMode) bool {
	return r.takeAt(kind, at{nil, dst}, mode)
}

// at is a destination of the pool's: name relative to the directory dir
// holds (nil: name is a path). A held directory's (heldRoots) is one
// name beneath it, resolved from the directory opened at the start: a
// link put at the directory's path is not followed. The Dir is kept, not
// its descriptor's number: once it is closed, nothing is done beneath it
// (os.ErrClosed), not beneath another directory given the number since.
type at struct {
	dir  *sandboxfs.Dir
	name string
}

// in is the destination name in the held directory d.
func in(d *sandboxfs.Dir, name string) at {
	if d == nil {
		// No directory held: nothing is done (rather than name taken
		// as a path).
		d = closedDir
	}
	return at{d, name}
}

// closedDir is a Dir closed: beneath it nothing is done.
var closedDir = func() *sandboxfs.Dir {
	d := &sandboxfs.Dir{}
	d.Close()
	return d
}()

// do runs fn with the descriptor of a's directory (unix.AT_FDCWD for a
// path), kept open while fn runs (sandboxfs.Dir.Use).
func (a at) do(fn func(dir int) error) error {
	if a.dir == nil {
		return fn(unix.AT_FDCWD)
	}
	return a.dir.Use(fn)
}

// takeAt is take to dst, relative to a directory (at).
func (r *recycler) takeAt(kind byte, dst at, mode os.FileMode) bool {
	name, ok := r.pop(kind)
	if !ok || !r.renameOut(kind, name, dst) {
		return false
	}
	if kind == poolFiles && mode != 0o600 {
		dst.do(func(dir int) error { return unix.Fchmodat(dir, dst.name, uint32(mode.Perm()), 0) })
	}
	// Made now, as far as the attempt can tell: not at the removed
	// attempt's time (one syscall; the pool's entries are never links).
	now := unix.Timespec{Nsec: unix.UTIME_NOW}
	dst.do(func(dir int) error {
		return unix.UtimesNanoAt(dir, dst.name, []unix.Timespec{now, now}, unix.AT_SYMLINK_NOFOLLOW)
	})
	return true
}

// pop takes the last recycled entry of kind off the list, if the pool
// has one.
func (r *recycler) pop(kind byte) (string, bool) {
	if r == nil {
		return "", false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	list := r.ready[kind]
	if r.off || len(list) == 0 {
		return "", false
	}
	r.ready[kind] = list[:len(list)-1]
	return list[len(list)-1], true
}

// renameOut renames the pool's entry name, of kind, taken off the list,
// to dst, if dst does not exist. If it cannot, the entry is given back
// (dst exists; or no RENAME_NOREPLACE here, or the pool on another file
// system: the pool is not used from then on), or for any other failure
// (dst's directory gone, the entry gone) dropped from the list: a start
// finds it again.
func (r *recycler) renameOut(kind byte, name string, dst at) bool {
	err := dst.do(func(dir int) error {
		return unix.Renameat2(unix.AT_FDCWD, filepath.Join(r.dir, name), dir, dst.name, unix.RENAME_NOREPLACE)
	})
	switch {
	case err == nil:
		return true
	case errors.Is(err, unix.EEXIST):
		r.giveBack(kind, name)
	case errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EXDEV):
		r.mu.Lock()
		r.off = true
		r.mu.Unlock()
		r.giveBack(kind, name)
	}
	return false
}

// takeFile takes a pooled empty file as dst, opened for writing, if the
// pool has one and dst does not exist; its mode is set to mode. The entry
// is opened first, in the pool, through no link (O_NOFOLLOW; O_NONBLOCK,
// so that a fifo put there does not wait for a reader), and must be an
// empty regular file of one link, Borges' own; only then is it renamed to
// dst (never replacing what is there), dst checked to be the file open
// (device and inode, one fstatat, no link followed), and its mode (if not
// mode already) and times set on the open file, not by dst's path: where
// take and an open beneath dst's directory walked dst's path three times
// more and made ten system calls, this makes seven (os.NewFile's fcntl
// among them). It returns nil if it took nothing: the
// caller makes dst as it would have without a pool (an entry that is not
// what the pool holds is dropped from the list, as take drops one it
// could not rename: a start checks it again).
func (r *recycler) takeFile(dst string, mode os.FileMode) *os.File {
	return r.takeFileAt(at{nil, dst}, dst, mode)
}

// takeFileAt is takeFile to dst, relative to a directory (at), whose
// path is path (the file's name).
func (r *recycler) takeFileAt(dst at, path string, mode os.FileMode) *os.File {
	name, ok := r.pop(poolFiles)
	if !ok {
		return nil
	}
	fd, err := unix.Open(filepath.Join(r.dir, name), unix.O_WRONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG || st.Nlink != 1 || st.Size != 0 ||
		int(st.Uid) != r.uid || int(st.Gid) != r.gid {
		unix.Close(fd)
		return nil
	}
	if r.beforeRename != nil {
		r.beforeRename(filepath.Join(r.dir, name))
	}
	if !r.renameOut(poolFiles, name, dst) {
		unix.Close(fd)
		return nil
	}
	// What the rename put at dst is the file open here: not a substitute
	// put in the pool's entry's place between the open and the rename
	// (by a process of Borges' own user: the pool is its own, 0700).
	var got unix.Stat_t
	if err := dst.do(func(dir int) error { return unix.Fstatat(dir, dst.name, &got, unix.AT_SYMLINK_NOFOLLOW) }); err != nil || got.Dev != st.Dev || got.Ino != st.Ino {
		unix.Close(fd)
		return nil
	}
	if st.Mode&0o7777 != uint32(mode.Perm()) {
		unix.Fchmod(fd, uint32(mode.Perm()))
	}
	// Made now, as far as the attempt can tell (futimens: utimensat on
	// the descriptor itself, no path).
	now := [2]unix.Timespec{{Nsec: unix.UTIME_NOW}, {Nsec: unix.UTIME_NOW}}
	unix.Syscall6(unix.SYS_UTIMENSAT, uintptr(fd), 0, uintptr(unsafe.Pointer(&now[0])), 0, 0, 0)
	// Back to blocking writes (no effect on a regular file, but the
	// os.File then behaves as any other); F_SETFL changes only the
	// status flags, of which it had O_NONBLOCK alone.
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFL, 0); err != nil {
		unix.Close(fd)
		dst.do(func(dir int) error { return unix.Unlinkat(dir, dst.name, 0) })
		return nil
	}
	return os.NewFile(uintptr(fd), path)
}

func (r *recycler) giveBack(kind byte, name string) {
	r.mu.Lock()
	r.ready[kind] = append(r.ready[kind], name)
	r.mu.Unlock()
}

// put recycles path, an ended attempt's sandbox (poolDirs) or output
// (poolFiles) nothing of which can still reach it: into the pool, emptied,
// or deleted as before when the pool is full or path is not what a fresh
// entry would be made. A missing path is no error.
func (r *recycler) put(kind byte, path string) error {
	return r.putAt(kind, at{nil, path})
}

// putAt is put of src, relative to a directory (at).
func (r *recycler) putAt(kind byte, src at) error {
	e, ok, err := r.stageInAt(kind, src)
	if !ok {
		return err
	}
	return r.settle(e)
}

// staged is an entry on its way into the pool, out of its attempt's name.
type staged struct {
	kind       byte
	name, path string // its name in the pool to be, where it is now
}

// stageInAt moves src out of its attempt's name into the pool's staging
// area, where it waits to be settled (emptied and named) or dropped. If
// the pool is full (or off), or nothing is at src, src is deleted as
// before and ok is false. src is relative to a directory (at): a held
// directory's entry is moved out of the directory held, not out of
// whatever its path leads to now.
func (r *recycler) stageInAt(kind byte, src at) (e staged, ok bool, err error) {
	name, ok := r.reserve(kind)
	if !ok {
		return staged{}, false, removeAt(kind, src)
	}
	stage := filepath.Join(r.dir, poolStage+name)
	// Out of the attempt's name first: whatever happens next, the
	// attempt's files are gone, and a start deletes what is staged.
	if err := src.do(func(dir int) error { return unix.Renameat(dir, src.name, unix.AT_FDCWD, stage) }); err != nil {
		r.unreserve(kind, "")
		// Nothing there, or the pool's directory gone: deleted as before.
		return staged{}, false, removeAt(kind, src)
	}
	return staged{kind: kind, name: name, path: stage}, true, nil
}

// settle makes a staged entry what a fresh one is and names it in the
// pool, or deletes it if it cannot be.
func (r *recycler) settle(e staged) error {
	if err := r.clean(e.kind, e.path); err != nil {
		return r.drop(e)
	}
	if err := os.Rename(e.path, filepath.Join(r.dir, e.name)); err != nil {
		return r.drop(e)
	}
	r.unreserve(e.kind, e.name)
	return nil
}

// drop deletes a staged entry, as its attempt's removal did before the
// pool.
func (r *recycler) drop(e staged) error {
	r.unreserve(e.kind, "")
	return removeTree(e.path)
}

// removeAt deletes src, relative to a directory (at), as a removal did
// before the pool.
func removeAt(kind byte, src at) error {
	if kind == poolDirs {
		return removeTreeAt(src)
	}
	if err := src.do(func(dir int) error { return unix.Unlinkat(dir, src.name, 0) }); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return &os.PathError{Op: "remove", Path: src.name, Err: err}
	}
	return nil
}

// reserve counts an entry of kind on its way in and names it, unless the
// pool is full (or off).
func (r *recycler) reserve(kind byte) (string, bool) {
	if r == nil {
		return "", false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.off || len(r.ready[kind])+r.staged[kind] >= poolMax {
		return "", false
	}
	r.staged[kind]++
	r.seq++
	return string(kind) + strconv.FormatUint(r.seq, 10), true
}

// unreserve ends an entry's way in: ready under name, or dropped ("").
func (r *recycler) unreserve(kind byte, name string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.staged[kind]--
	if name != "" {
		r.ready[kind] = append(r.ready[kind], name)
	}
}

// errNotFresh: what was to be recycled cannot be made what a fresh entry
// is; it is deleted instead.
var errNotFresh = errors.New("not recyclable")

// clean makes the pool's entry at path what a fresh one is, or says it
// cannot be.
func (r *recycler) clean(kind byte, path string) error {
	if kind == poolDirs {
		return r.cleanDir(path)
	}
	return r.cleanFile(path)
}

// cleanDir empties a directory (never following a link: removeTree) and
// gives it mode 0700. It must be a directory, not a link to one, owned as
// a fresh one is, no larger than a fresh one (a directory that held many
// entries keeps its size), without extended attributes (a default ACL
// would be inherited by the next attempt's files) or inode flags a fresh
// one would not have.
func (r *recycler) cleanDir(path string) error {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	d := os.NewFile(uintptr(fd), path)
	defer d.Close()
	if err := r.checkInode(fd, unix.S_IFDIR); err != nil {
		return err
	}
	names, err := d.Readdirnames(-1)
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := removeTree(filepath.Join(path, name)); err != nil {
			return err
		}
	}
	if _, err := d.Seek(0, io.SeekStart); err != nil {
		return err
	}
	if left, err := d.Readdirnames(1); len(left) > 0 || !errors.Is(err, io.EOF) {
		return errors.Join(errNotFresh, err)
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return err
	}
	if st.Size > st.Blksize {
		return errNotFresh
	}
	return unix.Fchmod(fd, 0o700)
}

// cleanFile empties a regular file and gives it mode 0600. It must be a
// regular file (not a link, a fifo, a device: checked before it is
// opened), of one link (a second name would reach the next attempt's
// output), owned as a fresh one is, without extended attributes or inode
// flags a fresh one would not have.
func (r *recycler) cleanFile(path string) error {
	var before unix.Stat_t
	if err := unix.Lstat(path, &before); err != nil {
		return err
	}
	if before.Mode&unix.S_IFMT != unix.S_IFREG {
		return errNotFresh
	}
	fd, err := unix.Open(path, unix.O_WRONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_NOCTTY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer unix.Close(fd)
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return err
	}
	if st.Dev != before.Dev || st.Ino != before.Ino || st.Nlink != 1 {
		return errNotFresh
	}
	if err := r.checkInode(fd, unix.S_IFREG); err != nil {
		return err
	}
	if st.Size != 0 {
		if err := unix.Ftruncate(fd, 0); err != nil {
			return err
		}
	}
	return unix.Fchmod(fd, 0o600)
}

// checkInode checks an open entry's type, owner, extended attributes and
// inode flags against a fresh one's.
func (r *recycler) checkInode(fd int, typ uint32) error {
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return err
	}
	if st.Mode&unix.S_IFMT != typ || int(st.Uid) != r.uid || int(st.Gid) != r.gid {
		return errNotFresh
	}
	if n, err := unix.Flistxattr(fd, nil); err == nil && n > 0 {
		return errNotFresh
	}
	if fdFlags(fd)&recycleFlags != r.flags&recycleFlags {
		return errNotFresh
	}
	return nil
}

// recycleFlags are the inode flags (chattr; linux/fs.h) that change who
// may do what to an inode or how it is written — sync, immutable, append
// only, no dump, no atime, data journalling, dirsync, no copy on write: a
// fresh entry has those of the pool's directory it inherits them from
// (none, as a rule).
const recycleFlags = 0x8 | 0x10 | 0x20 | 0x40 | 0x80 | 0x4000 | 0x10000 | 0x800000

// fdFlags are an open inode's flags (0 where the file system has none).
func fdFlags(fd int) uint32 {
	v, err := unix.IoctlGetUint32(fd, unix.FS_IOC_GETFLAGS)
	if err != nil {
		return 0
	}
	return v
}

// inodeFlags are the flags of the inode at path.
func inodeFlags(path string) uint32 {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_CLOEXEC|unix.O_NONBLOCK, 0)
	if err != nil {
		return 0
	}
	defer unix.Close(fd)
	return fdFlags(fd)
}
