package local

import (
	"os"
	"path/filepath"
	"testing"
)

// The copier of the outputs that outlives the server (the keeper, or
// else the stand-in) writes them in the directory the server holds open,
// never where a link put at its path once the server ran leads: DATA/outputs
// moved aside and a link put in its place (by a task: it runs as the
// server's user) leaves the outputs copied into the directory moved,
// and nothing written where the link leads.
func TestCopierAfterServerFollowsNoLinkAtOutputs(t *testing.T) {
	for _, keeper := range []bool{true, false} {
		name := "keeper"
		if !keeper {
			name = "stand-in"
		}
		t.Run(name, func(t *testing.T) {
			data := t.TempDir()
			b, r := noCgroups(t, data)
			if !keeper {
				withoutKeeper(b)
			}
			outside := t.TempDir()
			a := attempt("i=0; while [ ! -e go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; echo after; "+
				// Until a copier has written it, wherever (the block's end
				// kills a stand-in).
				`i=0; while ! grep -qs after "$HELD" "$LEAD" && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done`, nil)
			shard := outputShard(a.ID)
			moved := filepath.Join(data, "outputs.moved")
			a.Env["HELD"] = filepath.Join(moved, shard, a.ID+".stdout")
			a.Env["LEAD"] = filepath.Join(outside, shard, a.ID+".stdout")
			p := launchRunning(t, b, r, a)
			if p.kept != keeper {
				t.Fatalf("kept %v, want %v", p.kept, keeper)
			}
			if err := os.Mkdir(filepath.Join(outside, shard), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Rename(filepath.Join(data, outputsDir), moved); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(outside, filepath.Join(data, outputsDir)); err != nil {
				t.Fatal(err)
			}
			serverGone(b, p)
			if err := os.WriteFile(filepath.Join(b.SandboxDir(a.ID), "go"), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			// The program ends once a copier has written (the stand-in
			// is killed with it); the keeper notes it has copied all.
			r.wait(t, a.ID)
			if keeper {
				waitCopied(t, data, a.ID)
			}
			if got := readFile(filepath.Join(outside, shard), a.ID+".stdout"); got != "" {
				t.Errorf("written where the link at DATA/outputs leads: %q", got)
			}
			if got := readFile(filepath.Join(moved, shard), a.ID+".stdout"); got != "after\n" {
				t.Errorf("the outputs in the directory held: %q, want %q", got, "after\n")
			}
		})
	}
}
