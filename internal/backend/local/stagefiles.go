package local

import (
	"fmt"
	"os"
	"path"
	"strings"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/sandboxfs"
)

// stageFiles places an attempt's files (engine.Attempt.Files) in its
// sandbox before its program runs, through no link out of it
// (sandboxfs.Dir.Place): a process's working directory, or the directory
// mounted in its container. The sandbox is opened once, through no link,
// for all of them, beneath the held directory it is in (openSandbox).
func (b *Backend) stageFiles(a *engine.Attempt) error {
	if n := engine.StagedSize(a.Files); n > engine.MaxStagedFiles {
		return fmt.Errorf("attempt %s: the files to place in its sandbox are %d bytes, over %d", a.ID, n, engine.MaxStagedFiles)
	}
	if len(a.Files) == 0 {
		return nil
	}
	dir, err := b.madePaths(a).openSandbox()
	if err != nil {
		return fmt.Errorf("attempt %s: placing the files Babel wrote for earlier blocks: %w", a.ID, err)
	}
	defer dir.Close()
	return placeFiles(dir, a)
}

// placeFiles places a's files in the sandbox dir holds (stageFiles).
func placeFiles(dir *sandboxfs.Dir, a *engine.Attempt) error {
	for _, f := range a.Files {
		if err := dir.Place(f.Path, f.Data, os.FileMode(f.Mode&0o7777)); err != nil {
			return fmt.Errorf("attempt %s: placing %s, a file Babel wrote for an earlier block: %w", a.ID, f.Path, err)
		}
	}
	return nil
}

// ownStaged gives the files placed in a container's sandbox (stageFiles),
// and the directories made for them, to the user the container runs as
// (uid, gid), as ownSandbox gives the sandbox: the program writes to
// them and reads one whose :file-mode keeps others out, as in Emacs the
// user owns them. Where Borges cannot give them away (not root, or an
// engine that remaps users: remapped), it does as for the sandbox: the
// directories are made writable by all, and each file gives everyone
// its owner's permissions (ownSandbox warns of it). Given through no
// link (giveTo, sandboxfs.Own), as it was placed (sandboxfs.Place): a
// link found at a staged path is refused, never followed.
func ownStaged(sandbox *sandboxfs.Dir, files []engine.StagedFile, uid, gid int, remapped bool) error {
	dirs, placed := stagedPaths(files)
	own := func(rel string, mode, shared os.FileMode) error {
		if _, err := giveTo(sandbox, rel, uid, gid, remapped, mode, shared); err != nil {
			return fmt.Errorf("giving %s, placed in the sandbox, to the container's user: %w", rel, err)
		}
		return nil
	}
	for _, d := range dirs {
		if err := own(d, 0o755, 0o777); err != nil {
			return err
		}
	}
	for _, f := range placed {
		m := os.FileMode(f.Mode & 0o7777)
		if err := own(f.Path, m, m|(m&0o700)>>3|(m&0o700)>>6); err != nil {
			return err
		}
	}
	return nil
}

// stagedPaths are the directories made for files beneath the sandbox
// (each once, parents first) and the files themselves, as placed (the
// last of several at one path).
func stagedPaths(files []engine.StagedFile) (dirs []string, placed []engine.StagedFile) {
	seen := map[string]bool{}
	last := map[string]int{}
	for i, f := range files {
		last[f.Path] = i
		var cur string
		for _, part := range strings.Split(path.Dir(f.Path), "/") {
			if part == "." {
				break
			}
			cur = path.Join(cur, part)
			if !seen[cur] {
				seen[cur] = true
				dirs = append(dirs, cur)
			}
		}
	}
	for i, f := range files {
		if last[f.Path] == i {
			placed = append(placed, f)
		}
	}
	return dirs, placed
}
