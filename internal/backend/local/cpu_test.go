package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/plan/plantest"
)

// planned is an attempt of the one block of an Org text, planned as a
// server with opts plans it.
func planned(t *testing.T, text string, opts plan.Options) *engine.Attempt {
	t.Helper()
	_, p := plantest.PlannedWith(t, text, plan.Limits{Max: plan.Resources{CPUs: 2, MemMB: 1024}}, opts)
	task := p.Tasks[0]
	attempts++
	return &engine.Attempt{ID: testID("d.cpu", attempts), Task: task, Script: task.Script}
}

// TestCPURequestAndLimit reads the cgroup files of running attempts: :cpu
// is a share of the CPUs, never a cap, unless :cpu-limit or
// #+borges_cpu_limit: hard asks for one; :pids is the processes' bound.
func TestCPURequestAndLimit(t *testing.T) {
	for _, c := range []struct {
		name, header string
		opts         plan.Options
		v1, v2       map[string]string // file → content ("" where the kernel's default stays)
	}{
		{"request", ":cpu 0.5", plan.DefaultOptions,
			map[string]string{"cpu.shares": "512", "cpu.cfs_quota_us": "-1", "pids.max": "4096"},
			map[string]string{"cpu.weight": "20", "cpu.max": "max 100000", "pids.max": "4096"}},
		{"default", "", plan.DefaultOptions,
			map[string]string{"cpu.shares": "102", "cpu.cfs_quota_us": "-1"},
			map[string]string{"cpu.weight": "4", "cpu.max": "max 100000"}},
		{"cpu-limit", ":cpu 0.5 :cpu-limit 1.5 :pids 50", plan.DefaultOptions,
			map[string]string{"cpu.shares": "512", "cpu.cfs_quota_us": "150000", "pids.max": "50"},
			map[string]string{"cpu.weight": "20", "cpu.max": "150000 100000", "pids.max": "50"}},
		{"hard config", ":cpu 0.5", plan.Options{HardCPULimit: true},
			map[string]string{"cpu.shares": "512", "cpu.cfs_quota_us": "50000"},
			map[string]string{"cpu.weight": "20", "cpu.max": "50000 100000"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b, r := newBackend(t, t.TempDir())
			if b.cgroups == nil || !b.cgroups.Has("cpu") {
				t.Skipf("no cpu controller here: %s", b.Enforcement())
			}
			a := planned(t, "#+begin_src sh "+c.header+"\nsleep 300\n#+end_src\n", c.opts)
			if err := b.Launch(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { b.Kill(context.Background(), a.ID); r.wait(t, a.ID) })
			r.wait(t, a.ID, engine.Running)
			cg := b.cgroups.Attempt(a.ID)
			want := c.v1
			if cg.V2 {
				want = c.v2
			}
			for file, v := range want {
				ctrl, _, _ := strings.Cut(file, ".")
				dir := cg.Dirs[ctrl]
				if cg.V2 {
					dir = cg.Dirs[""]
				}
				if dir == "" {
					continue // controller not here
				}
				got, err := os.ReadFile(filepath.Join(dir, file))
				if err != nil {
					t.Fatal(err)
				}
				if strings.TrimSpace(string(got)) != v {
					t.Errorf("%s = %q, want %q", file, strings.TrimSpace(string(got)), v)
				}
			}
		})
	}
}
