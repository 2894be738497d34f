// Package mesos will run Borges' tasks on an Apache Mesos cluster as a
// framework of the v1 scheduler HTTP API. This file holds its placement
// decision: a pure function from (queue, offers) to launches.
package mesos

import (
	"regexp"
	"sync"

	"github.com/wallyqs/borges/internal/plan"
)

// Want is one queued task instance waiting for resources.
type Want struct {
	ID          string
	Resources   plan.Resources
	Constraints []plan.Constraint
	// Agent, when set, is the only agent the want may go to (a block of
	// a session whose interpreter runs there).
	Agent string
}

// PortRange is an inclusive range of ports.
type PortRange struct{ Begin, End uint64 }

// Offer is what one offer gives.
type Offer struct {
	ID, AgentID, Hostname string
	CPUs, MemMB, DiskMB   float64
	GPUs                  float64
	Ports                 []PortRange
	Attributes            map[string]string
}

// Launch places one want on an offer, with the host ports it gets.
type Launch struct {
	Want  int // index in the queue
	Ports []uint64
}

// Placement is what to do with one offer: the launches (none: decline).
type Placement struct {
	Offer    int // index in the offers
	Launches []Launch
}

// Place packs queued wants into offers, in queue order (first fit): each
// offer takes every want, in order, that fits what is left of it and
// satisfies the want's constraints. Offers that take nothing are to be
// declined. A want is placed at most once.
func Place(queue []Want, offers []Offer) []Placement {
	placed := make([]bool, len(queue))
	first := 0 // wants before first are all placed
	out := make([]Placement, len(offers))
	for oi := range offers {
		o := offers[oi]
		out[oi].Offer = oi
		free := o
		ports := freePorts(o.Ports)
		for first < len(queue) && placed[first] {
			first++
		}
		for wi := first; wi < len(queue); wi++ {
			if placed[wi] {
				continue
			}
			w := queue[wi]
			r := w.Resources
			if r.CPUs > free.CPUs+1e-9 || r.MemMB > free.MemMB+1e-9 || r.DiskMB > free.DiskMB+1e-9 ||
				float64(r.GPUs) > free.GPUs+1e-9 || r.Ports > len(ports) || !Satisfies(o, w.Constraints) ||
				w.Agent != "" && w.Agent != o.AgentID {
				if free.CPUs < 1e-9 || free.MemMB < 1e-9 {
					break // nothing else can fit this offer
				}
				continue
			}
			free.CPUs -= r.CPUs
			free.MemMB -= r.MemMB
			free.DiskMB -= r.DiskMB
			free.GPUs -= float64(r.GPUs)
			l := Launch{Want: wi}
			if r.Ports > 0 {
				l.Ports, ports = ports[:r.Ports:r.Ports], ports[r.Ports:]
			}
			out[oi].Launches = append(out[oi].Launches, l)
			placed[wi] = true
		}
	}
	return out
}

// freePorts lists the ports of ranges, lowest first, bounded: a task asks
// for a few ports, not thousands.
func freePorts(rs []PortRange) []uint64 {
	var out []uint64
	for _, r := range rs {
		for p := r.Begin; p <= r.End && len(out) < 1024; p++ {
			out = append(out, p)
		}
	}
	return out
}

// Satisfies reports whether an offer meets constraints on its hostname or
// agent attributes: FIELD==VALUE, FIELD!=VALUE, FIELD~REGEXP (whole value).
func Satisfies(o Offer, cs []plan.Constraint) bool {
	for _, c := range cs {
		v, ok := o.Attributes[c.Field]
		if c.Field == "hostname" {
			v, ok = o.Hostname, true
		}
		switch c.Op {
		case "==":
			if !ok || v != c.Value {
				return false
			}
		case "!=":
			if ok && v == c.Value {
				return false
			}
		case "~":
			re := compiled(c.Value)
			if !ok || re == nil || !re.MatchString(v) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

var (
	regexpsMu sync.Mutex
	regexps   = map[string]*regexp.Regexp{}
)

// compiled caches constraint regexps (anchored to the whole value).
func compiled(expr string) *regexp.Regexp {
	regexpsMu.Lock()
	defer regexpsMu.Unlock()
	if re, ok := regexps[expr]; ok {
		return re
	}
	re, err := regexp.Compile("^(?:" + expr + ")$")
	if err != nil {
		re = nil
	}
	regexps[expr] = re
	return re
}
