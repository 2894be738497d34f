package realkube

import (
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// NodeLostAfter is the controller manager's node-monitor-grace-period:
// how long after the kubelet's last lease renewal the node lifecycle
// controller marks the node's Ready condition Unknown. Short, for tests;
// several of the kubelet's renewals (every 2.5 s) even on a loaded
// machine.
const NodeLostAfter = 20 * time.Second

// controllers are the controller manager's controllers the tests need:
// node lifecycle (a node whose kubelet stops is marked NotReady/Unknown;
// taint-based eviction, which a cluster of one node never does, as every
// node of it is then down), service accounts and their tokens and the
// root CA's ConfigMap (a pod with a service account, in-cluster Borges),
// Deployments and ReplicaSets, the garbage collector (a Deployment's pods
// go with it), persistent volume binding (the README's claim), and the
// pod garbage collector (pods of a deleted node).
var controllers = []string{
	"node-lifecycle-controller", "taint-eviction-controller",
	"serviceaccount-controller", "serviceaccount-token-controller", "root-ca-certificate-publisher-controller",
	"deployment-controller", "replicaset-controller", "garbage-collector-controller",
	"persistentvolume-binder-controller", "pod-garbage-collector-controller",
}

// startControllerManager starts kube-controller-manager with the admin
// kubeconfig, the service account signing key and the cluster's CA.
func (c *Cluster) startControllerManager(cs *certs, port int) {
	c.t.Helper()
	c.run("kube-controller-manager", filepath.Join(c.bin, "kube-controller-manager"),
		"--kubeconfig="+c.AdminKubeconfig, "--authentication-kubeconfig="+c.AdminKubeconfig,
		"--authorization-kubeconfig="+c.AdminKubeconfig, "--leader-elect=false",
		"--bind-address=127.0.0.1", "--secure-port="+strconv.Itoa(port),
		"--cert-dir="+filepath.Join(c.dir, "certs", "controller-manager"),
		"--controllers="+strings.Join(controllers, ","),
		"--service-account-private-key-file="+cs.SAKey, "--root-ca-file="+cs.CA,
		"--use-service-account-credentials=false",
		"--node-monitor-period=2s", "--node-monitor-grace-period="+NodeLostAfter.String(),
		"--profiling=false", "--v=1")
}
