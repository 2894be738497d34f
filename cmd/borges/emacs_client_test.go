package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/client"
	"github.com/wallyqs/borges/internal/outside"
)

// emacsTimeout bounds every Emacs the tests start: its tests wait on the
// server with deadlines of their own, well inside it.
const emacsTimeout = 3 * time.Minute

// runEmacs runs Emacs in batch with emacs/ on its load path and ARGS,
// with HOME a scratch directory (no init file, authinfo or cookies of the
// machine), and kills it at cleanup or after emacsTimeout. It returns
// stdout and stderr. Its garbage is collected less often (emacsFewerGCs,
// set before ARGS): the client loads Org.
func runEmacs(t *testing.T, env []string, args ...string) (string, string, error) {
	t.Helper()
	emacs := outside.Need(t, "emacs-nox", "emacs")
	dir, _ := filepath.Abs("../../emacs")
	ctx, cancel := context.WithTimeout(context.Background(), emacsTimeout)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, emacs, append([]string{"-Q", "--batch", "-L", dir, "--eval", emacsFewerGCs}, args...)...)
	cmd.Env = append(append(os.Environ(), "HOME="+t.TempDir()), env...)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		err = fmt.Errorf("emacs did not finish within %v: %w", emacsTimeout, err)
	}
	return stdout.String(), stderr.String(), err
}

// TestEmacsClient runs the ERT tests of emacs/borges-test.el, each in an
// Emacs of its own, against a real server (and one wanting a token) of its
// own. Most of an ERT test's time is Emacs waiting on the server and the
// blocks: they run side by side (as many as go test's -parallel lets them).
func TestEmacsClient(t *testing.T) {
	t.Parallel()
	outside.Need(t, "emacs-nox", "emacs")
	const token = "emacs-test-token-0123456789"
	for _, test := range []string{
		"borges-test-async-results-per-block",
		"borges-test-deleted-block",
		"borges-test-buffer-sent-once",
		"borges-test-ctrl-c-ctrl-c",
		"borges-test-session-blocks-needed",
		"borges-test-status-buffer",
		"borges-test-server-down",
		"borges-test-rejection",
		"borges-test-unknown-id-forgotten",
		"borges-test-token",
		"borges-test-token-asked-once",
		"borges-test-includes",
		"borges-test-calls",
		"borges-test-results-and-files",
		"borges-test-dir-links",
		"borges-test-package-hygiene",
		"borges-test-messages",
		"borges-test-start",
	} {
		t.Run(strings.TrimPrefix(test, "borges-test-"), func(t *testing.T) {
			t.Parallel()
			s := startServer(t, t.TempDir())
			tokenServer := startServer(t, t.TempDir(), "-token", token)
			env := []string{
				"BORGES_TEST_ADDR=" + s.addr,
				"BORGES_TEST_TOKEN_ADDR=" + tokenServer.addr,
				"BORGES_TEST_TOKEN=" + token,
				"BORGES_TEST_PROGRAM=" + binary,
				fmt.Sprintf("BORGES_TEST_DOWN_ADDR=127.0.0.1:%d", freePort(t)),
			}
			dir := t.TempDir()
			// borges-start's server keeps its data here; whatever Emacs
			// leaves running goes with the test.
			t.Cleanup(func() { sweep(t, dir); sweep(t, filepath.Join(dir, "data")) })
			stdout, stderr, err := runEmacs(t, append(env, "BORGES_TEST_DIR="+dir,
				fmt.Sprintf("BORGES_TEST_START_PORT=%d", freePort(t))),
				"-l", "borges-test", "--eval", fmt.Sprintf(`(ert-run-tests-batch-and-exit "^%s$")`, test))
			if err != nil || !strings.Contains(stderr, "Ran 1 tests, 1 results as expected, 0 unexpected") {
				t.Fatalf("%s: %v\n%s%s", test, err, stdout, stderr)
			}
		})
	}
}

// TestEmacsInteractive runs Emacs in a terminal (under tmux), as a person
// would: the mode line shows the document's progress and the result
// replaces the placeholder on the screen when the block finishes.
func TestEmacsInteractive(t *testing.T) {
	t.Parallel()
	emacs := outside.Need(t, "emacs-nox", "emacs")
	tmux := outside.Need(t, "tmux", "tmux")
	s := startServer(t, t.TempDir())
	dir := t.TempDir()
	flag := filepath.Join(dir, "flag")
	doc := filepath.Join(dir, "slow.org")
	os.WriteFile(doc, []byte("#+borgesaddress: "+s.addr+"\n#+name: slow\n#+begin_src sh\n"+
		"for i in $(seq 600); do [ -f "+flag+" ] && break; sleep 0.1; done\necho slow done\n#+end_src\n"), 0o644)
	lisp, _ := filepath.Abs("../../emacs")
	socket := filepath.Join(t.TempDir(), "tmux")
	script := `(progn (setq borges-poll-interval 0.2) (find-file ` + quote(doc) + `) (borges-mode-maybe) (borges-submit))`
	start := exec.Command(tmux, "-S", socket, "new-session", "-d", "-x", "100", "-y", "30",
		"env", "TERM=xterm", "HOME="+dir, emacs, "-nw", "-Q", "-L", lisp, "-l", "borges", "--eval", script)
	if out, err := start.CombinedOutput(); err != nil {
		t.Fatalf("tmux: %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command(tmux, "-S", socket, "kill-server").Run() })
	screen := func() string {
		out, _ := exec.Command(tmux, "-S", socket, "capture-pane", "-p").Output()
		return string(out)
	}
	waitFor := func(what string, ok func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(time.Minute)
		for !ok(screen()) {
			if time.Now().After(deadline) {
				t.Fatalf("the screen never showed %s:\n%s", what, screen())
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitFor("the placeholder and the progress", func(sc string) bool {
		return strings.Contains(sc, "#+RESULTS: slow\n: Borges: running (document ") &&
			strings.Contains(sc, "Borges: 0/1 running")
	})
	os.WriteFile(flag, nil, 0o644)
	waitFor("the result and the end", func(sc string) bool {
		return strings.Contains(sc, "#+RESULTS: slow\n: slow done\n") && strings.Contains(sc, "Borges: 1/1 finished")
	})
}

// TestEmacsResolvesLikeSubmit: on every include fixture (this package's
// and all of internal/client's include tests'), the Emacs client sends the
// text `borges submit` sends, byte for byte, maps every line to the same
// file:line, and refuses what submit refuses with the same message.
func TestEmacsResolvesLikeSubmit(t *testing.T) {
	t.Parallel()
	outside.Need(t, "emacs-nox", "emacs")
	// testdata/include-edge holds what the Lisp reads differently from Go
	// unless it takes care: \b, \s, Unicode spaces, bytes that are not
	// UTF-8, CRLF, (?i) folding ſ into s, a priority that is not one byte.
	fixtures := map[string]string{"cmd-borges": "testdata/include"}
	for prefix, parent := range map[string]string{"client-": "../../internal/client/testdata/include", "edge-": "testdata/include-edge"} {
		entries, err := os.ReadDir(parent)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			fixtures[prefix+e.Name()] = filepath.Join(parent, e.Name())
		}
	}
	// Each fixture is copied to a directory of its own; one Emacs expands
	// them all, writing NAME.text and NAME.origins, or NAME.error.
	out := t.TempDir()
	mains := map[string]string{}
	var jobs strings.Builder
	for name, src := range fixtures {
		dir := t.TempDir()
		if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
			t.Fatal(err)
		}
		mains[name] = filepath.Join(dir, "main.org")
		fmt.Fprintf(&jobs, "(%s . %s)", quote(mains[name]), quote(filepath.Join(out, name)))
	}
	_, stderr, err := runEmacs(t, nil, "-l", "borges", "--eval", `
(dolist (job '(`+jobs.String()+`))
  (let ((coding-system-for-write 'utf-8-unix))
    (with-current-buffer (find-file-noselect (car job))
      (condition-case err
          (let ((sent (borges-document-text)))
            (write-region (car sent) nil (concat (cdr job) ".text"))
            (write-region (mapconcat (lambda (o) (format "%s:%d
" (borges--source-name (car o)) (cdr o)))
                                     (cdr sent) "")
                          nil (concat (cdr job) ".origins")))
        (user-error (write-region (cadr err) nil (concat (cdr job) ".error"))))
      (kill-buffer))))`)
	if err != nil {
		t.Fatalf("emacs: %v\n%s", err, stderr)
	}
	read := func(name string) (string, bool) {
		b, err := os.ReadFile(filepath.Join(out, name))
		return string(b), err == nil
	}
	for name, main := range mains {
		t.Run(name, func(t *testing.T) {
			want, err := client.Expand(main)
			emacsErr, refused := read(name + ".error")
			switch {
			case err != nil && !refused:
				t.Fatalf("borges submit refuses (%v), Emacs does not", err)
			case err == nil && refused:
				t.Fatalf("Emacs refuses (%s), borges submit does not", emacsErr)
			case err != nil:
				compareRefusals(t, err, emacsErr)
				return
			}
			if got, _ := read(name + ".text"); got != want.Text {
				t.Errorf("Emacs sends\n%q\nborges submit sends\n%q", got, want.Text)
			}
			var origins strings.Builder
			for _, o := range want.Origins {
				fmt.Fprintf(&origins, "%s\n", o)
			}
			if got, _ := read(name + ".origins"); got != origins.String() {
				t.Errorf("Emacs maps the lines to\n%s\nborges submit to\n%s", got, origins.String())
			}
		})
	}
}

// compareRefusals: Emacs refuses a document with the message of `borges
// submit`; only a file that cannot be read is worded by each system its
// own way, after the same file:line and keyword, naming the same file.
func compareRefusals(t *testing.T, err error, emacsErr string) {
	t.Helper()
	var pathErr *fs.PathError
	if !errors.As(err, &pathErr) {
		if emacsErr != err.Error() {
			t.Errorf("Emacs refuses with\n%s\nborges submit with\n%s", emacsErr, err)
		}
		return
	}
	msg := err.Error()
	at := max(strings.LastIndex(msg, "#+include: "), strings.LastIndex(msg, "#+setupfile: "))
	at += strings.Index(msg[at:], " ") + 1
	if !strings.HasPrefix(emacsErr, msg[:at]) || !strings.Contains(emacsErr[at:], pathErr.Path) {
		t.Errorf("Emacs refuses with\n%s\nborges submit with\n%s", emacsErr, err)
	}
}

// TestEmacsPackageLint: package-lint (Debian's elpa-package-lint) finds
// nothing to say about borges.el.
func TestEmacsPackageLint(t *testing.T) {
	t.Parallel()
	dirs, _ := filepath.Glob("/usr/share/emacs/site-lisp/elpa/package-lint-*")
	if len(dirs) == 0 {
		if outside.Strict() {
			t.Fatal("BORGES_TEST_STRICT=1: package-lint is missing (apt-get install elpa-package-lint)")
		}
		t.Skip("package-lint is missing (apt-get install elpa-package-lint)")
	}
	args := []string{}
	for _, pattern := range []string{"package-lint-*", "let-alist-*"} {
		found, _ := filepath.Glob(filepath.Join("/usr/share/emacs/site-lisp/elpa", pattern))
		for _, d := range found {
			args = append(args, "-L", d)
		}
	}
	file, _ := filepath.Abs("../../emacs/borges.el")
	args = append(args, "--eval", "(require 'package-lint)", "-f", "package-lint-batch-and-exit", file)
	stdout, stderr, err := runEmacs(t, nil, args...)
	if err != nil || strings.Contains(stderr, "error:") || strings.Contains(stderr, "warning:") {
		t.Fatalf("package-lint: %v\n%s%s", err, stdout, stderr)
	}
}

func quote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
