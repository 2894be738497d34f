package engine

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the engine's Prometheus collectors.
type Metrics struct {
	documents prometheus.Gauge
	queue     prometheus.Gauge
	launches  prometheus.Counter
	failures  prometheus.Counter
	rejected  prometheus.Counter
	latency   prometheus.Histogram
	tasks     *prometheus.GaugeVec
}

func newMetrics() *Metrics {
	return &Metrics{
		documents: prometheus.NewGauge(prometheus.GaugeOpts{Name: "borges_documents", Help: "Documents accepted and kept."}),
		queue:     prometheus.NewGauge(prometheus.GaugeOpts{Name: "borges_queue_length", Help: "Task instances waiting for dependencies, capacity or a restart."}),
		launches:  prometheus.NewCounter(prometheus.CounterOpts{Name: "borges_launches_total", Help: "Attempts handed to the backend."}),
		failures:  prometheus.NewCounter(prometheus.CounterOpts{Name: "borges_failures_total", Help: "Attempts that failed or were lost, and instances blocked by a failed dependency."}),
		rejected:  prometheus.NewCounter(prometheus.CounterOpts{Name: "borges_documents_rejected_total", Help: "Documents rejected at submission."}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "borges_scheduling_latency_seconds",
			Help: "From an instance becoming ready to its launch.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16)}),
		tasks: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "borges_tasks", Help: "Task instances by state."}, []string{"state"}),
	}
}

// Register adds the collectors to a registry.
func (m *Metrics) Register(r prometheus.Registerer) error {
	for _, c := range []prometheus.Collector{m.documents, m.queue, m.launches, m.failures, m.rejected, m.latency, m.tasks} {
		if err := r.Register(c); err != nil {
			return err
		}
	}
	return nil
}
