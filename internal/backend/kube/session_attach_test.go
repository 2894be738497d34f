package kube

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/session"
)

// lateAttach stands for an attach stream made after the container
// started: what the container prints before attached is set is lost, as
// it is when pods/attach connects to a running container.
type lateAttach struct {
	mu       sync.Mutex
	attached bool
}

func (l *lateAttach) attach() { l.mu.Lock(); l.attached = true; l.mu.Unlock() }

// copy copies the container's output to w from the moment it is attached.
func (l *lateAttach) copy(w *io.PipeWriter, r io.Reader) {
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		l.mu.Lock()
		on := l.attached
		l.mu.Unlock()
		if on && n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			w.CloseWithError(err)
			return
		}
	}
}

// countingWriter counts the lines written to the container, attaching
// the stream once after lines of them, and keeps everything written.
type countingWriter struct {
	w     io.Writer
	after int
	late  *lateAttach
	mu    sync.Mutex
	lines int
	all   bytes.Buffer
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.mu.Lock()
	c.all.Write(p)
	c.lines += bytes.Count(p, []byte("\n"))
	if c.lines >= c.after {
		c.late.attach()
	}
	c.mu.Unlock()
	return c.w.Write(p)
}

func (c *countingWriter) written() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.all.String()
}

// startContainer runs the session container's program on this machine
// on a terminal as a runtime makes it (its sandbox a temporary
// directory), with the variables of env besides PATH, as the image's
// environment, attached late: the first pings' answers are lost.
func startContainer(t *testing.T, cmd []string, lostPings int, env ...string) (*countingWriter, io.Reader) {
	t.Helper()
	script := sessionScript(t.TempDir(), "", session.Program(cmd), "test-image", session.ShellSession(cmd), session.EmacsShell(cmd), `exec "$@"`)
	argv := runtimeTerminal(append([]string{"sh", "-c", script, "borges"}, cmd...))
	env = append(append([]string{"PATH=/usr/local/bin:/usr/bin:/bin"}, env...), session.Env()...)
	tty := proctest.StartOnTerminal(t, t.TempDir(), env, argv)
	late := &lateAttach{}
	if lostPings == 0 {
		// Attached from the start: what the script prints before the
		// first ping (its failure) is read, not dropped.
		late.attach()
	}
	r, w := io.Pipe()
	go late.copy(w, tty)
	return &countingWriter{w: tty, after: lostPings + 1, late: late}, r
}

// TestHandshake: whatever the container printed before Borges was
// attached is lost; the handshake's pings find when the stream is live,
// and only then is the interpreter started, so that Borges reads all it
// prints (a shell's banner and first prompt, which a session's first
// block's result is made of). No ping reaches the interpreter.
func TestHandshake(t *testing.T) {
	for _, c := range []struct {
		kind session.Kind
		cmd  []string
		body string
		want string
	}{
		{session.Shell, session.Command(session.Shell, "sh", nil), "x=41\necho $((x+1))", "42"},
		{session.Python, session.Command(session.Python, "", []string{"python3"}), "x = 41\nprint(x + 1)", "42"},
	} {
		t.Run(string(c.kind), func(t *testing.T) {
			if c.kind == session.Python {
				outside.Need(t, "python3", "python3")
			}
			in, out := startContainer(t, c.cmd, 2)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			rest, err := handshake(ctx, in, out, 50*time.Millisecond, 1000)
			if err != nil {
				t.Fatal(err)
			}
			conn := session.NewConn(c.kind, in, rest)
			reply, err := conn.Eval(ctx, session.Request{Body: c.body})
			if err != nil {
				t.Fatal(err)
			}
			// A shell session's first result starts with its first
			// prompt's line, as in Emacs.
			if !strings.HasSuffix(reply.Result, c.want) || strings.Contains(reply.Transcript, pingPrefix) {
				t.Fatalf("result %q, want %q at its end (transcript %q)", reply.Result, c.want, reply.Transcript)
			}
			sent := in.written()
			_, after, ok := strings.Cut(sent, "\n"+goLine+"\n")
			if !ok || strings.Contains(after, pingPrefix) || !strings.HasPrefix(sent, pingPrefix) {
				t.Fatalf("sent to the container: %q", sent)
			}
		})
	}
}

// TestHandshakeEnds: a container that ends before the handshake (an
// interpreter not in the image) fails it, saying what it printed.
func TestHandshakeEnds(t *testing.T) {
	in, out := startContainer(t, []string{"borges-no-such-interpreter", "-i"}, 0)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err := handshake(ctx, in, out, 50*time.Millisecond, 1000)
	if err == nil || !strings.Contains(err.Error(), "borges-no-such-interpreter is not in the image test-image") {
		t.Fatalf("handshake: %v", err)
	}
}

// TestShellSessionOfSHELL: a "shell" block's session runs the shell
// $SHELL names in the image's environment, or /bin/sh where it names
// none (as images normally do), and its check names that shell; started
// after the document's Emacs reported a shell-file-name that its SHELL
// does not give (plan.Task.WithShellFileName), it runs that one,
// whatever SHELL says.
func TestShellSessionOfSHELL(t *testing.T) {
	cmd := session.Command(session.Shell, "shell", nil)
	dash := outside.Need(t, "dash", "dash")
	for _, c := range []struct {
		name string
		cmd  []string
		env  []string
		want string
		// body prints "[$0]" unless told.
		body string
	}{
		{"unset", cmd, nil, "/bin/sh", ""},
		{"dash", cmd, []string{"SHELL=" + dash}, "dash", ""},
		{"emacs", session.WithShell(cmd, "dash"), []string{"SHELL=/bin/sh"}, dash, ""},
		// The SHELL the document's Emacs set (session.EmacsSHELL) is
		// given back after the shell is chosen: it does not choose it.
		{"emacs SHELL", cmd, []string{"SHELL=/bin/sh", session.EmacsSHELL + "==/borges-no-such-shell"}, "/bin/sh][/borges-no-such-shell", "echo \"[$0][$SHELL]\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			in, out := startContainer(t, c.cmd, 0, c.env...)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			rest, err := handshake(ctx, in, out, 50*time.Millisecond, 1000)
			if err != nil {
				t.Fatal(err)
			}
			conn := session.NewConn(session.Shell, in, rest)
			body := c.body
			if body == "" {
				body = "echo \"[$0]\""
			}
			reply, err := conn.Eval(ctx, session.Request{Body: body})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(reply.Result, c.want+"]") {
				t.Fatalf("result %q, want the shell %s", reply.Result, c.want)
			}
		})
	}
	t.Run("missing", func(t *testing.T) {
		in, out := startContainer(t, cmd, 0, "SHELL=/borges-no-such-shell")
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		_, err := handshake(ctx, in, out, 50*time.Millisecond, 1000)
		if err == nil || !strings.Contains(err.Error(), "/borges-no-such-shell is not in the image test-image") {
			t.Fatalf("handshake: %v", err)
		}
	})
	// The document's Emacs's shell-file-name missing: the message says
	// where the name came from, and asks for no other :image (the
	// shell the Emacs had is not the image's choice).
	t.Run("missing emacs", func(t *testing.T) {
		in, out := startContainer(t, session.WithShell(cmd, "/borges-no-such-shell"), 0, "SHELL=/bin/sh")
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		_, err := handshake(ctx, in, out, 50*time.Millisecond, 1000)
		if err == nil || !strings.Contains(err.Error(), "the document's Emacs's shell-file-name /borges-no-such-shell is not in the image test-image") ||
			strings.Contains(err.Error(), ":image") {
			t.Fatalf("handshake: %v", err)
		}
	})
}

// TestHandshakeUnanswered: pings that are never answered end the
// handshake after the tries it was given.
func TestHandshakeUnanswered(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err := handshake(ctx, io.Discard, r, time.Millisecond, 5)
	if err == nil || !strings.Contains(err.Error(), "no answer") {
		t.Fatalf("handshake: %v", err)
	}
}
