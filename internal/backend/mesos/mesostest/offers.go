package mesostest

import (
	"fmt"
	"sort"
	"strings"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
)

// offerLoop offers free resources every second (the real allocator's
// default batch interval).
func (m *Master) offerLoop() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-m.stop:
			return
		case <-tick.C:
			m.offerNow()
		}
	}
}

// offerNow offers each subscribed, unsuppressed framework the unused
// resources of every agent not already offered to it and not filtered.
func (m *Master) offerNow() {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := time.Now()
	for _, f := range m.frameworks {
		if f.suppressed || f.events == nil {
			continue
		}
		var offers []mesos.Offer
		for _, a := range m.agents {
			if a.lost || a.filtered[f.id].After(now) || m.offeredLocked(a) {
				continue
			}
			free := a.free()
			if free.cpus <= 0 && free.mem <= 0 {
				continue
			}
			o := &offer{id: fmt.Sprintf("%s-O%d", m.id, m.nextOffer), framework: f.id, agent: a, res: free}
			m.nextOffer++
			m.offers[o.id] = o
			offers = append(offers, m.offerProto(o))
		}
		if len(offers) > 0 {
			m.sendLocked(f, &scheduler.Event{Type: scheduler.Event_OFFERS, Offers: &scheduler.Event_Offers{Offers: offers}})
		}
	}
}

func (m *Master) offeredLocked(a *agent) bool {
	for _, o := range m.offers {
		if o.agent == a {
			return true
		}
	}
	return false
}

// free is what the agent has not given to tasks.
func (a *agent) free() resources {
	r := resources{cpus: a.spec.CPUs - a.used.cpus, mem: a.spec.MemMB - a.used.mem,
		disk: a.spec.DiskMB - a.used.disk, gpus: a.spec.GPUs - a.used.gpus}
	used := map[uint64]bool{}
	for _, p := range a.used.ports {
		used[p] = true
	}
	for _, rg := range a.spec.Ports {
		for p := rg[0]; p <= rg[1]; p++ {
			if !used[p] {
				r.ports = append(r.ports, p)
			}
		}
	}
	return r
}

func scalar(name string, v float64) mesos.Resource {
	t := mesos.SCALAR
	return mesos.Resource{Name: name, Type: &t, Scalar: &mesos.Value_Scalar{Value: v}, Role: strp("*"),
		AllocationInfo: &mesos.Resource_AllocationInfo{Role: strp("*")}}
}

func strp(s string) *string { return &s }

// offerProto renders an offer as the real master does (allocation_info,
// url of the agent, attributes).
func (m *Master) offerProto(o *offer) mesos.Offer {
	var res []mesos.Resource
	if o.res.cpus > 0 {
		res = append(res, scalar("cpus", o.res.cpus))
	}
	if o.res.mem > 0 {
		res = append(res, scalar("mem", o.res.mem))
	}
	if o.res.disk > 0 {
		res = append(res, scalar("disk", o.res.disk))
	}
	if o.res.gpus > 0 {
		res = append(res, scalar("gpus", o.res.gpus))
	}
	if len(o.res.ports) > 0 {
		t := mesos.RANGES
		res = append(res, mesos.Resource{Name: "ports", Type: &t, Ranges: &mesos.Value_Ranges{Range: toRanges(o.res.ports)}, Role: strp("*"),
			AllocationInfo: &mesos.Resource_AllocationInfo{Role: strp("*")}})
	}
	host, port := hostPort(o.agent.files.URL)
	var attrs []mesos.Attribute
	keys := make([]string, 0, len(o.agent.spec.Attributes))
	for k := range o.agent.spec.Attributes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		t := mesos.TEXT
		attrs = append(attrs, mesos.Attribute{Name: k, Type: t, Text: &mesos.Value_Text{Value: o.agent.spec.Attributes[k]}})
	}
	return mesos.Offer{ID: mesos.OfferID{Value: o.id}, FrameworkID: mesos.FrameworkID{Value: o.framework},
		AgentID: mesos.AgentID{Value: o.agent.id}, Hostname: o.agent.spec.Hostname, Resources: res, Attributes: attrs,
		AllocationInfo: &mesos.Resource_AllocationInfo{Role: strp("*")},
		URL:            &mesos.URL{Scheme: strings.SplitN(o.agent.files.URL, ":", 2)[0], Address: mesos.Address{Hostname: &host, IP: &host, Port: port}, Path: strp("/slave(1)")}}
}

func hostPort(url string) (string, int32) {
	u := url[strings.Index(url, "://")+3:]
	i := strings.LastIndexByte(u, ':')
	var p int32
	fmt.Sscanf(u[i+1:], "%d", &p)
	return u[:i], p
}

func toRanges(ports []uint64) []mesos.Value_Range {
	sort.Slice(ports, func(i, j int) bool { return ports[i] < ports[j] })
	var out []mesos.Value_Range
	for _, p := range ports {
		if n := len(out); n > 0 && out[n-1].End+1 == p {
			out[n-1].End = p
			continue
		}
		out = append(out, mesos.Value_Range{Begin: p, End: p})
	}
	return out
}

// RescindOffers withdraws every outstanding offer (RESCIND events).
func (m *Master) RescindOffers() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for id, o := range m.offers {
		if f := m.frameworks[o.framework]; f != nil {
			m.sendLocked(f, &scheduler.Event{Type: scheduler.Event_RESCIND, Rescind: &scheduler.Event_Rescind{OfferID: mesos.OfferID{Value: id}}})
		}
		delete(m.offers, id)
	}
}

// taskResources sums a task's resources.
func taskResources(rs []mesos.Resource) resources {
	var r resources
	for _, x := range rs {
		switch x.Name {
		case "cpus":
			r.cpus += x.GetScalar().GetValue()
		case "mem":
			r.mem += x.GetScalar().GetValue()
		case "disk":
			r.disk += x.GetScalar().GetValue()
		case "gpus":
			r.gpus += x.GetScalar().GetValue()
		case "ports":
			if x.Ranges != nil {
				for _, rg := range x.Ranges.Range {
					for p := rg.Begin; p <= rg.End; p++ {
						r.ports = append(r.ports, p)
					}
				}
			}
		}
	}
	return r
}

// fits reports whether want is within have (ports by membership).
func (have resources) fits(want resources) bool {
	const eps = 1e-9
	if want.cpus > have.cpus+eps || want.mem > have.mem+eps || want.disk > have.disk+eps || want.gpus > have.gpus+eps {
		return false
	}
	free := map[uint64]bool{}
	for _, p := range have.ports {
		free[p] = true
	}
	for _, p := range want.ports {
		if !free[p] {
			return false
		}
		delete(free, p)
	}
	return true
}

func (have resources) minus(want resources) resources {
	out := resources{cpus: have.cpus - want.cpus, mem: have.mem - want.mem, disk: have.disk - want.disk, gpus: have.gpus - want.gpus}
	taken := map[uint64]bool{}
	for _, p := range want.ports {
		taken[p] = true
	}
	for _, p := range have.ports {
		if !taken[p] {
			out.ports = append(out.ports, p)
		}
	}
	return out
}

func (r resources) plus(o resources) resources {
	return resources{cpus: r.cpus + o.cpus, mem: r.mem + o.mem, disk: r.disk + o.disk, gpus: r.gpus + o.gpus,
		ports: append(append([]uint64(nil), r.ports...), o.ports...)}
}

// describe prints resources as the master's TASK_ERROR message does.
func (r resources) describe() string {
	var parts []string
	parts = append(parts, fmt.Sprintf("cpus(allocated: *):%s", trimFloat(r.cpus)))
	parts = append(parts, fmt.Sprintf("mem(allocated: *):%s", trimFloat(r.mem)))
	if r.disk > 0 {
		parts = append(parts, fmt.Sprintf("disk(allocated: *):%s", trimFloat(r.disk)))
	}
	return strings.Join(parts, "; ")
}

func trimFloat(f float64) string {
	return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", f), "0"), ".")
}
