package local

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// writeFiles writes files (name: contents) into dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSessionStartFiles: a session's bash, a process here, reads the
// ~/.bashrc of the server's HOME and is sent its ~/.emacs_bash first, as
// the server's user's Emacs would start it; what they print, and the
// prompt ~/.bashrc sets, begin the first block's result (as Emacs gives
// it: see the plan's TestAgainstEmacs/shell_sessions_with_rc_files).
func TestSessionStartFiles(t *testing.T) {
	outside.Need(t, "bash", "bash")
	home := t.TempDir()
	writeFiles(t, home, map[string]string{
		".bashrc":     "echo 'bashrc: read'\nalias hi='echo hi from an alias'\nPS1='rc:\\#> '\nRC_VAR=rc\n",
		".emacs_bash": "STARTED=yes\necho 'emacs_bash: sent'\n",
	})
	t.Setenv("HOME", home)
	b, r := newBackend(t, t.TempDir())
	cmd := session.Command(session.Shell, "bash", nil)
	u := runSession(t, b, r,
		sessionAttempt("d.1-a.0.1", "d/shell:s/1", "shell", "echo \"$RC_VAR $STARTED\"", cmd),
		sessionAttempt("d.2-b.0.1", "d/shell:s/1", "shell", "x=1\nhi", cmd))
	for _, x := range u {
		if x.State != engine.Finished {
			t.Fatalf("%+v", u)
		}
	}
	if got, want := readStream(t, b, "d.1-a.0.1", "stdout"), "bashrc: read\nrc:2> emacs_bash: sent\nrc yes"; got != want {
		t.Errorf("first block: got %q, want %q", got, want)
	}
	// The prompt after x=1 begins a piece of its own, as Babel splits.
	if got, want := readStream(t, b, "d.2-b.0.1", "stdout"), "\nhi from an alias"; got != want {
		t.Errorf("second block: got %q, want %q", got, want)
	}
}

// TestSessionRunsESHELL: a shell session, a process here, runs the
// $ESHELL of the server's environment in place of its block's shell, as
// Emacs's M-x shell runs Emacs's, by the path PATH finds it at, sent the
// start file of its name (~/.emacs_dash); an ESHELL the first block's
// :env sets, in the session's environment, does the same.
func TestSessionRunsESHELL(t *testing.T) {
	dash := outside.Need(t, "dash", "dash")
	home := t.TempDir()
	writeFiles(t, home, map[string]string{".emacs_dash": "STARTED=dash\n", ".emacs_bash": "STARTED=bash\n"})
	t.Setenv("HOME", home)
	cmd := session.Command(session.Shell, "bash", nil)
	body := "echo \"[$STARTED] [${BASH_VERSION:+bash}] $0\""
	t.Run("server", func(t *testing.T) {
		t.Setenv("ESHELL", "dash")
		b, r := newBackend(t, t.TempDir())
		a := sessionAttempt("d.1-a.0.1", "d/shell:s/1", "shell", body, cmd)
		if u := runSession(t, b, r, a); u[0].State != engine.Finished {
			t.Fatalf("%+v", u)
		}
		if got, want := readStream(t, b, a.ID, "stdout"), "[dash] [] "+dash; !strings.HasSuffix(got, want) {
			t.Errorf("got %q, want it to end in %q", got, want)
		}
	})
	t.Run(":env", func(t *testing.T) {
		b, r := newBackend(t, t.TempDir())
		a := sessionAttempt("d.1-a.0.1", "d/shell:s/1", "shell", body, cmd)
		a.Env["ESHELL"] = "dash"
		if u := runSession(t, b, r, a); u[0].State != engine.Finished {
			t.Fatalf("%+v", u)
		}
		if got, want := readStream(t, b, a.ID, "stdout"), "[dash] [] "+dash; !strings.HasSuffix(got, want) {
			t.Errorf("got %q, want it to end in %q", got, want)
		}
	})
}

// TestSessionStartFileInContainer: in a container, the start file is
// looked for in the container's HOME (here the sandbox, as the block's
// environment says), by the image's sh.
func TestSessionStartFileInContainer(t *testing.T) {
	outside.Docker(t)
	b, r := newBackend(t, t.TempDir())
	a := sessionAttempt("d.1-a.0.1", "d/shell:c/1", "shell", "echo \"[$STARTED]\"", session.Command(session.Shell, "sh", nil))
	a.Task.Container = &plan.Container{Image: outside.TestImage, Kind: "docker"}
	a.Env["HOME"] = SandboxPath
	writeFiles(t, b.SandboxDir(a.ID), map[string]string{".emacs_sh": "STARTED=in-the-container\n"})
	if u := runSession(t, b, r, a); u[0].State != engine.Finished {
		t.Fatalf("%+v", u)
	}
	// BusyBox's sh says what it is as it starts, and prompts
	// "/mnt/borges # ", once before the start file and once after it,
	// on the line the block's output then follows (a piece Babel does
	// not split).
	got := readStream(t, b, a.ID, "stdout")
	if !strings.HasPrefix(got, "BusyBox v") || !strings.HasSuffix(got, "\nEnter 'help' for a list of built-in commands.\n/mnt/borges # [in-the-container]") {
		t.Errorf("got %q", got)
	}
}
