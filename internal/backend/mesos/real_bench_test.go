package mesos

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/encoding/codecs"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli/httpsched"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler/calls"

	"github.com/wallyqs/borges/internal/backend/mesos/realmesos"
	"github.com/wallyqs/borges/internal/engine"
)

// BenchmarkRealHundredBlocks: a document of 100 trivial blocks, POST →
// all finished, on one real agent, run by Borges' executor (one per
// agent); against, in the same run, the same tasks launched by a bare
// mesos-go scheduler loop (a command executor per task, as Mesos does by
// default) as the baseline. Reports launch → TASK_RUNNING p50/p99 (goal
// p99 ≤ 5 s) and tasks/s for both, and Borges' p99 over the baseline's.
// BORGES_BENCH_BLOCKS changes the count; BORGES_BENCH_ALL=1 also measures
// Borges with the command executor and the bare loop with Mesos' default
// executor (LAUNCH_GROUP, one single-task group per task onto a shared
// executor, each task a nested container).
//
//	go test ./internal/backend/mesos -run '^$' -bench RealHundredBlocks -benchtime 1x
func BenchmarkRealHundredBlocks(b *testing.B) {
	n := 100
	if v, err := strconv.Atoi(os.Getenv("BORGES_BENCH_BLOCKS")); err == nil && v > 0 {
		n = v
	}
	// Each command task also carries its executor's 0.1 CPU and 32 MB.
	c := realmesos.Start(b, realmesos.Options{Agents: []realmesos.AgentOptions{
		{Resources: fmt.Sprintf("cpus:%d;mem:%d;disk:1024", n, n*64),
			// A hundred command executors starting at once on a loaded
			// machine take longer than the default minute to register.
			Flags: []string{"--executor_registration_timeout=5mins"}}}})
	var doc strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&doc, "#+name: b%d\n#+begin_src sh :cpu 0.1 :mem 16\ntrue\n#+end_src\n\n", i)
	}
	all := os.Getenv("BORGES_BENCH_ALL") == "1"
	var borges, warm, bare, borgesCmd, bareGroup run
	for i := 0; i < b.N; i++ {
		runs := borgesRun(b, c, doc.String(), n, 2, testExecutor(b))
		borges, warm = runs[0], runs[1]
		b.Logf("borges (its executor): %s", borges)
		b.Logf("borges, a second document once the first has finished (its executor started): %s", warm)
		bare = bareRun(b, c, n, false)
		b.Logf("bare loop (command executors): %s", bare)
		if all {
			bareGroup = bareRun(b, c, n, true)
			b.Logf("bare loop (default executor, LAUNCH_GROUP): %s", bareGroup)
			borgesCmd = borgesRun(b, c, doc.String(), n, 1)[0]
			b.Logf("borges (command executors): %s", borgesCmd)
		}
	}
	report := func(name string, r run) {
		b.ReportMetric(r.quantile(0.5), name+"-p50-s")
		b.ReportMetric(r.quantile(0.99), name+"-p99-s")
		b.ReportMetric(r.perSecond(), name+"-tasks/s")
	}
	report("borges", borges)
	report("borges-warm", warm)
	report("bare", bare)
	if all {
		report("borges-cmd", borgesCmd)
		report("bare-group", bareGroup)
	}
	b.ReportMetric(borges.quantile(0.99)/bare.quantile(0.99), "p99-ratio")
}

// run is one measured run: each task's launch → RUNNING, and the time
// until all had finished.
type run struct {
	running []float64 // seconds
	all     time.Duration
	phases  string // where Borges' time went
}

func (r run) quantile(q float64) float64 {
	if len(r.running) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), r.running...)
	sort.Float64s(s)
	return s[max(0, min(len(s)-1, int(math.Ceil(q*float64(len(s))))-1))]
}

func (r run) perSecond() float64 { return float64(len(r.running)) / r.all.Seconds() }

func (r run) String() string {
	return fmt.Sprintf("launch → RUNNING p50 %.2f s, p99 %.2f s; %.1f tasks/s%s", r.quantile(0.5), r.quantile(0.99), r.perSecond(), r.phases)
}

// offerTimes is a log handler that notes when offers arrive.
type offerTimes struct {
	mu    sync.Mutex
	times []time.Time
}

func (o *offerTimes) Enabled(context.Context, slog.Level) bool { return true }
func (o *offerTimes) WithAttrs([]slog.Attr) slog.Handler       { return o }
func (o *offerTimes) WithGroup(string) slog.Handler            { return o }
func (o *offerTimes) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "Received Offer") {
		o.mu.Lock()
		o.times = append(o.times, r.Time)
		o.mu.Unlock()
	}
	return nil
}

// executorTimes are when each Borges executor of the agent subscribed,
// and when it was given each task (its log lines, in its sandbox's
// stderr).
func executorTimes(c *realmesos.Cluster) (subscribed, launches []time.Time) {
	resp, err := http.Get(c.AgentURL(0) + "/state")
	if err != nil {
		return nil, nil
	}
	defer resp.Body.Close()
	var st struct {
		Frameworks, CompletedFrameworks []struct {
			Executors, CompletedExecutors []struct {
				ID        string `json:"id"`
				Directory string `json:"directory"`
			}
		}
	}
	var raw map[string]json.RawMessage
	json.NewDecoder(resp.Body).Decode(&raw)
	json.Unmarshal(raw["frameworks"], &st.Frameworks)
	json.Unmarshal(raw["completed_frameworks"], &st.CompletedFrameworks)
	at := func(line string, i int) (time.Time, bool) {
		fields := strings.Fields(line[:i])
		if len(fields) < 2 {
			return time.Time{}, false
		}
		t, err := time.ParseInLocation("2006/01/02 15:04:05.000000", fields[len(fields)-2]+" "+fields[len(fields)-1], time.Local)
		return t, err == nil
	}
	for _, f := range append(st.Frameworks, st.CompletedFrameworks...) {
		var execs []struct {
			ID        string `json:"id"`
			Directory string `json:"directory"`
		}
		execs = append(execs, f.Executors...)
		execs = append(execs, f.CompletedExecutors...)
		for _, e := range execs {
			if !strings.HasPrefix(e.ID, executorPrefix) {
				continue
			}
			data, _ := os.ReadFile(filepath.Join(e.Directory, "stderr"))
			for _, line := range strings.Split(string(data), "\n") {
				if i := strings.Index(line, " subscribed to agent"); i > 0 {
					if t, ok := at(line, i); ok {
						subscribed = append(subscribed, t)
					}
				}
				if i := strings.Index(line, " launching "); i > 0 {
					if t, ok := at(line, i); ok {
						launches = append(launches, t)
					}
				}
			}
		}
	}
	return subscribed, launches
}

// borgesRun posts the document and waits until every block finished, docs
// times in a row with one Borges; a task's launch is the POST, its
// RUNNING the agent's timestamp at the master.
func borgesRun(b *testing.B, c *realmesos.Cluster, doc string, n, docs int, options ...func(*Config)) []run {
	offers := &offerTimes{}
	options = append(options, func(c *Config) { c.Logger = slog.New(offers) })
	bg := startBorges(b, c.Master(), b.TempDir(), options...)
	defer bg.stop()
	var out []run
	for i := 0; i < docs; i++ {
		out = append(out, documentRun(b, c, bg, offers, doc, n))
	}
	return out
}

func documentRun(b *testing.B, c *realmesos.Cluster, bg *borges, offers *offerTimes, doc string, n int) run {
	start := time.Now()
	v, err := bg.eng.Submit(context.Background(), doc)
	if err != nil {
		b.Fatal(err)
	}
	deadline := start.Add(15 * time.Minute)
	for {
		d, err := bg.eng.Document(v.ID)
		if err != nil {
			b.Fatal(err)
		}
		if d.State == engine.Finished {
			break
		}
		if d.State.Terminal() || time.Now().After(deadline) {
			var why []string
			for _, bl := range d.Blocks {
				for _, in := range bl.Instances {
					if in.State != engine.Finished {
						why = append(why, fmt.Sprintf("%s: %s %s", bl.Name, in.State, in.Message))
					}
				}
			}
			b.Fatalf("the document is %s after %v: %s", d.State, time.Since(start), strings.Join(why, "; "))
		}
		time.Sleep(50 * time.Millisecond)
	}
	all := time.Since(start)
	var r run
	r.all = all
	for id, t := range c.State().Tasks() {
		if !strings.HasPrefix(id, v.ID+".") {
			continue
		}
		for _, st := range t.Statuses {
			if st.State == "TASK_RUNNING" {
				r.running = append(r.running, st.Timestamp-float64(start.UnixNano())/1e9)
			}
		}
	}
	if len(r.running) != n {
		b.Fatalf("%d of %d tasks seen running", len(r.running), n)
	}
	since := func(t time.Time) float64 { return t.Sub(start).Seconds() }
	var lastFinished float64
	for id, t := range c.State().Tasks() {
		if strings.HasPrefix(id, v.ID+".") {
			for _, st := range t.Statuses {
				if st.State == "TASK_FINISHED" {
					lastFinished = max(lastFinished, st.Timestamp-float64(start.UnixNano())/1e9)
				}
			}
		}
	}
	offers.mu.Lock()
	var offerList []string
	for _, t := range offers.times {
		if t.After(start) && t.Before(start.Add(all)) {
			offerList = append(offerList, fmt.Sprintf("%.2f", since(t)))
		}
	}
	offers.mu.Unlock()
	list := func(ts []time.Time) string {
		var out []string
		for _, t := range ts {
			if t.After(start) {
				out = append(out, fmt.Sprintf("%.2f", since(t)))
			}
		}
		return strings.Join(out, " ")
	}
	subscribed, launches := executorTimes(c)
	first, last := math.Inf(1), math.Inf(-1)
	for _, t := range launches {
		if t.After(start) && t.Before(start.Add(all)) {
			first, last = min(first, since(t)), max(last, since(t))
		}
	}
	r.phases = fmt.Sprintf(" (seconds from POST: offers at %s; Borges executors subscribed at [%s], given the tasks (LAUNCH) from %.2f to %.2f; "+
		"RUNNING from %.2f to %.2f; last FINISHED at the agent %.2f; all finished in Borges %.2f)",
		strings.Join(offerList, " "), list(subscribed), first, last, r.quantile(0), r.quantile(1), lastFinished, all.Seconds())
	return r
}

// bareRun is the baseline: a scheduler loop on mesos-go alone that takes
// each offer, launches as many of the n tasks as fit, and acknowledges
// every update; a task's launch is the loop's start. Each task has its
// command executor; with group, each is a single-task LAUNCH_GROUP onto
// one default executor.
func bareRun(b *testing.B, c *realmesos.Cluster, n int, group bool) run {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	caller := httpsched.NewCaller(httpcli.New(httpcli.Endpoint(c.URL()+"/api/v1/scheduler"),
		httpcli.Codec(codecs.ByMediaType[codecs.MediaTypeProtobuf])))
	failover := 60.0
	start := time.Now()
	resp, err := caller.Call(ctx, calls.Subscribe(&mesoslib.FrameworkInfo{User: "root", Name: "bare", Roles: []string{"*"},
		FailoverTimeout: &failover, Capabilities: []mesoslib.FrameworkInfo_Capability{{Type: mesoslib.FrameworkInfo_Capability_MULTI_ROLE}}}))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Close()
	var (
		fw       string
		launched int
		running  = map[string]float64{}
		finished int
		// groupStarted: the default executor has been launched
		groupStarted bool
	)
	scalar := func(name string, v float64) mesoslib.Resource {
		t := mesoslib.SCALAR
		role := "*"
		return mesoslib.Resource{Name: name, Type: &t, Scalar: &mesoslib.Value_Scalar{Value: v}, AllocationInfo: &mesoslib.Resource_AllocationInfo{Role: &role}}
	}
	for finished < n {
		var e scheduler.Event
		if err := resp.Decode(&e); err != nil {
			b.Fatalf("bare scheduler: %v after %d finished", err, finished)
		}
		switch e.Type {
		case scheduler.Event_SUBSCRIBED:
			fw = e.Subscribed.FrameworkID.Value
		case scheduler.Event_OFFERS:
			for _, o := range e.Offers.Offers {
				cpus, mem := 0.0, 0.0
				for _, r := range o.Resources {
					switch r.Name {
					case "cpus":
						cpus += r.GetScalar().GetValue()
					case "mem":
						mem += r.GetScalar().GetValue()
					}
				}
				var infos []mesoslib.TaskInfo
				perTask := 0.2 // the task's 0.1 and its command executor's
				memTask := 48.0
				if group {
					perTask, memTask = 0.1, 16
					if !groupStarted {
						cpus, mem = cpus-0.1, mem-32
					}
				}
				for launched < n && cpus >= perTask-1e-9 && mem >= memTask {
					cpus, mem = cpus-perTask, mem-memTask
					infos = append(infos, mesoslib.TaskInfo{Name: "bare", TaskID: mesoslib.TaskID{Value: fmt.Sprintf("bare-%d", launched)},
						AgentID: o.AgentID, Resources: []mesoslib.Resource{scalar("cpus", 0.1), scalar("mem", 16)},
						Command: &mesoslib.CommandInfo{Shell: boolp(true), Value: strp("true")}})
					launched++
				}
				call := calls.Decline(o.ID)
				if len(infos) > 0 && group {
					typ := mesoslib.ExecutorInfo_DEFAULT
					ei := mesoslib.ExecutorInfo{Type: typ, ExecutorID: mesoslib.ExecutorID{Value: "bare-default"},
						FrameworkID: &mesoslib.FrameworkID{Value: fw},
						Resources:   []mesoslib.Resource{scalar("cpus", 0.1), scalar("mem", 32), scalar("disk", 16)}}
					var ops calls.OfferOperations
					for _, ti := range infos {
						ops = append(ops, calls.OpLaunchGroup(ei, ti))
					}
					groupStarted = true
					call = calls.Accept(ops.WithOffers(o.ID))
				} else if len(infos) > 0 {
					call = calls.Accept(calls.OfferOperations{calls.OpLaunch(infos...)}.WithOffers(o.ID))
				}
				if r, err := caller.Call(ctx, call.With(calls.Framework(fw))); err == nil && r != nil {
					r.Close()
				}
			}
		case scheduler.Event_UPDATE:
			st := e.Update.Status
			switch st.GetState() {
			case mesoslib.TASK_RUNNING:
				running[st.TaskID.Value] = time.Since(start).Seconds()
			case mesoslib.TASK_FINISHED:
				finished++
			case mesoslib.TASK_FAILED, mesoslib.TASK_ERROR, mesoslib.TASK_LOST, mesoslib.TASK_DROPPED:
				b.Fatalf("bare scheduler: %s %v %s", st.TaskID.Value, st.GetState(), st.GetMessage())
			}
			if st.UUID != nil && st.AgentID != nil {
				if r, err := caller.Call(ctx, calls.Acknowledge(st.AgentID.Value, st.TaskID.Value, st.UUID).With(calls.Framework(fw))); err == nil && r != nil {
					r.Close()
				}
			}
		}
	}
	r := run{all: time.Since(start)}
	for _, s := range running {
		r.running = append(r.running, s)
	}
	// No TEARDOWN helper in mesos-go's calls: the call by hand.
	teardown := &scheduler.Call{Type: scheduler.Call_TEARDOWN}
	if r2, err := caller.Call(ctx, teardown.With(calls.Framework(fw))); err == nil && r2 != nil {
		r2.Close()
	}
	return r
}
