// Package realkube runs a real single-node Kubernetes cluster for tests:
// etcd (Debian's etcd-server), kube-apiserver, kube-scheduler,
// kube-controller-manager and a kubelet built from the Go module
// k8s.io/kubernetes at a fixed release, with a containerd instance of its
// own (Debian's containerd, not the Docker engine's) and runc. Pods run on
// the host network; images are imported into containerd from tarballs
// built here (no registry is needed).
//
// The Kubernetes programs are built once into the user's cache directory,
// keyed by the release (Build, which .ci/run calls through
// `go run ./internal/backend/kube/realkube/build`); tests never build
// them. Without them, or without etcd, containerd or runc, tests skip
// (fail under BORGES_TEST_STRICT=1), saying what is missing.
package realkube

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Version is the Kubernetes release built and run. Its kubelet still runs
// on cgroup v1 and with containerd 1.6 (Debian 12's).
const Version = "v1.34.4"

// stagingVersion is the version of the staging modules (k8s.io/api …)
// released with Version.
const stagingVersion = "v0.34.4"

// Programs are the Kubernetes programs the cluster runs.
var Programs = []string{"kube-apiserver", "kube-scheduler", "kube-controller-manager", "kubelet"}

// staging are the k8s.io/kubernetes module's staging modules, which its
// go.mod requires at v0.0.0 and replaces with its own directories: a module
// that requires k8s.io/kubernetes must replace each with its release.
var staging = []string{"api", "apiextensions-apiserver", "apimachinery", "apiserver", "cli-runtime",
	"client-go", "cloud-provider", "cluster-bootstrap", "code-generator", "component-base",
	"component-helpers", "controller-manager", "cri-api", "cri-client", "csi-translation-lib",
	"dynamic-resource-allocation", "endpointslice", "externaljwt", "kms", "kube-aggregator",
	"kube-controller-manager", "kube-proxy", "kube-scheduler", "kubectl", "kubelet", "metrics",
	"mount-utils", "pod-security-admission", "sample-apiserver", "sample-cli-plugin", "sample-controller"}

// Dir is where the build of Version is kept: DIR/bin holds the programs,
// DIR/mod the helper module they are built from.
func Dir() string {
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	return filepath.Join(cache, "borges-kube", Version)
}

// Built reports whether every program of Version is in Dir()/bin; else
// what is missing.
func Built() (string, error) {
	bin := filepath.Join(Dir(), "bin")
	for _, p := range Programs {
		if st, err := os.Stat(filepath.Join(bin, p)); err != nil || st.Mode()&0o111 == 0 {
			return "", fmt.Errorf("no %s %s in %s (build them with `go run ./internal/backend/kube/realkube/build`, as .ci/run does; it takes a while)", p, Version, bin)
		}
	}
	return bin, nil
}

// GoMod is the helper module's go.mod: k8s.io/kubernetes at Version, each
// staging module replaced with its release.
func GoMod() string {
	var b strings.Builder
	b.WriteString("module borges.test/kubebuild\n\ngo 1.24.0\n\nrequire k8s.io/kubernetes " + Version + "\n\nreplace (\n")
	for _, m := range staging {
		fmt.Fprintf(&b, "\tk8s.io/%s => k8s.io/%s %s\n", m, m, stagingVersion)
	}
	b.WriteString(")\n")
	return b.String()
}

// toolsGo makes `go mod tidy` keep what the programs need.
const toolsGo = `//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubelet"
)
`

// ldflags stamp the release, as Kubernetes' own build does: the version
// the programs report (the kubelet's to the API server) is Version.
func ldflags() string {
	major, minor := "1", strings.Split(strings.TrimPrefix(Version, "v"), ".")[1]
	var flags []string
	for _, pkg := range []string{"k8s.io/component-base/version", "k8s.io/client-go/pkg/version"} {
		flags = append(flags, "-X "+pkg+".gitVersion="+Version, "-X "+pkg+".gitMajor="+major, "-X "+pkg+".gitMinor="+minor,
			"-X "+pkg+".gitTreeState=clean")
	}
	return "-s -w " + strings.Join(flags, " ")
}

// Build writes the helper module into Dir()/mod (when it is not there, or
// differs), resolves it and builds the programs into Dir()/bin; progress
// goes to log. Programs already built are kept.
func Build(log func(format string, args ...any)) error {
	if _, err := Built(); err == nil {
		log("Kubernetes %s: already built in %s", Version, filepath.Join(Dir(), "bin"))
		return nil
	}
	mod := filepath.Join(Dir(), "mod")
	if err := os.MkdirAll(mod, 0o755); err != nil {
		return err
	}
	write := func(name, text string) (bool, error) {
		path := filepath.Join(mod, name)
		if old, err := os.ReadFile(path); err == nil && string(old) == text {
			return false, nil
		}
		return true, os.WriteFile(path, []byte(text), 0o644)
	}
	changed, err := write("tools.go", toolsGo)
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(mod, "go.sum")); err != nil {
		changed = true
	}
	// go mod tidy rewrites go.mod; it is written again only when its
	// requirement or replacements are not what GoMod says.
	if old, err := os.ReadFile(filepath.Join(mod, "go.mod")); err != nil || !strings.Contains(string(old), "require k8s.io/kubernetes "+Version) ||
		!strings.Contains(string(old), "k8s.io/client-go => k8s.io/client-go "+stagingVersion) {
		if _, err := write("go.mod", GoMod()); err != nil {
			return err
		}
		changed = true
	}
	run := func(args ...string) error {
		log("Kubernetes %s: go %s", Version, strings.Join(args, " "))
		cmd := exec.Command("go", args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			return fmt.Errorf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return nil
	}
	if changed {
		if err := run("mod", "tidy"); err != nil {
			return err
		}
	}
	bin := filepath.Join(Dir(), "bin")
	tmp, err := os.MkdirTemp(Dir(), "bin-building-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// Only the programs not built yet are built: a release's programs do
	// not change, and a program added to the list costs only its own build.
	var missing []string
	for _, p := range Programs {
		if st, err := os.Stat(filepath.Join(bin, p)); err != nil || st.Mode()&0o111 == 0 {
			missing = append(missing, p)
		}
	}
	args := []string{"build", "-trimpath", "-ldflags", ldflags(), "-o", tmp + "/"}
	for _, p := range missing {
		args = append(args, "k8s.io/kubernetes/cmd/"+p)
	}
	if err := run(args...); err != nil {
		return err
	}
	if err := os.MkdirAll(bin, 0o755); err != nil {
		return err
	}
	for _, p := range missing {
		if err := os.Rename(filepath.Join(tmp, p), filepath.Join(bin, p)); err != nil {
			return err
		}
	}
	log("Kubernetes %s: built in %s", Version, bin)
	return nil
}
