package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// DATA's directories removed and made again while the server runs (a
// clean-up, DATA restored): the next attempt uses the directory made
// there (it is the one the keeper writes to by its path), neither
// reading its output as empty from the removed one held open, nor
// failing because the removed one can hold nothing new.
func TestDataRemadeWhileRunning(t *testing.T) {
	for _, which := range []string{"sandboxes", "outputs", "attempts"} {
		t.Run(which, func(t *testing.T) {
			ctx := context.Background()
			b, r := noCgroups(t, t.TempDir())
			p := filepath.Join(b.cfg.DataDir, which)
			if err := os.RemoveAll(p); err != nil {
				t.Fatal(err)
			}
			if err := makeLayout(b.cfg.DataDir); err != nil {
				t.Fatal(err)
			}
			a := attempt("echo ours", nil)
			if which == "attempts" {
				if err := b.makeAttemptDirs(a.ID); err != nil {
					t.Errorf("an attempt's directory cannot be made once DATA/attempts was made again: %v", err)
				}
				if _, err := os.Stat(filepath.Join(p, a.ID, sandboxName)); err != nil {
					t.Errorf("the attempt's sandbox is not in DATA/attempts made again: %v", err)
				}
				return
			}
			if err := b.Launch(ctx, a); err != nil {
				t.Fatalf("launch after DATA/%s was made again: %v", which, err)
			}
			u := r.wait(t, a.ID)
			out, _, err := b.ReadLog(ctx, a.ID, "stdout", 0, 100)
			if u.State != engine.Finished || string(out) != "ours\n" {
				t.Errorf("update %+v, stdout %q (%v) after DATA/%s was made again; want finished, \"ours\\n\"", u, out, err, which)
			}
		})
	}
}

// A held directory moved aside and another put at its path (not
// removed: the one held still is somewhere) is not silently swapped:
// the attempt fails, saying so.
func TestDataReplacedWhileRunningRefused(t *testing.T) {
	b, _ := noCgroups(t, t.TempDir())
	p := filepath.Join(b.cfg.DataDir, "attempts")
	if err := os.Rename(p, p+".moved"); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(p, 0o700); err != nil {
		t.Fatal(err)
	}
	a := attempt("true", nil)
	err := b.makeAttemptDirs(a.ID)
	if err == nil || !strings.Contains(err.Error(), "restart") {
		t.Errorf("makeAttemptDirs = %v, want a refusal saying DATA/attempts was replaced", err)
	}
	if _, err := os.Stat(filepath.Join(p, a.ID)); err == nil {
		t.Errorf("the attempt's directory was made in the directory put in the held one's place")
	}
}

// DATA/outputs/SHARD removed while the server runs, nothing made again
// in its place yet: an attempt's output is not read as empty from the
// removed directory held open; ReadLog says what happened.
func TestReadLogOfARemovedShard(t *testing.T) {
	ctx := context.Background()
	b, r := noCgroups(t, t.TempDir())
	a := attempt("echo ours", nil)
	if err := b.Launch(ctx, a); err != nil {
		t.Fatal(err)
	}
	r.wait(t, a.ID)
	if err := os.RemoveAll(filepath.Join(b.cfg.DataDir, outputsDir, outputShard(a.ID))); err != nil {
		t.Fatal(err)
	}
	out, _, err := b.ReadLog(ctx, a.ID, "stdout", 0, 100)
	if err == nil || !strings.Contains(err.Error(), "removed") {
		t.Errorf("ReadLog = %q, %v; want an error saying the directory was removed", out, err)
	}
}
