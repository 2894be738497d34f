package realkube

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/util/retry"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proclist"
)

// NodeName is the cluster's one node. The API server reaches the kubelet
// by it (its Hostname address), so that the kubelet can listen on the
// loopback only.
const NodeName = "localhost"

// User is the user a test may give Borges (kubeconfig UserKubeconfig): it
// belongs to no group, so it may do only what RBAC objects the test
// creates grant it.
const User = "borges"

// Cluster is a running single-node cluster.
type Cluster struct {
	t   testing.TB
	dir string
	bin string
	// AdminKubeconfig is a kubeconfig with every right (system:masters);
	// UserKubeconfig one of User.
	AdminKubeconfig, UserKubeconfig string
	// CAFile is the API server's CA.
	CAFile string
	apiURL string
	// APIPort is the API server's port on 127.0.0.1.
	APIPort int

	procs      []*proc // in start order
	kubelet    *proc
	sock       string            // containerd's
	cgroupRoot string            // the kubelet's, "/borges-kube-…"
	sysctls    map[string]string // the machine's values of kubeletSysctls
	// sysctlsFile keeps them beside the lock until they are restored.
	sysctlsFile string
	netns       map[string]bool // /var/run/netns before the cluster started
	lock        *os.File
	client      *kubernetes.Clientset
	started     time.Time
}

type proc struct {
	name string
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

var lockMu sync.Mutex

// Start starts a cluster, waits until its node is ready, and stops it at
// cleanup with every pod, container and cgroup it made, whatever happens.
// One cluster runs at a time on the machine (a lock in the cache
// directory): the kubelet sets kernel parameters, restored at cleanup.
func Start(t testing.TB) *Cluster {
	t.Helper()
	bin, err := Built()
	if err != nil {
		outside.Missing(t, "real Kubernetes: %v", err)
		return nil
	}
	for _, need := range []struct{ pkg, prog string }{{"etcd-server", "etcd"}, {"containerd", "containerd"},
		{"containerd", "ctr"}, {"containerd", "containerd-shim-runc-v2"}, {"runc", "runc"}} {
		if _, err := exec.LookPath(need.prog); err != nil {
			outside.Missing(t, "real Kubernetes: %s not found on PATH (install the Debian package %s)", need.prog, need.pkg)
			return nil
		}
	}
	if _, err := os.Stat("/usr/lib/cni/loopback"); err != nil {
		outside.Missing(t, "real Kubernetes: no /usr/lib/cni/loopback (install the Debian package containernetworking-plugins)")
		return nil
	}
	if os.Geteuid() != 0 {
		outside.Missing(t, "real Kubernetes: a kubelet needs root")
		return nil
	}
	images, err := testImages()
	if err != nil {
		outside.Missing(t, "real Kubernetes: %v", err)
		return nil
	}
	// A short directory: containerd's socket path must fit in 108 bytes.
	dir, err := os.MkdirTemp("", "bk-")
	if err != nil {
		t.Fatal(err)
	}
	c := &Cluster{t: t, dir: dir, bin: bin, sysctls: map[string]string{},
		sysctlsFile: filepath.Join(filepath.Dir(Dir()), "sysctls.saved"), netns: map[string]bool{}, started: time.Now()}
	c.takeLock()
	t.Cleanup(c.stop)
	if err := c.start(images); err != nil {
		t.Fatalf("real Kubernetes: %v", err)
	}
	return c
}

// In makes t the test the cluster's helpers (RESTConfig, ImportPython,
// StopKubelet…) report their failures to, until t ends: a subtest of the
// test that started the cluster, which shares it with its other subtests
// (a cluster's start is the longest part of most tests). Those subtests
// run one at a time.
func (c *Cluster) In(t testing.TB) {
	starter := c.t
	c.t = t
	t.Cleanup(func() { c.t = starter })
}

// takeLock waits (up to 20 minutes: another test binary's cluster) for the
// machine's cluster lock.
func (c *Cluster) takeLock() {
	c.t.Helper()
	lockMu.Lock()
	defer lockMu.Unlock()
	if err := os.MkdirAll(filepath.Dir(Dir()), 0o755); err != nil {
		c.t.Fatal(err)
	}
	f, err := os.OpenFile(filepath.Join(filepath.Dir(Dir()), "cluster.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		c.t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Minute)
	for syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		if time.Now().After(deadline) {
			f.Close()
			c.t.Fatal("real Kubernetes: another cluster held the machine's lock for 20 minutes")
		}
		time.Sleep(500 * time.Millisecond)
	}
	c.lock = f
}

func (c *Cluster) start(images []byte) error {
	ports := make([]int, 7)
	for i := range ports {
		p, err := outside.ServerPort()
		if err != nil {
			return err
		}
		ports[i] = p
	}
	etcdClient, etcdPeer, apiPort, kubeletPort, healthzPort, schedPort, cmPort := ports[0], ports[1], ports[2], ports[3], ports[4], ports[5], ports[6]
	for _, d := range []string{"etcd", "certs", "containerd/root", "containerd/state", "containerd/opt", "cni", "kubelet", "pod-logs", "volumes"} {
		if err := os.MkdirAll(filepath.Join(c.dir, d), 0o700); err != nil {
			return err
		}
	}
	// etcd.
	etcdURL := "http://127.0.0.1:" + strconv.Itoa(etcdClient)
	peerURL := "http://127.0.0.1:" + strconv.Itoa(etcdPeer)
	c.run("etcd", "etcd", "--name=borges", "--data-dir="+filepath.Join(c.dir, "etcd"),
		"--listen-client-urls="+etcdURL, "--advertise-client-urls="+etcdURL,
		"--listen-peer-urls="+peerURL, "--initial-advertise-peer-urls="+peerURL,
		"--initial-cluster=borges="+peerURL, "--log-level=warn", "--logger=zap")
	// The API server.
	cs, err := makeCerts(filepath.Join(c.dir, "certs"))
	if err != nil {
		return err
	}
	c.CAFile = cs.CA
	admin, user := randomToken(), randomToken()
	tokens := filepath.Join(c.dir, "certs", "tokens.csv")
	if err := os.WriteFile(tokens, []byte(admin+",admin,admin,\"system:masters\"\n"+user+","+User+","+User+"\n"), 0o600); err != nil {
		return err
	}
	c.apiURL = "https://127.0.0.1:" + strconv.Itoa(apiPort)
	c.APIPort = apiPort
	c.run("kube-apiserver", filepath.Join(c.bin, "kube-apiserver"),
		"--etcd-servers="+etcdURL, "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
		"--secure-port="+strconv.Itoa(apiPort), "--tls-cert-file="+cs.ServerCert, "--tls-private-key-file="+cs.ServerKey,
		"--cert-dir="+filepath.Join(c.dir, "certs"), "--token-auth-file="+tokens, "--authorization-mode=RBAC",
		"--service-account-issuer=https://kubernetes.default.svc", "--service-account-key-file="+cs.SAPub,
		"--service-account-signing-key-file="+cs.SAKey, "--service-cluster-ip-range=10.0.0.0/24",
		"--endpoint-reconciler-type=none", "--kubelet-preferred-address-types=Hostname",
		// The node starts untainted: waitNode need not wait for the node
		// lifecycle controller to lift a not-ready taint.
		"--disable-admission-plugins=TaintNodesByCondition",
		"--profiling=false", "--v=1")
	c.AdminKubeconfig = filepath.Join(c.dir, "admin.kubeconfig")
	c.UserKubeconfig = filepath.Join(c.dir, "user.kubeconfig")
	if err := c.writeKubeconfig(c.AdminKubeconfig, admin); err != nil {
		return err
	}
	if err := c.writeKubeconfig(c.UserKubeconfig, user); err != nil {
		return err
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", c.AdminKubeconfig)
	if err != nil {
		return err
	}
	cfg.QPS, cfg.Burst = 100, 200
	c.client, err = kubernetes.NewForConfig(cfg)
	if err != nil {
		return err
	}
	if err := c.until("the API server is ready", 3*time.Minute, func() bool {
		res := c.client.Discovery().RESTClient().Get().AbsPath("/readyz").Do(context.Background())
		var code int
		res.StatusCode(&code)
		return res.Error() == nil && code == 200
	}); err != nil {
		return err
	}
	// The scheduler.
	c.run("kube-scheduler", filepath.Join(c.bin, "kube-scheduler"), "--kubeconfig="+c.AdminKubeconfig,
		"--authentication-kubeconfig="+c.AdminKubeconfig, "--authorization-kubeconfig="+c.AdminKubeconfig,
		"--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port="+strconv.Itoa(schedPort), "--v=1")
	c.startControllerManager(cs, cmPort)
	if err := c.until("the default service account exists (pods are admitted)", 3*time.Minute, func() bool {
		_, err := c.client.CoreV1().ServiceAccounts("default").Get(context.Background(), "default", metav1.GetOptions{})
		return err == nil
	}); err != nil {
		return err
	}
	// containerd, with a loopback-only CNI network (pods run on the host
	// network; a pod of its own network has only lo).
	if err := os.WriteFile(filepath.Join(c.dir, "cni", "99-loopback.conflist"),
		[]byte(`{"cniVersion":"0.4.0","name":"borges-lo","plugins":[{"type":"loopback"}]}`), 0o644); err != nil {
		return err
	}
	c.sock = filepath.Join(c.dir, "containerd.sock")
	config := fmt.Sprintf(`version = 2
root = %q
state = %q
[grpc]
  address = %q
[ttrpc]
  address = %q
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = %q
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "docker.io/%s"
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
  enable_selinux = false
  # Where processes lack CAP_SYS_RESOURCE (a sandboxed machine), the
  # kubelet's -998 for pod sandboxes cannot be set: keep containerd's own.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        # runc's state in the cluster's directory, removed with it.
        Root = %q
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = %q
`, filepath.Join(c.dir, "containerd", "root"), filepath.Join(c.dir, "containerd", "state"), c.sock, c.sock+".ttrpc",
		filepath.Join(c.dir, "containerd", "opt"), PauseImage, filepath.Join(c.dir, "runc"), filepath.Join(c.dir, "cni"))
	configPath := filepath.Join(c.dir, "containerd.toml")
	if err := os.WriteFile(configPath, []byte(config), 0o644); err != nil {
		return err
	}
	c.run("containerd", "containerd", "--config="+configPath, "--log-level="+containerdLogLevel())
	if err := c.until("containerd answers", time.Minute, func() bool {
		return exec.Command("ctr", "--address", c.sock, "version").Run() == nil
	}); err != nil {
		return err
	}
	imagesPath := filepath.Join(c.dir, "images.tar")
	if err := os.WriteFile(imagesPath, images, 0o644); err != nil {
		return err
	}
	if out, err := exec.Command("ctr", "--address", c.sock, "-n", "k8s.io", "images", "import", imagesPath).CombinedOutput(); err != nil {
		return fmt.Errorf("ctr images import: %v: %s", err, out)
	}
	// The kubelet, in a cgroup root of its own.
	c.cgroupRoot = "/borges-kube-" + strconv.Itoa(os.Getpid())
	if err := makeCgroupRoot(c.cgroupRoot); err != nil {
		return err
	}
	c.saveSysctls()
	if entries, err := os.ReadDir("/var/run/netns"); err == nil {
		for _, e := range entries {
			c.netns[e.Name()] = true
		}
	}
	kubeletConfig := fmt.Sprintf(`apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: 127.0.0.1
port: %d
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: %d
cgroupDriver: cgroupfs
cgroupRoot: %s
cgroupsPerQOS: true
enforceNodeAllocatable: ["pods"]
failSwapOn: false
failCgroupV1: false
containerRuntimeEndpoint: unix://%s
podLogsDir: %s
authentication:
  anonymous:
    enabled: true
  webhook:
    enabled: false
authorization:
  mode: AlwaysAllow
evictionHard:
  memory.available: "1Mi"
  nodefs.available: "1%%"
  nodefs.inodesFree: "1%%"
  imagefs.available: "1%%"
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
makeIPTablesUtilChains: false
serializeImagePulls: false
syncFrequency: 10s
fileCheckFrequency: 10s
nodeStatusUpdateFrequency: 5s
# The node's lease is renewed every quarter of this: the controller
# manager's node-monitor-grace-period (NodeLostAfter) is several renewals.
nodeLeaseDurationSeconds: 10
maxPods: 250
containerLogMaxSize: 100Mi
`, kubeletPort, healthzPort, c.cgroupRoot, c.sock, filepath.Join(c.dir, "pod-logs"))
	kubeletConfigPath := filepath.Join(c.dir, "kubelet.yaml")
	if err := os.WriteFile(kubeletConfigPath, []byte(kubeletConfig), 0o644); err != nil {
		return err
	}
	c.kubelet = c.run("kubelet", filepath.Join(c.bin, "kubelet"), "--config="+kubeletConfigPath,
		"--kubeconfig="+c.AdminKubeconfig, "--hostname-override="+NodeName,
		"--root-dir="+filepath.Join(c.dir, "kubelet"), "--cert-dir="+filepath.Join(c.dir, "kubelet", "pki"), "--v=1")
	return c.waitNode()
}

// waitNode waits until the node is registered and ready, and lifts the
// not-ready taint a node lifecycle controller would.
func (c *Cluster) waitNode() error {
	ctx := context.Background()
	err := c.until("the node is registered and ready", 3*time.Minute, func() bool {
		n, err := c.client.CoreV1().Nodes().Get(ctx, NodeName, metav1.GetOptions{})
		if err != nil {
			return false
		}
		for _, cond := range n.Status.Conditions {
			if cond.Type == corev1.NodeReady {
				return cond.Status == corev1.ConditionTrue
			}
		}
		return false
	})
	if err != nil {
		return err
	}
	// The controller manager writes the node too (its taints, as it
	// sees the node ready): a conflict is read again and retried.
	lift := func() error {
		n, err := c.client.CoreV1().Nodes().Get(ctx, NodeName, metav1.GetOptions{})
		if err != nil {
			return err
		}
		var keep []corev1.Taint
		for _, taint := range n.Spec.Taints {
			if !strings.HasPrefix(taint.Key, "node.kubernetes.io/") {
				keep = append(keep, taint)
			}
		}
		if len(keep) == len(n.Spec.Taints) {
			return nil
		}
		n.Spec.Taints = keep
		_, err = c.client.CoreV1().Nodes().Update(ctx, n, metav1.UpdateOptions{})
		return err
	}
	if err := retry.RetryOnConflict(retry.DefaultRetry, lift); err != nil {
		return fmt.Errorf("lifting the node's taints: %w", err)
	}
	return nil
}

func randomToken() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func (c *Cluster) writeKubeconfig(path, token string) error {
	text := fmt.Sprintf(`apiVersion: v1
kind: Config
clusters:
- name: borges-test
  cluster:
    server: %s
    certificate-authority: %s
users:
- name: u
  user:
    token: %s
contexts:
- name: borges-test
  context:
    cluster: borges-test
    user: u
    namespace: default
current-context: borges-test
`, c.apiURL, c.CAFile, token)
	return os.WriteFile(path, []byte(text), 0o600)
}

// Client is a client with every right.
func (c *Cluster) Client() *kubernetes.Clientset { return c.client }

// RESTConfig is the client configuration of AdminKubeconfig.
func (c *Cluster) RESTConfig() *rest.Config {
	cfg, err := clientcmd.BuildConfigFromFlags("", c.AdminKubeconfig)
	if err != nil {
		c.t.Fatal(err)
	}
	cfg.QPS, cfg.Burst = 100, 200
	return cfg
}

// run starts a program in its own process group, its output in a log
// file of the cluster's directory.
func (c *Cluster) run(name, program string, args ...string) *proc {
	c.t.Helper()
	log := filepath.Join(c.dir, name+".log")
	out, err := os.OpenFile(log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		c.t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command(program, args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.Dir = c.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("real Kubernetes: starting %s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd, log: log, done: make(chan struct{})}
	go func() { cmd.Wait(); close(p.done) }()
	c.procs = append(c.procs, p)
	return p
}

// until polls cond for at most limit (the programs start slowly on a
// loaded machine: the limits only bound the wait); a program that exits
// meanwhile ends the wait with an error naming it.
func (c *Cluster) until(what string, limit time.Duration, cond func() bool) error {
	deadline := time.Now().Add(limit)
	for !cond() {
		for _, p := range c.procs {
			select {
			case <-p.done:
				return fmt.Errorf("%s exited while waiting until %s (its log is below)", p.name, what)
			default:
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out after %v waiting until %s", limit, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return nil
}

// LogTail is the last n bytes of a program's log ("kubelet", "kube-apiserver"…).
func (c *Cluster) LogTail(name string, n int) string {
	data, _ := os.ReadFile(filepath.Join(c.dir, name+".log"))
	if len(data) > n {
		data = data[len(data)-n:]
	}
	return string(data)
}

// RestartKubelet kills the kubelet and starts it again with the same
// configuration (its pods keep running meanwhile).
func (c *Cluster) RestartKubelet() {
	c.t.Helper()
	c.StopKubelet()
	c.StartKubelet()
}

// StopKubelet kills the kubelet (SIGKILL: the node stops reporting, as a
// machine cut off would); its pods' containers keep running. The node
// lifecycle controller marks the node's Ready condition Unknown
// NodeLostAfter later.
func (c *Cluster) StopKubelet() {
	c.t.Helper()
	c.kubelet.kill()
	c.forget(c.kubelet)
}

// StartKubelet starts the kubelet StopKubelet stopped, with the same
// configuration.
func (c *Cluster) StartKubelet() {
	c.t.Helper()
	c.kubelet = c.run("kubelet", c.kubelet.cmd.Path, c.kubelet.cmd.Args[1:]...)
}

// forget removes a program stopped on purpose from those whose exit
// ends a wait.
func (c *Cluster) forget(p *proc) {
	for i, q := range c.procs {
		if q == p {
			c.procs = append(c.procs[:i], c.procs[i+1:]...)
			return
		}
	}
}

// kill ends a program's process group with SIGKILL and waits for it.
func (p *proc) kill() {
	syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
	}
}

// kernel parameters the kubelet sets (protectKernelDefaults off).
var kubeletSysctls = []string{"vm/overcommit_memory", "vm/panic_on_oom", "kernel/panic", "kernel/panic_on_oops",
	"kernel/keys/root_maxkeys", "kernel/keys/root_maxbytes"}

// saveSysctls keeps the machine's values of kubeletSysctls, in memory
// and in a file beside the cluster lock: a cluster whose test binary was
// killed never ran its cleanup, and left the kubelet's values in place;
// the next cluster finds that file and takes the machine's values from
// it, not from what the killed kubelet set.
func (c *Cluster) saveSysctls() {
	if data, err := os.ReadFile(c.sysctlsFile); err == nil {
		for _, line := range strings.Split(string(data), "\n") {
			if k, v, ok := strings.Cut(line, " "); ok {
				c.sysctls[k] = v
			}
		}
		return
	}
	var b strings.Builder
	for _, k := range kubeletSysctls {
		if data, err := os.ReadFile("/proc/sys/" + k); err == nil {
			v := strings.TrimSpace(string(data))
			c.sysctls[k] = v
			fmt.Fprintf(&b, "%s %s\n", k, v)
		}
	}
	if err := os.WriteFile(c.sysctlsFile, []byte(b.String()), 0o644); err != nil {
		c.t.Logf("keeping the kernel's values beside the cluster lock: %v", err)
	}
}

// restoreSysctls writes the machine's values back, then forgets them.
func (c *Cluster) restoreSysctls() {
	for k, v := range c.sysctls {
		os.WriteFile("/proc/sys/"+k, []byte(v), 0o644)
	}
	if len(c.sysctls) > 0 {
		os.Remove(c.sysctlsFile)
	}
}

// makeCgroupRoot makes the kubelet's cgroup root in every cgroup v1
// hierarchy (cpuset given its parent's CPUs and memory nodes).
func makeCgroupRoot(root string) error {
	hierarchies, _ := filepath.Glob("/sys/fs/cgroup/*")
	for _, h := range hierarchies {
		base := filepath.Base(h)
		if base == "unified" {
			continue
		}
		if _, err := os.Stat(filepath.Join(h, "cgroup.procs")); err != nil {
			continue
		}
		dir := filepath.Join(h, root)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("cgroup %s: %w", dir, err)
		}
		if base == "cpuset" {
			for _, f := range []string{"cpuset.cpus", "cpuset.mems"} {
				data, err := os.ReadFile(filepath.Join(h, f))
				if err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
					return fmt.Errorf("%s: %w", filepath.Join(dir, f), err)
				}
			}
		}
	}
	return nil
}

// stop deletes the pods, stops the programs, kills what containerd's shims
// still run, unmounts, removes the cgroups and network namespaces the
// cluster made, restores the kernel parameters and releases the lock; on
// failure the logs' tails are shown.
func (c *Cluster) stop() {
	if c.client != nil && c.kubelet != nil {
		c.deletePods()
	}
	for i := len(c.procs) - 1; i >= 0; i-- {
		c.procs[i].kill()
	}
	if c.sock != "" {
		// A killed process stuck in I/O, or slow to free its memory on a
		// loaded machine, may take a while to go: a minute at most.
		for i := 0; i < 600; i++ {
			pids := c.shimsAndTasks()
			if len(pids) == 0 {
				break
			}
			for _, pid := range pids {
				syscall.Kill(pid, syscall.SIGKILL)
			}
			time.Sleep(100 * time.Millisecond)
		}
		if left := c.shimsAndTasks(); len(left) > 0 {
			c.t.Errorf("real Kubernetes: processes of the cluster still running after cleanup: %v", left)
		}
	}
	outside.UnmountUnder(c.dir)
	removeStaleShimSockets(c.started)
	if c.cgroupRoot != "" {
		outside.RemoveCgroups(c.cgroupRoot)
	}
	if entries, err := os.ReadDir("/var/run/netns"); err == nil {
		for _, e := range entries {
			if !c.netns[e.Name()] && strings.HasPrefix(e.Name(), "cni-") {
				p := filepath.Join("/var/run/netns", e.Name())
				syscall.Unmount(p, syscall.MNT_DETACH)
				os.Remove(p)
			}
		}
	}
	c.restoreSysctls()
	if c.t.Failed() {
		for _, p := range c.procs {
			c.t.Logf("--- tail of %s's log:\n%s", p.name, c.LogTail(p.name, 3000))
		}
	}
	if err := os.RemoveAll(c.dir); err != nil {
		c.t.Logf("removing the cluster's directory: %v", err)
	}
	if c.lock != nil {
		c.lock.Close()
	}
}

// deletePods deletes every pod at once and waits (a bounded while) until
// the kubelet has stopped their containers.
func (c *Cluster) deletePods() {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	zero := int64(0)
	nss, err := c.client.CoreV1().Namespaces().List(ctx, metav1.ListOptions{})
	if err != nil {
		return
	}
	for _, ns := range nss.Items {
		c.client.CoreV1().Pods(ns.Name).DeleteCollection(ctx, metav1.DeleteOptions{GracePeriodSeconds: &zero}, metav1.ListOptions{})
	}
	for ctx.Err() == nil {
		out, err := exec.Command("ctr", "--address", c.sock, "-n", "k8s.io", "tasks", "ls", "-q").Output()
		if err != nil || len(bytes.TrimSpace(out)) == 0 {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// shimsAndTasks lists the containerd shims of this cluster's containerd
// (their command line names its socket) and every process in the
// kubelet's cgroups.
func (c *Cluster) shimsAndTasks() []int {
	var pids []int
	for _, p := range proclist.All() {
		if p.PID == os.Getpid() || p.Zombie() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(p.PID), "cmdline"))
		if err == nil && bytes.Contains(cmdline, []byte("containerd-shim")) && bytes.Contains(cmdline, []byte(c.sock)) {
			pids = append(pids, p.PID)
		}
	}
	if c.cgroupRoot != "" {
		hierarchies, _ := filepath.Glob("/sys/fs/cgroup/*" + c.cgroupRoot)
		for _, h := range hierarchies {
			filepath.WalkDir(h, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() || d.Name() != "cgroup.procs" {
					return nil
				}
				data, _ := os.ReadFile(p)
				for _, f := range strings.Fields(string(data)) {
					if pid, err := strconv.Atoi(f); err == nil {
						pids = append(pids, pid)
					}
				}
				return nil
			})
		}
	}
	sort.Ints(pids)
	return dedupe(pids)
}

func dedupe(s []int) []int {
	var out []int
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// containerdLogLevel is warn, or what BORGES_KUBE_CONTAINERD_LOG says
// (debug, to see what runc reports).
func containerdLogLevel() string {
	if v := os.Getenv("BORGES_KUBE_CONTAINERD_LOG"); v != "" {
		return v
	}
	return "warn"
}

// removeStaleShimSockets removes the sockets containerd's shims left in
// /run/containerd/s (a fixed directory, shared with every containerd of
// the machine) since the cluster started: those no process has bound any
// more (/proc/net/unix), the cluster's shims having been killed.
func removeStaleShimSockets(since time.Time) {
	const dir = "/run/containerd/s"
	// The directory first: a socket listed there was bound before the
	// sockets are read, so one made meanwhile (another containerd's new
	// shim) is not taken for a stale one.
	entries, _ := os.ReadDir(dir)
	bound, err := os.ReadFile("/proc/net/unix")
	if err != nil {
		return
	}
	for _, e := range entries {
		p := filepath.Join(dir, e.Name())
		info, err := e.Info()
		if err != nil || info.Mode()&os.ModeSocket == 0 || info.ModTime().Before(since) || bytes.Contains(bound, []byte(p)) {
			continue
		}
		os.Remove(p)
	}
}
