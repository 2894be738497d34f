package mesostest

import (
	"encoding/json"
	"net/http"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/master"
)

// serveOperator is the master's operator API (POST /api/v1), GET_TASKS
// only: every task with the statuses the master holds of it (those its
// executor or agent sent, with their message and reason), live ones under
// tasks, those ended and acknowledged under completed_tasks, as the real
// master lists them.
func (m *Master) serveOperator(w http.ResponseWriter, r *http.Request) {
	if !postOnly(w, r) {
		return
	}
	call := &master.Call{}
	protobuf, ok := readCall(w, r, call)
	if !ok {
		return
	}
	if call.Type != master.Call_GET_TASKS {
		http.Error(w, "the fake master answers GET_TASKS only", http.StatusNotImplemented)
		return
	}
	tasks := &master.Response_GetTasks{}
	m.mu.Lock()
	for _, t := range m.tasks {
		if t.unknown {
			continue
		}
		state := t.state
		mt := mesos.Task{Name: t.info.Name, TaskID: mesos.TaskID{Value: t.id}, FrameworkID: mesos.FrameworkID{Value: t.framework},
			State: &state, Resources: t.info.Resources, Statuses: append([]mesos.TaskStatus(nil), t.statuses...),
			StatusUpdateState: t.updateState}
		if t.agent != nil {
			mt.AgentID = mesos.AgentID{Value: t.agent.id}
		}
		if terminal(t.state) && len(t.queue) == 0 {
			tasks.CompletedTasks = append(tasks.CompletedTasks, mt)
		} else {
			tasks.Tasks = append(tasks.Tasks, mt)
		}
	}
	m.mu.Unlock()
	resp := &master.Response{Type: master.Response_GET_TASKS, GetTasks: tasks}
	var out []byte
	var err error
	if protobuf && r.Header.Get("Accept") != "application/json" {
		w.Header().Set("Content-Type", "application/x-protobuf")
		out, err = resp.Marshal()
	} else {
		w.Header().Set("Content-Type", "application/json")
		out, err = json.Marshal(resp)
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Write(out)
}
