// Package mesostest is a fake Mesos master with agents, for testing Borges'
// Mesos framework without Mesos. It speaks the v1 scheduler HTTP API as a
// Mesos 1.12 master does — protobuf (as mesos-go sends it) or JSON,
// RecordIO-framed events on the subscription stream, Mesos-Stream-Id, 307
// redirects from a non-leader, heartbeats, the same error texts — and
// enforces what Mesos enforces: calls carry the framework id and stream id,
// launched resources must come from the accepted offers. Launched commands
// run as real local processes in per-task sandboxes, which each agent
// serves through the files API. The shapes are those of the transcripts in
// testdata/, recorded from a real master and agent.
package mesostest

import (
	"bytes"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"

	"github.com/wallyqs/borges/internal/proctest"
)

// AgentSpec describes one fake agent.
type AgentSpec struct {
	Hostname   string
	CPUs       float64
	MemMB      float64
	DiskMB     float64
	GPUs       float64
	Ports      [][2]uint64 // port ranges
	Attributes map[string]string
	// Docker gives the agent the Docker containerizer (docker.go), run
	// on the machine's Docker engine; without it a task with a
	// ContainerInfo fails to launch, as on an agent started with
	// --containerizers=mesos and no image provisioner.
	Docker bool
}

// Options configure a Master.
type Options struct {
	Agents            []AgentSpec
	HeartbeatInterval time.Duration // default 15s, as the real master
	// ResendInterval is how long an agent waits for an acknowledgement
	// before sending a status update again (default 10s).
	ResendInterval time.Duration
	// Principal and Secret, when set, are required as HTTP basic auth.
	Principal, Secret string
	// OfferRefuse is the default refuse time for declined offers (5s).
	OfferRefuse time.Duration
	// TLS serves the master and the agents over https (see CertPool).
	TLS bool
}

// Master is a fake Mesos master.
type Master struct {
	opt    Options
	srv    *httptest.Server
	id     string // the master's cluster-wide prefix ("<uuid>"), as in ids
	mu     sync.Mutex
	leader *Master // when set, this master is not the leader: 307 to it

	agents     []*agent
	frameworks map[string]*framework
	offers     map[string]*offer
	tasks      map[string]*task
	nextFW     int
	nextOffer  int

	calls []RecordedCall
	stop  chan struct{}
	// rescindNext makes the next ACCEPTs find their offers rescinded.
	rescindNext int
	silent      bool // no heartbeats
	failUpdates int  // executor UPDATEs to refuse (FailExecutorUpdates)
	loseAcks    bool // acknowledgements never reach the agents (LoseAcknowledgements)
	// failAccepts makes the next ACCEPTs fail (FailAccepts); carried
	// out or not.
	failAccepts        int
	failAcceptsCarried bool
	// lateAccepts makes the next ACCEPTs reach the master late
	// (LateAccepts), ahead of the framework's next SUBSCRIBE or after
	// it; late are those on their way, lateRefused how many of them the
	// master refused.
	lateAccepts   int
	lateBeforeSub bool
	late          []lateAccept
	lateRefused   int
	// holding keeps the agents' status updates from the frameworks
	// (HoldUpdates); held are the tasks whose oldest update waits.
	holding bool
	held    []*task
}

// HoldUpdates keeps the status updates of every task with its agent, as
// from executors still starting, until ReleaseUpdates: the master carries
// out the calls it is sent meanwhile (a KILL kills) without the framework
// hearing of any task's state.
func (m *Master) HoldUpdates() {
	m.mu.Lock()
	m.holding = true
	m.mu.Unlock()
}

// ReleaseUpdates sends the updates held since HoldUpdates, each task's in
// order, and no longer holds any.
func (m *Master) ReleaseUpdates() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.holding = false
	held := m.held
	m.held = nil
	for _, t := range held {
		if f := m.frameworks[t.framework]; f != nil {
			m.deliverLocked(f, t)
		}
	}
}

// StopHeartbeats makes the master go silent on its streams without
// closing them, as a master behind a dead network path.
func (m *Master) StopHeartbeats() {
	m.mu.Lock()
	m.silent = true
	m.mu.Unlock()
}

// RescindBeforeAccept makes the master rescind the offers of the next n
// ACCEPT calls just before they arrive, as when an offer is rescinded
// while the framework decides: RESCIND, then the launch is refused.
func (m *Master) RescindBeforeAccept(n int) {
	m.mu.Lock()
	m.rescindNext = n
	m.mu.Unlock()
}

// FailAccepts makes the next n ACCEPT calls fail for the framework. Not
// carried out, each is answered 503, as by a master that is failing over;
// carried out, its tasks are launched and the connection is then closed
// without an answer, as when the network drops it: either way the
// framework sees an error and cannot tell whether its tasks were
// launched.
func (m *Master) FailAccepts(n int, carriedOut bool) {
	m.mu.Lock()
	m.failAccepts, m.failAcceptsCarried = n, carriedOut
	m.mu.Unlock()
}

// LateAccepts makes the next n ACCEPT calls reach the master late, as
// over a connection that stalls: the framework's request fails, its
// connection dropped unanswered, and mesos-go, as for any failed call,
// drops the subscription and takes no call but SUBSCRIBE until it has
// subscribed again. What a Mesos 1.12 master then does with the call
// depends on when it arrives (master.cpp):
//
//   - ahead of the framework's next SUBSCRIBE (beforeResubscribe), it
//     carries it out: Master::accept validates the offers, still the
//     framework's, and calls _accept at once (authorization is
//     synchronous in 1.12), so the tasks are launched and known, as
//     TASK_STAGING, to any reconciliation that follows. This is the
//     latest a 1.12 master can launch them;
//   - after it, the master refuses it (400) for its Mesos-Stream-Id,
//     which is no longer the framework's (and its offers were rescinded
//     at the resubscription): the tasks are never launched, and the
//     master answers a reconciliation of them TASK_GONE (their agent is
//     registered), as it does from the start.
//
// In neither case does a 1.12 master answer TASK_GONE for a task it
// launches later.
func (m *Master) LateAccepts(n int, beforeResubscribe bool) {
	m.mu.Lock()
	m.lateAccepts, m.lateBeforeSub = n, beforeResubscribe
	m.mu.Unlock()
}

// LateAcceptsRefused is how many late ACCEPT calls (LateAccepts) the
// master refused when they arrived.
func (m *Master) LateAcceptsRefused() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lateRefused
}

// lateAccept is an ACCEPT on its way to the master (LateAccepts), with
// the stream id it was sent with.
type lateAccept struct {
	framework, streamID string
	call                *scheduler.Call
	beforeResubscribe   bool
}

// arriveLate makes the late ACCEPTs of framework id that arrive at this
// point (ahead of its SUBSCRIBE, or after it) reach the master, which
// checks them as any call (serve) and carries them out, or refuses them.
func (m *Master) arriveLate(id string, beforeResubscribe bool) {
	m.mu.Lock()
	var arrived []lateAccept
	rest := m.late[:0]
	for _, l := range m.late {
		if l.framework == id && l.beforeResubscribe == beforeResubscribe {
			arrived = append(arrived, l)
		} else {
			rest = append(rest, l)
		}
	}
	m.late = rest
	var carried []lateAccept
	var fws []*framework
	for _, l := range arrived {
		f := m.frameworks[l.framework]
		if f == nil || f.streamID != l.streamID {
			m.lateRefused++
			continue
		}
		carried, fws = append(carried, l), append(fws, f)
	}
	m.mu.Unlock()
	for i, l := range carried {
		m.handle(fws[i], l.call)
	}
}

// dropConnection closes a request's connection without an answer, as
// when the network drops it.
func dropConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "connection lost", http.StatusServiceUnavailable)
		return
	}
	if conn, _, err := hj.Hijack(); err == nil {
		conn.Close()
	}
}

// RecordedCall is a call as the master received it.
type RecordedCall struct {
	Type        scheduler.Call_Type
	FrameworkID string
	Call        *scheduler.Call
}

type agent struct {
	id      string
	spec    AgentSpec
	files   *httptest.Server
	sandbox string
	used    resources
	lost    bool
	lostAt  time.Time // when it was lost (unreachable since)
	// reregistering: the master was restarted and the agent has not
	// registered again yet (RestartMaster, AgentReregisters).
	reregistering bool
	filtered      map[string]time.Time // framework → refused until
	// executors are the custom executors started here, by framework/id.
	executors map[string]*fakeExecutor
}

type framework struct {
	id         string
	info       mesos.FrameworkInfo
	streamID   string
	events     chan []byte // encoded, framed events for the live stream
	closed     chan struct{}
	protobuf   bool
	suppressed bool
	// connected: its stream is open; the master forwards the agents'
	// updates to it (Mesos 1.12 drops them for a disconnected
	// framework, keeping only what they say of the task).
	connected bool
}

type offer struct {
	id        string
	framework string
	agent     *agent
	res       resources
}

type resources struct {
	cpus, mem, disk, gpus float64
	ports                 []uint64
}

type task struct {
	id         string
	framework  string
	agent      *agent
	info       mesos.TaskInfo
	res        resources
	state      mesos.TaskState
	container  string
	proc       *os.Process
	sandbox    string
	queue      []*mesos.TaskStatus // updates not yet acknowledged, oldest first
	resendStop chan struct{}
	killed     bool
	timedOut   bool // its max_completion_time ended it (deadline.go)
	reaped     bool // its command executor's process has been waited for
	// statuses are those the master holds of it, as its operator API
	// lists them (operator.go): those the agent has sent it, the oldest
	// unacknowledged one included; those queued behind it are not there
	// yet, while state is already the latest (the real agent's updates
	// carry latest_state, which the master takes for the task's state).
	statuses []mesos.TaskStatus
	// updateState is the state of the last update the master forwarded
	// to the framework (the real master's status_update_state, set in
	// Master::forward), nil while it has forwarded none: what it answers
	// reconciliation with (reconcile).
	updateState *mesos.TaskState
	docker      bool          // runs in a container of the Docker containerizer
	exec        *fakeExecutor // the custom executor it was given to
	// unknown: the master was restarted and its agent has not
	// registered again yet (RestartMaster, AgentReregisters).
	unknown bool
}

// New starts a fake master (and one files-API server per agent).
func New(opt Options) *Master {
	if opt.HeartbeatInterval == 0 {
		opt.HeartbeatInterval = 15 * time.Second
	}
	if opt.ResendInterval == 0 {
		opt.ResendInterval = 10 * time.Second
	}
	if opt.OfferRefuse == 0 {
		opt.OfferRefuse = 5 * time.Second
	}
	m := &Master{opt: opt, id: uuid(), frameworks: map[string]*framework{}, offers: map[string]*offer{},
		tasks: map[string]*task{}, stop: make(chan struct{})}
	for i, spec := range opt.Agents {
		a := &agent{id: fmt.Sprintf("%s-S%d", m.id, i), spec: spec, filtered: map[string]time.Time{}}
		dir, err := os.MkdirTemp("", "mesostest-agent")
		if err != nil {
			panic(err)
		}
		a.sandbox = dir
		if opt.TLS {
			a.files = httptest.NewTLSServer(m.filesHandler(a))
		} else {
			a.files = httptest.NewServer(m.filesHandler(a))
		}
		if a.spec.Hostname == "" {
			a.spec.Hostname = "localhost"
		}
		m.agents = append(m.agents, a)
	}
	if opt.TLS {
		m.srv = httptest.NewTLSServer(http.HandlerFunc(m.serve))
	} else {
		m.srv = httptest.NewServer(http.HandlerFunc(m.serve))
	}
	go m.offerLoop()
	return m
}

// CertPool trusts the certificates of a TLS master and its agents.
func (m *Master) CertPool() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(m.srv.Certificate())
	for _, a := range m.agents {
		if c := a.files.Certificate(); c != nil {
			pool.AddCert(c)
		}
	}
	return pool
}

// URL is the master's base URL; the scheduler API is at URL+"/api/v1/scheduler".
func (m *Master) URL() string { return m.srv.URL }

// Close stops the master, its agents and every task.
func (m *Master) Close() {
	m.mu.Lock()
	select {
	case <-m.stop:
	default:
		close(m.stop)
	}
	var containers []*task
	m.shutdownExecutorsLocked("", nil, true)
	for _, t := range m.tasks {
		if t.proc != nil {
			killGroup(t.proc.Pid, 3*time.Second)
		}
		if t.docker && !terminal(t.state) {
			containers = append(containers, t)
		}
	}
	for _, f := range m.frameworks {
		f.close()
	}
	m.mu.Unlock()
	for _, t := range containers {
		removeContainer(t)
	}
	m.killLeftovers()
	m.srv.Close()
	for _, a := range m.agents {
		a.files.Close()
		os.RemoveAll(a.sandbox)
	}
}

// FollowLeader makes this master a non-leader that redirects to leader.
func (m *Master) FollowLeader(leader *Master) {
	m.mu.Lock()
	m.leader = leader
	m.mu.Unlock()
}

// Calls returns the calls received so far.
func (m *Master) Calls() []RecordedCall {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]RecordedCall(nil), m.calls...)
}

// Tasks returns the TaskInfos launched so far, by task id.
func (m *Master) Tasks() map[string]mesos.TaskInfo {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]mesos.TaskInfo{}
	for id, t := range m.tasks {
		out[id] = t.info
	}
	return out
}

// TaskState returns a task's current state.
func (m *Master) TaskState(id string) (mesos.TaskState, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tasks[id]
	if !ok {
		return 0, false
	}
	return t.state, true
}

// AgentFilesURL is the base URL of an agent's files API.
func (m *Master) AgentFilesURL(i int) string { return m.agents[i].files.URL }

// AgentID is the id of agent i.
func (m *Master) AgentID(i int) string { return m.agents[i].id }

func uuid() string {
	var b [16]byte
	rand.Read(b[:])
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

func (f *framework) close() {
	select {
	case <-f.closed:
	default:
		close(f.closed)
	}
}

// serve is POST /api/v1/scheduler.
func (m *Master) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/slaves" && r.Method == http.MethodGet {
		m.serveSlaves(w)
		return
	}
	if r.URL.Path == "/api/v1" {
		m.serveOperator(w, r)
		return
	}
	if r.URL.Path != "/api/v1/scheduler" {
		http.NotFound(w, r)
		return
	}
	if !postOnly(w, r) {
		return
	}
	m.mu.Lock()
	leader := m.leader
	m.mu.Unlock()
	if leader != nil {
		http.Redirect(w, r, "//"+strings.TrimPrefix(leader.URL(), "http://")+r.URL.Path, http.StatusTemporaryRedirect)
		return
	}
	if m.opt.Principal != "" {
		user, pass, ok := r.BasicAuth()
		if !ok || user != m.opt.Principal || pass != m.opt.Secret {
			w.Header().Set("WWW-Authenticate", `Basic realm="mesos"`)
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
	}
	call := &scheduler.Call{}
	protobuf, ok := readCall(w, r, call)
	if !ok {
		return
	}
	m.mu.Lock()
	rec := RecordedCall{Type: call.Type, Call: call}
	if call.FrameworkID != nil {
		rec.FrameworkID = call.FrameworkID.Value
	}
	m.calls = append(m.calls, rec)
	m.mu.Unlock()

	if call.Type == scheduler.Call_SUBSCRIBE {
		m.subscribe(w, r, call, r.Header.Get("Accept") == "application/x-protobuf" || (protobuf && r.Header.Get("Accept") == ""))
		return
	}
	if call.FrameworkID == nil {
		http.Error(w, "Failed to validate scheduler::Call: Expecting 'framework_id' to be present", http.StatusBadRequest)
		return
	}
	m.mu.Lock()
	f := m.frameworks[call.FrameworkID.Value]
	if f == nil {
		m.mu.Unlock()
		http.Error(w, "Framework cannot be found", http.StatusBadRequest)
		return
	}
	if sid := r.Header.Get("Mesos-Stream-Id"); sid != f.streamID {
		m.mu.Unlock()
		http.Error(w, fmt.Sprintf("The stream ID '%s' included in this request didn't match the stream ID currently associated with framework ID %s", sid, f.id), http.StatusBadRequest)
		return
	}
	if call.Type == scheduler.Call_ACCEPT && m.lateAccepts > 0 {
		m.lateAccepts--
		m.late = append(m.late, lateAccept{framework: f.id, streamID: f.streamID, call: call, beforeResubscribe: m.lateBeforeSub})
		m.mu.Unlock()
		dropConnection(w)
		return
	}
	fail, carried := false, false
	if call.Type == scheduler.Call_ACCEPT && m.failAccepts > 0 {
		m.failAccepts--
		fail, carried = true, m.failAcceptsCarried
	}
	m.mu.Unlock()
	if fail {
		m.failAccept(w, f, call, carried)
		return
	}
	w.WriteHeader(http.StatusAccepted)
	m.handle(f, call)
}

// failAccept fails an ACCEPT (FailAccepts): answered 503 and not carried
// out, or carried out and its connection closed without an answer.
func (m *Master) failAccept(w http.ResponseWriter, f *framework, call *scheduler.Call, carried bool) {
	if !carried {
		http.Error(w, "Master is failing over", http.StatusServiceUnavailable)
		return
	}
	m.handle(f, call)
	dropConnection(w)
}

// serveSlaves is GET /slaves: the registered agents, as the real master
// lists them (pid "slave(1)@IP:PORT" is where the agent serves /state and
// the files API).
func (m *Master) serveSlaves(w http.ResponseWriter) {
	type slave struct {
		ID         string            `json:"id"`
		Hostname   string            `json:"hostname"`
		Port       int               `json:"port"`
		PID        string            `json:"pid"`
		Attributes map[string]string `json:"attributes"`
		Active     bool              `json:"active"`
	}
	out := struct {
		Slaves []slave `json:"slaves"`
	}{Slaves: []slave{}}
	m.mu.Lock()
	for _, a := range m.agents {
		if a.lost {
			continue
		}
		hostPort := strings.TrimPrefix(strings.TrimPrefix(a.files.URL, "http://"), "https://")
		port := 0
		if i := strings.LastIndexByte(hostPort, ':'); i >= 0 {
			port, _ = strconv.Atoi(hostPort[i+1:])
		}
		attrs := a.spec.Attributes
		if attrs == nil {
			attrs = map[string]string{}
		}
		out.Slaves = append(out.Slaves, slave{ID: a.id, Hostname: a.spec.Hostname, Port: port,
			PID: "slave(1)@" + hostPort, Attributes: attrs, Active: true})
	}
	m.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(out)
}

// subscribe opens the event stream.
func (m *Master) subscribe(w http.ResponseWriter, r *http.Request, call *scheduler.Call, protobuf bool) {
	if call.Subscribe == nil {
		http.Error(w, "Failed to validate scheduler::Call: Expecting 'subscribe' to be present", http.StatusBadRequest)
		return
	}
	info := call.Subscribe.FrameworkInfo
	if info.ID != nil {
		m.arriveLate(info.ID.Value, true)
	}
	m.mu.Lock()
	var f *framework
	if info.ID != nil && info.ID.Value != "" {
		f = m.frameworks[info.ID.Value]
		if f == nil {
			// A framework this master does not know re-registers with
			// its id, as after a master failover: the new leader takes it.
			f = &framework{id: info.ID.Value, closed: make(chan struct{})}
			close(f.closed)
			m.frameworks[f.id] = f
		}
		// Failover: the old stream is told and closed; its outstanding
		// offers are withdrawn (the real master rescinds them).
		for id, o := range m.offers {
			if o.framework == f.id {
				delete(m.offers, id)
			}
		}
		old := *f
		m.sendLocked(&old, &scheduler.Event{Type: scheduler.Event_ERROR, Error: &scheduler.Event_Error{Message: "Framework failed over"}})
		go func(o *framework) { time.Sleep(50 * time.Millisecond); o.close() }(&old)
	} else {
		f = &framework{id: fmt.Sprintf("%s-%04d", m.id, m.nextFW)}
		m.nextFW++
		m.frameworks[f.id] = f
	}
	f.info = *info
	f.streamID = uuid()
	f.events = make(chan []byte, 1024)
	f.closed = make(chan struct{})
	f.protobuf = protobuf
	f.suppressed = false
	f.connected = true
	events, closed, stream := f.events, f.closed, f.streamID
	contentType := "application/json"
	if protobuf {
		contentType = "application/x-protobuf"
	}
	hb := m.opt.HeartbeatInterval.Seconds()
	m.sendLocked(f, &scheduler.Event{Type: scheduler.Event_SUBSCRIBED, Subscribed: &scheduler.Event_Subscribed{
		FrameworkID: &mesos.FrameworkID{Value: f.id}, HeartbeatIntervalSeconds: &hb,
		MasterInfo: m.masterInfo()}})
	m.sendLocked(f, &scheduler.Event{Type: scheduler.Event_HEARTBEAT})
	m.resumeUpdatesLocked(f)
	m.mu.Unlock()
	m.arriveLate(f.id, false)
	m.offerNow()

	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Mesos-Stream-Id", f.streamID)
	w.WriteHeader(http.StatusOK)
	flusher, _ := w.(http.Flusher)
	if flusher != nil {
		flusher.Flush()
	}
	heartbeat := time.NewTicker(m.opt.HeartbeatInterval)
	defer heartbeat.Stop()
	defer func() {
		// The stream has ended: the framework is disconnected, unless it
		// has subscribed again meanwhile.
		m.mu.Lock()
		if f.streamID == stream {
			f.connected = false
		}
		m.mu.Unlock()
	}()
	for {
		select {
		case frame := <-events:
			if _, err := w.Write(frame); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		case <-heartbeat.C:
			m.mu.Lock()
			if !m.silent {
				m.sendLocked(f, &scheduler.Event{Type: scheduler.Event_HEARTBEAT})
			}
			m.mu.Unlock()
		case <-closed:
			// Drain what was queued (the failover ERROR) before closing.
			for {
				select {
				case frame := <-events:
					w.Write(frame)
				default:
					return
				}
			}
		case <-r.Context().Done():
			return
		case <-m.stop:
			return
		}
	}
}

// resumeUpdatesLocked sends a framework that has subscribed the oldest
// unacknowledged update of each of its tasks at once, as the agents do
// when the master tells them of the framework (Slave::updateFramework
// resumes their status update streams) rather than at the end of their
// back-off: an update the master dropped while the framework was away
// reaches it now. While the master holds the agents' updates
// (HoldUpdates), each is held, sent on ReleaseUpdates.
func (m *Master) resumeUpdatesLocked(f *framework) {
	for _, t := range m.tasks {
		if t.framework != f.id || len(t.queue) == 0 || t.unknown || slices.Contains(m.held, t) ||
			(t.agent != nil && (t.agent.lost || t.agent.reregistering)) {
			continue
		}
		if m.holding {
			m.held = append(m.held, t)
			continue
		}
		m.forwardHeadLocked(f, t, t.queue[0])
	}
}

func (m *Master) masterInfo() *mesos.MasterInfo {
	host := "localhost"
	ip := "127.0.0.1"
	port := int32(5050)
	if i := strings.LastIndexByte(m.srv.URL, ':'); i > 0 {
		if p, err := strconv.Atoi(m.srv.URL[i+1:]); err == nil {
			port = int32(p)
		}
	}
	version := "1.12.0"
	uport := uint32(port)
	return &mesos.MasterInfo{ID: m.id, IP: 16777343, Port: &uport, Hostname: &host, Version: &version,
		Address: &mesos.Address{Hostname: &host, IP: &ip, Port: port}}
}

// sendLocked encodes an event for the framework's stream (RecordIO).
func (m *Master) sendLocked(f *framework, e *scheduler.Event) {
	if f.events == nil {
		return
	}
	record, err := recordIO(e, f.protobuf)
	if err != nil {
		return
	}
	select {
	case f.events <- record:
	case <-f.closed:
	default:
		// A stream that does not read is as good as gone.
	}
}

// SendEvent puts an arbitrary event on a framework's stream (tests use it
// for events the fake does not produce by itself).
func (m *Master) SendEvent(frameworkID string, e *scheduler.Event) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if f := m.frameworks[frameworkID]; f != nil {
		m.sendLocked(f, e)
	}
}

// Failover simulates the leading master failing over to a new leader with
// the same state (the registry, and agents re-registering with their
// tasks): every subscription stream ends, the master's identity changes,
// and frameworks must subscribe again with their ids; their tasks go on.
func (m *Master) Failover() {
	m.mu.Lock()
	m.id = uuid()
	m.mu.Unlock()
	m.DropStream()
}

// RestartMaster simulates the master killed and started again with its
// registry in memory: streams end, and the new master knows no task until
// its agent registers again (AgentReregisters); meanwhile a
// partition-aware framework's reconciliation is answered TASK_UNKNOWN
// (others' TASK_LOST), as testdata/master-restart-reconcile.jsonl shows.
// The tasks run on.
func (m *Master) RestartMaster() {
	m.mu.Lock()
	m.id = uuid()
	for _, t := range m.tasks {
		if !t.removed() {
			t.unknown = true
		}
	}
	for _, a := range m.agents {
		a.reregistering = true
	}
	m.mu.Unlock()
	m.DropStream()
}

// AgentReregisters makes agent i register again with a restarted master:
// its tasks are known again, and partition-aware frameworks are told their
// state ("Unknown agent reregistered", as the real master says).
func (m *Master) AgentReregisters(i int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a := m.agents[i]
	a.reregistering = false
	for _, t := range m.tasks {
		if t.agent != a || !t.unknown {
			continue
		}
		t.unknown = false
		if f := m.frameworks[t.framework]; f != nil && partitionAware(f) && !terminal(t.state) {
			m.updateLocked(f, &task{id: t.id, agent: t.agent, framework: f.id, container: t.container, proc: t.proc},
				t.state, mesos.SOURCE_MASTER, mesos.REASON_AGENT_REREGISTERED, "Unknown agent reregistered", false)
		}
	}
}

// DropStream closes every framework's subscription stream, as a master
// that lost the connection.
func (m *Master) DropStream() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range m.frameworks {
		f.close()
		f.events = nil
		f.connected = false
	}
}

// filesHandler is an agent's files API: /files/browse and /files/read.
func (m *Master) filesHandler(a *agent) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/executor", m.serveExecutor(a))
	// Paths are absolute on the agent, as the directories its /state
	// reports; relative ones are taken under the agent's work directory.
	resolve := func(w http.ResponseWriter, r *http.Request) (string, bool) {
		p := filepath.Clean("/" + r.URL.Query().Get("path"))
		full := p
		if !strings.HasPrefix(p, a.sandbox) {
			full = filepath.Join(a.sandbox, p)
		}
		if !strings.HasPrefix(full, a.sandbox) {
			w.WriteHeader(http.StatusNotFound)
			return "", false
		}
		return full, true
	}
	// /state, reduced to what a framework needs to find a sandbox: the
	// executors of each framework with their directories. As a real
	// agent's: an executor whose task has ended is listed under
	// completed_executors, and a framework with no live executor left
	// under completed_frameworks.
	mux.HandleFunc("/state", func(w http.ResponseWriter, r *http.Request) {
		type taskRef struct {
			ID string `json:"id"`
		}
		type executor struct {
			ID        string `json:"id"`
			Directory string `json:"directory"`
			// Listed for custom executors (nil, and left out, for the
			// command executors of agent-state.json).
			Tasks          *[]taskRef `json:"tasks,omitempty"`
			QueuedTasks    *[]taskRef `json:"queued_tasks,omitempty"`
			CompletedTasks *[]taskRef `json:"completed_tasks,omitempty"`
		}
		type fw struct {
			ID                 string     `json:"id"`
			Executors          []executor `json:"executors"`
			CompletedExecutors []executor `json:"completed_executors"`
		}
		byFW := map[string]*fw{}
		m.mu.Lock()
		framework := func(id string) *fw {
			f := byFW[id]
			if f == nil {
				f = &fw{ID: id, Executors: []executor{}, CompletedExecutors: []executor{}}
				byFW[id] = f
			}
			return f
		}
		// Custom executors, with their tasks (a real agent lists each
		// task under its executor: tasks, queued_tasks, completed_tasks).
		for _, ex := range a.executors {
			f := framework(ex.framework)
			tasks, queuedTasks, completed := []taskRef{}, []taskRef{}, []taskRef{}
			queued := map[*task]bool{}
			for _, t := range ex.queued {
				queued[t] = true
			}
			for _, g := range ex.queuedGroups {
				for _, t := range g {
					queued[t] = true
				}
			}
			for _, t := range ex.tasks {
				switch {
				case terminal(t.state):
					completed = append(completed, taskRef{t.id})
				case queued[t]:
					queuedTasks = append(queuedTasks, taskRef{t.id})
				default:
					tasks = append(tasks, taskRef{t.id})
				}
			}
			e := executor{ID: ex.id, Directory: ex.sandbox, Tasks: &tasks, QueuedTasks: &queuedTasks, CompletedTasks: &completed}
			if ex.ended {
				f.CompletedExecutors = append(f.CompletedExecutors, e)
			} else {
				f.Executors = append(f.Executors, e)
			}
		}
		for _, t := range m.tasks {
			if t.agent != a || t.sandbox == "" || t.exec != nil {
				continue
			}
			f := framework(t.framework)
			e := executor{ID: t.id, Directory: t.sandbox}
			if terminal(t.state) {
				f.CompletedExecutors = append(f.CompletedExecutors, e)
			} else {
				f.Executors = append(f.Executors, e)
			}
		}
		m.mu.Unlock()
		out := struct {
			ID                  string `json:"id"`
			Hostname            string `json:"hostname"`
			Frameworks          []*fw  `json:"frameworks"`
			CompletedFrameworks []*fw  `json:"completed_frameworks"`
		}{ID: a.id, Hostname: a.spec.Hostname, Frameworks: []*fw{}, CompletedFrameworks: []*fw{}}
		ids := make([]string, 0, len(byFW))
		for id := range byFW {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			f := byFW[id]
			sort.Slice(f.Executors, func(i, j int) bool { return f.Executors[i].ID < f.Executors[j].ID })
			sort.Slice(f.CompletedExecutors, func(i, j int) bool { return f.CompletedExecutors[i].ID < f.CompletedExecutors[j].ID })
			if len(f.Executors) == 0 {
				out.CompletedFrameworks = append(out.CompletedFrameworks, f)
			} else {
				out.Frameworks = append(out.Frameworks, f)
			}
		}
		json.NewEncoder(w).Encode(out)
	})
	mux.HandleFunc("/files/read", func(w http.ResponseWriter, r *http.Request) {
		full, ok := resolve(w, r)
		if !ok {
			return
		}
		real, status := m.attachedPath(a, full)
		if status != http.StatusOK {
			w.WriteHeader(status)
			return
		}
		q := r.URL.Query()
		offset, _ := strconv.ParseInt(q.Get("offset"), 10, 64)
		length := 16 << 20 // the most one read answers
		if l, err := strconv.Atoi(q.Get("length")); err == nil && l >= 0 && l < length {
			length = l
		}
		if q.Get("offset") == "-1" || offset < 0 {
			offset, length = -1, 0
		}
		f, err := os.Open(real)
		if err != nil {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		defer f.Close()
		info, err := f.Stat()
		if err != nil || info.IsDir() {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		size := info.Size()
		if offset < 0 || offset > size {
			offset = size
		}
		data := make([]byte, min(int64(length), size-offset))
		n, _ := f.ReadAt(data, offset)
		json.NewEncoder(w).Encode(map[string]any{"data": string(data[:n]), "offset": offset})
	})
	mux.HandleFunc("/files/browse", func(w http.ResponseWriter, r *http.Request) {
		full, ok := resolve(w, r)
		if !ok {
			return
		}
		real, status := m.attachedPath(a, full)
		if status != http.StatusOK {
			w.WriteHeader(status)
			return
		}
		entries, err := os.ReadDir(real)
		if err != nil {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		var out []map[string]any
		for _, e := range entries {
			// stat, as a real agent's: a link is listed as what it
			// leads to, and one that leads nowhere is left out.
			info, err := os.Stat(filepath.Join(real, e.Name()))
			if err != nil {
				continue
			}
			out = append(out, map[string]any{"path": filepath.Join(r.URL.Query().Get("path"), e.Name()),
				"size": info.Size(), "mode": info.Mode().String(), "mtime": float64(info.ModTime().Unix()),
				"nlink": 1, "uid": "root", "gid": "root"})
		}
		json.NewEncoder(w).Encode(out)
	})
	return mux
}

// attachedPath is where a real agent's files API reads path full
// (files.cpp resolve): in the directory of the executor it lies in, the
// one the agent attached, following links as long as where they lead
// stays in that directory. It answers the path followed and 200, or 404
// (no such file, or in no executor's directory) or 400 (a link out of
// the executor's directory, which a real agent calls inaccessible).
func (m *Master) attachedPath(a *agent, full string) (string, int) {
	within := func(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+string(filepath.Separator)) }
	var dir string
	m.mu.Lock()
	for _, ex := range a.executors {
		if ex.sandbox != "" && within(full, ex.sandbox) {
			dir = ex.sandbox
		}
	}
	for _, t := range m.tasks {
		if t.agent == a && t.sandbox != "" && within(full, t.sandbox) {
			dir = t.sandbox
		}
	}
	m.mu.Unlock()
	if dir == "" {
		return "", http.StatusNotFound
	}
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", http.StatusNotFound
	}
	real, err := filepath.EvalSymlinks(full)
	if errors.Is(err, fs.ErrNotExist) {
		return "", http.StatusNotFound
	}
	if err != nil || !within(real, realDir) {
		return "", http.StatusBadRequest
	}
	return real, http.StatusOK
}

// masterJSON encodes a message as the master's JSON does: no null fields
// and no empty lists (mesos-go's encoder writes both).
// recordIO encodes an event as one record of a stream (its length, a
// newline, the event), in protobuf or in the master's JSON.
func recordIO(ev interface{ Marshal() ([]byte, error) }, protobuf bool) ([]byte, error) {
	var data []byte
	var err error
	if protobuf {
		data, err = ev.Marshal()
	} else {
		data, err = masterJSON(ev)
	}
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "%d\n", len(data))
	buf.Write(data)
	return buf.Bytes(), nil
}

func masterJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		return nil, err
	}
	return json.Marshal(prune(tree))
}

func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, val := range x {
			p := prune(val)
			switch pv := p.(type) {
			case nil:
				delete(x, k)
				continue
			case []any:
				if len(pv) == 0 {
					delete(x, k)
					continue
				}
			case map[string]any:
				if len(pv) == 0 {
					delete(x, k)
					continue
				}
			}
			x[k] = p
		}
		return x
	case []any:
		for i := range x {
			x[i] = prune(x[i])
		}
		return x
	}
	return v
}

// killLeftovers kills every process of the agents' tasks, as a real agent
// destroying its containers does: those that left their task's tree and
// session (the guard Borges starts beside a command task, which ends only
// once it has swept up after the task, or a task's escapes) would outlive
// the fake master otherwise, and the test. It looks until two looks in a
// row find none (one may be forking as it is killed), bounded.
func (m *Master) killLeftovers() {
	quiet := 0
	for try := 0; try < 500 && quiet < 2; try++ {
		if try > 0 {
			time.Sleep(10 * time.Millisecond)
		}
		pids := m.Leftovers()
		if len(pids) == 0 {
			quiet++
			continue
		}
		quiet = 0
		for _, pid := range pids {
			syscall.Kill(pid, syscall.SIGKILL)
			syscall.Kill(pid, syscall.SIGCONT) // one stopped by killTree
		}
	}
}

// Leftovers lists the live processes of this master's agents: those
// whose working directory or environment (MESOS_SANDBOX, set for every
// task and executor it starts, and inherited by whatever they start) is
// under an agent's sandbox.
func (m *Master) Leftovers() []int {
	var pids []int
	for _, a := range m.agents {
		pids = append(pids, proctest.Under(a.sandbox)...)
	}
	return pids
}
