package plan

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
	"github.com/wallyqs/borges/internal/outside"
)

const emacsDoc = `#+name: defs
#+begin_src emacs-lisp
(defun borges-two () 2)
#+end_src

#+name: use
#+begin_src sh :var x=(borges-two)
echo $x
#+end_src

#+name: early
#+begin_src elisp :var v=late :session s
v
#+end_src

#+name: late
#+begin_src emacs-lisp
(borges-two)
#+end_src

#+name: boxed
#+begin_src emacs-lisp :dockerize t :image emacs:28
1
#+end_src

#+name: boxed2
#+begin_src emacs-lisp :dockerize t :image emacs:28
2
#+end_src

#+name: many
#+begin_src emacs-lisp :instances 2
3
#+end_src
`

// TestEmacsLispSession: a document's Emacs Lisp blocks and Lisp :var
// values run in one Emacs (per container), in the order Emacs first
// evaluates them: a block a block before it refers to runs again for
// that block's reference, before it, and in its place (no cycle); :session on an Emacs Lisp block changes nothing;
// a block run many times stays a process of its own.
func TestEmacsLispSession(t *testing.T) {
	doc, _, byName := planned(t, emacsDoc)
	var order []string
	lv := "use :var x=(borges-two)"
	for _, name := range []string{"defs", lv, "late", "early", "early :var v=late", "boxed", "boxed2"} {
		s := byName[name].Session
		if s == nil {
			t.Fatalf("%s: no session", name)
		}
		if s.Kind != "emacs" || !s.Value || len(s.Command) != 5 || s.Command[0] != "emacs" || s.Command[3] != "--eval" {
			t.Errorf("%s: session %+v", name, s)
		}
		// The blocks of another Emacs (another container) say that
		// what they change in their buffer is not written back.
		notes := byName[name].Notes
		if other := strings.HasPrefix(name, "boxed"); other != (len(notes) == 1 && strings.Contains(notes[0], "not written back")) || !other && len(notes) != 0 {
			t.Errorf("%s: notes %q", name, notes)
		}
		order = append(order, s.Key)
	}
	if k := order[0]; order[1] != k || order[2] != k || order[3] != k || order[4] != k || order[5] == k || order[6] != order[5] {
		t.Errorf("keys %q", order)
	}
	for _, name := range []string{"use", "many"} {
		if byName[name].Session != nil {
			t.Errorf("%s: session %+v", name, byName[name].Session)
		}
	}
	for name, want := range map[string][]string{"defs": nil, lv: {"defs"}, "use": {lv}, "early :var v=late": {lv}, "early": {"early :var v=late"}, "late": {"early"}, "boxed": nil, "boxed2": {"boxed"}, "many": nil} {
		if got := byName[name].After; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: after %q, want %q", name, got, want)
		}
	}
	// Each is sent the program the block's own Emacs would load, its
	// value the last form's.
	refs := map[string]Value{"early :var v=late": {Scalar: "2", Number: true}, "defs": {}, lv: {}}
	for _, name := range []string{"defs", "early", lv} {
		prog, err := Render(doc, byName[name], refs)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(prog, "write-region") || !strings.Contains(prog, "(require 'org)") {
			t.Errorf("%s: program %s", name, prog)
		}
	}
	prog, err := Render(doc, byName["many"], refs)
	if err != nil || !strings.Contains(prog, "BORGES_VALUE_FILE") {
		t.Errorf("many: %v, program %s", err, prog)
	}
}

// TestEmacsLispSessionLimits: where the backend keeps no sessions (or
// none in containers), each Emacs Lisp block is a batch Emacs of its
// own, as before, with a note.
func TestEmacsLispSessionLimits(t *testing.T) {
	limits := machine
	limits.NoContainerSessions = "no sessions in containers here"
	p, err := Build(mustParse(t, emacsDoc), limits, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range p.Tasks {
		boxed := task.Container != nil
		if (task.Session == nil) != (boxed || task.Block == "use" || task.Block == "many") {
			t.Errorf("%s: session %+v", task.Block, task.Session)
		}
		if noted := len(task.Notes) == 1 && strings.Contains(task.Notes[0], "no sessions in containers here") && strings.Contains(task.Notes[0], "not written back"); noted != boxed {
			t.Errorf("%s: notes %q", task.Block, task.Notes)
		}
	}
	limits.NoSessions = "the Mesos backend runs each block as a task of its own"
	p, err = Build(mustParse(t, emacsDoc), limits, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	for _, task := range p.Tasks {
		if task.Session != nil {
			t.Errorf("%s: session %+v", task.Block, task.Session)
		}
	}
}

// TestEmacsLispAlone: a block that runs in a batch Emacs of its own (here
// :instances 2) writes its value into $BORGES_VALUE_FILE, as the
// document's Emacs replies it.
func TestEmacsLispAlone(t *testing.T) {
	emacs := outside.Need(t, "emacs-nox", "emacs")
	doc := mustParse(t, block("emacs-lisp :instances 2", `(list (list 1 "é") 'hline (list 'a 2.5))`))
	p, err := Build(doc, machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	task := p.Tasks[0]
	prog, err := Render(doc, task, nil)
	if err != nil || task.Session != nil {
		t.Fatalf("%v, session %+v", err, task.Session)
	}
	dir := t.TempDir()
	script, value := filepath.Join(dir, "script"), filepath.Join(dir, "value")
	if err := os.WriteFile(script, []byte(prog), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(emacs, append(task.Interpreter[1:], script)...)
	cmd.Env = append(os.Environ(), "BORGES_VALUE_FILE="+value)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if got, _ := os.ReadFile(value); string(got) != `((1 "é") hline (a 2.5))` {
		t.Fatalf("value %q", got)
	}
}

// TestEmacsLispSessionPlacement: blocks that ask for other placements
// (:constraints) run in other Emacsen.
func TestEmacsLispSessionPlacement(t *testing.T) {
	p, err := Build(mustParse(t, block("emacs-lisp", "1")+block("emacs-lisp :constraints hostname==a", "2")+
		block("emacs-lisp :constraints hostname==a", "3")+block("emacs-lisp", "4")), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, task := range p.Tasks {
		keys = append(keys, task.Session.Key)
	}
	if want := []string{"emacs:", "emacs::hostname==a", "emacs::hostname==a", "emacs:"}; !reflect.DeepEqual(keys, want) {
		t.Fatalf("keys %q, want %q", keys, want)
	}
	if a := p.Tasks[3].After; !reflect.DeepEqual(a, []string{"block-1"}) {
		t.Fatalf("block-4 after %q", a)
	}
}

// TestReaderInDocumentEmacs: the task reading a block's output in Emacs
// joins the document's Emacs when the document has Emacs Lisp (after its
// block, before the Emacs Lisp after it), in its buffer as the first task
// there, with point at its block; the Emacs Lisp after it does that part
// when it did not run (TakeOverBuffer). Without Emacs Lisp it is a batch
// Emacs of its own.
func TestReaderInDocumentEmacs(t *testing.T) {
	ruby := "#+name: r\n#+begin_src ruby :results output table\nputs \"(f 1)\"\n#+end_src\n"
	doc, _, byName := planned(t, "#+name: s\n#+begin_src sh\necho 1\n#+end_src\n\n"+ruby+"\n#+name: e\n#+begin_src emacs-lisp\n1\n#+end_src\n")
	rd, e := byName[ReaderOf("r")], byName["e"]
	if rd == nil || rd.Session == nil || e.Session == nil || rd.Session.Key != e.Session.Key {
		t.Fatalf("reader %+v, e %+v", rd, e)
	}
	if !contains(e.After, rd.Block) || !rd.BufferStart || e.BufferStart || e.BufferPrev != rd.Block ||
		!reflect.DeepEqual(rd.BufferResults, []BufferResult{{Task: "s", Index: 0}}) ||
		!reflect.DeepEqual(e.BufferResults, []BufferResult{{Task: "r", Index: 1}, {Task: rd.Block, Index: 1}}) {
		t.Fatalf("e after %q, starts the buffer %v, puts in %v, prev %q; reader starts it %v, puts in %v",
			e.After, e.BufferStart, e.BufferResults, e.BufferPrev, rd.BufferStart, rd.BufferResults)
	}
	prog, err := RenderIn(doc, rd, map[string]Value{"r": OutputValue("(f 1)\n")}, map[string]org.Result{"s": {Output: "1\n"}})
	if err != nil || !strings.Contains(prog, "(borges--start-buffer ") || !strings.Contains(prog, "(borges--put-result ") ||
		!strings.Contains(prog, "(borges--goto ") || !strings.Contains(prog, "(org-babel-ruby-table-or-string ") {
		t.Fatalf("reader's program: %v\n%s", err, prog)
	}
	ran := func(didRun bool) func(string) (*Task, bool) {
		return func(name string) (*Task, bool) { return byName[name], didRun }
	}
	if got := e.TakeOverBuffer(ran(true)); got != e {
		t.Errorf("after a reader that ran: %+v", got)
	}
	got := e.TakeOverBuffer(ran(false))
	if !got.BufferStart || !reflect.DeepEqual(got.BufferResults, append([]BufferResult{{Task: "s", Index: 0}}, e.BufferResults...)) ||
		e.BufferStart || len(e.BufferResults) != 2 {
		t.Errorf("after a reader that did not run: starts %v, puts in %v (the task's own: %v, %v)",
			got.BufferStart, got.BufferResults, e.BufferStart, e.BufferResults)
	}
	_, p, _ := planned(t, ruby)
	for _, task := range p.Tasks {
		if task.Session != nil {
			t.Errorf("%s: session %+v without Emacs Lisp", task.Block, task.Session)
		}
	}
}
