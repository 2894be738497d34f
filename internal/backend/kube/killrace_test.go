package kube

import (
	"context"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/wallyqs/borges/internal/engine"
)

// TestKillWhileCreating: an attempt is killed after Launch has taken it
// and before its pod exists (a hook runs the kill there, where deleting
// the pod finds nothing): the pod, once created, is deleted, and the
// attempt is reported killed.
func TestKillWhileCreating(t *testing.T) {
	b, client, u := fakeBackend(t, false, 0)
	ctx := context.Background()
	a := attempt("d", "k", "sleep 30")
	b.creating = func(id string) {
		if id == a.ID {
			if err := b.Kill(ctx, id); err != nil {
				t.Errorf("kill: %v", err)
			}
		}
	}
	if err := b.Launch(ctx, a); err != nil {
		t.Fatal(err)
	}
	// Launch has deleted the pod it created for a killed attempt.
	pods, err := client.CoreV1().Pods("default").List(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(pods.Items) != 0 {
		t.Fatalf("%d pods left after the kill: %s", len(pods.Items), pods.Items[0].Name)
	}
	if end := u.ended(t, a.ID); end.State != engine.Killed {
		t.Fatalf("ended %+v, not killed", end)
	}
}
