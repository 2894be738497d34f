package realkube

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/fields"
	"k8s.io/apimachinery/pkg/watch"
)

// TestCluster: the node registers and is ready; a host-network pod of the
// imported test image runs to its end and its log reads back; at cleanup
// nothing of the cluster is left (checked by stop itself).
func TestCluster(t *testing.T) {
	c := Start(t)
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
