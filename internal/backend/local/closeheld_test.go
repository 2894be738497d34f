package local

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/sandboxfs"
)

// ReadLog in flight while the backend closes (an API handler past the
// server's shutdown grace): Close waits for the users of the held
// directories (run with -race).
func TestReadLogDuringClose(t *testing.T) {
	b, r := noCgroups(t, t.TempDir())
	a := attempt("echo ours", nil)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	started := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		close(started)
		for range 100000 {
			select {
			case <-stop:
				return
			default:
			}
			b.ReadLog(context.Background(), a.ID, "stdout", 0, 100)
		}
	}()
	<-started
	b.ReadLog(context.Background(), a.ID, "stdout", 0, 100)
	b.roots.close()
	close(stop)
	wg.Wait()
}

// A place beneath a held directory keeps the directory, not its
// descriptor's number: once the directory is closed and the number
// reused by another open, removals through it fail, and touch nothing
// of the other directory.
func TestStaleAtActsOnNoOtherDirectory(t *testing.T) {
	held, other := t.TempDir(), t.TempDir()
	if err := os.WriteFile(filepath.Join(other, "victim"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(other, "tree/sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	d, err := sandboxfs.OpenDir(held)
	if err != nil {
		t.Fatal(err)
	}
	src, tree := in(d, "victim"), in(d, "tree")
	d.Close()
	fd, err := unix.Open(other, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	removeAt(poolFiles, src)
	removeTreeAt(tree)
	if _, err := os.Stat(filepath.Join(other, "victim")); err != nil {
		t.Errorf("removeAt beneath a closed directory deleted a file of another: %v", err)
	}
	if _, err := os.Stat(filepath.Join(other, "tree")); err != nil {
		t.Errorf("removeTreeAt beneath a closed directory deleted a tree of another: %v", err)
	}
}
