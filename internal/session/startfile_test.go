package session

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
)

// startWithHome runs a shell session for a test as start does, with home
// as its HOME, holding the files of testdata/rchome.
func startWithHome(t *testing.T, shell string) *Conn {
	t.Helper()
	argv := Command(Shell, shell, nil)
	outside.Need(t, Program(argv), Program(argv))
	home := t.TempDir()
	proctest.CopyDotFiles(t, "testdata/rchome", home)
	tty := proctest.StartOnTerminal(t, t.TempDir(), append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}, Env()...), argv)
	return NewConn(Shell, tty, tty)
}

// TestShellStartFiles: a bash session reads ~/.bashrc, and is sent
// ~/.emacs_bash as its first input, as Emacs's M-x shell starts it; what
// they print, the prompt of ~/.bashrc's PS1 among it, is the first
// block's, as in Emacs (these are the results Emacs 28.2 gives with the
// same home: see the plan's TestAgainstEmacs/shell_sessions_with_rc_files).
func TestShellStartFiles(t *testing.T) {
	c := startWithHome(t, "bash")
	for _, b := range []struct{ body, want string }{
		{"echo \"first: $RC_VAR $STARTED\"", "bashrc: read\nrc:2> emacs_bash: sent\nhello, startfile\nfirst: from-bashrc from-emacs_bash"},
		{"x=1\ny=2", ""},
		{"hi\ngreet you\ntype greet | head -1", "hi from an alias\nhello, you\ngreet is a function"},
	} {
		if got := eval(t, c, Request{Body: b.body}); got != b.want {
			t.Errorf("%q: got %q, want %q", b.body, got, b.want)
		}
	}
	// sh reads ~/.emacs_sh, not ~/.bashrc.
	if os.Geteuid() != 0 {
		t.Skip("the expected result has root's prompt (#)")
	}
	c = startWithHome(t, "sh")
	if got, want := eval(t, c, Request{Body: "echo \"sh: [$SH_STARTED] [$RC_VAR]\""}), "\n# sh: [yes] []"; got != want {
		t.Errorf("sh: got %q, want %q", got, want)
	}
}

// TestShellStartFileUnreadable: a start file the shell cannot read (here a
// directory) fails the session, saying so, as Emacs signals an error.
func TestShellStartFileUnreadable(t *testing.T) {
	argv := Command(Shell, "sh", nil)
	home := t.TempDir()
	if err := os.Mkdir(filepath.Join(home, ".emacs_sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	tty := proctest.StartOnTerminal(t, t.TempDir(), append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}, Env()...), argv)
	c := NewConn(Shell, tty, tty)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := c.Eval(ctx, Request{Body: "echo hi"}); !errors.Is(err, ErrEnded) || !strings.Contains(err.Error(), "could not read the shell's start file") {
		t.Fatalf("got %v", err)
	}
}

// TestShellStartFileInEmacsDirectory: without ~/.emacs_SHELL the start file
// is init_SHELL.sh in the directory Emacs 28.2 takes for
// user-emacs-directory: ~/.emacs.d/ where it or ~/.emacs exists, or else
// $XDG_CONFIG_HOME/emacs/ (~/.config/emacs/) where that exists.
func TestShellStartFileInEmacsDirectory(t *testing.T) {
	for _, c := range []struct {
		name  string
		files map[string]string // path in HOME: contents ("/" ends a directory)
		xdg   string            // XDG_CONFIG_HOME under HOME, if set
		want  string
	}{
		{"emacs.d", map[string]string{".emacs.d/init_sh.sh": "S=emacs.d\n", ".config/emacs/init_sh.sh": "S=config\n"}, "", "emacs.d"},
		{"config", map[string]string{".config/emacs/init_sh.sh": "S=config\n"}, "", "config"},
		{"config, .emacs", map[string]string{".emacs": "", ".config/emacs/init_sh.sh": "S=config\n"}, "", ""},
		{"XDG_CONFIG_HOME", map[string]string{"x/emacs/init_sh.sh": "S=xdg\n", ".config/emacs/init_sh.sh": "S=config\n"}, "x", "xdg"},
		{".emacs_sh first", map[string]string{".emacs_sh": "S=home\n", ".emacs.d/init_sh.sh": "S=emacs.d\n"}, "", "home"},
	} {
		home := t.TempDir()
		for name, text := range c.files {
			p := filepath.Join(home, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}
		if c.xdg != "" {
			env = append(env, "XDG_CONFIG_HOME="+filepath.Join(home, c.xdg))
		}
		tty := proctest.StartOnTerminal(t, t.TempDir(), append(env, Env()...), Command(Shell, "sh", nil))
		conn := NewConn(Shell, tty, tty)
		got := eval(t, conn, Request{Body: "echo \"[$S]\""})
		if !strings.HasSuffix(got, "["+c.want+"]") {
			t.Errorf("%s: got %q, want it to end in [%s]", c.name, got, c.want)
		}
	}
}

// TestShellStartFileLineEnds: a start file whose lines all end in CRLF is
// sent with LF, one of mixed line ends as it is (the terminal reads its CR
// as a newline: one more prompt), as Emacs 28.2 sends them.
func TestShellStartFileLineEnds(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the expected results have root's prompt (#)")
	}
	for _, c := range []struct{ file, want string }{
		{"A=1\r\nB=2\r\n", "\n# # [1][2]"},
		{"A=1\r\nB=2\n", "\n# # # [1][2]"},
		{"A=1\rB=2\r", "\n# # [1][2]"},
	} {
		home := t.TempDir()
		if err := os.WriteFile(filepath.Join(home, ".emacs_sh"), []byte(c.file), 0o644); err != nil {
			t.Fatal(err)
		}
		tty := proctest.StartOnTerminal(t, t.TempDir(), append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}, Env()...), Command(Shell, "sh", nil))
		if got := eval(t, NewConn(Shell, tty, tty), Request{Body: "echo \"[$A][$B]\""}); got != c.want {
			t.Errorf("%q: got %q, want %q", c.file, got, c.want)
		}
	}
}

// TestShellESHELLNotFound: an ESHELL that names no program, or set and
// empty, fails the session, saying so, as Emacs's shell signals an error.
func TestShellESHELLNotFound(t *testing.T) {
	for _, eshell := range []string{"", "borges-no-such-shell"} {
		home := t.TempDir()
		tty := proctest.StartOnTerminal(t, t.TempDir(), append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "ESHELL=" + eshell}, Env()...), Command(Shell, "sh", nil))
		c := NewConn(Shell, tty, tty)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		_, err := c.Eval(ctx, Request{Body: "echo hi"})
		cancel()
		if want := "the session's shell '" + eshell + "' is not found"; !errors.Is(err, ErrEnded) || !strings.Contains(err.Error(), want) {
			t.Errorf("ESHELL=%q: got %v, want %q", eshell, err, want)
		}
	}
}

// TestShellSessionEmacsShellFileNameNotFound: a "shell" session started
// with the document's Emacs's shell-file-name (WithShell) that is not
// installed fails saying the name is that Emacs's, not the block's SHELL;
// an ESHELL still goes first, and is named as the session's shell.
func TestShellSessionEmacsShellFileNameNotFound(t *testing.T) {
	for _, c := range []struct{ eshell, want string }{
		{"", "the document's Emacs's shell-file-name 'borges-no-such-shell' is not found"},
		{"ESHELL=borges-no-such-eshell", "the session's shell 'borges-no-such-eshell' is not found"},
	} {
		env := append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "SHELL=/bin/sh"}, Env()...)
		if c.eshell != "" {
			env = append(env, c.eshell)
		}
		tty := proctest.StartOnTerminal(t, t.TempDir(), env, WithShell(Command(Shell, "shell", nil), "borges-no-such-shell"))
		conn := NewConn(Shell, tty, tty)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		_, err := conn.Eval(ctx, Request{Body: "echo hi"})
		cancel()
		if !errors.Is(err, ErrEnded) || !strings.Contains(fmt.Sprint(err), c.want) {
			t.Errorf("%q: got %v, want %q", c.eshell, err, c.want)
		}
	}
}
