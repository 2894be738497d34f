package plan

import "testing"

// TestRefusedReadStops: a block :eval refuses whose reading Emacs signals
// at (org-babel-get-src-block-info, not light, before
// org-babel-check-evaluate) stops the document at its own turn, and a
// reference reaching it first (with arguments or not) stops it at the
// referring block, with Emacs's message (checked with Emacs 28.2: the
// fixtures stop_evalno_read_*). Where Borges does not know what the
// reading does (a Lisp value before), no stop is made.
func TestRefusedReadStops(t *testing.T) {
	first := block("sh", "echo first")
	cases := []struct {
		name, doc string
		stop      string
		line      int
	}{
		{"empty var", first + "#+name: e\n" + block("sh :eval no :var y=", "echo e") + block("sh :var x=e", "true"), refEmptyStop, 5},
		{"empty var, eval never, unnamed", first + block("sh :eval never :var a=1 :var y=", "echo e"), refEmptyStop, 5},
		{"empty var after an unknown reference", first + block("sh :eval no :var a=nosuch :var y=", "echo e"), "Reference ‘nosuch’ not found in this buffer", 5},
		{"number file-ext", first + "#+name: e\n" + block("sh :eval no :file-ext 007", "echo e"), "Wrong type argument: sequencep, 7", 5},
		{"float file-ext", first + "#+name: e\n" + block("sh :noeval :file-ext 1.50", "echo e"), "Wrong type argument: sequencep, 1.5", 5},
		{"this", first + block("sh :eval no :var y=*this*", "echo e"), voidThisStop, 5},
		{"reference before", first + block("sh :var x=e", "true") + "#+name: e\n" + block("sh :eval no :var y=", "echo e"), refEmptyStop, 5},
		{"stdin before", first + block("sh :stdin e", "cat") + "#+name: e\n" + block("sh :eval no :file-ext 5", "echo e"), "Wrong type argument: sequencep, 5", 5},
		{"noweb before", first + block("sh :noweb yes", "echo <<e()>>") + "#+name: e\n" + block("sh :eval no :var y=", "echo e"), refEmptyStop, 5},
		{"call with arguments before", first + block("sh :var x=e(y=5)", "true") + "#+name: e\n" + block("sh :eval no :var y=", "echo e"), refEmptyStop, 5},
		{"call line with arguments before", first + "#+call: show(x=e(y=5)[0])\n\n#+name: show\n" + block("sh :var x=1", "echo $x") + "#+name: e\n" + block("sh :eval no :var y=", "echo e"), refEmptyStop, 5},
		{"reference before, runnable block of its name after", first + block("sh :var x=e", "true") + "#+name: e\n" + block("sh :eval no :var y=", "echo e") + "#+name: e\n" + block("sh", "echo ran"), refEmptyStop, 5},
		{"refused block referring to a later one", first + block("sh :eval no :var x=e", "true") + block("sh", "echo between") + "#+name: e\n" + block("sh :eval no :file-ext 5", "echo e"), "Wrong type argument: sequencep, 5", 5},
		{"refused block calling a later one", first + block("sh :eval no :var x=e(n=2)", "true") + block("sh", "echo between") + "#+name: e\n" + block("sh :eval no :var n=1 :var y=", "echo e"), refEmptyStop, 5},
		{"reference's stop before its own", first + block("sh :eval no :var a=g :var y=", "true") + "#+name: g\n" + block("sh :eval no :file-ext 5", "echo g"), "Wrong type argument: sequencep, 5", 5},
		{"eval query referring to it", first + block("sh :eval query :var x=e", "true") + "#+name: e\n" + block("sh :eval no :var y=", "echo e"), refEmptyStop, 5},
		{"reference to an eval query block referring to it", first + block("sh :var z=q", "true") + "#+name: q\n" + block("sh :eval query :var x=e", "true") + "#+name: e\n" + block("sh :eval no :var y=", "echo e"), refEmptyStop, 5},
		{"Lisp value before", first + block("sh :eval no :var a=(+ 1 2) :var y=", "echo e"), "", 0},
		{"Lisp dir", first + block("sh :eval no :dir (error \"boom\") :var y=", "echo e"), "", 0},
		{"own file", first + "#+name: e\n" + block("sh :eval no :file e.5 :file-ext 5", "echo e"), "", 0},
		{"unnamed file-ext", first + block("sh :eval no :file-ext 5", "echo e"), "", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := Build(mustParse(t, c.doc), machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			if p.Stop != c.stop || p.StopLine != c.line {
				t.Fatalf("stop %q at line %d, want %q at line %d", p.Stop, p.StopLine, c.stop, c.line)
			}
			if c.stop == "" {
				return
			}
			for _, task := range p.Tasks {
				if task.Line > c.line && task.Replaced == "" {
					t.Errorf("%s (line %d) runs after the stop", task.Block, task.Line)
				}
				if task.Line < c.line && task.Replaced != "" {
					t.Errorf("%s (line %d) before the stop not run: %s", task.Block, task.Line, task.Replaced)
				}
			}
		})
	}
}

// TestRefusedCallIsNil: a reference with arguments to a block :eval
// refuses is "nil" (Emacs 28.2: ref_evalno_call_args.org) where the
// block's own reading is, whatever the call's :var arguments (never
// resolved), by :var (indexed too), :stdin and noweb.
func TestRefusedCallIsNil(t *testing.T) {
	doc := mustParse(t, "#+name: e\n"+block("sh :eval no :var n=1", "echo e")+
		block("sh :var x=e(n=5) :var y=e(n=nosuch)[0] :var z=e[:results raw](7) :stdin e(n=(error \"x\")) :noweb yes", "echo <<e(n=2)>>"))
	q := `'"'"'nil'"'"'`
	renderedNil(t, doc, "x="+q+"\ny="+q+"\nz="+q+"\necho nil'", "printf %s 'nil' >")
}
