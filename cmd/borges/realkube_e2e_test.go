package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	policyv1 "k8s.io/api/policy/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"

	"github.com/wallyqs/borges/internal/backend/kube"
	"github.com/wallyqs/borges/internal/backend/kube/realkube"
	"github.com/wallyqs/borges/internal/engine"
)

// The Kubernetes backend end to end: the borges binary against a real
// single-node cluster (realkube), as the README's Role allows it, no more:
// skipped without the cluster's programs, failed then under
// BORGES_TEST_STRICT=1.

// readmeRole is the RBAC Role the README gives, read from it.
func readmeRole(t *testing.T) *rbacv1.Role {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, block := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(string(data), -1) {
		for _, doc := range strings.Split(block[1], "\n---\n") {
			if strings.Contains(doc, "kind: Role\n") {
				var r rbacv1.Role
				if err := yaml.Unmarshal([]byte(doc), &r); err != nil {
					t.Fatalf("the README's Role: %v", err)
				}
				return &r
			}
		}
	}
	t.Fatal("no Role in the README")
	return nil
}

// TestRealKube: Borges on a real cluster. One cluster, started once (its
// start is the longest part of each test, and one cluster runs at a time
// on the machine), with the README's Role granted to the test user,
// serves the tests one after the other, each with a Borges of its own
// (its own data, so its own owner of pods) and documents of their own;
// the one that stops the node's kubelet runs last.
//
// It runs beside the package's other tests (t.Parallel), whose servers,
// directories and ports are their own; the cluster's lock keeps it and
// TestRealKubeInCluster one at a time.
func TestRealKube(t *testing.T) {
	t.Parallel()
	c := startKubeCluster(t)
	for _, test := range []struct {
		name string
		run  func(*testing.T, *realkube.Cluster)
	}{
		{"pipeline", testRealKubePipeline},
		{"redis", testRealKubeRedis},
		{"evicted", testRealKubeEvicted},
		{"sessions", testRealKubeSessions},
		{"node lost", testRealKubeNodeLost},
	} {
		t.Run(test.name, func(t *testing.T) {
			c.In(t)
			test.run(t, c)
		})
	}
}

// startKubeCluster starts a cluster and grants the test user the README's
// Role.
func startKubeCluster(t *testing.T) *realkube.Cluster {
	t.Helper()
	c := realkube.Start(t)
	ctx := context.Background()
	role := readmeRole(t)
	role.Namespace = "default"
	if _, err := c.Client().RbacV1().Roles("default").Create(ctx, role, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	binding := &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "borges"},
		Subjects: []rbacv1.Subject{{Kind: "User", Name: realkube.User, APIGroup: "rbac.authorization.k8s.io"}},
		RoleRef:  rbacv1.RoleRef{Kind: "Role", Name: role.Name, APIGroup: "rbac.authorization.k8s.io"}}
	if _, err := c.Client().RbacV1().RoleBindings("default").Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	return c
}

// startKubeServer starts Borges with a setupfile naming the cluster (and
// the extra lines given).
func startKubeServer(t *testing.T, c *realkube.Cluster, extra ...string) (*server, string) {
	t.Helper()
	dir := t.TempDir()
	conf := filepath.Join(dir, "borges-config.org")
	text := "#+TITLE: Borges on Kubernetes\n\n#+kube_config: " + c.UserKubeconfig + "\n#+kube_namespace: default\n" +
		"#+kube_default_image: " + realkube.TestImage + "\n" + strings.Join(extra, "")
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return startServer(t, filepath.Join(dir, "data"), "-f", conf), conf
}

// docPods lists a document's pods.
func docPods(t *testing.T, c *realkube.Cluster, docID string) []corev1.Pod {
	t.Helper()
	list, err := c.Client().CoreV1().Pods("default").List(context.Background(), metav1.ListOptions{LabelSelector: kube.LabelDocument + "=" + docID})
	if err != nil {
		t.Fatal(err)
	}
	return list.Items
}

// testRealKubePipeline: the README's :var pipeline gives the results document
// Emacs writes for the same document (org-babel-execute-buffer), byte for
// byte, also after kill -9 and a restart of Borges, which creates no pod
// twice; a keep-running block whose pod is deleted under it runs again; a
// block asking for 64 CPUs says why it waits; DELETE removes the pods.
func testRealKubePipeline(t *testing.T, c *realkube.Cluster) {
	want := emacsRunner(t)(readmePipeline)
	if !strings.Contains(want, "| deploying | to | web2 |\n") {
		t.Fatalf("Emacs's results:\n%s", want)
	}

	s, conf := startKubeServer(t, c)
	ctx := context.Background()

	v := s.submit(readmePipeline)
	untilLong(t, "the pipeline finished on Kubernetes", func() bool { return s.doc(v.ID).State == engine.Finished })
	if _, got := s.get("/org/" + v.ID); got != want {
		t.Fatalf("differs from Emacs:\n--- emacs\n%s\n--- borges on Kubernetes\n%s", want, got)
	}

	// A keep-running block, a block that cannot be scheduled.
	keep := s.submit("#+name: keep\n#+begin_src sh :ensure it-keeps-running :cpu 0.1 :mem 32\necho up; sleep 600\n#+end_src\n\n" +
		"#+name: huge\n#+begin_src sh :cpu 64 :mem 32\necho never\n#+end_src\n")
	untilLong(t, "keep runs", func() bool { return blockOf(s.doc(keep.ID), "keep").State == engine.Running })
	untilLong(t, "huge says why it waits", func() bool {
		b := blockOf(s.doc(keep.ID), "huge")
		return len(b.Instances) == 1 && strings.Contains(b.Instances[0].Message, "Insufficient cpu")
	})
	first := attemptOf(t, s, keep.ID, "keep", 1)
	if err := c.Client().CoreV1().Pods("default").Delete(ctx, kube.PodName(first), metav1.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	untilLong(t, "keep runs again in a new pod", func() bool {
		b := blockOf(s.doc(keep.ID), "keep")
		return b.State == engine.Running && len(b.Instances) == 1 && b.Instances[0].Attempts >= 2
	})

	// kill -9 of Borges while pods run: the next one creates none twice.
	before := docPods(t, c, keep.ID)
	s.kill9()
	s2 := startServer(t, s.data, "-f", conf)
	if _, got := s2.get("/org/" + v.ID); got != want {
		t.Fatalf("after kill -9 and a restart: differs from Emacs:\n--- emacs\n%s\n--- borges on Kubernetes\n%s", want, got)
	}
	untilLong(t, "keep runs after the restart", func() bool { return blockOf(s2.doc(keep.ID), "keep").State == engine.Running })
	time.Sleep(2 * time.Second) // a duplicate would be created by now
	after := docPods(t, c, keep.ID)
	names := func(pods []corev1.Pod) string {
		var out []string
		for _, p := range pods {
			if p.DeletionTimestamp == nil {
				out = append(out, p.Name)
			}
		}
		return strings.Join(out, " ")
	}
	if names(after) != names(before) {
		t.Fatalf("pods before kill -9: %s; after the restart: %s", names(before), names(after))
	}

	// DELETE: the document's pods are gone.
	req, _ := http.NewRequest("DELETE", "http://"+s2.addr+"/org/"+keep.ID, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		t.Fatalf("DELETE: %s", resp.Status)
	}
	untilLong(t, "the document's pods are deleted", func() bool { return len(docPods(t, c, keep.ID)) == 0 })
	// The pods can be gone before the end of their block reaches the
	// engine (the cluster's watch, then the engine's pass): the document
	// ends killed, then.
	untilLong(t, "the document is killed", func() bool { return s2.doc(keep.ID).State.Terminal() })
	if st := s2.doc(keep.ID).State; st != engine.Killed {
		t.Fatalf("document after DELETE: %s", st)
	}
}

// testRealKubeRedis: the original README's redis example through the
// binary on the cluster, :dockerize and images as written (redis, ubuntu:
// stand-ins imported into the node's containerd, as no registry is
// reachable; the redis server a few lines of busybox on a free port), the
// writer in the default image; :cpu 0.5 rather than 1, for a node of two
// CPUs. The reader sees what the writer set; DELETE removes the pods.
func testRealKubeRedis(t *testing.T, c *realkube.Cluster) {
	s, _ := startKubeServer(t, c)
	c.ImportStandIns("docker.io/library/redis:latest", "docker.io/library/ubuntu:latest")
	port := fmt.Sprint(freePort(t))
	doc := strings.Replace(redisDockerized, "IMAGE", "redis", 1)
	doc = strings.NewReplacer("IMAGE", "ubuntu", "PORT", port, ":cpu 1 ", ":cpu 0.5 ").Replace(doc)
	v := s.submit(doc)
	t.Cleanup(func() {
		if t.Failed() {
			for _, b := range s.doc(v.ID).Blocks {
				_, out := s.get("/org/" + v.ID + "/blocks/" + b.Name + "/log")
				t.Logf("%s: %+v\nstdout: %q", b.Name, b.Instances, out)
			}
		}
	})
	value := regexp.MustCompile(`Current value in Redis:\n[0-9]{10}\n`)
	untilLong(t, "the reader sees what the writer set", func() bool {
		_, log := s.get("/org/" + v.ID + "/blocks/get-something-from-redis/log")
		return value.MatchString(log)
	})
	images := map[string]string{}
	for _, p := range docPods(t, c, v.ID) {
		images[p.Labels[kube.LabelBlock]] = p.Spec.Containers[0].Image
	}
	if images["redis-server"] != "redis" || images["get-something-from-redis"] != "ubuntu" || images["set-something-in-redis"] != realkube.TestImage {
		t.Fatalf("images of the pods: %v", images)
	}
	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+v.ID, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	untilLong(t, "all are killed", func() bool { return s.doc(v.ID).State == engine.Killed })
	untilLong(t, "the document's pods are deleted", func() bool { return len(docPods(t, c, v.ID)) == 0 })
}

// testRealKubeEvicted: a keep-running block's pod evicted through the
// Eviction API (as kubectl drain does) is lost, and the block runs again in
// a new pod: the API's past attempts say why, `borges status` shows the
// new attempt running.
func testRealKubeEvicted(t *testing.T, c *realkube.Cluster) {
	s, _ := startKubeServer(t, c)
	ctx := context.Background()
	v := s.submit("#+name: keep\n#+begin_src sh :ensure it-keeps-running :cpu 0.1 :mem 32\necho up; sleep 600\n#+end_src\n")
	untilLong(t, "keep runs", func() bool { return blockOf(s.doc(v.ID), "keep").State == engine.Running })
	first := attemptOf(t, s, v.ID, "keep", 1)
	ev := &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: kube.PodName(first), Namespace: "default"}}
	if err := c.Client().CoreV1().Pods("default").EvictV1(ctx, ev); err != nil {
		t.Fatal(err)
	}
	var in engine.InstanceView
	untilLong(t, "keep runs again in a new pod", func() bool {
		b := blockOf(s.doc(v.ID), "keep")
		if len(b.Instances) != 1 {
			return false
		}
		in = b.Instances[0]
		return in.State == engine.Running && in.Attempts == 2
	})
	if len(in.PastAttempts) != 1 || in.PastAttempts[0].State != engine.Lost ||
		!strings.Contains(in.PastAttempts[0].Message, "pod "+kube.PodName(first)+" was evicted (EvictionByEvictionAPI)") {
		t.Fatalf("past attempts: %+v", in.PastAttempts)
	}
	pods := docPods(t, c, v.ID)
	if len(pods) != 1 || pods[0].Name != kube.PodName(in.AttemptID) {
		t.Fatalf("pods of the document: %v (want the second attempt's only)", pods)
	}
	var out, errb bytes.Buffer
	cmd := exec.Command(binary, "status", v.ID)
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.Env = append(os.Environ(), "BORGES_ADDR="+s.addr)
	if err := cmd.Run(); err != nil {
		t.Fatalf("borges status: %v\n%s", err, errb.String())
	}
	if !regexp.MustCompile(`(?m)^  keep +sh +running +attempt 2 — pod ` + regexp.QuoteMeta(kube.PodName(in.AttemptID)) + ` on `).MatchString(out.String()) {
		t.Fatalf("borges status:\n%s", out.String())
	}
}

// testRealKubeNodeLost: Borges given the README's ClusterRole (nodes) too
// and #+kube_node_lost_grace: 5s. The kubelet under a keep-running block
// stops: the block says its node is not ready, is lost after the grace,
// and its next attempt waits for a node; the kubelet started again, it
// runs, and the lost pod's program is gone (the kubelet killed it).
func testRealKubeNodeLost(t *testing.T, c *realkube.Cluster) {
	s, _ := startKubeServer(t, c, "#+kube_node_lost_grace: 5s\n")
	ctx := context.Background()
	var nodes *rbacv1.ClusterRole
	for _, obj := range readmeManifests(t) {
		if r, ok := obj.(*rbacv1.ClusterRole); ok {
			nodes = r
		}
	}
	if nodes == nil {
		t.Fatal("no ClusterRole in the README")
	}
	if _, err := c.Client().RbacV1().ClusterRoles().Create(ctx, nodes, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	binding := &rbacv1.ClusterRoleBinding{ObjectMeta: metav1.ObjectMeta{Name: "borges-nodes-user"},
		Subjects: []rbacv1.Subject{{Kind: "User", Name: realkube.User, APIGroup: "rbac.authorization.k8s.io"}},
		RoleRef:  rbacv1.RoleRef{Kind: "ClusterRole", Name: nodes.Name, APIGroup: "rbac.authorization.k8s.io"}}
	if _, err := c.Client().RbacV1().ClusterRoleBindings().Create(ctx, binding, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// Borges asks whether it may watch nodes when it starts: again, now.
	s.stop()
	s = startServer(t, s.data, s.cmd.Args[len(s.cmd.Args)-2:]...)
	v := s.submit("#+name: keep\n#+begin_src sh :ensure it-keeps-running :cpu 0.1 :mem 32\necho up; sleep 600\n#+end_src\n")
	untilLong(t, "keep runs", func() bool { return blockOf(s.doc(v.ID), "keep").State == engine.Running })
	first := attemptOf(t, s, v.ID, "keep", 1)
	c.StopKubelet()
	restarted := false
	t.Cleanup(func() {
		if !restarted {
			c.StartKubelet()
		}
	})
	untilLong(t, "keep says its node is not ready", func() bool {
		b := blockOf(s.doc(v.ID), "keep")
		return len(b.Instances) == 1 && strings.Contains(b.Instances[0].Message, "node "+realkube.NodeName+" not ready since")
	})
	var in engine.InstanceView
	untilLong(t, "keep is lost and its next attempt waits for a node", func() bool {
		b := blockOf(s.doc(v.ID), "keep")
		if len(b.Instances) != 1 {
			return false
		}
		in = b.Instances[0]
		return in.Attempts == 2 && len(in.PastAttempts) == 1 && strings.HasPrefix(in.Message, "waiting for a node: ")
	})
	if p := in.PastAttempts[0]; p.State != engine.Lost ||
		p.Message != "pod "+kube.PodName(first)+": node "+realkube.NodeName+" lost: not ready for 5s (NodeStatusUnknown: Kubelet stopped posting node status.)" {
		t.Fatalf("the lost attempt: %+v", p)
	}
	c.StartKubelet()
	restarted = true
	untilLong(t, "keep runs again once the node is back", func() bool {
		b := blockOf(s.doc(v.ID), "keep")
		return b.State == engine.Running && len(b.Instances) == 1 && b.Instances[0].Attempts == 2
	})
	if pods := docPods(t, c, v.ID); len(pods) != 1 || pods[0].Name != kube.PodName(in.AttemptID) {
		t.Fatalf("pods of the document: %d (want the second attempt's only)", len(pods))
	}
}
