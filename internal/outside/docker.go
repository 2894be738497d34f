package outside

import (
	"archive/tar"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docker/docker/api/types/image"
	"github.com/docker/docker/client"
)

// TestImage is the image container tests run: Debian's statically linked
// busybox and nothing else, imported into the machine's Docker engine (no
// registry is needed, none may be reachable).
const TestImage = "borges-test/busybox:1"

// TestImageNobody is the same image with its user set to nobody (by name,
// uid 65534 in its /etc/passwd), for tests of what a container that does
// not run as root can do.
const TestImageNobody = "borges-test/busybox-nobody:1"

var (
	imageOnce sync.Once
	imageErr  string
)

// Docker returns a client of the machine's Docker engine with the test
// image present, importing it on first use. Without an engine, or without
// busybox-static to build the image from, the test is skipped (failed in
// strict mode).
func Docker(t testing.TB) *client.Client {
	t.Helper()
	cli, err := client.NewClientWithOpts(client.FromEnv, client.WithAPIVersionNegotiation())
	if err != nil {
		Missing(t, "no Docker client: %v", err)
		return nil
	}
	// A busy engine on a loaded machine is slow to answer; an absent
	// one refuses at once.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := cli.Ping(ctx); err != nil {
		Missing(t, "the Docker engine does not answer (install and start docker.io): %v", err)
		return nil
	}
	imageOnce.Do(func() {
		imageErr = importTestImage(cli, TestImage, "ENV PATH=/bin")
		if imageErr == "" {
			imageErr = importTestImage(cli, TestImageNobody, "ENV PATH=/bin", "USER nobody")
		}
	})
	if imageErr != "" {
		Missing(t, "%s", imageErr)
		return nil
	}
	return cli
}

// importTestImage builds the test image's root file system in memory:
// /bin/busybox with a link for each of its applets, and a passwd file;
// changes are Dockerfile instructions applied to it.
func importTestImage(cli *client.Client, ref string, changes ...string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := cli.ImageInspect(ctx, ref); err == nil {
		return ""
	}
	const bin = "/bin/busybox"
	data, err := os.ReadFile(bin)
	if err != nil {
		return "no " + bin + " to build the test image from (install the Debian package busybox-static)"
	}
	if out, err := exec.Command("file", "-L", bin).Output(); err == nil && !bytes.Contains(out, []byte("statically linked")) {
		return bin + " is not statically linked (install the Debian package busybox-static)"
	}
	list, err := exec.Command(bin, "--list").Output()
	if err != nil {
		return "busybox --list: " + err.Error()
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	now := time.Now()
	for _, d := range []string{"bin/", "etc/", "tmp/", "proc/", "sys/", "dev/", "root/"} {
		mode := int64(0o755)
		if d == "tmp/" {
			mode = 0o1777
		}
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d, Mode: mode, ModTime: now})
	}
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "bin/busybox", Mode: 0o755, Size: int64(len(data)), ModTime: now})
	tw.Write(data)
	// Users no host has, for tests of ~ and ~NAME in a container
	// (the image's password database, never the host's): one with a
	// home, one whose home is not an absolute path.
	passwd := "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n" +
		"borges-image:x:4242:4242:borges:/home/borges-image:/bin/sh\nborges-relhome:x:4243:4243::relhome:/bin/sh\n"
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "etc/passwd", Mode: 0o644, Size: int64(len(passwd)), ModTime: now})
	tw.Write([]byte(passwd))
	for _, applet := range strings.Fields(string(list)) {
		if applet == "busybox" {
			continue
		}
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "bin/" + applet, Linkname: "busybox", ModTime: now})
	}
	if err := tw.Close(); err != nil {
		return "building the test image: " + err.Error()
	}
	rc, err := cli.ImageImport(ctx, image.ImportSource{Source: &buf, SourceName: "-"}, ref,
		image.ImportOptions{Changes: changes})
	if err != nil {
		return "importing the test image: " + err.Error()
	}
	defer rc.Close()
	io.Copy(io.Discard, rc)
	if _, err := cli.ImageInspect(ctx, ref); err != nil {
		return "the test image is missing after its import: " + err.Error()
	}
	return ""
}
