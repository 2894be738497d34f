package local

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// An attempt's outputs are read from the layout its launch made, not
// from the other one a task made appear (it runs as the server's user):
// a process attempt (flat) whose program removed its sandbox and made
// DATA/attempts/ID/stdout has its own stdout read back, not the forgery.
func TestReadLogGoesByTheLayoutLaunched(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt(`echo real
cd / && rm -rf "$BORGES_SANDBOX"
mkdir -p "$NESTED" && echo forged > "$NESTED/stdout"`, nil)
	a.Env["NESTED"] = filepath.Join(dir, "attempts", a.ID)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	if data, _, err := b.ReadLog(context.Background(), a.ID, "stdout", 0, 100); err != nil || string(data) != "real\n" {
		t.Fatalf("stdout %q (%v), want the attempt's own", data, err)
	}
}

// The same after a restart of the server: a process attempt recovered
// whose wrapper's line says a Borges that launches flat launched it has
// its outputs read where that launch put them, not where a task made
// the nested layout's directories while no server ran.
func TestReadLogGoesByTheLayoutLaunchedAfterRestart(t *testing.T) {
	dir := t.TempDir()
	b, r := noCgroups(t, dir)
	a := attempt(`while [ ! -e go ]; do sleep 0.05; done
echo real
cd / && rm -rf "$BORGES_SANDBOX"
mkdir -p "$NESTED" && echo forged > "$NESTED/stdout"`, nil)
	a.Env["NESTED"] = filepath.Join(dir, "attempts", a.ID)
	endWhileDown(t, b, r, a)
	paths := b.flatPaths(a.ID)
	until(t, "its stdout is copied", func() bool {
		data, _ := os.ReadFile(filepath.Join(paths.outRoot, paths.stdout))
		return string(data) == "real\n"
	})
	b2, r2 := noCgroups(t, dir)
	if err := b2.Recover(context.Background(), []*engine.Attempt{a}); err != nil {
		t.Fatal(err)
	}
	if u := r2.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	if data, _, err := b2.ReadLog(context.Background(), a.ID, "stdout", 0, 100); err != nil || string(data) != "real\n" {
		t.Fatalf("stdout %q (%v), want the attempt's own", data, err)
	}
}
