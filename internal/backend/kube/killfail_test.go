package kube

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

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
// It returns the count of pods created all the same.
func failPodCreates(client *fake.Clientset, created bool) *atomic.Int32 {
	landed := &atomic.Int32{}
	client.PrependReactor("create", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if created {
			pod := a.(k8stesting.CreateAction).GetObject().(*corev1.Pod)
			if err := client.Tracker().Create(corev1.SchemeGroupVersion.WithResource("pods"), pod.DeepCopy(), a.GetNamespace()); err != nil {
				return true, nil, err
			}
			landed.Add(1)
		}
		return true, nil, apierrors.NewServerTimeout(corev1.Resource("pods"), "create", 1)
	})
	return landed
}

// failPodDeletes makes the API server fail the next n deletions of pods.
func failPodDeletes(client *fake.Clientset, n int32) {
	var failed atomic.Int32
	client.PrependReactor("delete", "pods", func(a k8stesting.Action) (bool, runtime.Object, error) {
		if failed.Add(1) > n {
			return false, nil, nil
		}
		return true, nil, apierrors.NewServiceUnavailable("deleting pods is failing")
	})
}

// createFailBackend is a backend on a fake clientset and an attempt for
// it: a block of a session (inSession, the backend's owner owner) or a
// task of its own.
func createFailBackend(t *testing.T, inSession bool, owner string) (*Backend, *fake.Clientset, *updates, *engine.Attempt) {
	t.Helper()
	if inSession {
		b, client, _, u, _ := fakeSessions(t, owner)
		return b, client, u, sessionAttempt("d.1-k.0.1", "d/shell:k/1", session.Shell, "echo ran")
	}
	b, client, u := fakeBackend(t, false, 0)
	return b, client, u, attempt("d", "k", "sleep 30")
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
				b, client, u, a := createFailBackend(t, inSession, "borges-test-kf")
				var landed *atomic.Int32
				b.creating = func(id string) {
					killing(t, b, a.ID)(id)
					landed = failPodCreates(client, created)
				}
				if err := b.Launch(context.Background(), a); err != nil {
					t.Errorf("launch: %v", err)
				}
				if end := u.ended(t, a.ID); end.State != engine.Killed {
					t.Fatalf("ended %+v, not killed; updates %+v", end, u.of(a.ID))
				}
				if created && (landed == nil || landed.Load() < 1) {
					t.Fatal("no pod was created before the creation failed")
				}
				untilNoLivePods(t, client)
			})
		}
	}
}

// TestCreateFailsDeleteRetried: a pod's creation fails with the pod
// created all the same (the answer lost), nobody killed the attempt, and
// the deletion Launch then makes fails too: it is tried again, in the
// background, until the pod is gone, so that none is left running
// untracked until the next start of Borges.
func TestCreateFailsDeleteRetried(t *testing.T) {
	for _, inSession := range []bool{false, true} {
		kind := "task"
		if inSession {
			kind = "session block"
		}
		t.Run(kind, func(t *testing.T) {
			b, client, _, a := createFailBackend(t, inSession, "borges-test-kd")
			b.deleteRetry = 10 * time.Millisecond
			var landed *atomic.Int32
			b.creating = func(string) {
				landed = failPodCreates(client, true)
				failPodDeletes(client, 2)
			}
			b.Launch(context.Background(), a) // its error (or the block's failure) is the creation's
			if landed == nil || landed.Load() < 1 {
				t.Fatal("no pod was created before the creation failed")
			}
			untilNoLivePods(t, client)
		})
	}
}
