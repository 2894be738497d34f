package engine

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/proctest"
	"github.com/wallyqs/borges/internal/session"
)

// TestShellBindStopInSession: a "shell" block of a session given a table
// bash's forms cannot bind (two columns keeping a rule) stops the
// document before it runs where the session's shell-file-name is bash,
// as Emacs does (org-babel-variable-assignments:shell looks at
// shell-file-name, not at the session: "Wrong type argument: listp,
// hline"): its results
// stay as they were, the session's later block and the block after it
// are not run, and the notes say where it stopped.
func TestShellBindStopInSession(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: two\n| k | v |\n|---+---|\n| a | 1 |\n\n"+
		"#+name: first\n#+begin_src shell :session s\necho first\n#+end_src\n\n"+
		"#+name: stop\n#+begin_src shell :var tb=two :hlines yes :colnames no :session s\necho \"$tb\"\n#+end_src\n\n#+RESULTS: stop\n: old stop\n\n"+
		"#+name: later\n#+begin_src shell :session s\necho later\n#+end_src\n\n"+
		slowAfter)
	slow := launchOf(t, rb.fakeBackend, "slow", 1)
	conn := shellSession(t, "/bin/bash")
	for _, name := range []string{"first", "stop"} {
		evalInSession(t, rb.fakeBackend, conn, launchOf(t, rb.fakeBackend, name, 1))
	}
	waitMessage(t, e, id, "later", failStopAt+"11, ")
	finish(rb.fakeBackend, slow, Finished, 0)
	// after's run of slow, launched before the stop is known, runs on.
	d := endedFinishingRefRuns(t, e, rb, id, "after")
	for _, name := range []string{"later", "after"} {
		if m, _ := blockMessage(d, name); !strings.HasPrefix(m, failStopAt+"11, ") || !strings.Contains(m, plan.BashAssocRuleError) {
			t.Errorf("%s: %q, want not run for the stop at line 11", name, m)
		}
		if launchedBlock(rb, name) {
			t.Errorf("%s launched, past the stop", name)
		}
	}
	if notes := strings.Join(d.Notes, "\n"); !strings.Contains(notes, "stops this document at the block at line 11") {
		t.Errorf("notes %q: want the stop at line 11", notes)
	}
	resultsKept(t, e, id, "#+RESULTS: stop\n: old stop\n")
}

// TestShellFormsInSessionNotBash: where the session's shell-file-name is
// no bash, the same block runs with its table as one string, as Emacs
// binds it for other shells.
func TestShellFormsInSessionNotBash(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: two\n| k | v |\n|---+---|\n| a | 1 |\n\n"+
		"#+name: stop\n#+begin_src shell :var tb=two :hlines yes :colnames no :session s\necho \"$tb\"\n#+end_src\n")
	conn := shellSession(t, "/bin/sh")
	evalInSession(t, rb.fakeBackend, conn, launchOf(t, rb.fakeBackend, "stop", 1))
	waitDocumentEnded(t, e, id)
	// The table as one string, its rule a line "hline" (what the
	// interactive sh echoes of the string's lines comes with it).
	resultsKept(t, e, id, "| hline |")
}

// TestShellFormsInSessionBash: where the session's shell-file-name is
// bash, a "shell" block's list is bound in bash's forms (an array), as
// Emacs binds it; TestShellFormsInSessionNotBash's other direction.
func TestShellFormsInSessionBash(t *testing.T) {
	e, rb, id := submitToReport(t, "#+name: arr\n#+begin_src shell :var y='(p q r) :session s\necho \"${y[1]} ${#y[@]}\"\n#+end_src\n")
	conn := shellSession(t, "/bin/bash")
	evalInSession(t, rb.fakeBackend, conn, launchOf(t, rb.fakeBackend, "arr", 1))
	waitDocumentEnded(t, e, id)
	// The session's start (its prompts) comes first, as in Emacs.
	resultsKept(t, e, id, "# q 3 |")
}

// TestShellFormsMarkInSessionBlockIsText: a session block whose body
// begins as a body of two forms does (session.ShellFormsBody) runs that
// text: no body text is taken for the two forms, which the session's
// request carries apart (Session.ShellForms).
func TestShellFormsMarkInSessionBlockIsText(t *testing.T) {
	body := session.ShellFormsBody("", "", "echo real")
	e, rb, id := submitToReport(t, "#+name: fake\n#+begin_src sh :session s\n"+body+"\n#+end_src\n")
	conn := shellSession(t, "/bin/bash")
	a := launchOf(t, rb.fakeBackend, "fake", 1)
	if a.Task.Session.ShellForms {
		t.Errorf("an sh block's request says it holds two forms")
	}
	evalInSession(t, rb.fakeBackend, conn, a)
	waitDocumentEnded(t, e, id)
	resultsKept(t, e, id, "| real ")
}

// evalInSession runs attempt a's block in conn, as a backend sends it
// (its request's ShellForms from its session), and finishes a with the
// block's result.
func evalInSession(t *testing.T, fb *fakeBackend, conn *session.Conn, a *Attempt) {
	t.Helper()
	reply, err := conn.Eval(context.Background(), session.Request{Body: a.Script, ShellForms: a.Task.Session.ShellForms})
	if err != nil {
		t.Fatal(err)
	}
	finishWith(fb, a, reply.Result)
}

// shellSession starts a shell session of "shell" blocks whose SHELL (its
// shell-file-name) is shell, as a backend starts it.
func shellSession(t *testing.T, shell string) *session.Conn {
	t.Helper()
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SHELL=") && !strings.HasPrefix(kv, "ESHELL=") {
			env = append(env, kv)
		}
	}
	env = append(env, "SHELL="+shell, "HOME="+t.TempDir())
	tty := proctest.StartOnTerminal(t, t.TempDir(), append(env, session.Env()...), session.Command(session.Shell, "shell", nil))
	return session.NewConn(session.Shell, tty, tty)
}
