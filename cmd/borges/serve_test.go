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
