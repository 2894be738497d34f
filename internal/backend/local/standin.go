package local

import (
	"os"

	"github.com/wallyqs/borges/internal/sandboxfs"
)

// standInFiles opens, for a stand-in (wrapperHead: no keeper holds the
// outputs), the attempt's output files beneath dir, the outputs' shard
// held open (heldRoots), through no link, created if need be (emptied
// of a previous run's under the same id, as the server's copy empties
// it), for appending: the stand-in is handed them as descriptors 3 (stdout) and 9
// (stderr), and never opens a file by its path, where a task (running as
// the server's user) could have put a link, at the file or at a
// directory above it. The server's own copy writes to the same files
// (its outputFile is given them), so that the stand-in appends where it
// stopped. They are made at the launch, not at the first byte: a stand-in
// is the rare case of a keeper that could not be started. One that cannot
// be opened (a link or a device there, refused) is nil: the stand-in
// drains that stream, and the server's copy opens it at its first byte
// as it otherwise does (and is refused the same).
func (o *outputCopy) standInFiles(dir *sandboxfs.Dir, stdout, stderr string) (files [2]*os.File) {
	for i, name := range []string{stdout, stderr} {
		if f, err := dir.CreateAppend(name, 0o600); err == nil {
			files[i] = f
			o.files[i].f = f
		}
	}
	return files
}
