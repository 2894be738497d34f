package kube

import (
	"context"
	"strconv"
	"strings"
	"testing"

	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/wallyqs/borges/internal/backend/kube/realkube"
	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
)

// testRealSessions runs sessions on a real single-node cluster
// (realkube): one pod a session, reached through pods/attach.
func testRealSessions(t *testing.T, c *realkube.Cluster) {
	c.ImportPython()
	c.ImportRuby()
	owner := "borges-test-sessions"
	dir := t.TempDir()
	b, u, stop := newBackend(t, c, owner, dir)
	if err := b.Recover(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	run := func(t *testing.T, a *engine.Attempt) engine.Update {
		t.Helper()
		if err := b.Launch(ctx, a); err != nil {
			t.Fatal(err)
		}
		return u.ended(t, a.ID)
	}
	python := func(t *plan.Task) {
		t.Container = &plan.Container{Image: realkube.PythonImage}
		t.Session.Value = true
		t.ValueFile = true
	}

	t.Run("shell", func(t *testing.T) {
		first := sessionAttempt("rs.1-a.0.1", "rs/shell:s/1", session.Shell, "x=41\nmkdir -p sub && cd sub")
		second := sessionAttempt("rs.2-b.0.1", "rs/shell:s/1", session.Shell, `echo "$((x+1)) $GREETING ${BORGES_BLOCK:-none} $BORGES_SESSION $PWD"`)
		for _, a := range []*engine.Attempt{first, second} {
			if end := run(t, a); end.State != engine.Finished || end.Host != realkube.NodeName {
				t.Fatalf("%s: %+v; updates %+v", a.ID, end, u.of(a.ID))
			}
		}
		if got := readAll(t, b, second.ID, "stdout"); got != "42 hello none rs/shell:s/1 /borges/sandbox/sub" {
			t.Fatalf("result %q; transcript %q", got, readAll(t, b, second.ID, "stderr"))
		}
		pods := podsOf(t, c, LabelSession+"=s,"+LabelDocument+"=d")
		if len(pods) != 1 || pods[0].Name != sessionPodName(first) {
			t.Fatalf("pods of the session: %+v", pods)
		}
		if err := b.CloseSession(ctx, "rs/shell:s/1"); err != nil {
			t.Fatal(err)
		}
		untilNoPods(t, c, LabelSession)
	})

	t.Run("python", func(t *testing.T) {
		first := sessionAttempt("rs.3-p.0.1", "rs/python:s/1", session.Python, "import sys\ndata = [1, 2, 3]", python)
		second := sessionAttempt("rs.4-q.0.1", "rs/python:s/1", session.Python, "print('hi', file=sys.stderr)\n[x * 10 for x in data]", python)
		for _, a := range []*engine.Attempt{first, second} {
			if end := run(t, a); end.State != engine.Finished {
				t.Fatalf("%s: %+v; transcript %q", a.ID, end, readAll(t, b, a.ID, "stderr"))
			}
		}
		if got := readAll(t, b, second.ID, "value"); got != "[10, 20, 30]" {
			t.Fatalf("value %q", got)
		}
		if got := readAll(t, b, second.ID, "stdout"); got != "hi" {
			t.Fatalf("output %q", got)
		}
		b.CloseSession(ctx, "rs/python:s/1")
		untilNoPods(t, c, LabelSession)
	})

	// The Ruby session's results are those Emacs wrote for the same
	// blocks (the plan's testdata/session_ruby.emacs.org): irb's own
	// values, errors and backtraces (naming the image's irb, where Debian
	// has it), and text that is not ASCII.
	t.Run("ruby", func(t *testing.T) {
		const sid = "rs/ruby:s/1"
		blocks := []struct {
			id, script   string
			value        bool
			stream, want string
		}{
			{"rs.9-r1.0.1", "x = 5", true, "value", "5"},
			{"rs.10-r2.0.1", "[[1, 2], [x, nil]]", true, "value", "[[1, 2], [5, nil]]"},
			{"rs.11-r3.0.1", "def twice(a)\n  a * 2\nend\nputs twice(x)\nputs \"x is #{x}\"", false, "stdout", "10\nx is 5"},
			{"rs.12-r4.0.1", "a = 3\nraise \"bad\"", true, "value", "#<RuntimeError: bad>"},
			{"rs.13-r5.0.1", "puts 1\nraise \"boom\"\nputs 2", false, "stdout",
				"1\n(irb):26:in `<main>': \x1b[1mboom (\x1b[1;4mRuntimeError\x1b[m\x1b[1m)\x1b[m\n" +
					"\tfrom /usr/lib/ruby/gems/3.1.0/gems/irb-1.4.1/exe/irb:11:in `<top (required)>'\n" +
					"\tfrom /usr/bin/irb:25:in `load'\n\tfrom /usr/bin/irb:25:in `<main>'\n2"},
			{"rs.14-r6.0.1", `["é".bytesize, "é".length, "héllo"]`, true, "value", `[2, 1, "héllo"]`},
		}
		for _, blk := range blocks {
			a := sessionAttempt(blk.id, sid, session.Ruby, blk.script, func(t *plan.Task) {
				t.Container = &plan.Container{Image: realkube.RubyImage}
				t.Session.Command = session.Command(session.Ruby, "sh", []string{"ruby"})
				t.Session.Value = blk.value
				t.ValueFile = blk.value
			})
			if end := run(t, a); end.State != engine.Finished {
				t.Fatalf("%s: %+v; transcript %q", a.ID, end, readAll(t, b, a.ID, "stderr"))
			}
			if got := readAll(t, b, a.ID, blk.stream); got != blk.want {
				t.Fatalf("%s: %s %q, want %q; transcript %q", a.ID, blk.stream, got, blk.want, readAll(t, b, a.ID, "stderr"))
			}
		}
		b.CloseSession(ctx, sid)
		untilNoPods(t, c, LabelSession)
	})

	// The interpreters' window is 0×0, as in Emacs, from their first
	// block on, and stays so (a later block looks again, after a
	// SIGWINCH). The shell's stty is Debian's, as Emacs's is here
	// (busybox's reports a window with no rows as $LINES, else 24, by
	// $COLUMNS, which is 80 as in Emacs).
	t.Run("window", func(t *testing.T) {
		// twice runs a session's two blocks, first and later, in the
		// Python image and gives their outputs.
		twice := func(sid string, kind session.Kind, first, later string) string {
			var out []string
			for i, script := range []string{first, later} {
				a := sessionAttempt("rs.15-w"+strconv.Itoa(i)+"-"+string(kind)+".0.1", sid, kind, script, func(t *plan.Task) {
					t.Container = &plan.Container{Image: realkube.PythonImage}
				})
				if end := run(t, a); end.State != engine.Finished {
					t.Fatalf("%s: %+v; transcript %q", a.ID, end, readAll(t, b, a.ID, "stderr"))
				}
				out = append(out, readAll(t, b, a.ID, "stdout"))
			}
			b.CloseSession(ctx, sid)
			return strings.Join(out, " / ")
		}
		// A session's first result starts with a newline, here as on
		// this machine.
		if got := twice("rs/shell:win/1", session.Shell, "stty size",
			"sleep 3; stty size; kill -WINCH $$; python3 -c 'import os; print(tuple(os.get_terminal_size(0)))'"); got != "\n0 0 / 0 0\n(0, 0)" {
			t.Errorf("the shell's window %q, want 0 0 each time", got)
		}
		if got := twice("rs/python:win/1", session.Python, "import os, signal, time\nprint(tuple(os.get_terminal_size()))",
			"time.sleep(3)\nos.kill(os.getpid(), signal.SIGWINCH)\nprint(tuple(os.get_terminal_size()))"); got != "(0, 0) / (0, 0)" {
			t.Errorf("Python's os.get_terminal_size() %q, want (0, 0) each time", got)
		}
		untilNoPods(t, c, LabelSession)
	})

	t.Run("no python in the image", func(t *testing.T) {
		a := sessionAttempt("rs.5-n.0.1", "rs/python:n/1", session.Python, "1", func(t *plan.Task) { t.Session.Value = true })
		end := run(t, a)
		if end.State != engine.Failed || !strings.Contains(end.Message, "python3 is not in the image "+realkube.TestImage) {
			t.Fatalf("end %+v", end)
		}
		untilNoPods(t, c, LabelSession)
	})

	// ends runs a block that runs until stopped, stops it, and checks how
	// it ended and that the session's pod is gone.
	ends := func(t *testing.T, sid string, mod func(*plan.Task), stop func(a *engine.Attempt), want engine.State, message string) {
		t.Helper()
		a := sessionAttempt("rs.6-slow.0.1", sid, session.Shell, "echo up; sleep 600", mod)
		a.ID = strings.ReplaceAll(sid, "/", "_") + ".slow"
		if err := b.Launch(ctx, a); err != nil {
			t.Fatal(err)
		}
		if x := u.wait(t, a.ID, "runs", func(x engine.Update) bool { return x.State == engine.Running || x.State.Terminal() }); x.State != engine.Running {
			t.Fatalf("did not run: %+v", x)
		}
		stop(a)
		end := u.ended(t, a.ID)
		if end.State != want || !strings.Contains(end.Message, message) {
			t.Fatalf("end %+v, want %s %q", end, want, message)
		}
		untilNoPods(t, c, LabelSession)
	}
	podOf := func(a *engine.Attempt) string { return sessionPodName(a) }
	t.Run("kill", func(t *testing.T) {
		ends(t, "rs/shell:k/1", nil, func(a *engine.Attempt) { b.Kill(ctx, a.ID) }, engine.Killed, "killed")
	})
	t.Run("timeout", func(t *testing.T) {
		ends(t, "rs/shell:t/1", func(t *plan.Task) { t.Timeout = 2e9 }, func(*engine.Attempt) {}, engine.Failed, "timed out after 2s")
	})
	t.Run("deleted under it", func(t *testing.T) {
		ends(t, "rs/shell:x/1", nil, func(a *engine.Attempt) {
			if err := c.Client().CoreV1().Pods("default").Delete(ctx, podOf(a), metav1.DeleteOptions{}); err != nil {
				t.Fatal(err)
			}
		}, engine.Failed, "was deleted (not by Borges)")
	})
	t.Run("evicted", func(t *testing.T) {
		ends(t, "rs/shell:e/1", nil, func(a *engine.Attempt) {
			ev := &policyv1.Eviction{ObjectMeta: metav1.ObjectMeta{Name: podOf(a), Namespace: "default"}}
			if err := c.Client().CoreV1().Pods("default").EvictV1(ctx, ev); err != nil {
				t.Fatal(err)
			}
		}, engine.Failed, "evicted")
	})

	t.Run("waits", func(t *testing.T) {
		a := sessionAttempt("rs.7-big.0.1", "rs/shell:w/1", session.Shell, "echo never", func(t *plan.Task) { t.Resources.CPUs = 64 })
		if err := b.Launch(ctx, a); err != nil {
			t.Fatal(err)
		}
		u.wait(t, a.ID, "says why it waits", func(x engine.Update) bool {
			return x.State == engine.Staged && strings.Contains(x.Message, "Insufficient cpu")
		})
		b.Kill(ctx, a.ID)
		if end := u.ended(t, a.ID); end.State != engine.Killed {
			t.Fatalf("end %+v", end)
		}
		untilNoPods(t, c, LabelSession)
	})

	t.Run("restart", func(t *testing.T) {
		// Borges stops while a block of a session runs: the next one
		// reports it lost and deletes the session's pod.
		a := sessionAttempt("rs.8-r.0.1", "rs/shell:r/1", session.Shell, "sleep 600")
		if err := b.Launch(ctx, a); err != nil {
			t.Fatal(err)
		}
		u.wait(t, a.ID, "runs", func(x engine.Update) bool { return x.State == engine.Running })
		stop()
		b2, u2, _ := newBackend(t, c, owner, dir)
		if err := b2.Recover(ctx, []*engine.Attempt{a}); err != nil {
			t.Fatal(err)
		}
		if end := u2.ended(t, a.ID); end.State != engine.Lost || !strings.Contains(end.Message, "a session does not outlive it") {
			t.Fatalf("end %+v", end)
		}
		untilNoPods(t, c, LabelSession)
	})
}
