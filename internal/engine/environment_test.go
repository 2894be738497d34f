package engine

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wallyqs/borges/internal/plan"
	"github.com/wallyqs/borges/internal/session"
	"github.com/wallyqs/borges/internal/store"
)

const environmentDoc = `#+name: before
#+begin_src sh
echo before
#+end_src

#+name: set
#+begin_src emacs-lisp
(setenv "FOO" "bar")
#+end_src

#+name: after
#+begin_src sh :env "OWN=1 HOME=/home/own"
echo $FOO
#+end_src

#+name: again
#+begin_src emacs-lisp
(setenv "FOO" "again")
(error "Boom")
#+end_src

#+name: last
#+begin_src sh
echo $FOO
#+end_src
`

// TestEmacsEnvironmentGiven: a block after an Emacs Lisp block waits for
// it to end, then runs with the environment it reported: set and changed
// variables under the block's own :env, removed ones in Attempt.Unset
// (less what :env sets), Borges' own variables never taken from it; run
// again on request, it gets it again from what was kept; after an Emacs
// Lisp block that reported nothing (it failed before it was sent), the
// one before it counts.
func TestEmacsEnvironmentGiven(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	v, err := e.Submit(context.Background(), environmentDoc)
	if err != nil {
		t.Fatal(err)
	}
	l := waitLaunches(t, fb, 1)
	if l[0].Block != "before" || l[0].Task.EnvironmentOf != "" {
		t.Fatalf("first launch %s (environment of %q)", l[0].Block, l[0].Task.EnvironmentOf)
	}
	finish(fb, l[0], Finished, 0)
	set := waitLaunches(t, fb, 2)[1]
	if set.Block != "set" {
		t.Fatalf("second launch %s, want set", set.Block)
	}
	time.Sleep(20 * time.Millisecond)
	if n := len(fb.launches()); n != 2 {
		t.Fatalf("%d launches while the Emacs Lisp block runs: the blocks after it must wait for it", n)
	}
	fb.mu.Lock()
	fb.envs[set.ID] = `{"set":{"FOO":"bar","OWN":"emacs","BORGES_BLOCK":"set","BORGES_SANDBOX":"/elsewhere"},"unset":["HOME","LANG","BORGES_VALUE_FILE"]}`
	fb.mu.Unlock()
	finish(fb, set, Finished, 0)
	after := waitLaunches(t, fb, 3)[2]
	check := func(a *Attempt, foo string, unset []string) {
		t.Helper()
		if a.Env["FOO"] != foo || a.Env["BORGES_BLOCK"] != a.Block || a.Env["BORGES_SANDBOX"] != "" {
			t.Errorf("%s: environment %v", a.Block, a.Env)
		}
		if !reflect.DeepEqual(a.Unset, unset) {
			t.Errorf("%s: unset %q, want %q", a.Block, a.Unset, unset)
		}
	}
	if after.Block != "after" || after.Env["OWN"] != "1" || after.Env["HOME"] != "/home/own" {
		t.Fatalf("third launch %s, environment %v", after.Block, after.Env)
	}
	check(after, "bar", []string{"LANG"})
	finish(fb, after, Finished, 0)
	waitState(t, e, v.ID, "after", Finished)

	if err := e.RestartBlock(context.Background(), v.ID, "after"); err != nil {
		t.Fatal(err)
	}
	rerun := launchOf(t, fb, "after", 2)
	check(rerun, "bar", []string{"LANG"})
	finish(fb, rerun, Finished, 0)
	finish(fb, launchOf(t, fb, "again", 1), Failed, 1) // no environment reported
	last := launchOf(t, fb, "last", 1)
	check(last, "bar", []string{"HOME", "LANG"})
}

// launchOf waits for the nth launch of block name.
func launchOf(t *testing.T, fb *fakeBackend, name string, n int) *Attempt {
	t.Helper()
	// Bounded generously: a launch may wait for an Emacs's report read
	// off the lock, slow on a loaded machine (the suite runs packages
	// side by side); a launch that never comes still fails.
	for i := 0; i < 12000; i++ {
		seen := 0
		for _, a := range fb.launches() {
			if a.Block == name {
				if seen++; seen == n {
					return a
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("block %s was not launched %d times", name, n)
	return nil
}

const environmentOwnDoc = `#+name: unset
#+begin_src emacs-lisp
(dolist (name '("FOO" "PORT0" "PORT2" "PORTS" "TERM" "COLUMNS" "A-B"))
  (setenv name))
#+end_src

#+name: ports
#+begin_src sh :ports 2
echo $PORT0
#+end_src

#+name: shell
#+begin_src sh :session s
echo $TERM
#+end_src
`

// TestEmacsEnvironmentKeepsBorgesOwn: a variable the document's Emacs
// removed that Borges gives the block itself stays: the ports of a block
// with :ports (PORT0…PORTn-1, PORTS, not a port it does not have), and
// the terminal a session's interpreter is given (TERM, COLUMNS…), not
// other blocks'.
func TestEmacsEnvironmentKeepsBorgesOwn(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	if _, err := e.Submit(context.Background(), environmentOwnDoc); err != nil {
		t.Fatal(err)
	}
	unset := waitLaunches(t, fb, 1)[0]
	fb.mu.Lock()
	fb.envs[unset.ID] = `{"unset":["A-B","COLUMNS","FOO","PORT0","PORT2","PORTS","TERM"]}`
	fb.mu.Unlock()
	finish(fb, unset, Finished, 0)
	if a := launchOf(t, fb, "ports", 1); !reflect.DeepEqual(a.Unset, []string{"A-B", "COLUMNS", "FOO", "PORT2", "TERM"}) {
		t.Errorf("ports: unset %q", a.Unset)
	}
	if a := launchOf(t, fb, "shell", 1); !reflect.DeepEqual(a.Unset, []string{"A-B", "FOO", "PORT0", "PORT2", "PORTS"}) {
		t.Errorf("session: unset %q", a.Unset)
	}
}

// TestAddedEmacsLispEnvironment: a shell block after an Emacs Lisp block
// that another added to the buffer before it runs with the environment
// the added one left (its setenv), as Emacs runs it after that block. It
// had the environment of the block that added it.
func TestAddedEmacsLispEnvironment(t *testing.T) {
	rb := adderInserts(t, "#+name: user\n#+begin_src sh\necho $FOO\n#+end_src\n\n", "#+name: setter\n#+begin_src emacs-lisp :results silent\n(setenv \"FOO\" \"bar\")\n#+end_src\n\n",
		markAt{at: "#+begin_src sh\necho $FOO"}, markAt{at: "#+begin_src emacs-lisp :results silent\n(setenv"})
	for n := 2; n < 4; n++ {
		a := waitLaunches(t, rb.fakeBackend, n)[n-1]
		switch a.Block {
		case "setter":
			rb.mu.Lock()
			rb.envs[a.ID] = `{"set":{"FOO":"bar"}}`
			rb.mu.Unlock()
			finish(rb.fakeBackend, a, Finished, 0)
		case "user":
			if a.Env["FOO"] != "bar" {
				t.Fatalf("the block after the added Emacs Lisp block ran with environment %v (launch %d), want FOO=bar", a.Env, n)
			}
			return
		}
	}
	t.Fatalf("launches: %d", len(rb.launches()))
}

// adderInserts submits adderDoc(rest), rest beginning with a #+name:
// line, whose adder inserts block before rest; the adder's report marks
// the buffer so (marks after adderMark's), and it has finished.
func adderInserts(t *testing.T, rest, block string, marks ...markAt) *reportBackend {
	t.Helper()
	rb := newReportBackend()
	e, _ := startEngine(t, t.TempDir(), rb, Config{})
	doc := adderDoc(rest)
	if _, err := e.Submit(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
	added := strings.Replace(doc, rest, block+rest, 1)
	first := waitLaunches(t, rb.fakeBackend, 1)[0]
	rb.rmu.Lock()
	rb.reports[first.ID] = addedReport(t, added, append([]markAt{adderMark}, marks...)...)
	rb.rmu.Unlock()
	finish(rb.fakeBackend, first, Finished, 0)
	return rb
}

const shellFileNameDoc = `#+name: set
#+begin_src emacs-lisp
(setenv "SHELL" "/bin/sh")
#+end_src

#+name: plain
#+begin_src shell
echo $0
#+end_src

#+name: own
#+begin_src shell :env "SHELL=/bin/zsh"
echo $0
#+end_src

#+name: sess
#+begin_src shell :session s
echo $0
#+end_src

#+name: lang
#+begin_src bash
echo $0
#+end_src
`

// TestEmacsShellFileNameGiven: after the document's Emacs reported its
// shell-file-name (another than its environment's SHELL here), a shell
// block's program names that shell and a shell session of a shell block
// starts it, on no variable (the environment is Emacs's, nothing added),
// while a block whose own :env sets SHELL runs that and a bash block
// runs bash; a variable the Emacs set of any name chooses nothing.
func TestEmacsShellFileNameGiven(t *testing.T) {
	e, fb, stop := newTestEngine(t, t.TempDir())
	defer stop()
	if _, err := e.Submit(context.Background(), shellFileNameDoc); err != nil {
		t.Fatal(err)
	}
	set := waitLaunches(t, fb, 1)[0]
	fb.mu.Lock()
	fb.envs[set.ID] = `{"set":{"SHELL":"/bin/sh","BORGES_SHELL_FILE_NAME":"/bin/zsh"},"shell":"/bin/ba\"$sh"}`
	fb.mu.Unlock()
	finish(fb, set, Finished, 0)
	for _, name := range []string{"plain", "own", "sess", "lang"} {
		a := launchOf(t, fb, name, 1)
		names := []string{}
		for k := range a.Env {
			if !strings.HasPrefix(k, "BORGES_") {
				names = append(names, k)
			}
		}
		want := []string{"SHELL"}
		if a.Env["SHELL"] != "/bin/sh" && name != "own" || a.Env["BORGES_SHELL_FILE_NAME"] != "" || !reflect.DeepEqual(names, want) {
			t.Errorf("%s: environment %v, want Emacs's SHELL and Borges' own only", name, a.Env)
		}
		named := strings.Contains(a.Script, `"/bin/ba\"\$sh"`)
		switch name {
		case "plain":
			if !named || strings.Contains(a.Script, "${SHELL") || a.Task.ShellFileName != `/bin/ba"$sh` {
				t.Errorf("plain: the program does not name Emacs's shell-file-name:\n%s", a.Script)
			}
		case "own", "lang":
			if named || a.Task.ShellFileName != "" {
				t.Errorf("%s: the program names Emacs's shell-file-name:\n%s", name, a.Script)
			}
		case "sess":
			if got := a.Task.Session.Command; len(got) != 5 || got[4] != `/bin/ba"$sh` {
				t.Errorf("session: command %q, want Emacs's shell-file-name to start", got)
			}
		}
		finish(fb, a, Finished, 0)
	}
}

// TestEmacsShellFileNameUnusableStops: after an Emacs Lisp block that
// left a shell-file-name no process can be started with (a symbol, "",
// one holding a NUL: the Emacs reports its error, ShellError), a shell
// block is not run but stops the document, as Emacs stops
// org-babel-execute-buffer there with that error: its message gives the
// error and names the Emacs Lisp block and shell-file-name. A block after
// it that Borges started in the same round, before the stop was known
// (after, which waits only for the Emacs Lisp block), runs on and
// finishes, as after any stop Borges finds as a block starts (a known
// difference from Emacs, README); one that becomes ready once the stop is
// known (held, which waits for after) is not run, saying where the
// document stopped.
func TestEmacsShellFileNameUnusableStops(t *testing.T) {
	dir := t.TempDir()
	e, fb, stopEngine := newTestEngine(t, dir)
	var once sync.Once
	stop := func() { once.Do(stopEngine) }
	defer stop()
	doc, err := e.Submit(context.Background(), "#+name: set\n#+begin_src emacs-lisp\n(setq shell-file-name 'sh)\n#+end_src\n\n"+
		"#+name: plain\n#+begin_src shell\necho hi\n#+end_src\n\n#+name: after\n#+begin_src sh\necho after\n#+end_src\n\n"+
		"#+name: held\n#+begin_src sh :var x=after\necho \"$x\"\n#+end_src\n")
	if err != nil {
		t.Fatal(err)
	}
	set := waitLaunches(t, fb, 1)[0]
	fb.mu.Lock()
	fb.envs[set.ID] = `{"shell_error":"Wrong type argument: stringp, sh"}`
	fb.mu.Unlock()
	finish(fb, set, Finished, 0)
	// plain and after are ready in the round set's end makes: plain
	// stops there, after is launched in it all the same.
	after := launchOf(t, fb, "after", 1)
	waitState(t, e, doc.ID, "plain", Failed)
	finish(fb, after, Finished, 0)
	// The run of after held's reference makes ("held :var x=after"),
	// ready in that round as after is, and launched in it all the same
	// when it was, is finished as after is; held itself is not run.
	for i := 0; i < 4000; i++ {
		d, _ := e.Document(doc.ID)
		if d == nil || (d.State != Running && d.State != Queued) {
			break
		}
		for _, a := range fb.launches() {
			for _, b := range d.Blocks {
				if b.Name == "held :var x=after" && a.Block == b.Name && len(b.Instances) == 1 && b.Instances[0].AttemptID == a.ID && !b.Instances[0].State.Terminal() {
					finish(fb, a, Finished, 0)
				}
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	d := waitDocumentEnded(t, e, doc.ID)
	for _, a := range fb.launches() {
		if a.Block == "plain" {
			t.Errorf("plain launched with an unusable shell-file-name")
		}
	}
	if notes := strings.Join(d.Notes, "\n"); !strings.Contains(notes, "stops this document at the block at line 6") || !strings.Contains(notes, "shell-file-name") {
		t.Errorf("notes %q: no stop at plain for its shell-file-name", notes)
	}
	m, _ := blockMessage(d, "plain")
	for _, part := range []string{"Wrong type argument: stringp, sh", "shell-file-name", `"set"`} {
		if !strings.Contains(m, part) {
			t.Errorf("plain's message %q does not say %q", m, part)
		}
	}
	for _, b := range d.Blocks {
		if b.Name == "after" && b.State != Finished {
			t.Errorf("after, started in the round plain stopped in: %s, want %s", b.State, Finished)
		}
	}
	if m, _ := blockMessage(d, "held"); !strings.HasPrefix(m, failStopAt+"6, ") || !strings.Contains(m, shellStopWhy) {
		t.Errorf("held: %q, want not run for the stop at plain (line 6), %s", m, shellStopWhy)
	}
	for _, a := range fb.launches() {
		if a.Block == "held" {
			t.Errorf("held launched after the stop at plain")
		}
	}
	e.mu.Lock()
	for _, b := range e.docs[doc.ID].blocks {
		if b.name == "plain" && (!b.shellStop || stopWhy(b, "") != shellStopWhy) {
			t.Errorf("plain: shellStop %v, stop %q, want the shell-file-name's", b.shellStop, stopWhy(b, ""))
		}
	}
	e.mu.Unlock()
	// Kept across a server restart (lazy.go's knowRefErrs reads it).
	stop()
	st, recs := storedRecords(t, dir, doc.ID)
	defer st.Close()
	if !slices.ContainsFunc(recs, func(r *store.Instance) bool { return r.Block == "plain" && r.RefErr != "" && r.RefErrShell }) {
		t.Errorf("no record of plain stored with its shell-file-name stop (RefErrShell)")
	}
}

// TestShellBlockReferenceErrorNotShellStop: a "shell" block's
// reference error whose message is one the shell-file-name's could be
// (an Emacs Lisp :var signalling "Wrong type argument: stringp, 1") is
// a reference's stop: only the shell-file-name's error
// (plan.ShellFileNameArg) is taken for that one.
func TestShellBlockReferenceErrorNotShellStop(t *testing.T) {
	task := &plan.Task{Block: "b", Lang: "shell"}
	ref := &blockState{name: "b", task: task, refErr: "Wrong type argument: stringp, 1"}
	if got := stopWhy(ref, ""); got != refStopWhy {
		t.Errorf("reference error: stop %q, want %q", got, refStopWhy)
	}
	shell := &blockState{name: "b", task: task, refErr: "Wrong type argument: stringp, 1", shellStop: true}
	if got := stopWhy(shell, ""); got != shellStopWhy {
		t.Errorf("shell-file-name's error: stop %q, want %q", got, shellStopWhy)
	}
}

// TestEmacsSHELLKeepsOwnShell: after an Emacs Lisp block that set or
// removed SHELL but left shell-file-name the one its Emacs started with
// (no shell reported), a shell block and a shell session of shell blocks
// run the shell of their own environment (another agent's or image's,
// where it is not the Emacs's), as before any Emacs Lisp block: the
// Emacs's SHELL goes to them as session.EmacsSHELL, which their program
// gives them as SHELL once the shell is chosen, not as SHELL, which would
// choose it. A block whose :env sets SHELL, and an sh block, get it as
// before.
func TestEmacsSHELLKeepsOwnShell(t *testing.T) {
	doc := shellFileNameDoc + `
#+name: bang
#+begin_src shell :shebang "#!/bin/sh"
echo $0
#+end_src
`
	for _, c := range []struct{ report, carried string }{
		{`{"set":{"SHELL":"/bin/zsh","X":"1"}}`, "=/bin/zsh"},
		{`{"unset":["SHELL"],"set":{"X":"1"}}`, "-"},
	} {
		e, fb, stop := newTestEngine(t, t.TempDir())
		if _, err := e.Submit(context.Background(), doc); err != nil {
			t.Fatal(err)
		}
		set := waitLaunches(t, fb, 1)[0]
		fb.mu.Lock()
		fb.envs[set.ID] = c.report
		fb.mu.Unlock()
		finish(fb, set, Finished, 0)
		for _, name := range []string{"plain", "own", "sess", "lang", "bang"} {
			a := launchOf(t, fb, name, 1)
			_, hasSHELL := a.Env["SHELL"]
			carried, isCarried := a.Env[session.EmacsSHELL]
			unsetsSHELL := slices.Contains(a.Unset, "SHELL")
			if a.Env["X"] != "1" || a.Task.ShellFileName != "" {
				t.Errorf("%s: %s: environment %v, shell-file-name %q", c.report, name, a.Env, a.Task.ShellFileName)
			}
			switch name {
			case "plain", "sess":
				if hasSHELL || unsetsSHELL || carried != c.carried {
					t.Errorf("%s: %s: environment %v less %v: want SHELL carried as %q", c.report, name, a.Env, a.Unset, c.carried)
				}
			case "own", "lang", "bang":
				// bang: ob-shell runs a :shebang block's file itself,
				// not shell-file-name, with the SHELL the Emacs left.
				given := name == "lang" || name == "bang"
				if isCarried || name == "own" && a.Env["SHELL"] != "/bin/zsh" ||
					given && (c.carried == "-") != unsetsSHELL || given && c.carried != "-" && a.Env["SHELL"] != "/bin/zsh" {
					t.Errorf("%s: %s: environment %v less %v: want SHELL as before", c.report, name, a.Env, a.Unset)
				}
			}
			if name == "bang" && !strings.HasPrefix(a.Script, "#!/bin/sh\n") {
				t.Errorf("%s: bang: the program does not begin with its #! line:\n%s", c.report, a.Script)
			}
			if name == "plain" && !strings.HasPrefix(a.Script, "__borges_sh="+session.ShellFileName+"\n"+session.GiveEmacsSHELL) {
				t.Errorf("%s: plain: the program does not choose its own shell before it gives SHELL:\n%s", c.report, a.Script)
			}
			if name == "sess" {
				if got := a.Task.Session.Command; len(got) != 5 || got[4] != "" {
					t.Errorf("%s: session: command %q, want its own shell", c.report, got)
				}
			}
			finish(fb, a, Finished, 0)
		}
		stop()
	}
}

// TestBashBindingStopWhy: a bash block that ob-shell cannot bind a
// variable of (plan.ReferenceError's Binding: the associative array's
// car of a rule or of an atom) stops the document for that, not for a
// reference Emacs found no data for.
func TestBashBindingStopWhy(t *testing.T) {
	task := &plan.Task{Block: "b", Lang: "bash"}
	b := &blockState{name: "b", task: task, refErr: plan.BashAssocRuleError, bindStop: true}
	if got := stopWhy(b, ""); got != bindStopWhy {
		t.Errorf("binding's error: stop %q, want %q", got, bindStopWhy)
	}
	ref := &blockState{name: "b", task: task, refErr: plan.BashAssocRuleError}
	if got := stopWhy(ref, ""); got != refStopWhy {
		t.Errorf("reference error: stop %q, want %q", got, refStopWhy)
	}
}
