package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestGuard is the browser-facing rule of the API: which Host names are
// answered, which origins may change state or read, and what a request
// without browser headers (curl, the CLI, Emacs) gets.
func TestGuard(t *testing.T) {
	f := &fakeService{log: "x\n", done: true}
	loopback := NewHandler(f, Options{Port: 8888})
	wildcard := NewHandler(f, Options{Port: 8888, Bind: "0.0.0.0", Token: "0123456789abcdef", AllowedHosts: []string{"borges.example"}})
	anyHost := NewHandler(f, Options{Port: 8888, Token: "0123456789abcdef", AllowedHosts: []string{"*"}})
	// "*" without a token (the server refuses to start so; a handler made
	// so anyway) must not re-open DNS rebinding on loopback.
	anyHostNoToken := NewHandler(f, Options{Port: 8888, AllowedHosts: []string{"*"}})
	named := NewHandler(f, Options{Port: 8888, AllowedHosts: []string{"borges.lan:9000", "proxy.example"}})
	const token = "Bearer 0123456789abcdef"
	cases := []struct {
		name    string
		h       http.Handler
		method  string
		path    string
		host    string
		headers map[string]string
		want    int
	}{
		{"curl on loopback", loopback, "POST", "/org", "127.0.0.1:8888", nil, 201},
		{"localhost", loopback, "GET", "/org", "localhost:8888", nil, 200},
		{"LOCALHOST in capitals", loopback, "GET", "/org", "LOCALHOST:8888", nil, 200},
		{"ipv6 loopback", loopback, "GET", "/org", "[::1]:8888", nil, 200},
		{"rebinding name", loopback, "GET", "/org", "evil.example:8888", nil, 403},
		{"rebinding name, healthz", loopback, "GET", "/healthz", "evil.example:8888", nil, 403},
		{"rebinding name, page", loopback, "GET", "/", "evil.example:8888", nil, 403},
		{"loopback, other port", loopback, "GET", "/org", "127.0.0.1:9999", nil, 403},
		{"no port means 80", loopback, "GET", "/org", "127.0.0.1", nil, 403},
		{"empty host", loopback, "GET", "/org", "", nil, 403},
		{"127.0.0.2 is not what we serve", loopback, "GET", "/org", "127.0.0.2:8888", nil, 403},
		{"subdomain of localhost", loopback, "GET", "/org", "a.localhost:8888", nil, 403},
		{"same origin page POST", loopback, "POST", "/org", "127.0.0.1:8888",
			map[string]string{"Origin": "http://127.0.0.1:8888", "Sec-Fetch-Site": "same-origin"}, 201},
		{"other port POST (same-site)", loopback, "POST", "/org", "127.0.0.1:8888",
			map[string]string{"Origin": "http://127.0.0.1:9999", "Sec-Fetch-Site": "same-site"}, 403},
		{"cross-site POST", loopback, "POST", "/org", "127.0.0.1:8888",
			map[string]string{"Origin": "http://evil.example", "Sec-Fetch-Site": "cross-site"}, 403},
		{"Origin only", loopback, "DELETE", "/org/x", "127.0.0.1:8888", map[string]string{"Origin": "http://evil.example"}, 403},
		{"null origin", loopback, "POST", "/org", "127.0.0.1:8888", map[string]string{"Origin": "null"}, 403},
		{"Sec-Fetch-Site only", loopback, "POST", "/org", "127.0.0.1:8888", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"cross-site read", loopback, "GET", "/org", "127.0.0.1:8888",
			map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "cors", "Origin": "http://evil.example"}, 403},
		{"cross-site no-cors read (script tag)", loopback, "GET", "/org/x.json", "127.0.0.1:8888",
			map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "no-cors", "Sec-Fetch-Dest": "script"}, 403},
		{"cross-site navigation to the page", loopback, "GET", "/", "127.0.0.1:8888",
			map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}, 200},
		{"cross-site navigation into a frame", loopback, "GET", "/", "127.0.0.1:8888",
			map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "iframe"}, 403},
		{"cross-site navigating POST (a form)", loopback, "POST", "/org", "127.0.0.1:8888",
			map[string]string{"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", "Origin": "http://evil.example"}, 403},
		{"user typed the address", loopback, "GET", "/org", "127.0.0.1:8888", map[string]string{"Sec-Fetch-Site": "none"}, 200},
		{"wildcard bind, IP literal", wildcard, "GET", "/org", "192.0.2.7:8888", map[string]string{"Authorization": token}, 200},
		{"wildcard bind, configured name", wildcard, "GET", "/org", "borges.example:8888", map[string]string{"Authorization": token}, 200},
		{"wildcard bind, configured name any port", wildcard, "GET", "/org", "borges.example", map[string]string{"Authorization": token}, 200},
		{"wildcard bind, other name", wildcard, "GET", "/org", "evil.example:8888", map[string]string{"Authorization": token}, 403},
		{"wildcard bind, bearer in lower case", wildcard, "GET", "/org", "192.0.2.7:8888", map[string]string{"Authorization": "bearer 0123456789abcdef"}, 200},
		{"wildcard bind, BEARER", wildcard, "GET", "/org", "192.0.2.7:8888", map[string]string{"Authorization": "BEARER 0123456789abcdef"}, 200},
		{"wildcard bind, wrong token", wildcard, "GET", "/org", "192.0.2.7:8888", map[string]string{"Authorization": "Bearer 0123456789abcdeX"}, 401},
		{"wildcard bind, token as another scheme", wildcard, "GET", "/org", "192.0.2.7:8888", map[string]string{"Authorization": "Basic 0123456789abcdef"}, 401},
		{"wildcard bind, no token", wildcard, "GET", "/org", "192.0.2.7:8888", nil, 401},
		{"configured name with its port", named, "GET", "/org", "borges.lan:9000", nil, 200},
		{"configured name, other port", named, "GET", "/org", "borges.lan:9001", nil, 403},
		{"configured name, proxy origin", named, "POST", "/org", "proxy.example",
			map[string]string{"Origin": "https://proxy.example", "Sec-Fetch-Site": "same-origin"}, 201},
		{"configured name is an origin too", named, "POST", "/org", "127.0.0.1:8888",
			map[string]string{"Origin": "https://proxy.example"}, 201},
		{"any host", anyHost, "GET", "/org", "whatever.example:1", map[string]string{"Authorization": token}, 200},
		{"any host still refuses cross-origin", anyHost, "POST", "/org", "whatever.example:1",
			map[string]string{"Origin": "http://evil.example", "Authorization": token}, 403},
		{"any host without a token: rebinding name", anyHostNoToken, "POST", "/org", "evil.example:8888",
			map[string]string{"Origin": "http://evil.example:8888", "Sec-Fetch-Site": "same-origin"}, 403},
		{"any host without a token: rebinding name, read", anyHostNoToken, "GET", "/org", "evil.example:8888", nil, 403},
		{"any host without a token: loopback still served", anyHostNoToken, "POST", "/org", "127.0.0.1:8888",
			map[string]string{"Origin": "http://127.0.0.1:8888", "Sec-Fetch-Site": "same-origin"}, 201},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body *strings.Reader
			if c.method == "POST" {
				body = strings.NewReader("#+begin_src sh\necho 1\n#+end_src\n")
			} else {
				body = strings.NewReader("")
			}
			req := httptest.NewRequest(c.method, "http://placeholder"+c.path, body)
			req.Host = c.host
			for k, v := range c.headers {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			c.h.ServeHTTP(rec, req)
			if rec.Code != c.want {
				t.Fatalf("%s %s Host %q %v: %d, want %d (%s)", c.method, c.path, c.host, c.headers, rec.Code, c.want, rec.Body)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			if rec.Code == 403 && !strings.Contains(rec.Body.String(), "refused") {
				t.Errorf("a 403 says why: %q", rec.Body)
			}
		})
	}
}

// TestRefusedHostSaysHow: the message for a Host not served names it and
// the setting that admits it.
func TestRefusedHostSaysHow(t *testing.T) {
	h := NewHandler(&fakeService{}, Options{Port: 8888})
	req := httptest.NewRequest("GET", "/org", nil)
	req.Host = "borges.lan:8888"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 403 || !strings.Contains(rec.Body.String(), "borges.lan:8888") || !strings.Contains(rec.Body.String(), "#+borges_allowed_hosts") {
		t.Fatalf("%d %q", rec.Code, rec.Body)
	}
}

// TestServedFilesAreInert: a file a block made is never live content on
// Borges' origin: an attachment, not sniffed, sandboxed, and of an inert
// type unless it is a plain image or text.
func TestServedFilesAreInert(t *testing.T) {
	cases := []struct {
		path, body, wantType string
	}{
		{"out/page.html", "<script>fetch('/org')</script>", "application/octet-stream"},
		{"out/page.htm", "<script>1</script>", "application/octet-stream"},
		{"out/noext", "<html><script>1</script>", "application/octet-stream"},
		{"out/pic.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>1</script></svg>", "application/octet-stream"},
		{"out/x.js", "alert(1)", "application/octet-stream"},
		{"out/x.xml", "<a/>", "application/octet-stream"},
		{"out/doc.pdf", "%PDF-1.4", "application/octet-stream"},
		{"out/plot.png", "\x89PNG\r\n\x1a\n", "image/png"},
		{"out/data.txt", "a\tb\n", "text/plain; charset=utf-8"},
		{"out/data.csv", "a,b\n", "text/csv; charset=utf-8"},
	}
	for _, c := range cases {
		t.Run(c.path, func(t *testing.T) {
			f := &fakeService{files: map[string]string{c.path: c.body}}
			h := NewHandler(f, Options{})
			req := httptest.NewRequest("GET", "/org/d/files/"+c.path, nil)
			req.Host = "127.0.0.1:8888"
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != 200 || rec.Body.String() != c.body {
				t.Fatalf("%d %q", rec.Code, rec.Body)
			}
			hd := rec.Header()
			if got := hd.Get("Content-Type"); got != c.wantType {
				t.Errorf("Content-Type %q, want %q", got, c.wantType)
			}
			if got := hd.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("nosniff: %q", got)
			}
			if got := hd.Get("Content-Security-Policy"); !strings.Contains(got, "sandbox") {
				t.Errorf("CSP %q", got)
			}
			if got := hd.Get("Content-Disposition"); !strings.HasPrefix(got, "attachment") {
				t.Errorf("Content-Disposition %q", got)
			}
		})
	}
}

// TestEveryAnswerIsSandboxedButThePage: logs, results and JSON views can
// never run as a page of Borges' origin; the page alone carries a policy
// that lets its own script run, and no page may frame it.
func TestEveryAnswerIsSandboxedButThePage(t *testing.T) {
	h := NewHandler(&fakeService{log: "<script>alert(1)</script>\n", done: true}, Options{})
	for _, p := range []string{"/org", "/org/d", "/org/d.json", "/org/d/blocks/a/log", "/healthz", "/org/nope/blocks/a/log?stream=bad"} {
		req := httptest.NewRequest("GET", p, nil)
		req.Host = "127.0.0.1:8888"
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if rec.Header().Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s: X-Frame-Options %q", p, rec.Header().Get("X-Frame-Options"))
		}
	}
	req := httptest.NewRequest("GET", "/", nil)
	req.Host = "127.0.0.1:8888"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	csp := rec.Header().Get("Content-Security-Policy")
	if strings.Contains(csp, "sandbox") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "blob:") {
		t.Errorf("page CSP %q", csp)
	}
}

// TestTokenMatches: the bearer token is compared as SHA-256 digests, of
// one length whatever was sent, so that how long the comparison takes
// tells nothing of the token's length (subtle.ConstantTimeCompare returns
// at once on inputs of different lengths); only the exact token matches.
func TestTokenMatches(t *testing.T) {
	const tok = "0123456789abcdef"
	want := tokenDigest(tok)
	cases := []struct {
		got   string
		match bool
	}{
		{tok, true},
		{"", false},
		{"0", false},
		{tok[:len(tok)-1], false},
		{tok + "0", false},
		{tok + tok, false},
		{"0123456789abcdeF", false},
		{"x123456789abcdef", false},
	}
	for _, c := range cases {
		if got := tokenMatches(c.got, want); got != c.match {
			t.Errorf("tokenMatches(%q) = %v, want %v", c.got, got, c.match)
		}
	}
}
