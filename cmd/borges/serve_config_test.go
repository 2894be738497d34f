package main

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// -data=~/x is the home directory's x, as the same keyword's value is
// (no shell expands a ~ after "="); a relative #+borges_data: of a
// configuration file is relative to the file; -data overrides it.
func TestServeConfigDataDir(t *testing.T) {
	home, base := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Chdir(base)
	file := filepath.Join("conf", "borges.org")
	if err := os.Mkdir("conf", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("#+borges_data: d\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"-data=~/x"}, filepath.Join(home, "x")},
		{[]string{"-data", "~/x"}, filepath.Join(home, "x")},
		{[]string{"-f", file}, filepath.Join(base, "conf", "d")},
		{[]string{"-f", file, "-data=~/y"}, filepath.Join(home, "y")},
		{[]string{"-f", file, "-data=./y"}, filepath.Join(base, "y")},
	} {
		cfg, _, code := serveConfig(c.args, io.Discard, io.Discard)
		if code >= 0 {
			t.Errorf("%q: exit %d", c.args, code)
			continue
		}
		got, err := filepath.Abs(cfg.DataDir)
		if err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%q: data directory %q, want %q", c.args, cfg.DataDir, c.want)
		}
	}
}

// A relative -data is made absolute once, where the configuration is
// settled: what the server tells of its data directory (the token it made,
// the store's errors) names it absolutely, as a service's working
// directory is not its reader's.
func TestServeConfigDataDirAbsolute(t *testing.T) {
	base := t.TempDir()
	t.Chdir(base)
	cfg, _, code := serveConfig([]string{"-data", "d", "-bind", "0.0.0.0"}, io.Discard, io.Discard)
	if code >= 0 {
		t.Fatalf("exit %d", code)
	}
	want := filepath.Join(base, "d")
	if cfg.DataDir != want {
		t.Fatalf("data directory %q, want %q", cfg.DataDir, want)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	var printed bytes.Buffer
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := resolveToken(cfg, log, &printed); err != nil {
		t.Fatal(err)
	}
	if token := filepath.Join(want, "token"); !strings.Contains(printed.String(), "(saved in "+token+")") {
		t.Errorf("the first start says %q, want it to name %s", printed.String(), token)
	}
}

// The client's --data=~/x is the server's -data=~/x: it finds the token
// the server saved there.
func TestClientConfigDataDirHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("BORGES_TOKEN", "")
	if err := os.Mkdir(filepath.Join(home, "x"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "x", "token"), []byte("0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := clientFlags{data: "~/x"}
	if got := c.bearer(); got != "0123456789abcdef" {
		t.Errorf("token %q, want the one in ~/x", got)
	}
}

// -data is resolved as the local backend resolves it (a ".." after a
// link is the parent of where the link leads), so the store and the
// token are in the directory the backend's DATA is.
func TestServeConfigDataDirResolvedAsTheBackend(t *testing.T) {
	parent := t.TempDir()
	inner := filepath.Join(parent, "inner", "deeper")
	if err := os.MkdirAll(inner, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(inner, filepath.Join(parent, "sub")); err != nil {
		t.Fatal(err)
	}
	cfg, _, code := serveConfig([]string{"-data", filepath.Join(parent, "sub") + "/../../data"}, io.Discard, io.Discard)
	if code >= 0 {
		t.Fatalf("exit %d", code)
	}
	// sub/.. is inner, sub/../.. parent: PARENT/data to the kernel,
	// PARENT/../data read lexically.
	want, err := filepath.EvalSymlinks(parent)
	if err != nil {
		t.Fatal(err)
	}
	if want = filepath.Join(want, "data"); cfg.DataDir != want {
		t.Errorf("data directory %q, want %q (where the backend puts DATA)", cfg.DataDir, want)
	}
}
