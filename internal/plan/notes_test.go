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
