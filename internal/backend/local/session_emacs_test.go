package local

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/plan/plantest"
)

// TestEmacsLispSession: a document's Emacs Lisp blocks run in one Emacs
// here: the value of a block is its value stream, what one block
// defines the next sees, and a block that signals an error fails, its
// message in its output, without ending that Emacs.
func TestEmacsLispSession(t *testing.T) {
	outside.Need(t, "emacs-nox", "emacs")
	attempts := emacsAttempts(t, "#+begin_src emacs-lisp\n(defun borges-triple (n) (* 3 n))\n(setq borges-base 2)\n#+end_src\n\n"+
		"#+begin_src emacs-lisp\n(car borges-base)\n#+end_src\n\n"+
		"#+begin_src emacs-lisp\n(list (list (borges-triple borges-base) \"é\"))\n#+end_src\n")
	b, r := newBackend(t, t.TempDir())
	u := runSession(t, b, r, attempts...)
	if u[0].State != engine.Finished || u[2].State != engine.Finished {
		t.Fatalf("%+v", u)
	}
	if u[1].State != engine.Failed || u[1].Message != "Emacs Lisp error: Wrong type argument: listp, 2" {
		t.Fatalf("the failing block: %+v", u[1])
	}
	if got := readStream(t, b, attempts[1].ID, "stdout"); !strings.Contains(got, "Wrong type argument: listp, 2") {
		t.Fatalf("the failing block's output %q", got)
	}
	if got := readStream(t, b, attempts[2].ID, "value"); got != `((6 "é"))` {
		t.Fatalf("value %q", got)
	}
}

// TestEmacsLispSessionDir: each block of the document's Emacs runs in its
// own :dir (relative to the sandbox the Emacs started in, made if
// missing), as Babel binds default-directory for it; a block without
// one runs in that sandbox, though the first block had a :dir.
func TestEmacsLispSessionDir(t *testing.T) {
	outside.Need(t, "emacs-nox", "emacs")
	attempts := emacsAttempts(t, "#+begin_src emacs-lisp :dir sub\n(write-region \"x\" nil \"a.txt\")\n#+end_src\n\n"+
		"#+begin_src emacs-lisp\n(list (list (file-exists-p \"sub/a.txt\") (file-exists-p \"a.txt\")))\n#+end_src\n\n"+
		"#+begin_src emacs-lisp :dir other/deeper\n(file-name-nondirectory (directory-file-name default-directory))\n#+end_src\n")
	b, r := newBackend(t, t.TempDir())
	for i, u := range runSession(t, b, r, attempts...) {
		if u.State != engine.Finished {
			t.Fatalf("block %d: %+v", i+1, u)
		}
	}
	for i, want := range map[int]string{1: "((t nil))", 2: `"deeper"`} {
		if got := readStream(t, b, attempts[i].ID, "value"); got != want {
			t.Errorf("block %d: value %q, want %q", i+1, got, want)
		}
	}
}

// emacsAttempts plans a document and makes an attempt of each of its
// tasks, all in the document's Emacs.
func emacsAttempts(t *testing.T, text string) []*engine.Attempt {
	t.Helper()
	doc, p := plantest.Planned(t, text)
	var attempts []*engine.Attempt
	for i, task := range p.Tasks {
		if task.Session == nil || task.Session.Kind != "emacs" {
			t.Fatalf("%s: session %+v", task.Block, task.Session)
		}
		script, err := plan.Render(doc, task, nil)
		if err != nil {
			t.Fatal(err)
		}
		id := "d." + string(rune('1'+i)) + "-" + task.Block + ".0.1"
		attempts = append(attempts, &engine.Attempt{ID: id, Block: task.Block, Script: script, Session: "d/" + task.Session.Key + "/1", Env: map[string]string{}, Task: task})
	}
	return attempts
}

// TestEmacsLispSessionLongDocument: the document's Emacs is sent each
// block's program (the whole document in it) on one line, longer than a
// terminal's line discipline passes (4095 bytes): it must arrive whole.
func TestEmacsLispSessionLongDocument(t *testing.T) {
	outside.Need(t, "emacs-nox", "emacs")
	filler := strings.Repeat("Some prose of a long document, line after line: é.\n", 400)
	text := "* Notes\n" + filler + "#+begin_src emacs-lisp\n(setq borges-n 20)\n#+end_src\n\n" +
		filler + "#+begin_src emacs-lisp\n(+ borges-n (length (buffer-string)))\n#+end_src\n"
	attempts := emacsAttempts(t, text)
	b, r := newBackend(t, t.TempDir())
	for i, u := range runSession(t, b, r, attempts...) {
		if u.State != engine.Finished {
			t.Fatalf("block %d: %+v", i+1, u)
		}
	}
	// A number comes as Babel first sees it here: as the string it prints.
	want := strconv.Quote(strconv.Itoa(20 + utf8.RuneCountInString(text)))
	if got := readStream(t, b, attempts[1].ID, "value"); got != want {
		t.Fatalf("value %q, want %q", got, want)
	}
}
