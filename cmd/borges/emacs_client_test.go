package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// TestEmacsClient drives emacs/borges.el in Emacs against the real
// server: send a buffer (address from #+borgesaddress:), wait, bring the
// results back into the buffer; and a rejected document's problems.
func TestEmacsClient(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	s := startServer(t, t.TempDir())
	client, _ := filepath.Abs("../../emacs/borges.el")
	dir := t.TempDir()
	doc := filepath.Join(dir, "doc.org")
	os.WriteFile(doc, []byte("#+borgesaddress: "+s.addr+"\n#+name: hello\n#+begin_src sh\necho hello from emacs\n#+end_src\n\n"+
		"#+name: report\n#+begin_src sh :results file :file out/report.txt\necho report\n#+end_src\n"), 0o644)
	bad := filepath.Join(dir, "bad.org")
	os.WriteFile(bad, []byte("#+borgesaddress: "+s.addr+"\n#+begin_src sh :cpu -1\ntrue\n#+end_src\n"), 0o644)
	script := `(progn
  (load ` + quote(client) + ` nil t)
  (find-file ` + quote(doc) + `)
  (org-borges-exec)
  (let ((i 0))
    (while (and (< i 300) (equal (alist-get 'state (borges-document)) "running"))
      (sleep-for 0.1)
      (setq i (1+ i))))
  (borges-results t)
  (princ (buffer-string))
  (find-file ` + quote(bad) + `)
  (condition-case err (org-borges-exec)
    (user-error (princ (concat "\nREJECTED: " (error-message-string err) "\n")))))`
	out, err := exec.Command(emacs, "-Q", "--batch", "--eval", script).CombinedOutput()
	if err != nil {
		t.Fatalf("emacs: %v\n%s", err, out)
	}
	got := string(out)
	if !strings.Contains(got, "#+RESULTS: hello\n: hello from emacs\n") || !strings.Contains(got, "#+RESULTS: report\n[[file:out/report.txt]]\n") {
		t.Errorf("results not brought back:\n%s", got)
	}
	// The file the link points to is written next to the document, as
	// Babel would have.
	if report, err := os.ReadFile(filepath.Join(dir, "out", "report.txt")); err != nil || string(report) != "report\n" {
		t.Errorf("out/report.txt: %q %v", report, err)
	}
	if !strings.Contains(got, `REJECTED: Borges: 400 document rejected`) || !strings.Contains(got, `line 2: :cpu: "-1" is not a positive number of CPUs`) {
		t.Errorf("rejection not shown:\n%s", got)
	}
}

func quote(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
