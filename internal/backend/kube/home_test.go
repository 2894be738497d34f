package kube

import (
	"os/user"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
)

// TestPodDirHome: a pod's :dir ~ whose HOME the document's Emacs removed
// is the home the password database where the pod runs gives the
// block's user (here this machine's, run as a node would run the main
// container), not the image's HOME its shell still has; ~NAME is NAME's
// home there (engine.ShellWorkDirStep, as on Mesos and in a local
// container).
func TestPodDirHome(t *testing.T) {
	own := proctest.PasswdHome(t)
	daemon, err := user.Lookup("daemon")
	if err != nil || daemon.HomeDir == "" {
		t.Skipf("no user daemon: %v", err)
	}
	b := offlineBackend(t, nil)
	image := []string{"HOME=" + t.TempDir()}
	for _, c := range []struct {
		dir   string
		unset []string
		env   map[string]string
		want  string
	}{
		{"~", []string{"HOME"}, nil, own},
		{"~", []string{"HOME"}, map[string]string{"LOGNAME": "daemon"}, daemon.HomeDir},
		{"~daemon", nil, nil, daemon.HomeDir},
	} {
		task := &plan.Task{Block: "b", Line: 4, Dir: c.dir, Interpreter: []string{"sh"}, Container: &plan.Container{Image: "img"}}
		a := &engine.Attempt{ID: "d.0-b.0.1", DocID: "d", Block: "b", Number: 1, Task: task, Script: "pwd", Env: c.env, Unset: c.unset}
		pod, err := b.pod(a, "img", nil, "<<end>>")
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSuffix(runMainContainer(t, pod, image), "\n"); got != c.want {
			t.Errorf(":dir %s (removed %v, set %v): ran in %q, want %q", c.dir, c.unset, c.env, got, c.want)
		}
	}
}
