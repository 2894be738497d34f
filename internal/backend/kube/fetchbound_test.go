package kube

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
)

// bigArchive is what tar in a pod writes of one regular file, name, of
// size bytes (chunk repeated).
func bigArchive(t *testing.T, name string, size int, chunk []byte) []byte {
	t.Helper()
	var archive bytes.Buffer
	tw := tar.NewWriter(&archive)
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(size), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	for n := 0; n < size; n += len(chunk) {
		if _, err := tw.Write(chunk[:min(len(chunk), size-n)]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return archive.Bytes()
}

// streamLikeClientGo is a pod exec that hands stream to the writer as
// client-go's remotecommand does (v2.go copyStdout): in pieces, a
// writer's error only logged (here: counted in refused), the rest read
// on, until the stream ends or ctx does. ended says ctx ended it, and
// taken how many bytes were handed over until then.
type streamLikeClientGo struct {
	stream  []byte
	refused int
	ended   bool
	taken   int
}

func (s *streamLikeClientGo) exec(ctx context.Context, pod string, command []string, stdout io.Writer) error {
	for off := 0; off < len(s.stream); off += 32 << 10 {
		if ctx.Err() != nil {
			s.ended = true
			return ctx.Err()
		}
		piece := s.stream[off:min(off+32<<10, len(s.stream))]
		s.taken += len(piece)
		if _, err := stdout.Write(piece); err != nil {
			s.refused++
		}
	}
	return nil
}

// TestFetchKeepsItsBoundInMemory: a :file fetched from a pod is read
// through tar in the pod, whose output the block's program sizes. What
// Borges holds of it is bounded by the bytes it keeps (maxFile and the
// archive's headers), not by the file: past the bound the fetch's
// context is ended, which ends the exec stream (client-go only logs a
// writer's error and reads the rest on), and the file's first maxFile
// bytes are what is kept, as before.
func TestFetchKeepsItsBoundInMemory(t *testing.T) {
	const size = 4*maxFile + 12345
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	fake := &streamLikeClientGo{stream: bigArchive(t, "big.out", size, chunk)}
	b := &Backend{podExec: fake.exec}
	data, err := b.fetch(context.Background(), "pod", "big.out")
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	if len(data) != maxFile || !bytes.Equal(data, bytes.Repeat(chunk, maxFile/len(chunk))) {
		t.Errorf("kept %d bytes, want the file's first %d", len(data), maxFile)
	}
	if !fake.ended {
		t.Errorf("the exec stream went on to its end (%d bytes) past the bound: the fetch's context was not ended", len(fake.stream))
	}
	if bound := maxFile + fetchSlack + 32<<10; fake.taken > bound {
		t.Errorf("the stream handed over %d bytes of a %d-byte archive before it was ended; at most %d", fake.taken, len(fake.stream), bound)
	}
	if fake.refused != 0 {
		t.Errorf("%d writes refused: client-go logs each through klog", fake.refused)
	}
	// A stream that fails for another reason still fails.
	b.podExec = func(ctx context.Context, pod string, command []string, stdout io.Writer) error {
		stdout.Write(fake.stream[:1024])
		return errors.New("connection reset")
	}
	if _, err := b.fetch(context.Background(), "pod", "big.out"); err == nil {
		t.Error("a broken exec stream read as a file")
	}
}
