package plan

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
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
	// The result of its run of y=2 (a run of its own, rerun.go).
	if len(user.Vars) != 1 || user.Vars[0].Name != "x" || user.Vars[0].Ref != "block-2 :var x=y=2" {
		t.Errorf("vars %+v, want x the result of y=2", user.Vars)
	}
}

// TestUnknownReferenceRefused: a reference naming no block of the
// document (a typo) is bad input Borges sees before running anything:
// it refuses the whole document, naming the line, the header argument
// or construct the reference is in, and the name (testdata/unknownref_*).
// Emacs runs the blocks before and stops at the block with "Reference
// ‘nosuch’ not found in this buffer": a deliberate difference (nothing
// half-done). A reference holding a colon is FILE:NAME for Babel, which
// visits the file FILE: Borges reads no other file, and refuses it even
// where a block of the document has the whole name, which Emacs does not
// find.
func TestUnknownReferenceRefused(t *testing.T) {
	for _, c := range []struct {
		fixture string
		line    int
		in      []string // the header argument or construct, and the name
	}{
		{"plain", 7, []string{`:var`, `"nosuch"`}},
		{"index", 7, []string{`:var`, `"nosuch"`}},
		{"called_missing", 7, []string{`:var`, `"nosuch"`}},
		{"called_arg", 12, []string{`:var`, `f(y=nosuch)`, `"nosuch"`}},
		{"call_arg", 12, []string{`#+call: f(y=nosuch)`, `"nosuch"`}},
		{"inline_call_arg", 12, []string{`call_f(y=nosuch)`, `"nosuch"`}},
		{"noweb_call", 7, []string{`:noweb`, `"nosuch"`}},
		{"post", 7, []string{`:post`, `"nosuch"`}},
		{"stdin", 7, []string{`:stdin`, `"nosuch"`}},
		{"property", 11, []string{`:var (in a property)`, `"nosuch"`}},
		{"plain", 7, []string{`block "block-2": :var: no runnable`}},
		{"colon_named", 12, []string{`:var`, `a:b`, `file`}},
	} {
		t.Run(c.fixture, func(t *testing.T) {
			text, err := os.ReadFile("testdata/unknownref_" + c.fixture + ".org")
			if err != nil {
				t.Fatal(err)
			}
			p, err := Build(mustParse(t, string(text)), machine, DefaultOptions)
			var rej *RejectError
			if !errors.As(err, &rej) {
				t.Fatalf("not refused: %v (stop %q)", err, planStop(p))
			}
			msg := err.Error()
			want := append([]string{fmt.Sprintf("line %d: ", c.line)}, c.in...)
			for _, w := range want {
				if !strings.Contains(msg, w) {
					t.Errorf("refusal does not say %q:\n%s", w, msg)
				}
			}
		})
	}
}

func planStop(p *Plan) string {
	if p == nil {
		return ""
	}
	return p.Stop
}
