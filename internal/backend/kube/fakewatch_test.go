package kube

import (
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"
	k8stesting "k8s.io/client-go/testing"
)

// fakeWatches notes the watches opened on a fake API from when it is
// made. The fake sends a change only to the watches open when the change
// is made, and reads no resourceVersion: an object changed between an
// informer's list and its watch never reaches the informer, where a real
// API server would send it. A test changes what the backend watches only
// once the backend's watch is open.
type fakeWatches struct {
	mu     sync.Mutex
	opened map[string]chan struct{} // by resource, closed at its first watch
}

func watchFake(client *fake.Clientset) *fakeWatches {
	w := &fakeWatches{opened: map[string]chan struct{}{}}
	client.PrependWatchReactor("*", func(a k8stesting.Action) (bool, watch.Interface, error) {
		var opts metav1.ListOptions
		if l, ok := a.(k8stesting.WatchActionImpl); ok {
			opts = l.ListOptions
		}
		watcher, err := client.Tracker().Watch(a.GetResource(), a.GetNamespace(), opts)
		if err == nil {
			w.mu.Lock()
			ch := w.open(a.GetResource().Resource)
			select {
			case <-ch:
			default:
				close(ch)
			}
			w.mu.Unlock()
		}
		return true, watcher, err
	})
	return w
}

// open is resource's channel; w.mu is held.
func (w *fakeWatches) open(resource string) chan struct{} {
	ch := w.opened[resource]
	if ch == nil {
		ch = make(chan struct{})
		w.opened[resource] = ch
	}
	return ch
}

// wait returns once resource is watched, failing t after a minute.
func (w *fakeWatches) wait(t *testing.T, resource string) {
	t.Helper()
	w.mu.Lock()
	ch := w.open(resource)
	w.mu.Unlock()
	select {
	case <-ch:
	case <-time.After(time.Minute):
		t.Fatalf("no watch of %s opened in a minute", resource)
	}
}
