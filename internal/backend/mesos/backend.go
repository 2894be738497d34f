package mesos

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/encoding/codecs"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli/apierrors"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli/httpsched"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler/calls"

	"github.com/wallyqs/borges/internal/backend/mesos/executor"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/taskenv"
)

// MetaStore keeps small values across restarts (the framework id).
type MetaStore interface {
	Meta(key string) (string, error)
	SetMeta(key, value string) error
}

// Config configures the framework.
type Config struct {
	// Master is host:port or a URL (https for TLS) of a Mesos master, or
	// several separated by commas, tried in turn; a non-leading master
	// redirects to the leader.
	Master          string
	Name            string        // framework name (default "borges")
	User            string        // default: the user Borges runs as
	Role            string        // default "*"
	Principal       string        // framework principal (HTTP basic auth with Secret)
	Secret          string        //
	Hostname        string        // FrameworkInfo.hostname
	WebUIURL        string        // the Borges web page, linked from Mesos' UI
	FailoverTimeout time.Duration // how long Mesos keeps our tasks while we are away (default a week)
	// TLS configures https masters and agents (nil: the system's roots).
	TLS           *tls.Config
	RefuseSeconds float64 // refuse filter for declined offers (default 5)
	// ReconcileInterval is how often implicit reconciliation runs
	// (default 10 minutes), besides at each subscription.
	ReconcileInterval time.Duration
	// UnreachableGrace is how long a task the master reports unreachable
	// or unknown is waited for before it is taken as lost and run again
	// (default 5 minutes); meanwhile it is reconciled every
	// UnsureInterval (default 5 s).
	UnreachableGrace time.Duration
	UnsureInterval   time.Duration
	Store            MetaStore
	Logger           *slog.Logger
	// OutputDir keeps the output of ended tasks (stdout, stderr, the
	// value and a written :file), copied from the sandbox when a task
	// ends: results stay readable after the agent completes the executor
	// or collects the sandbox, and after a restart of Borges. Empty: read
	// from the agents only.
	OutputDir string
	// Executor is the path, on the agents, of a borges binary to run as
	// Borges' executor (executor.Main): one per agent, running every
	// task that is not in a container, instead of a command executor per
	// task. Empty: Mesos' command executor for each task.
	Executor string
	// ExecutorIdle is how long an executor with no task stays before it
	// exits (default executor.DefaultIdle); Borges launches onto one
	// only while it has been idle less than a third of that.
	ExecutorIdle time.Duration
}

const frameworkIDKey = "mesos_framework_id"

// Backend runs attempts as Mesos tasks.
type Backend struct {
	engine.Sink

	cfg        Config
	log        *slog.Logger
	callers    []calls.Caller // one per master given
	caller     calls.Caller   // the one in use
	endpoints  []string       // the callers' scheduler API URLs
	endpoint   string         // the one in use
	current    int            // its index
	zk         []string       // per entry: a zk:// address resolved at each subscription, or ""
	opts       []httpcli.Opt  // shared options (codec, credentials)
	endSession context.CancelFunc
	http       *http.Client

	mu          sync.Mutex
	frameworkID string
	queue       []*engine.Attempt    // waiting for an offer, in order
	tasks       map[string]*taskInfo // launched or recovered, by attempt id
	agents      map[string]string    // agent id → base URL (from offers and the master)
	agentsRead  time.Time            // when the master's agent list was last read
	suppressed  bool
	limits      plan.Resources          // the largest offer seen
	recovered   bool                    // Recover has told which attempts are Borges'
	subscribed  bool                    // the current session has its SUBSCRIBED
	executors   map[string]*executorRun // agent id → Borges' executor there
	// executorDirs are the sandboxes of Borges' executors, by id, as
	// agents' /state showed them: their tasks' directories are found
	// without asking again.
	executorDirs map[string]string
	acks         chan struct{} // bounds the acknowledgements in flight
	// early are the updates of block tasks that came before Recover told
	// which attempts are Borges' (a restarted Borges may subscribe, and
	// be sent an update of a task that ended while it was away, before
	// the engine has read its store): held unacknowledged and handled
	// once it has, in order with those that come while it handles them
	// (replaying). Acknowledged unknown, such an update would be lost: the
	// master forgets a task whose final update is acknowledged.
	early     []heldUpdate
	replaying bool
	// earlyLeft counts the updates beyond maxEarly left unacknowledged
	// before Recover; said once when the first is left, and the count
	// when Recover has handled the held ones.
	earlyLeft int
	// sessions are the tasks of Babel sessions' interpreters, by the
	// engine's session id and by task id (session.go).
	sessions, sessionTasks map[string]*sessionRun
	// placing, when set (tests), is called by offers with the queue it
	// places, after reading it and before launching.
	placing func(queue []*engine.Attempt)
	// accepting, when set (tests), is called by offers with the tasks of
	// an ACCEPT, after they are recorded and before the call is sent.
	accepting func(tasks []mesos.TaskInfo)
	// askingFinal, when set (tests), is called by reconciledFailed before
	// it asks the master for a task's final status.
	askingFinal func()
	// acking, when set (tests), is called by ackLater with each update
	// it acknowledges, before the acknowledgement is sent.
	acking func(st mesos.TaskStatus)
}

// executorRun is a Borges executor Borges launched onto an agent.
type executorRun struct {
	info    mesos.ExecutorInfo
	tasks   int       // live tasks launched onto it
	lastEnd time.Time // when its last task ended
}

// usable reports whether tasks may still be launched onto the executor:
// it runs tasks, or has been idle for less than a third of the time
// after which it exits.
func (e *executorRun) usable(idle time.Duration, now time.Time) bool {
	return e != nil && (e.tasks > 0 || now.Sub(e.lastEnd) < idle/3)
}

// heldUpdate is an update held until Recover, with the context of the
// subscription that brought it (its acknowledgement's).
type heldUpdate struct {
	ctx context.Context
	st  mesos.TaskStatus
}

// maxEarly bounds the updates held until Recover; one more is left
// unacknowledged, and its agent sends it again after its back-off.
const maxEarly = 4096

type taskInfo struct {
	attempt *engine.Attempt
	agentID string
	host    string
	dir     string // sandbox, found through the agent's /state
	state   engine.State
	ending  bool // a final update is being handled (output kept, then reported)
	// unstored: its end is reported, and the engine has not said it
	// stored it (Update.Stored): neither that update nor a copy of it
	// is acknowledged yet, lest the master forget a task whose end a
	// restarted Borges would not find.
	unstored bool
	// killed: Borges asked for the task's end; a master that did not
	// know the task then (restarted, its agent away) is asked again
	// whenever the task reports itself alive. A kill while accepting is
	// only recorded, and sent once the ACCEPT has been: sent before, it
	// would reach a master that does not know the task yet, which then
	// launches it all the same.
	killed bool
	launchState
	// unsureState is what the master last said of the task while unsure
	// (TASK_UNREACHABLE, TASK_UNKNOWN; zero: nothing yet, its ACCEPT
	// failed): told when the grace is over (unsureMessage).
	unsureState mesos.TaskState
	// fromIntent: recovered, staged from a launch intent (the engine's
	// Attempt.FromIntent), and no state known yet: the master may never
	// have been given it.
	fromIntent bool
	executor   *executorRun // the Borges executor it runs on, until the task ends (nil: its own)
	executorID string       // that executor's id
	// toldFailed is the failure the master's answer to reconciliation
	// told while the master held no final status of the task from its
	// executor or agent: the agent's own is awaited (reconciled.go).
	toldFailed *reconciledFailure
	// askingFinal: the master is being asked for the task's final status
	// after it told a failure by reconciliation (reconciledFailed).
	askingFinal bool
}

// launchState is how the launch of a task, a block's or a session's,
// stands for Borges: whether its ACCEPT is being sent, and whether the
// master has told how the task stands since.
type launchState struct {
	// accepting: the ACCEPT that launches the task is being sent; what
	// ends the task meanwhile waits for it (Backend.accepted).
	accepting bool
	// unsureSince is when the master first said it does not know how the
	// task stands (unreachable, unknown), or the ACCEPT failed; zero
	// when it knows.
	unsureSince time.Time
	// acceptFailedAt is when the ACCEPT that launches the task failed
	// (zero: it did not, or the master has since told how the task
	// stands): until goneAfterFailedAccept later its "gone" is not taken
	// as final (tooSoonGone).
	acceptFailedAt time.Time
}

// acceptEnded records that the ACCEPT of the task has been sent, at now.
// Failed (answered with an error, or its connection dropped), the task
// may or may not have been launched: it is unsure from then on, and
// reconciled until the master tells how it stands (checkUnsure).
func (l *launchState) acceptEnded(failed bool, now time.Time) {
	l.accepting = false
	if failed {
		l.markUnsure(now)
		l.acceptFailedAt = now
	}
}

// markUnsure records that the master does not know, at now, how the task
// stands; the earliest such time is kept.
func (l *launchState) markUnsure(now time.Time) {
	if l.unsureSince.IsZero() {
		l.unsureSince = now
	}
}

// known records that the master has told how the task stands.
func (l *launchState) known() {
	l.unsureSince, l.acceptFailedAt = time.Time{}, time.Time{}
}

var _ engine.Backend = (*Backend)(nil)

// New prepares the framework; Start subscribes.
func New(cfg Config) (*Backend, error) {
	if cfg.Master == "" {
		return nil, errors.New("mesos: no master")
	}
	if cfg.Name == "" {
		cfg.Name = "borges"
	}
	if cfg.User == "" {
		cfg.User = os.Getenv("USER")
		if cfg.User == "" {
			cfg.User = "root"
		}
	}
	if cfg.Role == "" {
		cfg.Role = "*"
	}
	if cfg.FailoverTimeout == 0 {
		cfg.FailoverTimeout = 7 * 24 * time.Hour
	}
	if cfg.RefuseSeconds == 0 {
		cfg.RefuseSeconds = 5
	}
	if cfg.ReconcileInterval == 0 {
		cfg.ReconcileInterval = 10 * time.Minute
	}
	if cfg.UnreachableGrace == 0 {
		cfg.UnreachableGrace = 5 * time.Minute
	}
	if cfg.UnsureInterval == 0 {
		cfg.UnsureInterval = 5 * time.Second
	}
	if cfg.ExecutorIdle == 0 {
		cfg.ExecutorIdle = executor.DefaultIdle
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	var endpoints []string
	for _, m := range strings.Split(cfg.Master, ",") {
		m = strings.TrimSpace(m)
		if m == "" {
			continue
		}
		if strings.HasPrefix(m, "zk://") {
			// Resolved to the leading master at each subscription.
			endpoints = append(endpoints, m)
			continue
		}
		if !strings.Contains(m, "://") {
			m = "http://" + m
		}
		endpoints = append(endpoints, strings.TrimRight(m, "/")+"/api/v1/scheduler")
	}
	if len(endpoints) == 0 {
		return nil, errors.New("mesos: no master")
	}
	b := &Backend{cfg: cfg, log: cfg.Logger, tasks: map[string]*taskInfo{}, agents: map[string]string{},
		executors: map[string]*executorRun{}, executorDirs: map[string]string{}, acks: make(chan struct{}, 8),
		http: &http.Client{Timeout: 10 * time.Second}}
	b.opts = []httpcli.Opt{httpcli.Codec(codecs.ByMediaType[codecs.MediaTypeProtobuf])}
	if cfg.TLS != nil {
		b.opts = append(b.opts, httpcli.Do(httpcli.With(httpcli.TLSConfig(cfg.TLS))))
		b.http.Transport = &http.Transport{TLSClientConfig: cfg.TLS}
	}
	if cfg.Principal != "" {
		p, s := cfg.Principal, cfg.Secret
		b.opts = append(b.opts, httpcli.RequestOptions(func(r *http.Request) { r.SetBasicAuth(p, s) }))
	}
	for _, ep := range endpoints {
		if strings.HasPrefix(ep, "zk://") {
			b.zk = append(b.zk, ep)
			b.callers = append(b.callers, nil)
			continue
		}
		b.zk = append(b.zk, "")
		b.callers = append(b.callers, b.newCaller(ep))
	}
	b.endpoints = endpoints
	b.caller, b.endpoint = b.callers[0], endpoints[0]
	if cfg.Store != nil {
		if id, err := cfg.Store.Meta(frameworkIDKey); err == nil {
			b.frameworkID = id
		}
	}
	return b, nil
}

// newCaller is a scheduler API client of one master. mesos-go retries a
// failed SUBSCRIBE itself, by default nine times with up to 13 s between
// tries and nothing logged; one retry is left to it (enough to follow a
// non-leader's 307), the rest is run's, which logs each failure and tries
// the next master.
func (b *Backend) newCaller(endpoint string) calls.Caller {
	return httpsched.NewCaller(httpcli.New(append([]httpcli.Opt{httpcli.Endpoint(endpoint)}, b.opts...)...),
		httpsched.MaxRedirects(1))
}

// redirectRe finds the leader in mesos-go's redirection error. mesos-go
// follows a 307 for SUBSCRIBE but keeps sending later calls to the master
// first given; Borges then moves to the leader and subscribes there.
var redirectRe = regexp.MustCompile(`sent redirect to: (\S+)`)

func (b *Backend) Name() string { return "mesos" }

// Limits are the largest offer seen so far (none before the first).
func (b *Backend) Limits() plan.Limits {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.sessionLimits(plan.Limits{Max: b.limits})
}

// Capacity: Mesos admits through offers.
func (b *Backend) Capacity() (plan.Resources, bool) { return plan.Resources{}, false }

// Start subscribes and keeps the subscription until ctx ends, reconnecting
// with backoff when the stream breaks or heartbeats stop. The updates of
// block tasks wait for Recover, which the engine calls next.
func (b *Backend) Start(ctx context.Context, sink func(engine.Update)) error {
	b.SetSink(sink)
	go b.run(ctx)
	return nil
}

func (b *Backend) run(ctx context.Context) {
	backoff := time.Second
	for ctx.Err() == nil {
		start := time.Now()
		err := b.session(ctx)
		if ctx.Err() != nil {
			return
		}
		if time.Since(start) > time.Minute {
			backoff = time.Second
		}
		var apiErr *apierrors.Error
		if errors.As(err, &apiErr) && apierrors.CodeNotAuthenticated.Matches(apiErr) {
			// Trying again cannot help: say so once, clearly.
			b.log.Error(fmt.Sprintf("the Mesos master refused the framework's credentials (principal %q); "+
				"not subscribing again: check #+mesos_principal and #+mesos_secret_file, and restart Borges", b.cfg.Principal),
				"err", err)
			return
		}
		b.log.Warn("mesos subscription ended; subscribing again", "err", err, "in", backoff)
		// The next master in the list, if several were given (after a
		// redirect the leader has taken the current one's place).
		b.mu.Lock()
		if !followed(err) {
			b.current = (b.current + 1) % len(b.callers)
		}
		if b.callers[b.current] != nil {
			b.caller, b.endpoint = b.callers[b.current], b.endpoints[b.current]
		}
		b.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 30*time.Second)
	}
}

// session is one subscription: SUBSCRIBE, then events until the stream
// ends or falls silent for three heartbeat intervals.
func (b *Backend) session(ctx context.Context) error {
	b.mu.Lock()
	info := &mesos.FrameworkInfo{User: b.cfg.User, Name: b.cfg.Name, Roles: []string{b.cfg.Role},
		Checkpoint: boolp(true), FailoverTimeout: floatp(b.cfg.FailoverTimeout.Seconds()),
		Capabilities: []mesos.FrameworkInfo_Capability{{Type: mesos.FrameworkInfo_Capability_MULTI_ROLE},
			{Type: mesos.FrameworkInfo_Capability_PARTITION_AWARE}}}
	if b.cfg.Principal != "" {
		info.Principal = &b.cfg.Principal
	}
	if b.cfg.Hostname != "" {
		info.Hostname = &b.cfg.Hostname
	}
	if b.cfg.WebUIURL != "" {
		info.WebUiURL = &b.cfg.WebUIURL
	}
	if b.frameworkID != "" {
		info.ID = &mesos.FrameworkID{Value: b.frameworkID}
	}
	b.suppressed = false
	b.subscribed = false
	b.mu.Unlock()
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	b.mu.Lock()
	b.endSession = cancel
	b.mu.Unlock()
	call := calls.Subscribe(info)
	if info.ID != nil {
		call = call.With(calls.Framework(info.ID.Value))
	}
	b.mu.Lock()
	if zkURL := b.zk[b.current]; zkURL != "" {
		// Ask ZooKeeper who leads now.
		b.mu.Unlock()
		leader, err := zkLeader(zkURL, 10*time.Second)
		if err != nil {
			return err
		}
		b.log.Info("leading master from ZooKeeper", "master", leader)
		b.mu.Lock()
		b.caller, b.endpoint = b.newCaller(leader), leader
	}
	caller := b.caller
	b.mu.Unlock()
	resp, err := caller.Call(sctx, call)
	if err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	defer resp.Close()
	events := make(chan *scheduler.Event)
	errc := make(chan error, 1)
	go func() {
		for {
			var e scheduler.Event
			if err := resp.Decode(&e); err != nil {
				errc <- err
				return
			}
			select {
			case events <- &e:
			case <-sctx.Done():
				return
			}
		}
	}()
	heartbeat := 15 * time.Second
	reconcileTick := time.NewTicker(b.cfg.ReconcileInterval)
	defer reconcileTick.Stop()
	unsureTick := time.NewTicker(b.cfg.UnsureInterval)
	defer unsureTick.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-sctx.Done():
			return context.Canceled // to follow the leader
		case err := <-errc:
			return err
		case <-time.After(3 * heartbeat):
			return errors.New("no heartbeat from the master")
		case <-reconcileTick.C:
			b.reconcileAll(sctx)
		case <-unsureTick.C:
			b.checkUnsure(sctx)
		case e := <-events:
			if e.Type == scheduler.Event_SUBSCRIBED && e.Subscribed.HeartbeatIntervalSeconds != nil {
				heartbeat = time.Duration(*e.Subscribed.HeartbeatIntervalSeconds * float64(time.Second))
			}
			if err := b.handle(sctx, e); err != nil {
				return err
			}
		}
	}
}

func boolp(v bool) *bool        { return &v }
func floatp(v float64) *float64 { return &v }

// handle applies one event.
func (b *Backend) handle(ctx context.Context, e *scheduler.Event) error {
	switch e.Type {
	case scheduler.Event_SUBSCRIBED:
		id := e.Subscribed.FrameworkID.Value
		b.mu.Lock()
		b.frameworkID = id
		b.subscribed = true
		b.mu.Unlock()
		if b.cfg.Store != nil {
			if err := b.cfg.Store.SetMeta(frameworkIDKey, id); err != nil {
				b.log.Error("storing the framework id", "err", err)
			}
		}
		b.log.Info("Framework registered with ID=" + id)
		b.resendKills(ctx)
		// What we know against what the master knows: explicit for our
		// tasks, then implicit for everything else of ours.
		b.reconcileTasks(ctx, b.knownTasks(), b.liveSessionTasks(false))
		b.reconcileAll(ctx)
		// Agents that make no offers still serve their tasks' sandboxes.
		if err := b.readAgents(ctx); err != nil {
			b.log.Warn("reading the master's agents", "err", err)
		}
	case scheduler.Event_OFFERS:
		b.offers(ctx, e.Offers.Offers)
	case scheduler.Event_UPDATE:
		b.update(ctx, e.Update.Status)
	case scheduler.Event_ERROR:
		return fmt.Errorf("master: %s", e.Error.Message)
	case scheduler.Event_FAILURE:
		if e.Failure.AgentID != nil {
			b.log.Warn("agent lost", "agent", e.Failure.AgentID.Value)
		}
	case scheduler.Event_RESCIND:
		// Offers are used or declined as they come; nothing is held.
	}
	return nil
}

// resendKills sends again, once subscribed, the kills of the tasks Borges
// asked to end that have not ended: a kill sent while there was no
// subscription never reached the master (mesos-go drops the subscription
// when a call fails, an ACCEPT's say, and refuses every call but
// SUBSCRIBE until the next one). A master that does not know the task
// answers the kill as a reconciliation (update).
func (b *Backend) resendKills(ctx context.Context) {
	kill := map[string]string{} // task id → agent id
	b.mu.Lock()
	for id, t := range b.tasks {
		if t.killed && !t.accepting && !t.state.Terminal() && !t.ending {
			kill[id] = t.agentID
		}
	}
	for id, s := range b.sessionTasks {
		if s.closing && !s.accepting && !s.ended {
			kill[id] = s.agentID
		}
	}
	b.mu.Unlock()
	for id, agentID := range kill {
		if err := b.send(ctx, calls.Kill(id, agentID)); err != nil {
			b.log.Warn("kill", "task", id, "err", err)
		}
	}
}

func (b *Backend) knownTasks() []*taskInfo {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []*taskInfo
	for _, t := range b.tasks {
		if !t.state.Terminal() {
			out = append(out, t)
		}
	}
	return out
}

func (b *Backend) send(ctx context.Context, c *scheduler.Call) error {
	b.mu.Lock()
	id := b.frameworkID
	caller := b.caller
	b.mu.Unlock()
	resp, err := caller.Call(ctx, c.With(calls.Framework(id)))
	if resp != nil {
		resp.Close()
	}
	if err != nil {
		if m := redirectRe.FindStringSubmatch(err.Error()); m != nil {
			b.mu.Lock()
			b.log.Info("following the leading master", "master", m[1])
			b.caller, b.endpoint = b.newCaller(m[1]), m[1]
			if b.zk[b.current] == "" {
				b.callers[b.current], b.endpoints[b.current] = b.caller, m[1]
			}
			end := b.endSession
			b.mu.Unlock()
			if end != nil {
				end() // subscribe again, at the leader
			}
		}
	}
	return err
}

// reconcileTasks asks the master how the tasks stand (explicit), and the
// live session tasks in sessions (task id → agent id); with no task it
// asks nothing (an empty list would be an implicit one).
func (b *Backend) reconcileTasks(ctx context.Context, tasks []*taskInfo, sessions map[string]string) {
	m := map[string]string{}
	b.mu.Lock()
	for _, t := range tasks {
		m[t.attempt.ID] = t.agentID
	}
	b.mu.Unlock()
	for id, agentID := range sessions {
		m[id] = agentID
	}
	if len(m) == 0 {
		return
	}
	if err := b.send(ctx, calls.Reconcile(calls.ReconcileTasks(m))); err != nil {
		b.log.Warn("reconcile", "err", err)
	}
}

// reconcileAll asks the master for every live task of the framework
// (implicit): those Borges does not know are then killed.
func (b *Backend) reconcileAll(ctx context.Context) {
	if err := b.send(ctx, calls.Reconcile(calls.ReconcileTasks(nil))); err != nil {
		b.log.Warn("reconcile", "err", err)
	}
}

// offers places queued attempts; what an offer does not serve is declined.
func (b *Backend) offers(ctx context.Context, offers []mesos.Offer) {
	b.mu.Lock()
	queue := append([]*engine.Attempt(nil), b.queue...)
	wants := make([]Want, len(queue))
	for i, a := range queue {
		wants[i] = b.wantLocked(a)
	}
	b.mu.Unlock()
	if b.placing != nil {
		b.placing(queue)
	}
	view := make([]Offer, len(offers))
	for i, o := range offers {
		view[i] = offerView(o)
		b.log.Info(fmt.Sprintf("[ %s ] Received Offer with cpus = %g  mem = %g", o.ID.Value, view[i].CPUs, view[i].MemMB))
		b.mu.Lock()
		if o.URL != nil {
			host := o.URL.Address.GetIP()
			if host == "" {
				host = o.URL.Address.GetHostname()
			}
			b.agents[o.AgentID.Value] = fmt.Sprintf("%s://%s:%d", o.URL.Scheme, host, o.URL.Address.Port)
		}
		b.limits.CPUs = max(b.limits.CPUs, view[i].CPUs)
		b.limits.MemMB = max(b.limits.MemMB, view[i].MemMB)
		b.limits.DiskMB = max(b.limits.DiskMB, view[i].DiskMB)
		b.mu.Unlock()
	}
	var declined []mesos.OfferID
	for _, p := range Place(wants, view) {
		o := offers[p.Offer]
		if len(p.Launches) == 0 {
			declined = append(declined, o.ID)
			continue
		}
		// Borges' executor, if a task goes there: the one running on
		// the agent, or a new one if what the offer keeps after the
		// tasks holds its own resources; else those tasks get command
		// executors, as without it.
		b.mu.Lock()
		ex := b.executors[o.AgentID.Value]
		if !ex.usable(b.cfg.ExecutorIdle, time.Now()) {
			ex = nil
			left := view[p.Offer]
			for _, l := range p.Launches {
				r := wants[l.Want].Resources
				left.CPUs, left.MemMB, left.DiskMB = left.CPUs-r.CPUs, left.MemMB-r.MemMB, left.DiskMB-r.DiskMB
			}
			if left.CPUs >= executorCPUs-1e-9 && left.MemMB >= executorMem-1e-9 && left.DiskMB >= executorDisk-1e-9 {
				ex = b.newExecutor()
			}
		}
		b.mu.Unlock()
		var infos, own []mesos.TaskInfo
		for _, l := range p.Launches {
			a := queue[l.Want]
			if b.inSession(a) {
				b.placeSessionBlock(a, o, l.Ports, ex, &own)
				continue
			}
			// Borges' executor finds the task's processes itself (its
			// cgroup, its own marker): no guard.
			onEx := b.onExecutor(a) && ex != nil
			info := b.shippedTaskInfo(a, o, l.Ports, !onEx && a.Task.Container == nil, onEx)
			t := &taskInfo{attempt: a, agentID: o.AgentID.Value, host: o.Hostname, state: engine.Staged,
				launchState: launchState{accepting: true}}
			b.mu.Lock()
			if !b.takeQueuedLocked(a.ID) {
				// Killed since the queue was read (and reported so):
				// never launched.
				b.mu.Unlock()
				continue
			}
			if onEx {
				b.executors[o.AgentID.Value] = ex
				onto(&info, ex)
				info.Labels = executorLabels(a)
				ex.tasks++
				t.executor, t.executorID = ex, ex.info.ExecutorID.Value
			}
			b.tasks[a.ID] = t
			b.mu.Unlock()
			if info.Executor != nil {
				info.Executor = nil // the group's
				own = append(own, info)
			} else {
				if _, left := taskenv.ExecStep(a.Unset); len(left) > 0 {
					b.log.Warn(taskenv.Kept(left), "attempt", a.ID)
				}
				infos = append(infos, info)
			}
		}
		if len(infos) == 0 && len(own) == 0 {
			declined = append(declined, o.ID) // all it was to serve were killed meanwhile
			continue
		}
		// The tasks of Borges' executor go as one task group: the agent
		// hands them over in one event, where it takes about a tenth of
		// a second per task launched alone.
		var ops calls.OfferOperations
		if len(infos) > 0 {
			ops = append(ops, calls.OpLaunch(infos...))
		}
		if len(own) > 0 {
			ops = append(ops, calls.OpLaunchGroup(ex.info, own...))
		}
		accept := calls.Accept(ops.WithOffers(o.ID)).
			With(calls.RefuseSeconds(time.Duration(b.cfg.RefuseSeconds * float64(time.Second))))
		launched := append(append([]mesos.TaskInfo(nil), infos...), own...)
		if b.accepting != nil {
			b.accepting(launched)
		}
		err := b.send(ctx, accept)
		if err != nil {
			b.log.Warn("accept", "err", err)
		}
		b.accepted(ctx, launched, o.AgentID.Value, err != nil)
	}
	if len(declined) > 0 {
		decline := calls.Decline(declined...).With(calls.RefuseSeconds(time.Duration(b.cfg.RefuseSeconds * float64(time.Second))))
		if err := b.send(ctx, decline); err != nil {
			b.log.Warn("decline", "err", err)
		}
	}
	b.mu.Lock()
	suppress := len(b.queue) == 0 && !b.suppressed
	if suppress {
		b.suppressed = true
	}
	b.mu.Unlock()
	if suppress {
		// Nothing waits: no more offers until something does (REVIVE).
		if err := b.send(ctx, calls.Suppress()); err != nil {
			b.log.Warn("suppress", "err", err)
		}
	}
}

func offerView(o mesos.Offer) Offer {
	v := Offer{ID: o.ID.Value, AgentID: o.AgentID.Value, Hostname: o.Hostname, Attributes: map[string]string{}}
	for _, r := range o.Resources {
		switch r.Name {
		case "cpus":
			v.CPUs += r.GetScalar().GetValue()
		case "mem":
			v.MemMB += r.GetScalar().GetValue()
		case "disk":
			v.DiskMB += r.GetScalar().GetValue()
		case "gpus":
			v.GPUs += r.GetScalar().GetValue()
		case "ports":
			for _, rg := range r.GetRanges().GetRange() {
				v.Ports = append(v.Ports, PortRange{rg.Begin, rg.End})
			}
		}
	}
	for _, a := range o.Attributes {
		switch {
		case a.Text != nil:
			v.Attributes[a.Name] = a.Text.Value
		case a.Scalar != nil:
			v.Attributes[a.Name] = strconv.FormatFloat(a.Scalar.Value, 'f', -1, 64)
		}
	}
	return v
}

// taskInfo is the Mesos task of an attempt: the program shipped inline in
// the command (a here-document the shell writes into the sandbox), so that
// agents need nothing from Borges; resources as placed; host ports as
// PORT0…PORTn; :dockerize as a Docker container (host network unless
// :network says otherwise), or the Mesos containerizer with a Docker
// image for :containerizer mesos.
func (b *Backend) taskInfo(a *engine.Attempt, o mesos.Offer, ports []uint64) mesos.TaskInfo {
	return b.shippedTaskInfo(a, o, ports, a.Task.Container == nil, false)
}

// shippedTaskInfo is taskInfo with its command shipped guarded or not,
// onto Borges' executor or not (shipScript): the one command built for
// a launch.
func (b *Backend) shippedTaskInfo(a *engine.Attempt, o mesos.Offer, ports []uint64, guard, onEx bool) mesos.TaskInfo {
	info := b.unshippedTaskInfo(a, o, ports)
	info.Command.Value = strp(shipScript(a, guard, onEx))
	return info
}

// unshippedTaskInfo is taskInfo but for its command's value, the program
// shipped: for a session's block, which its executor gets in its data.
func (b *Backend) unshippedTaskInfo(a *engine.Attempt, o mesos.Offer, ports []uint64) mesos.TaskInfo {
	scalar := func(name string, v float64) mesos.Resource {
		t := mesos.SCALAR
		return mesos.Resource{Name: name, Type: &t, Scalar: &mesos.Value_Scalar{Value: v},
			AllocationInfo: &mesos.Resource_AllocationInfo{Role: &b.cfg.Role}}
	}
	r := a.Task.Resources
	res := []mesos.Resource{scalar("cpus", r.CPUs), scalar("mem", r.MemMB)}
	if r.DiskMB > 0 {
		res = append(res, scalar("disk", r.DiskMB))
	}
	if r.GPUs > 0 {
		res = append(res, scalar("gpus", float64(r.GPUs)))
	}
	env := &mesos.Environment{}
	keys := make([]string, 0, len(a.Env))
	for k := range a.Env {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		env.Variables = append(env.Variables, mesos.Environment_Variable{Name: k, Value: strp(a.Env[k])})
	}
	if len(ports) > 0 {
		t := mesos.RANGES
		var rgs []mesos.Value_Range
		for _, p := range ports {
			rgs = append(rgs, mesos.Value_Range{Begin: p, End: p})
		}
		for _, v := range taskenv.Ports(ports) {
			env.Variables = append(env.Variables, mesos.Environment_Variable{Name: v.Name, Value: strp(v.Value)})
		}
		res = append(res, mesos.Resource{Name: "ports", Type: &t, Ranges: &mesos.Value_Ranges{Range: rgs},
			AllocationInfo: &mesos.Resource_AllocationInfo{Role: &b.cfg.Role}})
	}
	info := mesos.TaskInfo{Name: a.Block, TaskID: mesos.TaskID{Value: a.ID}, AgentID: o.AgentID, Resources: res,
		Command: &mesos.CommandInfo{Shell: boolp(true), Environment: env}}
	if c := a.Task.Container; c != nil {
		network := mesos.ContainerInfo_DockerInfo_HOST
		switch c.Network {
		case "bridge":
			network = mesos.ContainerInfo_DockerInfo_BRIDGE
		case "none":
			network = mesos.ContainerInfo_DockerInfo_NONE
		}
		if c.Kind == "mesos" {
			t := mesos.ContainerInfo_MESOS
			img := mesos.Image_DOCKER
			info.Container = &mesos.ContainerInfo{Type: &t, Mesos: &mesos.ContainerInfo_MesosInfo{
				Image: &mesos.Image{Type: &img, Docker: &mesos.Image_Docker{Name: c.Image}}}}
		} else {
			t := mesos.ContainerInfo_DOCKER
			info.Container = &mesos.ContainerInfo{Type: &t, Docker: &mesos.ContainerInfo_DockerInfo{Image: c.Image, Network: &network}}
		}
	}
	withDeadline(&info, a)
	return info
}

func strp(s string) *string { return &s }

// executorPrefix begins the id of every Borges executor.
const executorPrefix = "borges-executor-"

// onExecutor reports whether an attempt runs on Borges' executor: one is
// configured, and the task is not in a container.
func (b *Backend) onExecutor(a *engine.Attempt) bool {
	return b.cfg.Executor != "" && a.Task != nil && a.Task.Container == nil
}

// What Borges' executor asks for itself: the least Mesos takes for an
// executor that is given task groups.
const (
	executorCPUs = 0.01
	executorMem  = 32.0
	executorDisk = 16.0
)

// newExecutor is the ExecutorInfo of a new Borges executor: the borges
// binary at the configured path, told by its environment to serve as the
// executor, with a fresh id, and the least resources Mesos accepts for an
// executor given task groups.
func (b *Backend) newExecutor() *executorRun {
	scalar := func(name string, v float64) mesos.Resource {
		t := mesos.SCALAR
		return mesos.Resource{Name: name, Type: &t, Scalar: &mesos.Value_Scalar{Value: v},
			AllocationInfo: &mesos.Resource_AllocationInfo{Role: &b.cfg.Role}}
	}
	var buf [6]byte
	rand.Read(buf[:])
	id := executorPrefix + hex.EncodeToString(buf[:])
	typ := mesos.ExecutorInfo_CUSTOM
	env := &mesos.Environment{Variables: []mesos.Environment_Variable{
		{Name: executor.EnvMarker, Value: strp("1")},
		{Name: executor.EnvIdle, Value: strp(b.cfg.ExecutorIdle.String())}}}
	info := mesos.ExecutorInfo{Type: typ, ExecutorID: mesos.ExecutorID{Value: id}, Name: strp("Borges executor"),
		Source: strp("borges"),
		Command: &mesos.CommandInfo{Shell: boolp(false), Value: strp(b.cfg.Executor),
			Arguments: []string{b.cfg.Executor, "mesos-executor"}, Environment: env},
		Resources: []mesos.Resource{scalar("cpus", executorCPUs), scalar("mem", executorMem), scalar("disk", executorDisk)}}
	if b.frameworkID != "" {
		info.FrameworkID = &mesos.FrameworkID{Value: b.frameworkID}
	}
	return &executorRun{info: info}
}

// onto makes a task run on a Borges executor: Mesos takes a command or
// an executor, so the command travels in the task's data.
func onto(info *mesos.TaskInfo, ex *executorRun) {
	data, err := info.Command.Marshal()
	if err != nil {
		// A CommandInfo Borges built always marshals.
		return
	}
	e := ex.info
	info.Executor = &e
	info.Command = nil
	info.Data = data
}

// executorLabels tell Borges' executor the block's :pids, which it
// writes into the task's pids.max (Mesos has no resource for it), the
// variables the document's Emacs removed (executor.UnsetLabel), which it
// leaves out of the agent's environment whatever their names, and its
// :dir (executor.WorkDirLabel), which it opens for the shell to enter.
func executorLabels(a *engine.Attempt) *mesos.Labels {
	var labels []mesos.Label
	if a.Task != nil && a.Task.Resources.Pids > 0 {
		n := strconv.Itoa(a.Task.Resources.Pids)
		labels = append(labels, mesos.Label{Key: executor.PidsLabel, Value: &n})
	}
	if l, ok := executor.UnsetLabelOf(a.Unset); ok {
		labels = append(labels, l)
	}
	if a.Task != nil && a.Task.Dir != "" {
		labels = append(labels, mesos.Label{Key: executor.WorkDirLabel, Value: strp(a.Task.Dir)})
	}
	if len(labels) == 0 {
		return nil
	}
	return &mesos.Labels{Labels: labels}
}

// released gives a task's place on its Borges executor back, once; a
// task ended by anything but the executor (the agent, the master) may
// have ended with it: no more tasks go there.
func (b *Backend) releasedLocked(t *taskInfo, st *mesos.TaskStatus) {
	ex := t.executor
	if ex == nil {
		return
	}
	t.executor = nil
	ex.tasks--
	ex.lastEnd = time.Now()
	if st == nil || st.GetSource() != mesos.SOURCE_EXECUTOR {
		ex.lastEnd = time.Time{}
	}
}

// shipScript is the shell command that writes the program into the
// sandbox and runs it with its interpreter. The here-document's delimiter
// is random, so no line of the program can end it. With guard, the
// program runs marked, under a guard that kills whatever it left once it
// has ended (guard.go): for command executors outside containers. The
// interpreter runs without the variables the document's Emacs removed
// (taskenv.ExecStep), which the agent's environment or the image may give.
// onEx, for Borges' executor, enters the :dir the executor opened
// (executor.WorkDirStep, executorLabels) rather than make it by its path.
func shipScript(a *engine.Attempt, guard, onEx bool) string {
	// The files Babel wrote for earlier blocks that it reads
	// (engine.Attempt.Files), checked at Launch.
	place, _ := placeStep(a)
	return shipPlaced(a, guard, onEx, place)
}

// placeStep is engine.PlaceStep for a's files, made once for a launch
// (a variable: the tests count the steps made for each attempt).
var placeStep = func(a *engine.Attempt) (string, error) {
	return engine.PlaceStep(a.Files)
}

// shipPlaced is shipScript with place, engine.PlaceStep's step for
// a.Files, made already.
func shipPlaced(a *engine.Attempt, guard, onEx bool, place string) string {
	var buf [8]byte
	rand.Read(buf[:])
	eof := "BORGES_" + strings.ToUpper(hex.EncodeToString(buf[:]))
	script := a.Script
	if !strings.HasSuffix(script, "\n") {
		script += "\n"
	}
	run := "./borges-script"
	cd := ""
	if a.Task.Dir != "" {
		// Its :dir, as the local and Kubernetes backends take it.
		run = `"$BORGES_SANDBOX"/borges-script`
		cd = engine.ShellWorkDirStep(`"$BORGES_SANDBOX"`, a.Task, a.Unset)
		if onEx {
			// Opened by the executor as the local backend opens it:
			// no link a task left in the sandbox followed, nothing
			// made in the executor's own files.
			cd = executor.WorkDirStep
		}
	}
	if len(a.Task.Interpreter) > 0 {
		run = strings.Join(quoteAll(a.Task.Interpreter), " ") + " " + run
	}
	if len(a.Task.CmdLine) > 0 {
		run += " " + strings.Join(quoteAll(a.Task.CmdLine), " ")
	}
	prefix := ""
	if guard {
		prefix = guardPrefix()
	}
	last := "exec " + run
	if len(a.Unset) > 0 {
		// Without what the document's Emacs removed, which the agent's
		// environment or the image may give.
		step, _ := taskenv.ExecStep(a.Unset)
		last = "set -- " + run + "\n" + step
	}
	return "cat > borges-script <<'" + eof + "'\n" + script + eof + "\nchmod 700 borges-script\n" + place +
		"export BORGES_SANDBOX=\"$PWD\" BORGES_VALUE_FILE=\"$PWD/value\"\n" + cd + prefix + last
}

func quoteAll(args []string) []string {
	out := make([]string, len(args))
	for i, s := range args {
		out[i] = engine.ShellQuote(s)
	}
	return out
}

// exitRe finds the exit status in a failed task's status message: the
// executor's own words, the whole message (Mesos' command executor's and
// Borges' executor's "Command exited with status N", its Docker
// executor's "Container …"), as signalRe: never words a message carries
// after Borges' own, out of a program's output or an error ("Emacs Lisp
// error: …", "Failed to launch: …").
var exitRe = regexp.MustCompile(`^(?:Command|Container) exited with status (\d{1,3})$`)

// update maps a Mesos status onto Borges' states and acknowledges it. An
// ended task's output is kept before its end is reported, so that its
// results can be read whatever the agent does with the sandbox. A task
// that reports itself alive for an attempt Borges has ended (or has no
// attempt for) is killed: after a master failover or a partition the
// attempt may have been run again meanwhile. Until Recover has told
// which attempts are Borges', a block task's update is held, neither
// handled nor acknowledged (Backend.early).
func (b *Backend) update(ctx context.Context, st mesos.TaskStatus) {
	if b.sessionUpdate(ctx, st) {
		return
	}
	b.mu.Lock()
	if b.recovered && !b.replaying {
		b.mu.Unlock()
		b.taskUpdate(ctx, st)
		return
	}
	held := len(b.early) < maxEarly
	if held {
		// Held without its data, which taskUpdate never reads (the
		// Docker executor's is docker inspect's JSON, several KB).
		st.Data = nil
		b.early = append(b.early, heldUpdate{ctx: ctx, st: st})
	} else {
		b.earlyLeft++
	}
	first := !held && b.earlyLeft == 1
	b.mu.Unlock()
	if first {
		// Once, not per update: a master answering a reconciliation
		// for thousands of tasks would flood the log.
		b.log.Warn("too many updates before the attempts are recovered: the others are left unacknowledged until then",
			"held", maxEarly, "task", st.TaskID.Value, "state", st.GetState())
	}
}

// replayEarly handles the updates held until Recover (Backend.early),
// and those that come meanwhile, in order; then updates are handled as
// they come.
func (b *Backend) replayEarly() {
	for {
		b.mu.Lock()
		early := b.early
		b.early = nil
		if len(early) == 0 {
			b.replaying = false
			left := b.earlyLeft
			b.earlyLeft = 0
			b.mu.Unlock()
			if left > 0 {
				// An update is sent again until acknowledged; an answer
				// to a reconciliation is not, but Recover reconciles
				// the attempts it was told anew.
				b.log.Warn("updates left unacknowledged before the attempts were recovered: the master sends them again, and reconciliation asks for the rest",
					"left", left)
			}
			return
		}
		b.mu.Unlock()
		for _, h := range early {
			if h.ctx.Err() != nil {
				// Its subscription has ended (a master failover while
				// the engine read its store): its output could not be
				// kept nor its failure read with it. Never acknowledged,
				// it is sent again on the new subscription.
				continue
			}
			b.taskUpdate(h.ctx, h.st)
		}
	}
}

// taskUpdate is update for a block task's status, once Recover has told
// which attempts are Borges'.
func (b *Backend) taskUpdate(ctx context.Context, st mesos.TaskStatus) {
	id := st.TaskID.Value
	state := st.GetState()
	agentID := ""
	if st.AgentID != nil {
		agentID = st.AgentID.Value
	}
	// Acknowledgements go out beside the event loop (a few at a time):
	// a hundred tasks starting together are not acknowledged one round
	// trip after the other. A task's next update waits for its own.
	ack := func() { b.ackLater(ctx, st) }
	b.mu.Lock()
	t := b.tasks[id]
	if t == nil || t.state.Terminal() || t.ending {
		ended := t != nil && t.state.Terminal()
		ending := t != nil && t.ending
		unstored := t != nil && t.unstored
		b.mu.Unlock()
		if alive(state) && (ended || t == nil) {
			b.log.Warn("killing a task that runs for an attempt Borges has ended", "task", id, "state", state)
			if err := b.send(ctx, calls.Kill(id, agentID)); err != nil {
				b.log.Warn("kill", "task", id, "err", err)
			}
		} else if t == nil {
			b.log.Debug("update for a task we do not know", "task", id, "state", state)
		}
		if !ending && !unstored {
			ack()
		}
		return
	}
	if agentID != "" {
		t.agentID = agentID
	}
	if e := st.GetExecutorID().GetValue(); t.executorID == "" && strings.HasPrefix(e, executorPrefix) {
		t.executorID = e // a task launched by an earlier Borges
	}
	if t.killed && alive(state) {
		// Asked again, outside the lock.
		go func() {
			if err := b.send(ctx, calls.Kill(id, agentID)); err != nil {
				b.log.Warn("kill", "task", id, "err", err)
			}
		}()
	}
	if unsure(state) && !(state == mesos.TASK_UNKNOWN && t.fromIntent) || b.tooSoonGone(t.acceptFailedAt, t.killed, state) {
		// Not final: the agent may come back (or re-register with a new
		// master) with the task running. Reconciled again until it is
		// known, given up after UnreachableGrace.
		t.markUnsure(time.Now())
		if unsure(state) {
			t.unsureState = state
		}
		b.mu.Unlock()
		b.log.Warn("task state unknown for now", "task", id, "state", state, "message", st.GetMessage())
		ack()
		return
	}
	acceptFailedAt := t.acceptFailedAt // known() clears it
	acceptFailed := !acceptFailedAt.IsZero()
	t.known()
	t.unsureState = 0
	t.fromIntent = false
	u := engine.Update{AttemptID: id, Message: st.GetMessage(), Host: t.host}
	killedGone := false // killed, then gone without its own end: no output to keep
	switch state {
	case mesos.TASK_STAGING, mesos.TASK_STARTING:
		u.State = engine.Staged
	case mesos.TASK_RUNNING, mesos.TASK_KILLING:
		u.State = engine.Running
	case mesos.TASK_FINISHED:
		u.State = engine.Finished
		zero := 0
		u.ExitCode = &zero
	case mesos.TASK_FAILED, mesos.TASK_ERROR:
		u.State = engine.Failed
		u.Message, u.ExitCode, u.TimedOut = failure(st, t.attempt)
	case mesos.TASK_KILLED:
		u.State = engine.Killed
		if !t.killed && st.GetReason() == mesos.REASON_TASK_KILLED_DURING_LAUNCH {
			// Not asked by Borges: the agent killed it with its task
			// group, another task of which was killed before the
			// executor had them. It is run again.
			u.State = engine.Lost
		}
	default: // LOST, DROPPED, GONE, GONE_BY_OPERATOR; UNKNOWN of an attempt staged from an intent (it may never have been launched)
		u.State = engine.Lost
		if u.Message == "" {
			u.Message = state.String()
		}
		if acceptFailed && !t.killed && reconciled(st) && (state == mesos.TASK_GONE || state == mesos.TASK_LOST) {
			// The master still does not know the task of an ACCEPT that
			// failed, well after (tooSoonGone): it never had the ACCEPT,
			// or refused it. Said so, with the time that really passed
			// (at least tooSoonGone's, more if the subscription was
			// down), rather than the master's bare answer. Not for a
			// task killed on request: it need not wait (tooSoonGone),
			// and killedGoneMessage says what happened.
			u.Message = fmt.Sprintf("never launched: its ACCEPT failed, and %s later the master does not know the task (%s: %s)",
				time.Since(acceptFailedAt).Round(time.Second), state, u.Message)
		}
		if t.killed {
			// Borges asked for its end, and it has none to run again:
			// its ACCEPT failed (a kill meanwhile waits for the ACCEPT),
			// or its agent went. Killed, as asked.
			u.State, killedGone = engine.Killed, true
			u.Message = killedGoneMessage(state, u.Message)
		}
	}
	if u.State == engine.Staged && t.state == engine.Running {
		// Not reported: a reconciliation answer and a re-sent update may
		// cross, and going back to Staged would restart the attempt's
		// "running since" (and could count a long run as a quick exit).
		// The master knows the task all the same (known, above).
		b.mu.Unlock()
		b.log.Debug("update behind the running state reported", "task", id, "state", state)
		ack()
		return
	}
	if u.State == engine.Failed && reconciled(st) {
		// Ended (or not yet) once the master's statuses of the task are
		// read, one read at a time. Its agent's updates are taken
		// meanwhile: held back unacknowledged, they would wait for the
		// agent's next resend, up to ten minutes later.
		if !t.askingFinal {
			t.askingFinal = true
			go b.reconciledFailed(ctx, t, u, st, true)
		}
		b.mu.Unlock()
		return
	}
	if u.State.Terminal() {
		b.releasedLocked(t, &st)
	}
	if (u.State == engine.Finished || u.State == engine.Failed || u.State == engine.Killed) && !killedGone {
		t.ending = true
		b.mu.Unlock()
		go b.end(ctx, t, u, ack)
		return
	}
	t.state = u.State
	if u.State.Terminal() {
		// Lost, or killed and gone: acknowledged once stored.
		t.unstored = true
		u.Stored = b.storedAck(t, ack)
		b.mu.Unlock()
		b.Emit(u)
		return
	}
	b.mu.Unlock()
	b.Emit(u)
	ack()
}

// storedAck is an ended task's Update.Stored: its update is acknowledged
// once the engine has stored the end (the master then forgets the task).
func (b *Backend) storedAck(t *taskInfo, ack func()) func() {
	return func() {
		b.mu.Lock()
		t.unstored = false
		b.mu.Unlock()
		ack()
	}
}

// killedGoneMessage is the message of a task Borges killed that the
// master then reported gone (or never heard of) rather than killed.
func killedGoneMessage(state mesos.TaskState, message string) string {
	if message == state.String() {
		return "killed on request (" + message + ")"
	}
	return "killed on request (" + state.String() + ": " + message + ")"
}

// end reports a task's end (its ending set) once its output is kept, and
// acknowledges the update that told it once the engine has stored the end
// (Update.Stored).
func (b *Backend) end(ctx context.Context, t *taskInfo, u engine.Update, ack func()) {
	if err := b.keepOutput(ctx, t.attempt); err != nil {
		b.log.Warn("keeping the output of an ended task", "task", u.AttemptID, "err", err)
	}
	b.mu.Lock()
	t.state, t.ending = u.State, false
	t.toldFailed = nil
	t.unstored = true
	b.mu.Unlock()
	u.Stored = b.storedAck(t, ack)
	b.Emit(u)
}

// ackLater acknowledges an update beside the event loop.
func (b *Backend) ackLater(ctx context.Context, st mesos.TaskStatus) {
	if st.UUID == nil || st.AgentID == nil {
		return
	}
	agentID, id := st.AgentID.Value, st.TaskID.Value
	if b.acking != nil {
		b.acking(st)
	}
	go func() {
		b.acks <- struct{}{}
		defer func() { <-b.acks }()
		if err := b.send(ctx, calls.Acknowledge(agentID, id, st.UUID)); err != nil {
			b.log.Warn("acknowledge", "task", id, "err", err)
		}
	}()
}

// alive reports whether a task in state s runs, or is about to.
func alive(s mesos.TaskState) bool {
	switch s {
	case mesos.TASK_STAGING, mesos.TASK_STARTING, mesos.TASK_RUNNING, mesos.TASK_KILLING:
		return true
	}
	return false
}

// unsure reports whether s says the master does not know how the task
// stands for now (a partition-aware framework's unreachable or unknown):
// not a final state.
func unsure(s mesos.TaskState) bool {
	return s == mesos.TASK_UNREACHABLE || s == mesos.TASK_UNKNOWN
}

// goneAfterFailedAccept is, in reconciliation rounds (UnsureInterval),
// how long after its ACCEPT failed a task the master says it does not
// know is taken as gone.
const goneAfterFailedAccept = 2

// tooSoonGone reports whether state, the master's answer for a task whose
// ACCEPT failed at failedAt (zero: none failed), comes too soon after to
// be final: a master that answers reconciliation for a task it does not
// know yet (TASK_GONE, or TASK_LOST) while it has an ACCEPT of it still
// to carry out would then start the task, and the attempt, taken as lost,
// would run again beside it. Mesos 1.12 does not: it carries an ACCEPT
// out as it takes it in, the tasks known from then on, and refuses one
// that arrives after the subscription mesos-go renews on the failure (its
// stream id is stale), so its "gone" is final (mesostest.LateAccepts);
// the wait costs such an attempt two rounds before it runs again, and
// keeps it from running twice on a master that is slower. A task Borges
// killed is taken as ended at once: it is not run again, and should it
// start it is killed.
func (b *Backend) tooSoonGone(failedAt time.Time, killed bool, state mesos.TaskState) bool {
	return !failedAt.IsZero() && !killed && (state == mesos.TASK_GONE || state == mesos.TASK_LOST) &&
		time.Since(failedAt) < goneAfterFailedAccept*b.cfg.UnsureInterval
}

// unsureMessage says how a task stood for grace, unsure, as the master
// last said (zero state: it said nothing that placed the task).
func unsureMessage(state mesos.TaskState, grace time.Duration) string {
	if state == mesos.TASK_UNREACHABLE {
		return fmt.Sprintf("unreachable for %s", grace)
	}
	return fmt.Sprintf("unknown to the master for %s", grace)
}

// checkUnsure reconciles the tasks whose state is unknown for now and
// reports lost those unknown for longer than UnreachableGrace (to be run
// again; should one come back, it is killed); it ends those the master
// said failed UnreachableGrace ago without its agent telling why since.
func (b *Backend) checkUnsure(ctx context.Context) {
	var ask []*taskInfo
	var lost []engine.Update
	var failed []*taskInfo
	var told []reconciledFailure
	b.mu.Lock()
	for _, t := range b.tasks {
		if f := t.toldFailed; f != nil && !t.state.Terminal() && !t.ending && !t.askingFinal && time.Since(f.since) >= b.cfg.UnreachableGrace {
			t.askingFinal = true
			failed, told = append(failed, t), append(told, *f)
			continue
		}
		if t.unsureSince.IsZero() || t.state.Terminal() || t.ending {
			continue
		}
		if time.Since(t.unsureSince) >= b.cfg.UnreachableGrace {
			b.releasedLocked(t, nil)
			u := engine.Update{AttemptID: t.attempt.ID, State: engine.Lost, Host: t.host,
				Message: unsureMessage(t.unsureState, b.cfg.UnreachableGrace)}
			if t.killed {
				// Killed as asked, though the kill was not confirmed
				// (an unreachable task may still run on its agent):
				// should it come back, it is killed again (update).
				u.State, u.Message = engine.Killed, "kill not confirmed: "+u.Message
			}
			t.state = u.State
			t.unsureSince = time.Time{}
			lost = append(lost, u)
			continue
		}
		ask = append(ask, t)
	}
	b.mu.Unlock()
	for _, u := range lost {
		b.Emit(u)
	}
	for i, t := range failed {
		go b.reconciledFailed(ctx, t, told[i].update, told[i].status, false)
	}
	b.checkUnsureSessions()
	b.reconcileTasks(ctx, ask, b.liveSessionTasks(true))
}

// Launch queues an attempt for the next offers.
func (b *Backend) Launch(ctx context.Context, a *engine.Attempt) error {
	place, err := placeStep(a)
	if err != nil {
		return fmt.Errorf("attempt %s: %w", a.ID, err)
	}
	if len(a.Files) > 0 {
		// The files travel with the program in the one command the
		// agent's shell takes (the longer, guarded one bounds both).
		if err := engine.FitsShellArg(shipPlaced(a, true, false, place)); err != nil {
			return fmt.Errorf("attempt %s: %w", a.ID, err)
		}
	}
	if b.sessionLaunchLost(a) {
		return nil
	}
	b.mu.Lock()
	b.queue = enqueue(b.queue, a)
	revive := b.suppressed
	b.suppressed = false
	b.mu.Unlock()
	if revive {
		if err := b.send(ctx, calls.Revive()); err != nil {
			b.log.Warn("revive", "err", err)
		}
	}
	return nil
}

// enqueue adds an attempt to the queue in document order: before the
// first queued attempt of its document that comes later in it (line, then
// instance). The engine launches side by side, so attempts may arrive out
// of order; first fit then still places them as the document lists them.
// Documents keep their order of arrival.
func enqueue(queue []*engine.Attempt, a *engine.Attempt) []*engine.Attempt {
	before := func(x, y *engine.Attempt) bool {
		if x.Task == nil || y.Task == nil || x.Task.Line != y.Task.Line {
			return x.Task != nil && y.Task != nil && x.Task.Line < y.Task.Line
		}
		return x.Instance < y.Instance
	}
	for i, q := range queue {
		if q.DocID == a.DocID && before(a, q) {
			return append(queue[:i], append([]*engine.Attempt{a}, queue[i:]...)...)
		}
	}
	return append(queue, a)
}

// takeQueuedLocked takes an attempt off the queue as it is launched (or
// lost); it reports false when the attempt is no longer there: killed, or
// lost with its session, since offers read the queue. The caller holds
// b.mu.
func (b *Backend) takeQueuedLocked(id string) bool {
	for i, a := range b.queue {
		if a.ID == id {
			b.queue = append(b.queue[:i:i], b.queue[i+1:]...)
			return true
		}
	}
	return false
}

// Kill kills a task, or drops an attempt still waiting for an offer. The
// kill of a task whose ACCEPT is being sent is sent after it (accepted).
func (b *Backend) Kill(ctx context.Context, id string) error {
	b.mu.Lock()
	if b.takeQueuedLocked(id) {
		b.mu.Unlock()
		b.Emit(engine.Update{AttemptID: id, State: engine.Killed, Message: "killed before it was launched"})
		return nil
	}
	t := b.tasks[id]
	var agentID string
	accepting := false
	if t != nil {
		t.killed = true
		agentID, accepting = t.agentID, t.accepting
	}
	b.mu.Unlock()
	if t == nil || accepting {
		return nil
	}
	return b.send(ctx, calls.Kill(id, agentID))
}

// accepted follows the ACCEPT of tasks onto an agent: the kills asked for
// while it was being sent (of block tasks, Kill; of session tasks,
// CloseSession) go now, after it, so that the master knows the tasks: it
// kills them before they are delivered, or the agent or executor does.
// Should the ACCEPT have failed (failed: answered with an error, or its
// connection dropped, when the master may still have launched the tasks),
// the master answers a kill as a reconciliation, which tells how the task
// stands (a task it does not know is gone: a killed one ends killed,
// update); and the block tasks of that ACCEPT are reconciled until the
// master tells how they stand, as tasks it may not know (checkUnsure).
func (b *Backend) accepted(ctx context.Context, tasks []mesos.TaskInfo, agentID string, failed bool) {
	var kill []string
	now := time.Now()
	b.mu.Lock()
	for _, ti := range tasks {
		id := ti.TaskID.Value
		// A session's task is reconciled like a block's (checkUnsure):
		// a session the master never launched ends, rather than take
		// the session's next blocks.
		if t := b.tasks[id]; t != nil && t.accepting {
			t.acceptEnded(failed, now)
			if t.killed {
				kill = append(kill, id)
			}
		} else if s := b.sessionTasks[id]; s != nil && s.accepting {
			s.acceptEnded(failed, now)
			if s.closing {
				kill = append(kill, id)
			}
		}
	}
	b.mu.Unlock()
	for _, id := range kill {
		if err := b.send(ctx, calls.Kill(id, agentID)); err != nil {
			b.log.Warn("kill", "task", id, "err", err)
		}
	}
}

// Recover remembers the attempts a previous Borges launched; the
// reconciliation at subscription tells how each stands. The updates that
// came before are handled now (Backend.early).
func (b *Backend) Recover(ctx context.Context, attempts []*engine.Attempt) error {
	b.mu.Lock()
	for _, a := range attempts {
		b.tasks[a.ID] = &taskInfo{attempt: a, state: engine.Running, fromIntent: a.FromIntent}
	}
	b.recovered, b.replaying = true, true
	subscribed := b.subscribed
	b.mu.Unlock()
	b.replayEarly()
	if subscribed {
		// Subscribed before the attempts were known: ask for them now.
		b.reconcileTasks(ctx, b.knownTasks(), b.liveSessionTasks(false))
	}
	return nil
}

// ReadLog reads a task's stream: an ended task's from the output Borges
// kept, else from its agent's files API.
func (b *Backend) ReadLog(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	if !engine.SandboxPath(stream) {
		return nil, 0, fmt.Errorf("no stream %q (stdout, stderr, or a file of the sandbox)", stream)
	}
	if data, size, ok, err := b.readKept(id, stream, offset, max); ok || err != nil {
		return data, size, err
	}
	return b.readAgent(ctx, id, stream, offset, max)
}

// readAgent reads a stream of a task's sandbox through its agent's files API.
func (b *Backend) readAgent(ctx context.Context, id, stream string, offset int64, max int) ([]byte, int64, error) {
	dir, agent, err := b.sandbox(ctx, id)
	if err != nil || dir == "" {
		return nil, 0, err
	}
	read := func(off int64, length int) (string, int64, error) {
		q := url.Values{"path": {dir + "/" + stream}, "offset": {strconv.FormatInt(off, 10)}}
		if length >= 0 {
			q.Set("length", strconv.Itoa(length))
		}
		req, _ := http.NewRequestWithContext(ctx, "GET", agent+"/files/read?"+q.Encode(), nil)
		resp, err := b.http.Do(req)
		if err != nil {
			return "", 0, err
		}
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusNotFound {
			return "", 0, nil
		}
		if resp.StatusCode != http.StatusOK {
			// As 400 "inaccessible" for a link the task left that
			// leads out of its executor's directory.
			msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			return "", 0, fmt.Errorf("agent files API refused reading %s: %s: %s", stream, resp.Status, strings.TrimSpace(string(msg)))
		}
		var out struct {
			Data   string `json:"data"`
			Offset int64  `json:"offset"`
		}
		// What is read is bounded by what was asked for (JSON escapes
		// take at most six bytes a byte); a size is asked with no data.
		limit := int64(4096)
		if length > 0 {
			limit += 6 * int64(length)
		}
		body := io.LimitReader(resp.Body, limit)
		if err := json.NewDecoder(body).Decode(&out); err != nil {
			return "", 0, fmt.Errorf("agent files API: %w", err)
		}
		if length >= 0 && len(out.Data) > length {
			out.Data = out.Data[:length]
		}
		return out.Data, out.Offset, nil
	}
	_, size, err := read(-1, -1)
	if err != nil {
		return nil, 0, err
	}
	if offset >= size {
		return nil, size, nil
	}
	data, _, err := read(offset, max)
	return []byte(data), size, err
}

// sandbox finds a task's directory through its agent's /state: among the
// executors of the framework, live or completed, the framework itself live
// or completed (an agent moves a framework with no live executor there).
func (b *Backend) sandbox(ctx context.Context, id string) (string, string, error) {
	b.mu.Lock()
	t := b.tasks[id]
	fw := b.frameworkID
	var agentID, dir string
	if t != nil {
		agentID, dir = t.agentID, t.dir
		if exDir := b.executorDirs[t.executorID]; dir == "" && exDir != "" {
			dir = exDir + "/" + executor.TasksDir + "/" + id
			t.dir = dir
		}
	}
	b.mu.Unlock()
	if t == nil {
		return "", "", nil
	}
	agent := b.agentURL(ctx, agentID)
	if agent == "" {
		return "", "", nil
	}
	if dir != "" {
		return dir, agent, nil
	}
	req, _ := http.NewRequestWithContext(ctx, "GET", agent+"/state", nil)
	resp, err := b.http.Do(req)
	if err != nil {
		return "", "", err
	}
	defer resp.Body.Close()
	type task struct {
		ID string `json:"id"`
	}
	type executorState struct {
		ID             string `json:"id"`
		Directory      string `json:"directory"`
		Tasks          []task `json:"tasks"`
		QueuedTasks    []task `json:"queued_tasks"`
		CompletedTasks []task `json:"completed_tasks"`
	}
	type framework struct {
		ID                 string          `json:"id"`
		Executors          []executorState `json:"executors"`
		CompletedExecutors []executorState `json:"completed_executors"`
	}
	var state struct {
		Frameworks          []framework `json:"frameworks"`
		CompletedFrameworks []framework `json:"completed_frameworks"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&state); err != nil {
		return "", "", fmt.Errorf("agent state: %w", err)
	}
	for _, f := range append(state.Frameworks, state.CompletedFrameworks...) {
		if f.ID != fw {
			continue
		}
		b.mu.Lock()
		for _, e := range append(f.Executors, f.CompletedExecutors...) {
			if strings.HasPrefix(e.ID, executorPrefix) {
				b.executorDirs[e.ID] = e.Directory
			}
		}
		b.mu.Unlock()
		for _, e := range append(f.Executors, f.CompletedExecutors...) {
			dir := ""
			if e.ID == id {
				dir = e.Directory // the task's own (command) executor
			} else if strings.HasPrefix(e.ID, executorPrefix) {
				// A Borges executor: the task's directory in its sandbox.
				for _, et := range append(append(e.Tasks, e.QueuedTasks...), e.CompletedTasks...) {
					if et.ID == id {
						dir = e.Directory + "/" + executor.TasksDir + "/" + id
						break
					}
				}
			}
			if dir != "" {
				b.mu.Lock()
				t.dir = dir
				b.mu.Unlock()
				return dir, agent, nil
			}
		}
	}
	return "", agent, nil
}

// followed reports whether a session ended to follow the leader.
func followed(err error) bool { return errors.Is(err, context.Canceled) }
