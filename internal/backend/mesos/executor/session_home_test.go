package executor

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	mesos "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/session"
)

// TestSessionStartFilesOnExecutor: a session's bash reads the ~/.bashrc
// of the HOME the executor was given (by its agent) and is sent its
// ~/.emacs_bash first, as on the local backend (TestSessionStartFiles
// there) and in Emacs.
func TestSessionStartFilesOnExecutor(t *testing.T) {
	outside.Need(t, "bash", "bash")
	home := t.TempDir()
	for name, text := range map[string]string{
		".bashrc":     "echo 'bashrc: read'\nPS1='rc:\\#> '\nRC_VAR=rc\n",
		".emacs_bash": "STARTED=yes\necho 'emacs_bash: sent'\n",
	} {
		if err := os.WriteFile(filepath.Join(home, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Setenv("HOME", home)
	e, agent := testExecutor(t)
	e.launch(context.Background(), sessionTask(t, "sess-rc", "d.1-a.0.1", session.Shell, session.Command(session.Shell, "bash", nil), nil))
	state, files := runBlock(t, e, agent, blockTask(t, "d.1-a.0.1", "sess-rc", SessionBlock{Body: "echo \"$RC_VAR $STARTED\""}))
	if want := "bashrc: read\nrc:2> emacs_bash: sent\nrc yes"; state != mesos.TASK_FINISHED || files["stdout"] != want {
		t.Fatalf("%v %q, want %q", state, files["stdout"], want)
	}
}
