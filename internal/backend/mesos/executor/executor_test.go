package executor

import (
	"strings"
	"testing"
	"time"
)

// TestFromEnv: the agent's durations are Mesos' ("15mins", "2secs"), the
// first real agent's environment made the executor exit at once when
// "15mins" was read as nanoseconds with a bad number.
func TestFromEnv(t *testing.T) {
	env := map[string]string{"MESOS_FRAMEWORK_ID": "fw", "MESOS_EXECUTOR_ID": "ex", "MESOS_SANDBOX": "/sb",
		"MESOS_AGENT_ENDPOINT": "127.0.0.1:5051", "MESOS_CHECKPOINT": "1", "MESOS_RECOVERY_TIMEOUT": "15mins",
		"MESOS_SUBSCRIPTION_BACKOFF_MAX": "2secs", "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD": "5secs", EnvIdle: "90s"}
	c, err := FromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if !c.Checkpoint || c.RecoveryTimeout != 15*time.Minute || c.BackoffMax != 2*time.Second ||
		c.ShutdownGrace != 5*time.Second || c.IdleTimeout != 90*time.Second || c.Agent != "127.0.0.1:5051" {
		t.Fatalf("config: %+v", c)
	}
	for in, want := range map[string]time.Duration{"100ms": 100 * time.Millisecond, "1.5hrs": 90 * time.Minute,
		"2days": 48 * time.Hour, "1weeks": 7 * 24 * time.Hour, "250us": 250 * time.Microsecond, "7ns": 7} {
		if got, err := parseDuration(in); err != nil || got != want {
			t.Errorf("parseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	env["MESOS_RECOVERY_TIMEOUT"] = "soon"
	if _, err := FromEnv(func(k string) string { return env[k] }); err == nil || !strings.Contains(err.Error(), "MESOS_RECOVERY_TIMEOUT") {
		t.Fatalf("a bad duration: %v", err)
	}
	if _, err := FromEnv(func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "not started by a Mesos agent") {
		t.Fatalf("no environment: %v", err)
	}
}
