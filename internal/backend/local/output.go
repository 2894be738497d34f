package local

import (
	"errors"
	"io"
	"os"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/sandboxfs"
)

// An attempt's stdout and stderr keep at most Config.MaxOutput bytes each
// (#+borges_max_output:, 1 GiB unless configured); what a program writes
// beyond is read and thrown away — the program is neither stopped nor
// killed — and the output ends with a marker line,
//
//	[borges: output truncated at 1 GiB]
//
// on a line of its own. A container's output is copied by Borges, which
// writes the marker as it cuts (cappedWriter). A process writes through
// copiers its wrapper runs under a file size limit a little over the cap
// (see wrapper): the file may then hold up to 512 bytes more than the
// cap, which tells an output cut from one of exactly the cap; what is read
// of such a file (readOutput) is its first cap bytes and the marker, and
// once the process has ended the file itself is cut so (capOutputs).
// Either way a reader sees the same bytes at the same offsets, running or
// ended.

// DefaultMaxOutput is what is kept of each output stream unless configured.
const DefaultMaxOutput = 1 << 30

// truncationMarker is the line that ends an output cut at max bytes, whose
// last kept byte is last.
func truncationMarker(max int64, last byte) string {
	m := "[borges: output truncated at " + engine.FormatSize(max) + "]\n"
	if last != '\n' {
		m = "\n" + m
	}
	return m
}

// readOutput reads an attempt's stdout or stderr as it is kept: a file
// longer than the cap reads as its first cap bytes and the marker.
func (b *Backend) readOutput(dir *sandboxfs.Dir, name string, offset int64, count int) ([]byte, int64, error) {
	limit := b.cfg.MaxOutput
	data, size, err := dir.ReadAt(name, offset, count)
	if err != nil || size <= limit {
		return data, size, err
	}
	last, _, err := dir.ReadAt(name, limit-1, 1)
	if err != nil || len(last) != 1 {
		return nil, 0, errors.Join(err, io.ErrUnexpectedEOF)
	}
	m := truncationMarker(limit, last[0])
	total := limit + int64(len(m))
	if offset < 0 || offset >= total || count <= 0 {
		return nil, total, nil
	}
	var out []byte
	if offset < limit {
		out = data[:min(int64(len(data)), limit-offset)]
	}
	if room := count - len(out); room > 0 {
		from := max(offset, limit) - limit
		out = append(out, m[from:min(int64(len(m)), from+int64(room))]...)
	}
	return out, total, nil
}

// capOutputs cuts an ended process's outputs that went past the cap to
// what readOutput shows, on disk: the first cap bytes and the marker.
func (b *Backend) capOutputs(id string) {
	for _, stream := range []string{"stdout", "stderr"} {
		if err := b.capOutput(b.locate(id, stream)); err != nil && !errors.Is(err, os.ErrNotExist) {
			b.log.Warn("cutting an output at its cap", "attempt", id, "stream", stream, "err", err)
		}
	}
}

func (b *Backend) capOutput(dir *sandboxfs.Dir, name string) error {
	f, err := dir.Edit(name)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	limit := b.cfg.MaxOutput
	if st.Size() <= limit {
		return nil
	}
	last := make([]byte, 1)
	if _, err := f.ReadAt(last, limit-1); err != nil {
		return err
	}
	m := truncationMarker(limit, last[0])
	if st.Size() == limit+int64(len(m)) {
		return nil // already cut
	}
	if err := f.Truncate(limit); err != nil {
		return err
	}
	_, err = f.WriteAt([]byte(m), limit)
	return err
}

// cappedWriter writes up to max bytes to w, then the marker, then
// nothing: what comes after is accepted and dropped.
type cappedWriter struct {
	w    io.Writer
	left int64
	max  int64
	last byte
	cut  bool
}

func newCappedWriter(w io.Writer, max int64) *cappedWriter {
	return &cappedWriter{w: w, left: max, max: max, last: '\n'}
}

func (c *cappedWriter) Write(p []byte) (int, error) {
	if c.cut {
		return len(p), nil
	}
	keep := p
	if int64(len(p)) > c.left {
		keep = p[:c.left]
	}
	if len(keep) > 0 {
		n, err := c.w.Write(keep)
		c.left -= int64(n)
		if n > 0 {
			c.last = keep[n-1]
		}
		if err != nil {
			return n, err
		}
	}
	if len(keep) < len(p) {
		c.cut = true
		if _, err := io.WriteString(c.w, truncationMarker(c.max, c.last)); err != nil {
			return len(keep), err
		}
	}
	return len(p), nil
}
