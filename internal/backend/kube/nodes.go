package kube

import (
	"context"
	"fmt"
	"time"

	authorizationv1 "k8s.io/api/authorization/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/tools/cache"

	"github.com/wallyqs/borges/internal/engine"
)

// A node lost: its kubelet stops renewing its lease (the machine is down,
// cut off, or the kubelet stopped), the node lifecycle controller marks
// its Ready condition Unknown (or the kubelet reports it False). Kubernetes
// itself evicts the node's pods only when their toleration of the
// node.kubernetes.io/unreachable taint runs out (300 s by default), and
// never while every node of the cluster is down (the controller's
// "master disruption mode": a cluster of one node never evicts). So,
// where Borges may watch the nodes, it takes a pod whose node has not
// been ready for NodeLostGrace as lost, as the Mesos backend takes an
// unreachable task after its grace: the pod is force-deleted, so that a
// kubelet that comes back kills its containers rather than run them
// beside the attempt Borges runs again. Without the right to watch nodes,
// the controller's eviction (a DisruptionTarget condition, then the
// pod's deletion) is what reports the attempt lost.

// nodeDown is a node whose Ready condition is not True.
type nodeDown struct {
	since time.Time // the condition's last transition
	why   string    // its status, reason and message
	timer *time.Timer
}

// nodeNote says, for a running or starting pod's message, that its node
// is not ready and when the pod will be taken as lost (b.mu held).
func (b *Backend) nodeNote(node string) string {
	d, ok := b.down[node]
	if !ok || node == "" {
		return ""
	}
	if time.Since(d.since) >= b.cfg.NodeLostGrace {
		// Its timer may have fired before this pod was known (Borges
		// restarted while the node was down).
		go b.nodeLost(node)
	}
	return fmt.Sprintf("; node %s not ready since %s (%s): taken as lost after %s",
		node, d.since.Format(time.RFC3339), d.why, b.cfg.NodeLostGrace)
}

// mayWatchNodes asks the API server whether Borges may list and watch
// nodes (a ClusterRole; the minimal Role is namespaced and does not).
func (b *Backend) mayWatchNodes(ctx context.Context) bool {
	for _, verb := range []string{"list", "watch"} {
		r, err := b.cfg.Client.AuthorizationV1().SelfSubjectAccessReviews().Create(ctx, &authorizationv1.SelfSubjectAccessReview{
			Spec: authorizationv1.SelfSubjectAccessReviewSpec{ResourceAttributes: &authorizationv1.ResourceAttributes{
				Verb: verb, Resource: "nodes"}}}, metav1.CreateOptions{})
		if err != nil || !r.Status.Allowed {
			return false
		}
	}
	return true
}

// watchNodes follows the nodes' Ready condition, when Borges may.
func (b *Backend) watchNodes(ctx context.Context) {
	if !b.mayWatchNodes(ctx) {
		b.log.Info("kubernetes: the nodes cannot be watched; a pod on a lost node is run again only once Kubernetes evicts it")
		return
	}
	factory := informers.NewSharedInformerFactory(b.cfg.Client, 0)
	nodes := factory.Core().V1().Nodes().Informer()
	if _, err := nodes.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { b.nodeChanged(obj) },
		UpdateFunc: func(_, obj any) { b.nodeChanged(obj) },
		DeleteFunc: func(obj any) {
			if d, ok := obj.(cache.DeletedFinalStateUnknown); ok {
				obj = d.Obj
			}
			if n, ok := obj.(*corev1.Node); ok {
				// Its pods are deleted by the pod garbage collector:
				// lost then, as deleted pods are.
				b.nodeReady(n.Name)
			}
		},
	}); err != nil {
		b.log.Warn("kubernetes: watching nodes", "err", err)
		return
	}
	factory.Start(ctx.Done())
}

// nodeChanged notes whether a node is ready; a node that is not is given
// NodeLostGrace from its condition's last transition.
func (b *Backend) nodeChanged(obj any) {
	n, ok := obj.(*corev1.Node)
	if !ok {
		return
	}
	var ready *corev1.NodeCondition
	for i := range n.Status.Conditions {
		if n.Status.Conditions[i].Type == corev1.NodeReady {
			ready = &n.Status.Conditions[i]
		}
	}
	if ready == nil || ready.Status == corev1.ConditionTrue {
		// A node not yet reporting is starting, not lost.
		b.nodeReady(n.Name)
		return
	}
	since := ready.LastTransitionTime.Time
	if since.IsZero() || since.After(time.Now()) {
		since = time.Now()
	}
	why := string(ready.Status)
	if ready.Reason != "" {
		why = ready.Reason
	}
	if ready.Message != "" {
		why += ": " + ready.Message
	}
	b.mu.Lock()
	if b.down == nil {
		b.down = map[string]*nodeDown{}
	}
	d := b.down[n.Name]
	if d != nil && d.since.Equal(since) && d.why == why {
		b.mu.Unlock()
		return
	}
	if d != nil && d.timer != nil {
		d.timer.Stop()
	}
	d = &nodeDown{since: since, why: why}
	b.down[n.Name] = d
	name := n.Name
	// Its pods say so first, then the timer may take them as lost.
	b.mu.Unlock()
	b.reobserve(name)
	b.mu.Lock()
	if b.down[name] == d {
		d.timer = time.AfterFunc(time.Until(since.Add(b.cfg.NodeLostGrace)), func() { b.nodeLost(name) })
	}
	b.mu.Unlock()
}

// nodeReady forgets a node that was not ready.
func (b *Backend) nodeReady(name string) {
	b.mu.Lock()
	d := b.down[name]
	if d == nil {
		b.mu.Unlock()
		return
	}
	if d.timer != nil {
		d.timer.Stop()
	}
	delete(b.down, name)
	b.mu.Unlock()
	b.reobserve(name)
}

// reobserve reports again the pods on a node, as the informer has them.
func (b *Backend) reobserve(node string) {
	b.mu.Lock()
	var names []string
	for _, p := range b.pods {
		if p.host == node && !p.ended && !p.ending {
			names = append(names, p.name)
		}
	}
	b.mu.Unlock()
	if b.lister == nil {
		return
	}
	for _, name := range names {
		if pod, err := b.lister.Pods(b.cfg.Namespace).Get(name); err == nil {
			b.observe(pod)
		}
	}
}

// nodeLost takes the pods of a node not ready for NodeLostGrace as lost:
// each is force-deleted and its attempt reported lost.
func (b *Backend) nodeLost(node string) {
	b.mu.Lock()
	d := b.down[node]
	if d == nil || time.Since(d.since) < b.cfg.NodeLostGrace {
		b.mu.Unlock()
		return
	}
	msg := fmt.Sprintf("node %s lost: not ready for %s (%s)", node, b.cfg.NodeLostGrace, d.why)
	var lost []*podInfo
	for _, p := range b.pods {
		if p.host != node || p.ended || p.ending {
			continue
		}
		p.ended = true
		select {
		case <-p.mainDone:
		default:
			close(p.mainDone)
		}
		for _, f := range []*follower{p.stdout, p.stderr} {
			if f != nil {
				f.cancel()
			}
		}
		lost = append(lost, p)
	}
	b.mu.Unlock()
	for _, p := range lost {
		// Force-deleted: the node cannot confirm a graceful deletion,
		// and its kubelet, should it come back, kills what the pod ran.
		if err := b.deletePod(b.ctx, p.name); err != nil {
			b.log.Warn("kubernetes: deleting a pod of a lost node", "pod", p.name, "err", err)
		}
		u := engine.Update{AttemptID: p.attempt.ID, State: engine.Lost, Host: node, Message: "pod " + p.name + ": " + msg}
		b.writeEnd(p.attempt.ID, u)
		b.emit(p, u)
	}
}
