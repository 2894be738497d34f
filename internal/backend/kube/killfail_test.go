package kube

import (
	"context"
	"testing"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/session"
)

// failPodCreates makes the API server fail the creation of pods: with
// the pod not created, or created and the answer lost (a timeout after
// the server stored it), when the client cannot tell it was.
func failPodCreates(client *fake.Clientset, created bool) {
	client.PrependReactor("create", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if created {
			pod := a.(k8stesting.CreateAction).GetObject().(*corev1.Pod)
			if err := client.Tracker().Create(corev1.SchemeGroupVersion.WithResource("pods"), pod.DeepCopy(), a.GetNamespace()); err != nil {
				return true, nil, err
			}
		}
		return true, nil, apierrors.NewServerTimeout(corev1.Resource("pods"), "create", 1)
	})
}

// TestKillWhileCreateFails: an attempt is killed while its pod (or its
// session's pod) is being created, when Kill's deletion finds no pod, and
// the creation then fails, the pod created or not. The user killed it:
// the attempt ends killed (not failed, which would count a failed try),
// Launch reports no error, and no pod is left.
func TestKillWhileCreateFails(t *testing.T) {
	for _, created := range []bool{false, true} {
		name := "not created"
		if created {
			name = "created, answer lost"
		}
		for _, inSession := range []bool{false, true} {
			kind := "task"
			if inSession {
				kind = "session block"
			}
			t.Run(kind+"/"+name, func(t *testing.T) {
				var b *Backend
				var client *fake.Clientset
				var u *updates
				a := attempt("d", "k", "sleep 30")
				if inSession {
					b, client, _, u, _ = fakeSessions(t, "borges-test-kf")
					a = sessionAttempt("d.1-k.0.1", "d/shell:k/1", session.Shell, "echo ran")
				} else {
					b, client, u = fakeBackend(t, false, 0)
				}
				b.creating = func(id string) {
					killing(t, b, a.ID)(id)
					failPodCreates(client, created)
				}
				if err := b.Launch(context.Background(), a); err != nil {
					t.Errorf("launch: %v", err)
				}
				if end := u.ended(t, a.ID); end.State != engine.Killed {
					t.Fatalf("ended %+v, not killed; updates %+v", end, u.of(a.ID))
				}
				untilNoLivePods(t, client)
			})
		}
	}
}
