package mesostest

import (
	"context"
	"testing"
	"time"

	mesos "github.com/mesos/mesos-go/api/v1/lib"
	"github.com/mesos/mesos-go/api/v1/lib/encoding/codecs"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli"
	"github.com/mesos/mesos-go/api/v1/lib/httpcli/httpsched"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler"
	"github.com/mesos/mesos-go/api/v1/lib/scheduler/calls"
)

// TestMesosGoProtobuf drives the fake with mesos-go v0.0.11 over protobuf,
// the way Borges talks to a real master: subscribe, take an offer, launch
// a command, follow it to TASK_FINISHED acknowledging every update.
func TestMesosGoProtobuf(t *testing.T) {
	m := New(Options{Agents: []AgentSpec{{CPUs: 2, MemMB: 1024}}, ResendInterval: time.Hour})
	defer m.Close()
	cli := httpcli.New(httpcli.Endpoint(m.URL()+"/api/v1/scheduler"), httpcli.Codec(codecs.ByMediaType[codecs.MediaTypeProtobuf]))
	caller := httpsched.NewCaller(cli)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	name := "borges-test"
	resp, err := caller.Call(ctx, calls.Subscribe(&mesos.FrameworkInfo{User: "root", Name: name}))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Close()
	var fwID string
	var states []mesos.TaskState
	for len(states) == 0 || states[len(states)-1] != mesos.TASK_FINISHED {
		var e scheduler.Event
		if err := resp.Decode(&e); err != nil {
			t.Fatalf("decode: %v", err)
		}
		switch e.Type {
		case scheduler.Event_SUBSCRIBED:
			fwID = e.Subscribed.FrameworkID.Value
		case scheduler.Event_OFFERS:
			o := e.Offers.Offers[0]
			ti := mesos.TaskInfo{Name: "hello", TaskID: mesos.TaskID{Value: "hello-1"}, AgentID: o.AgentID,
				Command:   &mesos.CommandInfo{Value: strPtr("echo hello from protobuf")},
				Resources: []mesos.Resource{scalar("cpus", 0.5), scalar("mem", 64)}}
			accept := calls.Accept(calls.OfferOperations{calls.OpLaunch(ti)}.WithOffers(o.ID)).With(calls.Framework(fwID))
			if r, err := caller.Call(ctx, accept); err != nil {
				t.Fatalf("accept: %v", err)
			} else if r != nil {
				r.Close()
			}
		case scheduler.Event_UPDATE:
			st := e.Update.Status
			states = append(states, st.GetState())
			if st.UUID != nil {
				ack := calls.Acknowledge(st.AgentID.Value, st.TaskID.Value, st.UUID).With(calls.Framework(fwID))
				if r, err := caller.Call(ctx, ack); err != nil {
					t.Fatalf("ack: %v", err)
				} else if r != nil {
					r.Close()
				}
			}
		}
	}
	want := []mesos.TaskState{mesos.TASK_STARTING, mesos.TASK_RUNNING, mesos.TASK_FINISHED}
	if len(states) != 3 || states[0] != want[0] || states[1] != want[1] || states[2] != want[2] {
		t.Fatalf("states %v", states)
	}
	if m.Tasks()["hello-1"].Name != "hello" {
		t.Fatalf("task not recorded: %v", m.Tasks())
	}
}

func strPtr(s string) *string { return &s }
