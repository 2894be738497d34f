package local

import (
	"context"
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
