package local

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
)

// TestUncheckedMountsWarnedAtFirstContainer: a backend with no static
// helper (Config.UnsetHelper "") says once, at its first container, that
// containers' mounts are not checked from inside, and says nothing of it
// before: a server that runs no container is not warned at each start.
func TestUncheckedMountsWarnedAtFirstContainer(t *testing.T) {
	outside.Docker(t)
	var logs proctest.SyncBuffer
	b, r := newBackendConfig(t, Config{DataDir: t.TempDir(), KillGrace: 2 * time.Second, CgroupParent: "borges-test",
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	const warning = "checked from inside only by a static borges"
	if strings.Contains(logs.String(), warning) {
		t.Fatalf("warned before any container: %s", logs.String())
	}
	for i := 0; i < 2; i++ {
		a := inContainer("echo hi", nil)
		if err := b.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		if u := r.wait(t, a.ID); u.State != engine.Finished {
			t.Fatalf("update = %+v", u)
		}
	}
	if n := strings.Count(logs.String(), warning); n != 1 {
		t.Fatalf("warned %d times, want once: %s", n, logs.String())
	}
}
