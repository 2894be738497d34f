package kube

import (
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// TestDeadlineExceededTimedOut: a pod Kubernetes failed at its active
// deadline (the :timeout's) ends its attempt flagged as timed out
// (engine.Update.TimedOut), which exitedNonZero reads; a pod failed
// otherwise (evicted) is not.
func TestDeadlineExceededTimedOut(t *testing.T) {
	b := &Backend{}
	a := attempt("docdeadline", "slow", "sleep 600", func(t *plan.Task) { t.Timeout = 2 * time.Second })
	for reason, want := range map[string]bool{"DeadlineExceeded": true, "Evicted": false} {
		pod := &corev1.Pod{Status: corev1.PodStatus{Phase: corev1.PodFailed, Reason: reason, Message: "its words"}}
		u, ended := b.status(&podInfo{attempt: a, host: "n"}, pod)
		if !ended || u.TimedOut != want || want && (u.State != engine.Failed || u.Message != "timed out after 2s") {
			t.Errorf("%s: %+v (ended %v), want timed out %v", reason, u, ended, want)
		}
	}
}
