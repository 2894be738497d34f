package local

import "github.com/wallyqs/borges/internal/cgroup"

// A task is its cgroup (see package cgroup): every process an attempt
// starts stays in the attempt's cgroup whatever it does to its process
// group or session, so the cgroup is what Borges limits, counts and kills.
type (
	cgroupLayout  = cgroup.Layout
	cgroups       = cgroup.Set
	attemptCgroup = cgroup.Group
)

const serverLeaf = cgroup.ServerLeaf

var (
	discoverLayout = cgroup.Discover
	parseLayout    = cgroup.ParseLayout
	setupCgroups   = cgroup.Setup
	setupV2        = cgroup.SetupV2
	cpuShares      = cgroup.CPUShares
	cpuWeight      = cgroup.CPUWeight
	v1Controllers  = cgroup.V1Controllers
)
