package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/client"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestGotFileReplaces writes a file borges get -files wrote before
// with mode 0: the new one takes its place (a user other than root
// cannot open a mode-0 file for writing), and a link standing at the
// destination is replaced, not written through.
func TestGotFileReplaces(t *testing.T) {
	dir := t.TempDir()
	dest := filepath.Join(dir, "shut.txt")
	task := &plan.Task{FileWritten: true, FileModeSet: true}
	if err := writeGotFile(dest, []byte("one"), task); err != nil {
		t.Fatal(err)
	}
	if err := writeGotFile(dest, []byte("two"), task); err != nil {
		t.Fatalf("second get: %v", err)
	}
	if fi, err := os.Stat(dest); err != nil || fi.Mode().Perm() != 0 {
		t.Fatalf("mode: %v %v", fi, err)
	}
	if err := os.Chmod(dest, 0o600); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(dest); err != nil || string(b) != "two" {
		t.Fatalf("second get wrote %q (%v)", b, err)
	}

	// Root may write any file: the order shows through a link.
	other := filepath.Join(dir, "other.txt")
	if err := os.WriteFile(other, []byte("kept"), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.txt")
	if err := os.Symlink(other, link); err != nil {
		t.Fatal(err)
	}
	if err := writeGotFile(link, []byte("new"), &plan.Task{}); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(other); string(b) != "kept" {
		t.Errorf("written through the link: %q", b)
	}
	if fi, err := os.Lstat(link); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("link not replaced: %v %v", fi, err)
	}
}

// TestGotFileModeOldServer: a server from before Task.FileModeSet sends
// a :file-mode without it; a mode other than 0 is still applied.
func TestGotFileModeOldServer(t *testing.T) {
	dest := filepath.Join(t.TempDir(), "secret.txt")
	if err := writeGotFile(dest, []byte("s"), &plan.Task{FileWritten: true, FileMode: 0o600}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dest); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode: %v %v", fi, err)
	}
}

// TestGetFilesNoneBlock: a `:results none :file n.txt` block writes no
// file (Babel writes none and its program did not), so the server has
// none to give: borges get -files writes the other blocks' files and
// does not fail.
func TestGetFilesNoneBlock(t *testing.T) {
	view := engine.DocumentView{ID: "d", State: engine.Finished, Blocks: []engine.BlockView{
		{Name: "none", Runnable: true, State: engine.Finished, Task: &plan.Task{File: "n.txt", Results: "none"}},
		{Name: "out", Runnable: true, State: engine.Finished, Task: &plan.Task{File: "o.txt", FileWritten: true}},
	}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/org/d.json":
			json.NewEncoder(w).Encode(view)
		case "/org/d/files/o.txt":
			w.Write([]byte("out\n"))
		default:
			http.Error(w, `{"error":"not found"}`, http.StatusNotFound)
		}
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	var stderr bytes.Buffer
	if err := getFiles(context.Background(), client.New(srv.URL, ""), "d", dir, &stderr); err != nil {
		t.Fatalf("get -files: %v\n%s", err, stderr.String())
	}
	if b, err := os.ReadFile(filepath.Join(dir, "o.txt")); err != nil || string(b) != "out\n" {
		t.Errorf("o.txt: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "n.txt")); !os.IsNotExist(err) {
		t.Errorf("n.txt written: %v", err)
	}
}
