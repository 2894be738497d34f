package local

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"hash"
	"io"

	"github.com/docker/docker/api/types/container"
	"github.com/docker/docker/pkg/stdcopy"
)

// copyLogs copies a container's output from the engine's log into the
// attempt's files while it runs, then reads the log once more, whole,
// for what the live stream missed: the engine ends a followed log when
// the container stops without the last output that had no newline after
// it (moby/moby#43860), so `printf x` would come back empty.
func (b *Backend) copyLogs(ctx context.Context, c *ctr) error {
	stdout, err := b.outputCopy(c.id, "stdout")
	if err != nil {
		return err
	}
	defer stdout.Close()
	stderr, err := b.outputCopy(c.id, "stderr")
	if err != nil {
		return err
	}
	defer stderr.Close()
	out, errOut := newFollowedStream(stdout), newFollowedStream(stderr)
	if err := b.readLogs(ctx, c, true, out, errOut); err != nil {
		return err
	}
	if err := b.readLogs(ctx, c, false, out.catchUp(), errOut.catchUp()); err != nil {
		return fmt.Errorf("reading the end of the container's log: %w", err)
	}
	return nil
}

func (b *Backend) readLogs(ctx context.Context, c *ctr, follow bool, stdout, stderr io.Writer) error {
	rc, err := b.docker.cli.ContainerLogs(ctx, c.name, container.LogsOptions{ShowStdout: true, ShowStderr: true, Follow: follow})
	if err != nil {
		return err
	}
	defer rc.Close()
	_, err = stdcopy.StdCopy(stdout, stderr, rc)
	return err
}

// followedStream is one stream of a container's output as copied so
// far: how much, and a hash of it, so that a later whole read of the log
// adds only what follows, and only when it begins with what was copied.
type followedStream struct {
	w   io.Writer
	n   int64
	sum hash.Hash
}

func newFollowedStream(w io.Writer) *followedStream {
	return &followedStream{w: w, sum: sha256.New()}
}

func (s *followedStream) Write(p []byte) (int, error) {
	s.sum.Write(p)
	s.n += int64(len(p))
	return s.w.Write(p)
}

// catchUp is a writer for a whole read of the stream: it passes over
// what was copied already and adds the rest.
func (s *followedStream) catchUp() io.Writer {
	return &catchUpWriter{s: s, left: s.n, want: s.sum.Sum(nil), sum: sha256.New()}
}

// errNotAPrefix: the engine's log no longer begins where the copy did
// (it rotated a file away); what it has cannot be placed after the copy.
var errNotAPrefix = errors.New("the log no longer begins with what was copied of it")

type catchUpWriter struct {
	s    *followedStream
	left int64 // bytes of the read still to pass over
	want []byte
	sum  hash.Hash
	bad  bool
}

func (w *catchUpWriter) Write(p []byte) (int, error) {
	if w.bad {
		return 0, errNotAPrefix
	}
	n := len(p)
	if w.left > 0 {
		skip := min(int64(len(p)), w.left)
		w.sum.Write(p[:skip])
		w.left -= skip
		p = p[skip:]
		if w.left == 0 && !bytes.Equal(w.sum.Sum(nil), w.want) {
			w.bad = true
			return 0, errNotAPrefix
		}
	}
	if len(p) > 0 {
		if _, err := w.s.Write(p); err != nil {
			return 0, err
		}
	}
	return n, nil
}
