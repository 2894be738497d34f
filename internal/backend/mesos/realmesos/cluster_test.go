package realmesos

import (
	"testing"
)

// TestCluster: a master and two agents with attributes start, register,
// and are seen by the master with their resources.
func TestCluster(t *testing.T) {
	c := Start(t, Options{Agents: []AgentOptions{
		{Resources: "cpus:1;mem:256;disk:64;ports:[31000-31009]", Attributes: "rack:a"},
		{Attributes: "rack:b"},
	}})
	s := c.State()
	if len(s.Slaves) != 2 {
		t.Fatalf("%d agents at the master", len(s.Slaves))
	}
	racks := map[any]bool{}
	for _, a := range s.Slaves {
		racks[a.Attributes["rack"]] = true
	}
	if !racks["a"] || !racks["b"] {
		t.Fatalf("agent attributes: %+v", s.Slaves)
	}
}
