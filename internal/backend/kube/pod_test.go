package kube

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"time"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// memStore is a MetaStore in memory.
type memStore map[string]string

func (m memStore) Meta(k string) (string, error) { return m[k], nil }
func (m memStore) SetMeta(k, v string) error     { m[k] = v; return nil }

func offlineBackend(t *testing.T, st MetaStore) *Backend {
	t.Helper()
	client, err := kubernetes.NewForConfig(&rest.Config{Host: "http://127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(Config{Client: client, OutputDir: t.TempDir(), Store: st, MaxOutput: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestOwner: a server's owner label is made once and kept, so that a
// restarted server knows its pods.
func TestOwner(t *testing.T) {
	st := memStore{}
	a := offlineBackend(t, st).Owner()
	if !strings.HasPrefix(a, "borges-") || labelValue(a) != a {
		t.Fatalf("owner %q", a)
	}
	if b := offlineBackend(t, st).Owner(); b != a {
		t.Fatalf("owner %q then %q", a, b)
	}
}

// TestNames: pod names and label values are valid whatever the block's
// name, and ids that read alike have pods of their own.
func TestNames(t *testing.T) {
	a, b := PodName("doc.1-a.b.0.1"), PodName("doc.1-a_b.0.1")
	if a == b || !strings.HasPrefix(a, "borges-doc-1-a-b-0-1-") || len(a) > 63 {
		t.Fatalf("pod names %q, %q", a, b)
	}
	long := PodName("x." + strings.Repeat("Ü", 80) + ".0.1")
	if len(long) > 63 || strings.Contains(long, "--") && strings.HasSuffix(long, "-") {
		t.Fatalf("long name %q", long)
	}
	if v := labelValue("-my block/" + strings.Repeat("x", 80)); len(v) > 63 || v[0] == '-' || strings.Contains(v, "/") {
		t.Fatalf("label %q", v)
	}
}

// TestEndMarker: the text that ends the stderr stream is cut off, even
// split across reads, and a stream that only looks like it is kept.
func TestEndMarker(t *testing.T) {
	b := offlineBackend(t, nil)
	end := "<<borges-end-abc>>"
	for i, c := range []struct {
		in, want string
		final    bool
		sawEnd   bool
	}{
		{"err\n" + end, "err\n", false, true},
		{"a <<borges-e", "a ", false, false},          // held back: may be the end
		{"a <<borges-e", "a <<borges-e", true, false}, // the log ended without it
		{"x<<borges-endless", "x<<borges-endless", false, false},
	} {
		id := "doc.0-a.0." + string(rune('1'+i))
		sawEnd, err := b.copyStream(&slowReader{data: []byte(c.in)}, id, "stderr", end, c.final)
		if err != nil || sawEnd != c.sawEnd {
			t.Fatalf("%q: sawEnd %v, %v", c.in, sawEnd, err)
		}
		got := readAllOffline(t, b, id)
		if got != c.want {
			t.Errorf("%q: kept %q, want %q", c.in, got, c.want)
		}
	}
	// A log read again from its start appends only what is new.
	id := "doc.0-a.0.9"
	b.copyStream(strings.NewReader("one\n"), id, "stdout", "", false)
	b.copyStream(strings.NewReader("one\ntwo\n"), id, "stdout", "", false)
	b.copyStream(strings.NewReader("one\n"), id, "stdout", "", false)
	if got, _, _ := b.ReadLog(t.Context(), id, "stdout", 0, 100); string(got) != "one\ntwo\n" {
		t.Fatalf("re-read %q", got)
	}
	// Bounded by MaxOutput.
	id = "doc.0-a.0.10"
	b.copyStream(bytes.NewReader(make([]byte, 3<<20)), id, "stdout", "", false)
	if _, size, _ := b.ReadLog(t.Context(), id, "stdout", 0, 1); size != 1<<20 {
		t.Fatalf("kept %d bytes, MaxOutput 1 MiB", size)
	}
}

func readAllOffline(t *testing.T, b *Backend, id string) string {
	data, _, err := b.ReadLog(t.Context(), id, "stderr", 0, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// slowReader returns its data a byte at a time.
type slowReader struct{ data []byte }

func (r *slowReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	p[0] = r.data[0]
	r.data = r.data[1:]
	return 1, nil
}

// TestPodSpec: what a block asks for becomes the pod's spec.
func TestPodSpec(t *testing.T) {
	b := offlineBackend(t, nil)
	task := &plan.Task{Block: "web", Interpreter: []string{"python3"}, Timeout: 1500 * time.Millisecond,
		Resources:   plan.Resources{CPUs: 0.5, MemMB: 128, GPUs: 1},
		Constraints: []plan.Constraint{{Field: "hostname", Op: "==", Value: "n1"}, {Field: "zone", Op: "!=", Value: "b"}},
		Container:   &plan.Container{Image: "python:3", Network: "bridge"}}
	a := &engine.Attempt{ID: "d.0-web.0.1", DocID: "d", Block: "web", Number: 1, Task: task, Script: strings.Repeat("x", chunk+10)}
	pod, err := b.pod(a, "python:3", []int{31000}, "<<end>>")
	if err != nil {
		t.Fatal(err)
	}
	s := pod.Spec
	main := s.Containers[0]
	if s.HostNetwork || s.RestartPolicy != "Never" || *s.ActiveDeadlineSeconds != 2 || s.NodeSelector["kubernetes.io/hostname"] != "n1" ||
		s.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0].Key != "zone" {
		t.Fatalf("spec %+v", s)
	}
	if main.Resources.Requests.Cpu().MilliValue() != 500 || main.Resources.Limits.Memory().Value() != 128<<20 ||
		main.Resources.Limits.Cpu().MilliValue() != 0 || main.Resources.Limits["nvidia.com/gpu"] == (main.Resources.Limits["x"]) {
		t.Fatalf("resources %+v", main.Resources)
	}
	if main.Ports[0].HostPort != 31000 || len(main.Args) != 5 || main.Args[3]+main.Args[4] != a.Script {
		t.Fatalf("ports %+v, %d args", main.Ports, len(main.Args))
	}
	for _, c := range s.Containers {
		if c.ImagePullPolicy != "IfNotPresent" {
			t.Fatalf("%s: pull policy %q: an image on the node (a :latest one too) is to be used, not pulled", c.Name, c.ImagePullPolicy)
		}
	}
	if _, _, err := placement([]plan.Constraint{{Field: "rack", Op: "~", Value: "a.*"}}); err == nil ||
		!strings.Contains(err.Error(), "not regular expressions") {
		t.Fatalf("regexp constraint: %v", err)
	}
	if _, err := b.image(&plan.Task{}); err == nil || !strings.Contains(err.Error(), "#+kube_default_image:") {
		t.Fatalf("no image: %v", err)
	}
}

// TestLimitsImageAlone: a pod always runs an image, so :image NAME alone
// names it on this backend (the planner refuses it elsewhere).
func TestLimitsImageAlone(t *testing.T) {
	if !offlineBackend(t, memStore{}).Limits().ImageAlone {
		t.Fatal("the Kubernetes backend's limits do not let :image stand alone")
	}
}
