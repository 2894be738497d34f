package plan_test

import (
	"os/exec"
	"reflect"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/plan/plantest"
	"github.com/wallyqs/borges/internal/session"
)

// TestWithShellFileName: the document's Emacs's shell-file-name reaches a
// "shell" block's copy of its task (its program names it, between double
// quotes, as it is: each character the shell reads there escaped) and a
// "shell" session's command, never the task planned, nor a block of
// another shell language or session, nor the environment.
func TestWithShellFileName(t *testing.T) {
	doc, p := plantest.Planned(t, `#+begin_src shell
echo plain
#+end_src

#+begin_src shell :session s
echo session
#+end_src

#+begin_src bash
echo bash
#+end_src

#+begin_src sh :session t
echo sh
#+end_src
`)
	if len(p.Tasks) != 4 {
		t.Fatalf("%d tasks", len(p.Tasks))
	}
	odd := "/tmp/a \"b\" $c `d` \\e/bash"
	plain, sess, bash, sh := p.Tasks[0], p.Tasks[1], p.Tasks[2], p.Tasks[3]
	before := append([]string{}, sess.Session.Command...)
	if got := plain.WithShellFileName(""); got != plain {
		t.Error("no shell-file-name reported: the task is not its own")
	}
	if got := bash.WithShellFileName(odd); got != bash {
		t.Error("a bash block's task changed")
	}
	if got := sh.WithShellFileName(odd); got != sh {
		t.Error("an sh session's task changed")
	}
	withPlain := plain.WithShellFileName(odd)
	if withPlain == plain || withPlain.ShellFileName != odd || plain.ShellFileName != "" {
		t.Errorf("plain: %q, planned %q", withPlain.ShellFileName, plain.ShellFileName)
	}
	script, err := plan.Render(doc, withPlain, nil)
	if err != nil {
		t.Fatal(err)
	}
	line := ""
	for _, l := range strings.Split(script, "\n") {
		if strings.HasPrefix(l, "__borges_shell=") {
			line = l
		}
	}
	// The word the program gives the shell, as sh reads it.
	out, err := exec.Command("sh", "-c", line+"\nprintf %s \"$__borges_shell\"").Output()
	if err != nil || string(out) != odd {
		t.Errorf("the program's shell %q (%v), want %q:\n%s", out, err, odd, script)
	}
	if strings.Contains(script, "SHELL") {
		t.Errorf("the program reads SHELL:\n%s", script)
	}
	withSess := sess.WithShellFileName(odd)
	if got := withSess.Session.Command; session.Program(got) != odd || !session.ShellSession(got) {
		t.Errorf("session command %q", got)
	}
	if !reflect.DeepEqual(sess.Session.Command, before) || session.Program(sess.Session.Command) != "" {
		t.Errorf("the planned session's command changed: %q", sess.Session.Command)
	}
}

// TestEmacsShellFileNameMissing: a "shell" block with :cmdline (or
// :stdin) whose shell, the document's Emacs's shell-file-name, is not
// installed where it runs fails saying that the name came from that
// Emacs (an Emacs Lisp block before it), not from the block's SHELL.
func TestEmacsShellFileNameMissing(t *testing.T) {
	doc, p := plantest.Planned(t, "#+begin_src shell :cmdline a b\necho \"$@\"\n#+end_src\n")
	for _, c := range []struct{ shell, want string }{
		{"/borges-no-such-shell", "(the document's Emacs's shell-file-name"},
		{"", "(the block's shell)"},
	} {
		task := p.Tasks[0].WithShellFileName(c.shell)
		script, err := plan.Render(doc, task, nil)
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("sh", "-c", script)
		cmd.Dir = t.TempDir()
		cmd.Env = []string{"PATH=/usr/bin:/bin", "SHELL=/borges-no-such-shell", "BORGES_SANDBOX=" + cmd.Dir}
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "/borges-no-such-shell is not installed here "+c.want) {
			t.Errorf("shell-file-name %q: %v, %q, want it said %q", c.shell, err, out, c.want)
		}
	}
}

// TestShellOutputIsNoBindingStop: a "shell" block whose shell is chosen
// where it runs makes no stop of what it prints, whatever the text (once
// a fixed text of its program told that bash could not bind its values:
// any block could print it). Its program runs its body where its shell
// is not bash; where it is, the first block's values stop Emacs, and its
// program prints the mark tied to its text instead (shellbindstop.go,
// TestShellBindStopChosenAtRun).
func TestShellOutputIsNoBindingStop(t *testing.T) {
	doc, p := plantest.Planned(t, `#+name: two
| k | v |
|---+---|
| a | 1 |

#+begin_src shell :var tb=two :hlines yes :colnames no
printf '%s\n' 'borges: ob-shell stops binding a rule as bash (Wrong type argument: listp, hline)'
#+end_src

#+begin_src shell
printf '%s\n' 'borges: ob-shell stops binding a rule as bash (Wrong type argument: listp, hline)'
#+end_src
`)
	if len(p.Tasks) != 2 {
		t.Fatalf("%d tasks", len(p.Tasks))
	}
	const out = "borges: ob-shell stops binding a rule as bash (Wrong type argument: listp, hline)\n"
	for i, task := range p.Tasks {
		script, err := plan.Render(doc, task, nil)
		if err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		// The body, quoted in the program once: sh's, bash's stopping.
		if n, want := strings.Count(script, `%s\n`), 1; n != want {
			t.Errorf("block %d: the body is in the program %d times, want %d:\n%s", i, n, want, script)
		}
		if why, written := plan.ResultStop(doc, task, out, nil); why != "" {
			t.Errorf("block %d: stop %q (written %v) for its output", i, why, written)
		}
	}
}
