package realkube

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"
)

// TestCluster: one cluster (a start is the longest part of each test,
// and one cluster runs at a time on the machine), its tests side by side,
// each with objects of its own names. At cleanup nothing of the cluster
// is left (checked by stop itself), whatever the tests did.
func TestCluster(t *testing.T) {
	c := Start(t)
	t.Run("pod", func(t *testing.T) {
		t.Parallel()
		testPod(t, c)
	})
	t.Run("controller manager", func(t *testing.T) {
		t.Parallel()
		testControllerManager(t, c)
	})
}

// testPod: the node registers and is ready; a host-network pod of the
// imported test image runs to its end and its log reads back.
func testPod(t *testing.T, c *Cluster) {
	cl := c.Client()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	no := false
	pod := &corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: "hello"}, Spec: corev1.PodSpec{
		RestartPolicy: corev1.RestartPolicyNever, HostNetwork: true, AutomountServiceAccountToken: &no,
		Containers: []corev1.Container{{Name: "main", Image: TestImage, Command: []string{"sh", "-c", "echo hello from $(hostname)"}}}}}
	if _, err := cl.CoreV1().Pods("default").Create(ctx, pod, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	w, err := cl.CoreV1().Pods("default").Watch(ctx, metav1.ListOptions{FieldSelector: fields.OneTermEqualSelector("metadata.name", "hello").String()})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	var phase corev1.PodPhase
	for ev := range w.ResultChan() {
		if ev.Type == watch.Error {
			t.Fatalf("watch: %v", ev.Object)
		}
		if p, ok := ev.Object.(*corev1.Pod); ok {
			phase = p.Status.Phase
			if phase == corev1.PodSucceeded || phase == corev1.PodFailed {
				break
			}
		}
	}
	if phase != corev1.PodSucceeded {
		t.Fatalf("pod ended %q", phase)
	}
	data, err := cl.CoreV1().Pods("default").GetLogs("hello", &corev1.PodLogOptions{Container: "main"}).DoRaw(ctx)
	if err != nil {
		t.Fatal(err)
	}
	host, _ := os.Hostname()
	if got := strings.TrimSpace(string(data)); got != "hello from "+host {
		t.Fatalf("log %q, want %q (the host network's hostname)", got, "hello from "+host)
	}
}

// testControllerManager: the controller manager runs the controllers the
// tests need: the root CA is published to the namespace, a Deployment
// gets its ReplicaSet and its pod, which runs; deleted, its pods go with
// it (the garbage collector).
func testControllerManager(t *testing.T, c *Cluster) {
	cl := c.Client()
	// Longer than the waits below together (2 + 3 + 3 minutes).
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := c.until("kube-root-ca.crt is published", 2*time.Minute, func() bool {
		_, err := cl.CoreV1().ConfigMaps("default").Get(ctx, "kube-root-ca.crt", metav1.GetOptions{})
		return err == nil
	}); err != nil {
		t.Fatal(err)
	}
	one := int32(1)
	no := false
	labels := map[string]string{"app": "sleeper"}
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "sleeper"}, Spec: appsv1.DeploymentSpec{
		Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: labels},
		Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: corev1.PodSpec{
			// sleep as PID 1 ignores SIGTERM: no grace period to wait out.
			HostNetwork: true, AutomountServiceAccountToken: &no, TerminationGracePeriodSeconds: new(int64),
			Containers: []corev1.Container{{Name: "main", Image: TestImage, Command: []string{"sleep", "600"}}}}}}}
	if _, err := cl.AppsV1().Deployments("default").Create(ctx, d, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := c.until("the Deployment's pod runs", 3*time.Minute, func() bool {
		pods, err := cl.CoreV1().Pods("default").List(ctx, metav1.ListOptions{LabelSelector: "app=sleeper"})
		return err == nil && len(pods.Items) == 1 && pods.Items[0].Status.Phase == corev1.PodRunning
	}); err != nil {
		t.Fatal(err)
	}
	fg := metav1.DeletePropagationForeground
	if err := cl.AppsV1().Deployments("default").Delete(ctx, "sleeper", metav1.DeleteOptions{PropagationPolicy: &fg}); err != nil {
		t.Fatal(err)
	}
	if err := c.until("the Deployment's pods are gone", 3*time.Minute, func() bool {
		pods, err := cl.CoreV1().Pods("default").List(ctx, metav1.ListOptions{LabelSelector: "app=sleeper"})
		return err == nil && len(pods.Items) == 0
	}); err != nil {
		t.Fatal(err)
	}
}
