package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestGood loads every testdata/*.good.org.
func TestGood(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.good.org")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		if _, err := Load(f, Default()); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestBad checks that every testdata/*.bad.org fails with the error its
// first line announces ("# error: …").
func TestBad(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.bad.org")
	if len(files) == 0 {
		t.Fatal("no fixtures")
	}
	for _, f := range files {
		data, _ := os.ReadFile(f)
		first, _, _ := strings.Cut(string(data), "\n")
		want := strings.TrimPrefix(first, "# error: ")
		_, err := Load(f, Default())
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want it to contain %q", f, err, want)
		}
	}
}

func TestValues(t *testing.T) {
	c, err := Load("testdata/local.good.org", Default())
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr() != "127.0.0.1:9999" || c.DataDir != "/tmp/borges-data" || c.LogFormat != "json" || c.CPUs != 1.5 ||
		c.MemMB != 2048 || c.MaxBodyMB != 2 || c.DefaultCPUs != 0.25 || c.DefaultMem != 64 || c.LogLevel != "debug" ||
		c.MaxPorts != 10 || c.MaxInstances != 20 || c.MaxTasks != 300 || c.MaxTracked != 4000 ||
		c.MaxOutput != 16<<20 || c.MaxResult != 64<<10 {
		t.Fatalf("config = %+v", c)
	}
	if len(c.Warnings) != 1 || !strings.Contains(c.Warnings[0], "line 12: unknown keyword #+borges_color") {
		t.Fatalf("warnings = %v", c.Warnings)
	}
	if d := Default(); d.MaxOutput != 1<<30 || d.MaxResult != 16<<20 {
		t.Fatalf("default caps: %d, %d", d.MaxOutput, d.MaxResult)
	}
	mesos, err := Load("testdata/mesos.good.org", Default())
	if err != nil || mesos.MesosUnreachable != 30*time.Second || mesos.MesosExecutor != "/usr/local/bin/borges" ||
		mesos.MesosExecutorIdle != 90*time.Second {
		t.Fatalf("mesos config = %+v, %v", mesos, err)
	}
	seed, err := Load("testdata/seed.good.org", Default())
	if err != nil || seed.MesosMaster != "192.168.0.7:5050" || seed.Addr() != "192.168.0.7:8888" {
		t.Fatalf("seed config = %+v, %v", seed, err)
	}
}

func TestTaskLimits(t *testing.T) {
	c, err := Load("testdata/limits.good.org", Default())
	if err != nil {
		t.Fatal(err)
	}
	if !c.HardCPULimit || c.DefaultPids != 512 {
		t.Fatalf("config = %+v", c)
	}
	if c, err := Parse("#+borges_cpu_limit: none\n", Default()); err != nil || c.HardCPULimit {
		t.Fatalf("none: %+v, %v", c, err)
	}
	if d := Default(); d.HardCPULimit || d.DefaultPids != 0 {
		t.Fatalf("default = %+v", d)
	}
}

// TestKube: the Kubernetes keywords select the backend and carry its
// settings; a kubeconfig alone selects it too.
func TestKube(t *testing.T) {
	c, err := Load("testdata/kube.good.org", Default())
	if err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	if c.Kubernetes != "kubeconfig" || c.KubeConfig != filepath.Join(home, ".kube/borges") || c.KubeContext != "lab" ||
		c.KubeNamespace != "borges-jobs" || c.KubeDefaultImage != "debian:12" || c.KubeNodeLostGrace != 90*time.Second {
		t.Fatalf("config = %+v", c)
	}
	c, err = Parse("#+kube_config: /etc/k.yaml\n", Default())
	if err != nil || c.Kubernetes != "kubeconfig" || c.KubeConfig != "/etc/k.yaml" {
		t.Fatalf("kube_config alone: %+v, %v", c, err)
	}
	if d := Default(); d.Kubernetes != "" {
		t.Fatalf("default: %+v", d)
	}
}

// The data directory of a configuration file: "~/" is the home
// directory; a relative path is relative to the file's directory,
// however the file is named.
func TestLoadDataDirRelativeToTheFile(t *testing.T) {
	home, base := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	sub := filepath.Join(base, "sub")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(base)
	for value, want := range map[string]string{
		"d":      filepath.Join(sub, "d"),
		"../d":   filepath.Join(base, "d"),
		"~/x":    filepath.Join(home, "x"),
		"/abs/d": "/abs/d",
	} {
		if err := os.WriteFile(filepath.Join(sub, "c.org"), []byte("#+borges_data: "+value+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{filepath.Join(sub, "c.org"), filepath.Join("sub", "c.org")} {
			c, err := Load(name, Default())
			if err != nil {
				t.Fatal(err)
			}
			got, err := filepath.Abs(c.DataDir)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("Load(%q) of #+borges_data: %s: %q, want %q", name, value, c.DataDir, want)
			}
		}
	}
}
