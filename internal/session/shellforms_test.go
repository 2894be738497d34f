package session

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/proctest"
)

// TestShellFormsChosenByShellFileName: a "shell" block's body of two
// forms (ShellFormsBody) is sent in bash's where the session's
// shell-file-name ($SHELL where it starts) ends in "bash", whichever
// shell ESHELL makes it run, else in the other shells'; where bash's
// forms stop Emacs, nothing is sent and the stop is the result.
func TestShellFormsChosenByShellFileName(t *testing.T) {
	for _, c := range []struct {
		name     string
		env      []string
		bashStop string
		want     string
	}{
		{"sh", []string{"SHELL=/bin/sh"}, "", "generic"},
		{"bash", []string{"SHELL=/bin/bash"}, "", "bash"},
		{"bash run by ESHELL sh", []string{"SHELL=/bin/bash", "ESHELL=/bin/sh"}, "", "bash"},
		{"sh run by ESHELL bash", []string{"SHELL=/bin/sh", "ESHELL=/bin/bash"}, "", "generic"},
		{"bash stop", []string{"SHELL=/bin/bash"}, "stopped", "stopped"},
		{"sh no stop", []string{"SHELL=/bin/sh"}, "stopped", "generic"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			env := append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "PS1=$ "}, c.env...)
			tty := proctest.StartOnTerminal(t, dir, append(env, Env()...), Command(Shell, "shell", nil))
			conn := NewConn(Shell, tty, tty)
			// A first block, so that the start's output is not the
			// block's.
			eval(t, conn, Request{Body: "true"})
			if got := eval(t, conn, Request{Body: ShellFormsBody("echo generic", "echo bash", c.bashStop), ShellForms: true}); got != c.want {
				t.Errorf("result %q, want %q", got, c.want)
			}
		})
	}
}

// TestStartFrameShellFileNameWithNewline: a shell-file-name holding a
// newline reaches the Conn whole, and the start file's contents are sent
// as they are, not cut where the name's newline was.
func TestStartFrameShellFileNameWithNewline(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "nl\nbash")
	if err := os.Symlink("/bin/bash", name); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ".emacs_nl\nbash"), []byte("X=started\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "PS1=$ ", "SHELL=" + name}
	tty := proctest.StartOnTerminal(t, dir, append(env, Env()...), Command(Shell, "shell", nil))
	conn := NewConn(Shell, tty, tty)
	// The first block's result holds what the shell printed as it
	// started (bash.bashrc's prompt).
	if got := eval(t, conn, Request{Body: "echo $X"}); !strings.HasSuffix(got, "started") || strings.Contains(got, "not found") {
		t.Errorf("first block %q, want it to end in %q", got, "started")
	}
	if conn.shellFile != name {
		t.Errorf("shell-file-name %q, want %q", conn.shellFile, name)
	}
}

// TestStartFrame: the frame's two lengths, its contents and name after
// them; an older frame of one length (no name) is read too; a length
// that is not a number is an error.
func TestStartFrame(t *testing.T) {
	for _, c := range []struct {
		in, contents, name string
		n                  int
		ok, err            bool
	}{
		{in: "3 5\nabc/bin\nrest", contents: "abc", name: "/bin\n", n: 12, ok: true},
		{in: "3 5\nabc/bi", ok: false},
		{in: "3\nabcrest", contents: "abc", n: 5, ok: true},
		{in: "0 0\n", n: 4, ok: true},
		{in: "x 0\n", err: true},
		{in: "3 y\nabc", err: true},
		{in: "x\n", err: true},
		{in: "3", ok: false},
	} {
		contents, name, n, ok, err := startFrame([]byte(c.in))
		if (err != nil) != c.err || ok != c.ok || ok && (string(contents) != c.contents || name != c.name || n != c.n) {
			t.Errorf("%q: %q %q %d %v %v", c.in, contents, name, n, ok, err)
		}
	}
}

// TestShellFormsMarkInBodyIsText: a body that begins as ShellFormsBody's
// does, in a request that does not say it holds two forms
// (Request.ShellForms), is the block's text and is sent as it is.
func TestShellFormsMarkInBodyIsText(t *testing.T) {
	dir := t.TempDir()
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir, "PS1=$ ", "SHELL=/bin/bash"}
	tty := proctest.StartOnTerminal(t, dir, append(env, Env()...), Command(Shell, "sh", nil))
	conn := NewConn(Shell, tty, tty)
	eval(t, conn, Request{Body: "true"})
	body := ShellFormsBody("", "", "echo real")
	if got := eval(t, conn, Request{Body: body}); !strings.HasSuffix(got, "real") || got == "echo real" {
		t.Errorf("result %q, want the body run: its last line real", got)
	}
}
