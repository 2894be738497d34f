package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLIDailyUse runs the real binary against a real server as a user
// would on a first day: an empty list, a document whose script comes from
// an #+include: ... src sh line and fails with a message on standard
// error, the notes of what Borges does differently, a kill after the end.
func TestCLIDailyUse(t *testing.T) {
	t.Parallel()
	s := startServer(t, t.TempDir())
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "broken.sh"), []byte("echo out\necho oops >&2\nexit 3\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "doc.org"), []byte("#+TITLE: daily\n#+include: \"broken.sh\" src sh\n\n"+
		"#+name: with-session\n#+begin_src perl :session main\nprint \"hi\\n\";\n#+end_src\n\n#+begin_src haskell\n1 + 2\n#+end_src\n"), 0o644)
	cli := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		cmd := exec.Command(binary, args...)
		cmd.Dir = dir
		cmd.Stdout, cmd.Stderr = &out, &errb
		cmd.Env = append(os.Environ(), "BORGES_ADDR="+s.addr)
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return code, out.String(), errb.String()
	}
	if code, out, errs := cli("status"); code != 0 || out != "" || errs != "no documents\n" {
		t.Errorf("empty status: %d %q %q", code, out, errs)
	}
	code, out, errs := cli("submit", "doc.org", "--follow")
	if code != 1 {
		t.Errorf("submit --follow of a failing document: exit %d\n%s\n%s", code, out, errs)
	}
	id := strings.SplitN(out, "\n", 2)[0]
	if strings.ContainsAny(id, " \t") || id == "" {
		t.Fatalf("first line is not the id: %q", out)
	}
	// The two streams are copied and followed independently: each line
	// comes after "running" and before the end, in either order between
	// the streams.
	running := strings.Index(out, "[block-1] running\n")
	end := strings.Index(out, "[block-1] failed (exit status 3)\n")
	if running < 0 || end < running {
		t.Errorf("follow output lacks running, then failed:\n%s", out)
	}
	for _, line := range []string{"[block-1] out\n", "[block-1 stderr] oops\n"} {
		if i := strings.Index(out, line); i < running || i > end {
			t.Errorf("follow output lacks %q between running and failed:\n%s", line, out)
		}
	}
	for _, want := range []string{"note: with-session (doc.org:4, perl):", ":session main", "note: block-3 (doc.org:9, haskell):", "not run"} {
		if !strings.Contains(errs, want) {
			t.Errorf("notes lack %q:\n%s", want, errs)
		}
	}
	if code, out, _ := cli("kill", id); code != 0 || !strings.HasPrefix(out, "nothing was running") {
		t.Errorf("kill after the end: %d %q", code, out)
	}
	// Sent as it is, the #+include: line reaches the server unexpanded.
	raw, _ := os.ReadFile(filepath.Join(dir, "doc.org"))
	if code, body := s.post(string(raw), "text/org", ""); code != 201 || !strings.Contains(body, `note: line 2: #+include: "broken.sh" src sh was not expanded`) {
		t.Errorf("unexpanded include: %d %s", code, body)
	}
}
