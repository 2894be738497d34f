package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLimitsConfigured: the limits of one request and of the server come
// from the setupfile; over them POST answers 400 naming the line and the
// header argument, or 503 with Retry-After once the server is full.
func TestLimitsConfigured(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	conf := filepath.Join(dir, "borges-config.org")
	text := "#+borges_max_ports: 2\n#+borges_max_instances: 3\n#+borges_max_tasks: 4\n#+borges_max_tracked: 6\n"
	if err := os.WriteFile(conf, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, filepath.Join(dir, "data"), "-f", conf)
	src := func(header string) string { return "#+name: x\n#+begin_src sh " + header + "\ntrue\n#+end_src\n" }
	for _, c := range []struct{ doc, want string }{
		{src(":ports 3"), `line 1: block "x": :ports: asks for 3 ports; a block may have at most 2 (#+borges_max_ports)`},
		{src(":instances 4"), `line 1: block "x": :instances: asks for 4 instances; a block may have at most 3 (#+borges_max_instances)`},
		{src(":cpu NaN"), `line 1: block "x": :cpu: "NaN" is not a positive number of CPUs`},
		{src(":instances 3") + "\n" + src(":instances 2"), `line 6: block "x": :instances: the document has more than 4 tasks (instances counted); a document may have at most 4 (#+borges_max_tasks)`},
	} {
		if code, body := s.post(c.doc, "text/org", ""); code != 400 || !strings.Contains(body, c.want) {
			t.Errorf("%d %s\nwant 400 with %s", code, body, c.want)
		}
	}
	for i := 0; i < 2; i++ {
		if code, body := s.post(src(":instances 3"), "text/org", ""); code != 201 {
			t.Fatalf("within the limits: %d %s", code, body)
		}
	}
	resp, err := http.Post("http://"+s.addr+"/org", "text/org", strings.NewReader(src("")))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 503 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("beyond #+borges_max_tracked: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if _, list := s.get("/org"); strings.Count(list, "\n") != 2 {
		t.Fatalf("documents:\n%s", list)
	}
}
