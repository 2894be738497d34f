package plan

import (
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestVarSplitStops: a :var value org-babel-parse-multiple-vars makes
// into an assignment whose value is no value and no name Babel can find
// (":var x= y=2" joins to "x=y=2", the reference "y=2"; "x==1", "x=a=b",
// a tab inside) stops the document at that block with Emacs's error, the
// blocks before it run, as Emacs 28.2 does (testdata/stop_varparse_*);
// a value opening a string it does not close stops it where
// org-babel-read reads it; a bare :var stops it where Babel inserts the
// nil value in a buffer.
// Borges refused the whole document.
func TestVarSplitStops(t *testing.T) {
	first := block("sh", "echo first")
	after := block("sh", "echo after")
	cases := []struct {
		name, header, stop string
	}{
		{"empty then assignment", ":var x= y=2", "Reference ‘y=2’ not found in this buffer"},
		{"empty between", ":var a=1 x= b=2", "Reference ‘b=2’ not found in this buffer"},
		{"equals in value", ":var x=a=b", "Reference ‘a=b’ not found in this buffer"},
		{"double equals", ":var x==1", "Reference ‘=1’ not found in this buffer"},
		{"tab", ":var x=1\ty=2", "Reference ‘1\ty=2’ not found in this buffer"},
		{"unclosed quote", `:var x="abc y=2`, "End of file during parsing"},
		{"unclosed quote, escaped", `:var x="abc\" y=2`, "End of file during parsing"},
		{"bare var", ":var", "Wrong type argument: char-or-string-p, nil"},
		{"bare var between", ":results output :var :exports both", "Wrong type argument: char-or-string-p, nil"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := wantStop(t, first+block("sh "+c.header, "echo $x")+after, c.stop, 5)
			for _, task := range p.Tasks {
				if task.Line < 5 && task.Replaced != "" {
					t.Errorf("%s (line %d) before the stop not run: %s", task.Block, task.Line, task.Replaced)
				}
			}
		})
	}
	// A block of that name: Babel finds it (TestRefNameWithEquals).
}

// TestVarSplitStopsRefused: a block :eval refuses (no, never) or asks
// about (query) has its :var values resolved before :eval is looked at
// (org-babel-get-src-block-info, then org-babel-check-evaluate): a value
// Babel joins into a name no element has, or one opening a string it
// does not close, stops the document at that block as it does a block
// that runs (testdata/stop_varparse_eval*). Borges ran the blocks after it.
func TestVarSplitStopsRefused(t *testing.T) {
	first := block("sh", "echo first")
	after := block("sh", "echo after")
	cases := []struct {
		name, header, stop string
	}{
		{"eval no, empty then assignment", ":eval no :var x= y=2", "Reference ‘y=2’ not found in this buffer"},
		{"eval never, equals in value", ":eval never :var x=a=b", "Reference ‘a=b’ not found in this buffer"},
		{"eval no, unclosed quote", `:eval no :var x="abc y=2`, "End of file during parsing"},
		{"eval query, empty then assignment", ":eval query :var x= y=2", "Reference ‘y=2’ not found in this buffer"},
		{"eval query, unclosed quote", `:eval query :var x="abc y=2`, "End of file during parsing"},
		{"eval no, value then empty then assignment", ":eval no :var a=1 :var x= y=2", "Reference ‘y=2’ not found in this buffer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantStop(t, first+block("sh "+c.header, "echo $x")+after, c.stop, 5)
		})
	}
}

// TestBareVarCallStops: a bare :var in the header of a #+call: line or
// of an inline call stops the document at the call, with Emacs's
// "Wrong type argument: char-or-string-p, nil", the blocks before it
// run (testdata/stop_varparse_*call_bare*). Borges refused the whole
// document.
func TestBareVarCallStops(t *testing.T) {
	first := block("sh", "echo first")
	f := "#+name: f\n" + block("sh", "echo f")
	after := block("sh", "echo after")
	cases := []struct {
		name, call string
	}{
		{"inside header", "#+call: f[:var]()\n\n"},
		{"end header", "#+call: f() :var\n\n"},
		{"inline call", "Text call_f[:var]() here.\n\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantStop(t, first+c.call+f+after, "Wrong type argument: char-or-string-p, nil", 5)
		})
	}
}

// wantStop is the plan of the document text, which must stop at line
// with the error stop.
func wantStop(t *testing.T, text, stop string, line int) *Plan {
	t.Helper()
	p, err := Build(mustParse(t, text), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stop != stop || p.StopLine != line {
		t.Fatalf("stop %q at line %d, want %q at line %d", p.Stop, p.StopLine, stop, line)
	}
	return p
}

// TestUnknownRefStops: a reference naming nothing in the buffer stops
// the document at the block whose turn reaches it, with Emacs's
// "Reference ‘X’ not found in this buffer", the blocks before it run,
// as org-babel-ref-resolve signals it only there (testdata/stop_varref_*,
// stop_varparse_comma_number, _unclosed_quote_blank, _file_colon). A
// reference holding a colon is FILE:NAME for Babel, which visits the file
// (Borges reads no other file: the NAME is not found, as when the file
// does not exist), whatever block of the document has the whole name.
// Borges refused the whole document.
func TestUnknownRefStops(t *testing.T) {
	first := block("sh", "echo first")
	after := block("sh", "echo after")
	f := "#+name: f\n" + block("sh :var y=1", "echo f $y")
	cases := []struct {
		name, doc, stop string
		line            int
	}{
		{"var", block("sh :var x=nosuch", "echo $x"), "nosuch", 5},
		{"var indexed", block("sh :var x=nosuch[0]", "echo $x"), "nosuch", 5},
		{"old comma", block("sh :var x=1, y=2", "echo $x"), "1,", 5},
		{"unclosed quote, blank", block(`sh :var x="a b`, "echo $x"), "b", 5},
		{"file colon", block("sh :var x=a:b", "echo $x"), "b", 5},
		{"file colon, the name in the document", "#+name: a:b\n" + block("sh", "echo ab") + block("sh :var x=a:b", "echo $x"), "b", 10},
		{"stdin", block("sh :stdin nosuch", "cat"), "nosuch", 5},
		{"property", "* H\n:PROPERTIES:\n:header-args: :var x=nosuch\n:END:\n" + block("sh", "echo $x"), "nosuch", 9},
		{"call of no block", block("sh :var x=nosuch(y=1)", "echo $x"), "nosuch", 5},
		{"call argument", f + block("sh :var x=f(y=nosuch)", "echo $x"), "nosuch", 10},
		// Emacs runs the block, then stops resolving its :post, its
		// results not written.
		{"post", block("sh :post nosuch(x=*this*)", "echo post"), "nosuch", 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := wantStop(t, first+c.doc+after, org.RefNotFound(c.stop), c.line)
			for _, task := range p.Tasks {
				if task.Line < 5 && task.Replaced != "" {
					t.Errorf("%s (line %d) before the stop not run: %s", task.Block, task.Line, task.Replaced)
				}
			}
		})
	}
}

// TestRefNameWithEquals: ":var x= y=2" is x given the reference "y=2"
// (org-babel-parse-multiple-vars joins the pieces): a block named y=2
// is found and run for it, as in Emacs (testdata/varparse_name_with_equals).
// Borges refused the document.
func TestRefNameWithEquals(t *testing.T) {
	p, err := Build(mustParse(t, "#+name: y=2\n"+block("sh", "echo named")+block("sh :var x= y=2", "echo $x")), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if p.Stop != "" {
		t.Fatalf("stops: %s", p.Stop)
	}
	user := p.Tasks[len(p.Tasks)-1]
	if len(user.Vars) != 1 || user.Vars[0].Name != "x" || user.Vars[0].Ref != "y=2" {
		t.Errorf("vars %+v, want x the result of y=2", user.Vars)
	}
}

// TestUnknownRefStopsOnce: the references TestBuildRejects refused, each
// naming nothing in the buffer, stop the document at their block with
// Emacs's error (Babel's references find #+name: and #+tblname: only,
// compare a call's name exactly, keep a comma after a number or a name
// in the value: hunt_old_vars.org, and take a :var number with no name
// for the character of that code: hunt10f_varnum.org).
func TestUnknownRefStopsOnce(t *testing.T) {
	cases := []struct {
		name, doc, ref string
		line           int
	}{
		{"unknown var ref", block("sh :var x=ghost", "true"), "ghost", 1},
		{"called block missing", block("sh :var x=ghost(n=1)", "true"), "ghost", 1},
		{"noweb call missing", block("sh :noweb yes", "echo <<ghost(n=1)>>"), "ghost", 1},
		{"noweb call other case", "#+name: greet\n" + block("sh", "echo hi") + block("sh :noweb yes", "<<GREET()>>"), "GREET", 6},
		{"var of a srcname", "#+srcname: a\n" + block("sh", "true") + block("sh :var x=a", "true"), "a", 6},
		{"stdin of a data", "#+data: a\n" + block("sh", "true") + block("sh :stdin a", "true"), "a", 6},
		{"evaluated noweb of a source", "#+source: a\n" + block("sh", "true") + block("sh :noweb yes", "echo <<a()>>"), "a", 6},
		{"called srcname", "#+srcname: a\n" + block("sh", "true") + block("sh :var x=a(n=1)", "true"), "a", 6},
		{"var of a number alone", block("sh :var x=1 :var 2", "true"), "\x02", 1},
		{"comma after a number", block("sh :var x=1, y=2", "true"), "1,", 1},
		{"comma after a number in emacs lisp", block("emacs-lisp :var a=1, b=2", "a"), "1,", 1},
		{"comma after a number, a string after", block(`emacs-lisp :var a=1, b=2, c="x, y"`, "a"), "1,", 1},
		{"comma after a number in python", block("python :var a=1, b=2", "return a"), "1,", 1},
		{"comma after a name", "#+name: tbl\n| 1 |\n\n" + block("sh :var x=tbl, y=2", "true"), "tbl,", 4},
		{"var under COMMENT", "* COMMENT off\n#+name: off\n" + block("sh", "echo 1") + "* on\n" + block("sh :var x=off", "echo $x"), "off", 8},
		{"noweb call under COMMENT", "* COMMENT off\n#+name: off\n" + block("sh", "echo 1") + "* on\n" + block("sh :noweb yes", "echo <<off()>>"), "off", 8},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			wantStop(t, c.doc, org.RefNotFound(c.ref), c.line)
		})
	}
}
