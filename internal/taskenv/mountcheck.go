package taskenv

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
)

// A container's mounts are named by path, and the container engine
// resolves those paths itself when it starts the container: a link put on
// the way after Borges last checked them would have another directory
// mounted. So the container checks them itself, from inside, before it
// runs the program: each mount point's device and inode, which a mount of
// another directory cannot have, against the identity Borges holds of
// what it meant to mount (a check is "PATH=DEV:INO"). A mount that is not
// what it should be ends the container with MountRefused, saying so on
// stderr (MountRefusal), its program never run. Only the static helper
// makes the check (UnsetMain): Borges' own code, which the image, chosen
// by the document, cannot replace. The check needs nothing
// secret: a directory's identity cannot be forged the way a marker file
// put in it can (a process of the server's own user can read and copy
// one).

// MountRefused is the exit status of a container whose mounts were not
// those meant for it.
const MountRefused = 125

// mountRefusalPrefix begins the line that says so.
const mountRefusalPrefix = "borges: "

// MountCheck is the check that path, in the container, is the file or
// directory of device dev and inode ino.
func MountCheck(path string, dev, ino uint64) string {
	return path + "=" + strconv.FormatUint(dev, 10) + ":" + strconv.FormatUint(ino, 10)
}

// MountRefusal is the line a container writes on stderr when path is not
// the one meant for it.
func MountRefusal(path string) string {
	return mountRefusalPrefix + path + " is not the one Borges made for the attempt (a link or another put on its way before the engine mounted it): the program was not run"
}

// workDirRefusal begins the line a container writes on stderr when it
// could not make or enter its working directory (WorkDirArg).
const workDirRefusal = "working directory "

// Refused is what a container's stderr (its beginning) says of a mount it
// refused, or of the working directory it could not make or enter, ""
// when it refused none.
func Refused(stderr []byte) string {
	line, _, _ := strings.Cut(string(stderr), "\n")
	why, ok := strings.CutPrefix(line, mountRefusalPrefix)
	if !ok || !strings.Contains(why, " is not the one Borges made for the attempt ") && !strings.HasPrefix(why, workDirRefusal) {
		return ""
	}
	return why
}

// workDirPrefix begins the argument that names the helper's working
// directory (WorkDirArg), which no variable's name nor mount check
// (an absolute path) begins with.
const workDirPrefix = "cd="

// WorkDirArg is the argument of UnsetMain (before "--") that has it
// make dir as the container engine does (mode 0755, missing parents
// too) and enter it, after the mount checks, before the program runs:
// the engine itself would make it before the checks, through whatever
// its mounts turned out to be.
func WorkDirArg(dir string) string { return workDirPrefix + dir }

// CheckMounts makes the checks (MountCheck) with the file system as this
// process sees it; it returns the refusal of the first that fails.
func CheckMounts(checks []string) error {
	for _, c := range checks {
		path, want, ok := strings.Cut(c, "=")
		if !ok {
			return fmt.Errorf("%s: not a mount check", c)
		}
		var st syscall.Stat_t
		if err := syscall.Stat(path, &st); err != nil || strconv.FormatUint(uint64(st.Dev), 10)+":"+strconv.FormatUint(st.Ino, 10) != want {
			return fmt.Errorf("%s", MountRefusal(path))
		}
	}
	return nil
}

// refuseMounts is UnsetMain's check of the mount checks among its args
// (those before "--" holding '=', which no variable's name does), then
// its entering the working directory (WorkDirArg) they name.
func refuseMounts(args []string) (names []string, refused bool) {
	var checks []string
	dir := ""
	for _, a := range args {
		if d, ok := strings.CutPrefix(a, workDirPrefix); ok {
			dir = d
		} else if strings.Contains(a, "=") {
			checks = append(checks, a)
		} else {
			names = append(names, a)
		}
	}
	if err := CheckMounts(checks); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return nil, true
	}
	if dir != "" {
		err := os.MkdirAll(dir, 0o755)
		if err == nil {
			err = os.Chdir(dir)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s%s%s: %v\n", mountRefusalPrefix, workDirRefusal, dir, err)
			return nil, true
		}
	}
	return names, false
}
