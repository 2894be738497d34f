package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/backend/mesos/mesostest"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
)

// The end-to-end tests build the real binary and run it as a user would.

var binary string

func TestMain(m *testing.M) {
	// Python started directly, not through a version manager's shim
	// (see outside.UnshimPython): by the server, Emacs and sessions.
	if err := outside.UnshimPython(); err != nil {
		fmt.Fprintln(os.Stderr, "end-to-end tests: Python stays as PATH finds it:", err)
	}
	dir, err := os.MkdirTemp("", "borges-e2e")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "borges")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "building borges: %v\n%s", err, out)
		os.Exit(1)
	}
	outside.SideBySide(endToEndParallel)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// endToEndParallel is how many tests run side by side unless go test's
// -parallel says otherwise (outside.SideBySide). Each end-to-end test has a
// server, directories and ports of its own and calls t.Parallel (those
// that set the environment, t.Setenv, cannot). Four, not more: many of
// them start real Mesos clusters, real Kubernetes or Chromium, whose
// start-up bursts and second-scale pings and timeouts a loaded machine
// would miss.
const endToEndParallel = 4

// server is a running borges.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string
	data string
	log  *syncBuffer
	// exited is closed once the server process has been waited for.
	exited chan struct{}
}

// freePort is a port for a server the test starts next, below the
// ephemeral range (outside.ServerPort): between the pick and the server's
// listen, an outgoing connection could take a port from that range.
func freePort(t *testing.T) int {
	t.Helper()
	p, err := outside.ServerPort()
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// syncBuffer collects what is written from other goroutines while the
// test reads it.
type syncBuffer = proctest.SyncBuffer

// startMesosServer starts a fake Mesos master with the given agents and
// Borges configured by a setupfile that names it.
func startMesosServer(t *testing.T, agents ...mesostest.AgentSpec) (*server, *mesostest.Master) {
	t.Helper()
	m := mesostest.New(mesostest.Options{Agents: agents})
	// Run last: once the server is stopped and the master closed, no
	// process of the tasks (nor the guard Borges gives each) is left.
	t.Cleanup(func() {
		if left := m.Leftovers(); len(left) > 0 {
			t.Errorf("processes %v of the Mesos tasks are left once the test is cleaned up", left)
		}
	})
	t.Cleanup(m.Close)
	dir := t.TempDir()
	conf := filepath.Join(dir, "borges-config.org")
	text := "#+TITLE: Borges Configuration\n\n#+mesos_master: " + strings.TrimPrefix(m.URL(), "http://") + "\n"
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return startServer(t, filepath.Join(dir, "data"), "-f", conf), m
}

// waitForGo is a line of sh that waits (a minute at least, bounded) until
// a file "go" is in the working directory: a block held until the test
// writes it into the attempt's sandbox, where a sleep would end on its
// own before or after what the test waits for on a loaded machine.
const waitForGo = "i=0; while [ ! -e go ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done\n"

// startServer runs borges on a free loopback port with data in dir.
func startServer(t *testing.T, dir string, extra ...string) *server {
	t.Helper()
	return startServerIn(t, "", dir, extra...)
}

// startServerIn is startServer run in the working directory cwd ("":
// the test's), dir relative to it or not.
func startServerIn(t *testing.T, cwd, dir string, extra ...string) *server {
	t.Helper()
	port := freePort(t)
	args := append([]string{"-data", dir, "-port", fmt.Sprint(port), "-logtostderr=true"}, extra...)
	if cwd != "" && !filepath.IsAbs(dir) {
		dir = filepath.Join(cwd, dir)
	}
	s := &server{t: t, addr: fmt.Sprintf("127.0.0.1:%d", port), data: dir, log: &syncBuffer{}}
	s.cmd = exec.Command(binary, args...)
	s.cmd.Dir = cwd
	s.cmd.Stderr = s.log
	s.cmd.Stdout = s.log
	t.Cleanup(func() {
		if left := sweep(t, dir); len(left) > 0 {
			if len(left) > 10 {
				left = append(left[:10], fmt.Sprintf("and %d more", len(left)-10))
			}
			t.Logf("removed what the test left running: %s", strings.Join(left, ", "))
		}
	})
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.exited = make(chan struct{})
	go func() {
		s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() { s.stop() })
	// The server listens once it has opened its database and recovered
	// what its backends ran, which takes seconds on a loaded machine. Its
	// own log line, not any answer on the port (another program may have
	// taken it), says it is up; its exit (the port taken) ends the wait.
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			t.Fatalf("server exited before it listened:\n%s", s.log)
		case <-time.After(20 * time.Millisecond):
		}
		if !strings.Contains(s.log.String(), "API server running at "+s.addr) {
			continue
		}
		if resp, err := http.Get("http://" + s.addr + "/healthz"); err == nil {
			resp.Body.Close()
			return s
		}
	}
	t.Fatalf("server did not start within a minute:\n%s", s.log)
	return nil
}

// stop ends the server as a user would (SIGTERM), killing it if it has
// not exited within a minute.
// stop sends the server SIGTERM and returns its exit code once it has
// exited (at once if it already had), killing it after a generous bound (a
// server that never exits, not a measure). The process is waited for once,
// by startServer's goroutine (s.exited).
func (s *server) stop() int {
	select {
	case <-s.exited:
		return s.cmd.ProcessState.ExitCode()
	default:
	}
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(time.Minute):
		s.t.Errorf("server did not exit within a minute of SIGTERM:\n%s", s.log)
		s.kill9()
	}
	return s.cmd.ProcessState.ExitCode()
}

func (s *server) kill9() {
	s.cmd.Process.Kill()
	<-s.exited
}

func (s *server) post(body, contentType, accept string) (int, string) {
	req, _ := http.NewRequest("POST", "http://"+s.addr+"/org", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func (s *server) submit(doc string) *engine.DocumentView {
	code, body := s.post(doc, "text/org", "application/json")
	if code != http.StatusCreated {
		s.t.Fatalf("POST /org: %d %s", code, body)
	}
	var v engine.DocumentView
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		s.t.Fatal(err)
	}
	return &v
}

func (s *server) get(path string) (int, string) {
	resp, err := http.Get("http://" + s.addr + path)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(data)
}

func (s *server) doc(id string) *engine.DocumentView {
	code, body := s.get("/org/" + id + ".json")
	if code != 200 {
		s.t.Fatalf("GET %s: %d %s", id, code, body)
	}
	var v engine.DocumentView
	json.Unmarshal([]byte(body), &v)
	return &v
}

// until polls cond for up to a minute.
func until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 600; i++ {
		if cond() {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("timed out waiting until %s", what)
}

// attemptOf is the id of attempt n of instance 0 of a document's block,
// as the server names it (and its directory, container and Mesos task).
func attemptOf(t *testing.T, s *server, docID, block string, n int) string {
	t.Helper()
	b := blockOf(s.doc(docID), block)
	if b.Task == nil {
		t.Fatalf("block %s has no task", block)
	}
	return engine.AttemptID(docID, b.Task.Index, block, 0, n)
}

func blockOf(v *engine.DocumentView, name string) engine.BlockView {
	for _, b := range v.Blocks {
		if b.Name == name {
			return b
		}
	}
	return engine.BlockView{}
}

// The original README's first example, sent as the file it is.
const runForever = `#+TITLE: Code block that should run forever

#+name: run-forever
#+BEGIN_SRC sh 
echo "Started running"
while true; do
  echo "Still running..."
  sleep 1
done
#+END_SRC
`

func TestReadmeRunForever(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	// curl -X POST -d@org-file.org strips the newlines: Borges says so.
	code, body := s.post(strings.ReplaceAll(runForever, "\n", ""), "application/x-www-form-urlencoded", "")
	if code != 400 || !strings.Contains(body, "--data-binary") {
		t.Fatalf("newline-stripped body: %d %s", code, body)
	}
	// curl --data-binary @org-file.org (content type as curl sends it).
	code, body = s.post(runForever, "application/x-www-form-urlencoded", "")
	if code != 201 || !strings.Contains(body, "run-forever") {
		t.Fatalf("POST: %d %s", code, body)
	}
	id := strings.Fields(body)[0]
	until(t, "it has looped twice", func() bool {
		_, log := s.get("/org/" + id + "/blocks/run-forever/log")
		return strings.Count(log, "Still running...") >= 2 && strings.HasPrefix(log, "Started running\n")
	})
	_, result := s.get("/org/" + id)
	if !strings.Contains(result, "#+RESULTS: run-forever\n: borges: running since") || !strings.Contains(result, ": Still running...") {
		t.Fatalf("results document while running:\n%s", result)
	}
	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+id, nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("DELETE: %v %v", resp, err)
	}
	until(t, "it is killed", func() bool { return blockOf(s.doc(id), "run-forever").State == engine.Killed })
}

// The redis example without :dockerize, with the server as a block that
// dies now and then: it comes back; the loops go on; kill stops all.
const redisLike = `#+name: redis-server
#+header: :cpu 0.5 :mem 128 :ensure it-keeps-running
#+BEGIN_SRC sh
echo "server up $$" >> ../../server.log
sleep 0.5
exit 1
#+END_SRC

#+name: set-something-in-redis
#+header: :cpu 0.5 :mem 128
#+BEGIN_SRC sh
while true; do
  echo "SET timestamp $(date +%s)"
  sleep 0.2
done
#+END_SRC

#+name: get-something-from-redis
#+header: :cpu 0.5 :mem 128
#+BEGIN_SRC sh
while true; do
  echo "Current value in Redis:"
  sleep 0.2
done
#+END_SRC
`

func TestReadmeRedisKeepsRunning(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	v := s.submit(redisLike)
	until(t, "the server block restarted twice", func() bool {
		b := blockOf(s.doc(v.ID), "redis-server")
		return len(b.Instances) == 1 && b.Instances[0].Attempts >= 3
	})
	d := s.doc(v.ID)
	for _, name := range []string{"set-something-in-redis", "get-something-from-redis"} {
		if b := blockOf(d, name); b.State != engine.Running || b.Instances[0].Attempts != 1 {
			t.Fatalf("%s: %+v", name, b)
		}
	}
	_, out := s.get("/org/" + v.ID + "/blocks/get-something-from-redis/log")
	if !strings.Contains(out, "Current value in Redis:") {
		t.Fatalf("log: %q", out)
	}
	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+v.ID, nil)
	http.DefaultClient.Do(req)
	until(t, "all are killed", func() bool {
		d := s.doc(v.ID)
		for _, b := range d.Blocks {
			if b.State != engine.Killed {
				return false
			}
		}
		return d.State == engine.Killed
	})
	attempts := blockOf(s.doc(v.ID), "redis-server").Instances[0].Attempts
	time.Sleep(1500 * time.Millisecond)
	if again := blockOf(s.doc(v.ID), "redis-server").Instances[0].Attempts; again != attempts {
		t.Fatalf("killed keep-running block restarted: %d → %d attempts", attempts, again)
	}
}

func TestRejectionSchedulesNothing(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	doc := "#+name: a\n#+begin_src sh :cpu -1\ntrue\n#+end_src\n\n#+begin_src sh :mem lots :after ghost\ntrue\n#+end_src\n\n#+name: c\n#+begin_src sh :after d\ntrue\n#+end_src\n#+name: d\n#+begin_src sh :var x=c\ntrue\n#+end_src\n"
	code, body := s.post(doc, "text/org", "application/json")
	if code != 400 {
		t.Fatalf("%d %s", code, body)
	}
	for _, want := range []string{`"arg": ":cpu"`, `"arg": ":mem"`, `no runnable block named \"ghost\"`, `"arg": ":after"`, `dependency cycle: c :after d → d :var x=c → c`, `"line": 6`} {
		if !strings.Contains(body, want) {
			t.Errorf("rejection lacks %s:\n%s", want, body)
		}
	}
	if _, list := s.get("/org"); strings.TrimSpace(list) != "" {
		t.Fatalf("something was kept: %q", list)
	}
	entries, _ := os.ReadDir(filepath.Join(s.data, "attempts"))
	sandboxes, _ := os.ReadDir(filepath.Join(s.data, "sandboxes"))
	if len(entries)+len(sandboxes) != 0 {
		t.Fatalf("%d attempts ran", len(entries)+len(sandboxes))
	}
	code, body = s.post(doc, "text/org", "")
	if code != 400 || !strings.Contains(body, `line 1: block "a": :cpu: "-1" is not a positive number of CPUs`) {
		t.Fatalf("text rejection: %d %s", code, body)
	}
}

func TestLimitsAndAuth(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	conf := filepath.Join(dir, "borges-config.org")
	os.WriteFile(conf, []byte("#+TITLE: test\n#+borges_token: 0123456789abcdef0123\n#+borges_max_body: 0.001\n"), 0o644)
	s := startServer(t, filepath.Join(dir, "data"), "-f", conf)
	if code, _ := s.get("/org"); code != 401 {
		t.Fatalf("without token: %d", code)
	}
	if code, _ := s.get("/healthz"); code != 200 {
		t.Fatalf("healthz: %d", code)
	}
	req, _ := http.NewRequest("POST", "http://"+s.addr+"/org", strings.NewReader(strings.Repeat("x", 5000)))
	req.Header.Set("Authorization", "Bearer 0123456789abcdef0123")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 413 {
		t.Fatalf("big body: %v %v", resp, err)
	}
	req, _ = http.NewRequest("GET", "http://"+s.addr+"/metrics", nil)
	req.Header.Set("Authorization", "Bearer 0123456789abcdef0123")
	resp, err = http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("metrics: %v %v", resp, err)
	}
	m, _ := io.ReadAll(resp.Body)
	for _, want := range []string{"borges_documents", "borges_tasks", "borges_launches_total", "borges_queue_length", "borges_scheduling_latency_seconds"} {
		if !strings.Contains(string(m), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

func TestCLI(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "setup.org"), []byte("#+PROPERTY: header-args :results output\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "part.org"), []byte("#+name: second\n#+begin_src sh :var x=first\necho \"second saw $x\"\n#+end_src\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "doc.org"), []byte("#+TITLE: cli\n#+setupfile: setup.org\n#+name: first\n#+begin_src sh\necho one; echo two\n#+end_src\n\n#+include: \"part.org\"\n"), 0o644)
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		cmd := exec.Command(binary, args...)
		cmd.Stdout, cmd.Stderr = &out, &errb
		cmd.Env = append(os.Environ(), "BORGES_ADDR="+s.addr)
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return code, out.String(), errb.String()
	}
	code, out, errs := run("submit", filepath.Join(dir, "doc.org"), "--follow")
	if code != 0 {
		t.Fatalf("submit --follow: %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"[first] finished", "[first] one\n", "[second] second saw one\n", "finished\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("follow output lacks %q:\n%s", want, out)
		}
	}
	id := strings.Fields(out)[0]
	// first, its run for second's :var reference (Emacs runs first
	// again there) and second: three tasks.
	if _, out, _ := run("status"); !strings.Contains(out, id) || !strings.Contains(out, "3 finished") {
		t.Errorf("status:\n%s", out)
	}
	if _, out, _ := run("status", id); !strings.Contains(out, "second") || !strings.Contains(out, "exit 0") {
		t.Errorf("status ID:\n%s", out)
	}
	if _, out, _ := run("logs", id, "first"); out != "one\ntwo\n" {
		t.Errorf("logs: %q", out)
	}
	_, out, _ = run("get", id)
	if !strings.Contains(out, "#+RESULTS: first\n: one\n: two\n") || !strings.Contains(out, "#+RESULTS: second\n: second saw one\n") {
		t.Errorf("get:\n%s", out)
	}
	if code, _, errs := run("kill", "nope"); code != 1 || !strings.Contains(errs, "404") {
		t.Errorf("kill unknown: %d %s", code, errs)
	}
	if code, _, errs := run("submit", filepath.Join(dir, "missing.org")); code != 1 || !strings.Contains(errs, "missing.org") {
		t.Errorf("submit missing: %d %s", code, errs)
	}
}

// TestCrash kills the server with SIGKILL mid-run and checks that after a
// restart nothing accepted is missing and every task is accounted for.
func TestCrash(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	s := startServer(t, dir)
	// long waits for a file the test writes once the server is back (a
	// sleep would let it end before the others start on a loaded machine).
	long := s.submit("#+name: long\n#+begin_src sh\necho start\n" + waitForGo + "echo end\n#+end_src\n\n" +
		"#+name: after\n#+begin_src sh :after long\necho after\n#+end_src\n")
	done := s.submit("#+name: quick\n#+begin_src sh\necho quick\n#+end_src\n")
	keep := s.submit("#+name: daemon\n#+begin_src sh :ensure it-keeps-running\nwhile true; do sleep 1; done\n#+end_src\n")
	until(t, "all started", func() bool {
		return blockOf(s.doc(long.ID), "long").State == engine.Running && blockOf(s.doc(done.ID), "quick").State == engine.Finished &&
			blockOf(s.doc(keep.ID), "daemon").State == engine.Running
	})
	s.kill9()

	s2 := startServer(t, dir)
	for _, id := range []string{long.ID, done.ID, keep.ID} {
		if code, _ := s2.get("/org/" + id + ".json"); code != 200 {
			t.Fatalf("document %s missing after the crash", id)
		}
	}
	if b := blockOf(s2.doc(done.ID), "quick"); b.State != engine.Finished {
		t.Fatalf("quick after restart: %+v", b)
	}
	attempt := blockOf(s2.doc(long.ID), "long").Instances[0].AttemptID
	if err := os.WriteFile(filepath.Join(dir, "sandboxes", attempt, "go"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	until(t, "the long block finishes in its original process and its dependent runs", func() bool {
		return s2.doc(long.ID).State == engine.Finished
	})
	if b := blockOf(s2.doc(long.ID), "long"); b.Instances[0].Attempts != 1 {
		t.Fatalf("long was run again instead of re-attached: %+v", b.Instances[0])
	}
	_, log := s2.get("/org/" + long.ID + "/blocks/long/log")
	if log != "start\nend\n" {
		t.Fatalf("long log %q", log)
	}
	if b := blockOf(s2.doc(keep.ID), "daemon"); b.State != engine.Running || b.Instances[0].Attempts != 1 {
		t.Fatalf("daemon after restart: %+v", b.Instances[0])
	}
	req, _ := http.NewRequestWithContext(context.Background(), "DELETE", "http://"+s2.addr+"/org/"+keep.ID, nil)
	http.DefaultClient.Do(req)
	until(t, "daemon killed", func() bool { return blockOf(s2.doc(keep.ID), "daemon").State == engine.Killed })
}

// TestMesosBackend runs the server with #+mesos_master: pointing at the
// fake master: the README's run-forever example runs as a Mesos task, its
// output comes through the agent's files API, the original's log lines
// appear, and DELETE kills the task.
func TestMesosBackend(t *testing.T) {
	t.Parallel()
	s, m := startMesosServer(t, mesostest.AgentSpec{CPUs: 4, MemMB: 2812})
	v := s.submit(runForever)
	untilRunForeverRuns(t, s, v.ID, until)
	for _, want := range []string{"Framework registered with ID=", "Received Offer with cpus = 4  mem = 2812"} {
		if !strings.Contains(s.log.String(), want) {
			t.Errorf("server log lacks %q:\n%s", want, s.log)
		}
	}
	req, _ := http.NewRequest("DELETE", "http://"+s.addr+"/org/"+v.ID, nil)
	http.DefaultClient.Do(req)
	until(t, "killed", func() bool { return blockOf(s.doc(v.ID), "run-forever").State == engine.Killed })
	if len(m.Tasks()) != 1 {
		t.Fatalf("%d Mesos tasks", len(m.Tasks()))
	}

	// The redis example as the original README gives it: Docker images,
	// resources, three blocks side by side.
	redis := s.submit(redisExample)
	until(t, "the three redis blocks are launched", func() bool {
		n := 0
		for id := range m.Tasks() {
			if strings.HasPrefix(id, redis.ID) {
				n++
			}
		}
		return n == 3
	})
	for id, ti := range m.Tasks() {
		if !strings.HasPrefix(id, redis.ID) {
			continue
		}
		cpus := 0.0
		for _, r := range ti.Resources {
			if r.Name == "cpus" {
				cpus = r.GetScalar().GetValue()
			}
		}
		switch ti.Name {
		case "redis-server", "get-something-from-redis":
			want := map[string]string{"redis-server": "redis", "get-something-from-redis": "ubuntu"}[ti.Name]
			if ti.Container == nil || ti.Container.Docker == nil || ti.Container.Docker.Image != want ||
				ti.Container.Docker.GetNetwork().String() != "HOST" {
				t.Errorf("%s: container %+v", ti.Name, ti.Container)
			}
		case "set-something-in-redis":
			if ti.Container != nil {
				t.Errorf("%s has a container", ti.Name)
			}
		}
		if cpus != 1 {
			t.Errorf("%s: %g cpus", ti.Name, cpus)
		}
	}
}

// redisExample is the original README's second example, verbatim.
const redisExample = `
#+name: redis-server
#+header: :cpu 1 :mem 128 :dockerize t :image redis
#+BEGIN_SRC sh
redis-server
#+END_SRC

#+name: set-something-in-redis
#+header: :cpu 1 :mem 128
#+BEGIN_SRC sh
while true; do 
  echo "SET timestamp ` + "`date \\\"+%s\\\"`" + `" | nc 127.0.0.1 6379
  sleep 1
done
#+END_SRC

#+name: get-something-from-redis
#+header: :cpu 1 :mem 128 :dockerize t :image ubuntu
#+BEGIN_SRC sh
while true; do 
  echo "Current value in Redis:"
  echo "GET timestamp" | nc 127.0.0.1 6379
  sleep 1
done
#+END_SRC

`

// TestMesosCrash: Borges on the fake master is killed with SIGKILL and
// started again within the failover timeout: it re-subscribes as the same
// framework, the task it launched is still running and is not launched
// twice, and its output is still served.
func TestMesosCrash(t *testing.T) {
	t.Parallel()
	m := mesostest.New(mesostest.Options{Agents: []mesostest.AgentSpec{{CPUs: 2, MemMB: 1024}}})
	defer m.Close()
	dir := t.TempDir()
	conf := filepath.Join(dir, "borges-config.org")
	os.WriteFile(conf, []byte("#+mesos_master: "+strings.TrimPrefix(m.URL(), "http://")+"\n#+mesos_failover_timeout: 1h\n"), 0o644)
	s := startServer(t, filepath.Join(dir, "data"), "-f", conf)
	v := s.submit("#+name: daemon\n#+begin_src sh :ensure it-keeps-running\nwhile true; do echo alive; sleep 0.2; done\n#+end_src\n")
	until(t, "daemon running", func() bool { return blockOf(s.doc(v.ID), "daemon").State == engine.Running })
	s.kill9()

	s2 := startServer(t, filepath.Join(dir, "data"), "-f", conf)
	until(t, "re-subscribed", func() bool { return strings.Count(s2.log.String(), "Framework registered with ID=") == 1 })
	// Running again once Mesos has reconciled it (its Running may have
	// been in the batch the crash lost); then a second for a launch again,
	// were there to be one.
	until(t, "daemon running after the crash", func() bool { return blockOf(s2.doc(v.ID), "daemon").State == engine.Running })
	time.Sleep(time.Second)
	if b := blockOf(s2.doc(v.ID), "daemon"); b.State != engine.Running || b.Instances[0].Attempts != 1 {
		t.Fatalf("daemon after the crash: %+v", b.Instances[0])
	}
	if n := len(m.Tasks()); n != 1 {
		t.Fatalf("%d tasks launched; the crash must not launch it again", n)
	}
	until(t, "its output still served", func() bool {
		_, log := s2.get("/org/" + v.ID + "/blocks/daemon/log")
		return strings.Count(log, "alive") >= 3
	})
	subs := 0
	var ids []string
	for _, c := range m.Calls() {
		if c.Type.String() == "SUBSCRIBE" {
			subs++
			if id := c.Call.Subscribe.FrameworkInfo.ID; id != nil {
				ids = append(ids, id.Value)
			}
		}
	}
	if subs != 2 || len(ids) != 1 {
		t.Fatalf("subscriptions %d, with framework id %v", subs, ids)
	}
}

// TestPythonValue: a Python block's result is what it returns, as in
// Babel, and a shell block can take it through :var.
func TestPythonValue(t *testing.T) {
	t.Parallel()
	outside.Need(t, "python3", "python3")
	s := startServer(t, t.TempDir())
	v := s.submit("#+name: nums\n#+begin_src python\nreturn [[1, 2], [3, 4]]\n#+end_src\n\n#+name: use\n#+begin_src sh :var t=nums :results output\necho \"$t\"\n#+end_src\n")
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	_, res := s.get("/org/" + v.ID)
	if !strings.Contains(res, "#+RESULTS: nums\n| 1 | 2 |\n| 3 | 4 |\n") || !strings.Contains(res, "#+RESULTS: use\n: 1\t2\n: 3\t4\n") {
		t.Fatalf("results:\n%s", res)
	}
}

// TestRubyValue: a Ruby block's result is what it returns, as in ob-ruby,
// and feeds a Python block's :var: as in Emacs, a first row above the
// table's only rule is taken as column names, so the sum is 2 (Emacs 28.2
// gives the same).
func TestRubyValue(t *testing.T) {
	t.Parallel()
	outside.Need(t, "ruby", "ruby")
	outside.Need(t, "python3", "python3")
	s := startServer(t, t.TempDir())
	v := s.submit("#+name: rows\n#+begin_src ruby\n[[\"a\", 1], nil, [\"b\", 2]]\n#+end_src\n\n" +
		"#+name: total\n#+begin_src python :var t=rows\nreturn sum(r[1] for r in t if r != 'hline')\n#+end_src\n")
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	_, res := s.get("/org/" + v.ID)
	if !strings.Contains(res, "#+RESULTS: rows\n| a | 1 |\n|---+---|\n| b | 2 |\n") || !strings.Contains(res, "#+RESULTS: total\n: 2\n") {
		t.Fatalf("results:\n%s", res)
	}
}

// TestFileResults: :results file blocks get their [[file:…]] links as in
// Emacs; the files are served, Babel's own (the block's result) and the
// program's (:results graphics, written in the sandbox), and `borges get
// -files DIR` writes them next to the document.
func TestFileResults(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	doc := "#+name: hello\n#+begin_src sh :results file :file hello.txt :output-dir out\necho hello\n#+end_src\n\n" +
		"#+name: plot\n#+begin_src sh :results file graphics :file plot.svg\nprintf '<svg/>' > plot.svg\n#+end_src\n"
	v := s.submit(doc)
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	_, res := s.get("/org/" + v.ID)
	if !strings.Contains(res, "#+RESULTS: hello\n[[file:out/hello.txt]]\n") || !strings.Contains(res, "#+RESULTS: plot\n[[file:plot.svg]]\n") {
		t.Fatalf("results:\n%s", res)
	}
	if code, body := s.get("/org/" + v.ID + "/files/out/hello.txt"); code != 200 || body != "hello\n" {
		t.Fatalf("hello.txt: %d %q", code, body)
	}
	if code, body := s.get("/org/" + v.ID + "/files/plot.svg"); code != 200 || body != "<svg/>" {
		t.Fatalf("plot.svg: %d %q", code, body)
	}
	if code, _ := s.get("/org/" + v.ID + "/files/nothing.txt"); code != 404 {
		t.Fatalf("a file no block made: %d", code)
	}
	dir := t.TempDir()
	cmd := exec.Command(binary, "get", "-files", dir, v.ID)
	cmd.Env = append(os.Environ(), "BORGES_ADDR="+s.addr)
	out, err := cmd.Output()
	if err != nil || !strings.Contains(string(out), "[[file:out/hello.txt]]") {
		t.Fatalf("borges get -files: %v\n%s", err, out)
	}
	for name, want := range map[string]string{"out/hello.txt": "hello\n", "plot.svg": "<svg/>"} {
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != want {
			t.Errorf("%s: %q %v", name, got, err)
		}
	}
}

// TestNotesAtSubmit: a header arg Borges does not honour as Emacs does is
// said at submission, and the block runs all the same.
func TestNotesAtSubmit(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	code, body := s.post("#+name: a\n#+begin_src perl :session main\nprint 1;\n#+end_src\n", "text/org", "")
	if code != 201 || !strings.Contains(body, "note: :session main: Borges keeps sessions for shells, Python and Ruby: this block runs as its own process") {
		t.Fatalf("%d %s", code, body)
	}
}

// TestCacheHash: a :cache yes block's results carry the hash Emacs writes
// (this one computed by Emacs 28.2 / Org 9.5.5 for the same block).
func TestCacheHash(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	v := s.submit("#+begin_src sh :cache yes\necho hi\n#+end_src\n")
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	_, res := s.get("/org/" + v.ID)
	if want := "#+RESULTS[f08260b217ba0bc40c3526427381055117b81645]:\n: hi\n"; !strings.Contains(res, want) {
		t.Fatalf("results:\n%s", res)
	}
}

// TestMesosFileResults: on Mesos the files a program writes in its
// sandbox come back through the agent's files API.
func TestMesosFileResults(t *testing.T) {
	t.Parallel()
	s, _ := startMesosServer(t, mesostest.AgentSpec{CPUs: 2, MemMB: 1024})
	v := s.submit("#+name: plot\n#+begin_src sh :results file graphics :file out/plot.svg\nmkdir -p out; printf '<svg/>' > out/plot.svg\n#+end_src\n\n" +
		"#+name: hello\n#+begin_src sh :results file :file hello.txt\necho hello\n#+end_src\n")
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	if code, body := s.get("/org/" + v.ID + "/files/out/plot.svg"); code != 200 || body != "<svg/>" {
		t.Fatalf("plot.svg: %d %q", code, body)
	}
	if code, body := s.get("/org/" + v.ID + "/files/hello.txt"); code != 200 || body != "hello\n" {
		t.Fatalf("hello.txt: %d %q", code, body)
	}
}

// TestCalls: #+call: lines run as Babel runs them, each a task of its own,
// their results under the call lines.
func TestCalls(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	code, body := s.post("#+name: greet\n#+begin_src sh :var who=\"world\" :results output\necho \"hello $who\"\n#+end_src\n\n#+call: greet(who=\"web1\")\n\n#+name: deploy-web2\n#+call: greet(who=\"web2\")\n", "text/org", "")
	if code != 201 || !strings.Contains(body, "  call-1       sh") || !strings.Contains(body, "  deploy-web2  sh") {
		t.Fatalf("%d %s", code, body)
	}
	id := strings.Fields(body)[0]
	until(t, "finished", func() bool { return s.doc(id).State == engine.Finished })
	_, res := s.get("/org/" + id)
	for _, want := range []string{"#+call: greet(who=\"web1\")\n\n#+RESULTS:\n: hello web1\n", "#+call: greet(who=\"web2\")\n\n#+RESULTS: deploy-web2\n: hello web2\n", "#+RESULTS: greet\n: hello world\n"} {
		if !strings.Contains(res, want) {
			t.Fatalf("results lack %q:\n%s", want, res)
		}
	}
	if code, body := s.post("#+call: nowhere()\n", "text/org", ""); code != 400 || !strings.Contains(body, `no block named "nowhere"`) {
		t.Fatalf("a call of no block: %d %s", code, body)
	}
}

// TestEmacsLispBlocks: an emacs-lisp block runs in a batch Emacs on the
// backend, in the document's context (its heading's properties), its
// Lisp :var evaluated there, and its value, a list, feeds a Python block
// as Babel hands it on.
func TestEmacsLispBlocks(t *testing.T) {
	t.Parallel()
	outside.Need(t, "emacs-nox", "emacs")
	outside.Need(t, "python3", "python3")
	s := startServer(t, t.TempDir())
	v := s.submit("* Servers\n:PROPERTIES:\n:HOSTS: web1 web2\n:END:\n\n" +
		"#+name: hosts\n#+begin_src emacs-lisp :var n=(+ 1 1)\n(seq-take (split-string (org-entry-get nil \"HOSTS\" t)) n)\n#+end_src\n\n" +
		"#+name: count\n#+begin_src python :var h=hosts\nreturn len(h)\n#+end_src\n\nInline: src_elisp{(* 6 7)} and call_count().\n")
	until(t, "finished", func() bool { return s.doc(v.ID).State == engine.Finished })
	_, res := s.get("/org/" + v.ID)
	for _, want := range []string{"#+RESULTS: hosts\n| web1 | web2 |\n", "#+RESULTS: count\n: 2\n", "src_elisp{(* 6 7)} {{{results(=42=)}}} and call_count() {{{results(=2=)}}}.\n"} {
		if !strings.Contains(res, want) {
			t.Fatalf("results lack %q:\n%s", want, res)
		}
	}
}

// untilRunForeverRuns waits, with wait (until or untilLong), until the
// README's run-forever example's output comes back in its log and the
// results document shows the task running with that output. The output
// is read from the agent's files, the state from the master's status
// updates: either may reach Borges first.
func untilRunForeverRuns(t *testing.T, s *server, docID string, wait func(*testing.T, string, func() bool)) {
	t.Helper()
	wait(t, "the task runs on the agent and its output comes back", func() bool {
		_, log := s.get("/org/" + docID + "/blocks/run-forever/log")
		return strings.HasPrefix(log, "Started running\nStill running...\n")
	})
	var res string
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("results document:\n%s", res)
		}
	})
	wait(t, "the results document shows the task running with its output", func() bool {
		_, res = s.get("/org/" + docID)
		return strings.Contains(res, "#+RESULTS: run-forever\n: borges: running since") && strings.Contains(res, "\n: Still running...\n")
	})
}
