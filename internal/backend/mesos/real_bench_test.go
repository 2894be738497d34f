package mesos

import (
	"context"
	"fmt"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
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
// all finished, on one real agent; against the same tasks launched by a
// bare mesos-go scheduler loop in the same run, as the baseline. Reports
// launch → TASK_RUNNING p50/p99 (goal p99 ≤ 5 s) and tasks/s for both, and
// Borges' p99 over the baseline's. BORGES_BENCH_BLOCKS changes the count
// (the machine's two cores start every executor).
//
//	go test ./internal/backend/mesos -run '^$' -bench RealHundredBlocks -benchtime 1x
func BenchmarkRealHundredBlocks(b *testing.B) {
	n := 100
	if v, err := strconv.Atoi(os.Getenv("BORGES_BENCH_BLOCKS")); err == nil && v > 0 {
		n = v
	}
	// Each command task also carries its executor's 0.1 CPU and 32 MB.
	c := realmesos.Start(b, realmesos.Options{Agents: []realmesos.AgentOptions{
		{Resources: fmt.Sprintf("cpus:%d;mem:%d;disk:1024", n, n*64)}}})
	var doc strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&doc, "#+name: b%d\n#+begin_src sh :cpu 0.1 :mem 16\ntrue\n#+end_src\n\n", i)
	}
	var borges, bare run
	for i := 0; i < b.N; i++ {
		borges = borgesRun(b, c, doc.String(), n)
		bare = bareRun(b, c, n)
	}
	b.ReportMetric(borges.quantile(0.5), "borges-p50-s")
	b.ReportMetric(borges.quantile(0.99), "borges-p99-s")
	b.ReportMetric(borges.perSecond(), "borges-tasks/s")
	b.ReportMetric(bare.quantile(0.5), "bare-p50-s")
	b.ReportMetric(bare.quantile(0.99), "bare-p99-s")
	b.ReportMetric(bare.perSecond(), "bare-tasks/s")
	b.ReportMetric(borges.quantile(0.99)/bare.quantile(0.99), "p99-ratio")
}

// run is one measured run: each task's launch → RUNNING, and the time
// until all had finished.
type run struct {
	running []float64 // seconds
	all     time.Duration
}

func (r run) quantile(q float64) float64 {
	if len(r.running) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), r.running...)
	sort.Float64s(s)
	return s[min(len(s)-1, int(math.Ceil(q*float64(len(s))))-1)]
}

func (r run) perSecond() float64 { return float64(len(r.running)) / r.all.Seconds() }

// borgesRun posts the document and waits until every block finished; a
// task's launch is the POST, its RUNNING the agent's timestamp at the master.
func borgesRun(b *testing.B, c *realmesos.Cluster, doc string, n int) run {
	bg := startBorges(b, c.Master(), b.TempDir())
	defer bg.stop()
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
			b.Fatalf("the document is %s after %v", d.State, time.Since(start))
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
	return r
}

// bareRun is the baseline: a scheduler loop on mesos-go alone that takes
// each offer, launches as many of the n tasks as fit, and acknowledges
// every update; a task's launch is the loop's start.
func bareRun(b *testing.B, c *realmesos.Cluster, n int) run {
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
				for launched < n && cpus >= 0.2-1e-9 && mem >= 48 {
					cpus, mem = cpus-0.2, mem-48
					infos = append(infos, mesoslib.TaskInfo{Name: "bare", TaskID: mesoslib.TaskID{Value: fmt.Sprintf("bare-%d", launched)},
						AgentID: o.AgentID, Resources: []mesoslib.Resource{scalar("cpus", 0.1), scalar("mem", 16)},
						Command: &mesoslib.CommandInfo{Shell: boolp(true), Value: strp("true")}})
					launched++
				}
				call := calls.Decline(o.ID)
				if len(infos) > 0 {
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
