package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/cache"

	"github.com/wallyqs/borges/internal/backend/kube"
	"github.com/wallyqs/borges/internal/backend/kube/realkube"
	"github.com/wallyqs/borges/internal/engine"
)

// readmeManifests are the objects of the yaml blocks of the README's
// section "Running tasks on Kubernetes", in their order.
func readmeManifests(t *testing.T) []runtime.Object {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	start := strings.Index(text, "\n## Running tasks on Kubernetes\n")
	if start < 0 {
		t.Fatal("no section Running tasks on Kubernetes in the README")
	}
	section := text[start+1:]
	if end := strings.Index(section, "\n## "); end >= 0 {
		section = section[:end]
	}
	var objs []runtime.Object
	for _, block := range regexp.MustCompile("(?s)```yaml\n(.*?)```").FindAllStringSubmatch(section, -1) {
		for _, doc := range strings.Split(block[1], "\n---\n") {
			obj, _, err := scheme.Codecs.UniversalDeserializer().Decode([]byte(doc), nil, nil)
			if err != nil {
				t.Fatalf("the README's manifest:\n%s\n%v", doc, err)
			}
			objs = append(objs, obj)
		}
	}
	return objs
}

// apply creates a manifest's object in namespace ns.
func apply(ctx context.Context, cl kubernetes.Interface, ns string, obj runtime.Object) error {
	var err error
	switch o := obj.(type) {
	case *corev1.ServiceAccount:
		_, err = cl.CoreV1().ServiceAccounts(ns).Create(ctx, o, metav1.CreateOptions{})
	case *corev1.ConfigMap:
		_, err = cl.CoreV1().ConfigMaps(ns).Create(ctx, o, metav1.CreateOptions{})
	case *corev1.Secret:
		_, err = cl.CoreV1().Secrets(ns).Create(ctx, o, metav1.CreateOptions{})
	case *corev1.PersistentVolumeClaim:
		_, err = cl.CoreV1().PersistentVolumeClaims(ns).Create(ctx, o, metav1.CreateOptions{})
	case *rbacv1.Role:
		_, err = cl.RbacV1().Roles(ns).Create(ctx, o, metav1.CreateOptions{})
	case *rbacv1.RoleBinding:
		_, err = cl.RbacV1().RoleBindings(ns).Create(ctx, o, metav1.CreateOptions{})
	case *rbacv1.ClusterRole:
		_, err = cl.RbacV1().ClusterRoles().Create(ctx, o, metav1.CreateOptions{})
	case *rbacv1.ClusterRoleBinding:
		_, err = cl.RbacV1().ClusterRoleBindings().Create(ctx, o, metav1.CreateOptions{})
	case *appsv1.Deployment:
		_, err = cl.AppsV1().Deployments(ns).Create(ctx, o, metav1.CreateOptions{})
	default:
		return fmt.Errorf("the test does not apply a %T", obj)
	}
	return err
}

// staticBorges builds the borges binary statically (CGO_ENABLED=0), for
// an image with no C library.
func staticBorges(t *testing.T) []byte {
	t.Helper()
	out := filepath.Join(t.TempDir(), "borges")
	cmd := exec.Command("go", "build", "-o", out, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building a static borges: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestRealKubeInCluster: Borges runs in the cluster as the README's
// manifests say — its ServiceAccount, Role, RoleBinding, ClusterRole,
// ConfigMap, claim and Deployment, read from the README itself — in an
// image holding a static borges and busybox (imported into the node, no
// registry), with the in-cluster configuration of its service account.
// A document posted to it with the token of the Secret the manifest
// names runs in pods that appear and finish.
//
// What the test cluster lacks, the test supplies, as a cluster's
// administrator would: the volume the claim binds to, the Secret, the
// default image (a busybox stand-in for debian:12). What it changes is
// the network alone, the test cluster having neither a pod network nor
// a service proxy: the pod runs on the host network, told the API
// server's address on the loopback (the variables a service proxy's
// address fills in), and Borges listens on the loopback, on a free port.
//
// It runs beside the package's other tests (t.Parallel); the cluster's
// lock keeps it and TestRealKube one at a time. The static borges is
// built before the cluster starts: while TestRealKube holds the lock.
func TestRealKubeInCluster(t *testing.T) {
	t.Parallel()
	objs := readmeManifests(t)
	binary := staticBorges(t)
	c := realkube.Start(t)
	ctx := context.Background()
	cl := c.Client()
	port := freePort(t)
	token := "in-cluster-token-" + strconv.Itoa(port) + "-0123456789"

	var deployment *appsv1.Deployment
	kinds := map[string]bool{}
	for _, obj := range objs {
		switch o := obj.(type) {
		case *corev1.ConfigMap:
			conf := o.Data["borges-config.org"]
			if !strings.Contains(conf, "#+borges_bind: 0.0.0.0\n") {
				t.Fatalf("the README's configuration binds elsewhere:\n%s", conf)
			}
			o.Data["borges-config.org"] = strings.Replace(conf, "#+borges_bind: 0.0.0.0\n",
				"#+borges_bind: 127.0.0.1\n#+borges_port: "+strconv.Itoa(port)+"\n", 1)
		case *appsv1.Deployment:
			deployment = o
			spec := &o.Spec.Template.Spec
			spec.HostNetwork = true
			spec.Containers[0].Env = append(spec.Containers[0].Env,
				corev1.EnvVar{Name: "KUBERNETES_SERVICE_HOST", Value: "127.0.0.1"},
				corev1.EnvVar{Name: "KUBERNETES_SERVICE_PORT", Value: strconv.Itoa(c.APIPort)})
		case *corev1.PersistentVolumeClaim:
			c.AddVolume("borges-data-volume", o.Spec.Resources.Requests.Storage().String())
		}
		kinds[fmt.Sprintf("%T", obj)] = true
	}
	for _, k := range []string{"*v1.ServiceAccount", "*v1.Role", "*v1.RoleBinding", "*v1.ConfigMap", "*v1.PersistentVolumeClaim", "*v1.Deployment"} {
		if !kinds[k] {
			t.Fatalf("the README's manifests have no %s", k)
		}
	}
	image := deployment.Spec.Template.Spec.Containers[0].Image
	c.ImportImage("docker.io/library/"+image, map[string][]byte{"/bin/borges": binary}, []string{"/bin/borges"})
	c.ImportStandIns("docker.io/library/debian:12")
	secret := &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Name: "borges-token"}, StringData: map[string]string{"token": token}}
	if err := apply(ctx, cl, "default", secret); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Before the cluster stops: no new Borges pod meanwhile.
		cl.AppsV1().Deployments("default").Delete(context.Background(), deployment.Name, metav1.DeleteOptions{})
	})
	for _, obj := range objs {
		if err := apply(ctx, cl, "default", obj); err != nil {
			t.Fatalf("applying the README's %T: %v", obj, err)
		}
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("Borges' log in its pod:\n%s", borgesPodLog(cl))
		}
	})

	addr := "127.0.0.1:" + strconv.Itoa(port)
	do := func(method, path, body, bearer string) (int, string) {
		req, _ := http.NewRequest(method, "http://"+addr+path, strings.NewReader(body))
		if bearer != "" {
			req.Header.Set("Authorization", "Bearer "+bearer)
		}
		if body != "" {
			req.Header.Set("Content-Type", "text/org")
			req.Header.Set("Accept", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(data)
	}
	deadline := time.Now().Add(4 * time.Minute)
	for {
		if code, _ := do("GET", "/healthz", "", ""); code == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Borges in the cluster does not answer; its pods: %s", podSummary(t, cl, "app=borges"))
		}
		time.Sleep(500 * time.Millisecond)
	}
	if code, _ := do("GET", "/org", "", ""); code != http.StatusUnauthorized {
		t.Fatalf("GET /org without the token: %d", code)
	}
	// Every pod Borges makes, seen as it is created (an informer: its
	// watch is taken up again should the API server end it).
	created := newPodNames()
	factory := informers.NewSharedInformerFactoryWithOptions(cl, 0, informers.WithNamespace("default"),
		informers.WithTweakListOptions(func(o *metav1.ListOptions) { o.LabelSelector = kube.LabelManaged + "=borges" }))
	if _, err := factory.Core().V1().Pods().Informer().AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc: func(obj any) {
			if pod, ok := obj.(*corev1.Pod); ok {
				created.add(pod.Labels[kube.LabelDocument], pod.Name)
			}
		},
	}); err != nil {
		t.Fatal(err)
	}
	stopInformer := make(chan struct{})
	defer close(stopInformer)
	factory.Start(stopInformer)
	syncCtx, cancelSync := context.WithTimeout(ctx, 2*time.Minute)
	factory.WaitForCacheSync(syncCtx.Done())
	cancelSync()
	code, body := do("POST", "/org", "#+name: hello\n#+begin_src sh :cpu 0.1 :mem 32\necho hello from the cluster\n#+end_src\n", token)
	if code != http.StatusCreated {
		t.Fatalf("POST /org: %d %s", code, body)
	}
	var v engine.DocumentView
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("POST /org: %s: %v", body, err)
	}
	deadline = time.Now().Add(4 * time.Minute)
	for {
		_, doc := do("GET", "/org/"+v.ID+".json", "", token)
		var now engine.DocumentView
		json.Unmarshal([]byte(doc), &now)
		if now.State == engine.Finished {
			break
		}
		if now.State.Terminal() || time.Now().After(deadline) {
			t.Fatalf("the document did not finish: %s", doc)
		}
		time.Sleep(300 * time.Millisecond)
	}
	// The informer's news may come after the document's end.
	deadline = time.Now().Add(time.Minute)
	for len(created.of(v.ID)) == 0 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if names := created.of(v.ID); len(names) != 1 {
		t.Fatalf("pods of the document seen created: %v (want one)", names)
	}
	if _, out := do("GET", "/org/"+v.ID+"/blocks/hello/log", "", token); out != "hello from the cluster\n" {
		t.Fatalf("the block's output %q", out)
	}
	// Its pod read, it is deleted.
	deadline = time.Now().Add(2 * time.Minute)
	for {
		pods, err := cl.CoreV1().Pods("default").List(ctx, metav1.ListOptions{LabelSelector: kube.LabelDocument + "=" + v.ID})
		if err == nil && len(pods.Items) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the block's pod is still there: %s", podSummary(t, cl, kube.LabelDocument+"="+v.ID))
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// podSummary says how the pods matching selector stand.
func podSummary(t *testing.T, cl kubernetes.Interface, selector string) string {
	pods, err := cl.CoreV1().Pods("default").List(context.Background(), metav1.ListOptions{LabelSelector: selector})
	if err != nil {
		return err.Error()
	}
	var out []string
	for _, p := range pods.Items {
		s := p.Name + " " + string(p.Status.Phase)
		for _, c := range p.Status.Conditions {
			if c.Status != corev1.ConditionTrue && c.Message != "" {
				s += " (" + c.Message + ")"
			}
		}
		for _, cs := range p.Status.ContainerStatuses {
			if cs.State.Waiting != nil {
				s += " " + cs.Name + ": " + cs.State.Waiting.Reason + " " + cs.State.Waiting.Message
			}
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

// borgesPodLog is the log of Borges' pod.
func borgesPodLog(cl kubernetes.Interface) string {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pods, err := cl.CoreV1().Pods("default").List(ctx, metav1.ListOptions{LabelSelector: "app=borges"})
	if err != nil || len(pods.Items) == 0 {
		return fmt.Sprintf("no pod (%v)", err)
	}
	data, err := cl.CoreV1().Pods("default").GetLogs(pods.Items[0].Name, &corev1.PodLogOptions{}).DoRaw(ctx)
	if err != nil {
		return err.Error()
	}
	return string(data)
}

// podNames are pod names by document, as an informer reports them.
type podNames struct {
	mu    sync.Mutex
	names map[string][]string
}

func newPodNames() *podNames { return &podNames{names: map[string][]string{}} }

func (p *podNames) add(doc, name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.names[doc] = append(p.names[doc], name)
}

func (p *podNames) of(doc string) []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]string(nil), p.names[doc]...)
}
