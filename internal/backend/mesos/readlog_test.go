package mesos

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
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

// TestReadLogLinkOutOfExecutor: a task on Borges' executor that puts, at
// its own stdout, a link to a file out of the executor's directory gets
// none of that file served as its output: the agent refuses it (as a
// real agent's files API does, 400 "inaccessible"), and Borges says the
// agent refused the read, not that its answer was malformed. (A link to
// a file within the executor's directory, another task's, is followed
// by the agent: see the README's security section.)
func TestReadLogLinkOutOfExecutor(t *testing.T) {
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 1, MemMB: 512}}})
	t.Cleanup(m.Close)
	b := startBorges(t, m.URL(), t.TempDir(), testExecutor(t))
	t.Cleanup(b.stop)
	secret := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(secret, []byte("not the task's\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	doc := "#+name: w\n#+begin_src sh\nrm \"$MESOS_SANDBOX/stdout\"; ln -s " + secret + " \"$MESOS_SANDBOX/stdout\"; echo x > \"$MESOS_SANDBOX/linked\"; sleep 30\n#+end_src\n"
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	var data []byte
	waitFor(t, "the link made", func() bool {
		data, _, _, err = b.eng.ReadLog(context.Background(), v.ID, "w", 0, "linked", 0, 100)
		return err == nil && string(data) == "x\n"
	})
	data, _, _, err = b.eng.ReadLog(context.Background(), v.ID, "w", 0, "stdout", 0, 100)
	if strings.Contains(string(data), "not the task's") {
		t.Fatalf("served a file out of the executor's directory as the task's output: %q", data)
	}
	if err == nil || !strings.Contains(err.Error(), "400") {
		t.Fatalf("read %q, error %v; want an error saying the agent refused the read (400)", data, err)
	}
}
