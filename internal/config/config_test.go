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

// A relative #+borges_data: is where `cd "$(dirname FILE)" && cd DATA`
// leads: the file's directory as the kernel resolves it (a ".." after a
// link is the parent of where the link leads), then DATA, its own links
// and ".." resolved the same way — never the lexical join, which names
// another directory once a link is crossed. A link to the file itself
// is named in the directory it is in, as the shell's dirname names it
// (and as Emacs visits a linked file, its default directory the link's).
func TestLoadDataDirThroughLinks(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(root, "real", "conf")
	links := filepath.Join(root, "links")
	other := filepath.Join(root, "other", "deep")
	for _, d := range []string{real, links, other, filepath.Join(root, "other", "d")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// links/conf -> real/conf; real/conf/o -> other/deep.
	if err := os.Symlink(real, filepath.Join(links, "conf")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(other, filepath.Join(real, "o")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(real, "c.org"), filepath.Join(links, "c.org")); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ file, value, want string }{
		// links/conf/.. is real: DATA is real/d, not links/d.
		{filepath.Join(links, "conf", "c.org"), "../d", filepath.Join(root, "real", "d")},
		// o/.. is other (o leads to other/deep), not real/conf.
		{filepath.Join(real, "c.org"), "o/../d", filepath.Join(root, "other", "d")},
		{filepath.Join(links, "conf", "c.org"), "o/../d", filepath.Join(root, "other", "d")},
		// The file through a link to it: the link's directory.
		{filepath.Join(links, "c.org"), "d", filepath.Join(links, "d")},
	} {
		if err := os.WriteFile(filepath.Join(real, "c.org"), []byte("#+borges_data: "+c.value+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		conf, err := Load(c.file, Default())
		if err != nil {
			t.Fatal(err)
		}
		// What the kernel makes of it, the directory made if it is not
		// there (as the server makes it).
		if err := os.MkdirAll(conf.DataDir, 0o700); err != nil {
			t.Fatal(err)
		}
		got, err := filepath.EvalSymlinks(conf.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("Load(%s) of #+borges_data: %s: %q, which is %s; want %s", c.file, c.value, conf.DataDir, got, c.want)
		}
	}
}

// A relative file name: the file's directory is the working directory's
// as the kernel has it, through the links of the name.
func TestLoadDataDirRelativeFileThroughLink(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(root, "real", "conf")
	if err := os.MkdirAll(real, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(real, "c.org"), []byte("#+borges_data: d\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	conf, err := Load("link/../conf/c.org", Default())
	if os.IsNotExist(err) {
		// link/.. is real: real/conf/c.org is read. (Lexically, conf/c.org.)
		t.Fatal(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if !filepath.IsAbs(conf.DataDir) {
		t.Errorf("data directory %q: want it absolute, not relative to a working directory that may change", conf.DataDir)
	}
	if want := filepath.Join(real, "d"); conf.DataDir != want {
		t.Errorf("data directory %q, want %q", conf.DataDir, want)
	}
}

// ~ is the home directory, as the shell has it; a ~ the shell would read
// otherwise (~user), or a ~ with no home directory known, and an empty
// value, are errors naming the file, the line and the keyword, never a
// directory named "~" made beside the file.
func TestLoadDataDirHomeAndEmpty(t *testing.T) {
	home, dir := t.TempDir(), t.TempDir()
	file := filepath.Join(dir, "c.org")
	load := func(text string) (Config, error) {
		t.Helper()
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return Load(file, Default())
	}
	t.Setenv("HOME", home)
	for value, want := range map[string]string{"~": home, "~/": home, "~/x": filepath.Join(home, "x")} {
		c, err := load("#+title: t\n#+borges_data: " + value + "\n")
		if err != nil {
			t.Errorf("%s: %v", value, err)
			continue
		}
		if filepath.Clean(c.DataDir) != want {
			t.Errorf("#+borges_data: %s: %q, want %q", value, c.DataDir, want)
		}
	}
	for _, c := range []struct{ text, want string }{
		{"#+title: t\n#+borges_data:\n", `line 2: #+borges_data: "" is empty`},
		{"#+title: t\n#+borges_data:   \n", `line 2: #+borges_data: "" is empty`},
		{"#+title: t\n#+borges_data: ~root/x\n", `line 2: #+borges_data: "~root/x"`},
		{"#+title: t\n#+BORGES_DATA: ~nobody\n", `line 2: #+BORGES_DATA: "~nobody"`},
	} {
		_, err := load(c.text)
		if err == nil || !strings.Contains(err.Error(), file+": ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one naming %s and %q", c.text, err, file, c.want)
		}
	}
	t.Setenv("HOME", "")
	if _, err := load("#+borges_data: ~/x\n"); err == nil || !strings.Contains(err.Error(), `line 1: #+borges_data: "~/x"`) || !strings.Contains(err.Error(), "home") {
		t.Errorf("~/x with no home directory: error %v, want one naming the line and saying no home directory is known", err)
	}
}

// Every path keyword reads a leading ~ as #+borges_data: does.
func TestLoadPathsTilde(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, key := range []string{"borges_token_file", "mesos_secret_file", "mesos_ca_file", "kube_config"} {
		c, err := Parse("#+"+key+": ~\n", Default())
		if err != nil {
			t.Errorf("%s: ~: %v", key, err)
		} else if got := c.TokenFile + c.MesosSecretFile + c.MesosCAFile + c.KubeConfig; got != home {
			t.Errorf("%s: ~: %q, want %q", key, got, home)
		}
		if _, err := Parse("#+title: t\n#+"+key+": ~root/x\n", Default()); err == nil || !strings.Contains(err.Error(), `line 2: #+`+key+`: "~root/x"`) {
			t.Errorf("%s: ~root/x: error %v, want one naming the line and the keyword", key, err)
		}
	}
}
