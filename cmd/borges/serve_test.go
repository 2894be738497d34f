package main

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/config"
)

func TestResolveToken(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	c := config.Default()
	c.DataDir = dir

	if tok, err := resolveToken(c, log, io.Discard); err != nil || tok != "" {
		t.Fatalf("loopback without token: %q %v", tok, err)
	}
	c.Token = "configured-token-123456"
	if tok, _ := resolveToken(c, log, io.Discard); tok != "configured-token-123456" {
		t.Fatalf("configured: %q", tok)
	}
	c.Token = ""
	c.Bind = "0.0.0.0"
	var printed bytes.Buffer
	tok, err := resolveToken(c, log, &printed)
	if err != nil || len(tok) < 32 || !strings.Contains(printed.String(), tok) {
		t.Fatalf("generated: %q %v %q", tok, err, printed.String())
	}
	stored, _ := os.ReadFile(filepath.Join(dir, "token"))
	if strings.TrimSpace(string(stored)) != tok {
		t.Fatalf("stored %q", stored)
	}
	info, _ := os.Stat(filepath.Join(dir, "token"))
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("token file mode %v", info.Mode())
	}
	printed.Reset()
	again, _ := resolveToken(c, log, &printed)
	if again != tok || printed.Len() != 0 {
		t.Fatalf("second start: %q, printed %q (the token is printed once)", again, printed.String())
	}
}

// TestTokenSources: every source of a token gets the same rule (16
// characters or more, visible ASCII), and a violation stops Borges naming
// the source, whether the bind is public or loopback.
func TestTokenSources(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	cases := []struct {
		name, bind, file, stored, want string
	}{
		{"empty token file, public bind", "0.0.0.0", "", "", "#+borges_token_file: the token in"},
		{"blank token file", "0.0.0.0", " \n\t\n", "", "is empty"},
		{"one character in the file", "0.0.0.0", "x\n", "", "is too short (1 characters)"},
		{"short token file on loopback", "127.0.0.1", "short\n", "", "#+borges_token_file"},
		{"token with a space", "0.0.0.0", "abcdefgh ijklmnopq\n", "", "not visible ASCII"},
		{"short stored token", "0.0.0.0", "-", "abc\n", "the stored token in"},
		{"empty stored token", "0.0.0.0", "-", "\n", "is empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			cfg := config.Default()
			cfg.DataDir, cfg.Bind = dir, c.bind
			if c.file != "-" {
				cfg.TokenFile = filepath.Join(dir, "token-file")
				os.WriteFile(cfg.TokenFile, []byte(c.file), 0o600)
			}
			if c.stored != "" {
				os.WriteFile(filepath.Join(dir, "token"), []byte(c.stored), 0o600)
			}
			tok, err := resolveToken(cfg, log, io.Discard)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("token %q, error %v; want an error with %q", tok, err, c.want)
			}
		})
	}
	good := config.Default()
	good.DataDir, good.Bind = t.TempDir(), "0.0.0.0"
	good.TokenFile = filepath.Join(good.DataDir, "f")
	os.WriteFile(good.TokenFile, []byte("  0123456789abcdef\n"), 0o600)
	if tok, err := resolveToken(good, log, io.Discard); err != nil || tok != "0123456789abcdef" {
		t.Fatalf("a good file: %q %v", tok, err)
	}
}

// TestShortTokenFlag: -token is held to the rule too, before anything
// starts.
func TestShortTokenFlag(t *testing.T) {
	var out bytes.Buffer
	code := runServe([]string{"-data", t.TempDir(), "-token", "x", "-port", "1"}, nil, io.Discard, &out)
	if code != 2 || !strings.Contains(out.String(), "-token") || !strings.Contains(out.String(), "too short") {
		t.Fatalf("exit %d: %q", code, out.String())
	}
}

// TestEmptyTokenFlag: an empty or blank -token is a token too short, not
// "no token": it stops the server rather than turn authentication off,
// on loopback as elsewhere, and whatever token the file configures.
func TestEmptyTokenFlag(t *testing.T) {
	for _, c := range []struct{ tok, bind string }{{"", "192.0.2.1"}, {"   ", "192.0.2.1"}, {"", "127.0.0.1"}, {"  ", "::1"}} {
		tok := c.tok
		dir := t.TempDir()
		tokenFile := filepath.Join(dir, "tok")
		if err := os.WriteFile(tokenFile, []byte("0123456789abcdef\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		conf := filepath.Join(dir, "borges.org")
		if err := os.WriteFile(conf, []byte("#+borges_token_file: tok\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		code := runServe([]string{"-f", conf, "-data", filepath.Join(dir, "data"), "-token", tok, "-bind", c.bind, "-port", "1"}, nil, io.Discard, &out)
		if code != 2 || !strings.Contains(out.String(), "-token") || !strings.Contains(out.String(), "empty") {
			t.Errorf("-token %q -bind %s: exit %d: %q; want exit 2 and an error naming -token", tok, c.bind, code, out.String())
		}
	}
}

// TestAnyHostNeedsToken: #+borges_allowed_hosts: * without a token on
// loopback would answer a page on any name that resolves to 127.0.0.1
// (DNS rebinding): the server refuses to start so, naming the keyword,
// before it makes anything; with a token, or off loopback (where a token
// is always required), it starts.
func TestAnyHostNeedsToken(t *testing.T) {
	cases := []struct {
		name, conf string
		args       []string
		refused    bool
	}{
		{"star alone on loopback", "#+borges_allowed_hosts: *\n", nil, true},
		{"star among names", "#+borges_allowed_hosts: proxy.example, *\n", nil, true},
		{"star with a token", "#+borges_allowed_hosts: *\n#+borges_token: 0123456789abcdef\n", nil, false},
		{"star with -token", "#+borges_allowed_hosts: *\n", []string{"-token", "0123456789abcdef"}, false},
		{"names without a token", "#+borges_allowed_hosts: proxy.example\n", nil, false},
		{"star off loopback (a token is made)", "#+borges_allowed_hosts: *\n", []string{"-bind", "0.0.0.0"}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			conf := filepath.Join(dir, "borges.org")
			if err := os.WriteFile(conf, []byte(c.conf), 0o600); err != nil {
				t.Fatal(err)
			}
			data := filepath.Join(dir, "data")
			args := append([]string{"-f", conf, "-data", data, "-bind", "127.0.0.1", "-port", "0"}, c.args...)
			var out bytes.Buffer
			s, code := serveConfig(args, io.Discard, &out)
			if s.ln != nil {
				s.ln.Close()
			}
			if !c.refused {
				if code != -1 {
					t.Fatalf("exit %d: %q; want the server to start", code, out.String())
				}
				return
			}
			if code != 2 || !strings.Contains(out.String(), "#+borges_allowed_hosts") || !strings.Contains(out.String(), "token") {
				t.Fatalf("exit %d: %q; want exit 2 naming #+borges_allowed_hosts and the token", code, out.String())
			}
			if _, err := os.Stat(data); !os.IsNotExist(err) {
				t.Errorf("the data directory was made for a server that does not start: %v", err)
			}
		})
	}
}
