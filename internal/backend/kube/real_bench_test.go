package kube

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"

	"github.com/wallyqs/borges/internal/backend/kube/realkube"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/store"
)

// BenchmarkRealHundredBlocks: a document of 100 trivial blocks, submitted
// → all finished, through the engine and this backend on the real
// single-node cluster; against, in the same run, the same 100 pods (the
// spec Borges makes) created directly with client-go and watched until
// their program ended, and 100 one-container pods (what the stderr
// container costs). BORGES_BENCH_BLOCKS changes the count.
//
//	go test ./internal/backend/kube -run '^$' -bench RealHundredBlocks -benchtime 1x
func BenchmarkRealHundredBlocks(b *testing.B) {
	n := 100
	if v, err := strconv.Atoi(os.Getenv("BORGES_BENCH_BLOCKS")); err == nil && v > 0 {
		n = v
	}
	c := realkube.Start(b)
	var doc strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&doc, "#+name: b%d\n#+begin_src sh :cpu 0.01 :mem 16\ntrue\n#+end_src\n\n", i)
	}
	var borges, same, single time.Duration
	for i := 0; i < b.N; i++ {
		borges = borgesRun(b, c, doc.String())
		same = directRun(b, c, n, false)
		single = directRun(b, c, n, true)
	}
	b.ReportMetric(borges.Seconds(), "borges-s")
	b.ReportMetric(same.Seconds(), "direct-s")
	b.ReportMetric(single.Seconds(), "direct-1container-s")
	b.ReportMetric(borges.Seconds()/same.Seconds(), "ratio")
	b.ReportMetric(borges.Seconds()/single.Seconds(), "ratio-1container")
}

func borgesRun(b *testing.B, c *realkube.Cluster, doc string) time.Duration {
	dir := b.TempDir()
	st, err := store.Open(filepath.Join(dir, "borges.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	kb, err := New(Config{Client: c.Client(), RESTConfig: c.RESTConfig(), DefaultImage: realkube.TestImage, Store: st,
		OutputDir: filepath.Join(dir, "out")})
	if err != nil {
		b.Fatal(err)
	}
	eng := engine.New(engine.Config{Backend: kb, Store: st})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := eng.Start(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	v, err := eng.Submit(ctx, doc)
	if err != nil {
		b.Fatal(err)
	}
	deadline := start.Add(20 * time.Minute)
	for {
		d, err := eng.Document(v.ID)
		if err != nil {
			b.Fatal(err)
		}
		if d.State == engine.Finished {
			break
		}
		if d.State.Terminal() || time.Now().After(deadline) {
			b.Fatalf("the document is %s after %v", d.State, time.Since(start))
		}
		time.Sleep(50 * time.Millisecond)
	}
	return time.Since(start)
}

// directRun creates n pods with client-go and watches them until each
// one's program has ended, then deletes them (not timed).
func directRun(b *testing.B, c *realkube.Cluster, n int, oneContainer bool) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	pods := c.Client().CoreV1().Pods("default")
	kb := &Backend{owner: "direct"}
	label := "direct-" + strconv.FormatBool(oneContainer)
	start := time.Now()
	for i := 0; i < n; i++ {
		task := &plan.Task{Interpreter: []string{"sh"}, Script: "true", Resources: plan.Resources{CPUs: 0.01, MemMB: 16}}
		a := &engine.Attempt{ID: fmt.Sprintf("%s.%d-b.0.1", label, i), DocID: label, Block: "b", Number: 1, Task: task, Script: "true"}
		pod, err := kb.pod(a, realkube.TestImage, nil, "<<end>>")
		if err != nil {
			b.Fatal(err)
		}
		pod.Labels["bench"] = label
		if oneContainer {
			pod.Spec.Containers = []corev1.Container{{Name: "main", Image: realkube.TestImage, Command: []string{"/bin/sh", "-c", "true"},
				Resources: pod.Spec.Containers[0].Resources}}
			pod.Spec.Volumes = nil
		}
		if _, err := pods.Create(ctx, pod, metav1.CreateOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	// Watched (again after a watch error, catching up with a list) until
	// every program has ended.
	done := map[string]bool{}
	see := func(p *corev1.Pod) {
		if s := containerStatus(p, mainContainer); s != nil && s.State.Terminated != nil {
			done[p.Name] = true
		}
	}
	for tries := 0; len(done) < n && tries < 100; tries++ {
		list, err := pods.List(ctx, metav1.ListOptions{LabelSelector: "bench=" + label})
		if err != nil {
			b.Fatal(err)
		}
		for i := range list.Items {
			see(&list.Items[i])
		}
		w, err := pods.Watch(ctx, metav1.ListOptions{LabelSelector: "bench=" + label, ResourceVersion: list.ResourceVersion})
		if err != nil {
			b.Fatal(err)
		}
	events:
		for len(done) < n {
			select {
			case ev, ok := <-w.ResultChan():
				if !ok || ev.Type == watch.Error {
					break events
				}
				if p, ok := ev.Object.(*corev1.Pod); ok {
					see(p)
				}
			case <-ctx.Done():
				b.Fatalf("%d of %d direct pods ended", len(done), n)
			}
		}
		w.Stop()
	}
	if len(done) < n {
		b.Fatalf("%d of %d direct pods ended", len(done), n)
	}
	took := time.Since(start)
	zero := int64(0)
	pods.DeleteCollection(context.Background(), metav1.DeleteOptions{GracePeriodSeconds: &zero}, metav1.ListOptions{LabelSelector: "bench=" + label})
	return took
}
