package executor

import (
	"os"
	"strings"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
)

// taskEnv is the environment of a task's program, but for its marker: the
// executor's own, less what only the executor is told, with the task's
// sandbox (dir), its id, and its command's variables.
func taskEnv(dir, id string, c *mesos.CommandInfo) []string {
	env := []string{}
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch name {
		case EnvMarker, EnvIdle, "MESOS_EXECUTOR_ID", "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD", "MESOS_RECOVERY_TIMEOUT",
			"MESOS_SUBSCRIPTION_BACKOFF_MAX", "MESOS_CHECKPOINT", "MESOS_SANDBOX", "MESOS_DIRECTORY":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "MESOS_SANDBOX="+dir, "MESOS_DIRECTORY="+dir, "MESOS_TASK_ID="+id)
	if c.Environment != nil {
		for _, v := range c.Environment.Variables {
			env = append(env, v.Name+"="+v.GetValue())
		}
	}
	return env
}
