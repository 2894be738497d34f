package api

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/wallyqs/borges/internal/engine"
)

// The page's own script and style, served from the binary (the page
// works offline, and its policy runs no script but these).
//
//go:embed web/app.js web/app.css
var assets embed.FS

// asset serves /assets/NAME: the page's script and style.
func (s *server) asset(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	data, err := assets.ReadFile("web/" + name)
	if err != nil {
		s.fail(w, r, fmt.Errorf("asset %s: %w", name, engine.ErrNotFound))
		return
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(data)
}

// wantsPage: a browser asking for a document (Accept: text/html, as a
// link followed or an address typed) gets the page, which shows it; curl,
// the CLI and Emacs keep getting Org text, and /org/ID.org and .json are
// what they say, whoever asks.
func wantsPage(r *http.Request) bool {
	switch id := r.PathValue("id"); {
	case strings.HasSuffix(id, ".html"):
		return true
	case strings.HasSuffix(id, ".org"), strings.HasSuffix(id, ".json"):
		return false // named as text: given as text, to a browser too
	}
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		if t, _, _ := strings.Cut(strings.TrimSpace(part), ";"); strings.EqualFold(t, "text/html") {
			return true
		}
	}
	return false
}

// getDocument answers GET /org/ID: the page for a browser (the page holds
// no data, so it needs no token: it fetches the document with its own),
// else the document itself.
func (s *server) getDocument(api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if wantsPage(r) {
			s.page(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// rendered serves GET /org/ID/html: the document with its current results,
// rendered as an HTML fragment for the page (see renderDocument). Like
// every answer but the page, it is sandboxed: opened alone, nothing in it
// could run.
func (s *server) rendered(w http.ResponseWriter, r *http.Request) {
	result := s.svc.ResultDocument
	if rt, ok := s.svc.(resultTexter); ok {
		result = rt.ResultText // decoded, as the buffer holds it
	}
	text, err := result(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out, err := renderDocument(text)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	io.WriteString(w, out)
}

// graph serves GET /org/ID/graph.svg: the blocks' dependency graph.
func (s *server) graph(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.Document(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/svg+xml")
	io.WriteString(w, graphSVG(v))
}

// viewTag is a document view's ETag: the long-poll's "what I have".
func viewTag(data []byte) string {
	sum := sha256.Sum256(data)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// documentJSON answers GET /org/ID.json. With ?wait=ETAG it is a long
// poll: it answers when the view differs from the one with that ETag, or
// after a while (the same view again), so that the page sees a block's
// change at once without asking every second.
func (s *server) documentJSON(w http.ResponseWriter, r *http.Request, id string) {
	wait := r.URL.Query().Get("wait")
	page, err := parsePage(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit := time.NewTimer(min(20*time.Second, s.opt.RequestTimeout/2))
	defer limit.Stop()
	watcher, _ := s.svc.(documentWatcher)
	for {
		// What changes after this is waited for below.
		var changed <-chan struct{}
		var every <-chan time.Time
		if watcher != nil && wait != "" {
			if changed, err = watcher.DocumentChanges(id); err != nil {
				s.fail(w, r, err)
				return
			}
		} else if wait != "" {
			every = s.opt.after(pollEvery)
		}
		built := s.opt.now()
		v, err := s.documentView(id, page)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		data, err := json.MarshalIndent(v, "", "  ")
		if err != nil {
			s.writeJSON(w, r, http.StatusOK, v) // names what JSON cannot hold
			return
		}
		tag := viewTag(data)
		answer := wait == "" || wait != tag
		if !answer {
			select {
			case <-r.Context().Done():
				return
			case <-changed:
				// Changes of a busy document coalesce: one view per
				// pollEvery at most, as a poll without a watcher.
				if rest := pollEvery - s.opt.now().Sub(built); rest > 0 {
					select {
					case <-r.Context().Done():
						return
					case <-s.opt.after(rest):
					}
				}
				continue
			case <-every:
				continue
			case <-limit.C:
				answer = true // the same view again
			}
		}
		w.Header().Set("ETag", tag)
		w.Header().Set("Content-Type", "application/json")
		w.Write(append(data, '\n'))
		return
	}
}

// pollEvery is how often the long poll builds the view of a Service that
// does not say when a document changes.
const pollEvery = 250 * time.Millisecond

// listFilter is GET /org's ?state=, ?q=, ?offset= and ?limit=: the page
// shows a page of a long list, and the total as X-Total-Count.
type listFilter struct {
	state         string
	q             string
	offset, limit int
	paged         bool
}

func parseListFilter(r *http.Request) (listFilter, error) {
	q := r.URL.Query()
	f := listFilter{state: q.Get("state"), q: strings.ToLower(strings.TrimSpace(q.Get("q"))), limit: -1}
	for _, p := range []struct {
		name string
		to   *int
	}{{"offset", &f.offset}, {"limit", &f.limit}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return f, fmt.Errorf("%w: %s must be a number ≥ 0, not %q", errBadRequest, p.name, v)
			}
			*p.to = n
			f.paged = true
		}
	}
	if f.state != "" || f.q != "" {
		f.paged = true
	}
	return f, nil
}

// apply keeps the documents that match, and of those the page asked for;
// total is how many matched.
func (f listFilter) apply(docs []engine.DocumentSummary) (page []engine.DocumentSummary, total int) {
	if f.state == "" && f.q == "" {
		page = docs
	} else {
		page = make([]engine.DocumentSummary, 0, len(docs))
		for _, d := range docs {
			if f.matches(d) {
				page = append(page, d)
			}
		}
	}
	total = len(page)
	page = page[min(f.offset, len(page)):]
	if f.limit >= 0 && f.limit < len(page) {
		page = page[:f.limit]
	}
	return page, total
}

// matches: the document's state is the one asked for, or one of its
// tasks is in it; the text is in its title or id.
func (f listFilter) matches(d engine.DocumentSummary) bool {
	if f.state != "" && string(d.State) != f.state && d.Tasks[engine.State(f.state)] == 0 {
		return false
	}
	return f.q == "" || strings.Contains(strings.ToLower(d.Title), f.q) || strings.Contains(strings.ToLower(d.ID), f.q)
}

// viewPage is ?offset=N&limit=N of a document's view: which of its blocks
// the answer holds.
type viewPage struct {
	offset, limit int
	paged         bool
}

func parsePage(r *http.Request) (viewPage, error) {
	q := r.URL.Query()
	p := viewPage{limit: -1}
	for _, f := range []struct {
		name string
		to   *int
	}{{"offset", &p.offset}, {"limit", &p.limit}} {
		if v := q.Get(f.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return p, fmt.Errorf("%w: %s must be a number ≥ 0, not %q", errBadRequest, f.name, v)
			}
			*f.to = n
			p.paged = true
		}
	}
	return p, nil
}

// documentView is a document's view as GET /org/ID.json gives it: the
// blocks of the page asked for, with how many there are; without a page,
// the whole view as before for a document of at most
// engine.MaxViewBlocks blocks, and its first engine.MaxViewBlocks blocks,
// saying how many there are, for a longer one.
func (s *server) documentView(id string, p viewPage) (*engine.DocumentView, error) {
	pager, ok := s.svc.(documentPager)
	if !ok {
		v, err := s.svc.Document(id)
		if err != nil || !p.paged {
			return v, err
		}
		// A Service without pages: the page cut from the whole view.
		page := *v
		page.BlocksTotal, page.Offset = len(v.Blocks), p.offset
		page.Blocks = v.Blocks[min(p.offset, len(v.Blocks)):]
		if p.limit >= 0 && p.limit < len(page.Blocks) {
			page.Blocks = page.Blocks[:p.limit]
		}
		return &page, nil
	}
	v, err := pager.DocumentPage(id, p.offset, p.limit)
	if err != nil {
		return nil, err
	}
	if !p.paged && v.BlocksTotal <= len(v.Blocks) {
		v.BlocksTotal, v.Offset, v.Tasks = 0, 0, nil // the whole view, as it always was
	}
	return v, nil
}
