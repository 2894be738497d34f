package kube

import (
	"archive/tar"
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	corev1 "k8s.io/api/core/v1"

	"github.com/wallyqs/borges/internal/cutsizes"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
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
	data, real, err := b.fetch(context.Background(), "pod", "big.out")
	if err != nil {
		t.Fatalf("fetch: %v", err)
	}
	if len(data) != maxFile || !bytes.Equal(data, bytes.Repeat(chunk, maxFile/len(chunk))) {
		t.Errorf("kept %d bytes, want the file's first %d", len(data), maxFile)
	}
	if real != size {
		t.Errorf("the file's size read as %d, want %d", real, size)
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
	if _, _, err := b.fetch(context.Background(), "pod", "big.out"); err == nil {
		t.Error("a broken exec stream read as a file")
	}
}

// TestFetchedFileOverTheBoundSaysItsSize: a Python, Ruby or Perl value
// file (or a :file) larger than what is fetched from a pod reads back
// with its real size, as the local backend's does, so the engine writes
// its results cut under a note ("the first … of … are shown") rather
// than a value silently cut at 16 MiB. A file within the bound reads
// back as it is.
func TestFetchedFileOverTheBoundSaysItsSize(t *testing.T) {
	chunk := bytes.Repeat([]byte("row,1,2,3\n"), 4096)
	for _, tc := range []struct {
		name string
		task *plan.Task
		file string
		size int
	}{
		{"value over", &plan.Task{ValueFile: true}, "value", maxFile + 5*len(chunk) + 7},
		{"file over", &plan.Task{File: "out/big.csv"}, "out/big.csv", 3*maxFile + 1},
		{"value within", &plan.Task{ValueFile: true}, "value", 2*len(chunk) + 3},
		{"value at the bound", &plan.Task{ValueFile: true}, "value", maxFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fake := &streamLikeClientGo{stream: bigArchive(t, tc.file, tc.size, chunk)}
			b := &Backend{cfg: Config{OutputDir: t.TempDir()}, podExec: fake.exec}
			p := &podInfo{attempt: &engine.Attempt{ID: "doc.0-b.0.1", Task: tc.task}, name: "pod"}
			pod := &corev1.Pod{Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{
				{Name: stderrContainer, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}}}
			if err := b.fetchFiles(context.Background(), p, pod); err != nil {
				t.Fatalf("fetchFiles: %v", err)
			}
			var kept []byte
			var size int64
			for off := int64(0); off < 64*maxFile; {
				data, n, err := b.ReadLog(context.Background(), p.attempt.ID, tc.file, off, 1<<20)
				if err != nil {
					t.Fatalf("ReadLog: %v", err)
				}
				size = n
				if len(data) == 0 {
					break
				}
				kept = append(kept, data...)
				off += int64(len(data))
			}
			if size != int64(tc.size) {
				t.Errorf("%s reads back as %d bytes, want its real size %d (the engine notes a cut only from the size)", tc.file, size, tc.size)
			}
			want := bytes.Repeat(chunk, 1+tc.size/len(chunk))[:min(tc.size, maxFile)]
			if !bytes.Equal(kept, want) {
				t.Errorf("kept %d bytes, want the file's first %d", len(kept), len(want))
			}
		})
	}
}

// TestFetchAgainReplacesCutSizes: the record of the sizes cut
// (cutsizes, one for every backend) is written at each fetch, over the
// one an earlier fetch of the attempt left: a value fetched again whole
// reads back with its own size, not the one it had cut before.
func TestFetchAgainReplacesCutSizes(t *testing.T) {
	chunk := bytes.Repeat([]byte("v"), 4096)
	b := &Backend{cfg: Config{OutputDir: t.TempDir()}}
	p := &podInfo{attempt: &engine.Attempt{ID: "doc.0-b.0.1", Task: &plan.Task{ValueFile: true}}, name: "pod"}
	pod := &corev1.Pod{Status: corev1.PodStatus{ContainerStatuses: []corev1.ContainerStatus{
		{Name: stderrContainer, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}}}
	for _, size := range []int{maxFile + 9, 10} {
		fake := &streamLikeClientGo{stream: bigArchive(t, "value", size, chunk)}
		b.podExec = fake.exec
		if err := b.fetchFiles(context.Background(), p, pod); err != nil {
			t.Fatalf("fetchFiles: %v", err)
		}
		if _, n, err := b.ReadLog(context.Background(), p.attempt.ID, "value", 0, 1); err != nil || n != int64(size) {
			t.Fatalf("value of %d bytes reads back as %d bytes (%v)", size, n, err)
		}
	}
	if _, err := os.Stat(filepath.Join(b.attemptDir(p.attempt.ID), cutsizes.File)); err != nil {
		t.Fatalf("no record of the sizes cut: %v", err)
	}
}
