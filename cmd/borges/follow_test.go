package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/client"
	"github.com/wallyqs/borges/internal/engine"
)

// TestFollowOutputBeforeRunning: output read while the server still has
// the block staged (its program ran before its start was reported) is
// printed after a "running" line, as a block's output always is, and the
// running state seen later is not printed again.
func TestFollowOutputBeforeRunning(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("stream") == "stdout" && r.URL.Query().Get("offset") == "0" {
			w.Write([]byte("out\n"))
		}
	}))
	t.Cleanup(srv.Close)
	c := client.New(srv.URL, "")
	var out bytes.Buffer
	f := &blockFollow{}
	in := engine.InstanceView{AttemptID: "d.0-b.0.1", Attempts: 1}
	followBlock(context.Background(), c, "d", engine.BlockView{Name: "b", Runnable: true, State: engine.Staged, Instances: []engine.InstanceView{in}}, f, &out)
	followBlock(context.Background(), c, "d", engine.BlockView{Name: "b", Runnable: true, State: engine.Running, Instances: []engine.InstanceView{in}}, f, &out)
	if want := "[b] staged\n[b] running\n[b] out\n"; out.String() != want {
		t.Fatalf("followed:\n%s\nwant:\n%s", out.String(), want)
	}
	if strings.Count(out.String(), "running") != 1 {
		t.Fatalf("running said twice:\n%s", out.String())
	}
}
