// Package datadir names a directory as the kernel reaches it: the one
// function the server's configuration, its local backend and the client
// make the data directory (and a setupfile's name) absolute with, so that
// they never name it two ways.
package datadir

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// Abs is path made absolute as the kernel reads a relative path: joined,
// uncleaned, to the kernel's working directory (os.Getwd may answer $PWD,
// which may be spelled through a link, and a lexical cleaning would read
// a ".." after a link as the directory the link is in). An absolute path
// is as it is.
func Abs(path string) (string, error) {
	if filepath.IsAbs(path) {
		return path, nil
	}
	wd, err := unix.Getwd()
	if err != nil {
		return "", err
	}
	return wd + "/" + path, nil
}

// Resolve is the directory path names as the kernel reaches it: absolute
// (Abs), no link, no "." or "..", no slash doubled or trailing. "link/.."
// is the parent of where the link leads. The directory must be there.
func Resolve(path string) (string, error) {
	abs, err := Abs(path)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// Make makes the directory at path (mode 0700) if it is not there, and
// Resolves it.
func Make(path string) (string, error) {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return "", err
	}
	return Resolve(path)
}
