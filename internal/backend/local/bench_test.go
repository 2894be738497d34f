package local

import (
	"context"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
)

// BenchmarkAttempt measures one trivial block from launch to its end and
// its output recorded: as a process, and in a container of the Docker
// engine (what :dockerize costs on this machine).
func BenchmarkAttempt(b *testing.B) {
	for _, c := range []struct {
		name string
		mod  func(*plan.Task)
	}{
		{"process", nil},
		{"container", func(task *plan.Task) {
			task.Container = &plan.Container{Image: outside.TestImage, Kind: "docker", Network: "host"}
		}},
	} {
		b.Run(c.name, func(b *testing.B) {
			if c.mod != nil {
				outside.Docker(b)
			}
			be, err := New(Config{DataDir: b.TempDir(), CgroupParent: "-"})
			if err != nil {
				b.Fatal(err)
			}
			done := make(chan engine.Update, 16)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			be.Start(ctx, func(u engine.Update) {
				if u.State.Terminal() {
					done <- u
				}
			})
			b.ResetTimer()
			start := time.Now()
			for i := 0; i < b.N; i++ {
				a := attempt("echo hi", c.mod)
				if err := be.Launch(ctx, a); err != nil {
					b.Fatal(err)
				}
				if u := <-done; u.State != engine.Finished {
					b.Fatalf("attempt: %+v", u)
				}
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/attempt")
		})
	}
}
