package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"path"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// Options configure the handler.
type Options struct {
	// Token, when set, is required as "Authorization: Bearer TOKEN" on
	// every route but /healthz and the page.
	Token string
	// Bind and Port are where the server listens: its bind address and
	// loopback names with that port are the Host names it answers to
	// (Port 0: with any port; a wildcard Bind: any IP literal and the
	// machine's host name too).
	Bind string
	Port int
	// AllowedHosts are further Host names served ("name" with any port,
	// "name:port", or "*" for any, which needs Token: ignored without it),
	// from #+borges_allowed_hosts. Pages of these names count as Borges'
	// own origin.
	AllowedHosts []string
	// MaxBody bounds request bodies (default 8 MiB); larger ones get 413.
	MaxBody int64
	// RequestTimeout bounds every request but log following (default 30s).
	RequestTimeout time.Duration
	Logger         *slog.Logger
	// Registry serves /metrics; the engine's collectors are registered on
	// it by the caller.
	Registry *prometheus.Registry
	// now and after are the clock long polls read and wait on
	// (time.Now, time.After; tests hold and step it).
	now   func() time.Time
	after func(time.Duration) <-chan time.Time
}

type server struct {
	svc Service
	opt Options
	log *slog.Logger
}

// NewHandler serves the Borges API over svc.
func NewHandler(svc Service, opt Options) http.Handler {
	if opt.MaxBody == 0 {
		opt.MaxBody = 8 << 20
	}
	if opt.RequestTimeout == 0 {
		opt.RequestTimeout = 30 * time.Second
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.now == nil {
		opt.now = time.Now
	}
	if opt.after == nil {
		opt.after = time.After
	}
	if opt.Registry == nil {
		opt.Registry = prometheus.NewRegistry()
	}
	s := &server{svc: svc, opt: opt, log: opt.Logger}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.Handle("GET /metrics", s.auth(promhttp.HandlerFor(opt.Registry, promhttp.HandlerOpts{})))
	mux.Handle("GET /{$}", http.HandlerFunc(s.page))
	mux.Handle("GET /ui/", http.HandlerFunc(s.page))
	mux.Handle("GET /assets/{name}", http.HandlerFunc(s.asset))
	mux.Handle("POST /org", s.auth(s.timed(s.submit)))
	mux.Handle("GET /org", s.auth(s.timed(s.list)))
	mux.Handle("GET /org/{id}", s.getDocument(s.auth(s.timed(s.get))))
	mux.Handle("GET /org/{id}/status", s.auth(s.timed(s.status)))
	mux.Handle("GET /org/{id}/html", s.auth(s.timed(s.rendered)))
	mux.Handle("GET /org/{id}/graph.svg", s.auth(s.timed(s.graph)))
	mux.Handle("DELETE /org/{id}", s.auth(s.timed(s.killDoc)))
	mux.Handle("POST /org/{id}/remove", s.auth(s.timed(s.removeDoc)))
	mux.Handle("POST /org/{id}/blocks/{name}/kill", s.auth(s.timed(s.killBlock)))
	mux.Handle("POST /org/{id}/blocks/{name}/restart", s.auth(s.timed(s.restartBlock)))
	mux.Handle("GET /org/{id}/blocks/{name}/log", s.auth(http.HandlerFunc(s.logs)))
	mux.Handle("GET /org/{id}/files/{path...}", s.auth(s.timed(s.file)))
	return s.guard(mux)
}

// NewServer wraps a handler with connection timeouts. There is no write
// timeout, because log following streams; every other request has its own
// deadline (Options.RequestTimeout). Shutdown ends the requests that wait
// (log following, the page's long poll) at once.
func NewServer(addr string, h http.Handler) *http.Server {
	base, stop := context.WithCancel(context.Background())
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		BaseContext: func(net.Listener) context.Context { return base }}
	srv.RegisterOnShutdown(stop)
	return srv
}

// IsLoopback reports whether a listen address only accepts local
// connections.
func IsLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

var (
	errUnauthorized = errors.New("missing or wrong bearer token")
	errBadRequest   = errors.New("bad request")
)

// retryAfter is the Retry-After of a 503: nothing was done, and the same
// request may succeed later.
const retryAfter = "30"

// status maps every error kind to its HTTP status, in one place.
func status(err error) int {
	var rej *plan.RejectError
	var tooBig *http.MaxBytesError
	switch {
	case errors.Is(err, engine.ErrBusy), errors.Is(err, engine.ErrTooLate), errors.Is(err, engine.ErrStopped), errors.Is(err, engine.ErrReportUnread),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return http.StatusServiceUnavailable
	case errors.As(err, &rej), errors.Is(err, errBadRequest):
		return http.StatusBadRequest
	case errors.Is(err, errUnauthorized):
		return http.StatusUnauthorized
	case errors.Is(err, errForbidden):
		return http.StatusForbidden
	case errors.Is(err, engine.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, engine.ErrConflict):
		return http.StatusConflict
	case errors.As(err, &tooBig):
		return http.StatusRequestEntityTooLarge
	case errors.Is(err, org.ErrCannotSave):
		// A character the document's coding cannot hold, or a cookie
		// naming one Borges does not write: Emacs would ask how to
		// save it. The document's, lasting.
		return http.StatusUnprocessableEntity
	case errors.Is(err, org.ErrFoundMarkNotFound), errors.Is(err, org.ErrFoundInChangedBuffer), errors.Is(err, org.ErrFoundNotPlaced), errors.Is(err, engine.ErrEndUnknown):
		// The document's results cannot be written as Emacs writes
		// them (a block found in results that Emacs runs and Borges
		// does not: one an Emacs Lisp block added or changed, one in a
		// buffer an Emacs Lisp block changed, one Borges cannot place
		// among the document's Emacs's tasks, or one after every task
		// whose Lisp :var values Borges does not evaluate): the
		// document's, not the
		// server's, and lasting, so no 503.
		return http.StatusUnprocessableEntity
	case errors.Is(err, engine.ErrReportLost):
		// Unlike ErrReportUnread, not to try again soon: the server
		// reads the report no more (until it is started again), so
		// the same request fails again; no 503 asks for it.
		return http.StatusInternalServerError
	}
	return http.StatusInternalServerError
}

// fail writes an error as JSON or text, per the request's Accept header.
func (s *server) fail(w http.ResponseWriter, r *http.Request, err error) {
	code := status(err)
	switch code {
	case http.StatusInternalServerError:
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	case http.StatusServiceUnavailable:
		s.log.Warn("request refused", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", retryAfter)
	}
	var rej *plan.RejectError
	if wantsJSON(r) {
		body := map[string]any{"error": err.Error()}
		if errors.As(err, &rej) {
			body["error"] = "document rejected"
			body["problems"] = rej.Problems
		}
		s.writeJSON(w, r, code, body)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintln(w, err.Error())
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// writeJSON encodes v whole before answering, so that a value JSON cannot
// hold (a NaN) is a logged 500 naming it, not an empty 200.
func (s *server) writeJSON(w http.ResponseWriter, r *http.Request, code int, v any) {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		s.log.Error("encoding an answer as JSON", "method", r.Method, "path", r.URL.Path, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, "encoding the answer as JSON: %v\n", err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(append(data, '\n'))
}

func (s *server) submit(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opt.MaxBody))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	text := string(body)
	if err := newlinesStripped(r, text); err != nil {
		s.fail(w, r, err)
		return
	}
	visit, err := parseVisit(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	enc, decoded, err := parseDecoded(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var v *engine.DocumentView
	if ds, ok := s.svc.(decodedSubmitter); ok && decoded {
		v, err = ds.SubmitDecoded(r.Context(), text, visit, enc)
	} else if vs, ok := s.svc.(visitSubmitter); ok && visit != (org.Visit{}) {
		v, err = vs.SubmitFrom(r.Context(), text, visit)
	} else {
		v, err = s.svc.Submit(r.Context(), text)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/org/"+v.ID)
	if wantsJSON(r) {
		s.writeJSON(w, r, http.StatusCreated, v)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusCreated)
	writeSummary(w, v)
}

// writeSummary is the readable answer to a submission: the id, then a line
// per block, columns aligned on the longest name.
func writeSummary(w io.Writer, v *engine.DocumentView) {
	fmt.Fprintf(w, "%s\n", v.ID)
	for _, n := range v.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	defer tw.Flush()
	for _, b := range v.Blocks {
		if !b.Runnable {
			fmt.Fprintf(tw, "  %s\t%s\tnot runnable: %s\n", b.Name, b.Lang, b.Reason)
			continue
		}
		n := ""
		if len(b.Instances) > 1 {
			n = fmt.Sprintf(" ×%d", len(b.Instances))
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s%s\n", b.Name, b.Lang, b.State, n)
		if b.Task != nil {
			for _, note := range b.Task.Notes {
				fmt.Fprintf(tw, "  \t\tnote: %s\n", note)
			}
		}
	}
}

func (s *server) list(w http.ResponseWriter, r *http.Request) {
	filter, err := parseListFilter(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var docs []engine.DocumentSummary
	var total int
	if l, ok := s.svc.(documentLister); ok {
		docs, total = l.ListDocuments(engine.ListQuery{State: engine.State(filter.state), Text: filter.q,
			Offset: filter.offset, Limit: filter.limit})
	} else {
		docs, total = filter.apply(s.svc.Documents())
	}
	if filter.paged {
		w.Header().Set("X-Total-Count", strconv.Itoa(total))
	}
	if wantsJSON(r) {
		s.writeJSON(w, r, http.StatusOK, docs)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	for _, d := range docs {
		var counts []string
		for _, st := range []engine.State{engine.Queued, engine.Staged, engine.Running, engine.Finished, engine.Failed, engine.Killed, engine.Lost} {
			if n := d.Tasks[st]; n > 0 {
				counts = append(counts, fmt.Sprintf("%d %s", n, st))
			}
		}
		fmt.Fprintf(w, "%s  %-9s %s  %s  %s\n", d.ID, d.State, d.SubmittedAt.Format(time.RFC3339), strings.Join(counts, ", "), d.Title)
	}
}

// status answers GET /org/ID/status: the document's state and its blocks
// and tasks counted by state, for a client that polls it until it ends.
func (s *server) status(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var v engine.StatusView
	if st, ok := s.svc.(documentStatuser); ok {
		ds, err := st.DocumentStatus(id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v = ds.View(id)
	} else {
		dv, err := s.svc.Document(id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		v = engine.StatusOf(dv)
	}
	s.writeJSON(w, r, http.StatusOK, v)
}

func (s *server) get(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	switch {
	case strings.HasSuffix(id, ".json"):
		s.documentJSON(w, r, strings.TrimSuffix(id, ".json"))
		return
	case strings.HasSuffix(id, ".org"):
		id = strings.TrimSuffix(id, ".org")
	case wantsJSON(r):
		v, err := s.documentView(id, viewPage{limit: -1})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.writeJSON(w, r, http.StatusOK, v)
		return
	}
	text, err := s.svc.ResultDocument(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The bytes Emacs saves: Latin-1 ones (a coding cookie's) are
	// labelled so where they are not UTF-8.
	charset := "utf-8"
	if !utf8.ValidString(text) {
		charset = "iso-8859-1"
	}
	w.Header().Set("Content-Type", "text/org; charset="+charset)
	io.WriteString(w, text)
}

func (s *server) killDoc(w http.ResponseWriter, r *http.Request) {
	switch purge := r.URL.Query().Get("purge"); purge {
	case "1", "true":
		s.removeDoc(w, r)
		return
	case "", "0", "false":
	default:
		s.fail(w, r, fmt.Errorf("%w: purge must be 1 or 0, not %q", errBadRequest, purge))
		return
	}
	if err := s.svc.KillDocument(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, r, "killed")
}

// removeDoc removes a document: its tasks killed, then its state and
// files deleted (409 when a task would not stop: it is kept, killed).
func (s *server) removeDoc(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RemoveDocument(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, r, "removed")
}

func (s *server) killBlock(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.KillBlock(r.Context(), r.PathValue("id"), r.PathValue("name")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, r, "killed")
}

func (s *server) restartBlock(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.RestartBlock(r.Context(), r.PathValue("id"), r.PathValue("name")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.ok(w, r, "restarting")
}

func (s *server) ok(w http.ResponseWriter, r *http.Request, what string) {
	if wantsJSON(r) {
		s.writeJSON(w, r, http.StatusOK, map[string]string{"status": what})
		return
	}
	io.WriteString(w, what+"\n")
}

// file serves a file a [[file:…]] result links to: the block's result for
// a file Babel writes, or the file the program wrote in its sandbox.
func (s *server) file(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("path")
	data, err := s.svc.ReadFile(r.Context(), r.PathValue("id"), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A block's file is whatever its program wrote, so it must never be
	// live content on Borges' origin, where its script could use the API:
	// always an attachment, in a sandbox (the guard's policy), and of its
	// own type only when that type is inert.
	w.Header().Set("Content-Type", inertType(name))
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": path.Base(name)}))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

// inertTypes are the types a browser shows without running anything.
var inertTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".webp": "image/webp",
	".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8", ".tsv": "text/tab-separated-values; charset=utf-8",
	".org": "text/plain; charset=utf-8", ".log": "text/plain; charset=utf-8", ".dat": "text/plain; charset=utf-8",
}

// inertType is the Content-Type a file is served with: its own when inert,
// else application/octet-stream (HTML, SVG, scripts, PDF, anything
// unknown or without an extension).
func inertType(name string) string {
	if t, ok := inertTypes[strings.ToLower(path.Ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

// logs serves a block's stdout or stderr; with follow=1 it streams what
// the process writes until the attempt has ended and all is sent.
func (s *server) logs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	stream := q.Get("stream")
	if stream == "" {
		stream = "stdout"
	}
	if stream != "stdout" && stream != "stderr" {
		s.fail(w, r, fmt.Errorf("%w: stream must be stdout or stderr", errBadRequest))
		return
	}
	instance, offset := 0, int64(0)
	var err error
	if v := q.Get("instance"); v != "" {
		if instance, err = strconv.Atoi(v); err != nil || instance < 0 {
			s.fail(w, r, fmt.Errorf("%w: instance %q", errBadRequest, v))
			return
		}
	}
	if v := q.Get("offset"); v != "" {
		if offset, err = strconv.ParseInt(v, 10, 64); err != nil || offset < 0 {
			s.fail(w, r, fmt.Errorf("%w: offset %q", errBadRequest, v))
			return
		}
	}
	follow := q.Get("follow") == "1" || q.Get("follow") == "true"
	id, name := r.PathValue("id"), r.PathValue("name")
	ctx := r.Context()
	if !follow {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.opt.RequestTimeout)
		defer cancel()
	}
	flusher, _ := w.(http.Flusher)
	started := false
	for {
		data, next, done, err := s.svc.ReadLog(ctx, id, name, instance, stream, offset, 1<<20)
		if err != nil {
			if !started {
				s.fail(w, r, err)
			}
			return
		}
		if !started {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Header().Set("X-Content-Type-Options", "nosniff")
			w.WriteHeader(http.StatusOK)
			started = true
		}
		if len(data) > 0 {
			if _, err := w.Write(data); err != nil {
				return
			}
			if flusher != nil {
				flusher.Flush()
			}
		}
		offset = next
		if len(data) > 0 && !done {
			continue // more may be there already
		}
		if !follow || done {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// newlinesStripped recognises a document sent with curl's -d @FILE, which
// deletes every line break before sending: what arrives is not the user's
// document any more (a shell loop's lines run together), so running it
// would run something else. It says how to send the file intact.
func newlinesStripped(r *http.Request, text string) error {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") ||
		strings.ContainsAny(text, "\n\r") {
		return nil
	}
	lower := strings.ToLower(text)
	if strings.Contains(lower, "#+begin_src") && strings.Contains(lower, "#+end_src") {
		return fmt.Errorf("%w: the document arrived without line breaks: curl -d @FILE deletes them. "+
			"Send the file as it is: curl --data-binary @FILE …/org (or -T FILE -X POST)", errBadRequest)
	}
	return nil
}
