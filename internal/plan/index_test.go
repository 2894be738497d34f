package plan

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wallyqs/borges/internal/org"
)

// TestIndexValue covers what the differential fixture cannot show well:
// values that are not lists, and indexes past the end.
func TestIndexValue(t *testing.T) {
	tbl := Value{Table: [][]string{{"a", "1"}, {"b", "2"}}}
	cases := []struct {
		name, index string
		in          Value
		want        Value
	}{
		{"a scalar is not indexed", "1", Value{Scalar: "x"}, Value{Scalar: "x"}},
		{"a cell", "1,1", tbl, Value{Scalar: "2", Number: true}},
		{"a column", ",0", tbl, Value{IsList: true, List: []Value{{Scalar: "a"}, {Scalar: "b"}}}},
		{"the whole", "*", tbl, tbl},
		{"a list item from the end", "-1", Value{IsList: true, List: []Value{{Scalar: "p"}, {Scalar: "q"}}}, Value{Scalar: "q"}},
		{"past the end", "5", tbl, Value{IsList: true}},
		{"an empty range", "1:0", tbl, Value{IsList: true}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := indexValue(c.in, c.index); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("got %+v, want %+v", got, c.want)
			}
		})
	}
}

// TestIndexLispValues: the values of Emacs Lisp blocks, as references
// receive them (read as readLispVar reads them), indexed as
// org-babel-ref-index-list indexes Lisp values, and printed as %S.
func TestIndexLispValues(t *testing.T) {
	cases := []struct{ value, index, want string }{
		{`r"[1 2 3]"`, "1", "[1 2 3]"},
		{`((d1 d2) (d3 d4))`, "1,0", "3"},
		{`((d1 d2) (d3 d4))`, ",1", "(2 4)"},
		{`(r"[1 2]" r"[3 4]")`, "1,0", "[3 4]"},
		{`(y"a" y"b" (y"c" y"d") n y"t")`, "2,1", "d"},
		{`(y"a" y"b" (y"c" y"d") n y"t")`, "3:4", "(nil t)"},
		{`((d1 (d2 d3)) (d4 (d5 d6)) (d7 (d8 (d9 d10))))`, "2,1,1,0", "9"},
		{`((d1 (d2 d3)) (d4 (d5 d6)) (d7 (d8 (d9 d10))))`, ",1,0", "(2 5 8)"},
		{`(s"say \"hi\"" s"it's")`, "0", `"say \"hi\""`},
	}
	for _, c := range cases {
		if got := lispValue(indexValue(readLispVar(c.value), c.index)); got != c.want {
			t.Errorf("%s[%s] = %s, want %s", c.value, c.index, got, c.want)
		}
	}
}

// TestShellItemsOfLists: ob-shell writes a list's items that are not
// strings with %S: nil, a nested list.
func TestShellItemsOfLists(t *testing.T) {
	v := readLispVar(`(y"a" s"c" d1 n (d2 s"x"))`)
	if got, want := v.shellText(shellForm{}), "a\nc\n1\nnil\n(2 \"x\")"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

// TestStdinOfShellsOnly: Babel gives standard input to shells only; other
// languages' Babel ignores :stdin, and Borges with it.
func TestStdinOfShellsOnly(t *testing.T) {
	doc := "#+name: w\n#+begin_src sh\necho a\n#+end_src\n\n#+begin_src python :stdin w\nreturn 1\n#+end_src\n"
	p, err := Build(mustParse(t, doc), machine, DefaultOptions)
	if err != nil {
		t.Fatal(err)
	}
	if py := p.Tasks[1]; py.stdin != nil || len(py.After) != 0 {
		t.Errorf("python block: stdin %v, after %v; want neither", py.stdin, py.After)
	}
}

// TestShellCommandScript runs the program a shell block with :stdin or
// :cmdline becomes: the script is run through the shell from a file (with
// or without #!), :cmdline expanded and redirected there, the exit status
// kept, the standard error in the output, and the temporary directory
// gone afterwards.
func TestShellCommandScript(t *testing.T) {
	cases := []struct {
		name, header, body, want string
		status                   int
		noBash                   bool // PATH holds the tools the program needs, not bash
	}{
		{"arguments split by the shell", `sh :cmdline a "b c"`, `echo "$#:$2"`, "2:b c\n", 0, false},
		{"$0 is the script file", `sh :cmdline x`, `[ -f "$0" ] && echo "${0##*/}"`, "sh-script-borges\n", 0, false},
		{"a redirection of standard input", `bash :stdin w :cmdline <in`, `cat`, "from file\n", 0, false},
		{"standard input", `sh :stdin w`, `cat; echo`, "a\n", 0, false},
		{"standard error mixed in", `sh :cmdline x`, `echo e >&2; exit 3`, "e\n", 3, false},
		{"a #! line runs the script", `sh :shebang "#!/bin/sh -e" :cmdline a b`, `echo "$2"; false; echo not`, "b\n", 1, false},
		{"the block's shell missing", `bash :cmdline x`, `echo "$1"`, "", 127, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := mustParse(t, "#+name: w\n#+begin_src sh\necho a\n#+end_src\n\n#+begin_src "+c.header+"\n"+c.body+"\n#+end_src\n")
			p, err := Build(doc, machine, DefaultOptions)
			if err != nil {
				t.Fatal(err)
			}
			// The block's own run, after the run its :stdin makes of w.
			task := p.Tasks[len(p.Tasks)-1]
			if got := strings.Join(task.Interpreter, " "); got != "sh" || len(task.CmdLine) != 0 {
				t.Fatalf("interpreter %q, arguments %q; want sh and none", got, task.CmdLine)
			}
			refs := map[string]Value{}
			for _, a := range task.After {
				refs[a] = Value{Scalar: "a"}
			}
			prog, err := Render(doc, task, refs)
			if err != nil {
				t.Fatal(err)
			}
			dir, tmp := t.TempDir(), t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "in"), []byte("from file\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			sh, err := exec.LookPath("sh")
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(sh, "-c", prog)
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			if c.noBash {
				cmd.Env = append(cmd.Env, "PATH="+toolsOnly(t, "mktemp", "chmod", "rm", "cat"))
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			status := 0
			if e, ok := err.(*exec.ExitError); ok {
				status = e.ExitCode()
			} else if err != nil {
				t.Fatal(err)
			}
			if string(out) != c.want || status != c.status {
				t.Errorf("output %q, status %d; want %q, %d\n%s", out, status, c.want, c.status, prog)
			}
			if c.noBash && !strings.Contains(stderr.String(), "bash is not installed") {
				t.Errorf("standard error %q does not say bash is missing", stderr.String())
			}
			if left, _ := os.ReadDir(tmp); len(left) != 0 {
				t.Errorf("left in the temporary directory: %v", left)
			}
		})
	}
}

// toolsOnly is a directory for PATH holding the named programs alone.
func toolsOnly(t *testing.T, names ...string) string {
	dir := t.TempDir()
	for _, n := range names {
		p, err := exec.LookPath(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(p, filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRewrittenDataRefused: data named on a block's anonymous results is
// what the block writes there once it ran; a :var reads that back, a
// :stdin or noweb reference after the block is refused (Borges would
// read the data as the document has it), one before it reads the data.
func TestRewrittenDataRefused(t *testing.T) {
	const writer = "#+begin_src sh\necho new\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n"
	for _, c := range []struct{ doc, arg string }{
		{writer + "#+begin_src sh :stdin data\ncat\n#+end_src\n", ":stdin"},
		{writer + "#+begin_src sh :noweb yes\necho <<data()>>\n#+end_src\n", ":noweb"},
		{"#+begin_src sh :stdin data\ncat\n#+end_src\n\n" + writer, ""},
		{writer + "#+begin_src sh :var x=data\necho $x\n#+end_src\n", ""},
		{"#+begin_src sh :results append\necho new\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n#+begin_src sh :var x=data\necho $x\n#+end_src\n", ":var"},
		// Babel runs B again for each reference to it, when the
		// referring block runs: before the writer, B reads the old
		// data, after it the new. So does Borges, each reference a run
		// of its own (rerun.go; fixture rerun_rewritten_data.org).
		{"#+begin_src sh :var y=B\necho $y\n#+end_src\n\n" + writer + "#+name: B\n#+begin_src sh :var x=data\necho $x\n#+end_src\n", ""},
		{"#+name: B\n#+begin_src sh :var x=data\necho $x\n#+end_src\n\n" + writer + "#+begin_src sh :var y=B\necho $y\n#+end_src\n", ""},
		{"#+name: B\n#+begin_src sh :var x=data\necho $x\n#+end_src\n\n" + writer + "#+call: B()\n", ""},
		{"#+name: B\n#+begin_src sh :var x=data\necho $x\n#+end_src\n\n" + writer + "#+begin_src sh :noweb yes\necho <<B()>>\n#+end_src\n", ""},
		{"#+name: B\n#+begin_src sh :var x=data\necho $x\n#+end_src\n\n#+name: A\n#+begin_src sh :var y=B\necho $y\n#+end_src\n\n" + writer + "#+begin_src sh :var z=A\necho $z\n#+end_src\n", ""},
		// B's output read by Emacs: the reference's run has its own
		// reading.
		{"#+name: B\n#+begin_src ruby :var x=data :results output table\nputs x\n#+end_src\n\n" + writer + "#+begin_src sh :var y=B\necho $y\n#+end_src\n", ""},
		// A #+call: line runs B where it is, reading the new results.
		// On the same side, B's one run serves both.
		{"#+name: B\n#+begin_src sh :var x=data\necho $x\n#+end_src\n\n#+begin_src sh :var y=B\necho $y\n#+end_src\n\n" + writer, ""},
		{writer + "#+name: B\n#+begin_src sh :var x=data\necho $x\n#+end_src\n\n#+begin_src sh :var y=B\necho $y\n#+end_src\n", ""},
	} {
		whys := []string{"rewrites"}
		if strings.HasPrefix(c.doc, writer) {
			whys = append(whys, "line 1") // the writer's line given
		}
		refusedOnly(t, c.doc, c.arg, whys...)
	}
}

// refusedOnly checks that doc's plan has one problem, of arg, saying
// each of whys, or none when arg is "".
func refusedOnly(t *testing.T, doc, arg string, whys ...string) {
	t.Helper()
	_, err := Build(mustParse(t, doc), machine, DefaultOptions)
	var rej *RejectError
	switch {
	case arg == "" && err != nil:
		t.Errorf("%q: %v", doc, err)
	case arg != "" && (!errors.As(err, &rej) || len(rej.Problems) != 1 || rej.Problems[0].Arg != arg):
		t.Errorf("%q: %v, want a problem of %s", doc, err, arg)
	case arg != "":
		for _, why := range whys {
			if !strings.Contains(rej.Problems[0].Why, why) {
				t.Errorf("%q: %v, want it to say %q", doc, err, why)
			}
		}
	}
}

// TestReadNextResultsAcross: the next element of the name a reader
// reads is the results of another block B (its writer writing nothing
// there, Babel reads them), which B rewrites. A reference to the reader
// from the other side of B, B's own included, gets other results in
// Emacs (it runs the reader for it with B's old results, then in its
// place with the new ones): so does Borges, the reference a run of the
// reader of its own (rerun.go), and the reader's own run, after B, binds
// B's new results, as from the same side of B.
func TestReadNextResultsAcross(t *testing.T) {
	const head = "#+begin_src sh :results output\ntrue\n#+end_src\n\n#+name: data\n#+RESULTS:\n: old\n\n"
	const results = "\n#+name: data\n#+RESULTS:\n: stale\n\n"
	const user = "#+name: user\n#+begin_src sh :var x=data :results output\necho \"[$x]\"\n#+end_src\n\n"
	for _, c := range []struct{ doc, want string }{
		{head + "#+begin_src sh :var y=user :results output\necho \"fresh $y\"\n#+end_src\n" + results + user, ""},
		{head + "#+begin_src sh :results output\necho fresh\n#+end_src\n" + results + user + "#+begin_src sh :var y=user\necho $y\n#+end_src\n", ""},
	} {
		user, blk := readerOf(t, c.doc)
		if user == nil {
			continue
		}
		bv := user.values[0]
		refs := map[string]Value{NotReadBackKey(bv.readBack): {Scalar: org.RefNotFound("data")}}
		if bv.nextOf != "" {
			refs[ReadBackKey(bv.nextOf)] = Value{Scalar: "fresh"}
		}
		b, err := user.bind(blk, refs)
		switch {
		case c.want == "" && (err != nil || len(b) != 1 || b[0].value.text() != "fresh"):
			t.Errorf("%q: bound %+v, err %v; want B's new results", c.doc, b, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%q: err %v, want it to say %q", c.doc, err, c.want)
		}
	}
}
