package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"

	"github.com/wallyqs/borges/internal/engine"
)

// timed gives a request its deadline (Options.RequestTimeout), as
// http.TimeoutHandler does, with one difference: a 503 at the deadline
// means that nothing was done. The handler's context carries a claim
// (engine.WithClaim) the engine takes at the moment the request takes
// effect; at the deadline, an unclaimed request is answered 503 and can no
// longer be claimed, while a claimed one is given the time to finish and
// its own answer (a 201, say) is sent.
func (s *server) timed(f http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.opt.RequestTimeout)
		defer cancel()
		// A body still arriving at the deadline is cut off there rather
		// than read for as long as the connection allows.
		if dl, ok := ctx.Deadline(); ok {
			http.NewResponseController(w).SetReadDeadline(dl)
		}
		tw := &deadlineWriter{header: http.Header{}}
		ctx = engine.WithClaim(ctx, tw.claim)
		done := make(chan struct{})
		panicked := make(chan any, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					panicked <- p
				}
			}()
			f(tw, r.WithContext(ctx))
			close(done)
		}()
		select {
		case p := <-panicked:
			panic(p)
		case <-done:
		case <-ctx.Done():
			if !tw.expire() {
				select {
				case p := <-panicked:
					panic(p)
				case <-done:
				}
				break
			}
			s.log.Warn("request timed out", "method", r.Method, "path", r.URL.Path, "after", s.opt.RequestTimeout)
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("Retry-After", retryAfter)
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "request timed out; nothing was done\n")
			return
		}
		tw.sendTo(w)
	})
}

// deadlineWriter holds a handler's answer until it is complete, so that
// either it or the deadline's 503 is sent, never a mix.
type deadlineWriter struct {
	mu      sync.Mutex
	header  http.Header
	body    bytes.Buffer
	code    int
	claimed bool // the request has taken effect: its answer will be sent
	expired bool // the deadline's 503 was sent: the handler's answer is dropped
}

// claim lets the request take effect, unless its deadline was answered.
func (tw *deadlineWriter) claim() bool {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.expired {
		return false
	}
	tw.claimed = true
	return true
}

// expire marks the request answered by its deadline, unless it has been
// claimed; it reports whether it did.
func (tw *deadlineWriter) expire() bool {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.claimed {
		return false
	}
	tw.expired = true
	return true
}

func (tw *deadlineWriter) Header() http.Header { return tw.header }

func (tw *deadlineWriter) WriteHeader(code int) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.code == 0 {
		tw.code = code
	}
}

func (tw *deadlineWriter) Write(p []byte) (int, error) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	if tw.expired {
		return 0, http.ErrHandlerTimeout
	}
	if tw.code == 0 {
		tw.code = http.StatusOK
	}
	return tw.body.Write(p)
}

// sendTo writes the handler's answer.
func (tw *deadlineWriter) sendTo(w http.ResponseWriter) {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	dst := w.Header()
	for k, v := range tw.header {
		dst[k] = v
	}
	if tw.code == 0 {
		tw.code = http.StatusOK
	}
	w.WriteHeader(tw.code)
	w.Write(tw.body.Bytes())
}
