package org

import (
	"bytes"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/outside"
)

// TestExpandFileNameAgainstEmacs holds expandFileName to Emacs's
// expand-file-name over file names made of every sequence of a few
// components (".", "..", a name, "~", empty ones for repeated slashes),
// relative and absolute, in directories with and without a final slash,
// a leading "//" and repeated slashes, "~" its home.
func TestExpandFileNameAgainstEmacs(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	const home = "/home/u"
	parts := []string{"", ".", "..", "a", "~"}
	names := []string{"~", "~/", "~/a/..", "~/../..", "/", "//", "///", "//a", "///a", "//a/../b", "/.."}
	var grow func(prefix string, n int)
	grow = func(prefix string, n int) {
		if n == 0 {
			return
		}
		for _, p := range parts {
			s := prefix + "/" + p
			names = append(names, s, strings.TrimPrefix(s, "/"))
			grow(s, n-1)
		}
	}
	grow("", 4)
	dirs := []string{"/", "/x/", "/x/y", "//srv/", "/x//y/", "/x/./y/../z/"}
	type pair struct{ Name, Dir string }
	var pairs []pair
	seen := map[pair]bool{}
	for _, n := range names {
		for _, d := range dirs {
			if p := (pair{n, d}); !seen[p] {
				seen[p] = true
				pairs = append(pairs, p)
			}
		}
	}
	var in strings.Builder
	for _, p := range pairs {
		in.WriteString(p.Name + "\x00" + p.Dir + "\n")
	}
	script := `(let ((out nil))
  (while (condition-case nil (let ((l (read-from-minibuffer ""))) (push l out) t) (error nil)))
  (dolist (l (nreverse out))
    (let* ((f (split-string l "\0")))
      (princ (json-encode (expand-file-name (car f) (cadr f))))
      (terpri))))`
	cmd := exec.Command(emacs, "-Q", "--batch", "--eval", "(require 'json)", "--eval", script)
	cmd.Env = []string{"HOME=" + home, "PATH=/usr/bin:/bin"}
	cmd.Stdin = strings.NewReader(in.String())
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("emacs: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(pairs) {
		t.Fatalf("emacs gave %d names for %d", len(lines), len(pairs))
	}
	bad := 0
	for i, p := range pairs {
		var want string
		if err := json.Unmarshal([]byte(lines[i]), &want); err != nil {
			t.Fatalf("%q: %v", lines[i], err)
		}
		if got := expandFileName(p.Name, p.Dir, home); got != want {
			if bad++; bad <= 20 {
				t.Errorf("expand-file-name %q in %q: %q, Emacs %q", p.Name, p.Dir, got, want)
			}
		}
	}
	if bad > 0 {
		t.Errorf("%d of %d names expanded otherwise than by Emacs", bad, len(pairs))
	}
}
