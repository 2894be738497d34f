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

// TestLispFormCacheNote: under :cache yes a Lisp form in an argument
// Borges does not read (:tangle, :comments, :mkdirp, ... written on the
// block, inherited from a property, on a #+call: line) runs the block,
// hashed as written, and is said: Emacs hashes what the form evaluates
// to, so it runs the block once more. Where no hash is written (inline
// blocks and calls, :eval no, a language Borges skips, no :cache) the
// form is neither refused nor said; a :file-mode of (identity N) Borges
// evaluates and hashes as Emacs does.
func TestLispFormCacheNote(t *testing.T) {
	const note = "Emacs hashes what this form evaluates to"
	named := "#+name: a\n" + block("sh", "echo a")
	for _, c := range []struct {
		doc  string
		want map[int]string // a task's line → the start of its one note
	}{
		{block(`sh :cache yes :tangle (concat "a" ".sh")`, "true"), map[int]string{1: `:tangle (concat "a" ".sh"): ` + note}},
		{"#+PROPERTY: header-args :tangle (concat \"a\" \".sh\")\n\n" + block("sh :cache yes", "true"), map[int]string{3: `:tangle (concat "a" ".sh"): ` + note}},
		{"* h\n:PROPERTIES:\n:header-args:sh: :comments (concat \"li\" \"nk\")\n:END:\n" + block("sh :cache yes", "true"), map[int]string{5: `:comments (concat "li" "nk"): ` + note}},
		{block(`sh :cache yes :mkdirp (not nil)`, "true"), map[int]string{1: `:mkdirp (not nil): ` + note}},
		{block(`sh :cache yes :foo (+ 1 2)`, "true"), map[int]string{1: `:foo (+ 1 2): ` + note}},
		{block(`sh :cache yes :noweb-ref (concat "r")`, "true"), map[int]string{1: `:noweb-ref (concat "r"): ` + note}},
		{named + "#+call: a() :cache yes :tangle (concat \"a\")\n", map[int]string{1: "", 6: `:tangle (concat "a"): ` + note}},
		// Not cached: nothing hashed, nothing said.
		{block(`sh :tangle (concat "a" ".sh")`, "true"), map[int]string{1: ""}},
		// Inline results carry no hash.
		{"Text src_sh[:cache yes :tangle (concat \"a\" \".sh\")]{echo inl} here.\n", map[int]string{1: ""}},
		{named + "Text call_a[:cache yes :tangle (concat \"a\")]() here.\n", map[int]string{1: "", 6: ""}},
		// Never run, never hashed.
		{block(`sh :cache yes :eval no :tangle (concat "a")`, "true"), map[int]string{}},
		{block(`haskell :cache yes :tangle (concat "a")`, "main = pure ()"), map[int]string{}},
		{block(`sh :cache yes :results file :file x.txt :file-mode (identity #o644)`, "echo x"), map[int]string{1: ""}},
	} {
		p, err := Build(mustParse(t, c.doc), machine, DefaultOptions)
		if err != nil {
			t.Errorf("%q: %v", c.doc, err)
			continue
		}
		seen := map[int]bool{}
		for _, task := range p.Tasks {
			w, ok := c.want[task.Line]
			if !ok {
				t.Errorf("%q: a task at line %d (%s)", c.doc, task.Line, task.Block)
				continue
			}
			seen[task.Line] = true
			switch {
			case w == "" && len(task.Notes) > 0:
				t.Errorf("%q: line %d: notes %q, want none", c.doc, task.Line, task.Notes)
			case w != "" && (len(task.Notes) != 1 || !strings.HasPrefix(task.Notes[0], w)):
				t.Errorf("%q: line %d: notes %q, want one starting %q", c.doc, task.Line, task.Notes, w)
			}
		}
		if len(seen) != len(c.want) {
			t.Errorf("%q: tasks at lines %v, want %v", c.doc, seen, c.want)
		}
	}
}

// TestFileModeFormHash: a :file-mode of (identity N) is hashed as the
// number Emacs evaluates it to, as 420 written plainly is.
func TestFileModeFormHash(t *testing.T) {
	var hashes [2]string
	for i, h := range []string{"(identity #o644)", "420"} {
		doc := mustParse(t, block("sh :cache yes :results file :file x.txt :file-mode "+h, "echo x"))
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Fatalf("%s: %v", h, err)
		}
		if len(p.Tasks) != 1 {
			t.Fatalf("%s: %d tasks", h, len(p.Tasks))
		}
		if hashes[i], err = CacheHash(doc, p.Tasks[0], nil); err != nil || hashes[i] == "" {
			t.Fatalf("%s: hash %q, %v", h, hashes[i], err)
		}
	}
	if hashes[0] != hashes[1] {
		t.Errorf("(identity #o644) hashed %s, 420 hashed %s", hashes[0], hashes[1])
	}
}

// TestInlineCallRunsNothingNote: an inline call that Emacs runs nothing
// for (the first element of its name is data) is said, with its line
// and the call as written, not dropped silently.
func TestInlineCallRunsNothingNote(t *testing.T) {
	doc := "#+name: ov\n| 1 |\n\n#+name: ov\n" + block("sh", "echo ov") + "\nA call_ov() here and call_ov[:results raw](x=1)[:exports none] there.\n"
	p, err := Build(mustParse(t, doc), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range p.Notes {
		if strings.Contains(n, "call_") {
			got = append(got, n)
		}
	}
	if len(got) != 2 || !strings.HasPrefix(got[0], "line 10: call_ov(): Emacs runs nothing") || !strings.HasPrefix(got[1], "line 10: call_ov[:results raw](x=1)[:exports none]: Emacs runs nothing") {
		t.Fatalf("notes %q, want one for each inline call on line 10, as written", p.Notes)
	}
	for _, n := range got {
		if strings.Count(n, "runs nothing") != 1 || !strings.Contains(n, `the first element named "ov" (line 2)`) {
			t.Errorf("note %q: want the reason said once", n)
		}
	}
}
