package local

import (
	"github.com/wallyqs/borges/internal/sandboxfs"
	"github.com/wallyqs/borges/internal/workdir"
)

// identities are those of Borges' data directory: DATA (the parent of
// the held DATA/sandboxes and DATA/attempts), DATA/outputs, and the held
// directories (a held one moved aside since is still Borges'). A
// working directory that is one of them or lies beneath one is refused
// (workdir.OpenAbs, by identity, not by its path).
func (r *heldRoots) identities() (map[fileID]bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ids := map[fileID]bool{}
	add := func(d *sandboxfs.Dir, parent bool) error {
		id, err := workdir.Of(d)
		if err != nil {
			return err
		}
		ids[fileID{id.Dev, id.Ino}] = true
		if !parent {
			return nil
		}
		if id, err = workdir.ParentOf(d); err != nil {
			return err
		}
		ids[fileID{id.Dev, id.Ino}] = true
		return nil
	}
	for _, d := range []*sandboxfs.Dir{r.sandboxes, r.attempts, r.outputs[0]} {
		if err := add(d, true); err != nil {
			return nil, err
		}
	}
	for _, d := range r.outputs[1:] {
		if err := add(d, false); err != nil {
			return nil, err
		}
	}
	return ids, nil
}
