package local

import (
	"context"
	"fmt"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/taskenv"
)

// Why a started container checks its own mounts: Borges checks the paths
// it gives the engine right before the start (checkMounts), but the
// engine resolves them itself, when it starts the container, and a
// process of the server's own user can put a link (to its home, say) or
// another directory at the sandbox's path in between; Borges has no way
// to hand the engine the directory it holds rather than a path. What was
// mounted only the started container sees, so with a static borges
// (Config.UnsetHelper) the container's first step is the helper, which
// compares the device and inode of /mnt/borges and /mnt/borges-script
// with those of the sandbox and program Borges holds (taskenv.CheckMounts),
// ends the container with taskenv.MountRefused otherwise, and only then
// makes and enters the working directory and becomes the program (exec).
// An identity, not a marker file: a process of the server's user can
// read a marker put in the sandbox and copy it where its link leads,
// never give a directory another's inode. The identity needs no secret,
// so the check may be read in the container's command line. Borges' own
// code makes it, never the image's (which the document chooses): a
// borges linked dynamically has only the check before the start, and the
// backend says so at its first container (meantMounts).

// mountIDs are the identities of what a container attempt is meant to
// mount: its sandbox (DATA/attempts/ID/sandbox held open) and its
// program (as written).
type mountIDs struct {
	sandbox, script fileID
	// otherKernel: the engine runs containers on another kernel
	// (docker.otherKernel), where no check from inside can be made.
	otherKernel bool
}

// checks are the container's checks of its mounts (taskenv.MountCheck).
func (m mountIDs) checks() []string {
	if m.otherKernel {
		return nil
	}
	return []string{
		taskenv.MountCheck(SandboxPath, m.sandbox.dev, m.sandbox.ino),
		taskenv.MountCheck(ScriptPath, m.script.dev, m.script.ino),
	}
}

// meantMounts is what attempt id's container is meant to mount: the
// sandbox made for it, opened beneath the held DATA/attempts through no
// link, and its program as written there (DATA/attempts/ID/script, a
// link not followed).
func (b *Backend) meantMounts(id string) (mountIDs, error) {
	var script fileID
	var err error
	if script.dev, script.ino, err = b.roots.dir("attempts").IdentityOf(id + "/script"); err != nil {
		return mountIDs{}, fmt.Errorf("program: %w", err)
	}
	sandbox, err := b.nestedPaths(id).openSandbox()
	if err != nil {
		return mountIDs{}, fmt.Errorf("sandbox: %w", err)
	}
	defer sandbox.Close()
	if b.cfg.UnsetHelper == "" {
		// Only the static helper checks from inside; said at the first
		// container, not at each start of a server that may run none.
		b.docker.uncheckedOnce.Do(func() {
			b.log.Warn("containers' mounts are checked from inside only by a static borges: build it with CGO_ENABLED=0")
		})
	}
	m := mountIDs{script: script, otherKernel: b.docker.otherKernel(context.Background())}
	if m.sandbox.dev, m.sandbox.ino, err = sandbox.Identity(); err != nil {
		return mountIDs{}, fmt.Errorf("sandbox: %w", err)
	}
	return m, nil
}

// mountRefused is why a container ended by exit status code refused its
// mounts (taskenv.Refused, read from the beginning of its stderr), ""
// when it did not: its program then ran, and ended so.
func (b *Backend) mountRefused(id string, code int) string {
	if code != taskenv.MountRefused {
		return ""
	}
	data, _, _ := b.ReadLog(context.Background(), id, "stderr", 0, 4<<10)
	return taskenv.Refused(data)
}

// otherKernel reports whether the engine runs containers on a kernel not
// Borges' own (its KernelVersion is not this one's release: a VM's, as
// with Docker Desktop or podman machine), asked once and warned of:
// there a mount's device and inode inside are not those Borges holds,
// and a check from inside would refuse every container. An engine that
// does not answer is taken to be on this kernel (the check is made).
func (d *docker) otherKernel(ctx context.Context) bool {
	d.kernelOnce.Do(func() {
		var u unix.Utsname
		if unix.Uname(&u) != nil {
			return
		}
		info, err := d.cli.Info(ctx)
		if err != nil {
			return
		}
		if own := unix.ByteSliceToString(u.Release[:]); info.KernelVersion != own {
			d.onOtherKernel = true
			d.log.Warn("the Docker engine runs containers on another kernel (a VM's?): their mounts are checked only before the start, not from inside",
				"engine_kernel", info.KernelVersion, "kernel", own)
		}
	})
	return d.onOtherKernel
}
