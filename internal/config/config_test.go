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

// A relative #+borges_data: is joined to the file's directory as
// Emacs's expand-file-name joins it in a buffer visiting the file:
// lexically, the directory as the file's name spells it (a link to the
// directory or to the file not resolved), a ".." taking away the name
// before it, a link's too. So a DATA a server found before, through a
// linked configuration directory, is where this one finds it.
func TestLoadDataDirThroughLinks(t *testing.T) {
	root, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	real := filepath.Join(root, "real", "conf")
	links := filepath.Join(root, "links")
	other := filepath.Join(root, "other", "deep")
	for _, d := range []string{real, links, other} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// links/conf -> real/conf; real/conf/o -> other/deep; links/c.org ->
	// real/conf/c.org.
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
		// links/conf/.. is links (the kernel: real).
		{filepath.Join(links, "conf", "c.org"), "../d", filepath.Join(links, "d")},
		// o/.. is the file's directory (the kernel: other).
		{filepath.Join(real, "c.org"), "o/../d", filepath.Join(real, "d")},
		{filepath.Join(links, "conf", "c.org"), "o/../d", filepath.Join(links, "conf", "d")},
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
		if conf.DataDir != c.want {
			t.Errorf("Load(%s) of #+borges_data: %s: %q, want %q", c.file, c.value, conf.DataDir, c.want)
		}
	}
}

// A relative file name is read from the working directory, and the
// paths in it are absolute: the working directory's directory as the
// kernel has it (the file read is the one it names) joined to the name.
func TestLoadDataDirRelativeFileName(t *testing.T) {
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
	t.Chdir(filepath.Join(root, "link"))
	for _, name := range []string{"c.org", "./c.org", "../conf/c.org"} {
		conf, err := Load(name, Default())
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(real, "d"); conf.DataDir != want {
			t.Errorf("Load(%s): data directory %q, want %q (absolute, not relative to a working directory that may change)", name, conf.DataDir, want)
		}
	}
}

// Every path keyword is relative to the directory of the file that gives
// it, as #+borges_data: is (and as Org's #+SETUPFILE: and a kubeconfig's
// paths are), not to the working directory; "~/link/../x" is the home
// directory's x, joined lexically as a relative path is.
func TestLoadPathsRelativeToTheFile(t *testing.T) {
	home, dir, wd := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Chdir(wd)
	file := filepath.Join(dir, "c.org")
	for _, key := range []string{"borges_data", "borges_token_file", "mesos_secret_file", "mesos_ca_file", "kube_config"} {
		for value, want := range map[string]string{
			"f":              filepath.Join(dir, "f"),
			"sub/../f":       filepath.Join(dir, "f"),
			"../f":           filepath.Join(filepath.Dir(dir), "f"),
			"~/link/../f":    filepath.Join(home, "f"),
			"/abs/link/../f": "/abs/link/../f",
		} {
			if err := os.WriteFile(file, []byte("#+"+key+": "+value+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := Load(file, Default())
			if err != nil {
				t.Errorf("#+%s: %s: %v", key, value, err)
				continue
			}
			got := map[string]string{"borges_data": c.DataDir, "borges_token_file": c.TokenFile, "mesos_secret_file": c.MesosSecretFile,
				"mesos_ca_file": c.MesosCAFile, "kube_config": c.KubeConfig}[key]
			if got != want {
				t.Errorf("#+%s: %s: %q, want %q", key, value, got, want)
			}
		}
	}
}

// Source names where a keyword was read, file and line: what an error
// about a file the keyword names says.
func TestLoadSource(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.org")
	if err := os.WriteFile(file, []byte("#+title: t\n#+BORGES_TOKEN_FILE: tok\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(file, Default())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Source("borges_token_file"), file+": line 2: #+BORGES_TOKEN_FILE:"; got != want {
		t.Errorf("Source: %q, want %q", got, want)
	}
	if got, want := c.Source("kube_config"), "#+kube_config:"; got != want {
		t.Errorf("Source of a keyword not read: %q, want %q", got, want)
	}
	c, err = Parse("#+kube_config: k\n", c)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Source("kube_config"), "line 1: #+kube_config:"; got != want {
		t.Errorf("Source of a text: %q, want %q", got, want)
	}
	if got, want := c.Source("borges_token_file"), file+": line 2: #+BORGES_TOKEN_FILE:"; got != want {
		t.Errorf("Source of the base's: %q, want %q", got, want)
	}
}

// ~ is the home directory, as the shell has it; a ~ the shell would read
// otherwise (~user), or a ~ with no home directory known,
// are errors naming the file, the line and the keyword, never a
// directory named "~" made beside the file.
func TestLoadDataDirHome(t *testing.T) {
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

// A bad value stops the reading, and the unknown keywords of the text
// are told with it: a misspelt keyword often explains the bad one.
func TestParseErrorTellsUnknownKeywords(t *testing.T) {
	_, err := Parse("#+kubernetes: kubeconfig\n#+kube_conifg: k\n#+borges_port: nope\n", Default())
	if err == nil || !strings.Contains(err.Error(), `line 3: #+borges_port: "nope"`) || !strings.Contains(err.Error(), "line 2: unknown keyword #+kube_conifg") {
		t.Errorf("error %v, want the bad #+borges_port: and the unknown #+kube_conifg:", err)
	}
}
