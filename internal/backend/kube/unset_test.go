package kube

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/session"
)

// imageEnv stands for what an image's environment gives a container.
var imageEnv = []string{"HOME=/root", "IMAGE_VAR=1", "A-B=2"}

// runMainContainer runs a pod's main container on this machine, as a
// node would (its command and args expanded as a kubelet expands them),
// its volume a temporary directory, its environment the image's (env) and
// the pod's, and returns its standard output.
func runMainContainer(t *testing.T, pod *corev1.Pod, env []string) string {
	t.Helper()
	dir := t.TempDir()
	c := pod.Spec.Containers[0]
	argv := kubeArgv(c)
	args := argv[1:]
	for i := range args {
		// The volume's path, not the file named borges-script.
		args[i] = strings.ReplaceAll(args[i], mountPath+"/", dir+"/")
		args[i] = strings.ReplaceAll(args[i], mountPath+" ", dir+" ")
	}
	// Standard error goes to a FIFO the stderr container reads: held
	// open here for reading and writing, opening it never waits.
	fifo := strings.ReplaceAll(fifoPath, mountPath, dir)
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cmd := exec.Command(argv[0], args...)
	cmd.Dir = dir
	cmd.Env = append([]string{"PATH=/usr/local/bin:/usr/bin:/bin"}, env...)
	for _, e := range c.Env {
		cmd.Env = append(cmd.Env, e.Name+"="+e.Value)
	}
	out, err := cmd.Output()
	if err != nil {
		syscall.SetNonblock(int(f.Fd()), true)
		errOut := make([]byte, 4096)
		n, _ := f.Read(errOut)
		t.Fatalf("main container: %v (output %q, error output %q)", err, out, errOut[:max(n, 0)])
	}
	return string(out)
}

// procEnviron prints the environment the shell running it was given.
const procEnviron = `/bin/cat /proc/$$/environ`

// TestPodUnset: a pod's program has none of the variables its attempt
// removes that the image gives (HOME, IMAGE_VAR), nor PATH, and is found
// all the same; it keeps its own and its ports. A name no shell can hold
// (A-B) is left to the image's sh, which (dash here) drops it anyway.
func TestPodUnset(t *testing.T) {
	b := offlineBackend(t, nil)
	task := &plan.Task{Block: "b", Interpreter: []string{"sh"}, Resources: plan.Resources{Ports: 1}, Container: &plan.Container{Image: "img"}}
	a := &engine.Attempt{ID: "d.0-b.0.1", DocID: "d", Block: "b", Number: 1, Task: task, Script: procEnviron,
		Env: map[string]string{"GREETING": "hi"}, Unset: []string{"HOME", "IMAGE_VAR", "PATH", "A-B"}}
	pod, err := b.pod(a, "img", []int{31000}, "<<end>>")
	if err != nil {
		t.Fatal(err)
	}
	proctest.CheckEnv(t, proctest.EnvNames(runMainContainer(t, pod, imageEnv), "\x00"), []string{"GREETING", "PORT0", "PORTS", "BORGES_SANDBOX"}, a.Unset)
	// Without removals, the image's variables are there.
	a.Unset = nil
	pod, err = b.pod(a, "img", []int{31000}, "<<end>>")
	if err != nil {
		t.Fatal(err)
	}
	proctest.CheckEnv(t, proctest.EnvNames(runMainContainer(t, pod, imageEnv), "\x00"), []string{"HOME", "IMAGE_VAR", "PATH", "GREETING"}, nil)
}

// TestSessionPodUnset: a session pod's interpreter starts without the
// variables its first block's attempt removes that the image gives, and
// with the terminal Borges gives it.
func TestSessionPodUnset(t *testing.T) {
	client := fake.NewClientset()
	k := newFakeKubelet(t, client)
	k.image = imageEnv
	watches := watchFake(client) // after the kubelet's own watch
	b, u, _ := fakeSessionBackend(t, client, "borges-test-unset")
	b.sess.attach = k.attach
	ctx := context.Background()
	if err := b.Recover(ctx, nil); err != nil {
		t.Fatal(err)
	}
	watches.wait(t, "pods")
	a := sessionAttempt("d.1-a.0.1", "d/shell:s/1", session.Shell, `tr '\0' ' ' < /proc/$$/environ; echo`)
	a.Unset = []string{"HOME", "IMAGE_VAR", "A-B"}
	t.Cleanup(func() { b.CloseSession(context.Background(), a.Session) })
	if err := b.Launch(ctx, a); err != nil {
		t.Fatal(err)
	}
	if end := u.ended(t, a.ID); end.State != engine.Finished {
		t.Fatalf("%+v", end)
	}
	names := proctest.EnvNames(strings.ReplaceAll(readAll(t, b, a.ID, "stdout"), " ", "\n"), "\n")
	proctest.CheckEnv(t, names, []string{"PATH", "TERM", "COLUMNS", "GREETING", "BORGES_SESSION"}, a.Unset)
}
