package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/api"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
)

// The CLI's tests in this file run the commands in-process against a
// server whose answers the test writes (a scripted api.Service), so that
// what the CLI prints for each answer is checked exactly, at any speed.

// scripted is an api.Service that answers Document with each of views in
// turn (the last one from then on), and logs from logs[block+" "+stream].
type scripted struct {
	mu        sync.Mutex
	submitted *engine.DocumentView
	reject    *plan.RejectError
	views     []*engine.DocumentView
	polls     int
	docs      []engine.DocumentSummary
	logs      map[string]string
	killed    []string
	text      string // the last document submitted
}

func (s *scripted) Submit(ctx context.Context, text string) (*engine.DocumentView, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.text = text
	if s.reject != nil {
		return nil, s.reject
	}
	return s.submitted, nil
}

func (s *scripted) Document(id string) (*engine.DocumentView, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.views) == 0 {
		return nil, fmt.Errorf("document %s: %w", id, engine.ErrNotFound)
	}
	v := s.views[min(s.polls, len(s.views)-1)]
	s.polls++
	return v, nil
}

func (s *scripted) Documents() []engine.DocumentSummary { return s.docs }

func (s *scripted) ResultDocument(ctx context.Context, id string) (string, error) { return "", nil }

func (s *scripted) KillDocument(ctx context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.killed = append(s.killed, id)
	return nil
}

func (s *scripted) KillBlock(ctx context.Context, id, block string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.killed = append(s.killed, id+"/"+block)
	return nil
}

func (s *scripted) RestartBlock(ctx context.Context, id, block string) error { return nil }
func (s *scripted) RemoveDocument(ctx context.Context, id string) error      { return nil }

func (s *scripted) ReadLog(ctx context.Context, id, block string, instance int, stream string, offset int64, max int) ([]byte, int64, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data := s.logs[block+" "+stream]
	rest := data[min(int(offset), len(data)):]
	return []byte(rest), offset + int64(len(rest)), true, nil
}

func (s *scripted) ReadFile(ctx context.Context, id, path string) ([]byte, error) {
	return nil, engine.ErrNotFound
}

// startScripted serves s on loopback for one test.
func startScripted(t *testing.T, s *scripted) string {
	t.Helper()
	srv := httptest.NewServer(api.NewHandler(s, api.Options{Bind: "127.0.0.1"}))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// runCLI runs a command in-process and returns its exit status and output.
func runCLI(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// inst is an instance view: attempted ones have an attempt id and count.
func inst(state engine.State, attempted bool, msg, waiting string) []engine.InstanceView {
	in := engine.InstanceView{State: state, Message: msg, Waiting: waiting}
	if attempted {
		in.AttemptID, in.Attempts, in.StartedAt = "att-1", 1, &t0
	}
	return []engine.InstanceView{in}
}

func docView(state engine.State, blocks ...engine.BlockView) *engine.DocumentView {
	return &engine.DocumentView{ID: "d1", State: state, Blocks: blocks}
}

func blk(name string, state engine.State, attempted bool, msg, waiting string) engine.BlockView {
	return engine.BlockView{Name: name, Lang: "sh", Runnable: true, State: state, Task: &plan.Task{},
		Instances: inst(state, attempted, msg, waiting)}
}

// TestFollow: --follow says, for every block in order, running before its
// output, its output (standard error marked) before how it ended, and what
// a queued block waits for — whatever the polls happened to see.
func TestFollow(t *testing.T) {
	defer func(d time.Duration) { followInterval = d }(followInterval)
	followInterval = time.Millisecond
	doc := filepath.Join(t.TempDir(), "doc.org")
	os.WriteFile(doc, []byte("#+begin_src sh\ntrue\n#+end_src\n"), 0o644)
	cases := []struct {
		name  string
		views []*engine.DocumentView
		logs  map[string]string
		code  int
		want  string
	}{
		{"a fast block seen only once it had failed",
			[]*engine.DocumentView{docView(engine.Failed, blk("broken", engine.Failed, true, "exit status 3", ""))},
			map[string]string{"broken stdout": "out\n", "broken stderr": "oops\n"}, 1,
			"[broken] running\n[broken] out\n[broken stderr] oops\n[broken] failed (exit status 3)\ndocument d1 failed\n"},
		{"queued, waiting, then running, then finished",
			[]*engine.DocumentView{
				docView(engine.Running, blk("a", engine.Running, true, "", ""), blk("b", engine.Queued, false, "", "waiting for a (running)")),
				docView(engine.Running, blk("a", engine.Finished, true, "", ""), blk("b", engine.Queued, false, "", "needs 2 CPUs, 32 MB; free now 1 CPUs, 900 MB of 2 CPUs, 1024 MB")),
				docView(engine.Running, blk("a", engine.Finished, true, "", ""), blk("b", engine.Running, true, "", "")),
				docView(engine.Finished, blk("a", engine.Finished, true, "", ""), blk("b", engine.Finished, true, "", "")),
			},
			map[string]string{"a stdout": "one\ntwo", "b stdout": "b says\n"}, 0,
			"[a] running\n[a] one\n[b] queued — waiting for a (running)\n" +
				"[a] two\n[a] finished\n[b] queued — needs 2 CPUs, 32 MB; free now 1 CPUs, 900 MB of 2 CPUs, 1024 MB\n" +
				"[b] running\n[b] b says\n[b] finished\ndocument d1 finished\n"},
		{"a cached block and one whose dependency failed never ran",
			[]*engine.DocumentView{docView(engine.Failed,
				blk("c", engine.Finished, false, "cached: the results in the document have the same hash (:cache yes)", ""),
				blk("after", engine.Failed, false, "dependency x failed", ""))},
			nil, 1,
			"[c] finished (cached: the results in the document have the same hash (:cache yes))\n[after] failed (dependency x failed)\ndocument d1 failed\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &scripted{submitted: docView(engine.Running), views: c.views, logs: c.logs}
			addr := startScripted(t, s)
			code, out, errs := runCLI("submit", doc, "--follow", "--addr", addr)
			if code != c.code || out != "d1\n"+c.want {
				t.Errorf("exit %d (want %d)\n got:\n%s\nwant:\n%s\nstderr: %s", code, c.code, out, "d1\n"+c.want, errs)
			}
		})
	}
}

// TestCLIManners: help, notes, empty lists, kills of what has ended,
// aligned names, lines named in the user's files.
func TestCLIManners(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "part.org"), []byte("#+name: p\n#+begin_src sh :cpu x\ntrue\n#+end_src\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "doc.org"), []byte("#+TITLE: t\n\n#+include: \"part.org\"\n"), 0o644)
	doc := filepath.Join(dir, "doc.org")
	part := filepath.Join(dir, "part.org")
	long := "a-block-with-a-name-far-longer-than-twenty-four"
	withNotes := docView(engine.Running,
		engine.BlockView{Name: "a", Line: 3, Lang: "sh", Runnable: true, State: engine.Queued, Instances: inst(engine.Queued, false, "", ""),
			Task: &plan.Task{Notes: []string{":session main: each block runs as its own process"}}},
		engine.BlockView{Name: "block-2", Line: 6, Lang: "emacs-lisp", Reason: `language "emacs-lisp" has no interpreter Borges runs`})
	status := docView(engine.Running,
		blk("a", engine.Finished, true, "", ""),
		blk(long, engine.Queued, false, "", "waiting for a (running)"))
	status.Blocks[0].Instances[0].ExitCode = new(int)

	closed := fmt.Sprintf("127.0.0.1:%d", freePort(t)) // nothing listens there
	cases := []struct {
		name   string
		s      *scripted
		args   []string
		code   int
		stdout string   // exact, unless "…"
		has    []string // in stdout
		errHas []string // in stderr
		killed string
	}{
		{name: "help", args: []string{"help"}, stdout: "…",
			has: []string{"submit", "status", "help", "The server:", "-port int", "(#+borges_port; default 8888)", "-logtostderr", "(default true)"}},
		{name: "--help", args: []string{"--help"}, stdout: "…", has: []string{"-mesos_master string"}},
		{name: "help submit", args: []string{"help", "submit"}, stdout: "…",
			has: []string{"usage: borges submit FILE", "-follow", "(default false)", "-addr string", "default 127.0.0.1:8888"}},
		{name: "submit --help", args: []string{"submit", "--help"}, stdout: "…", has: []string{"usage: borges submit FILE"}},
		{name: "status -h", args: []string{"status", "-h"}, stdout: "…", has: []string{"usage: borges status [ID]", "-token string"}},
		{name: "parse -h", args: []string{"parse", "-h"}, stdout: "usage: borges parse FILE\n"},
		{name: "logs --help", args: []string{"logs", "--help"}, stdout: "…", has: []string{"-instance int", "(default 0)"}},
		{name: "help of an unknown command", args: []string{"help", "nope"}, code: 2, errHas: []string{`unknown command "nope"`}},
		{name: "a bad flag", args: []string{"kill", "-x"}, code: 2, errHas: []string{"flag provided but not defined: -x", "usage: borges kill"}},
		{name: "submit prints the id alone, notes on stderr", s: &scripted{submitted: withNotes},
			args: []string{"submit", doc}, stdout: "d1\n",
			errHas: []string{"note: a (" + part + ":1, sh):", ":session main", "note: block-2 (" + part + ":4, emacs-lisp):", "not run: language"}},
		{name: "a rejection names the line of the included file",
			s:    &scripted{reject: &plan.RejectError{Problems: []plan.Problem{{Line: 4, Block: "p", Arg: ":cpu", Why: `"x" is not a positive number of CPUs`}}}},
			args: []string{"submit", doc}, code: 1,
			errHas: []string{"document rejected", part + `:2: block "p": :cpu: "x" is not a positive number of CPUs`}},
		{name: "empty status", s: &scripted{}, args: []string{"status"}, errHas: []string{"no documents"}},
		{name: "status aligns long names and says what a queued block waits for", s: &scripted{views: []*engine.DocumentView{status}},
			args: []string{"status", "d1"},
			stdout: "d1  running\n" +
				"  a                                                sh  finished  attempt 1 exit 0\n" +
				"  " + long + "  sh  queued    attempt 0 — waiting for a (running)\n"},
		{name: "kill of a finished document", s: &scripted{views: []*engine.DocumentView{docView(engine.Finished, blk("a", engine.Finished, true, "", ""))}},
			args: []string{"kill", "d1"}, stdout: "nothing was running: document d1 had already ended (finished)\n"},
		{name: "kill of a finished block", s: &scripted{views: []*engine.DocumentView{docView(engine.Running, blk("a", engine.Finished, true, "", ""), blk("b", engine.Running, true, "", ""))}},
			args: []string{"kill", "d1", "a"}, stdout: "nothing was running: block a had already ended (finished)\n"},
		{name: "kill of a running block", s: &scripted{views: []*engine.DocumentView{docView(engine.Running, blk("b", engine.Running, true, "", ""))}},
			args: []string{"kill", "d1", "b"}, stdout: "killed\n", killed: "d1/b"},
		{name: "nothing listening", args: []string{"status", "--addr", closed}, code: 1,
			errHas: []string{"borges status: no Borges at " + closed + " — is `borges` running?"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := c.args
			if c.s != nil {
				args = append(args, "--addr", startScripted(t, c.s))
			}
			code, out, errs := runCLI(args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, out, errs)
			}
			if c.stdout != "…" && out != c.stdout {
				t.Errorf("stdout:\n%q\nwant:\n%q", out, c.stdout)
			}
			for _, h := range c.has {
				if !strings.Contains(out, h) {
					t.Errorf("stdout lacks %q:\n%s", h, out)
				}
			}
			for _, h := range c.errHas {
				if !strings.Contains(errs, h) {
					t.Errorf("stderr lacks %q:\n%s", h, errs)
				}
			}
			if c.s != nil && strings.Join(c.s.killed, ",") != c.killed {
				t.Errorf("killed %v, want %q", c.s.killed, c.killed)
			}
		})
	}
}

// TestMesosExecutorByHand: `borges mesos-executor` outside a Mesos agent
// says what it is for and which of the agent's variables are missing.
func TestMesosExecutorByHand(t *testing.T) {
	for _, k := range []string{"MESOS_FRAMEWORK_ID", "MESOS_EXECUTOR_ID", "MESOS_SANDBOX", "MESOS_DIRECTORY", "MESOS_AGENT_ENDPOINT"} {
		t.Setenv(k, "")
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"mesos-executor"}, strings.NewReader(""), &stdout, &stderr); code != 2 ||
		stderr.String() != "borges executor: not started by a Mesos agent (no MESOS_FRAMEWORK_ID, MESOS_EXECUTOR_ID, MESOS_SANDBOX, MESOS_AGENT_ENDPOINT)\n" {
		t.Fatalf("exit %d, stderr %q, stdout %q", code, stderr.String(), stdout.String())
	}
	stderr.Reset()
	if code := run([]string{"mesos-executor", "now"}, strings.NewReader(""), &stdout, &stderr); code != 2 || !strings.Contains(stderr.String(), "takes no arguments") {
		t.Fatalf("exit %d, stderr %q", code, stderr.String())
	}
}
