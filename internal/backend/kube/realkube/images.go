package realkube

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// TestImage is the image pods of the tests run: Debian's statically
// linked busybox and nothing else (a shell, cat, mkfifo, sleep, tar…).
const TestImage = "borges-test/busybox:1"

// PauseImage is the pod sandbox image containerd is configured with: the
// same busybox, sleeping. (The real pause image would come from a
// registry.)
const PauseImage = "borges-test/pause:1"

// image is a Docker image archive (as `docker save` writes, which
// `ctr images import` reads) of one layer: busybox with its applets.
type image struct {
	ref        string
	entrypoint []string
	env        []string
}

// busyboxLayer is the layer: /bin/busybox with a link per applet, a
// passwd file, the usual directories, and extra files (path in the
// image: content; executable).
func busyboxLayer(extra ...map[string][]byte) ([]byte, error) {
	const bin = "/bin/busybox"
	data, err := os.ReadFile(bin)
	if err != nil {
		return nil, fmt.Errorf("no %s to build the test images from (install the Debian package busybox-static)", bin)
	}
	if out, err := exec.Command("file", "-L", bin).Output(); err == nil && !bytes.Contains(out, []byte("statically linked")) {
		return nil, fmt.Errorf("%s is not statically linked (install the Debian package busybox-static)", bin)
	}
	list, err := exec.Command(bin, "--list").Output()
	if err != nil {
		return nil, fmt.Errorf("busybox --list: %w", err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	now := time.Unix(0, 0)
	for _, d := range []string{"bin/", "etc/", "tmp/", "proc/", "sys/", "dev/", "root/", "var/", "var/run/"} {
		mode := int64(0o755)
		if d == "tmp/" {
			mode = 0o1777
		}
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d, Mode: mode, ModTime: now})
	}
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: "bin/busybox", Mode: 0o755, Size: int64(len(data)), ModTime: now})
	tw.Write(data)
	for name, text := range map[string]string{
		"etc/passwd": "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
		"etc/group":  "root:x:0:\nnogroup:x:65534:\n",
	} {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(text)), ModTime: now})
		tw.Write([]byte(text))
	}
	for _, files := range extra {
		names := make([]string, 0, len(files))
		for name := range files {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			data := files[name]
			tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: strings.TrimPrefix(name, "/"), Mode: 0o755, Size: int64(len(data)), ModTime: now})
			tw.Write(data)
		}
	}
	for _, applet := range strings.Fields(string(list)) {
		if applet == "busybox" {
			continue
		}
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "bin/" + applet, Linkname: "busybox", ModTime: now})
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// archive writes the images, all on the same layer, as one Docker image
// archive.
func archive(layer []byte, images []image) ([]byte, error) {
	sum := sha256.Sum256(layer)
	layerID := hex.EncodeToString(sum[:])
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	now := time.Unix(0, 0)
	add := func(name string, data []byte) {
		tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: now})
		tw.Write(data)
	}
	tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: layerID + "/", Mode: 0o755, ModTime: now})
	add(layerID+"/layer.tar", layer)
	type entry struct {
		Config   string
		RepoTags []string
		Layers   []string
	}
	var manifest []entry
	for _, im := range images {
		config := map[string]any{
			"architecture": "amd64",
			"os":           "linux",
			"created":      now.UTC().Format(time.RFC3339),
			"config":       map[string]any{"Env": im.env, "Entrypoint": im.entrypoint},
			"rootfs":       map[string]any{"type": "layers", "diff_ids": []string{"sha256:" + layerID}},
		}
		data, err := json.Marshal(config)
		if err != nil {
			return nil, err
		}
		csum := sha256.Sum256(data)
		name := hex.EncodeToString(csum[:]) + ".json"
		add(name, data)
		manifest = append(manifest, entry{Config: name, RepoTags: []string{im.ref}, Layers: []string{layerID + "/layer.tar"}})
	}
	data, err := json.Marshal(manifest)
	if err != nil {
		return nil, err
	}
	add("manifest.json", data)
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// testImages is the archive of TestImage and PauseImage.
func testImages() ([]byte, error) {
	layer, err := busyboxLayer()
	if err != nil {
		return nil, err
	}
	env := []string{"PATH=/bin"}
	return archive(layer, []image{
		{ref: TestImage, env: env},
		{ref: PauseImage, env: env, entrypoint: []string{"/bin/sleep", "2147483647"}},
	})
}

// ImportStandIns imports images named refs into the node's containerd
// (`ctr images import`, no registry): each is the test image's busybox
// under another name, a stand-in for an image a document names (redis,
// ubuntu…).
func (c *Cluster) ImportStandIns(refs ...string) {
	c.t.Helper()
	layer, err := busyboxLayer()
	if err != nil {
		c.t.Fatal(err)
	}
	var images []image
	for _, ref := range refs {
		images = append(images, image{ref: ref, env: []string{"PATH=/bin"}})
	}
	c.importImages(layer, images)
}

// ImportImage imports into the node's containerd an image named ref: the
// test image's busybox plus files (executables, by their path in the
// image), run by entrypoint. Executables go in /bin (PATH=/bin).
func (c *Cluster) ImportImage(ref string, files map[string][]byte, entrypoint []string) {
	c.t.Helper()
	layer, err := busyboxLayer(files)
	if err != nil {
		c.t.Fatal(err)
	}
	c.importImages(layer, []image{{ref: ref, env: []string{"PATH=/bin"}, entrypoint: entrypoint}})
}

func (c *Cluster) importImages(layer []byte, images []image) {
	c.t.Helper()
	data, err := archive(layer, images)
	if err != nil {
		c.t.Fatal(err)
	}
	c.importArchive(data)
}

// importArchive imports a Docker image archive into the node's
// containerd (`ctr images import`).
func (c *Cluster) importArchive(data []byte) {
	c.t.Helper()
	f, err := os.CreateTemp(c.dir, "images-*.tar")
	if err != nil {
		c.t.Fatal(err)
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(data); err != nil {
		f.Close()
		c.t.Fatal(err)
	}
	f.Close()
	if out, err := exec.Command("ctr", "--address", c.sock, "-n", "k8s.io", "images", "import", f.Name()).CombinedOutput(); err != nil {
		c.t.Fatalf("ctr images import: %v: %s", err, out)
	}
}
