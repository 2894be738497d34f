package plan

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/session"
)

const sessionDoc = `#+name: a
#+begin_src sh :session s
x=1
#+end_src

#+name: other
#+begin_src sh :var v=a
echo "$v"
#+end_src

#+name: b
#+begin_src bash :session s :var y=other :results value
echo $x
#+end_src

#+name: p1
#+begin_src python :session s :python python3 -X utf8
y = 2
#+end_src

#+name: p2
#+begin_src python :session s :return y
y = y + 1
#+end_src

#+name: r1
#+begin_src ruby :session s :results output
puts 1
#+end_src

#+name: none
#+begin_src sh :session none
echo 1
#+end_src

#+name: js
#+begin_src js :session s
1
#+end_src

#+name: piped
#+begin_src sh :session s :cmdline 1 2
echo $1
#+end_src

#+name: banged
#+begin_src python :session s :shebang #!/usr/bin/env python3
y
#+end_src
`

// planned plans text on the test machine; it returns the document, the
// plan and its tasks by block name.
func planned(t *testing.T, text string) (*org.Document, *Plan, map[string]*Task) {
	t.Helper()
	doc := mustParse(t, text)
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*Task{}
	for _, task := range p.Tasks {
		byName[task.Block] = task
	}
	return doc, p, byName
}

// TestSessionPlan: the blocks of a session (sh and bash share one, the
// shell of its first block; Python's and Ruby's are their own) carry it,
// each after the one before it in the document; :session none, languages
// Borges keeps no sessions for and shell blocks Babel runs as scripts
// (:stdin, :cmdline) do not.
func TestSessionPlan(t *testing.T) {
	doc, _, byName := planned(t, sessionDoc)
	for name, want := range map[string]*Session{
		"a":  {Name: "s", Key: "shell:s", Kind: "shell", Command: []string{"sh"}},
		"b":  {Name: "s", Key: "shell:s", Kind: "shell", Command: []string{"sh"}},
		"p1": {Name: "s", Key: "python:*s*", Kind: "python", Command: []string{"python3", "-X", "utf8", "-c"}, Value: true},
		"p2": {Name: "s", Key: "python:*s*", Kind: "python", Command: []string{"python3", "-X", "utf8", "-c"}, Value: true},
		"r1": {Name: "s", Key: "ruby:s", Kind: "ruby", Command: []string{"ruby", "-e"}},
		// The session's interpreter is its first block's.
		"banged": {Name: "s", Key: "python:*s*", Kind: "python", Command: []string{"python3", "-X", "utf8", "-c"}, Value: true},
	} {
		got := byName[name].Session
		if got == nil {
			t.Fatalf("%s: no session", name)
		}
		c := *got
		switch c.Kind {
		case "shell":
			// The shell the sh that starts it runs (sh -c PROGRAM sh
			// NAME), unless $ESHELL names another where it runs.
			if !session.ShellSession(c.Command) {
				t.Fatalf("%s: %q does not start a shell session", name, c.Command)
			}
			c.Command = []string{session.Program(c.Command)}
		case "python":
			c.Command = c.Command[:len(c.Command)-1] // the host program
		case "ruby":
			c.Command = c.Command[:len(c.Command)-2] // the launcher and irb's host
		}
		if !reflect.DeepEqual(&c, want) {
			t.Errorf("%s: session %+v, want %+v", name, c, want)
		}
		for _, n := range byName[name].Notes {
			if strings.HasPrefix(n, ":session") {
				t.Errorf("%s: note %q for a session Borges keeps", name, n)
			}
		}
	}
	for _, name := range []string{"none", "js", "piped", "other"} {
		if byName[name].Session != nil {
			t.Errorf("%s: session %+v", name, byName[name].Session)
		}
	}
	if n := byName["js"].Notes; len(n) != 1 || !strings.Contains(n[0], "shells, Python and Ruby") {
		t.Errorf("js notes %q", n)
	}
	// other's reference runs a again in the session; b's runs other
	// again, which runs a again, just before b (rerun.go).
	for name, want := range map[string][]string{"b": {"b :var y=other", "other :var v=a~2"}, "p2": {"p1"}, "p1": nil, "a": nil,
		"other :var v=a~2": {"other :var v=a"}, "other :var v=a": {"a"}} {
		if got := byName[name].After; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: after %q, want %q", name, got, want)
		}
	}
	// What the session is sent: the full body, no value wrapper; a
	// shell's "echo $?" for :results value; Python's :return.
	refs := map[string]Value{"b :var y=other": {Scalar: "1"}, "a": {}, "p1": {}}
	for name, want := range map[string]string{
		"a":  "x=1",
		"b":  "y='1'\necho $x\necho $?",
		"p1": "y = 2",
		"p2": "y = y + 1\ny",
	} {
		got, err := Render(doc, byName[name], refs)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s: renders %q, want %q", name, got, want)
		}
	}
}

// TestSessionProblems: what a session cannot be is refused, naming the
// block and the argument; a backend that keeps no sessions leaves each
// block its own process, and says so.
func TestSessionProblems(t *testing.T) {
	doc := "#+begin_src sh :session s :instances 2\necho 1\n#+end_src\n\n" +
		"#+begin_src sh :session s :ensure it-keeps-running\necho 1\n#+end_src\n"
	_, err := Build(mustParse(t, doc), machine, DefaultOptions)
	for _, want := range []string{`block "block-1": :instances:`, `block "block-2": :ensure:`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want a problem %q", err, want)
		}
	}
	limits := machine
	limits.NoSessions = "the Mesos backend runs each block as a task of its own"
	p, err := Build(mustParse(t, "#+begin_src sh :session s\necho 1\n#+end_src\n"), limits, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if task := p.Tasks[0]; task.Session != nil || len(task.Notes) != 1 || !strings.Contains(task.Notes[0], "Mesos") {
		t.Errorf("session %+v, notes %q", task.Session, task.Notes)
	}
}

// TestSessionShebang: a Python session started by a block with :shebang
// runs Python all the same (ob-python ignores :shebang in a session).
func TestSessionShebang(t *testing.T) {
	p, err := Build(mustParse(t, "#+begin_src python :session solo :shebang #!/usr/bin/env python3\n1\n#+end_src\n"), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if s := p.Tasks[0].Session; s == nil || len(s.Command) != 3 || s.Command[0] != "python3" || s.Command[1] != "-c" {
		t.Fatalf("session %+v", s)
	}
}

// TestSessionNilShell: ":session" given no value is nil to Babel, which
// org-babel-sh-initiate-session takes as no session (each shell block a
// script of its own); the word nil names a session, and Python's nil
// session is its default one (TestAgainstEmacs/hunt14_session_nil).
func TestSessionNilShell(t *testing.T) {
	p := mustPlan(t, "#+name: a\n#+begin_src sh :session\nX=5\n#+end_src\n\n"+
		"#+name: b\n#+begin_src bash :session\necho $X\n#+end_src\n\n"+
		"#+name: c\n#+begin_src sh :session nil\necho c\n#+end_src\n\n"+
		"#+name: d\n#+begin_src python :session\nreturn 1\n#+end_src\n")
	for name, want := range map[string]bool{"a": false, "b": false, "c": true, "d": true} {
		if got := taskNamed(t, p, name).Session != nil; got != want {
			t.Errorf("%s: in a session %v, want %v", name, got, want)
		}
	}
}

// TestPythonSessionBuffer: a Python block's :session given no value runs
// in ob-python's default session, the buffer "*Python*", which :session
// *Python* and :session Python name too (org-babel-python-with-earmuffs);
// :session nil is the session "*nil*", another. (Emacs's Python sessions
// answer too unreliably in batch here for a fixture of TestAgainstEmacs.)
func TestPythonSessionBuffer(t *testing.T) {
	p := mustPlan(t, "#+name: a\n#+begin_src python :session\nx = 1\n#+end_src\n\n"+
		"#+name: b\n#+begin_src python :session *Python*\nx\n#+end_src\n\n"+
		"#+name: c\n#+begin_src python :session Python\nx\n#+end_src\n\n"+
		"#+name: d\n#+begin_src python :session nil\nx\n#+end_src\n\n"+
		"#+name: e\n#+begin_src python :session *nil*\nx\n#+end_src\n")
	key := map[string]string{}
	for _, n := range []string{"a", "b", "c", "d", "e"} {
		if s := taskNamed(t, p, n).Session; s != nil {
			key[n] = s.Key
		}
	}
	want := map[string]string{"a": "python:*Python*", "b": "python:*Python*", "c": "python:*Python*", "d": "python:*nil*", "e": "python:*nil*"}
	if !maps.Equal(key, want) {
		t.Errorf("session keys %v, want %v", key, want)
	}
	if b := taskNamed(t, p, "b"); !slices.Contains(b.After, "a") {
		t.Errorf("b waits for %v, want a, the block before it in its session", b.After)
	}
}
