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

// postView is a block with a :post and its :post's task, as the server
// shows them.
var postView = []engine.BlockView{
	{Name: "main", Line: 1, Lang: "sh", Runnable: true, State: engine.Finished, Instances: []engine.InstanceView{{Instance: 0, State: engine.Finished, Attempts: 1}}},
	{Name: "main :post f(s=*this*)", Shown: "main (:post f(s=*this*))", Line: 1, Lang: "sh", Runnable: true, State: engine.Running,
		Instances: []engine.InstanceView{{Instance: 0, State: engine.Running, Attempts: 1, AttemptID: "d.1-x.0.1"}}},
}

// TestStatusShowsPostTasksByTheirBlock: `borges status ID` shows a :post's
// task by its block and the :post as written, not by the task's name.
func TestStatusShowsPostTasksByTheirBlock(t *testing.T) {
	var out bytes.Buffer
	writeDocument(&out, &engine.DocumentView{ID: "d", State: engine.Running, Blocks: postView})
	if !strings.Contains(out.String(), "  main (:post f(s=*this*))  sh  running") || strings.Contains(out.String(), "main :post") {
		t.Fatalf("status:\n%s", out.String())
	}
}

// TestFollowShowsPostTasksByTheirBlock: --follow marks a :post's task's
// states and output by its block and the :post, reading its output by
// the task's name.
func TestFollowShowsPostTasksByTheirBlock(t *testing.T) {
	var asked []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = append(asked, r.URL.Path)
		if r.URL.Query().Get("stream") == "stdout" && r.URL.Query().Get("offset") == "0" {
			w.Write([]byte("out\n"))
		}
	}))
	t.Cleanup(srv.Close)
	c := client.New(srv.URL, "")
	var out bytes.Buffer
	followBlock(context.Background(), c, "d", postView[1], &blockFollow{}, &out)
	if want := "[main (:post f(s=*this*))] running\n[main (:post f(s=*this*))] out\n"; out.String() != want {
		t.Fatalf("followed:\n%s\nwant:\n%s", out.String(), want)
	}
	if len(asked) == 0 || !strings.Contains(asked[0], "main :post f(s=*this*)") {
		t.Fatalf("asked for %q", asked)
	}
}
