package main

import (
	"bytes"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// serveConfigT is serveConfig on a loopback port of the kernel's
// choosing, the listener it holds closed at the test's end.
func serveConfigT(t *testing.T, args []string, stderr io.Writer) (settings, int) {
	t.Helper()
	s, code := serveConfig(append([]string{"-bind", "127.0.0.1", "-port", "0"}, args...), io.Discard, stderr)
	if s.ln != nil {
		t.Cleanup(func() { s.ln.Close() })
	}
	return s, code
}

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
		cfg, code := serveConfigT(t, c.args, io.Discard)
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
	cfg, code := serveConfigT(t, []string{"-data", "d"}, io.Discard)
	if code >= 0 {
		t.Fatalf("exit %d", code)
	}
	cfg.Bind = "192.0.2.1" // not loopback: a token is made
	want := filepath.Join(base, "d")
	if cfg.DataDir != want {
		t.Fatalf("data directory %q, want %q", cfg.DataDir, want)
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	var printed bytes.Buffer
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if _, err := resolveToken(cfg.Config, log, &printed); err != nil {
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
	if got := c.bearer(io.Discard); got != "0123456789abcdef" {
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
	cfg, code := serveConfigT(t, []string{"-data", filepath.Join(parent, "sub") + "/../../data"}, io.Discard)
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

// Bad input gets a clear error and nothing half-done: a configuration
// that stops the server — a bad keyword below #+borges_data:, a bad
// flag, a file it names that cannot be read or holds no good token —
// leaves no data directory behind. DATA is made only once the whole
// configuration is read and found good.
func TestServeConfigBadLeavesNoDataDir(t *testing.T) {
	for _, c := range []struct {
		name, text string
		args       []string
		want       string
	}{
		{"a short -token", "#+borges_data: DATA\n", []string{"-token", "x"}, "-token"},
		// Each names the file, the line and the keyword, and the path
		// the keyword names, relative to the file's directory.
		{"an unreadable token file", "#+borges_data: DATA\n#+borges_token_file: missing\n", nil, "FILE: line 2: #+borges_token_file: open CONF/missing: no such file"},
		{"a token file with a short token", "#+borges_data: DATA\n#+borges_token_file: short\n", nil, "FILE: line 2: #+borges_token_file: the token in CONF/short"},
		{"a Mesos master and Kubernetes", "#+borges_data: DATA\n#+kubernetes: in-cluster\n", []string{"-mesos_master", "127.0.0.1:1"}, "FILE: line 2: #+kubernetes: and -mesos_master"},
		{"an unreadable Mesos secret", "#+borges_data: DATA\n#+mesos_master: 127.0.0.1:1\n#+mesos_secret_file: missing\n", nil, "FILE: line 3: #+mesos_secret_file: open CONF/missing: no such file"},
		{"an unreadable Mesos CA", "#+borges_data: DATA\n#+mesos_master: 127.0.0.1:1\n#+mesos_ca_file: missing\n", nil, "FILE: line 3: #+mesos_ca_file: open CONF/missing: no such file"},
		{"a Mesos CA with no certificate", "#+borges_data: DATA\n#+mesos_master: 127.0.0.1:1\n#+mesos_ca_file: short\n", nil, "FILE: line 3: #+mesos_ca_file: CONF/short: no PEM certificate"},
		{"an unreadable kubeconfig", "#+borges_data: DATA\n#+kube_config: missing\n", nil, "FILE: line 2: #+kube_config: stat CONF/missing: no such file"},
		{"an unreadable default kubeconfig", "#+borges_data: DATA\n#+kubernetes: kubeconfig\n", nil, "FILE: line 2: #+kubernetes: "},
	} {
		t.Run(c.name, func(t *testing.T) {
			base := t.TempDir()
			t.Chdir(base)
			t.Setenv("KUBECONFIG", filepath.Join(base, "nokube"))
			conf := filepath.Join(base, "conf")
			if err := os.Mkdir(conf, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(conf, "short"), []byte("x\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			data := filepath.Join(base, "data")
			text := strings.NewReplacer("DATA", data, "CONF", conf).Replace(c.text)
			file := filepath.Join(conf, "borges.org")
			if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			// Bound to an address no interface has: were the
			// configuration taken as good, the server stops at once.
			args := append([]string{"-f", file, "-bind", "192.0.2.1", "-port", "1"}, c.args...)
			code := runServe(args, nil, io.Discard, &stderr)
			want := strings.NewReplacer("FILE", file, "CONF", conf).Replace(c.want)
			if code != 2 || !strings.Contains(stderr.String(), want) {
				t.Errorf("exit %d, %q: want exit 2 and an error naming %q", code, stderr.String(), want)
			}
			if _, err := os.Lstat(data); !os.IsNotExist(err) {
				t.Errorf("the data directory is there after a bad configuration (%v)", err)
			}
		})
	}
}

// -data reads a leading ~ as #+borges_data: does: ~ and ~/x are the home
// directory's; ~user, which Borges does not look up, is an error naming
// the flag, not a directory named "~user" made in the working directory.
func TestServeConfigDataDirTilde(t *testing.T) {
	home, base := t.TempDir(), t.TempDir()
	t.Setenv("HOME", home)
	t.Chdir(base)
	cfg, code := serveConfigT(t, []string{"-data=~"}, io.Discard)
	if want, _ := filepath.EvalSymlinks(home); code >= 0 || cfg.DataDir != want {
		t.Errorf("-data=~: exit %d, data directory %q, want %q", code, cfg.DataDir, want)
	}
	var stderr bytes.Buffer
	if _, code := serveConfigT(t, []string{"-data=~root/x"}, &stderr); code != 2 || !strings.Contains(stderr.String(), `-data "~root/x"`) {
		t.Errorf("-data=~root/x: exit %d, %q: want exit 2 naming -data", code, stderr.String())
	}
	if _, err := os.Lstat(filepath.Join(base, "~root")); !os.IsNotExist(err) {
		t.Errorf("a directory ~root was made (%v)", err)
	}
}

// The client and the server read one spelling of DATA alike: what the
// server made of -data X (relative, a link to the directory, a ".."
// after a link) is where the client's --data X, from the same working
// directory, finds the token the server saved.
func TestClientFindsTheServersTokenHoweverDataIsSpelled(t *testing.T) {
	t.Setenv("BORGES_TOKEN", "")
	t.Setenv("BORGES_DATA", "")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	// (Other spellings, "d", "./d/", a link to DATA, the kernel and a
	// lexical reading agree on.)
	for _, spelling := range []string{"sub/../../data"} {
		t.Run(spelling, func(t *testing.T) {
			base := t.TempDir()
			t.Chdir(base)
			// link -> d; sub -> inner/deeper, so sub/../.. is base.
			for _, d := range []string{"d", filepath.Join("inner", "deeper")} {
				if err := os.MkdirAll(d, 0o700); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Symlink("d", "link"); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(filepath.Join("inner", "deeper"), "sub"); err != nil {
				t.Fatal(err)
			}
			cfg, code := serveConfigT(t, []string{"-data", spelling}, io.Discard)
			if code >= 0 {
				t.Fatalf("exit %d", code)
			}
			cfg.Bind = "192.0.2.1" // not loopback: a token is made
			tok, err := resolveToken(cfg.Config, log, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			c := clientFlags{data: spelling}
			if got := c.bearer(io.Discard); got != tok {
				t.Errorf("the client's --data %s reads token %q; the server (DATA %s) saved %q", spelling, got, cfg.DataDir, tok)
			}
		})
	}
}

// The unknown keywords are warned of whatever stops the server after the
// file is read: a misspelt keyword is often what explains the failure.
func TestServeConfigWarnsBeforeFailing(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("KUBECONFIG", filepath.Join(dir, "nokube"))
	file := filepath.Join(dir, "borges.org")
	if err := os.WriteFile(file, []byte("#+borges_data: data\n#+kubernetes: kubeconfig\n#+kube_conifg: k\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	code := runServe([]string{"-f", file, "-bind", "192.0.2.1", "-port", "1"}, nil, io.Discard, &stderr)
	out := stderr.String()
	warn, fail := strings.Index(out, "unknown keyword #+kube_conifg"), strings.Index(out, "line 2: #+kubernetes:")
	if code != 2 || warn < 0 || fail < 0 || warn > fail {
		t.Errorf("exit %d, %q: want exit 2, the warning of #+kube_conifg, then the error of #+kubernetes:", code, out)
	}
}

// Nothing is made or printed for a server that cannot listen: the
// address is held before DATA is made and a token made, printed and
// saved. An address in use, or one no interface has (not loopback: a
// token would have been printed), stops it, exit 2, naming the address.
func TestServeListenFailsLeavesNothing(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { busy.Close() })
	port := strconv.Itoa(busy.Addr().(*net.TCPAddr).Port)
	for _, c := range []struct{ name, bind, port string }{
		{"a port in use", "127.0.0.1", port},
		{"an address no interface has", "192.0.2.1", "1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("HOME", t.TempDir())
			data := filepath.Join(t.TempDir(), "data")
			var stderr bytes.Buffer
			code := runServe([]string{"-data", data, "-bind", c.bind, "-port", c.port}, nil, io.Discard, &stderr)
			if code != 2 || !strings.Contains(stderr.String(), "listen on "+c.bind+":"+c.port) {
				t.Errorf("exit %d, %q: want exit 2 and an error naming %s:%s", code, stderr.String(), c.bind, c.port)
			}
			if strings.Contains(stderr.String(), "token") {
				t.Errorf("a token is told of for a server that never listened: %q", stderr.String())
			}
			if _, err := os.Lstat(data); !os.IsNotExist(err) {
				t.Errorf("the data directory is there for a server that never listened (%v)", err)
			}
		})
	}
}

// The client says why it sends no token where it cannot find where to
// look: a --data (or $BORGES_DATA) it cannot expand, no home directory
// known for the default ~/.borges. It reads no other directory's token
// (not /token, nor the working directory's).
func TestClientSaysWhyNoToken(t *testing.T) {
	t.Setenv("BORGES_TOKEN", "")
	t.Chdir(t.TempDir())
	if err := os.WriteFile("token", []byte("0123456789abcdef\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, home, data, env, want string
	}{
		{"--data ~user", t.TempDir(), "~root/x", "", `--data "~root/x"`},
		{"BORGES_DATA ~user", t.TempDir(), "", "~root/x", `BORGES_DATA "~root/x"`},
		{"--data ~ with no home", "", "~/x", "", `--data "~/x"`},
		{"no home", "", "", "", "no home directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("HOME", c.home)
			t.Setenv("BORGES_DATA", c.env)
			var stderr bytes.Buffer
			cf := clientFlags{data: c.data}
			if got := cf.bearer(&stderr); got != "" {
				t.Errorf("token %q, want none", got)
			}
			if !strings.Contains(stderr.String(), "no token sent") || !strings.Contains(stderr.String(), c.want) {
				t.Errorf("says %q, want why no token is sent, naming %s", stderr.String(), c.want)
			}
		})
	}
}
