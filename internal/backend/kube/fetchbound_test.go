package kube

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"testing"
)

// TestFetchKeepsItsBoundInMemory: a :file fetched from a pod is read
// through tar in the pod, whose output the block's program sizes. What
// Borges holds of it is bounded by the bytes it keeps (maxFile and the
// archive's headers), not by the file: past the bound the stream is
// refused, and the file's first maxFile bytes are what is kept, as before.
func TestFetchKeepsItsBoundInMemory(t *testing.T) {
	const size = 4*maxFile + 12345
	var archive bytes.Buffer
	tw := tar.NewWriter(&archive)
	if err := tw.WriteHeader(&tar.Header{Name: "big.out", Mode: 0o644, Size: size, Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	for n := 0; n < size; n += len(chunk) {
		if _, err := tw.Write(chunk[:min(len(chunk), size-n)]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	stream := archive.Bytes()
	accepted := 0
	b := &Backend{}
	b.podExec = func(ctx context.Context, pod string, command []string, stdout io.Writer) error {
		// As the exec stream hands its data over: in pieces, until the
		// writer refuses one.
		for off := 0; off < len(stream); off += 32 << 10 {
			n, err := stdout.Write(stream[off:min(off+32<<10, len(stream))])
			accepted += n
			if err != nil {
				return err
			}
		}
		return nil
	}
	data, err := b.fetch(context.Background(), "pod", "big.out")
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	if len(data) != maxFile || !bytes.Equal(data, bytes.Repeat(chunk, maxFile/len(chunk))) {
		t.Errorf("kept %d bytes, want the file's first %d", len(data), maxFile)
	}
	if bound := maxFile + fetchSlack; accepted > bound {
		t.Errorf("took %d bytes of a %d-byte archive into memory; at most %d", accepted, len(stream), bound)
	}
	// A stream that fails for another reason still fails.
	b.podExec = func(ctx context.Context, pod string, command []string, stdout io.Writer) error {
		stdout.Write(stream[:1024])
		return errors.New("connection reset")
	}
	if _, err := b.fetch(context.Background(), "pod", "big.out"); err == nil {
		t.Error("a broken exec stream read as a file")
	}
}
