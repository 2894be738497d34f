package kube

import (
	"context"
	"strings"
	"testing"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"

	"github.com/wallyqs/borges/internal/engine"
)

// fakeBackend is a backend on a fake API (client-go's object tracker),
// allowed to watch nodes or not; one node, n1, ready.
func fakeBackend(t *testing.T, mayWatchNodes bool, grace time.Duration) (*Backend, *fake.Clientset, *updates) {
	t.Helper()
	client := fake.NewClientset(&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"},
		Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{Type: corev1.NodeReady, Status: corev1.ConditionTrue}}}})
	client.PrependReactor("create", "selfsubjectaccessreviews", func(a k8stesting.Action) (bool, runtime.Object, error) {
		r := a.(k8stesting.CreateAction).GetObject().(*authorizationv1.SelfSubjectAccessReview).DeepCopy()
		r.Status.Allowed = mayWatchNodes && r.Spec.ResourceAttributes.Resource == "nodes"
		return true, r, nil
	})
	watches := watchFake(client)
	b, u, ctx, _ := startBackend(t, Config{Client: client, OutputDir: t.TempDir(), DefaultImage: "img", Owner: "o", NodeLostGrace: grace})
	if err := b.Recover(ctx, nil); err != nil {
		t.Fatal(err)
	}
	watches.wait(t, "pods")
	if mayWatchNodes {
		watches.wait(t, "nodes")
	}
	return b, client, u
}

// runOn makes an attempt's pod run on a node, as the scheduler and the
// kubelet would.
func runOn(t *testing.T, client *fake.Clientset, a *engine.Attempt, node string) {
	t.Helper()
	ctx := context.Background()
	pod, err := client.CoreV1().Pods("default").Get(ctx, PodName(a.ID), metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pod.Spec.NodeName = node
	now := metav1.Now()
	pod.Status.Phase = corev1.PodRunning
	pod.Status.ContainerStatuses = []corev1.ContainerStatus{
		{Name: mainContainer, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}}},
		{Name: stderrContainer, State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{StartedAt: now}}},
	}
	if _, err := client.CoreV1().Pods("default").Update(ctx, pod, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// setReady sets node n1's Ready condition.
func setReady(t *testing.T, client *fake.Clientset, status corev1.ConditionStatus, since time.Time) {
	t.Helper()
	n := &corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "n1"}, Status: corev1.NodeStatus{Conditions: []corev1.NodeCondition{{
		Type: corev1.NodeReady, Status: status, Reason: "NodeStatusUnknown", Message: "Kubelet stopped posting node status.",
		LastTransitionTime: metav1.NewTime(since)}}}}
	if _, err := client.CoreV1().Nodes().Update(context.Background(), n, metav1.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
}

// TestNodeLost: a pod whose node stops being ready says so while it runs,
// and after the grace is lost, its pod force-deleted; a node that comes
// back in time changes nothing; without the right to watch nodes the pod
// runs on (Kubernetes' eviction will tell).
func TestNodeLost(t *testing.T) {
	for _, tc := range []struct {
		name      string
		may       bool
		grace     time.Duration
		backAfter bool // the node is ready again before the grace ends
		lost      bool
	}{
		{name: "lost after the grace", may: true, grace: 300 * time.Millisecond, lost: true},
		{name: "back in time", may: true, grace: time.Hour, backAfter: true},
		{name: "nodes not watched", may: false, grace: 300 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, client, u := fakeBackend(t, tc.may, tc.grace)
			a := attempt("docnode", "keep", "sleep 600")
			if err := b.Launch(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			runOn(t, client, a, "n1")
			u.wait(t, a.ID, "runs", func(x engine.Update) bool { return x.State == engine.Running })
			setReady(t, client, corev1.ConditionUnknown, time.Now())
			if tc.may {
				w := u.wait(t, a.ID, "says its node is not ready", func(x engine.Update) bool {
					return x.State == engine.Running && strings.Contains(x.Message, "node n1 not ready since")
				})
				if !strings.Contains(w.Message, "(NodeStatusUnknown: Kubelet stopped posting node status.): taken as lost after "+tc.grace.String()) {
					t.Fatalf("message %q", w.Message)
				}
			}
			if tc.backAfter {
				setReady(t, client, corev1.ConditionTrue, time.Now())
				u.wait(t, a.ID, "says its node is back", func(x engine.Update) bool {
					return x.State == engine.Running && x.Message == "pod "+PodName(a.ID)+" on n1"
				})
			}
			if !tc.lost {
				// A grace long gone: would be lost now if it were to be.
				b.nodeLost("n1")
				if _, err := client.CoreV1().Pods("default").Get(context.Background(), PodName(a.ID), metav1.GetOptions{}); err != nil {
					t.Fatalf("the pod is gone: %v", err)
				}
				for _, x := range u.of(a.ID) {
					if x.State.Terminal() {
						t.Fatalf("ended: %+v", x)
					}
				}
				return
			}
			end := u.ended(t, a.ID)
			want := "pod " + PodName(a.ID) + ": node n1 lost: not ready for 300ms (NodeStatusUnknown: Kubelet stopped posting node status.)"
			if end.State != engine.Lost || end.Message != want || end.Host != "n1" {
				t.Fatalf("end %+v, want lost %q", end, want)
			}
			if _, err := client.CoreV1().Pods("default").Get(context.Background(), PodName(a.ID), metav1.GetOptions{}); !apierrors.IsNotFound(err) {
				t.Fatalf("the pod of the lost node is still there (%v)", err)
			}
			// Kept, for a restarted Borges.
			if kept, ok := b.readEnd(a.ID); !ok || kept.State != engine.Lost || kept.Message != want {
				t.Fatalf("kept end %+v", kept)
			}
		})
	}
}

// TestNodeLostBeforeKnown: a node down for longer than the grace when a
// pod on it is first seen (Borges restarted meanwhile): the pod is lost.
func TestNodeLostBeforeKnown(t *testing.T) {
	b, client, u := fakeBackend(t, true, time.Minute)
	setReady(t, client, corev1.ConditionUnknown, time.Now().Add(-time.Hour))
	deadline := time.Now().Add(time.Minute)
	for {
		b.mu.Lock()
		known := b.down["n1"] != nil
		b.mu.Unlock()
		if known {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the node's state never reached the backend")
		}
		time.Sleep(10 * time.Millisecond)
	}
	a := attempt("docnode2", "keep", "sleep 600")
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	runOn(t, client, a, "n1")
	if end := u.ended(t, a.ID); end.State != engine.Lost || !strings.Contains(end.Message, "node n1 lost: not ready for 1m0s") {
		t.Fatalf("end %+v", end)
	}
}
