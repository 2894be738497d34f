// Package atomicfile writes a file whole or not at all: a reader finds
// the old file (or none) or the new one, never part of it, whatever
// stops the writer midway.
package atomicfile

import (
	"fmt"
	"os"
	"path/filepath"
)

// Write writes data to path with the mode perm: into a new file beside
// it (so on its file system), synced, then renamed over path. A file
// left aside by a writer stopped midway bears a name no reader asks for
// (".NAME.tmp…"). perm is the mode as given, the umask not applied (as
// os.WriteFile would). The directory is not synced after the rename:
// after a power loss path may hold the old file still, never part of
// either.
func Write(path string, data []byte, perm os.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = f.Chmod(perm)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}
