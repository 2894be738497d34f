package local

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// TestContainerDirHome: a container's :dir ~ and ~NAME are homes inside
// the container, as the Mesos and Kubernetes containers take them (one
// shell step, engine.ShellWorkDirStep): ~ is the container's HOME (the
// block's, else the one the runtime gives from the image's
// /etc/passwd), and where the document's Emacs removed HOME the home the
// image's password database gives LOGNAME, else USER, else the uid (as
// Emacs's get_homedir); ~NAME is NAME's home in the image's /etc/passwd
// (never the host's: the test image's users no host has), for no such
// user a name beneath the sandbox, as Emacs leaves it relative. A home
// that is no absolute path is refused, naming the line and the :dir. With
// the static helper and without it (the image's /bin/sh). The container
// had run in a directory named "~" in the sandbox.
func TestContainerDirHome(t *testing.T) {
	outside.Docker(t)
	helpers := map[string]string{"shell": "", "helper": staticUnsetHelper(t)}
	for hName, helper := range helpers {
		b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: "borges-test", UnsetHelper: helper})
		for _, c := range []struct {
			name, dir string
			unset     []string
			env       map[string]string
			want      string // "" for a refusal
		}{
			{"~NAME", "~borges-image/x", nil, nil, "/home/borges-image/x"},
			{"~NAME, bare", "~borges-image", nil, nil, "/home/borges-image"},
			{"~NAME, no such user", "~borges-no-such-user/x", nil, nil, SandboxPath + "/~borges-no-such-user/x"},
			{"~NAME, home not absolute", "~borges-relhome/x", nil, nil, ""},
			{"image's HOME", "~/x", nil, nil, "/root/x"},
			{"the block's HOME", "~/x", nil, map[string]string{"HOME": "/tmp/h"}, "/tmp/h/x"},
			{"HOME removed, LOGNAME's", "~/y", []string{"HOME"}, map[string]string{"LOGNAME": "borges-image", "HOME": "/tmp/h"}, "/home/borges-image/y"},
			{"HOME removed, USER's", "~", []string{"HOME", "LOGNAME"}, map[string]string{"LOGNAME": "root", "USER": "borges-image"}, "/home/borges-image"},
			{"HOME removed, uid's", "~", []string{"HOME"}, nil, "/root"},
		} {
			a := inContainer(`pwd; echo "$HOME"`, func(task *plan.Task) { task.Dir = c.dir; task.Line = 9 })
			for k, v := range c.env {
				a.Env[k] = v
			}
			a.Unset = c.unset
			if err := b.Launch(context.Background(), a); err != nil {
				t.Fatalf("%s, %s: %v", hName, c.name, err)
			}
			u := r.wait(t, a.ID)
			out := stdout(t, b, a.ID)
			errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 4096)
			if c.want == "" {
				if u.State != engine.Failed || out != "" || !strings.Contains(string(errOut), "line 9") || !strings.Contains(string(errOut), ":dir "+c.dir) {
					t.Errorf("%s, %s: %+v, ran in %q, said %q; want a refusal naming line 9 and :dir %s", hName, c.name, u, out, errOut, c.dir)
				}
				continue
			}
			where, _, _ := strings.Cut(out, "\n")
			if u.State != engine.Finished || where != c.want {
				t.Errorf("%s, %s: %+v, ran in %q (%q); want %q", hName, c.name, u, out, errOut, c.want)
			}
			// The removal reaches the program still.
			if len(c.unset) > 0 && out != where+"\n\n" {
				t.Errorf("%s, %s: HOME removed, the program had %q", hName, c.name, out)
			}
		}
	}
}

// TestSessionContainerDirHome: a session container's first block's :dir
// ~NAME is NAME's home in the image, and ~ with HOME removed the image's
// password database's home, as a block's (TestContainerDirHome), the
// interpreter started there, with the helper and without it.
func TestSessionContainerDirHome(t *testing.T) {
	outside.Docker(t)
	cmd := session.Command(session.Shell, "sh", nil)
	n := 0
	for hName, helper := range map[string]string{"shell": "", "helper": staticUnsetHelper(t)} {
		b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: "borges-test", UnsetHelper: helper})
		for _, c := range []struct {
			dir   string
			unset []string
			env   map[string]string
			want  string
		}{
			{"~borges-image/s", nil, nil, "/home/borges-image/s"},
			{"~/t", []string{"HOME"}, map[string]string{"LOGNAME": "borges-image"}, "/home/borges-image/t"},
		} {
			n++
			a := sessionAttempt(fmt.Sprintf("d.%d-a.0.1", n), fmt.Sprintf("d/shell:h%d/1", n), "shell", "pwd", cmd)
			a.Task.Container = &plan.Container{Image: outside.TestImage, Kind: "docker"}
			a.Task.Dir = c.dir
			a.Unset = c.unset
			for k, v := range c.env {
				a.Env[k] = v
			}
			if u := runSession(t, b, r, a); u[0].State != engine.Finished {
				t.Fatalf("%s, %s: %+v", hName, c.dir, u)
			}
			// The last line: busybox's interactive shell greets first.
			out := strings.TrimSpace(readStream(t, b, a.ID, "stdout"))
			if got := out[strings.LastIndex(out, "\n")+1:]; got != c.want {
				t.Errorf("%s, :dir %s: the session ran in %q, want %q", hName, c.dir, got, c.want)
			}
		}
	}
}
