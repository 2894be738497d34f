package session

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/proctest"
)

// fakeHost is an interpreter for RunBlock's tests: a Python host program
// in Go that answers each block as its test says.
type fakeHost struct {
	t    testing.TB
	conn *Conn
	out  *io.PipeWriter
	done chan struct{}
	exit string

	endOnce sync.Once
	mu      sync.Mutex
	stops   []OutcomeKind
}

// answer is what the fake interpreter does with a block: prints, then
// either frames a value, ends ("ended" set: it exits so) or says nothing
// more.
type answer struct {
	print string
	value string
	ended string
	hang  bool
	// kind is the interpreter's (Python unless told).
	kind Kind
}

func newFakeHost(t *testing.T, a answer) *fakeHost {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	h := &fakeHost{t: t, out: outW, done: make(chan struct{})}
	kind := a.kind
	if kind == "" {
		kind = Python
	}
	h.conn = NewConn(kind, inW, outR)
	t.Cleanup(func() { h.end("test over"); inR.Close() })
	go func() {
		if kind != Emacs {
			// Ready for a block, as a host says it (the document's
			// Emacs says nothing first).
			fmt.Fprintf(outW, "%s0\n", frameMark)
		}
		lines := bufio.NewReader(inR)
		if _, err := lines.ReadString('\n'); err != nil {
			return
		}
		io.WriteString(outW, a.print)
		switch {
		case a.ended != "":
			h.end(a.ended)
		case !a.hang:
			fmt.Fprintf(outW, "%s%d\n%s", frameMark, len(a.value), a.value)
		}
	}()
	return h
}

// end ends the fake interpreter, once: its output closed, then, once
// the Conn has read to its end (as a process is waited for after its
// output closed), done.
func (h *fakeHost) end(exit string) {
	h.endOnce.Do(func() {
		h.exit = exit
		h.out.Close()
		readToEnd(h.t, h.conn)
		close(h.done)
	})
}

// readToEnd waits until c has read its interpreter's output to its end,
// bounded by the test's deadline: a Conn that never reaches its end fails
// the test (with Errorf, as it may be called off the test's goroutine)
// instead of hanging it until the package's -timeout.
func readToEnd(t testing.TB, c *Conn) {
	t.Helper()
	bound := time.After(proctest.WaitTimeout(t))
	for {
		c.mu.Lock()
		ended, changed := c.ended, c.changed
		c.mu.Unlock()
		if ended != nil {
			return
		}
		select {
		case <-changed:
		case <-bound:
			t.Errorf("the conn did not read its interpreter's output to its end")
			return
		}
	}
}

func (h *fakeHost) stop(why OutcomeKind) {
	h.mu.Lock()
	h.stops = append(h.stops, why)
	h.mu.Unlock()
	h.end("killed")
}

// liveBuf is a block's live transcript in a test.
type liveBuf struct {
	liveBuffer
	closed bool
}

func (l *liveBuf) Close() error { l.closed = true; return nil }

// TestRunBlock: how a block ended, what it says, and what the backend is
// asked to do, for each way a block ends.
func TestRunBlock(t *testing.T) {
	notReady := make(chan struct{})
	for _, c := range []struct {
		name     string
		answer   answer
		value    bool
		killed   bool
		timeout  time.Duration
		max      int
		ready    <-chan struct{}
		writeErr error
		liveErr  error

		kind    OutcomeKind
		message string
		out     *Output
		stops   []OutcomeKind
		// live is the transcript as it arrived, when its time does not
		// decide it; noLive: none was opened.
		live   string
		noLive bool
	}{
		{name: "output", answer: answer{print: "hello\nworld\n"},
			kind: Finished, out: &Output{Stdout: "hello\nworld", Transcript: "hello\nworld\n"}, live: "hello\nworld\n"},
		{name: "value", answer: answer{print: "printed\n", value: "42"}, value: true,
			kind: Finished, out: &Output{Stdout: "printed", Transcript: "printed\n", Value: "42", IsValue: true}, live: "printed\n"},
		{name: "killed", answer: answer{print: "hi\n"}, killed: true,
			kind: Killed, message: "killed on request", out: &Output{Stdout: "hi", Transcript: "hi\n"}, stops: []OutcomeKind{Killed}, live: "hi\n"},
		{name: "timed out", answer: answer{print: "working\n", hang: true}, timeout: 20 * time.Millisecond,
			kind: TimedOut, message: "timed out after 20ms (its session's interpreter is stopped)", stops: []OutcomeKind{TimedOut, TimedOut}},
		{name: "too long", answer: answer{print: strings.Repeat("x", 100), hang: true}, max: 10,
			kind: TooLong, message: "the block printed more than a session block may (10 bytes); its session's interpreter is stopped", stops: []OutcomeKind{TooLong}},
		{name: "ended saying", answer: answer{print: "Traceback: boom\n", ended: "exit status 1"},
			kind: Ended, message: "its session's interpreter ended (exit status 1): Traceback: boom", stops: []OutcomeKind{Ended}, live: "Traceback: boom\n"},
		{name: "ended silent", answer: answer{ended: "signal: killed"},
			kind: Ended, message: "its session's interpreter ended (signal: killed)", stops: []OutcomeKind{Ended}},
		{name: "not reached", answer: answer{ended: "deleted"}, ready: notReady,
			kind: NotReached, stops: []OutcomeKind{NotReached}, noLive: true},
		{name: "not reached, killed", answer: answer{ended: "deleted"}, ready: notReady, killed: true,
			kind: Killed, message: "killed on request", stops: []OutcomeKind{Killed}, noLive: true},
		{name: "output not written", answer: answer{print: "hi\n"}, writeErr: errors.New("disk full"),
			kind: Failed, message: "disk full", out: &Output{Stdout: "hi", Transcript: "hi\n"}, stops: []OutcomeKind{Failed}, live: "hi\n"},
		{name: "no live file", answer: answer{print: "hi\n"}, liveErr: errors.New("no directory"),
			kind: Failed, message: "no directory", stops: []OutcomeKind{Failed}, noLive: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := newFakeHost(t, c.answer)
			if c.max > 0 {
				h.conn.SetMax(c.max)
			}
			if c.ready == nil {
				// Ready, but the block waits for it.
				ready := make(chan struct{})
				close(ready)
				c.ready = ready
			} else {
				// Never ready: the interpreter ends first.
				h.end(c.answer.ended)
			}
			live := &liveBuf{}
			var wrote *Output
			started := false
			o := RunBlock(context.Background(), BlockRun{
				Request: Request{Body: "block", Value: c.value},
				Kind:    Python,
				Timeout: c.timeout,
				Stopped: "its session's interpreter is stopped",
				Ready:   c.ready,
				Conn:    func() *Conn { return h.conn },
				Ended:   h.done,
				Exit:    func() string { return h.exit },
				Started: func() { started = true },
				Live:    func() (io.WriteCloser, error) { return live, c.liveErr },
				Killed:  func() bool { return c.killed },
				Stop:    h.stop,
				Write:   func(o Output) error { wrote = &o; return c.writeErr },
			})
			if o.Kind != c.kind || o.Message != c.message {
				t.Errorf("got %v %q, want %v %q", o.Kind, o.Message, c.kind, c.message)
			}
			if (c.out == nil) != (wrote == nil) || c.out != nil && *wrote != *c.out {
				t.Errorf("wrote %+v, want %+v", wrote, c.out)
			}
			if fmt.Sprint(h.stops) != fmt.Sprint(c.stops) {
				t.Errorf("stopped for %v, want %v", h.stops, c.stops)
			}
			if started != (c.ready != notReady) {
				t.Errorf("started: %v", started)
			}
			if c.live != "" && live.String() != c.live {
				t.Errorf("live transcript %q, want %q", live.String(), c.live)
			}
			if live.closed == c.noLive {
				t.Errorf("live transcript closed: %v", live.closed)
			}
		})
	}
}

// TestRunBlockContext: a block whose context ends (its backend stops)
// is abandoned, whether the context ended before it was sent, while it
// waited for its interpreter to be ready or while the interpreter ran
// it: RunBlock returns at once, writes nothing and does not stop the
// interpreter (the next Borges finds the block lost). Before, a block
// waiting for an interpreter that was never ready outlived its backend.
func TestRunBlockContext(t *testing.T) {
	for _, tc := range []struct {
		name  string
		ready bool // the interpreter is ready (else never)
		early bool // the context ends before RunBlock is called
	}{
		{"ended before", true, true},
		{"waiting for its interpreter", false, false},
		{"running", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newFakeHost(t, answer{hang: true})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			ready := make(chan struct{})
			if tc.ready {
				close(ready)
			}
			if tc.early {
				cancel()
			}
			var mu sync.Mutex
			var stops []OutcomeKind
			var sent, wrote bool
			done := make(chan Outcome, 1)
			go func() {
				done <- RunBlock(ctx, BlockRun{
					Request: Request{Body: "block"},
					Kind:    Python,
					Ready:   ready,
					Conn:    func() *Conn { return h.conn },
					Ended:   h.done,
					Exit:    func() string { return h.exit },
					Killed:  func() bool { return false },
					Stop:    func(why OutcomeKind) { mu.Lock(); stops = append(stops, why); mu.Unlock() },
					Write:   func(Output) error { mu.Lock(); wrote = true; mu.Unlock(); return nil },
					Live: func() (io.WriteCloser, error) {
						mu.Lock()
						sent = true
						mu.Unlock()
						if !tc.early {
							// Sent (or about to be): the backend stops now.
							cancel()
						}
						return nil, nil
					},
				})
			}()
			if !tc.ready && !tc.early {
				// Waiting for an interpreter that is never ready.
				cancel()
			}
			o := <-done
			mu.Lock()
			defer mu.Unlock()
			if o.Kind != Abandoned || o.Message != "" {
				t.Errorf("got %v %q (%v), want Abandoned", o.Kind, o.Message, o.Err)
			}
			if len(stops) != 0 || wrote {
				t.Errorf("stopped for %v, wrote %v", stops, wrote)
			}
			if sent != (tc.ready && !tc.early) {
				t.Errorf("sent %v", sent)
			}
			if isClosed(h.done) {
				t.Error("the interpreter ended")
			}
		})
	}
}

// TestRunBlockEmacsUnreadable: a reply of the document's Emacs that this
// Borges cannot read (a host of another version, a buffer report cut)
// fails the block, and its Emacs, alive, is stopped: the block does not
// wait for an end that never comes, as it would for ErrEnded.
func TestRunBlockEmacsUnreadable(t *testing.T) {
	// A reply it reads, first: the fake host is heard.
	h := newFakeHost(t, answer{value: "v42", kind: Emacs})
	reply, err := h.conn.Eval(context.Background(), Request{Body: "block", Value: true})
	if err != nil || reply.Result != "42" {
		t.Fatalf("v42: %+v, %v", reply, err)
	}
	for _, reply := range []string{"xsomething newer", "b99\nshort", "b2\nab"} {
		t.Run(reply, func(t *testing.T) {
			h := newFakeHost(t, answer{value: reply, kind: Emacs})
			ready := make(chan struct{})
			close(ready)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			o := RunBlock(ctx, BlockRun{
				Request: Request{Body: "block", Value: true},
				Kind:    Emacs,
				Stopped: "its session's interpreter is stopped",
				Ready:   ready,
				Conn:    func() *Conn { return h.conn },
				Ended:   h.done,
				Exit:    func() string { return h.exit },
				Live:    func() (io.WriteCloser, error) { return nil, nil },
				Killed:  func() bool { return false },
				Stop:    h.stop,
				Write:   func(Output) error { return nil },
			})
			if o.Kind != Failed || !errors.Is(o.Err, ErrProtocol) || !strings.Contains(o.Message, "cannot read") {
				t.Errorf("got %v %q (%v), want Failed: a reply this Borges cannot read", o.Kind, o.Message, o.Err)
			}
			if fmt.Sprint(h.stops) != fmt.Sprint([]OutcomeKind{Failed}) {
				t.Errorf("stopped for %v, want [Failed]", h.stops)
			}
		})
	}
}
