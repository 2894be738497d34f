package local

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/taskenv"
)

// infoEngine answers as a Docker engine whose Info gives kernel as its
// KernelVersion, or fails where kernel is "". It counts the Info asked.
func infoEngine(t *testing.T, kernel string) (infos *atomic.Int32) {
	t.Helper()
	infos = new(atomic.Int32)
	fakeDockerHost(t, func(path string, w http.ResponseWriter, r *http.Request) {
		switch path {
		case "/info":
			infos.Add(1)
			if kernel == "" {
				http.Error(w, `{"message":"info refused"}`, http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			json.NewEncoder(w).Encode(map[string]string{"KernelVersion": kernel})
		default:
			http.Error(w, `{"message":"unexpected"}`, http.StatusInternalServerError)
		}
	})
	return infos
}

// TestOtherKernelSkipsMountChecks: an engine on another kernel (a VM's)
// is warned of once, and its containers' commands carry no check of
// their mounts from inside (there it would refuse every one); an engine
// on this kernel, or one whose Info fails, gets the checks.
func TestOtherKernelSkipsMountChecks(t *testing.T) {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		t.Fatal(err)
	}
	own := unix.ByteSliceToString(u.Release[:])
	const warning = "the Docker engine runs containers on another kernel"
	for _, c := range []struct {
		name, kernel string
		other        bool
	}{
		{"VM", own + "-linuxkit", true},
		{"this kernel", own, false},
		{"Info fails", "", false},
	} {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			infos := infoEngine(t, c.kernel)
			var logs proctest.SyncBuffer
			b, _ := newBackendConfig(t, Config{DataDir: t.TempDir(), CgroupParent: "-", UnsetHelper: "/static/borges",
				Logger: slog.New(slog.NewTextHandler(&logs, nil))})
			for i := 0; i < 2; i++ {
				a := inContainer("echo hi", nil)
				script, written := writeScript(t, b, a.ID, "echo hi\n")
				meant, err := b.meantMounts(a.ID)
				if err != nil {
					t.Fatal(err)
				}
				cfg, _ := containerConfig(a, b.nestedPaths(a.ID).sandboxDir(), script, meant, nil, nil, b.cfg.DataDir, b.cfg.MaxOutput, b.cfg.UnsetHelper)
				checks := slices.DeleteFunc(slices.Clone(cfg.Entrypoint), func(arg string) bool {
					return !strings.HasPrefix(arg, SandboxPath+"=") && !strings.HasPrefix(arg, ScriptPath+"=")
				})
				want := []string{
					taskenv.MountCheck(SandboxPath, meant.sandbox.dev, meant.sandbox.ino),
					taskenv.MountCheck(ScriptPath, written.dev, written.ino),
				}
				if c.other {
					want = nil
				}
				if !slices.Equal(checks, want) {
					t.Fatalf("container %d's mount checks = %q, want %q (command %q)", i, checks, want, cfg.Entrypoint)
				}
			}
			if n := infos.Load(); n != 1 {
				t.Errorf("the engine's Info asked %d times, want once", n)
			}
			n := strings.Count(logs.String(), warning)
			if c.other && n != 1 || !c.other && n != 0 {
				t.Errorf("warned of another kernel %d times: %s", n, logs.String())
			}
		})
	}
}
