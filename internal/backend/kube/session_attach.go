package kube

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/httpstream"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/tools/remotecommand"
)

// Borges reaches a session's interpreter through pods/attach: the
// container's own standard input and output, which stay the interpreter's
// for its whole life, whereas a process started by pods/exec would be
// one more process beside the container's, living past its stream's end,
// and a pod log gives whole lines only (a shell's prompt is not one). An
// attach stream carries what the container prints from the moment it is
// made, not before; the handshake (sessionScript) makes sure nothing of
// the interpreter's is printed before then.

// Handshake timing: a ping a second, for five minutes at most (the
// stream is made within seconds; a loaded node may take longer).
const (
	pingEvery = time.Second
	pingTries = 300
)

// attachStream streams the terminal of the session container of pod:
// stdin to its input, its output to stdout, until the container or ctx
// ends: over WebSocket, else SPDY when the server refuses the upgrade, as
// exec does. A terminal has one output stream: no standard error is asked
// for (the runtime would end the attach as soon as the container's own is
// closed). No terminal size queue is given, so no size is sent: the
// terminal keeps the 0×0 window it was made with, as Emacs's has (and
// containerd's CRI drops a size with no rows or columns, so that 0×0
// could not be sent).
func (b *Backend) attachStream(ctx context.Context, pod string, stdin io.Reader, stdout io.Writer) error {
	ex, err := b.executor(pod, "attach", &corev1.PodAttachOptions{Container: sessionContainer, Stdin: true, Stdout: true, TTY: true})
	if err != nil {
		return err
	}
	return ex.StreamWithContext(ctx, remotecommand.StreamOptions{Stdin: stdin, Stdout: stdout, Tty: true})
}

// executor makes a stream to a subresource of a pod (exec, attach) with
// opts.
func (b *Backend) executor(pod, subresource string, opts runtime.Object) (remotecommand.Executor, error) {
	if b.cfg.RESTConfig == nil {
		return nil, errors.New("no client configuration for " + subresource)
	}
	req := b.cfg.Client.CoreV1().RESTClient().Post().Resource("pods").Namespace(b.cfg.Namespace).Name(pod).
		SubResource(subresource).VersionedParams(opts, scheme.ParameterCodec)
	ws, err := remotecommand.NewWebSocketExecutor(b.cfg.RESTConfig, "GET", req.URL().String())
	if err != nil {
		return nil, err
	}
	spdy, err := remotecommand.NewSPDYExecutor(b.cfg.RESTConfig, "POST", req.URL())
	if err != nil {
		return nil, err
	}
	return remotecommand.NewFallbackExecutor(ws, spdy, func(err error) bool {
		return httpstream.IsUpgradeFailure(err) || httpstream.IsHTTPSProxyError(err)
	})
}

// handshake finds when the attach stream is live and starts the
// interpreter: it sends a ping line every so often (tries at most) until
// the container's echo of one comes back through out (the ones sent
// before the stream was made are answered unseen), then goLine; the
// container then prints startLine and becomes the interpreter. It returns
// out from the byte after startLine: everything the interpreter prints.
// No ping is sent after goLine, so none reaches the interpreter. What
// the container printed besides its answers (why it ended) is in the
// error when out ends first.
func handshake(ctx context.Context, in io.Writer, out io.Reader, every time.Duration, tries int) (io.Reader, error) {
	br := bufio.NewReader(out)
	type line struct {
		text string
		err  error
	}
	lines := make(chan line)
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			s, err := br.ReadString('\n')
			select {
			case lines <- line{s, err}:
			case <-stop:
				return
			}
			// br is the caller's once startLine is read.
			if err != nil || s == startLine+"\n" {
				return
			}
		}
	}()
	var said strings.Builder
	saying := func() string {
		s := strings.TrimSpace(said.String())
		if len(s) > 500 {
			s = "…" + s[len(s)-500:]
		}
		if s == "" {
			return ""
		}
		return ", saying: " + s
	}
	pings, ticks := 0, 0
	ping := func() error {
		pings++
		_, err := io.WriteString(in, pingPrefix+strconv.Itoa(pings)+"\n")
		return err
	}
	if err := ping(); err != nil {
		return nil, fmt.Errorf("writing to the container: %w", err)
	}
	sentGo := false
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
			ticks++
			if ticks >= tries {
				return nil, fmt.Errorf("no answer from the container to %d pings%s", pings, saying())
			}
			if !sentGo {
				if err := ping(); err != nil {
					return nil, fmt.Errorf("writing to the container: %w", err)
				}
			}
		case l := <-lines:
			isPing := strings.HasPrefix(l.text, pingPrefix) && strings.HasSuffix(l.text, "\n")
			switch {
			case sentGo && l.text == startLine+"\n":
				return br, nil
			case isPing && !sentGo:
				if _, err := io.WriteString(in, goLine+"\n"); err != nil {
					return nil, fmt.Errorf("writing to the container: %w", err)
				}
				sentGo = true
			case !isPing:
				said.WriteString(l.text)
			}
			if l.err != nil {
				return nil, fmt.Errorf("the container's output ended (%v)%s", l.err, saying())
			}
		}
	}
}
