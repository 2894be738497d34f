package executor

import (
	"encoding/json"
	"os"
	"strings"

	mesos "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/taskenv"
)

// UnsetLabel is the task label that carries the variables the document's
// Emacs removed before the block (engine.Attempt.Unset), as a JSON list:
// the executor leaves them out of what it gives the task's program from
// its own environment (the agent's), whatever their names.
const UnsetLabel = "borges_unset"

// UnsetLabelOf is the UnsetLabel of names; ok is false for none.
func UnsetLabelOf(names []string) (l mesos.Label, ok bool) {
	if len(names) == 0 {
		return mesos.Label{}, false
	}
	data, _ := json.Marshal(names) // strings always marshal
	value := string(data)
	return mesos.Label{Key: UnsetLabel, Value: &value}, true
}

// unsetOf is the list a task's UnsetLabel carries (none when it has no
// such label, or one that does not read).
func unsetOf(info mesos.TaskInfo) []string {
	var names []string
	if v := label(info, UnsetLabel); v != "" {
		json.Unmarshal([]byte(v), &names)
	}
	return names
}

// taskEnv is the environment of a task's program, but for its marker: the
// executor's own, less what only the executor is told and what the task's
// UnsetLabel names, with the task's sandbox (dir), its id, and its
// command's variables.
func taskEnv(dir, id string, info mesos.TaskInfo, c *mesos.CommandInfo) []string {
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
	env = taskenv.Without(env, unsetOf(info))
	env = append(env, "MESOS_SANDBOX="+dir, "MESOS_DIRECTORY="+dir, "MESOS_TASK_ID="+id)
	if c.Environment != nil {
		for _, v := range c.Environment.Variables {
			env = append(env, v.Name+"="+v.GetValue())
		}
	}
	return env
}
