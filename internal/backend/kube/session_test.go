package kube

import (
	"context"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/kubernetes/fake"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
	"github.com/wallyqs/borges/internal/terminal"
)

// fakeKubelet plays the node for client-go's fake clientset: a pod
// created is scheduled and its container running (or, with pending set,
// left unschedulable with that message); attaching to it runs the
// container's command on this machine, its volume a temporary directory,
// and the container ends when the command does. A pod deleted ends it.
type fakeKubelet struct {
	t      *testing.T
	client *fake.Clientset
	dir    string

	mu      sync.Mutex
	pending string
	image   []string // the image's environment, which the pod's is added to
	created []string // pods, in order of creation
	running map[string]context.CancelFunc
}

func newFakeKubelet(t *testing.T, client *fake.Clientset) *fakeKubelet {
	k := &fakeKubelet{t: t, client: client, dir: t.TempDir(), running: map[string]context.CancelFunc{}}
	ctx, cancel := context.WithCancel(context.Background())
	w, err := client.CoreV1().Pods("default").Watch(ctx, metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() {
		cancel()
		w.Stop()
		<-done
		k.mu.Lock()
		for _, stop := range k.running {
			stop()
		}
		k.mu.Unlock()
	})
	go func() {
		defer close(done)
		for ev := range w.ResultChan() {
			pod, ok := ev.Object.(*corev1.Pod)
			if !ok {
				continue
			}
			switch ev.Type {
			case watch.Added:
				k.mu.Lock()
				k.created = append(k.created, pod.Name)
				pending := k.pending
				k.mu.Unlock()
				k.schedule(ctx, pod.DeepCopy(), pending)
			case watch.Deleted:
				k.mu.Lock()
				if stop := k.running[pod.Name]; stop != nil {
					stop()
				}
				k.mu.Unlock()
			}
		}
	}()
	return k
}

// schedule gives a new pod the status a kubelet would.
func (k *fakeKubelet) schedule(ctx context.Context, pod *corev1.Pod, pending string) {
	if pending != "" {
		pod.Status.Phase = corev1.PodPending
		pod.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Message: pending}}
	} else {
		pod.Spec.NodeName = "fake-node"
		pod.Status.Phase = corev1.PodRunning
		pod.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: pod.Spec.Containers[0].Name,
			State: corev1.ContainerState{Running: &corev1.ContainerStateRunning{}}}}
	}
	k.client.CoreV1().Pods("default").Update(ctx, pod, metav1.UpdateOptions{})
}

// runtimeTerminal is a command that runs argv on a terminal set as a
// container runtime sets one (echo on, a carriage return before each
// newline: stty sane), for terminal.Start, whose terminal is set as Emacs
// sets one.
func runtimeTerminal(argv []string) []string {
	return append([]string{"sh", "-c", `stty sane && exec "$@"`, "sh"}, argv...)
}

// attach runs the pod's container on this machine, fed stdin, its output
// to stdout, until it ends or ctx does.
func (k *fakeKubelet) attach(ctx context.Context, name string, stdin io.Reader, stdout io.Writer) error {
	pod, err := k.client.CoreV1().Pods("default").Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return err
	}
	c := pod.Spec.Containers[0]
	if !c.Stdin || c.StdinOnce || !c.TTY {
		k.t.Errorf("container %+v: attaching needs stdin open for many attaches, on a terminal", c)
	}
	// Its command and args expanded as a kubelet expands them.
	argv := kubeArgv(c)
	args := argv[1:]
	for i := range args {
		args[i] = strings.ReplaceAll(args[i], mountPath, k.dir)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	k.mu.Lock()
	k.running[name] = cancel
	k.mu.Unlock()
	argv = runtimeTerminal(argv)
	p := exec.Command(argv[0], argv[1:]...)
	p.Env = []string{"PATH=/usr/local/bin:/usr/bin:/bin"}
	k.mu.Lock()
	p.Env = append(p.Env, k.image...)
	k.mu.Unlock()
	for _, e := range c.Env {
		p.Env = append(p.Env, e.Name+"="+e.Value)
	}
	tty, err := terminal.Start(p)
	if err != nil {
		return err
	}
	defer tty.Close()
	stopped := context.AfterFunc(ctx, func() { terminal.Kill(p.Process.Pid, syscall.SIGKILL) })
	defer stopped()
	// The log, whose end is the termination message of a container that
	// failed (FallbackToLogsOnError).
	var log strings.Builder
	copied := make(chan struct{})
	go func() {
		io.Copy(io.MultiWriter(stdout, &log), tty)
		close(copied)
	}()
	go io.Copy(tty, stdin)
	err = p.Wait()
	<-copied
	code := 0
	if x, ok := err.(*exec.ExitError); ok {
		code = x.ExitCode()
	}
	if ctx.Err() == nil {
		if pod, gerr := k.client.CoreV1().Pods("default").Get(context.Background(), name, metav1.GetOptions{}); gerr == nil {
			message := ""
			if code != 0 && c.TerminationMessagePolicy == corev1.TerminationMessageFallbackToLogsOnError {
				message = log.String()
			}
			pod.Status.Phase = corev1.PodFailed
			pod.Status.ContainerStatuses[0].State = corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{ExitCode: int32(code), Message: message}}
			k.client.CoreV1().Pods("default").Update(context.Background(), pod, metav1.UpdateOptions{})
		}
	}
	return nil
}

func (k *fakeKubelet) pods() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return append([]string{}, k.created...)
}

// livePods are the pods the fake API server holds.
func livePods(t *testing.T, client *fake.Clientset) []corev1.Pod {
	t.Helper()
	list, err := client.CoreV1().Pods("default").List(context.Background(), metav1.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return list.Items
}

func untilNoLivePods(t *testing.T, client *fake.Clientset) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for len(livePods(t, client)) > 0 {
		if time.Now().After(deadline) {
			var names []string
			for _, p := range livePods(t, client) {
				names = append(names, p.Name)
			}
			t.Fatalf("pods left: %v", names)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// fakeSessionBackend is a backend on a fake clientset, its pods run by a
// fakeKubelet.
func fakeSessionBackend(t *testing.T, client *fake.Clientset, owner string) (*Backend, *updates, context.CancelFunc) {
	t.Helper()
	b, u, _, cancel := startBackend(t, Config{Client: client, Namespace: "default", DefaultImage: "test-image", Owner: owner,
		OutputDir: t.TempDir(), EndWait: 5 * time.Second})
	return b, u, cancel
}

// fakeSessions is a backend on a fake clientset whose session pods a
// fakeKubelet runs, recovered (with nothing): ready to launch.
func fakeSessions(t *testing.T, owner string) (*Backend, *fake.Clientset, *fakeKubelet, *updates, context.CancelFunc) {
	t.Helper()
	client := fake.NewClientset()
	k := newFakeKubelet(t, client)
	watches := watchFake(client) // after the kubelet's own watch
	b, u, stop := fakeSessionBackend(t, client, owner)
	b.sess.attach = k.attach
	if err := b.Recover(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	watches.wait(t, "pods")
	return b, client, k, u, stop
}

// sessionAttempt is an attempt of a block of session sid.
func sessionAttempt(id, sid string, kind session.Kind, script string, mod ...func(*plan.Task)) *engine.Attempt {
	cmd := session.Command(kind, "sh", []string{"python3"})
	block := strings.Split(strings.Split(id, "-")[1], ".")[0]
	t := &plan.Task{Block: block, Lang: "sh", Resources: plan.Resources{CPUs: 0.25, MemMB: 64},
		Session: &plan.Session{Name: "s", Key: string(kind) + ":s", Kind: string(kind), Command: cmd}}
	for _, m := range mod {
		if m != nil {
			m(t)
		}
	}
	return &engine.Attempt{ID: id, DocID: "d", Block: t.Block, Number: 1, Task: t, Script: script, Session: sid,
		Env: map[string]string{"BORGES_BLOCK": t.Block, "GREETING": "hello"}}
}

// TestSessionPods: the blocks of a session run in one pod's interpreter,
// one after the other, each block's result read as Babel reads it; a
// block killed, timed out, or whose pod is deleted under it, ends the
// session, whose next block starts a new pod; a pod that waits says why;
// CloseSession deletes the pod.
func TestSessionPods(t *testing.T) {
	outside.Need(t, "python3", "python3")
	b, client, k, u, _ := fakeSessions(t, "borges-test-s")
	ctx := context.Background()
	run := func(a *engine.Attempt) engine.Update {
		t.Helper()
		if err := b.Launch(ctx, a); err != nil {
			t.Fatal(err)
		}
		return u.ended(t, a.ID)
	}

	t.Run("shared", func(t *testing.T) {
		first := sessionAttempt("d.1-a.0.1", "d/shell:s/1", session.Shell, "x=41\ncd sub 2>/dev/null || { mkdir sub; cd sub; }")
		second := sessionAttempt("d.2-b.0.1", "d/shell:s/1", session.Shell, `echo "$((x+1)) $GREETING ${BORGES_BLOCK:-none} $BORGES_SESSION $(basename "$PWD")"`)
		for _, a := range []*engine.Attempt{first, second} {
			if end := run(a); end.State != engine.Finished || end.Host != "fake-node" {
				t.Fatalf("%s: %+v; updates %+v", a.ID, end, u.of(a.ID))
			}
		}
		if got := readAll(t, b, second.ID, "stdout"); got != "42 hello none d/shell:s/1 sub" {
			t.Fatalf("result %q; transcript %q", got, readAll(t, b, second.ID, "stderr"))
		}
		if got := readAll(t, b, second.ID, "stderr"); !strings.Contains(got, "42 hello none") || strings.Contains(got, pingPrefix) {
			t.Fatalf("transcript %q", got)
		}
		// The interpreter runs on the container's terminal, which the
		// session's script sets as Emacs sets one.
		probe := sessionAttempt("d.2-t.0.1", "d/shell:s/1", session.Shell, `[ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo terminal; stty -g; echo "$TERM $COLUMNS [$TERMCAP]"`)
		if end := run(probe); end.State != engine.Finished {
			t.Fatalf("probe: %+v", end)
		}
		if got, want := readAll(t, b, probe.ID, "stdout"), "terminal\n"+terminal.Stty()+"\ndumb 80 []"; got != want {
			t.Fatalf("on its terminal: got %q, want %q", got, want)
		}
		// Staged while its pod starts, then running in it.
		var states []engine.State
		for _, x := range u.of(first.ID) {
			states = append(states, x.State)
		}
		if n := len(states); n < 3 || states[0] != engine.Staged || states[n-2] != engine.Running || states[n-1] != engine.Finished {
			t.Fatalf("first block's updates: %+v", u.of(first.ID))
		}
		pods := livePods(t, client)
		if len(pods) != 1 || len(k.pods()) != 1 {
			t.Fatalf("pods: %+v (created %v)", pods, k.pods())
		}
		p := pods[0]
		c := p.Spec.Containers[0]
		if p.Labels[LabelOwner] != "borges-test-s" || p.Labels[LabelDocument] != "d" || p.Labels[LabelBlock] != "a" ||
			p.Labels[LabelSession] != "s" || p.Annotations[annotationSession] != "d/shell:s/1" || p.Annotations[AnnotationAttempt] != "" {
			t.Fatalf("labels %v, annotations %v", p.Labels, p.Annotations)
		}
		if c.Resources.Requests.Cpu().MilliValue() != 250 || c.Resources.Limits.Memory().Value() != 64<<20 ||
			p.Spec.RestartPolicy != corev1.RestartPolicyNever || p.Spec.ActiveDeadlineSeconds != nil ||
			c.TerminationMessagePolicy != corev1.TerminationMessageFallbackToLogsOnError {
			t.Fatalf("spec %+v", p.Spec)
		}
		if err := b.CloseSession(ctx, "d/shell:s/1"); err != nil {
			t.Fatal(err)
		}
		untilNoLivePods(t, client)
	})

	t.Run("python value", func(t *testing.T) {
		value := func(t *plan.Task) { t.Session.Value = true; t.ValueFile = true }
		a := sessionAttempt("d.3-p.0.1", "d/python:s/1", session.Python, "import os\nx = 6", value)
		b2 := sessionAttempt("d.4-q.0.1", "d/python:s/1", session.Python, "print('hi')\nx * 7", value)
		for _, x := range []*engine.Attempt{a, b2} {
			if end := run(x); end.State != engine.Finished {
				t.Fatalf("%s: %+v", x.ID, end)
			}
		}
		if got := readAll(t, b, b2.ID, "value"); got != "42" {
			t.Fatalf("value %q", got)
		}
		if got := readAll(t, b, b2.ID, "stdout"); got != "hi" {
			t.Fatalf("output %q", got)
		}
		b.CloseSession(ctx, "d/python:s/1")
		untilNoLivePods(t, client)
	})

	// stops runs a block that runs until stopped, stops it with stop,
	// and checks how it ended; the session's next block then starts in
	// a new pod.
	stops := func(t *testing.T, sid string, mod func(*plan.Task), stop func(a *engine.Attempt), want engine.State, message string, timedOut bool) {
		t.Helper()
		before := len(k.pods())
		a := sessionAttempt("d.5-slow.0.1", sid, session.Shell, "sleep 600", mod)
		a.ID = strings.ReplaceAll(sid, "/", "_") + ".slow"
		if err := b.Launch(ctx, a); err != nil {
			t.Fatal(err)
		}
		if x := u.wait(t, a.ID, "runs", func(x engine.Update) bool { return x.State == engine.Running || x.State.Terminal() }); x.State != engine.Running {
			t.Fatalf("did not run: %+v", x)
		}
		stop(a)
		end := u.ended(t, a.ID)
		// Its flag says whether its :timeout ended it
		// (engine.Update.TimedOut, which exitedNonZero reads).
		if end.State != want || !strings.Contains(end.Message, message) || end.TimedOut != timedOut {
			t.Fatalf("end %+v, want %s %q, timed out %v", end, want, message, timedOut)
		}
		untilNoLivePods(t, client)
		next := sessionAttempt("d.6-next.0.1", sid, session.Shell, "echo fresh")
		next.ID = strings.ReplaceAll(sid, "/", "_") + ".next"
		// The first block of a new interpreter: its result starts with
		// the line of the shell's first prompt.
		if end := run(next); end.State != engine.Finished || readAll(t, b, next.ID, "stdout") != "\nfresh" {
			t.Fatalf("next: %+v %q", end, readAll(t, b, next.ID, "stdout"))
		}
		if got := len(k.pods()) - before; got != 2 {
			t.Fatalf("%d pods for a block and the next after it ended the session, want 2", got)
		}
		b.CloseSession(ctx, sid)
		untilNoLivePods(t, client)
	}
	t.Run("kill", func(t *testing.T) {
		stops(t, "d/shell:k/1", nil, func(a *engine.Attempt) { b.Kill(ctx, a.ID) }, engine.Killed, "killed", false)
	})
	t.Run("timeout", func(t *testing.T) {
		stops(t, "d/shell:t/1", func(t *plan.Task) { t.Timeout = time.Second }, func(*engine.Attempt) {}, engine.Failed, "timed out after 1s", true)
	})
	t.Run("deleted under it", func(t *testing.T) {
		stops(t, "d/shell:x/1", nil, func(a *engine.Attempt) {
			for _, p := range livePods(t, client) {
				client.CoreV1().Pods("default").Delete(ctx, p.Name, metav1.DeleteOptions{})
			}
		}, engine.Failed, "its session's interpreter ended (pod ", false)
	})
	t.Run("interpreter ends", func(t *testing.T) {
		a := sessionAttempt("d.7-exit.0.1", "d/shell:e/1", session.Shell, "exit 3")
		end := run(a)
		if end.State != engine.Failed || !strings.Contains(end.Message, "its session's interpreter ended (exit status 3") {
			t.Fatalf("end %+v", end)
		}
		untilNoLivePods(t, client)
	})
	t.Run("not in the image", func(t *testing.T) {
		a := sessionAttempt("d.8-none.0.1", "d/python:n/1", session.Python, "1", func(t *plan.Task) {
			t.Session.Command = []string{"borges-no-such-python", "-c", "pass"}
		})
		end := run(a)
		if end.State != engine.Failed || !strings.Contains(end.Message, "borges-no-such-python is not in the image test-image") {
			t.Fatalf("end %+v", end)
		}
		untilNoLivePods(t, client)
	})
	t.Run("waits", func(t *testing.T) {
		k.mu.Lock()
		k.pending = "0/1 nodes are available: 1 Insufficient cpu."
		k.mu.Unlock()
		defer func() { k.mu.Lock(); k.pending = ""; k.mu.Unlock() }()
		a := sessionAttempt("d.9-big.0.1", "d/shell:w/1", session.Shell, "echo never")
		if err := b.Launch(ctx, a); err != nil {
			t.Fatal(err)
		}
		u.wait(t, a.ID, "says why it waits", func(x engine.Update) bool {
			return x.State == engine.Staged && x.Message == "waiting for a node: 0/1 nodes are available: 1 Insufficient cpu."
		})
		// A block that joins the session after its pod said why it
		// waits hears it too: the pod's condition does not change again
		// (the scheduler says it once), so the session keeps it.
		a2 := sessionAttempt("d.10-big.0.1", "d/shell:w/1", session.Shell, "echo never either")
		if err := b.Launch(ctx, a2); err != nil {
			t.Fatal(err)
		}
		u.wait(t, a2.ID, "says why it waits", func(x engine.Update) bool {
			return x.State == engine.Staged && x.Message == "waiting for a node: 0/1 nodes are available: 1 Insufficient cpu."
		})
		b.Kill(ctx, a.ID)
		if end := u.ended(t, a.ID); end.State != engine.Killed {
			t.Fatalf("end %+v", end)
		}
		if end := u.ended(t, a2.ID); !end.State.Terminal() {
			t.Fatalf("end %+v", end)
		}
		untilNoLivePods(t, client)
	})
}

// TestSessionRecover: a session does not outlive the Borges that started
// it: the next one reports its running block lost (and one whose end was
// kept as it ended), and deletes its pod as an orphan.
func TestSessionRecover(t *testing.T) {
	b, client, _, u, stop := fakeSessions(t, "borges-test-r")
	ctx := context.Background()
	done := sessionAttempt("d.1-done.0.1", "d/shell:s/1", session.Shell, "echo done")
	running := sessionAttempt("d.2-run.0.1", "d/shell:s/1", session.Shell, "sleep 600")
	b.Launch(ctx, done)
	if end := u.ended(t, done.ID); end.State != engine.Finished {
		t.Fatalf("done: %+v", end)
	}
	b.Launch(ctx, running)
	u.wait(t, running.ID, "runs", func(x engine.Update) bool { return x.State == engine.Running })
	stop()
	if n := len(livePods(t, client)); n != 1 {
		t.Fatalf("%d pods", n)
	}

	b2, u2, _ := fakeSessionBackend(t, client, "borges-test-r")
	b2.cfg.OutputDir = b.cfg.OutputDir
	if err := b2.Recover(ctx, []*engine.Attempt{done, running}); err != nil {
		t.Fatal(err)
	}
	if end := u2.ended(t, running.ID); end.State != engine.Lost || !strings.Contains(end.Message, "session") {
		t.Fatalf("running: %+v", end)
	}
	if end := u2.ended(t, done.ID); end.State != engine.Finished {
		t.Fatalf("done: %+v", end)
	}
	untilNoLivePods(t, client)
}

// TestSessionLimits: the backend keeps sessions.
func TestSessionLimits(t *testing.T) {
	if why := offlineBackend(t, memStore{}).Limits().NoSessions; why != "" {
		t.Fatalf("NoSessions %q", why)
	}
}
