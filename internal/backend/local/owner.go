package local

import (
	"archive/tar"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/docker/docker/api/types/container"
	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/sandboxfs"
)

// The sandbox of a container attempt belongs to the user the container
// runs as (the image's configured User: Borges keeps it), with mode 0755:
// that user can write in it, nobody else can, and it is not world-writable
// (it was 0777 once, so that any image user could write).
//
// The owner is the numeric uid the engine will run the program as. A
// numeric User ("65534", "65534:65534") is used as it is; a name
// ("nobody", "app:staff") is looked up in the image's own /etc/passwd and
// /etc/group, copied out of the created container before it starts —
// the very files the engine resolves the name with at start, so both
// agree. A name the image does not list fails the attempt (the engine
// would refuse to start it anyway).
//
// Borges not running as root cannot give a directory away, and an engine
// that remaps users (userns-remap) runs the container's user as a host uid
// Borges does not know: the sandbox is then made writable by all (0777)
// and a warning logged; it stays out of reach of the host's other users,
// since the data directory's attempts/ is 0700. Every file Borges opens in a sandbox is opened without
// following links (internal/sandboxfs), whoever owns it.

// ownSandbox gives the sandbox (and a relative :dir in it) to the user
// the created container will run as.
func (b *Backend) ownSandbox(ctx context.Context, containerID string, a *engine.Attempt) error {
	info, err := b.docker.cli.ContainerInspect(ctx, containerID)
	if err != nil {
		return fmt.Errorf("inspecting the container: %w", err)
	}
	user := ""
	if info.Config != nil {
		user = info.Config.User
	}
	uid, gid, err := b.docker.resolveUser(ctx, containerID, user)
	if err != nil {
		return err
	}
	remapped := b.docker.remapsUsers(ctx)
	// Beneath the sandbox made for it (DATA/attempts/ID/sandbox, held
	// open); mounted only if its path still leads to it (checkMounts).
	sandbox, err := b.nestedPaths(a.ID).openSandbox()
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	defer sandbox.Close()
	dirs := []string{"."}
	// A relative :dir the engine would otherwise create as root, where
	// the program could not write.
	if d := a.Task.Dir; d != "" && !filepath.IsAbs(d) && engine.SandboxPath(filepath.Clean(d)) {
		cur := "."
		for _, part := range strings.Split(filepath.Clean(d), "/") {
			cur = path.Join(cur, part)
			if err := sandbox.Mkdir(cur, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
				return fmt.Errorf(":dir %s: %w", d, err)
			}
			dirs = append(dirs, cur)
		}
	}
	for _, dir := range dirs {
		shared, err := giveTo(sandbox, dir, uid, gid, remapped, 0o755, 0o777)
		if shared {
			b.log.Warn("Borges cannot give the sandbox to the container's user (not root, or the engine remaps users): it is made writable by all",
				"attempt", a.ID, "user", user, "uid", uid)
		}
		if err != nil {
			return fmt.Errorf("sandbox: %w", err)
		}
	}
	return ownStaged(sandbox, a.Files, uid, gid, remapped)
}

// resolveUser is the uid and gid a container's User means: "" is root,
// numbers are themselves, names are read from the container's
// /etc/passwd and /etc/group. A user without a group gets its primary
// group (from /etc/passwd), else 0, as the engine does.
func (d *docker) resolveUser(ctx context.Context, containerID, user string) (uid, gid int, err error) {
	if user == "" {
		return 0, 0, nil
	}
	name, group, hasGroup := strings.Cut(user, ":")
	uid, err = strconv.Atoi(name)
	gid = 0
	if err != nil || !hasGroup {
		passwd, perr := d.imageFile(ctx, containerID, "/etc/passwd")
		entry, found := lookup(passwd, name, err != nil)
		if err != nil {
			if !found {
				return 0, 0, fmt.Errorf("the image's user %q is not in its /etc/passwd (%v)", name, perr)
			}
			uid, _ = strconv.Atoi(entry[2])
		}
		if found && len(entry) > 3 {
			gid, _ = strconv.Atoi(entry[3])
		}
	}
	if hasGroup {
		if g, err := strconv.Atoi(group); err == nil {
			gid = g
		} else {
			groups, gerr := d.imageFile(ctx, containerID, "/etc/group")
			entry, found := lookup(groups, group, true)
			if !found {
				return 0, 0, fmt.Errorf("the image's group %q is not in its /etc/group (%v)", group, gerr)
			}
			gid, _ = strconv.Atoi(entry[2])
		}
	}
	if uid < 0 || gid < 0 {
		return 0, 0, fmt.Errorf("the image's user %q is not a valid uid:gid", user)
	}
	return uid, gid, nil
}

// lookup finds an entry of a passwd or group file by name (byName) or by
// its numeric id (the third field).
func lookup(file []byte, key string, byName bool) ([]string, bool) {
	sc := bufio.NewScanner(strings.NewReader(string(file)))
	for sc.Scan() {
		f := strings.Split(sc.Text(), ":")
		if len(f) < 3 {
			continue
		}
		if _, err := strconv.Atoi(f[2]); err != nil {
			continue
		}
		if byName && f[0] == key || !byName && f[2] == key {
			return f, true
		}
	}
	return nil, false
}

// imageFile reads a small regular file of a created container's file
// system (a link or anything else is not read).
func (d *docker) imageFile(ctx context.Context, containerID, name string) ([]byte, error) {
	rc, _, err := d.cli.CopyFromContainer(ctx, containerID, name)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	tr := tar.NewReader(rc)
	h, err := tr.Next()
	if err != nil {
		return nil, err
	}
	if h.Typeflag != tar.TypeReg {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	return io.ReadAll(io.LimitReader(tr, 1<<20))
}

// remapsUsers reports whether the engine runs containers in a user
// namespace of its own (userns-remap), asked once.
func (d *docker) remapsUsers(ctx context.Context) bool {
	d.usernsOnce.Do(func() {
		info, err := d.cli.Info(ctx)
		if err != nil {
			return
		}
		for _, o := range info.SecurityOptions {
			if strings.Contains(o, "name=userns") {
				d.userns = true
			}
		}
	})
	return d.userns
}

// giveTo gives rel, a file or directory beneath sandbox ("." for the
// sandbox itself), to uid and gid with mode, through no link
// (sandboxfs.Own). Where Borges cannot give it away (not root: EPERM, or
// an engine that remaps users: remapped) it sets shared instead, and
// says so (sharedUsed).
func giveTo(sandbox *sandboxfs.Dir, rel string, uid, gid int, remapped bool, mode, shared os.FileMode) (sharedUsed bool, err error) {
	err = os.ErrPermission
	if !remapped {
		err = sandbox.Own(rel, uid, gid, mode)
	}
	if errors.Is(err, os.ErrPermission) {
		return true, sandbox.Own(rel, -1, -1, shared)
	}
	return false, err
}

// checkMounts says (nil) that the paths the engine is to mount for
// attempt a (host.Binds: its sandbox, its program) lead, links followed
// as the engine follows them, to the sandbox made for it beneath
// DATA/attempts held open and to the program written for it (script, as
// it was when written), by device and inode; else why not. Run right
// before the container starts, it refuses what is already on the way;
// the engine resolves the paths itself when it starts the container, so
// what a process of the server's own user puts on the way after this
// check the started container finds, from inside, before its program
// runs (mountcheck.go).
func (b *Backend) checkMounts(a *engine.Attempt, host *container.HostConfig, script fileID) error {
	if len(host.Binds) < 2 {
		return fmt.Errorf("sandbox: no mounts to check")
	}
	sandboxSrc, _, _ := strings.Cut(host.Binds[0], ":")
	scriptSrc, _, _ := strings.Cut(host.Binds[1], ":")
	p := b.nestedPaths(a.ID)
	if sandboxSrc != p.sandboxDir() {
		return fmt.Errorf("sandbox: %s is not the sandbox made for the attempt: refusing to mount it", sandboxSrc)
	}
	sandbox, err := p.openSandbox()
	if err != nil {
		return fmt.Errorf("sandbox: %w", err)
	}
	defer sandbox.Close()
	if err := sameDir(sandboxSrc, sandbox); err != nil {
		return err
	}
	var st unix.Stat_t
	if err := unix.Stat(scriptSrc, &st); err != nil || uint64(st.Dev) != script.dev || st.Ino != script.ino || st.Mode&unix.S_IFMT != unix.S_IFREG {
		return fmt.Errorf("the program: %s is no longer the file written for the attempt (replaced since, or a link on its way): refusing to mount it", scriptSrc)
	}
	return nil
}

// sameDir says (nil) that path, links followed as the engine follows
// them when it mounts it, leads to the directory dir holds; else why
// not: a directory moved there, or a link put on the way, since it was
// made.
func sameDir(path string, dir *sandboxfs.Dir) error {
	dev, ino, err := dir.Identity()
	if err != nil {
		return err
	}
	var st unix.Stat_t
	if err := unix.Stat(path, &st); err != nil || uint64(st.Dev) != dev || st.Ino != ino {
		return fmt.Errorf("sandbox: %s is no longer the directory made for the attempt (replaced since, or a link on its way): refusing to mount it", path)
	}
	return nil
}
