package local

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// madeFor lists what an attempt left under the data directory, relative
// to it: the exit logs and the instance's cgroup name are the run's.
func madeFor(t *testing.T, dataDir, id string) []string {
	t.Helper()
	var got []string
	filepath.WalkDir(dataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		rel, _ := filepath.Rel(dataDir, p)
		if strings.Contains(rel, id) {
			if d.IsDir() {
				rel += "/"
			}
			got = append(got, rel)
		}
		return nil
	})
	slices.Sort(got)
	return got
}

// A process attempt makes one directory, its sandbox, and only the output
// files it writes to (its wrapper is named in the wrapper log:
// wrapperfile.go): its program, for sh, is no file, and Borges' files of
// it lie beside the others' of its shard (on some disks each inode made
// costs the best part of a millisecond; see layout.go).
func TestProcessAttemptInodes(t *testing.T) {
	out := func(id, suffix string) string { return "outputs/" + outputShard(id) + "/" + id + suffix }
	if outputShard("d.b.0.1") == outputShard("d.b.0.2") && outputShard("d.b.0.2") == outputShard("d.b.0.3") {
		t.Fatal("attempts' outputs are not spread")
	}
	for _, c := range []struct {
		name, script string
		mod          func(*plan.Task)
		want         func(id string) []string
	}{
		{"sh, stdout only", "echo hi", nil, func(id string) []string {
			return []string{out(id, ".stdout"), "sandboxes/" + id + "/"}
		}},
		{"sh, silent", "true", nil, func(id string) []string {
			return []string{"sandboxes/" + id + "/"}
		}},
		{"sh, both outputs and a file", "echo hi; echo oops >&2; echo x > made", nil, func(id string) []string {
			return []string{out(id, ".stderr"), out(id, ".stdout"), "sandboxes/" + id + "/", "sandboxes/" + id + "/made"}
		}},
		{"another interpreter", "echo hi", func(task *plan.Task) { task.Interpreter = []string{"bash"} }, func(id string) []string {
			return []string{out(id, ".script"), out(id, ".stdout"), "sandboxes/" + id + "/"}
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := t.TempDir()
			b, r := newBackend(t, data)
			a := attempt(c.script, c.mod)
			if err := b.Launch(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			if u := r.wait(t, a.ID); u.State != engine.Finished {
				t.Fatalf("update = %+v", u)
			}
			if got, want := madeFor(t, data, a.ID), c.want(a.ID); !slices.Equal(got, want) {
				t.Fatalf("made %q, want %q", got, want)
			}
			if out, _, _ := b.ReadLog(context.Background(), a.ID, "stdout", 0, 100); c.script != "true" && string(out) != "hi\n" {
				t.Fatalf("stdout = %q", out)
			}
		})
	}
}

// The program is given no descriptor of Borges' but its standard input,
// output and error: not the pipes of the output copy (4 to 6), not the
// one its script is read from (7), not the exit log its wrapper appends
// its status to (8), whichever wrapper runs it: the keeper's, or the
// stand-in's where there is no keeper. (What the server itself inherited
// without close-on-exec, the program inherits too, as any child would.)
func TestProgramGetsNoOtherDescriptor(t *testing.T) {
	for _, kept := range []bool{true, false} {
		for _, k := range wrapperKinds {
			name := "kept/" + k.name
			if !kept {
				name = "stand-in/" + k.name
			}
			t.Run(name, func(t *testing.T) { programGetsNoOtherDescriptor(t, kept, k.mod) })
		}
	}
}

// programGetsNoOtherDescriptor is TestProgramGetsNoOtherDescriptor for
// one wrapper: kept by the keeper or not, the task changed by mod.
func programGetsNoOtherDescriptor(t *testing.T, kept bool, mod func(*plan.Task)) {
	b, r := newBackend(t, t.TempDir())
	if !kept {
		withoutKeeper(b)
	}
	a := attempt(`sh -c 'for f in /proc/$$/fd/*; do echo ${f##*/} $(readlink $f); done'`, mod)
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		t.Fatalf("update = %+v", u)
	}
	out, _, _ := b.ReadLog(context.Background(), a.ID, "stdout", 0, 1<<16)
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fd, target, _ := strings.Cut(line, " ")
		if strings.Contains(target, "memfd") || strings.Contains(target, a.ID) || strings.Contains(target, exitsDir(b.cfg.DataDir)) || slices.Contains([]string{"4", "5", "6", "7", "8"}, fd) {
			t.Errorf("the program has descriptor %s: %s", fd, target)
		}
	}
	if !strings.Contains(string(out), "\n1 pipe:") {
		t.Fatalf("the program's descriptors: %q", out)
	}
	if _, err := os.Stat(b.SandboxDir(a.ID)); err != nil {
		t.Fatal(err)
	}
}
