package local

import (
	"fmt"
	"os"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/sandboxfs"
)

// stageFiles places an attempt's files (engine.Attempt.Files) in its
// sandbox before its program runs, through no link out of it
// (sandboxfs.Place): a process's working directory, or the directory
// mounted in its container.
func stageFiles(sandbox string, a *engine.Attempt) error {
	if n := engine.StagedSize(a.Files); n > engine.MaxStagedFiles {
		return fmt.Errorf("attempt %s: the files to place in its sandbox are %d bytes, over %d", a.ID, n, engine.MaxStagedFiles)
	}
	for _, f := range a.Files {
		if err := sandboxfs.Place(sandbox, f.Path, f.Data, os.FileMode(f.Mode&0o7777)); err != nil {
			return fmt.Errorf("attempt %s: placing %s, a file Babel wrote for an earlier block: %w", a.ID, f.Path, err)
		}
	}
	return nil
}
