package kube

import (
	"context"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/session"
)

// killing is a hook that kills attempt id when called with it.
func killing(t *testing.T, b *Backend, id string) func(string) {
	return func(at string) {
		if at == id {
			if err := b.Kill(context.Background(), id); err != nil {
				t.Errorf("kill: %v", err)
			}
		}
	}
}

// TestKillWhileCreating: an attempt is killed while Launch takes it,
// where Kill's deletion finds no pod: as Launch starts (a hook runs the
// kill there), when no pod is created, and just before its pod is
// created, when the pod, once created, is deleted. No pod is left, and
// the attempt is reported killed.
func TestKillWhileCreating(t *testing.T) {
	for _, tc := range []struct {
		name    string
		hook    func(b *Backend) *func(string)
		creates bool
	}{
		{"taking", func(b *Backend) *func(string) { return &b.taking }, false},
		{"creating", func(b *Backend) *func(string) { return &b.creating }, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, client, u := fakeBackend(t, false, 0)
			ctx := context.Background()
			a := attempt("d", "k", "sleep 30")
			*tc.hook(b) = killing(t, b, a.ID)
			if err := b.Launch(ctx, a); err != nil {
				t.Fatal(err)
			}
			created := false
			for _, act := range client.Actions() {
				created = created || act.GetVerb() == "create" && act.GetResource().Resource == "pods"
			}
			if created != tc.creates {
				t.Errorf("pod created: %v, want %v", created, tc.creates)
			}
			// Launch has deleted the pod it created for a killed attempt.
			if pods := livePods(t, client); len(pods) != 0 {
				t.Fatalf("%d pods left after the kill: %s", len(pods), pods[0].Name)
			}
			if end := u.ended(t, a.ID); end.State != engine.Killed {
				t.Fatalf("ended %+v, not killed", end)
			}
		})
	}
}

// TestKillSessionBlockWhileLaunching: a block of a session is killed
// while Launch takes it, before Kill can find it (hooks run the kill as
// Launch starts, and while the session's pod is being created): the block
// is reported killed, its interpreter never given it, and no pod is left.
func TestKillSessionBlockWhileLaunching(t *testing.T) {
	for _, tc := range []struct {
		name string
		hook func(b *Backend) *func(string)
	}{
		{"taking", func(b *Backend) *func(string) { return &b.taking }},
		{"creating the session's pod", func(b *Backend) *func(string) { return &b.creating }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, client, _, u, _ := fakeSessions(t, "borges-test-ks")
			ctx := context.Background()
			a := sessionAttempt("d.1-k.0.1", "d/shell:k/1", session.Shell, "echo ran")
			*tc.hook(b) = killing(t, b, a.ID)
			if err := b.Launch(ctx, a); err != nil {
				t.Fatal(err)
			}
			if end := u.ended(t, a.ID); end.State != engine.Killed {
				t.Fatalf("ended %+v, not killed; updates %+v", end, u.of(a.ID))
			}
			untilNoLivePods(t, client)
		})
	}
}
