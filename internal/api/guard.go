package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// The browser is the one client Borges cannot trust to be its user: any
// page the user visits can make it send requests to 127.0.0.1. Two rules
// keep such pages out, as Jupyter and Redis' protected mode do:
//
//   - Host: a request must name this server by a name it serves (its
//     loopback names or bind address with its port, or a configured name).
//     A page on a name of the attacker's that resolves to 127.0.0.1 (DNS
//     rebinding) is same-origin for the browser, but its requests carry
//     the attacker's name, and are refused.
//   - Origin: a browser says where a request comes from (Origin,
//     Sec-Fetch-Site). A request from any other origin is refused, reads
//     included, except a top-level navigation, whose answer only the user
//     sees. curl, the CLI and Emacs send neither header and are unaffected.

var errForbidden = errors.New("refused")

// hostPolicy decides which Host header values are served.
type hostPolicy struct {
	anyHost bool
	// port is the server's port: the names below are served with it only.
	// Empty: with any port.
	port string
	// names served with the server's port (lower case, IPv6 without
	// brackets).
	names map[string]bool
	// anyIP: the server listens on every address, so any IP literal may
	// name it.
	anyIP bool
	// configured are #+borges_allowed_hosts entries: "name" (any port) or
	// "name:port".
	configured []hostEntry
}

type hostEntry struct{ name, port string }

func newHostPolicy(opt Options) hostPolicy {
	p := hostPolicy{names: map[string]bool{"127.0.0.1": true, "localhost": true, "::1": true}}
	if opt.Port != 0 {
		p.port = strconv.Itoa(opt.Port)
	}
	switch bind := strings.ToLower(strings.Trim(opt.Bind, "[]")); bind {
	case "", "0.0.0.0", "::":
		if bind != "" {
			p.anyIP = true
			if h, err := os.Hostname(); err == nil && h != "" {
				p.names[strings.ToLower(h)] = true
				if short, _, ok := strings.Cut(h, "."); ok {
					p.names[strings.ToLower(short)] = true
				}
			}
		}
	default:
		p.names[bind] = true
	}
	for _, h := range opt.AllowedHosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "*" {
			// Any Host is safe only behind a token: without one, a
			// page on a name of the attacker's that resolves to this
			// server (DNS rebinding) would be served. The server
			// refuses to start so; a handler made so anyway serves
			// its own names only.
			p.anyHost = opt.Token != ""
			continue
		}
		name, port := splitHost(h)
		p.configured = append(p.configured, hostEntry{name, port})
	}
	return p
}

// splitHost splits "name:port", "[v6]:port", "name" and "v6" into a lower
// case name without brackets and a port ("" when none is given).
func splitHost(h string) (name, port string) {
	h = strings.ToLower(h)
	if n, p, err := net.SplitHostPort(h); err == nil {
		return n, p
	}
	return strings.Trim(h, "[]"), ""
}

// serves reports whether a Host header names this server.
func (p hostPolicy) serves(host string) bool {
	if p.anyHost {
		return true
	}
	return p.isConfigured(host) || p.isOwn(host)
}

func (p hostPolicy) isOwn(host string) bool {
	name, port := splitHost(host)
	if name == "" {
		return false
	}
	if port == "" {
		port = "80"
	}
	if p.port != "" && port != p.port {
		return false
	}
	return p.names[name] || (p.anyIP && net.ParseIP(name) != nil)
}

func (p hostPolicy) isConfigured(host string) bool {
	name, port := splitHost(host)
	for _, e := range p.configured {
		if e.name == name && (e.port == "" || e.port == port) {
			return true
		}
	}
	return false
}

// crossOrigin says why a request comes from a page of another origin, or
// "" when it does not. host is the request's Host, already known to be
// served.
func (p hostPolicy) crossOrigin(r *http.Request) string {
	if origins := r.Header.Values("Origin"); len(origins) > 0 {
		o := origins[0]
		u, err := url.Parse(o)
		if o == "null" || err != nil || u.Host == "" {
			return "a page of an opaque origin (" + o + ")"
		}
		if !strings.EqualFold(u.Host, r.Host) && !p.isConfigured(u.Host) {
			return "a page of " + o
		}
	}
	switch site := r.Header.Get("Sec-Fetch-Site"); site {
	case "", "same-origin", "none":
	default:
		return "a " + site + " page"
	}
	return ""
}

// topLevelNavigation is a link followed or an address typed: the browser
// shows the answer to its user and to no page.
func topLevelNavigation(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) &&
		r.Header.Get("Sec-Fetch-Mode") == "navigate" && r.Header.Get("Sec-Fetch-Dest") == "document"
}

// guard applies the Host and Origin rules to every route, and sets the
// headers that keep any answer from running as a page of Borges' origin
// (the web page sets its own policy over them).
func (s *server) guard(h http.Handler) http.Handler {
	hosts := newHostPolicy(s.opt)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Content-Security-Policy", "sandbox; default-src 'none'; frame-ancestors 'none'")
		hd.Set("Cross-Origin-Resource-Policy", "same-origin")
		hd.Set("Referrer-Policy", "no-referrer")
		if !hosts.serves(r.Host) {
			s.log.Warn("request refused: Host not served", "host", r.Host, "method", r.Method, "uri", r.URL.RequestURI(), "remote", r.RemoteAddr)
			s.fail(w, r, fmt.Errorf("%w: Host %q is not a name this server answers to (add it with #+borges_allowed_hosts:)", errForbidden, r.Host))
			return
		}
		if why := hosts.crossOrigin(r); why != "" && !topLevelNavigation(r) {
			s.log.Warn("request refused: cross-origin", "from", why, "method", r.Method, "uri", r.URL.RequestURI(), "remote", r.RemoteAddr)
			s.fail(w, r, fmt.Errorf("%w: a cross-origin request from %s; Borges answers its own web page and clients that send no Origin", errForbidden, why))
			return
		}
		h.ServeHTTP(w, r)
	})
}

// tokenDigest is what a token is compared as: a SHA-256 digest, of one
// length whatever the token's.
func tokenDigest(tok string) [sha256.Size]byte { return sha256.Sum256([]byte(tok)) }

// tokenMatches reports whether got is the token of digest want, in time
// that tells nothing of either: subtle.ConstantTimeCompare returns at once
// on inputs of different lengths, which on the tokens themselves would
// tell the token's length; on digests the lengths are always equal.
func tokenMatches(got string, want [sha256.Size]byte) bool {
	d := tokenDigest(got)
	return subtle.ConstantTimeCompare(d[:], want[:]) == 1
}

// auth requires the bearer token, when one is set, on the routes it wraps.
// The scheme's name is case-insensitive (RFC 7235); the token is compared
// in constant time (tokenMatches).
func (s *server) auth(h http.Handler) http.Handler {
	if s.opt.Token == "" {
		return h
	}
	want := tokenDigest(s.opt.Token)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, got, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		if !strings.EqualFold(scheme, "Bearer") || !tokenMatches(strings.TrimSpace(got), want) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="borges"`)
			s.fail(w, r, errUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}
