package mesos

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
)

func want(cpus, mem float64, ports int, cs ...plan.Constraint) Want {
	return Want{Resources: plan.Resources{CPUs: cpus, MemMB: mem, Ports: ports}, Constraints: cs}
}

func TestPlace(t *testing.T) {
	offers := []Offer{
		{ID: "o1", AgentID: "s1", Hostname: "a", CPUs: 1, MemMB: 256, Ports: []PortRange{{31000, 31001}}, Attributes: map[string]string{"rack": "r1"}},
		{ID: "o2", AgentID: "s2", Hostname: "b", CPUs: 4, MemMB: 4096, Attributes: map[string]string{"rack": "r2"}},
	}
	pinned := func(agent string) Want { w := want(0.01, 0, 0); w.Agent = agent; return w }
	cases := []struct {
		name  string
		queue []Want
		want  [][]Launch
	}{
		{"packs several into one offer", []Want{want(0.5, 64, 0), want(0.5, 64, 0), want(0.5, 64, 0)},
			[][]Launch{{{Want: 0}, {Want: 1}}, {{Want: 2}}}},
		{"skips what does not fit, takes smaller behind", []Want{want(2, 64, 0), want(0.5, 64, 0)},
			[][]Launch{{{Want: 1}}, {{Want: 0}}}},
		{"ports come from the offer", []Want{want(0.1, 16, 2), want(0.1, 16, 1)},
			[][]Launch{{{Want: 0, Ports: []uint64{31000, 31001}}}, nil}},
		{"constraints", []Want{want(0.1, 16, 0, plan.Constraint{Field: "rack", Op: "==", Value: "r2"}),
			want(0.1, 16, 0, plan.Constraint{Field: "hostname", Op: "~", Value: "a|c"}),
			want(0.1, 16, 0, plan.Constraint{Field: "hostname", Op: "!=", Value: "a"})},
			[][]Launch{{{Want: 1}}, {{Want: 0}, {Want: 2}}}},
		{"a block of a session goes to its interpreter's agent", []Want{pinned("s2"), pinned("s1"), pinned("gone")},
			[][]Launch{{{Want: 1}}, {{Want: 0}}}},
		{"too big for any offer stays queued", []Want{want(8, 64, 0)}, [][]Launch{nil, nil}},
		{"nothing queued declines all", nil, [][]Launch{nil, nil}},
	}
	for _, c := range cases {
		got := Place(c.queue, offers)
		for i, p := range got {
			if !reflect.DeepEqual(p.Launches, c.want[i]) {
				t.Errorf("%s: offer %d: %+v, want %+v", c.name, i, p.Launches, c.want[i])
			}
		}
	}
}

// BenchmarkPlacement: 1,000 agents, 10,000 queued tasks. Reports the time
// per offer decision (goal ≤ 1 ms) and the offer cycles until every task
// is placed (goal ≤ 3), each cycle offering every agent's free resources.
func BenchmarkPlacement(b *testing.B) {
	const agents, tasks = 1000, 10000
	var queue []Want
	for i := 0; i < tasks; i++ {
		queue = append(queue, Want{ID: fmt.Sprint(i), Resources: plan.Resources{CPUs: 0.1 + float64(i%10)*0.1, MemMB: float64(32 + (i%7)*64), Ports: i % 3}})
	}
	for n := 0; n < b.N; n++ {
		free := make([]Offer, agents)
		for a := range free {
			free[a] = Offer{ID: fmt.Sprint(a), Hostname: fmt.Sprint("host", a), CPUs: 8, MemMB: 16384, Ports: []PortRange{{31000, 32000}}}
		}
		pending := queue
		cycles := 0
		var decide time.Duration
		for len(pending) > 0 && cycles < 10 {
			cycles++
			start := time.Now()
			placements := Place(pending, free)
			decide += time.Since(start)
			done := map[int]bool{}
			for _, p := range placements {
				for _, l := range p.Launches {
					done[l.Want] = true
					r := pending[l.Want].Resources
					free[p.Offer].CPUs -= r.CPUs
					free[p.Offer].MemMB -= r.MemMB
				}
			}
			var rest []Want
			for i, w := range pending {
				if !done[i] {
					rest = append(rest, w)
				}
			}
			pending = rest
		}
		if len(pending) > 0 {
			b.Fatalf("%d tasks never placed", len(pending))
		}
		b.ReportMetric(float64(decide.Microseconds())/1000/float64(agents*cycles), "ms/offer")
		b.ReportMetric(float64(cycles), "cycles")
	}
}
