package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRemoveCLI: `borges rm` removes documents through the real server:
// their running task is killed, their attempts' directories are gone from
// disk, they are 404 and unlisted, also after a restart, and the tracked
// instances they held are free for a POST that was 503. An unknown id is
// an error naming it; the others are removed all the same.
func TestRemoveCLI(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	conf := filepath.Join(dir, "borges-config.org")
	if err := os.WriteFile(conf, []byte("#+borges_max_tracked: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	s := startServer(t, data, "-f", conf)
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		cmd := exec.Command(binary, args...)
		cmd.Stdout, cmd.Stderr = &out, &errb
		cmd.Env = append(os.Environ(), "BORGES_ADDR="+s.addr, "BORGES_DATA="+data)
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		}
		return code, out.String(), errb.String()
	}
	running := s.submit("#+name: made\n#+begin_src sh\nmkdir -p out && echo x > out/f\n#+end_src\n\n" +
		"#+name: sleeper\n#+begin_src sh\necho started; exec sleep 1000\n#+end_src\n")
	ended := s.submit("#+name: hello\n#+begin_src sh\necho hello\n#+end_src\n")
	// The sleeper's stdout is made at its first byte, which may come after
	// the block is seen running: its log is waited for too.
	until(t, "the sleeper runs and the others finished", func() bool {
		_, log := s.get("/org/" + running.ID + "/blocks/sleeper/log")
		return blockOf(s.doc(running.ID), "sleeper").State == "running" && log == "started\n" &&
			blockOf(s.doc(running.ID), "made").State == "finished" && s.doc(ended.ID).State == "finished"
	})
	if code, body := s.post("#+begin_src sh\ntrue\n#+end_src\n", "text/org", ""); code != 503 {
		t.Fatalf("over #+borges_max_tracked: %d %s", code, body)
	}
	attemptFiles := func(id string) []string { return attemptFiles(data, id) }
	// Each attempt has its sandbox, and the record of its wrapper (pid,
	// start, boot: what a restart re-attaches to) is a line in the run's
	// wrapper log; only the sleeper wrote.
	if n := len(attemptFiles(running.ID)); n != 3 {
		t.Fatalf("%d attempt sandboxes and outputs before removal (want 2 sandboxes and the sleeper's stdout): %v", n, attemptFiles(running.ID))
	}
	if n := wrapperRecords(data, running.ID); n != 2 {
		t.Fatalf("%d wrapper records before removal, want 2", n)
	}
	if made, _ := filepath.Glob(filepath.Join(data, "sandboxes", running.ID+".*-made.*", "out", "f")); len(made) != 1 {
		t.Fatalf("the sandbox holds nothing: %v", made)
	}

	code, out, errs := run("rm", running.ID, "nope", ended.ID)
	if code != 1 || out != "removed "+running.ID+"\nremoved "+ended.ID+"\n" || !strings.Contains(errs, "nope") || !strings.Contains(errs, "404") {
		t.Fatalf("rm: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	for _, id := range []string{running.ID, ended.ID} {
		if code, _ := s.get("/org/" + id); code != 404 {
			t.Errorf("GET %s after rm: %d", id, code)
		}
		if left := attemptFiles(id); len(left) != 0 {
			t.Errorf("attempt files left after rm: %v", left)
		}
	}
	if pids := processesOf(data); len(pids) != 0 {
		t.Errorf("processes of the removed document still run: %v", pids)
	}
	if _, list, _ := run("status"); strings.Contains(list, running.ID) || strings.Contains(list, ended.ID) {
		t.Errorf("status after rm:\n%s", list)
	}
	if !strings.Contains(s.log.String(), "document removed") {
		t.Errorf("the server did not log the removal:\n%s", s.log)
	}
	after := s.submit("#+begin_src sh\ntrue\n#+end_src\n") // room again after rm
	if code, _, errs := run("rm"); code != 2 || !strings.Contains(errs, "usage: borges rm ID") {
		t.Errorf("rm without an id: %d %q", code, errs)
	}

	until(t, "the document posted after rm finished", func() bool { return s.doc(after.ID).State == "finished" })

	s.stop()
	s = startServer(t, data, "-f", conf)
	for _, id := range []string{running.ID, ended.ID} {
		if code, _ := s.get("/org/" + id); code != 404 {
			t.Errorf("GET %s after a restart: %d", id, code)
		}
	}
	// The removed attempts' records go with their run's wrapper log, at
	// the start that needs none of its lines.
	until(t, "the removed document's wrapper records are dropped", func() bool { return wrapperRecords(data, running.ID) == 0 })
}

// wrapperRecords counts the lines of the wrapper logs naming one of a
// document's attempts ("PID START BOOT ID").
func wrapperRecords(data, doc string) int {
	logs, _ := filepath.Glob(filepath.Join(data, "wrappers", "*"))
	n := 0
	for _, path := range logs {
		b, _ := os.ReadFile(path)
		for _, line := range strings.Split(string(b), "\n") {
			// PID START BOOT ID, and since the exit log's identity
			// was recorded, DEV INO after them.
			if f := strings.Fields(line); (len(f) == 4 || len(f) == 6) && strings.HasPrefix(f[3], doc+".") {
				n++
			}
		}
	}
	return n
}

// attemptFiles are a document's attempts' files: their sandboxes, and the
// outputs they wrote.
func attemptFiles(data, doc string) []string {
	sandboxes, _ := filepath.Glob(filepath.Join(data, "sandboxes", doc+".*"))
	outputs, _ := filepath.Glob(filepath.Join(data, "outputs", "*", doc+".*"))
	return append(sandboxes, outputs...)
}

// TestRetentionAtStart: a server started with #+borges_keep: 1 removes
// at once the ended documents beyond the newest one, with their files,
// and logs it.
func TestRetentionAtStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	s := startServer(t, data)
	older := s.submit("#+name: a\n#+begin_src sh\necho a\n#+end_src\n")
	until(t, "the first document ended", func() bool { return s.doc(older.ID).State == "finished" })
	time.Sleep(10 * time.Millisecond) // the second ends later by the clock
	newer := s.submit("#+name: b\n#+begin_src sh\necho b\n#+end_src\n")
	until(t, "the second document ended", func() bool { return s.doc(newer.ID).State == "finished" })
	s.stop()

	conf := filepath.Join(dir, "borges-config.org")
	if err := os.WriteFile(conf, []byte("#+borges_keep: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s = startServer(t, data, "-f", conf)
	// It is hidden at once; its state and files go once its tasks are
	// known to be over.
	until(t, "the older document is removed, files and all", func() bool {
		code, _ := s.get("/org/" + older.ID)
		left := attemptFiles(data, older.ID)
		return code == 404 && len(left) == 0 && strings.Contains(s.log.String(), "document removed")
	})
	if code, _ := s.get("/org/" + newer.ID); code != 200 {
		t.Errorf("the newest document: %d", code)
	}
	if left := attemptFiles(data, older.ID); len(left) != 0 {
		t.Errorf("attempt directories left: %v", left)
	}
	if log := s.log.String(); !strings.Contains(log, "document removed") || !strings.Contains(log, older.ID) || !strings.Contains(log, "borges_keep") {
		t.Errorf("the removal was not logged:\n%s", log)
	}
}
