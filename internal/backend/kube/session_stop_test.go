package kube

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/session"
)

// TestSessionBlocksEndWithBackend: a session's block does not outlive the
// backend's stop, whether it waits for a pod that is never scheduled or
// runs in its interpreter: once the context given to Start is done, Wait
// finds no writer left (a block's goroutine waiting for a pod's Ready
// forever would keep writing into OutputDir after its server stopped).
func TestSessionBlocksEndWithBackend(t *testing.T) {
	outside.Need(t, "python3", "python3")
	for _, tc := range []struct {
		name    string
		pending string
		script  string
		until   func(engine.Update) bool
	}{
		{"waits for a node", "0/1 nodes are available: 1 Insufficient cpu.", "echo never",
			func(x engine.Update) bool {
				return x.State == engine.Staged && strings.HasPrefix(x.Message, "waiting for a node")
			}},
		{"runs", "", "sleep 600",
			func(x engine.Update) bool { return x.State == engine.Running }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, _, k, u, stop := fakeSessions(t, "borges-test-stop")
			k.mu.Lock()
			k.pending = tc.pending
			k.mu.Unlock()
			a := sessionAttempt("d.1-s.0.1", "d/shell:s/1", session.Shell, tc.script)
			if err := b.Launch(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			u.wait(t, a.ID, tc.name, tc.until)
			stop()
			if !b.Wait(30 * time.Second) {
				t.Fatalf("the block's goroutine still writes 30s after the backend stopped; updates %+v", u.of(a.ID))
			}
		})
	}
}
