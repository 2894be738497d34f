package session

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"
)

// Every backend runs a session's block the same way (RunBlock): it sends
// the block to the session's interpreter, under the block's :timeout,
// while the interpreter lives, writes its transcript as it arrives and its
// output at its end, and says how the block ended (an Outcome), which the
// backend maps to its own states. What differs is the backend's hold on
// the interpreter: how it stops it, how it knows the block was killed,
// where the block's files go; a BlockRun carries those.

// OutcomeKind is how a session's block ended.
type OutcomeKind int

const (
	// Finished: the block ran to its end and its output is written.
	Finished OutcomeKind = iota
	// Killed: the block was killed on request.
	Killed
	// TimedOut: the block ran past its :timeout; the interpreter was
	// stopped.
	TimedOut
	// TooLong: the block printed more than a Conn holds (ErrTooLong).
	TooLong
	// Ended: the interpreter ended while it ran the block.
	Ended
	// NotReached: the interpreter ended before it was ready for the
	// block (BlockRun.Ready).
	NotReached
	// Failed: any other error (sending the block, writing its output).
	Failed
	// Signalled: an Emacs Lisp block signalled an error (ErrSignalled);
	// its output is written, and its interpreter goes on.
	Signalled
	// Abandoned: the context given to RunBlock ended (its backend
	// stops) while the block waited for its interpreter or ran in it.
	// Nothing is written and the interpreter is not stopped: the block's
	// end is the next Borges's to find (a lost attempt), and the
	// interpreter its backend's shutdown's to end.
	Abandoned
)

// Outcome is how a session's block ended.
type Outcome struct {
	Kind OutcomeKind
	// Message is what the block's end says to the user: "" when it
	// finished, and for NotReached, which the backend says in its own
	// words (it knows what it waited for).
	Message string
	// Err is the error behind TooLong, Ended and Failed.
	Err error
}

// Output is a session's block's output once evaluated.
type Output struct {
	// Stdout is the block's result text: Babel's result, or for a Python
	// or Ruby block's value, what the block printed.
	Stdout string
	// Transcript is everything the interpreter printed for the block.
	Transcript string
	// Value is a Python or Ruby block's value (IsValue set).
	Value   string
	IsValue bool
	// Buffer, in the document's Emacs, is the report of its Org buffer
	// after a block that changed it ("" when it did not): the backend
	// writes it into the attempt's BufferFile.
	Buffer string
	// Env, for the document's Emacs, is the environment it reported
	// (Reply.Env): the backend keeps it as EnvironmentFile.
	Env *Environment
}

// File is a file a session block leaves in its attempt's sandbox.
type File struct {
	Name string
	Data []byte
}

// Files are the files a block's output leaves beside its streams, which
// every backend writes alike: a Python or Ruby block's value ("value"),
// and what the document's Emacs reported (BufferFile, EnvironmentFile).
func (o Output) Files() []File {
	var files []File
	if o.IsValue {
		files = append(files, File{"value", []byte(o.Value)})
	}
	if o.Buffer != "" {
		files = append(files, File{BufferFile, []byte(o.Buffer)})
	}
	if o.Env != nil {
		files = append(files, File{EnvironmentFile, MarshalEnvironment(o.Env)})
	}
	return files
}

// BlockRun is one block to run in a session's interpreter, and what the
// backend that holds the interpreter does for it.
type BlockRun struct {
	// Request is the block (its Live is set from Live).
	Request Request
	// Kind is the session's kind.
	Kind Kind
	// Timeout is the block's :timeout, 0 for none: past it the
	// interpreter is stopped (Stop(TimedOut)) and the block fails.
	Timeout time.Duration
	// Stopped says, in the messages of a block that timed out or printed
	// too much, what became of the interpreter ("its session's
	// interpreter is stopped").
	Stopped string

	// Ready, when not nil, is closed once Conn may be called: the block
	// waits for it (or for Ended: NotReached) before it is sent.
	Ready <-chan struct{}
	// Conn is the interpreter's connection, once Ready.
	Conn func() *Conn
	// Ended is closed once the interpreter has ended.
	Ended <-chan struct{}
	// Exit says how the interpreter ended, once Ended is closed.
	Exit func() string
	// Started, when not nil, is called once the interpreter is ready,
	// before the block is sent (and before its :timeout counts).
	Started func()
	// Live, when not nil, opens what receives the block's transcript as
	// it arrives (nil, nil for nothing); its error fails the block.
	Live func() (io.WriteCloser, error)
	// Killed says whether the block was killed on request.
	Killed func() bool
	// Stop stops the interpreter, saying why: when the block times out,
	// and when the block ends any way but Finished (Stop may be called
	// twice; a second call is to do nothing).
	Stop func(why OutcomeKind)
	// Write writes the block's output once it is evaluated; its error
	// fails the block.
	Write func(Output) error
}

// RunBlock runs a block in its session's interpreter and says how it
// ended; ctx ends the wait for it, for its interpreter to be ready as
// for its evaluation (Abandoned).
func RunBlock(parent context.Context, r BlockRun) Outcome {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	go func() {
		select {
		case <-r.Ended:
			cancel()
		case <-ctx.Done():
		}
	}()
	reached := parent.Err() == nil
	if r.Ready != nil {
		select {
		case <-r.Ready:
		case <-ctx.Done(): // r.Ended, or parent's end
		}
		reached = isClosed(r.Ready) && !isClosed(r.Ended) && parent.Err() == nil
	}
	var timedOut atomic.Bool
	var err error
	if reached {
		if r.Started != nil {
			r.Started()
		}
		if r.Timeout > 0 {
			timer := time.AfterFunc(r.Timeout, func() {
				timedOut.Store(true)
				r.Stop(TimedOut)
			})
			defer timer.Stop()
		}
		err = evalBlock(ctx, r)
	}
	o := classify(r, reached, timedOut.Load(), parent.Err() != nil, err)
	if o.Kind != Finished && o.Kind != Signalled && o.Kind != Abandoned {
		r.Stop(o.Kind)
	}
	return o
}

// evalBlock sends the block, its transcript to Live as it arrives, and
// writes its output.
func evalBlock(ctx context.Context, r BlockRun) error {
	req := r.Request
	if r.Live != nil {
		live, err := r.Live()
		if err != nil {
			return err
		}
		if live != nil {
			req.Live = live
			defer live.Close()
		}
	}
	reply, err := r.Conn().Eval(ctx, req)
	if errors.Is(err, ErrSignalled) {
		// What the block printed, the error's message last, is its
		// output; it has no value.
		if werr := r.Write(Output{Stdout: reply.Transcript, Transcript: reply.Transcript, Buffer: reply.Buffer, Env: reply.Env}); werr != nil {
			return werr
		}
		return err
	}
	if err != nil {
		return err
	}
	return r.Write(BlockOutput(r.Kind, req.Value, reply))
}

// classify says how a block ended, in the order that decides it: a
// request to kill it or its timeout stopped the interpreter, whatever
// the evaluation then said; a block its caller gave up on while its
// interpreter lives (abandoned) did not end.
func classify(r BlockRun, reached, timedOut, abandoned bool, err error) Outcome {
	switch {
	case r.Killed():
		return Outcome{Kind: Killed, Message: "killed on request"}
	case timedOut:
		return Outcome{Kind: TimedOut, Message: "timed out after " + r.Timeout.String() + " (" + r.Stopped + ")"}
	case abandoned && !isClosed(r.Ended):
		return Outcome{Kind: Abandoned}
	case !reached:
		return Outcome{Kind: NotReached}
	case err == nil:
		return Outcome{Kind: Finished}
	case errors.Is(err, ErrSignalled):
		return Outcome{Kind: Signalled, Err: err, Message: err.Error()}
	case errors.Is(err, ErrTooLong):
		return Outcome{Kind: TooLong, Err: err, Message: err.Error() + "; " + r.Stopped}
	case errors.Is(err, ErrEnded) || errors.Is(err, context.Canceled):
		<-r.Ended
		msg := "its session's interpreter ended (" + r.Exit() + ")"
		if said, ok := strings.CutPrefix(err.Error(), ErrEnded.Error()+", saying: "); ok {
			msg += ": " + said
		}
		return Outcome{Kind: Ended, Err: err, Message: msg}
	}
	return Outcome{Kind: Failed, Err: err, Message: err.Error()}
}

// BlockOutput is a block's output from its reply: for a Python or Ruby
// block's value, the value and what the block printed as its result text.
func BlockOutput(kind Kind, value bool, reply Reply) Output {
	o := Output{Stdout: reply.Result, Transcript: reply.Transcript, Buffer: reply.Buffer, Env: reply.Env}
	if value {
		o.Value, o.IsValue = reply.Result, true
		o.Stdout = PythonOutput(reply.Transcript)
		if kind == Emacs {
			// What a batch Emacs printed, as a block's own process
			// prints it on its standard output and error.
			o.Stdout = reply.Transcript
		}
		if kind == Ruby {
			o.Stdout = RubyOutput(reply.Transcript)
		}
	}
	return o
}

// LiveFile opens a file to receive a block's transcript as it arrives;
// one that cannot be opened receives nothing (the transcript is still
// the block's output).
func LiveFile(path string, perm os.FileMode) func() (io.WriteCloser, error) {
	return func() (io.WriteCloser, error) {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, perm)
		if err != nil {
			return nil, nil
		}
		return f, nil
	}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}
