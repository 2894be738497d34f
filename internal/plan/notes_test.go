package plan

import (
	"strings"
	"testing"
)

// TestIncludeNotes: an #+include: or #+setupfile: line that reaches the
// server unexpanded is said, with its line, and the document is planned
// all the same.
func TestIncludeNotes(t *testing.T) {
	for _, c := range []struct {
		doc  string
		want []string
	}{
		{block("sh", "true"), nil},
		{"#+TITLE: t\n#+include: \"part.org\" src sh\n" + block("sh", "true"), []string{`line 2: #+include: "part.org" src sh was not expanded`}},
		{"* COMMENT old\n#+include: \"gone.org\"\n* live\n#+include: \"here.org\"\n", []string{`line 4: #+include: "here.org" was not expanded`}},
		{"#+SETUPFILE: conf.org\n#+begin_example\n#+include: \"x\"\n#+end_example\n", []string{"line 1: #+setupfile: conf.org was not expanded"}},
	} {
		p, err := Build(mustParse(t, c.doc), machine, DefaultOptions)
		if err != nil {
			t.Fatalf("%q: %v", c.doc, err)
		}
		if len(p.Notes) != len(c.want) {
			t.Fatalf("%q: notes %q, want %q", c.doc, p.Notes, c.want)
		}
		for i, w := range c.want {
			if !strings.HasPrefix(p.Notes[i], w) || !strings.Contains(p.Notes[i], "borges submit") {
				t.Errorf("%q: note %q, want %q…", c.doc, p.Notes[i], w)
			}
		}
	}
}

// TestLispDirNote: a :dir written as Lisp, which Emacs evaluates and
// runs the block in, is said of the block: Borges places the block before
// anything runs, in the directory as written. A :dir written as a path
// or a Lisp string is no note.
func TestLispDirNote(t *testing.T) {
	for _, c := range []struct {
		header string
		want   string
	}{
		{"sh :dir sub", ""},
		{`sh :dir "(sub)"`, ""},
		{`sh :dir (identity "/tmp")`, `:dir (identity "/tmp"): Emacs evaluates it as Lisp`},
		{`sh :dir (concat "x") :cache yes`, `:dir (concat "x"): Emacs evaluates it as Lisp`},
		// A constant Borges evaluates itself: it runs in x, as in Emacs.
		{`sh :dir '"x" :cache yes`, ""},
	} {
		p, err := Build(mustParse(t, block(c.header, "pwd")), machine, DefaultOptions)
		if err != nil {
			t.Fatalf("%s: %v", c.header, err)
		}
		if len(p.Tasks) == 0 {
			t.Fatalf("%s: no task", c.header)
		}
		var notes []string
		for _, task := range p.Tasks {
			notes = append(notes, task.Notes...)
		}
		switch {
		case c.want == "" && len(notes) > 0:
			t.Errorf("%s: notes %q, want none", c.header, notes)
		case c.want != "" && (len(notes) != 1 || !strings.HasPrefix(notes[0], c.want)):
			t.Errorf("%s: notes %q, want one starting %q", c.header, notes, c.want)
		}
	}
}

// TestLispDirNoteOfCalls: a #+call: or inline call takes its called
// block's :dir as written (org-babel-lob--src-info reads the block's
// header arguments without evaluating them), as Borges does: no note;
// a Lisp :dir of the call's own header arguments Emacs evaluates, and
// is said (checked against Emacs 28.2 / Org 9.5.5).
func TestLispDirNoteOfCalls(t *testing.T) {
	doc := "#+name: b\n#+begin_src sh :dir (concat \"s\" \"ub\")\npwd\n#+end_src\n\n" +
		"#+name: b2\n#+begin_src sh\npwd\n#+end_src\n\n" +
		"#+call: b()\n\ncall_b()\n\n" +
		"#+call: b2[:dir (concat \"s\" \"ub\")]()\n\n#+call: b2() :dir (concat \"s\" \"ub\")\n"
	p, err := Build(mustParse(t, doc), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]bool{1: true, 11: false, 13: false, 15: true, 17: true}
	seen := map[int]bool{}
	for _, task := range p.Tasks {
		noted := len(task.Notes) == 1 && strings.Contains(task.Notes[0], "Emacs evaluates it as Lisp")
		w, ok := want[task.Line]
		if !ok {
			continue
		}
		seen[task.Line] = true
		if noted != w {
			t.Errorf("%s (line %d): notes %q; want the note: %v", task.Block, task.Line, task.Notes, w)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("tasks at lines %v, want %v", seen, want)
	}
}
