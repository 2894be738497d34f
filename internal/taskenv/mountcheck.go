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
// stderr (MountRefusal), its program never run. The check needs nothing
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

// Refused is what a container's stderr (its beginning) says of a mount it
// refused, "" when it refused none.
func Refused(stderr []byte) string {
	line, _, _ := strings.Cut(string(stderr), "\n")
	if !strings.HasPrefix(line, mountRefusalPrefix) || !strings.Contains(line, " is not the one Borges made for the attempt ") {
		return ""
	}
	return strings.TrimPrefix(line, mountRefusalPrefix)
}

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

// MountStep is the shell text that makes the checks (MountCheck) with the
// image's stat, ending the shell with MountRefused on the first that
// fails (or where the image has no stat to make it with).
func MountStep(checks []string) string {
	var b strings.Builder
	for _, c := range checks {
		path, want, _ := strings.Cut(c, "=")
		fmt.Fprintf(&b, "[ \"$(stat -c %%d:%%i %s 2>/dev/null)\" = %s ] || { echo %s >&2; exit %d; }\n",
			shellQuote(path), shellQuote(want), shellQuote(MountRefusal(path)), MountRefused)
	}
	return b.String()
}

// shellQuote is s as one word of a shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// refuseMounts is UnsetMain's check of the mount checks among its args
// (those before "--" holding '=', which no variable's name does).
func refuseMounts(args []string) (names []string, refused bool) {
	var checks []string
	for _, a := range args {
		if strings.Contains(a, "=") {
			checks = append(checks, a)
		} else {
			names = append(names, a)
		}
	}
	if err := CheckMounts(checks); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return nil, true
	}
	return names, false
}
