package session

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// Command is the program of a session's interpreter. A shell session runs
// the shell of its first block as Emacs's M-x shell starts it (see
// shellCommand: "sh -i", "bash --noediting -i", reading their rc files,
// and sent ~/.emacs_SHELL first); Python and Ruby sessions run a small host program in the
// interpreter (interp, e.g. ["python3"]) that evaluates each block as
// ob-python has the REPL evaluate it, or that makes the interpreter the
// irb that ob-ruby runs, fed each block as ob-ruby feeds it (hosts.go).
func Command(kind Kind, shell string, interp []string) []string {
	switch kind {
	case Python:
		return append(append([]string{}, interp...), "-c", pythonHost)
	case Ruby:
		return append(append([]string{}, interp...), "-e", rubyLauncher, rubyIRBHost)
	case Emacs:
		return emacsCommand(interp)
	}
	return shellCommand(shell)
}

// InterpreterEnv is the environment a session's interpreter starts with,
// made from its first block's: the variables that name that block
// (BORGES_BLOCK, BORGES_ATTEMPT, BORGES_INSTANCE) are not the session's,
// and BORGES_SESSION names the session. Every backend's interpreter gets
// it, and Env besides.
func InterpreterEnv(blockEnv map[string]string, sessionID string) map[string]string {
	env := make(map[string]string, len(blockEnv)+1)
	for k, v := range blockEnv {
		switch k {
		case "BORGES_BLOCK", "BORGES_ATTEMPT", "BORGES_INSTANCE":
			continue
		}
		env[k] = v
	}
	env["BORGES_SESSION"] = sessionID
	return env
}

// Env is what a session's interpreter gets in its environment besides the
// task's: the terminal Emacs's comint declares (comint-term-environment
// where the system uses terminfo, COLUMNS the width of the window of
// emacs --batch), and INSIDE_EMACS.
func Env() []string {
	return []string{"TERM=dumb", "TERMCAP=", "COLUMNS=80", "INSIDE_EMACS=28.2,comint"}
}

// Request is one block sent to a session.
type Request struct {
	// Body is the block's full body as Babel sends it: variable
	// assignments, body, and for a shell block in value mode "echo $?".
	Body string
	// Value is set for a Python or Ruby block whose result is its value
	// (":results value"), PP under ":results pp".
	Value bool
	PP    bool
	// ShellForms says that Body is a "shell" block's two forms
	// (ShellFormsBody), of which the session's shell-file-name chooses
	// one; without it no body is read as two forms, whatever it begins
	// with.
	ShellForms bool
	// Live, when set, receives the block's transcript as it arrives.
	Live io.Writer
}

// Reply is what a block's evaluation gave.
type Reply struct {
	// Result is the text Babel reads the block's result from: a shell
	// block's processed output, a Python or Ruby block's output or value.
	Result string
	// Transcript is everything the interpreter printed for the block.
	Transcript string
	// Buffer is, in the document's Emacs, the report of its Org buffer
	// after a block that changed it (org.ParseBufferReport reads it).
	Buffer string
	// Env, for the document's Emacs, is how its environment differs from
	// the one it started with, after the block (emacs_env.go).
	Env *Environment
}

// ErrEnded is returned when the interpreter ended (its output closed).
var ErrEnded = errors.New("the session's interpreter ended")

// ErrTooLong is returned when a block printed more than a Conn holds.
var ErrTooLong = errors.New("the block printed more than a session block may")

// DefaultMax is what a Conn holds of a block's output unless told.
const DefaultMax = 256 << 20

// Conn talks to one session's interpreter through its terminal (in and
// out its master, see package terminal), or through a pipe to its standard
// input (in) and one from its standard output and error merged (out). One
// block at a time.
type Conn struct {
	kind Kind
	in   io.Writer
	// max is the most bytes of output a block may print (SetMax).
	max int

	evalMu sync.Mutex // one evaluation at a time

	mu      sync.Mutex
	buf     []byte
	ended   error
	changed chan struct{} // closed (and replaced) whenever buf or ended changes

	started bool
	// shellFile is a shell session's shell-file-name, as its start
	// frame says (sessionShellFile); "" for a shell not started by
	// shellStart.
	shellFile string
	// pending begins the first block's transcript: a shell's first
	// prompt, what a host printed before its first frame.
	pending string

	live    io.Writer // the current block's Request.Live
	liveOff int       // how much of buf live has had
	// marks is the search of buf for a host's next frame, shared by
	// flushLive and frame.
	marks frameSearch
}

// flushLive hands live what arrived since it was last given some: for a
// host program, not the frame after the block, nor what may begin it.
// The caller holds c.mu.
func (c *Conn) flushLive() {
	if c.live == nil {
		return
	}
	end := len(c.buf)
	if c.kind == Python || c.kind == Ruby || c.kind == Emacs {
		end = c.marks.search(c.buf)
	}
	if end > c.liveOff {
		c.live.Write(c.buf[c.liveOff:end])
		c.liveOff = end
	}
}

// setLive starts or ends giving the transcript to w.
func (c *Conn) setLive(w io.Writer, first string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.live, c.liveOff = w, 0
	if w != nil && first != "" {
		w.Write([]byte(first))
	}
}

// NewConn starts reading the interpreter's output.
func NewConn(kind Kind, in io.Writer, out io.Reader) *Conn {
	c := &Conn{kind: kind, in: in, changed: make(chan struct{}), max: DefaultMax}
	go c.read(out)
	return c
}

// SetMax sets the most bytes of output a block may print: a block's
// transcript is read whole (Babel splits it at its end), so it is held in
// memory; past the most the block fails with ErrTooLong.
func (c *Conn) SetMax(n int) {
	c.mu.Lock()
	c.max = n
	c.mu.Unlock()
}

func (c *Conn) read(out io.Reader) {
	chunk := make([]byte, 32<<10)
	for {
		n, err := out.Read(chunk)
		c.mu.Lock()
		c.buf = append(c.buf, chunk[:n]...)
		if err != nil {
			c.ended = ErrEnded
		} else if len(c.buf) > c.max {
			c.ended = fmt.Errorf("%w (%d bytes)", ErrTooLong, c.max)
			c.buf = nil
		}
		close(c.changed)
		c.changed = make(chan struct{})
		c.mu.Unlock()
		if err != nil {
			return
		}
	}
}

// wait waits until done finds what it looks for in the output not yet
// consumed, and consumes the first n bytes of it.
func (c *Conn) wait(ctx context.Context, done func(b []byte) (n int, ok bool)) ([]byte, error) {
	cancelled := false
	for {
		c.mu.Lock()
		c.flushLive()
		if n, ok := done(c.buf); ok {
			out := append([]byte(nil), c.buf[:n]...)
			c.buf = c.buf[n:]
			c.liveOff = max(0, c.liveOff-n)
			c.mu.Unlock()
			return out, nil
		}
		if c.ended != nil {
			if errors.Is(c.ended, ErrTooLong) {
				c.mu.Unlock()
				return nil, c.ended
			}
			last := strings.TrimSpace(string(c.buf))
			c.mu.Unlock()
			if len(last) > 500 {
				last = "…" + last[len(last)-500:]
			}
			if last != "" {
				return nil, fmt.Errorf("%w, saying: %s", c.ended, last)
			}
			return nil, c.ended
		}
		ch := c.changed
		c.mu.Unlock()
		select {
		case <-ctx.Done():
			// Output or the interpreter's end may have arrived with
			// the context's end, and select picks either: what the
			// interpreter said wins, so a block does not lose its
			// last words to a cancel that its end caused. Once only:
			// an interpreter that keeps printing does not hold off
			// the cancel.
			c.mu.Lock()
			more := c.changed != ch || c.ended != nil
			c.mu.Unlock()
			if !more || cancelled {
				return nil, ctx.Err()
			}
			cancelled = true
		case <-ch:
		}
	}
}

// Eval sends one block and reads its result.
func (c *Conn) Eval(ctx context.Context, r Request) (Reply, error) {
	c.evalMu.Lock()
	defer c.evalMu.Unlock()
	switch c.kind {
	case Python, Ruby:
		return c.evalHosted(ctx, r)
	case Emacs:
		return c.evalEmacs(ctx, r)
	}
	return c.evalShell(ctx, r)
}

// evalShell sends the block's lines and waits, as
// org-babel-comint-with-output does, for the end indicator's output
// followed by a prompt.
func (c *Conn) evalShell(ctx context.Context, r Request) (Reply, error) {
	if !c.started {
		start, err := c.startShell(ctx)
		if err != nil {
			return Reply{}, err
		}
		c.started, c.pending = true, start
	}
	if r.ShellForms {
		// A "shell" block's values, in the forms shell-file-name
		// chooses (ShellFormsBody).
		generic, bash, bashStop, ok := shellForms(r.Body)
		if !ok {
			return Reply{}, errors.New("a shell block of two forms whose body does not hold them")
		}
		r.Body = generic
		if strings.HasSuffix(c.shellFile, "bash") {
			if bashStop != "" {
				// Emacs stops binding them: nothing is sent.
				return Reply{Result: bashStop}, nil
			}
			r.Body = bash
		}
	}
	c.setLive(r.Live, c.pending)
	defer c.setLive(nil, "")
	if _, err := io.WriteString(c.in, strings.Join(ShellLines(r.Body), "\n")+"\n"); err != nil {
		return Reply{}, fmt.Errorf("%w: %v", ErrEnded, err)
	}
	var end shellEnd
	out, err := c.wait(ctx, end.done)
	if err != nil {
		return Reply{}, err
	}
	transcript := c.pending + string(out)
	c.pending = ""
	return Reply{Result: ShellResult(r.Body, transcript), Transcript: transcript}, nil
}

// shellFormsMark begins the body of a "shell" block of a session whose
// values take other forms where the session's shell-file-name ends in
// "bash" (ShellFormsBody).
const shellFormsMark = "\x1e\x1eBORGES-SHELL-FORMS "

// ShellFormsBody is the body of a "shell" block of a shell session whose
// request says it holds two forms (Request.ShellForms), as a Conn sends
// it: generic, its values in the forms of other shells, where
// the session's shell-file-name (sessionShellFile) does not end in
// "bash", as org-babel-variable-assignments:shell chooses, else bash, in
// bash's forms, or where bashStop is not "" (Emacs stops binding the
// values in those forms), nothing: bashStop is then the block's result.
func ShellFormsBody(generic, bash, bashStop string) string {
	return fmt.Sprintf("%s%d %d\n%s%s%s", shellFormsMark, len(generic), len(bash), generic, bash, bashStop)
}

// shellForms reads a body ShellFormsBody made; ok is false for any other.
func shellForms(body string) (generic, bash, bashStop string, ok bool) {
	rest, ok := strings.CutPrefix(body, shellFormsMark)
	if !ok {
		return "", "", "", false
	}
	head, rest, _ := strings.Cut(rest, "\n")
	g, b, _ := strings.Cut(head, " ")
	ng, err1 := strconv.Atoi(g)
	nb, err2 := strconv.Atoi(b)
	if err1 != nil || err2 != nil || ng < 0 || nb < 0 || ng+nb > len(rest) {
		return "", "", "", false
	}
	return rest[:ng], rest[ng : ng+nb], rest[ng+nb:], true
}

// frameMark begins what a host program writes after a block: the length
// of the block's value, then the value. A host writes one (of no value)
// too once it is ready for its first block: a Conn sends it nothing
// before.
const frameMark = "\x1e\x1eBORGES-SESSION-END "

// evalHosted sends a block to a host program (Python, Ruby) and reads what
// it printed, up to the frame that carries the block's value.
func (c *Conn) evalHosted(ctx context.Context, r Request) (Reply, error) {
	req, err := hostRequest(c.kind, r)
	if err != nil {
		return Reply{}, err
	}
	if !c.started {
		// The host's first frame says that it reads blocks now (on a
		// terminal, once it has turned the line discipline off, which
		// would cut a long block); what it printed before it begins
		// the first block's transcript.
		start, _, err := c.frame(ctx)
		if err != nil {
			return Reply{}, err
		}
		c.started, c.pending = true, start
	}
	pending := c.pending
	c.setLive(r.Live, pending)
	defer c.setLive(nil, "")
	if _, err := c.in.Write(req); err != nil {
		return Reply{}, fmt.Errorf("%w: %v", ErrEnded, err)
	}
	c.pending = ""
	if c.kind == Ruby && !r.Value {
		// ob-ruby first sends the end indicator alone and waits for
		// it: what irb prints for it is not the block's output.
		first, _, err := c.frame(ctx)
		if err != nil {
			return Reply{}, err
		}
		out, _, err := c.frame(ctx)
		if err != nil {
			return Reply{}, err
		}
		return Reply{Result: RubyOutputResult(r.Body, out), Transcript: pending + first + out}, nil
	}
	transcript, value, err := c.frame(ctx)
	if err != nil {
		return Reply{}, err
	}
	transcript = pending + transcript
	reply := Reply{Transcript: transcript}
	switch {
	case r.Value:
		reply.Result = string(value)
	default:
		reply.Result = PythonOutput(transcript)
	}
	return reply, nil
}

// hostRequest is a block as a host program reads it: for Python a line of
// JSON, for Ruby a line "VALUE PP LENGTH" and the body (irb's process
// loads no JSON library that the blocks would then see).
func hostRequest(kind Kind, r Request) ([]byte, error) {
	if kind == Ruby {
		return []byte(fmt.Sprintf("%d %d %d\n%s", b2i(r.Value), b2i(r.PP), len(r.Body), r.Body)), nil
	}
	req, err := json.Marshal(map[string]any{"body": r.Body, "value": r.Value, "pp": r.PP})
	return append(req, '\n'), err
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// frame reads what a host program printed up to its next frame, and the
// value the frame carries.
func (c *Conn) frame(ctx context.Context) (transcript string, value []byte, err error) {
	_, err = c.wait(ctx, func(b []byte) (int, bool) {
		if c.marks.search(b); !c.marks.found {
			return 0, false
		}
		i := c.marks.from
		v, n, ok := frameValue(b[i+len(frameMark):])
		if !ok {
			return 0, false
		}
		// wait consumes the frame and what came before it: the next
		// frame is searched for from the start of what is left.
		c.marks = frameSearch{examined: c.marks.examined}
		transcript, value = string(b[:i]), v
		return i + len(frameMark) + n, true
	})
	return transcript, value, err
}

// frameSearch finds a host's frame mark in its output as the output
// arrives, as shellEnd finds a shell's end indicator: each search looks at
// the bytes that are new since the last and the mark's length less one
// before them, and none once the mark is found; so a long output takes
// time in proportion to its length, not to its square.
type frameSearch struct {
	from     int  // where the mark may begin in the output
	seen     int  // how much of the output has been searched
	found    bool // it begins at from
	safe     int  // where what may begin the mark begins (the output's length if nothing may)
	examined int  // bytes looked at, for the tests
}

// search searches the output so far, b, for the mark and says how much of
// it is before the mark, or before what may begin it once more arrives.
func (s *frameSearch) search(b []byte) (safe int) {
	if len(b) < s.seen {
		// Conn.read dropped an output too long (ErrTooLong).
		*s = frameSearch{examined: s.examined}
	}
	if s.found || len(b) == s.seen {
		return s.safe
	}
	s.seen = len(b)
	s.examined += len(b) - s.from
	if i := bytes.Index(b[s.from:], []byte(frameMark)); i >= 0 {
		s.from += i
		s.found, s.safe = true, s.from
		return s.safe
	}
	s.from = max(s.from, len(b)-len(frameMark)+1)
	s.safe = len(b)
	s.examined += len(b) - s.from
	for j := s.from; j < len(b); j++ {
		if bytes.HasPrefix([]byte(frameMark), b[j:]) {
			s.safe = j
			break
		}
	}
	return s.safe
}

// frameValue reads what follows a frame's mark: the value's length, a
// newline, the value; n is how many bytes that is, ok false until all
// have arrived. A length that is not one counts as 0.
func frameValue(rest []byte) (value []byte, n int, ok bool) {
	nl := bytes.IndexByte(rest, '\n')
	if nl < 0 {
		return nil, 0, false
	}
	size, err := strconv.Atoi(string(rest[:nl]))
	if err != nil || size < 0 {
		size = 0
	}
	if len(rest) < nl+1+size {
		return nil, 0, false
	}
	return append([]byte(nil), rest[nl+1:nl+1+size]...), nl + 1 + size, true
}

// shellEnd finds the end of a shell block's output as it arrives (done,
// for Conn.wait): the end indicator's output, in any case, followed by a
// prompt at a line's start. Each byte is lowered once, as it comes, into
// a window (win) of what has not been searched for the indicator (the new
// bytes and the indicator's length less one before them), and none once
// it is found; so a long output takes time in proportion to its length,
// not to its square, and no second copy of it is held.
type shellEnd struct {
	win     []byte // the output from from to seen, its ASCII letters lowered
	from    int    // where the indicator may begin in the output
	seen    int    // how much of the output is lowered (in win)
	found   bool   // it begins at from
	lowered int    // bytes lowered, for the tests
}

// done is Conn.wait's done for a shell block: b is the output so far.
func (s *shellEnd) done(b []byte) (int, bool) {
	if len(b) < s.seen {
		// Conn.read dropped an output too long (ErrTooLong): b is not
		// the output searched so far, and wait ends after this call.
		*s = shellEnd{}
	}
	if !s.found {
		s.win = appendLower(s.win, b[s.seen:])
		s.lowered += len(b) - s.seen
		s.seen = len(b)
		i := bytes.Index(s.win, []byte(shellEOEOut))
		if i < 0 {
			next := max(s.from, len(b)-len(shellEOEOut)+1)
			s.win = s.win[:copy(s.win, s.win[next-s.from:])]
			s.from = next
			return 0, false
		}
		s.from, s.found, s.win = s.from+i, true, nil
	}
	rest := b[s.from+len(shellEOEOut):]
	for _, loc := range promptRe.FindAllIndex(rest, -1) {
		if loc[0] > 0 { // at a line's start after the indicator
			return len(b), true
		}
	}
	return 0, false
}

// asciiLower is b with its ASCII letters lowered, every byte where it is
// (bytes.ToLower makes a byte of no UTF-8 character three, and so
// shifts what follows it: a block printing a raw byte then never found
// its end indicator's prompt).
func asciiLower(b []byte) []byte {
	return appendLower(make([]byte, 0, len(b)), b)
}

// appendLower appends b to l, its ASCII letters lowered (asciiLower).
func appendLower(l, b []byte) []byte {
	for _, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		l = append(l, c)
	}
	return l
}
