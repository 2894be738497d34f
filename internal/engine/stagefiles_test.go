package engine

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const stagedDoc = `#+begin_src sh :results file :file out.txt :file-mode (identity #o600)
echo hello
#+end_src

#+begin_src sh :results output
cat out.txt
#+end_src

#+begin_src sh :results output
echo alone
#+end_src
`

// TestReaderWaitsForFileWriter: a block naming the :file an earlier
// :results file block writes waits for it, and its attempt carries the
// file (the writer's result as Babel writes it, its :file-mode) for the
// backend to place in its sandbox; a block naming none runs at once.
func TestReaderWaitsForFileWriter(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	if _, err := e.Submit(context.Background(), stagedDoc); err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, fb, 2)
	var writer *Attempt
	for _, a := range l {
		switch a.Block {
		case "block-2":
			t.Fatalf("the reader launched before its writer ended: %v", l)
		case "block-1":
			writer = a
		}
	}
	if writer == nil {
		t.Fatalf("launched %v, not the writer", l)
	}
	fb.setOutput(writer.ID, "hello\n")
	finish(fb, writer, Finished, 0)
	l = waitLaunches(t, fb, 3)
	r := l[2]
	if r.Block != "block-2" {
		t.Fatalf("third launch %s", r.Block)
	}
	if len(r.Files) != 1 || r.Files[0].Path != "out.txt" || string(r.Files[0].Data) != "hello\n" || r.Files[0].Mode != 0o600 {
		t.Fatalf("reader's files %+v", r.Files)
	}
}

// TestPlaceStep: the shell step Mesos and Kubernetes carry the files in
// places them, byte for byte (quotes, NUL bytes, no final newline), with
// their modes, under the directories it makes.
func TestPlaceStep(t *testing.T) {
	files := []StagedFile{{Path: "a/b/it's.txt", Data: []byte("it's \"q\" $x `y`\n\x00z"), Mode: 0o600}, {Path: "empty", Mode: 0o644}}
	step, err := PlaceStep(files)
	if err != nil {
		t.Fatal(err)
	}
	checkPlaced(t, step, files)
	if _, err := PlaceStep([]StagedFile{{Path: "big", Data: make([]byte, MaxShellArg+1)}}); err == nil {
		t.Fatal("files over MaxShippedFiles placed")
	}
	if _, err := PlaceStep([]StagedFile{{Path: "../x"}}); err == nil {
		t.Fatal("a path out of the sandbox placed")
	}
}

// TestPlaceStepEncodedBound: the bound is on the step as the shell
// carries it, not the files' bytes: a quote takes 5 characters of it, a
// NUL byte 15, so files of them far under MaxShippedFiles raw make a
// step over what the kernel takes in one argument, which is refused
// (the backend would start a command that dies "argument list too
// long").
func TestPlaceStepEncodedBound(t *testing.T) {
	for _, data := range [][]byte{[]byte(strings.Repeat("'", 30<<10)), make([]byte, 10<<10)} {
		step, err := PlaceStep([]StagedFile{{Path: "q", Data: data, Mode: 0o644}})
		if err == nil {
			t.Fatalf("a %d-byte step placed, over %d", len(step), MaxShellArg)
		}
		if !strings.Contains(err.Error(), "argument") {
			t.Fatalf("refusal %q does not say why", err)
		}
	}
	// A step that fits alone but not with the program it travels with.
	step, err := PlaceStep([]StagedFile{{Path: "q", Data: []byte(strings.Repeat("x", 100<<10)), Mode: 0o644}})
	if err != nil {
		t.Fatal(err)
	}
	if err := FitsShellArg(step + strings.Repeat("y", 40<<10)); err == nil {
		t.Fatal("a step and program over one argument fit")
	}
	if err := FitsShellArg(step); err != nil {
		t.Fatal(err)
	}
}

// TestPlaceStepDashPaths: a :file beginning with '-' is not taken as an
// option by mkdir or chmod.
func TestPlaceStepDashPaths(t *testing.T) {
	files := []StagedFile{{Path: "-n.txt", Data: []byte("a\n"), Mode: 0o600}, {Path: "-d/-R", Data: []byte("b\n"), Mode: 0o644}}
	step, err := PlaceStep(files)
	if err != nil {
		t.Fatal(err)
	}
	checkPlaced(t, step, files)
}

// TestReaderRunsAfterFailedWriter: a reader that waits for a :file
// writer only for its file runs once the writer has ended, however it
// ended, as Emacs runs it (org-babel-eval signals no error for a
// non-zero exit): with no file placed when the writer did not finish.
func TestReaderRunsAfterFailedWriter(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	if _, err := e.Submit(context.Background(), stagedDoc); err != nil {
		t.Fatal(err)
	}
	writer := launchedWriter(t, fb)
	finish(fb, writer, Failed, 1)
	l := waitLaunches(t, fb, 3)
	r := l[2]
	if r.Block != "block-2" {
		t.Fatalf("third launch %s", r.Block)
	}
	if len(r.Files) != 0 {
		t.Fatalf("files of a writer that failed placed: %+v", r.Files)
	}
}

// TestStagedFileUnreadable: a writer's file that cannot be read (its
// output pruned, its agent gone) fails the reader's attempt, saying so,
// rather than placing an empty file.
func TestStagedFileUnreadable(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	v, err := e.Submit(context.Background(), stagedDoc)
	if err != nil {
		t.Fatal(err)
	}
	writer := launchedWriter(t, fb)
	fb.mu.Lock()
	fb.readErr = map[string]error{writer.ID: errors.New("agent gone")}
	fb.mu.Unlock()
	finish(fb, writer, Finished, 0)
	waitState(t, e, v.ID, "block-2", Failed)
	d, _ := e.Document(v.ID)
	for _, b := range d.Blocks {
		if b.Name == "block-2" && (len(b.Instances) == 0 || !strings.Contains(b.Instances[0].Message, "could not read")) {
			t.Fatalf("reader failed with %+v", b.Instances)
		}
	}
	for _, a := range fb.launches() {
		if a.Block == "block-2" {
			t.Fatalf("the reader launched with files %+v", a.Files)
		}
	}
}

// checkPlaced runs step with sh in a new directory and checks that it
// placed files there, byte for byte, with their modes.
func checkPlaced(t *testing.T, step string, files []StagedFile) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("/bin/sh", "-c", step)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	for _, f := range files {
		got, err := os.ReadFile(filepath.Join(dir, f.Path))
		if err != nil || string(got) != string(f.Data) {
			t.Fatalf("%s: %q, %v", f.Path, got, err)
		}
		if st, _ := os.Stat(filepath.Join(dir, f.Path)); uint32(st.Mode().Perm()) != f.Mode {
			t.Fatalf("%s: mode %o", f.Path, st.Mode().Perm())
		}
	}
}

// launchedWriter is the writer's (block-1's) attempt among the first two
// launches of stagedDoc.
func launchedWriter(t *testing.T, fb *fakeBackend) *Attempt {
	t.Helper()
	l := waitLaunches(t, fb, 2)
	for _, a := range l {
		if a.Block == "block-1" {
			return a
		}
	}
	t.Fatalf("launched %v, not the writer", l)
	return nil
}
