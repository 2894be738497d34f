package session

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
)

// start runs a session's interpreter for a test, removed at its end.
func start(t testing.TB, kind Kind, shell string, interp ...string) *Conn {
	t.Helper()
	argv := Command(kind, shell, interp)
	outside.Need(t, Program(argv), Program(argv))
	dir := t.TempDir()
	tty := proctest.StartOnTerminal(t, dir, append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, Env()...), argv)
	return NewConn(kind, tty, tty)
}

func eval(t *testing.T, c *Conn, r Request) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	reply, err := c.Eval(ctx, r)
	if err != nil {
		t.Fatalf("%q: %v", r.Body, err)
	}
	return reply.Result
}

// TestShellSession: state carries over from block to block, and each
// block's result is what Emacs made of the same blocks in an sh session
// (see TestShellResult).
func TestShellSession(t *testing.T) {
	c := start(t, Shell, "sh")
	for _, b := range []struct{ body, want string }{
		{"x=5\necho \"x is $x\"\necho a > /dev/null; echo 'p > q'\nprintf 'no newline'", "\n# x is 5\np > q"},
		{"echo $x\nfalse", "5"},
		{"for i in 1 2; do\n  echo \"i=$i\"\ndone\ncd /tmp\necho \"  indented\"", "\n> i=1\ni=2\n#   indented"},
		{"echo hi", "hi"},
		{"y='7'\necho \"y=$y $x\"", "\ny=7 5"},
		{"pwd", "/tmp"},
	} {
		if os.Geteuid() != 0 {
			t.Skip("the expected results have root's prompt (#)")
		}
		if got := eval(t, c, Request{Body: b.body}); got != b.want {
			t.Errorf("%q: got %q, want %q", b.body, got, b.want)
		}
	}
}

func TestPythonSession(t *testing.T) {
	c := start(t, Python, "", "python3")
	for _, b := range []struct {
		r    Request
		want string
	}{
		{Request{Body: "x = 5\nprint(\"x is\", x)\nfor i in range(2):\n    print(i)"}, "x is 5\n0\n1"},
		{Request{Body: "x * 2", Value: true}, "10"},
		{Request{Body: "y = [[1, 2], [3, 4]]\ny", Value: true}, "[[1, 2], [3, 4]]"},
		{Request{Body: "z = 3", Value: true}, ""},
		{Request{Body: "return x", Value: true}, ""},
		{Request{Body: "print(undefined)"}, ""},
		{Request{Body: "print('after')"}, "after"},
		{Request{Body: "v=7\nv + x", Value: true}, "12"},
		{Request{Body: "import sys\nsys.stdout.write('no nl')"}, "no nl"},
		{Request{Body: "def f(a):\n    return a + 1\n\nprint(f(1))"}, "2"},
		{Request{Body: "{'a': 1}", Value: true, PP: true}, "{'a': 1}"},
		{Request{Body: "import subprocess\nsubprocess.run(['echo', 'child'])\nprint('parent')"}, "child\nparent"},
		// On a terminal, as in Emacs; a block longer than a
		// terminal's line is whole.
		{Request{Body: "[sys.stdin.isatty(), sys.stdout.isatty(), sys.stderr.isatty()]", Value: true}, "[True, True, True]"},
		{Request{Body: "len('" + strings.Repeat("y", 5000) + "')", Value: true}, "5000"},
	} {
		if got := eval(t, c, b.r); got != b.want {
			t.Errorf("%q: got %q, want %q", b.r.Body, got, b.want)
		}
	}
}

func TestRubySession(t *testing.T) {
	c := start(t, Ruby, "", "ruby")
	for _, b := range []struct {
		r    Request
		want string
	}{
		{Request{Body: "x = 5\nputs \"x is #{x}\""}, "x is 5"},
		{Request{Body: "x * 2", Value: true}, "10"},
		{Request{Body: "[[1, 2], [x, nil]]", Value: true}, "[[1, 2], [5, nil]]"},
		{Request{Body: "\"a string\"", Value: true}, "a string"},
		{Request{Body: "def f(a) a + 1 end\nf(x)", Value: true}, "6"},
		// irb runs each statement: one that raises makes the error
		// irb's last value, and the statements after it still run.
		{Request{Body: "raise 'boom'", Value: true}, "#<RuntimeError: boom>"},
		{Request{Body: "raise 'boom'\nx + 1", Value: true}, "6"},
		// Output as ob-ruby reads it: trimmed, text without a line end
		// lost with irb's echo of the line after it, lines that look
		// like irb's prompts cut.
		{Request{Body: "puts\nputs '  a'\nputs '>> b'"}, "a\nb"},
		{Request{Body: "print 'lost'"}, ""},
		{Request{Body: "def g\n  1\nend\nputs g"}, "1"},
		// On a terminal, as in Emacs, whose line discipline keeps
		// 4095 bytes of a line (see TestRubyLinesAsOnTerminal).
		{Request{Body: "[$stdin.tty?, $stdout.tty?, $stderr.tty?]", Value: true}, "[true, true, true]"},
		{Request{Body: "'" + strings.Repeat("y", 4088) + "'.size", Value: true}, "4088"},
		{Request{Body: "'" + strings.Repeat("y", 5000) + "'.size # \n'.size", Value: true}, "4095"},
	} {
		if got := eval(t, c, b.r); got != b.want {
			t.Errorf("%q: got %q, want %q", b.r.Body, got, b.want)
		}
	}
}

// TestSessionOutputBound: a block printing more than Max fails; the
// output is not held.
func TestSessionOutputBound(t *testing.T) {
	c := start(t, Shell, "sh")
	c.SetMax(1 << 20)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := c.Eval(ctx, Request{Body: "yes | head -c 3000000"}); !errors.Is(err, ErrTooLong) {
		t.Fatalf("got %v, want ErrTooLong", err)
	}
}

// TestSessionEnds: a block that ends the interpreter gets ErrEnded, not a
// wait without end.
func TestSessionEnds(t *testing.T) {
	c := start(t, Shell, "bash")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if _, err := c.Eval(ctx, Request{Body: "exit 3"}); !errors.Is(err, ErrEnded) {
		t.Fatalf("got %v, want ErrEnded", err)
	}
	// What it printed as it ended is said.
	c = start(t, Python, "", "python3")
	if _, err := c.Eval(ctx, Request{Body: "import sys\nprint('bye')\nsys.exit(4)"}); !errors.Is(err, ErrEnded) || !strings.Contains(err.Error(), "bye") {
		t.Fatalf("got %v, want ErrEnded saying bye", err)
	}
	// irb ends on exit, in value mode and in output mode.
	for _, value := range []bool{true, false} {
		c = start(t, Ruby, "", "ruby")
		if _, err := c.Eval(ctx, Request{Body: "puts 'bye'\nexit", Value: value}); !errors.Is(err, ErrEnded) || !strings.Contains(err.Error(), "bye") {
			t.Fatalf("value %v: got %v, want ErrEnded saying bye", value, err)
		}
	}
}

// liveBuffer is a Live writer a test can look at while a block runs.
type liveBuffer struct {
	mu  sync.Mutex
	buf []byte
	// wrote, when not nil, is given a value after a write (none while
	// it holds one).
	wrote chan struct{}
}

func (l *liveBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	l.buf = append(l.buf, p...)
	l.mu.Unlock()
	select {
	case l.wrote <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (l *liveBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.buf)
}

func (l *liveBuffer) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buf)
}

// TestSessionLive: a block's transcript reaches Live as it is printed,
// while the block still runs, and is at its end what the reply says.
func TestSessionLive(t *testing.T) {
	for _, c := range []struct {
		kind   Kind
		interp string
		body   string
	}{
		{Shell, "sh", "echo first\nwhile [ ! -e %s ]; do sleep 0.05; done\necho second"},
		{Python, "python3", "import os, time\nprint('first')\nwhile not os.path.exists('%s'):\n    time.sleep(0.05)\nprint('second')"},
	} {
		var conn *Conn
		if c.kind == Shell {
			conn = start(t, c.kind, c.interp)
		} else {
			conn = start(t, c.kind, "", c.interp)
		}
		flag := filepath.Join(t.TempDir(), "flag")
		live := &liveBuffer{}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		done := make(chan Reply, 1)
		go func() {
			reply, err := conn.Eval(ctx, Request{Body: fmt.Sprintf(c.body, flag), Live: live})
			if err != nil {
				t.Error(err)
			}
			done <- reply
		}()
		for i := 0; !strings.Contains(live.String(), "first"); i++ {
			if i == 2400 {
				t.Fatalf("%s: nothing live: %q", c.kind, live.String())
			}
			time.Sleep(50 * time.Millisecond)
		}
		if strings.Contains(live.String(), "second") {
			t.Fatalf("%s: second before the flag", c.kind)
		}
		os.WriteFile(flag, nil, 0o600)
		reply := <-done
		cancel()
		if live.String() != reply.Transcript || !strings.Contains(reply.Transcript, "second") {
			t.Errorf("%s: live %q, transcript %q", c.kind, live.String(), reply.Transcript)
		}
	}
}

func TestInterpreterEnv(t *testing.T) {
	block := map[string]string{"BORGES_BLOCK": "b", "BORGES_ATTEMPT": "d.0-b.0.1", "BORGES_INSTANCE": "0",
		"BORGES_DOCUMENT": "d", "FOO": "bar"}
	got := InterpreterEnv(block, "d/sh/s1")
	want := map[string]string{"BORGES_DOCUMENT": "d", "FOO": "bar", "BORGES_SESSION": "d/sh/s1"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if block["BORGES_BLOCK"] != "b" || block["BORGES_SESSION"] != "" {
		t.Fatalf("the block's environment was changed: %v", block)
	}
}

// TestHostsWithoutTerminal: a Python or Ruby host started without a
// terminal (pipes) reads its blocks from its standard input, and the
// blocks' standard input is empty.
func TestHostsWithoutTerminal(t *testing.T) {
	for _, c := range []struct {
		kind         Kind
		interp, body string
		want         string
	}{
		{Python, "python3", "import sys\n[sys.stdin.isatty(), sys.stdin.read()]", "[False, '']"},
		{Ruby, "ruby", "[$stdin.tty?, $stdin.read]", `[false, ""]`},
	} {
		argv := Command(c.kind, "", []string{c.interp})
		outside.Need(t, c.interp, c.interp)
		dir := t.TempDir()
		in, out := proctest.StartPiped(t, dir, append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir}, Env()...), argv)
		conn := NewConn(c.kind, in, out)
		if got := eval(t, conn, Request{Body: c.body, Value: true}); got != c.want {
			t.Errorf("%s: got %q, want %q", c.kind, got, c.want)
		}
	}
}

// TestShellSessionRawByte: a block printing a byte of no UTF-8 character
// (after echoing it) still ends at its end indicator: lowering the output
// to find the indicator keeps every byte where it is.
func TestShellSessionRawByte(t *testing.T) {
	c := start(t, Shell, "sh")
	for _, body := range []string{"x=\"a\xffb\"; echo ok", "echo \"[a\xffb]\"", "echo \"\xff\xfe\xff\"; echo \"\xff\""} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		reply, err := c.Eval(ctx, Request{Body: body})
		cancel()
		if err != nil {
			t.Fatalf("%q: %v (transcript %q)", body, err, reply.Transcript)
		}
	}
}

// endingCtx is a block's context that is cancelled just as its
// interpreter ends: its Done, the first time it is asked for, closes the
// interpreter's output and waits for the Conn to have read to its end,
// so that both are ready when wait looks.
type endingCtx struct {
	context.Context
	t    testing.TB
	c    *Conn
	out  io.Closer
	once sync.Once
	done chan struct{}
}

func (e *endingCtx) Done() <-chan struct{} {
	e.once.Do(func() {
		e.out.Close()
		readToEnd(e.t, e.c)
		close(e.done)
	})
	return e.done
}

func (e *endingCtx) Err() error {
	select {
	case <-e.done:
		return context.Canceled
	default:
		return nil
	}
}

// TestWaitEndOverContext: an interpreter that ends as its block's context
// is cancelled is said to have ended, with its last words, not cancelled:
// what it printed and its end arrived before wait chose.
func TestWaitEndOverContext(t *testing.T) {
	for round := 0; round < 100; round++ {
		outR, outW := io.Pipe()
		c := NewConn(Python, io.Discard, outR)
		fmt.Fprintf(outW, "%s0\nTraceback: boom\n", frameMark)
		bound := time.After(proctest.WaitTimeout(t))
		for {
			c.mu.Lock()
			n, changed := len(c.buf), c.changed
			c.mu.Unlock()
			if n == len(frameMark)+len("0\nTraceback: boom\n") {
				break
			}
			select {
			case <-changed:
			case <-bound:
				t.Fatalf("round %d: the conn did not read what its interpreter printed (%d bytes read)", round, n)
			}
		}
		ctx := &endingCtx{Context: context.Background(), t: t, c: c, out: outW, done: make(chan struct{})}
		_, err := c.Eval(ctx, Request{Body: "block"})
		if !errors.Is(err, ErrEnded) || !strings.Contains(err.Error(), "Traceback: boom") {
			t.Fatalf("round %d: %v, want the interpreter's end with its last words", round, err)
		}
	}
}
