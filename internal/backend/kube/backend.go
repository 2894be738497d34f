// Package kube runs attempts as Kubernetes pods: one pod an attempt
// (restartPolicy Never; Borges keeps owning retries, backoff and
// keep-running), watched through an informer, its standard output and
// standard error followed through the pod log API into files Borges keeps,
// its :results files fetched with exec and tar before the pod is deleted.
package kube

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/client-go/informers"
	"k8s.io/client-go/kubernetes"
	listers "k8s.io/client-go/listers/core/v1"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/cache"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// MetaStore keeps small values across restarts (the owner id).
type MetaStore interface {
	Meta(key string) (string, error)
	SetMeta(key, value string) error
}

// Config configures the backend.
type Config struct {
	Client     kubernetes.Interface
	RESTConfig *rest.Config // for exec (files); nil: no files fetched
	Namespace  string       // default "default"
	// DefaultImage runs blocks that name none (#+kube_default_image:).
	DefaultImage string
	// Owner marks this server's pods (label borges.owner); empty: one
	// made once and kept in Store.
	Owner string
	Store MetaStore
	// OutputDir keeps each attempt's output: its streams as they are
	// followed, and the files fetched when it ended.
	OutputDir string
	// MaxOutput bounds each stream kept (default 1 GiB).
	MaxOutput int64
	// Ports is the range host ports of :ports are taken from (default
	// 31000-31999).
	PortMin, PortMax int
	Logger           *slog.Logger
	// EndWait bounds how long an ended pod's streams are waited for
	// (default 60 s).
	EndWait time.Duration
	// NodeLostGrace is how long a pod's node may be not ready before the
	// pod is taken as lost and run again (default 5 minutes; nodes.go).
	NodeLostGrace time.Duration
}

const ownerKey = "kube_owner"

// Backend runs attempts as pods.
type Backend struct {
	engine.Sink

	cfg   Config
	log   *slog.Logger
	owner string

	informer cache.SharedIndexInformer
	lister   listers.PodLister
	ctx      context.Context

	emitMu sync.Mutex // held while an update is reported
	mu     sync.Mutex
	pods   map[string]*podInfo // by attempt id
	// launching are the attempts Launch is taking, until Kill can find
	// them (a pod tracked, a session block registered): true once Kill
	// has asked for an attempt's end meanwhile, which Launch then carries
	// out.
	launching map[string]bool
	recovered bool
	limits    plan.Resources
	down      map[string]*nodeDown // nodes not ready, by name (nodes.go)
	sess      sessionTable         // Babel sessions (session.go)

	// writers counts the goroutines that write into OutputDir (an
	// attempt's end, a log followed, a session block): Wait waits for
	// them. A count, not a WaitGroup: one may start while Wait waits.
	writers atomic.Int64
	// creating, when set (tests), is called by Launch with the attempt's
	// id just before its pod (or its session's pod) is created.
	creating func(id string)
	// taking, when set (tests), is called by Launch with the attempt's id
	// as it starts taking the attempt.
	taking func(id string)
	// podExec, when set (tests), runs a command in a pod's stderr
	// container in place of exec.
	podExec func(ctx context.Context, pod string, command []string, stdout io.Writer) error
	// deleteRetry is the first wait before a failed deletion of a pod
	// whose creation failed is tried again (deleteUncreated; default
	// defaultDeleteRetry).
	deleteRetry time.Duration
}

// Wait waits, once the context given to Start is done, until no
// goroutine of the backend writes into OutputDir any more, at most for
// limit; it reports whether they all ended. Removing the output
// directory before that can race with their last writes.
func (b *Backend) Wait(limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for b.writers.Load() > 0 {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(10 * time.Millisecond)
	}
	return true
}

// goWrite runs f as one of the writers Wait waits for.
func (b *Backend) goWrite(f func()) {
	b.writers.Add(1)
	go func() {
		defer b.writers.Add(-1)
		f()
	}()
}

// podInfo is what Borges knows of one attempt's pod.
type podInfo struct {
	attempt *engine.Attempt
	name    string
	end     string // the stderr container's end text
	ports   []int
	host    string
	state   engine.State // as last reported
	message string
	killed  bool // Borges deleted it
	ending  bool // its end is being handled
	ended   bool
	// mainDone is closed when the main container has ended.
	mainDone chan struct{}
	stdout   *follower
	stderr   *follower
}

var _ engine.Backend = (*Backend)(nil)
var _ engine.FileRemover = (*Backend)(nil)

// New prepares the backend; Start watches the pods.
func New(cfg Config) (*Backend, error) {
	if cfg.Client == nil {
		return nil, errors.New("kubernetes: no client")
	}
	if cfg.OutputDir == "" {
		return nil, errors.New("kubernetes: no output directory")
	}
	if cfg.Namespace == "" {
		cfg.Namespace = "default"
	}
	if cfg.MaxOutput == 0 {
		cfg.MaxOutput = 1 << 30
	}
	if cfg.PortMin == 0 {
		cfg.PortMin, cfg.PortMax = 31000, 31999
	}
	if cfg.EndWait == 0 {
		cfg.EndWait = 60 * time.Second
	}
	if cfg.NodeLostGrace == 0 {
		cfg.NodeLostGrace = 5 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if err := os.MkdirAll(cfg.OutputDir, 0o700); err != nil {
		return nil, fmt.Errorf("kubernetes: output directory: %w", err)
	}
	owner := cfg.Owner
	if owner == "" && cfg.Store != nil {
		owner, _ = cfg.Store.Meta(ownerKey)
	}
	if owner == "" {
		var buf [8]byte
		rand.Read(buf[:])
		owner = "borges-" + hex.EncodeToString(buf[:])
		if cfg.Store != nil {
			if err := cfg.Store.SetMeta(ownerKey, owner); err != nil {
				return nil, fmt.Errorf("kubernetes: storing the owner id: %w", err)
			}
		}
	}
	if v := labelValue(owner); v != owner {
		return nil, fmt.Errorf("kubernetes: owner %q is not a label value", owner)
	}
	return &Backend{cfg: cfg, log: cfg.Logger, owner: owner, pods: map[string]*podInfo{}, launching: map[string]bool{},
		sess: sessionTable{byID: map[string]*kubeSession{}, byPod: map[string]*kubeSession{}, attempts: map[string]*sessionBlock{}}}, nil
}

func (b *Backend) Name() string { return "kubernetes" }

// Owner is the value of the borges.owner label of this server's pods.
func (b *Backend) Owner() string { return b.owner }

// Limits are the largest node's allocatable resources, when Borges may
// read the nodes (else none known: the scheduler says what cannot fit).
func (b *Backend) Limits() plan.Limits {
	b.mu.Lock()
	defer b.mu.Unlock()
	return plan.Limits{Max: b.limits, ImageAlone: true}
}

// Capacity: the Kubernetes scheduler admits; pending pods wait there.
func (b *Backend) Capacity() (plan.Resources, bool) { return plan.Resources{}, false }

// Start starts the informer on this server's pods.
func (b *Backend) Start(ctx context.Context, sink func(engine.Update)) error {
	b.SetSink(sink)
	b.ctx = ctx
	factory := informers.NewSharedInformerFactoryWithOptions(b.cfg.Client, 0, informers.WithNamespace(b.cfg.Namespace),
		informers.WithTweakListOptions(func(o *metav1.ListOptions) {
			o.LabelSelector = labels.Set{LabelOwner: b.owner}.String()
		}))
	pods := factory.Core().V1().Pods()
	b.informer = pods.Informer()
	b.lister = pods.Lister()
	if _, err := b.informer.AddEventHandler(cache.ResourceEventHandlerFuncs{
		AddFunc:    func(obj any) { b.observe(obj) },
		UpdateFunc: func(_, obj any) { b.observe(obj) },
		DeleteFunc: func(obj any) { b.deleted(obj) },
	}); err != nil {
		return err
	}
	factory.Start(ctx.Done())
	go b.readLimits(ctx)
	go b.watchNodes(ctx)
	return nil
}

// readLimits reads the nodes' allocatable resources once (a Role limited
// to pods may not: then no limits are known).
func (b *Backend) readLimits(ctx context.Context) {
	nodes, err := b.cfg.Client.CoreV1().Nodes().List(ctx, metav1.ListOptions{})
	if err != nil {
		b.log.Info("kubernetes: the nodes cannot be read; blocks are not checked against a node's size", "err", err)
		return
	}
	var max plan.Resources
	for _, n := range nodes.Items {
		a := n.Status.Allocatable
		max.CPUs = maxf(max.CPUs, float64(a.Cpu().MilliValue())/1000)
		max.MemMB = maxf(max.MemMB, float64(a.Memory().Value())/(1<<20))
		if g, ok := a["nvidia.com/gpu"]; ok && int(g.Value()) > max.GPUs {
			max.GPUs = int(g.Value())
		}
	}
	b.mu.Lock()
	b.limits = max
	b.mu.Unlock()
}

func maxf(a, b float64) float64 {
	if a > b {
		return a
	}
	return b
}

// synced waits until the informer has listed the pods.
func (b *Backend) synced(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	if !cache.WaitForCacheSync(ctx.Done(), b.informer.HasSynced) {
		return fmt.Errorf("kubernetes: the pods of namespace %s could not be listed", b.cfg.Namespace)
	}
	return nil
}

// image is what an attempt runs in: its :image, else the default.
func (b *Backend) image(t *plan.Task) (string, error) {
	if t.Container != nil && t.Container.Image != "" {
		return t.Container.Image, nil
	}
	if b.cfg.DefaultImage != "" {
		return b.cfg.DefaultImage, nil
	}
	return "", errors.New("a pod needs an image: give the block :image NAME, or set #+kube_default_image: in the setupfile")
}

// Launch creates the attempt's pod; an attempt whose pod exists already
// (launched before a restart) is attached to it.
func (b *Backend) Launch(ctx context.Context, a *engine.Attempt) error {
	if a.Task == nil {
		return fmt.Errorf("attempt %s has no task", a.ID)
	}
	b.mu.Lock()
	b.launching[a.ID] = false
	b.mu.Unlock()
	defer func() {
		b.mu.Lock()
		delete(b.launching, a.ID)
		b.mu.Unlock()
	}()
	if b.taking != nil {
		b.taking(a.ID)
	}
	if a.Session != "" && a.Task.Session != nil {
		return b.launchSession(ctx, a)
	}
	image, err := b.image(a.Task)
	if err != nil {
		return err
	}
	var buf [12]byte
	rand.Read(buf[:])
	end := "<<borges-end-" + hex.EncodeToString(buf[:]) + ">>"
	b.mu.Lock()
	if p := b.pods[a.ID]; p != nil && !p.ended {
		// Launched already (or re-attached by Recover): one pod an
		// attempt, followed once.
		b.mu.Unlock()
		return nil
	}
	if b.launching[a.ID] {
		b.mu.Unlock()
		b.killedUnlaunched(a.ID, "killed before its pod was created")
		return nil
	}
	ports, err := b.takePorts(a.Task.Resources.Ports)
	if err != nil {
		b.mu.Unlock()
		return fmt.Errorf(":ports %d: %w", a.Task.Resources.Ports, err)
	}
	pod, err := b.pod(a, image, ports, end)
	if err != nil {
		b.mu.Unlock()
		return err
	}
	p := b.track(a, pod.Name, end, ports)
	b.mu.Unlock()
	// Said before the pod exists: the informer's news of it come after.
	b.emit(p, engine.Update{AttemptID: a.ID, State: engine.Staged, Message: "creating pod " + pod.Name})
	if b.creating != nil {
		b.creating(a.ID)
	}
	_, err = b.cfg.Client.CoreV1().Pods(b.cfg.Namespace).Create(ctx, pod, metav1.CreateOptions{})
	if apierrors.IsAlreadyExists(err) {
		// Created before: attach to it, with its own end text.
		if old, gerr := b.cfg.Client.CoreV1().Pods(b.cfg.Namespace).Get(ctx, pod.Name, metav1.GetOptions{}); gerr == nil {
			b.mu.Lock()
			p.end = old.Annotations[annotationEnd]
			b.mu.Unlock()
			b.observe(old)
		}
		return nil
	}
	if err != nil {
		b.mu.Lock()
		delete(b.pods, a.ID)
		killed := p.killed
		b.mu.Unlock()
		// The API server may have created the pod all the same (an
		// answer lost, a timeout after it stored it): none is left
		// running untracked.
		b.deleteUncreated(ctx, pod.Name)
		if killed {
			// Killed while its pod was being created: the user's
			// kill, not a failed start.
			b.killedUnlaunched(a.ID, "killed before its pod was created")
			return nil
		}
		return fmt.Errorf("creating pod %s: %w", pod.Name, err)
	}
	b.mu.Lock()
	killed := p.killed
	b.mu.Unlock()
	if killed {
		// Killed while the pod was being created: Kill's deletion found
		// none. Deleted now, it is reported killed (deleted) and never
		// left to run.
		return b.deletePod(ctx, pod.Name)
	}
	return nil
}

// track registers an attempt's pod (b.mu held).
func (b *Backend) track(a *engine.Attempt, name, end string, ports []int) *podInfo {
	p := &podInfo{attempt: a, name: name, end: end, ports: ports, state: engine.Staged, mainDone: make(chan struct{})}
	b.pods[a.ID] = p
	return p
}

// takePorts picks n host ports no pod of this server holds (b.mu held);
// the scheduler places the pod where they are free.
func (b *Backend) takePorts(n int) ([]int, error) {
	if n == 0 {
		return nil, nil
	}
	used := map[int]bool{}
	for _, p := range b.pods {
		if !p.ended {
			for _, port := range p.ports {
				used[port] = true
			}
		}
	}
	var out []int
	for port := b.cfg.PortMin; port <= b.cfg.PortMax && len(out) < n; port++ {
		if !used[port] {
			out = append(out, port)
		}
	}
	if len(out) < n {
		return nil, fmt.Errorf("only %d of the host ports %d-%d are free", len(out), b.cfg.PortMin, b.cfg.PortMax)
	}
	return out, nil
}

// emit reports an update unless it says what was last said; updates of
// one attempt reach the engine in the order they were decided.
func (b *Backend) emit(p *podInfo, u engine.Update) {
	b.emitMu.Lock()
	defer b.emitMu.Unlock()
	b.mu.Lock()
	if !u.State.Terminal() && p.state == u.State && p.message == u.Message {
		b.mu.Unlock()
		return
	}
	p.state, p.message = u.State, u.Message
	if u.Host == "" {
		u.Host = p.host
	}
	b.mu.Unlock()
	b.Emit(u)
}

// Kill deletes an attempt's pod at once.
func (b *Backend) Kill(ctx context.Context, id string) error {
	b.mu.Lock()
	if blk := b.sess.attempts[id]; blk != nil {
		b.mu.Unlock()
		b.killSession(blk)
		return nil
	}
	p := b.pods[id]
	if _, taking := b.launching[id]; taking && (p == nil || p.ended) {
		// Launch has no pod nor session block for it yet: it ends the
		// attempt instead of starting it.
		b.launching[id] = true
		b.mu.Unlock()
		return nil
	}
	if p == nil || p.ended {
		b.mu.Unlock()
		return nil
	}
	p.killed = true
	name := p.name
	b.mu.Unlock()
	return b.deletePod(ctx, name)
}

// killedUnlaunched reports an attempt killed before Launch started it
// (no pod created, no session given it), its end kept.
func (b *Backend) killedUnlaunched(id, why string) {
	u := engine.Update{AttemptID: id, State: engine.Killed, Message: why}
	b.writeEnd(id, u)
	b.Emit(u)
}

// defaultDeleteRetry is the first wait before a failed deletion of a pod
// whose creation failed is tried again; deleteRetries bounds the tries.
const (
	defaultDeleteRetry = time.Second
	deleteRetries      = 8
)

// deleteUncreated deletes a pod whose creation failed: the API server
// may have created it all the same (an answer lost, a timeout after it
// stored it), and nothing else would delete it until Borges starts again
// (Recover). A failed deletion is tried again in the background, waiting
// twice as long each time (up to 30 s), at most deleteRetries times in
// all, until the backend's context ends.
func (b *Backend) deleteUncreated(ctx context.Context, name string) {
	err := b.deletePod(ctx, name)
	if err == nil {
		return
	}
	b.log.Warn("deleting a pod whose creation failed; trying again", "pod", name, "err", err)
	wait := b.deleteRetry
	if wait <= 0 {
		wait = defaultDeleteRetry
	}
	bg := b.ctx
	if bg == nil {
		bg = context.Background()
	}
	go func() {
		for try := 1; try < deleteRetries; try++ {
			select {
			case <-bg.Done():
				return
			case <-time.After(wait):
			}
			if err = b.deletePod(bg, name); err == nil {
				return
			}
			wait = min(2*wait, 30*time.Second)
		}
		b.log.Error("a pod whose creation failed could not be deleted: it may run untracked until Borges starts again", "pod", name, "err", err)
	}()
}

func (b *Backend) deletePod(ctx context.Context, name string) error {
	zero := int64(0)
	err := b.cfg.Client.CoreV1().Pods(b.cfg.Namespace).Delete(ctx, name, metav1.DeleteOptions{GracePeriodSeconds: &zero})
	if apierrors.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("deleting pod %s: %w", name, err)
	}
	return nil
}

// Recover re-attaches the attempts a previous Borges launched: an attempt
// whose end was kept is reported as it ended; one whose pod exists is
// followed again (its output read from the start of its log, past what
// is kept); one without a pod is lost (run again). Pods of this server
// that belong to no attempt are deleted.
func (b *Backend) Recover(ctx context.Context, attempts []*engine.Attempt) error {
	if err := b.synced(ctx); err != nil {
		return err
	}
	var lost, ended []engine.Update
	var attach []*corev1.Pod
	b.mu.Lock()
	for _, a := range attempts {
		if u, ok := b.readEnd(a.ID); ok {
			ended = append(ended, u)
			p := b.track(a, PodName(a.ID), "", nil)
			p.ended = true
			continue
		}
		if a.Task != nil && a.Task.Session != nil && a.Session != "" {
			lost = append(lost, engine.Update{AttemptID: a.ID, State: engine.Lost, Message: sessionAttemptLost})
			continue
		}
		pod, err := b.lister.Pods(b.cfg.Namespace).Get(PodName(a.ID))
		if err != nil || pod.Annotations[AnnotationAttempt] != a.ID {
			lost = append(lost, engine.Update{AttemptID: a.ID, State: engine.Lost, Message: "no pod: Borges stopped before creating it, or it was deleted meanwhile"})
			continue
		}
		p := b.track(a, pod.Name, pod.Annotations[annotationEnd], podPorts(pod))
		p.state = engine.Running
		attach = append(attach, pod)
	}
	b.recovered = true
	b.mu.Unlock()
	for _, u := range append(ended, lost...) {
		b.Emit(u)
	}
	for _, pod := range attach {
		b.observe(pod)
	}
	// Orphans: this server's pods that no attempt owns.
	all, err := b.lister.Pods(b.cfg.Namespace).List(labels.Everything())
	if err != nil {
		return err
	}
	for _, pod := range all {
		b.mu.Lock()
		_, known := b.pods[pod.Annotations[AnnotationAttempt]]
		known = known || b.sess.byPod[pod.Name] != nil
		b.mu.Unlock()
		if !known {
			b.log.Info("kubernetes: deleting a pod no attempt owns", "pod", pod.Name)
			if err := b.deletePod(ctx, pod.Name); err != nil {
				b.log.Warn("kubernetes: deleting an orphan pod", "pod", pod.Name, "err", err)
			}
		}
	}
	// Ended attempts whose pod is still there: their output is kept.
	for _, u := range ended {
		if err := b.deletePod(ctx, PodName(u.AttemptID)); err != nil {
			b.log.Warn("kubernetes: deleting an ended pod", "err", err)
		}
	}
	return nil
}

func podPorts(pod *corev1.Pod) []int {
	var out []int
	for _, c := range pod.Spec.Containers {
		for _, p := range c.Ports {
			if p.HostPort > 0 {
				out = append(out, int(p.HostPort))
			}
		}
	}
	return out
}

// observe follows a pod's state: its streams once its containers have
// started, its end, what it waits for.
func (b *Backend) observe(obj any) {
	pod, ok := obj.(*corev1.Pod)
	if !ok || b.observeSession(pod) {
		return
	}
	id := pod.Annotations[AnnotationAttempt]
	b.mu.Lock()
	p := b.pods[id]
	if p == nil {
		recovered := b.recovered
		b.mu.Unlock()
		if recovered && pod.DeletionTimestamp == nil {
			b.log.Info("kubernetes: deleting a pod no attempt owns", "pod", pod.Name)
			go b.deletePod(b.ctx, pod.Name)
		}
		return
	}
	if p.ended || p.ending {
		b.mu.Unlock()
		return
	}
	if pod.Spec.NodeName != "" {
		p.host = pod.Spec.NodeName
	}
	main, side := containerStatus(pod, mainContainer), containerStatus(pod, stderrContainer)
	if p.stdout == nil && main != nil && (main.State.Running != nil || main.State.Terminated != nil) {
		p.stdout = b.follow(p, mainContainer, "stdout", "")
	}
	if p.stderr == nil && side != nil && (side.State.Running != nil || side.State.Terminated != nil) {
		p.stderr = b.follow(p, stderrContainer, "stderr", p.end)
	}
	u, terminal := b.status(p, pod)
	if !terminal {
		u.Message += b.nodeNote(p.host)
	}
	if terminal {
		p.ending = true
		close(p.mainDone)
		b.mu.Unlock()
		b.goWrite(func() { b.finish(p, pod, u) })
		return
	}
	b.mu.Unlock()
	b.emit(p, u)
}

func containerStatus(pod *corev1.Pod, name string) *corev1.ContainerStatus {
	for i := range pod.Status.ContainerStatuses {
		if pod.Status.ContainerStatuses[i].Name == name {
			return &pod.Status.ContainerStatuses[i]
		}
	}
	return nil
}

// status maps a pod onto Borges' states: pending (with why), running, or
// ended (b.mu held).
func (b *Backend) status(p *podInfo, pod *corev1.Pod) (engine.Update, bool) {
	u := engine.Update{AttemptID: p.attempt.ID, Host: p.host}
	main, side := containerStatus(pod, mainContainer), containerStatus(pod, stderrContainer)
	if pod.DeletionTimestamp != nil && !p.killed {
		u.State, u.Message = engine.Lost, deletedWhy(pod)
		return u, true
	}
	switch {
	case pod.Status.Phase == corev1.PodFailed && pod.Status.Reason == "DeadlineExceeded":
		u.State, u.Message, u.TimedOut = engine.Failed, "timed out after "+p.attempt.Task.Timeout.String(), true
		return u, true
	case pod.Status.Phase == corev1.PodFailed && pod.Status.Reason == "Evicted":
		u.State, u.Message = engine.Lost, "evicted: "+pod.Status.Message
		return u, true
	case pod.Status.Phase == corev1.PodFailed && main == nil:
		u.State, u.Message = engine.Lost, strings.TrimSpace("pod failed: "+pod.Status.Reason+" "+pod.Status.Message)
		return u, true
	}
	if main != nil && main.State.Terminated != nil {
		t := main.State.Terminated
		code := int(t.ExitCode)
		u.ExitCode = &code
		switch {
		case t.Reason == "OOMKilled":
			u.State, u.Message = engine.Failed, fmt.Sprintf("out of memory (OOMKilled; :mem %g MB)", p.attempt.Task.Resources.MemMB)
		case code == 0:
			u.State = engine.Finished
		case t.Reason == "StartError" || t.Reason == "ContainerCannotRun":
			u.State, u.Message = engine.Failed, "could not start: "+strings.TrimSpace(t.Message)
		default:
			u.State, u.Message = engine.Failed, "exit status "+strconv.Itoa(code)
		}
		return u, true
	}
	if side != nil && side.State.Terminated != nil && side.State.Terminated.ExitCode != 0 {
		// The program waits for a reader of its standard error that
		// will not come.
		u.State = engine.Failed
		u.Message = fmt.Sprintf("the image cannot run Borges' stderr container (exit status %d %s): it needs a POSIX shell with mkfifo, cat, sleep and tar",
			side.State.Terminated.ExitCode, strings.TrimSpace(side.State.Terminated.Message))
		return u, true
	}
	if main != nil && main.State.Running != nil {
		u.State = engine.Running
		u.Message = "pod " + pod.Name
		if p.host != "" {
			u.Message += " on " + p.host
		}
		return u, false
	}
	u.State = engine.Staged
	u.Message = pending(pod, main)
	if main != nil && main.State.Waiting != nil {
		switch main.State.Waiting.Reason {
		case "InvalidImageName", "ErrImageNeverPull":
			u.State = engine.Failed
			u.Message = "could not start: " + u.Message
			return u, true
		}
	}
	return u, false
}

// deletedWhy says why a pod Borges did not delete is gone: evicted (the
// Eviction API, a drain, preemption: a DisruptionTarget condition), else
// deleted by someone.
func deletedWhy(pod *corev1.Pod) string {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.DisruptionTarget && c.Status == corev1.ConditionTrue {
			return strings.TrimSpace("pod " + pod.Name + " was evicted (" + c.Reason + "): " + c.Message)
		}
	}
	return "pod " + pod.Name + " was deleted (not by Borges)"
}

// pending says why a pod does not run yet.
func pending(pod *corev1.Pod, main *corev1.ContainerStatus) string {
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status == corev1.ConditionFalse {
			return "waiting for a node: " + strings.TrimSpace(c.Message)
		}
	}
	if main != nil && main.State.Waiting != nil {
		w := main.State.Waiting
		switch w.Reason {
		case "ErrImagePull", "ImagePullBackOff":
			return "image " + main.Image + " cannot be pulled (" + w.Reason + "): " + strings.TrimSpace(w.Message)
		case "ContainerCreating", "PodInitializing", "":
		default:
			return strings.TrimSpace(w.Reason + ": " + w.Message)
		}
	}
	if pod.Spec.NodeName != "" {
		return "pod " + pod.Name + " starting on " + pod.Spec.NodeName
	}
	return "pod " + pod.Name + " waiting to be scheduled"
}

// deleted handles a pod gone from the API: Borges deleted it (killed, or
// ended and read), or someone else did (lost: run again).
func (b *Backend) deleted(obj any) {
	pod, ok := obj.(*corev1.Pod)
	if !ok {
		if d, isTomb := obj.(cache.DeletedFinalStateUnknown); isTomb {
			pod, ok = d.Obj.(*corev1.Pod)
		}
		if !ok {
			return
		}
	}
	if b.sessionDeleted(pod) {
		return
	}
	id := pod.Annotations[AnnotationAttempt]
	b.mu.Lock()
	p := b.pods[id]
	if p == nil || p.ended || p.ending {
		b.mu.Unlock()
		return
	}
	p.ended = true
	killed := p.killed
	select {
	case <-p.mainDone:
	default:
		close(p.mainDone)
	}
	b.mu.Unlock()
	u := engine.Update{AttemptID: id, State: engine.Lost, Message: deletedWhy(pod)}
	if killed {
		u = engine.Update{AttemptID: id, State: engine.Killed, Message: "killed: pod " + pod.Name + " deleted"}
	}
	b.writeEnd(id, u)
	b.emit(p, u)
}

// finish handles a pod whose program has ended: its streams are read to
// their end, its files fetched, the end kept; then it is reported and the
// pod deleted.
func (b *Backend) finish(p *podInfo, pod *corev1.Pod, u engine.Update) {
	ctx := b.ctx
	id := p.attempt.ID
	deadline := time.Now().Add(b.cfg.EndWait)
	if p.stdout != nil {
		p.stdout.wait(deadline)
	}
	if p.stderr != nil {
		// The stderr container writes its end text only when it copied
		// the stream to its end; one that was killed with the pod
		// (deleted, evicted, out of time) never will.
		side := containerStatus(pod, stderrContainer)
		if side == nil || side.State.Running == nil || pod.DeletionTimestamp != nil || pod.Status.Phase == corev1.PodFailed {
			deadline = time.Now().Add(2 * time.Second)
		}
		p.stderr.wait(deadline)
	}
	// A stream never followed (the container never ran, or the wait was
	// cut short) is read once, whole.
	b.mu.Lock()
	stdout, stderr := p.stdout, p.stderr
	b.mu.Unlock()
	// The standard output once more, past what was followed: the
	// kubelet may end a follow as the container ends, before its last
	// bytes.
	_ = stdout
	b.readOnce(ctx, p, mainContainer, "stdout", "")
	if stderr == nil || !stderr.isComplete() {
		b.readOnce(ctx, p, stderrContainer, "stderr", p.end)
	}
	if u.State == engine.Finished || u.State == engine.Failed {
		if err := b.fetchFiles(ctx, p, pod); err != nil {
			b.log.Warn("kubernetes: fetching the files of an ended attempt", "attempt", id, "err", err)
		}
	}
	b.writeEnd(id, u)
	b.mu.Lock()
	p.ended = true
	b.mu.Unlock()
	b.emit(p, u)
	if err := b.deletePod(ctx, p.name); err != nil {
		b.log.Warn("kubernetes: deleting an ended pod", "pod", p.name, "err", err)
	}
}

// Namespace is where the pods are.
func (b *Backend) Namespace() string { return b.cfg.Namespace }
