package mesos

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	mesoslib "github.com/mesos/mesos-go/api/v1/lib"

	"github.com/wallyqs/borges/internal/backend/local"
	"github.com/wallyqs/borges/internal/backend/mesos/executor"
	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/store"
)

// sessionDoc has a shell, a Python and a Ruby session, interleaved with
// blocks outside them that take their results and feed them.
const sessionDoc = `#+name: setup
#+begin_src sh :session sh1 :cpu 0.5 :mem 64
n=3
greet() { echo "hello $1"; }
#+end_src

#+name: count
#+begin_src sh :session sh1 :results output
greet world
echo "n=$n"
#+end_src

#+name: outside
#+begin_src sh :var c=count :results output
echo "outside saw: $c"
#+end_src

#+name: back
#+begin_src sh :session sh1 :var o=outside :results output
n=$((n + 1))
echo "$o / n=$n"
#+end_src

#+name: py-setup
#+begin_src python :session py
data = [1, 2, 3]
#+end_src

#+name: py-sum
#+begin_src python :session py
sum(data) * 10
#+end_src

#+begin_src python :session py :var extra=py-sum :results output
data.append(extra)
print(data)
#+end_src

#+begin_src python :session py
[[x, x * x] for x in data]
#+end_src

#+name: rb-setup
#+begin_src ruby :session rb
h = {a: 1}
puts "set"
#+end_src

#+begin_src ruby :session rb :var extra=py-sum
h[:a] + extra
#+end_src
`

// runLocally runs a document on the local backend and returns its results
// document: what Mesos must write for it too.
func runLocally(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "borges.db"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := local.New(local.Config{DataDir: dir, CgroupParent: "-"})
	if err != nil {
		t.Fatal(err)
	}
	eng := engine.New(engine.Config{Backend: b, Store: st})
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); awaitStopped(eng); st.Close() }()
	if err := eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	v, err := eng.Submit(ctx, text)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the document ended on this machine", func() bool { d, _ := eng.Document(v.ID); return d.State.Terminal() })
	out, err := eng.ResultDocument(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sessionTasks are the session tasks and the block tasks the master was
// given, by id.
func sessionTasks(m *mesostest.Master) (sessions, blocks map[string]mesoslib.TaskInfo) {
	sessions, blocks = map[string]mesoslib.TaskInfo{}, map[string]mesoslib.TaskInfo{}
	for id, ti := range m.Tasks() {
		for _, l := range ti.GetLabels().GetLabels() {
			switch l.Key {
			case executor.SessionKindLabel:
				sessions[id] = ti
			case executor.SessionLabel:
				blocks[id] = ti
			}
		}
	}
	return sessions, blocks
}

// TestSessionsOnExecutor: on Borges' executor a session (shell, Python,
// Ruby) is one Mesos task,
// its interpreter, launched with the session's first block and holding its
// resources; each block of the session is a task on the same executor,
// holding the least the master takes, and sent to that interpreter. The
// results are those the local backend writes, byte for byte. Once its
// blocks have ended, the session's task is killed.
func TestSessionsOnExecutor(t *testing.T) {
	outside.Need(t, "python3", "python3")
	outside.Need(t, "ruby", "ruby")
	m, v, _ := likeLocallyOnExecutor(t, sessionDoc)
	for _, blk := range v.Blocks {
		if blk.Task != nil && len(blk.Task.Notes) > 0 {
			t.Errorf("%s: notes %q", blk.Name, blk.Task.Notes)
		}
	}
	sessions, blocks := sessionTasks(m)
	// Nine blocks of sessions, and four runs of them again for the
	// references to them (c=count, o=outside's own c=count, extra=py-sum
	// twice), as org-babel-ref-resolve runs them.
	if len(sessions) != 3 || len(blocks) != 13 {
		t.Fatalf("%d session tasks and %d block tasks, want 3 and 13", len(sessions), len(blocks))
	}
	executors := map[string]bool{}
	for id, ti := range sessions {
		executors[ti.GetExecutor().GetExecutorID().Value] = true
		if strings.HasPrefix(id, v.ID+".1-setup.") {
			if r := taskResourcesOf(ti); r["cpus"] != 0.5 || r["mem"] != 64 {
				t.Errorf("the shell session's task holds %v, want its first block's", r)
			}
		}
		waitFor(t, "the session's task killed", func() bool { s, _ := m.TaskState(id); return s == mesoslib.TASK_KILLED })
	}
	for id, ti := range blocks {
		executors[ti.GetExecutor().GetExecutorID().Value] = true
		if r := taskResourcesOf(ti); len(r) != 1 || r["cpus"] != sessionBlockCPUs {
			t.Errorf("block %s holds %v", id, r)
		}
		var sb executor.SessionBlock
		if err := json.Unmarshal(ti.Data, &sb); err != nil || sb.Body == "" {
			t.Errorf("block %s: data %q: %v", id, ti.Data, err)
		}
	}
	if len(executors) != 1 {
		t.Fatalf("executors %v, want one", executors)
	}
}

// likeLocallyOnExecutor runs doc on Borges' executor (a fake master, one
// agent, stopped at the test's end) and checks that its results are the
// local backend's, byte for byte; it returns the master, the document as
// submitted and its results.
func likeLocallyOnExecutor(t *testing.T, doc string) (*mesostest.Master, *engine.DocumentView, string) {
	t.Helper()
	want := runLocally(t, doc)
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024, DiskMB: 1024}}, ResendInterval: time.Second})
	t.Cleanup(m.Close)
	b := startBorges(t, m.URL(), t.TempDir(), testExecutor(t))
	t.Cleanup(b.stop)
	v, err := b.eng.Submit(context.Background(), doc)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the document ended", func() bool { d, _ := b.eng.Document(v.ID); return d.State.Terminal() })
	got, err := b.eng.ResultDocument(context.Background(), v.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Fatalf("differs from the local backend's:\n--- local\n%s\n--- mesos\n%s", want, got)
	}
	return m, v, got
}

func taskResourcesOf(ti mesoslib.TaskInfo) map[string]float64 {
	out := map[string]float64{}
	for _, r := range ti.Resources {
		out[r.Name] += r.GetScalar().GetValue()
	}
	return out
}

// TestSessionsOnMesos: without Borges' executor (a command executor per
// task, which takes no input once launched) the blocks of a :session are
// tasks of their own, each with a note saying why, and none waits on
// another for it; with it, a block in a container is.
func TestSessionsOnMesos(t *testing.T) {
	b := startBorges(t, "127.0.0.1:1", t.TempDir())
	defer b.stop()
	v, err := b.eng.Submit(context.Background(), "#+name: a\n#+begin_src sh :session s\nx=1\n#+end_src\n\n#+name: b\n#+begin_src sh :session s\necho $x\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	for _, blk := range v.Blocks {
		task := blk.Task
		if task == nil || task.Session != nil || len(task.After) != 0 {
			t.Fatalf("%s: %+v", blk.Name, task)
		}
		if len(task.Notes) != 1 || !strings.Contains(task.Notes[0], "Mesos backend runs each block as a task of its own") ||
			!strings.Contains(task.Notes[0], "#+mesos_executor") {
			t.Errorf("%s: notes %q", blk.Name, task.Notes)
		}
	}

	withExecutor := startBorges(t, "127.0.0.1:1", t.TempDir(), testExecutor(t))
	defer withExecutor.stop()
	v, err = withExecutor.eng.Submit(context.Background(), "#+name: a\n#+begin_src sh :session s\nx=1\n#+end_src\n\n"+
		"#+name: b\n#+begin_src sh :session s :dockerize t :image debian:12\necho $x\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	if a := v.Blocks[0].Task; a.Session == nil || len(a.Notes) != 0 {
		t.Errorf("a: %+v", a)
	}
	if c := v.Blocks[1].Task; c.Session != nil || len(c.Notes) != 1 || !strings.Contains(c.Notes[0], "container") {
		t.Errorf("b: %+v", c)
	}
}
