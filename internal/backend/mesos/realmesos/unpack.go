// Package realmesos runs a real Apache Mesos 1.12 master and agents for
// tests: the build in ../shared/mesos-bin/ (beside the repository) is
// unpacked once into the user's cache directory, outside the repository,
// and each test starts its own master and agents on free loopback ports
// with temporary work directories, all stopped at cleanup with every
// executor and task they started. Without the build the tests skip (fail
// under BORGES_TEST_STRICT=1), saying where it is looked for.
package realmesos

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// Tarball is the build's file name, in ../shared/mesos-bin/ from the
// repository's root.
const Tarball = "mesos-1.12.0-debian12-amd64.tar.xz"

// runtimePackages are the Debian packages the build's libraries need (its
// README lists them; .ci/run installs those missing).
const runtimePackages = "libcurl4 libsasl2-2 libsasl2-modules libapr1 libsvn1 zlib1g libssl3 libprotobuf32 libarchive13 libzookeeper-mt2 libgrpc++1.51 libunwind8 iputils-ping"

var (
	homeOnce sync.Once
	home     string // the unpacked build's mesos/ directory
	homeErr  string // why there is none
)

// Home returns the directory of the unpacked build (with bin/ and lib/),
// unpacking it on first use; the test is skipped (failed in strict mode)
// when the build or its runtime libraries are missing.
func Home(t testing.TB) string {
	t.Helper()
	homeOnce.Do(func() { home, homeErr = unpack() })
	if homeErr != "" {
		outside.Missing(t, "%s", homeErr)
		return ""
	}
	return home
}

// tarballPath finds ../shared/mesos-bin/<Tarball> from the repository's
// root (the first directory up from here holding go.mod).
func tarballPath() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for i := 0; i < 32; i++ {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "mesos-bin", Tarball), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	return "", fmt.Errorf("no go.mod above %s", dir)
}

// unpack extracts the tarball into the cache, once per version of the
// tarball (its size and modification time name the directory), atomically:
// test binaries of several packages may race to do it.
func unpack() (string, string) {
	tarball, err := tarballPath()
	if err != nil {
		return "", "real Mesos: " + err.Error()
	}
	st, err := os.Stat(tarball)
	if err != nil {
		return "", fmt.Sprintf("real Mesos: no build at ../shared/mesos-bin/%s beside the repository (%v)", Tarball, err)
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dest := filepath.Join(cache, fmt.Sprintf("borges-mesos-1.12.0-%d-%d", st.Size(), st.ModTime().Unix()))
	if _, err := os.Stat(filepath.Join(dest, "mesos", "bin", "mesos-agent")); err != nil {
		if err := os.MkdirAll(cache, 0o755); err != nil {
			return "", "real Mesos: cache directory: " + err.Error()
		}
		tmp, err := os.MkdirTemp(cache, "borges-mesos-unpacking-")
		if err != nil {
			return "", "real Mesos: " + err.Error()
		}
		out, err := exec.Command("tar", "-xJf", tarball, "-C", tmp).CombinedOutput()
		if err != nil {
			os.RemoveAll(tmp)
			return "", fmt.Sprintf("real Mesos: unpacking %s: %v: %s (install xz-utils)", Tarball, err, out)
		}
		if err := os.Rename(tmp, dest); err != nil {
			// Another test binary was first: use its copy.
			os.RemoveAll(tmp)
			if _, serr := os.Stat(filepath.Join(dest, "mesos", "bin", "mesos-agent")); serr != nil {
				return "", "real Mesos: " + err.Error()
			}
		}
	}
	mesos := filepath.Join(dest, "mesos")
	if missing := missingLibraries(mesos); missing != "" {
		return "", fmt.Sprintf("real Mesos: libraries not found: %s (install the Debian packages %s)", missing, runtimePackages)
	}
	return mesos, ""
}

// missingLibraries lists what ldd cannot find for the library and the
// programs the tests start.
func missingLibraries(mesos string) string {
	var missing []string
	seen := map[string]bool{}
	for _, f := range []string{"lib/libmesos-1.12.0.so", "bin/mesos-master", "bin/mesos-agent", "bin/mesos-executor"} {
		cmd := exec.Command("ldd", filepath.Join(mesos, f))
		cmd.Env = append(os.Environ(), "LD_LIBRARY_PATH="+filepath.Join(mesos, "lib"))
		out, err := cmd.Output()
		if err != nil {
			return fmt.Sprintf("ldd %s: %v", f, err)
		}
		for _, line := range bytes.Split(out, []byte("\n")) {
			if bytes.Contains(line, []byte("not found")) {
				lib := strings.TrimSpace(string(bytes.SplitN(line, []byte("=>"), 2)[0]))
				if !seen[lib] {
					seen[lib] = true
					missing = append(missing, lib)
				}
			}
		}
	}
	return strings.Join(missing, ", ")
}

// env is the environment the build's programs need (its env.sh).
func env(mesos string) []string {
	lib := filepath.Join(mesos, "lib")
	return append(os.Environ(),
		"LD_LIBRARY_PATH="+lib,
		"MESOS_LAUNCHER_DIR="+filepath.Join(mesos, "bin"),
		"MESOS_NATIVE_LIBRARY="+filepath.Join(lib, "libmesos-1.12.0.so"),
		"PATH="+filepath.Join(mesos, "bin")+":"+os.Getenv("PATH"))
}
