package main

import (
	"fmt"
	"log/slog"
	"path/filepath"

	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/wallyqs/borges/internal/backend/kube"
	"github.com/wallyqs/borges/internal/config"
	"github.com/wallyqs/borges/internal/store"
)

// kubeConn is the cluster the configuration names, its kubeconfig read
// (serveConfig, before anything is made) but nothing asked of it yet.
type kubeConn struct {
	rest   *rest.Config
	client *kubernetes.Clientset
	ns     string
}

// kubeConnect reads what newKube connects with: in the cluster, with the
// pod's service account (#+kubernetes: in-cluster), or from a kubeconfig
// (#+kube_config:, else $KUBECONFIG or ~/.kube/config; #+kube_context:,
// else its current context). The namespace is #+kube_namespace:, else
// the service account's or the context's, else default.
func kubeConnect(cfg config.Config) (*kubeConn, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if cfg.KubeConfig != "" {
		rules.ExplicitPath = cfg.KubeConfig
	}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: cfg.KubeContext}
	var loader clientcmd.ClientConfig
	if cfg.Kubernetes == "in-cluster" {
		// In-cluster only: no kubeconfig is read.
		loader = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(&clientcmd.ClientConfigLoadingRules{}, overrides)
	} else {
		loader = clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides)
	}
	rc, err := loader.ClientConfig()
	if err != nil {
		if cfg.Kubernetes == "in-cluster" {
			return nil, fmt.Errorf("%s in-cluster: %w (is Borges running in a pod with a service account?)", cfg.Source("kubernetes"), err)
		}
		if cfg.KubeConfig != "" {
			return nil, fmt.Errorf("%s %w", cfg.Source("kube_config"), err)
		}
		return nil, fmt.Errorf("%s kubeconfig: %w", cfg.Source("kubernetes"), err)
	}
	// client-go's default, 5 requests a second, is too few: each pod
	// costs a create, two log streams, a last read and a delete.
	if rc.QPS == 0 {
		rc.QPS, rc.Burst = 50, 100
	}
	ns := cfg.KubeNamespace
	if ns == "" {
		if n, _, err := loader.Namespace(); err == nil && n != "" {
			ns = n
		} else {
			ns = "default"
		}
	}
	client, err := kubernetes.NewForConfig(rc)
	if err != nil {
		return nil, fmt.Errorf("kubernetes client: %w", err)
	}
	return &kubeConn{rest: rc, client: client, ns: ns}, nil
}

// newKube makes the Kubernetes backend of the cluster conn. It says where
// it connects, for the log.
func newKube(conn *kubeConn, cfg config.Config, st *store.Store, log *slog.Logger) (*kube.Backend, string, error) {
	kb, err := kube.New(kube.Config{Client: conn.client, RESTConfig: conn.rest, Namespace: conn.ns, DefaultImage: cfg.KubeDefaultImage,
		NodeLostGrace: cfg.KubeNodeLostGrace, Store: st, OutputDir: filepath.Join(cfg.DataDir, "kube-output"), MaxOutput: cfg.MaxOutput, Logger: log})
	if err != nil {
		return nil, "", err
	}
	return kb, conn.rest.Host, nil
}
