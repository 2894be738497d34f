// Package client talks to a Borges server over its HTTP API; the CLI and
// the tests use it.
package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/plan"
)

// Client is a Borges API client.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// New returns a client of the server at addr ("127.0.0.1:8888" or a URL).
func New(addr, token string) *Client {
	if !strings.Contains(addr, "://") {
		addr = "http://" + addr
	}
	return &Client{base: strings.TrimRight(addr, "/"), token: token, http: &http.Client{}}
}

// Error is a non-2xx answer.
type Error struct {
	Status   int
	Message  string
	Problems []plan.Problem
}

func (e *Error) Error() string {
	if len(e.Problems) > 0 {
		var b strings.Builder
		b.WriteString(e.Message)
		for _, p := range e.Problems {
			b.WriteString("\n  " + p.String())
		}
		return b.String()
	}
	return fmt.Sprintf("%s (HTTP %d)", e.Message, e.Status)
}

// NotRunningError is a refused connection: nothing listens at Addr.
type NotRunningError struct{ Addr string }

func (e *NotRunningError) Error() string {
	return "no Borges at " + e.Addr + " — is `borges` running?"
}

func (c *Client) do(ctx context.Context, method, path string, body io.Reader, accept string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", accept)
	if body != nil {
		req.Header.Set("Content-Type", "text/org")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			return nil, &NotRunningError{Addr: req.URL.Host}
		}
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		defer resp.Body.Close()
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		e := &Error{Status: resp.StatusCode, Message: strings.TrimSpace(string(data))}
		var j struct {
			Error    string         `json:"error"`
			Problems []plan.Problem `json:"problems"`
		}
		if json.Unmarshal(data, &j) == nil && j.Error != "" {
			e.Message, e.Problems = j.Error, j.Problems
		}
		return nil, e
	}
	return resp, nil
}

func (c *Client) json(ctx context.Context, method, path string, body io.Reader, out any) error {
	resp, err := c.do(ctx, method, path, body, "application/json")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// Submit sends a document.
func (c *Client) Submit(ctx context.Context, text string) (*engine.DocumentView, error) {
	return c.SubmitFrom(ctx, text, "", "")
}

// SubmitFrom sends a document visited in directory dir, with home the
// directory "~" stands for (both absolute, or ""): the server makes the
// links of its :results file blocks as Emacs makes them in a buffer
// visiting it there (the API's dir and home).
func (c *Client) SubmitFrom(ctx context.Context, text, dir, home string) (*engine.DocumentView, error) {
	return c.submit(ctx, text, dir, home, url.Values{})
}

// SubmitDecoded is SubmitFrom of a document's text decoded already (as
// Emacs reads its file: Expand), which its file holds in encoding enc:
// the server does not decode it again, and gives the document back
// encoded so (the API's decoded, eol, bom and coding).
func (c *Client) SubmitDecoded(ctx context.Context, text, dir, home string, enc org.Encoding) (*engine.DocumentView, error) {
	q := url.Values{"decoded": {"1"}}
	switch enc.EOL {
	case "\r\n":
		q.Set("eol", "crlf")
	case "\r":
		q.Set("eol", "cr")
	}
	if enc.BOM {
		q.Set("bom", "1")
	}
	if enc.Coding != "" {
		q.Set("coding", enc.Coding)
	} else if enc.File {
		// A file's: saved as Emacs saves it (its cookie's coding).
		q.Set("coding", "utf-8")
	}
	return c.submit(ctx, text, dir, home, q)
}

func (c *Client) submit(ctx context.Context, text, dir, home string, q url.Values) (*engine.DocumentView, error) {
	path := "/org"
	if dir != "" {
		q.Set("dir", dir)
	}
	if home != "" {
		q.Set("home", home)
	}
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var v engine.DocumentView
	if err := c.json(ctx, http.MethodPost, path, strings.NewReader(text), &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// Document is one document's state.
func (c *Client) Document(ctx context.Context, id string) (*engine.DocumentView, error) {
	var v engine.DocumentView
	if err := c.json(ctx, http.MethodGet, "/org/"+url.PathEscape(id)+".json", nil, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// DocumentPage is one document's state with at most limit of its blocks
// (limit < 0: as many as the server gives in one answer), from the
// offset-th on; BlocksTotal says how many there are.
func (c *Client) DocumentPage(ctx context.Context, id string, offset, limit int) (*engine.DocumentView, error) {
	q := url.Values{"offset": {strconv.Itoa(offset)}}
	if limit >= 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var v engine.DocumentView
	if err := c.json(ctx, http.MethodGet, "/org/"+url.PathEscape(id)+".json?"+q.Encode(), nil, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// Documents lists documents.
func (c *Client) Documents(ctx context.Context) ([]engine.DocumentSummary, error) {
	var v []engine.DocumentSummary
	return v, c.json(ctx, http.MethodGet, "/org", nil, &v)
}

// ListDocuments lists the documents q selects, newest first (GET /org
// with its filters and page), and how many match in all.
func (c *Client) ListDocuments(ctx context.Context, q engine.ListQuery) ([]engine.DocumentSummary, int, error) {
	v := url.Values{}
	if q.State != "" {
		v.Set("state", string(q.State))
	}
	if q.Text != "" {
		v.Set("q", q.Text)
	}
	if q.Offset > 0 {
		v.Set("offset", strconv.Itoa(q.Offset))
	}
	if q.Limit >= 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	path := "/org"
	if len(v) > 0 {
		path += "?" + v.Encode()
	}
	resp, err := c.do(ctx, http.MethodGet, path, nil, "application/json")
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	var docs []engine.DocumentSummary
	if err := json.NewDecoder(resp.Body).Decode(&docs); err != nil {
		return nil, 0, fmt.Errorf("the document list: %w", err)
	}
	total := q.Offset + len(docs)
	if n, err := strconv.Atoi(resp.Header.Get("X-Total-Count")); err == nil {
		total = n
	}
	return docs, total, nil
}

// Result is the document with results written back.
func (c *Client) Result(ctx context.Context, id string) (string, error) {
	resp, err := c.do(ctx, http.MethodGet, "/org/"+url.PathEscape(id)+".org", nil, "text/org")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return string(data), err
}

// File is a file a document's [[file:…]] results link to.
func (c *Client) File(ctx context.Context, id, path string) ([]byte, error) {
	var parts []string
	for _, p := range strings.Split(path, "/") {
		parts = append(parts, url.PathEscape(p))
	}
	resp, err := c.do(ctx, http.MethodGet, "/org/"+url.PathEscape(id)+"/files/"+strings.Join(parts, "/"), nil, "")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

// Kill kills a document, or one block of it.
func (c *Client) Kill(ctx context.Context, id, block string) error {
	if block == "" {
		return c.json(ctx, http.MethodDelete, "/org/"+url.PathEscape(id), nil, nil)
	}
	return c.json(ctx, http.MethodPost, "/org/"+url.PathEscape(id)+"/blocks/"+url.PathEscape(block)+"/kill", nil, nil)
}

// Restart restarts a block.
func (c *Client) Restart(ctx context.Context, id, block string) error {
	return c.json(ctx, http.MethodPost, "/org/"+url.PathEscape(id)+"/blocks/"+url.PathEscape(block)+"/restart", nil, nil)
}

// Log copies a block's stream to w from offset; with follow it streams
// until the attempt has ended. It returns the offset reached.
func (c *Client) Log(ctx context.Context, id, block string, instance int, stream string, offset int64, follow bool, w io.Writer) (int64, error) {
	q := url.Values{"stream": {stream}, "instance": {strconv.Itoa(instance)}, "offset": {strconv.FormatInt(offset, 10)}}
	if follow {
		q.Set("follow", "1")
	}
	resp, err := c.do(ctx, http.MethodGet, "/org/"+url.PathEscape(id)+"/blocks/"+url.PathEscape(block)+"/log?"+q.Encode(), nil, "text/plain")
	if err != nil {
		return offset, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return offset + n, err
}

// Status is one document's state and its blocks and tasks counted by
// state, without its blocks: what a poller needs, at a fraction of the
// server's cost of the view.
func (c *Client) Status(ctx context.Context, id string) (*engine.StatusView, error) {
	var v engine.StatusView
	if err := c.json(ctx, http.MethodGet, "/org/"+url.PathEscape(id)+"/status", nil, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// Wait polls a document's status until it is no longer running, and
// returns its view then.
func (c *Client) Wait(ctx context.Context, id string, every time.Duration) (*engine.DocumentView, error) {
	for {
		s, err := c.Status(ctx, id)
		if err != nil {
			return nil, err
		}
		if s.State != engine.Running {
			return c.Document(ctx, id)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(every):
		}
	}
}

// Remove removes a document: its tasks are killed, then its state and
// files deleted.
func (c *Client) Remove(ctx context.Context, id string) error {
	return c.json(ctx, http.MethodPost, "/org/"+url.PathEscape(id)+"/remove", nil, nil)
}
