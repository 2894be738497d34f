package session

import (
	"os"
	"path/filepath"
	"testing"

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
	files, err := filepath.Glob("testdata/rchome/.*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, filepath.Base(f)), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
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
