package engine

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the engine's Prometheus collectors.
type Metrics struct {
	documents prometheus.Gauge
	launches  prometheus.Counter
	failures  prometheus.Counter
	rejected  prometheus.Counter
	latency   prometheus.Histogram
	// states counts task instances by state when scraped: a scheduling
	// pass looks only at what changed, so it cannot keep totals.
	states *stateCollector
}

func newMetrics() *Metrics {
	return &Metrics{
		documents: prometheus.NewGauge(prometheus.GaugeOpts{Name: "borges_documents", Help: "Documents accepted and kept."}),
		launches:  prometheus.NewCounter(prometheus.CounterOpts{Name: "borges_launches_total", Help: "Attempts handed to the backend."}),
		failures:  prometheus.NewCounter(prometheus.CounterOpts{Name: "borges_failures_total", Help: "Attempts that failed or were lost, and instances blocked by a failed dependency."}),
		rejected:  prometheus.NewCounter(prometheus.CounterOpts{Name: "borges_documents_rejected_total", Help: "Documents rejected at submission."}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "borges_scheduling_latency_seconds",
			Help: "From an instance becoming ready to its launch.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}),
		states: &stateCollector{
			queue: prometheus.NewDesc("borges_queue_length", "Task instances waiting for dependencies, capacity or a restart.", nil, nil),
			tasks: prometheus.NewDesc("borges_tasks", "Task instances by state.", []string{"state"}, nil),
		},
	}
}

// Register adds the collectors to a registry.
func (m *Metrics) Register(r prometheus.Registerer) error {
	for _, c := range []prometheus.Collector{m.documents, m.launches, m.failures, m.rejected, m.latency, m.states} {
		if err := r.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// stateCollector reports borges_tasks{state} and borges_queue_length,
// counted by count at each scrape.
type stateCollector struct {
	queue, tasks *prometheus.Desc
	count        func() map[State]int
}

func (c *stateCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.queue
	ch <- c.tasks
}

func (c *stateCollector) Collect(ch chan<- prometheus.Metric) {
	counts := map[State]int{}
	if c.count != nil {
		counts = c.count()
	}
	ch <- prometheus.MustNewConstMetric(c.queue, prometheus.GaugeValue, float64(counts[Queued]))
	for _, st := range []State{Queued, Staged, Running, Finished, Failed, Killed, Lost} {
		ch <- prometheus.MustNewConstMetric(c.tasks, prometheus.GaugeValue, float64(counts[st]), string(st))
	}
}
