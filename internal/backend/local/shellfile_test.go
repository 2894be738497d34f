package local

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/engine"
	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/outside"
	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/plan/plantest"
	"github.com/wallyqs/borges/internal/session"
)

// shellFileDoc has "shell" blocks that print the program running them
// and the length of a list :var (one string for sh, a bash array's first
// item for bash): plain, with :cmdline, in a session.
const shellFileDoc = `#+begin_src shell :var xs='(a b) :results output
echo "$(readlink /proc/$$/exe) ${#xs}"
#+end_src

#+begin_src shell :cmdline one :var xs='(a b) :results output
echo "$(readlink /proc/$$/exe) ${#xs} $1"
#+end_src

#+begin_src shell :session s :results output
readlink /proc/$$/exe
#+end_src
`

// plannedDoc is text parsed and planned, which must make n tasks.
func plannedDoc(t *testing.T, text string, n int) (*org.Document, *plan.Plan) {
	t.Helper()
	doc, p := plantest.Planned(t, text)
	if len(p.Tasks) != n {
		t.Fatalf("%d tasks, want %d", len(p.Tasks), n)
	}
	return doc, p
}

// TestShellBlockRunsSHELL: a "shell" block, a process here, runs the
// shell $SHELL names in the server's environment, as Emacs's
// org-babel-execute:shell runs shell-file-name, which Emacs takes from
// $SHELL: /bin/sh where SHELL is unset or empty, its lists one string;
// bash where it names bash, its lists bash arrays. So do its :cmdline
// script and its session.
func TestShellBlockRunsSHELL(t *testing.T) {
	bash := outside.Need(t, "bash", "bash")
	doc, p := plannedDoc(t, shellFileDoc, 3)
	real := func(path string) string {
		t.Helper()
		r, err := filepath.EvalSymlinks(path)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	for _, c := range []struct {
		name, shell string
		set         bool
		want        []string // each block's output
	}{
		{"unset", "", false, []string{real("/bin/sh") + " 3\n", real("/bin/sh") + " 3 one\n", real("/bin/sh")}},
		{"empty", "", true, []string{real("/bin/sh") + " 3\n", real("/bin/sh") + " 3 one\n", real("/bin/sh")}},
		{"bash", bash, true, []string{real(bash) + " 1\n", real(bash) + " 1 one\n", real(bash)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("SHELL", c.shell)
			if !c.set {
				os.Unsetenv("SHELL")
			}
			// No rc files of the test's user, no ESHELL: the
			// session runs $SHELL as it is.
			t.Setenv("HOME", t.TempDir())
			t.Setenv("ESHELL", "")
			os.Unsetenv("ESHELL")
			b, r := newBackend(t, t.TempDir())
			for i, task := range p.Tasks {
				script, err := plan.Render(doc, task, nil)
				if err != nil {
					t.Fatal(err)
				}
				a := &engine.Attempt{ID: "d." + c.name + "." + task.Block + ".1", Block: task.Block, Task: task, Script: script, Env: map[string]string{}}
				got := runFinished(t, b, r, a, "d/shell:s/"+c.name)
				if task.Session != nil {
					// After the shell's prompt and the line it ends.
					got = got[strings.LastIndexAny(got, " \n")+1:]
				}
				if got != c.want[i] {
					t.Errorf("block %s: got %q, want %q", task.Block, got, c.want[i])
				}
			}
		})
	}
}

// runFinished launches a, in session (closed when the test ends) where
// its task has one, and returns its standard output once it finished;
// the test fails where it did not.
func runFinished(t *testing.T, b *Backend, r *recorder, a *engine.Attempt, session string) string {
	t.Helper()
	if a.Task.Session != nil {
		a.Session = session
		t.Cleanup(func() { b.CloseSession(context.Background(), a.Session) })
	}
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	if u := r.wait(t, a.ID); u.State != engine.Finished {
		errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 1000)
		t.Fatalf("block %s: update %+v, stderr %q", a.Task.Block, u, errOut)
	}
	return readStream(t, b, a.ID, "stdout")
}

// TestShellBlockWithoutItsShell: a "shell" block whose $SHELL is not
// here fails with 127, /bin/sh saying it does not find the shell, as in
// Emacs, whose org-babel-eval runs "/bin/sh -c SHELL" where it does not
// find SHELL.
func TestShellBlockWithoutItsShell(t *testing.T) {
	doc, p := plannedDoc(t, "#+begin_src shell\necho never\n#+end_src\n", 1)
	script, err := plan.Render(doc, p.Tasks[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "no-such-shell")
	t.Setenv("SHELL", missing)
	b, r := newBackend(t, t.TempDir())
	a := &engine.Attempt{ID: "d.missing.1", Block: "b", Task: p.Tasks[0], Script: script, Env: map[string]string{}}
	if err := b.Launch(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	u := r.wait(t, a.ID)
	if u.ExitCode == nil || *u.ExitCode != 127 {
		t.Fatalf("update %+v, want exit status 127", u)
	}
	if got := readStream(t, b, a.ID, "stderr"); !strings.Contains(got, missing+": not found") {
		t.Errorf("stderr %q does not name the shell", got)
	}
	if got := readStream(t, b, a.ID, "stdout"); got != "" {
		t.Errorf("stdout %q", got)
	}
}

// TestContainerShellBlockRunsImageSHELL: in a container, a "shell" block
// runs the shell of the image's environment, which sets no SHELL here
// (the test image is busybox alone): /bin/sh, its lists one string,
// whatever the server's SHELL, which a container does not get.
func TestContainerShellBlockRunsImageSHELL(t *testing.T) {
	outside.Docker(t)
	t.Setenv("SHELL", "/bin/bash")
	doc, p := plannedDoc(t, shellFileDoc, 3)
	b, r := newBackend(t, t.TempDir())
	// The plain block and the :cmdline one; busybox's sh is
	// /bin/busybox.
	for i, want := range []string{"/bin/busybox 3\n", "/bin/busybox 3 one\n"} {
		script, err := plan.Render(doc, p.Tasks[i], nil)
		if err != nil {
			t.Fatal(err)
		}
		a := inContainer(script, nil)
		if err := b.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		if u := r.wait(t, a.ID); u.State != engine.Finished {
			errOut, _, _ := b.ReadLog(context.Background(), a.ID, "stderr", 0, 1000)
			t.Fatalf("block %s: update %+v, stderr %q", p.Tasks[i].Block, u, errOut)
		}
		if got := stdout(t, b, a.ID); got != want {
			t.Errorf("block %s: got %q, want %q", p.Tasks[i].Block, got, want)
		}
	}
}

// TestShellBlockLeavesNothingOutsideItsSandbox: a "shell" block writes
// nothing outside its attempt's sandbox, however it ends: run to its end,
// killed, timed out, plain or with :cmdline (whose script must be a
// file). Its script holds its :var values; a file in $TMPDIR that the
// kill leaves behind is never collected. A plain block's script is no
// file while it runs (Emacs feeds it on standard input): the block sees
// an empty sandbox. The sandbox goes with the attempt's removal, as
// before. Its exit status and standard error reach Borges through the
// program that runs $SHELL.
func TestShellBlockLeavesNothingOutsideItsSandbox(t *testing.T) {
	bash := outside.Need(t, "bash", "bash")
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	t.Setenv("SHELL", bash)
	dir := t.TempDir()
	b, r := newBackend(t, dir)
	launch := func(t *testing.T, text string) *engine.Attempt {
		t.Helper()
		doc, p := plannedDoc(t, text, 1)
		script, err := plan.Render(doc, p.Tasks[0], nil)
		if err != nil {
			t.Fatal(err)
		}
		attempts++
		a := &engine.Attempt{ID: "d.tmp.0." + strconv.Itoa(attempts), Block: p.Tasks[0].Block, Task: p.Tasks[0], Script: script, Env: map[string]string{}}
		if err := b.Launch(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Kill(context.Background(), a.ID); r.wait(t, a.ID) })
		return a
	}
	started := func(t *testing.T, a *engine.Attempt) {
		t.Helper()
		until(t, "the block has started", func() bool { return strings.HasPrefix(readStream(t, b, a.ID, "stdout"), "started") })
	}
	nothingLeft := func(t *testing.T, a *engine.Attempt) {
		t.Helper()
		if left, err := os.ReadDir(tmp); err != nil || len(left) != 0 {
			var names []string
			for _, e := range left {
				names = append(names, e.Name())
			}
			t.Errorf("attempt %s left in TMPDIR: %v (%v)", a.ID, names, err)
		}
		if err := b.RemoveAttempts(context.Background(), []string{a.ID}); err != nil {
			t.Fatal(err)
		}
		if left := madeFor(t, dir, a.ID); len(left) != 0 {
			t.Errorf("attempt %s: left after its removal: %v", a.ID, left)
		}
	}

	// A bash block's script is bash's standard input too.
	for _, lang := range []string{"shell", "bash"} {
		t.Run("ends "+lang, func(t *testing.T) {
			a := launch(t, "#+begin_src "+lang+" :var secret=\"s3\" :results output\nls -A \"$BORGES_SANDBOX\"; echo \"oops $secret\" >&2; exit 3\n#+end_src\n")
			u := r.wait(t, a.ID)
			if u.ExitCode == nil || *u.ExitCode != 3 {
				t.Errorf("update %+v, want exit status 3", u)
			}
			if got := readStream(t, b, a.ID, "stdout"); got != "" {
				t.Errorf("the block saw files in its sandbox: %q", got)
			}
			if got := readStream(t, b, a.ID, "stderr"); got != "oops s3\n" {
				t.Errorf("stderr %q, want %q", got, "oops s3\n")
			}
			nothingLeft(t, a)
		})
	}
	t.Run("set -e", func(t *testing.T) {
		a := launch(t, "#+begin_src shell :results output\nset -e\nfalse\necho never\n#+end_src\n")
		if u := r.wait(t, a.ID); u.ExitCode == nil || *u.ExitCode != 1 {
			t.Errorf("update %+v, want exit status 1", u)
		}
		nothingLeft(t, a)
	})
	for _, c := range []struct{ name, header string }{{"plain", ""}, {"cmdline", " :cmdline x"}} {
		t.Run("killed "+c.name, func(t *testing.T) {
			a := launch(t, "#+begin_src shell :var secret=\"s3\""+c.header+" :results output\necho started; sleep 60\n#+end_src\n")
			started(t, a)
			if err := b.Kill(context.Background(), a.ID); err != nil {
				t.Fatal(err)
			}
			if u := r.wait(t, a.ID); u.State != engine.Killed {
				t.Fatalf("update %+v", u)
			}
			nothingLeft(t, a)
		})
		t.Run("timed out "+c.name, func(t *testing.T) {
			a := launch(t, "#+begin_src shell :timeout 3"+c.header+" :results output\necho started; sleep 60\n#+end_src\n")
			started(t, a)
			if u := r.wait(t, a.ID); u.State != engine.Failed || !strings.Contains(u.Message, "timed out") {
				t.Fatalf("update %+v", u)
			}
			nothingLeft(t, a)
		})
	}
}

// TestShellBlockRunsEmacsShellFileName: after the document's Emacs
// reported a shell-file-name that the SHELL it set does not give (it
// started with bash, then a block set SHELL=/bin/sh), a "shell" block,
// its :cmdline script and its session run that shell, bash, as Emacs
// runs them, its lists bash arrays; and the block's environment is the
// one it would have without it, no variable more or less: the shell
// comes in the program (and the session's command), not through a
// variable the block sees or could set.
func TestShellBlockRunsEmacsShellFileName(t *testing.T) {
	bash := outside.Need(t, "bash", "bash")
	doc, p := plannedDoc(t, shellFileDoc, 3)
	realBash, err := filepath.EvalSymlinks(bash)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("SHELL", "/bin/sh")
	t.Setenv("HOME", t.TempDir())
	t.Setenv("ESHELL", "")
	os.Unsetenv("ESHELL")
	b, r := newBackend(t, t.TempDir())
	run := func(t *testing.T, task *plan.Task, id string) string {
		t.Helper()
		script, err := plan.Render(doc, task, nil)
		if err != nil {
			t.Fatal(err)
		}
		a := &engine.Attempt{ID: id, Block: task.Block, Task: task, Script: script, Env: map[string]string{"SHELL": "/bin/sh"}}
		return runFinished(t, b, r, a, "d/shell:s/"+id)
	}
	for i, want := range []string{realBash + " 1\n", realBash + " 1 one\n", realBash} {
		task := p.Tasks[i].WithShellFileName(bash)
		got := run(t, task, "d.emacs."+task.Block+".1")
		if task.Session != nil {
			got = got[strings.LastIndexAny(got, " \n")+1:]
		}
		if got != want {
			t.Errorf("block %s: got %q, want %q", task.Block, got, want)
		}
	}
	// The environment: the same names and values with and without the
	// shell-file-name (but Borges' own, which name the attempt).
	envDoc, envPlan := plannedDoc(t, "#+begin_src shell :results output\nenv | grep -v '^BORGES_' | sort\n#+end_src\n", 1)
	doc = envDoc
	plain := run(t, envPlan.Tasks[0], "d.env.plain.1")
	withShell := run(t, envPlan.Tasks[0].WithShellFileName(bash), "d.env.emacs.1")
	drop := func(env string) string {
		// What the shells themselves set: bash's SHLVL and _, dash's
		// none; PWD, the attempt's sandbox.
		var kept []string
		for _, line := range strings.Split(env, "\n") {
			if !strings.HasPrefix(line, "SHLVL=") && !strings.HasPrefix(line, "_=") && !strings.HasPrefix(line, "PWD=") && !strings.HasPrefix(line, "OLDPWD=") {
				kept = append(kept, line)
			}
		}
		return strings.Join(kept, "\n")
	}
	if drop(plain) != drop(withShell) || !strings.Contains(plain, "SHELL=/bin/sh\n") {
		t.Errorf("the environment differs with Emacs's shell-file-name:\n%s\nwithout it:\n%s", withShell, plain)
	}
}

// TestContainerShellBlockRunsEmacsShellFileName: in a container too, a
// "shell" block after the document's Emacs (there) reported its
// shell-file-name runs that shell, whatever SHELL says.
func TestContainerShellBlockRunsEmacsShellFileName(t *testing.T) {
	outside.Docker(t)
	doc, p := plannedDoc(t, "#+begin_src shell :results output\necho \"$0 [$SHELL]\"\n#+end_src\n\n#+begin_src shell :cmdline '\"$0\"' :results output\necho \"$1\"\n#+end_src\n", 2)
	b, r := newBackend(t, t.TempDir())
	for i, want := range []string{"/bin/ash [/bin/sh]\n", "/bin/ash\n"} {
		task := p.Tasks[i].WithShellFileName("/bin/ash")
		script, err := plan.Render(doc, task, nil)
		if err != nil {
			t.Fatal(err)
		}
		a := inContainer(script, nil)
		a.Env = map[string]string{"SHELL": "/bin/sh"}
		if got := runFinished(t, b, r, a, ""); got != want {
			t.Errorf("block %s: got %q, want %q", task.Block, got, want)
		}
	}
}

// carrierDoc has "shell" blocks that print their environment, each line
// marked: plain, with :stdin, with :cmdline, with :shebang, and the
// block that starts a shell session.
const carrierDoc = `#+name: in
#+begin_example
x
#+end_example

#+begin_src shell :results output
env | sed 's/^/env: /'
#+end_src

#+begin_src shell :stdin in :results output
env | sed 's/^/env: /'
#+end_src

#+begin_src shell :cmdline one :results output
env | sed 's/^/env: /'
#+end_src

#+begin_src shell :shebang "#!/bin/sh" :results output
env | sed 's/^/env: /'
#+end_src

#+begin_src shell :session s :results output
env | sed 's/^/env: /'
#+end_src
`

// TestShellBlockGetsCarriedSHELL: after an Emacs Lisp block set SHELL
// (to a program that is not here) or removed it, leaving shell-file-name
// the one its Emacs started with, each kind of "shell" block, run here
// with the environment the engine gives it (session.EmacsSHELL where
// plan.Task.KeepsOwnShell), runs and sees SHELL as the Emacs left it and
// no session.EmacsSHELL: a plain block, :stdin, :cmdline, :shebang (run
// as its file itself) and the block that starts a shell session.
func TestShellBlockGetsCarriedSHELL(t *testing.T) {
	doc, p := plannedDoc(t, carrierDoc, 5)
	for _, c := range []struct {
		name  string
		emacs session.Environment
		want  string // the SHELL line, "" for none
	}{
		{"set", session.Environment{Set: map[string]string{"SHELL": "/nowhere/carried sh", "X": "1"}}, "SHELL=/nowhere/carried sh"},
		{"unset", session.Environment{Set: map[string]string{"X": "1"}, Unset: []string{"SHELL"}}, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("SHELL", "/bin/sh")
			t.Setenv("HOME", t.TempDir())
			t.Setenv("ESHELL", "")
			os.Unsetenv("ESHELL")
			b, r := newBackend(t, t.TempDir())
			for _, task := range p.Tasks {
				script, err := plan.Render(doc, task, nil)
				if err != nil {
					t.Fatal(err)
				}
				env := c.emacs
				if task.KeepsOwnShell() {
					env = env.KeepingShell()
				}
				a := &engine.Attempt{ID: "d.carried." + c.name + "." + task.Block + ".1", Block: task.Block, Task: task, Script: script,
					Env: maps.Clone(env.Set), Unset: slices.Clone(env.Unset)}
				got := runFinished(t, b, r, a, "d/shell:s/carried."+c.name)
				var shell []string
				x := false
				for _, line := range strings.Split(got, "\n") {
					_, v, ok := strings.Cut(line, "env: ")
					switch {
					case !ok:
					case strings.HasPrefix(v, "SHELL="):
						shell = append(shell, v)
					case strings.HasPrefix(v, session.EmacsSHELL+"="):
						t.Errorf("block %s: the program sees %s", task.Block, v)
					case v == "X=1":
						x = true
					}
				}
				if want := []string{c.want}; !x || c.want == "" && len(shell) != 0 || c.want != "" && !slices.Equal(shell, want) {
					t.Errorf("block %s: SHELL lines %q (X=1 seen: %v), want %q; output:\n%s", task.Block, shell, x, c.want, got)
				}
			}
		})
	}
}
