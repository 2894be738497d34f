// Package cutsizes keeps the real sizes of an attempt's outputs that a
// backend kept cut at its bound (16 MiB): a stream or a value file kept
// from a Mesos sandbox, a value file or :file fetched from a pod. A
// backend reading one back reports the size it had where the block made
// it, as the local backend reports a file's own, so that the engine
// notes its results cut ("the first … of … are shown") rather than
// taking the part kept for the whole. One record (File, a JSON object of
// sizes by name), read and written here alone, for every backend.
package cutsizes

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/wallyqs/borges/internal/atomicfile"
)

// File is the record's name, in the directory of what was kept of an
// attempt.
const File = "sizes.json"

// Sizes are sizes by name (a stream, or a sandbox file's path): the size
// each had where the block made it. A name missing was kept whole, or
// its size not known: it is what was kept of it.
type Sizes map[string]int64

// Of is the size name reports when kept bytes of it were kept: the
// larger of the two.
func (s Sizes) Of(name string, kept int64) int64 {
	return max(kept, s[name])
}

// Write records s in dir, whole or not at all (atomicfile); an empty s
// is recorded too, saying nothing was cut.
func Write(dir string, s Sizes) error {
	if s == nil {
		s = Sizes{}
	}
	data, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(dir, File), data, 0o600)
}

// Read reads the record of dir; found is false, with no error, when dir
// has none (nothing recorded as cut).
func Read(dir string) (s Sizes, found bool, err error) {
	data, err := os.ReadFile(filepath.Join(dir, File))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, false, fmt.Errorf("sizes of the output kept cut (%s): %w", filepath.Join(dir, File), err)
	}
	return s, true, nil
}
