package mesos

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
)

// What is read of a task's file is bounded by what the caller asks for,
// whatever the agent answers.
func TestReadLogBounded(t *testing.T) {
	big := strings.Repeat("y", 8<<20)
	agent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("offset") == "-1" {
			fmt.Fprintf(w, `{"data":%q,"offset":%d}`, big, len(big))
			return
		}
		fmt.Fprintf(w, `{"data":%q,"offset":0}`, big)
	}))
	t.Cleanup(agent.Close)
	b, _ := New(Config{Master: "127.0.0.1:1"})
	b.tasks["t"] = &taskInfo{attempt: &engine.Attempt{ID: "t"}, agentID: "a", dir: "/sandbox"}
	b.agents["a"] = agent.URL
	data, _, err := b.ReadLog(context.Background(), "t", "stdout", 0, 10)
	if len(data) > 10 {
		t.Fatalf("read %d bytes, asked for 10 (%v)", len(data), err)
	}
}
