package plan

import (
	"reflect"
	"testing"
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

func TestSplitWords(t *testing.T) {
	cases := []struct {
		in   string
		want []string
		err  bool
	}{
		{`1 "2 3"`, []string{"1", "2 3"}, false},
		{`a\ b 'c "d"' "e \"f\" \$g"`, []string{"a b", `c "d"`, `e "f" $g`}, false},
		{`-n "" last`, []string{"-n", "", "last"}, false},
		{`  x   y  `, []string{"x", "y"}, false},
		{`a'b'"c"`, []string{"abc"}, false},
		{`$HOME`, nil, true},
		{`"$HOME"`, nil, true},
		{`*.txt`, nil, true},
		{`a > b`, nil, true},
		{`'open`, nil, true},
		{`"open`, nil, true},
	}
	for _, c := range cases {
		got, err := splitWords(c.in)
		if (err != nil) != c.err {
			t.Errorf("%q: error %v, want error: %v", c.in, err, c.err)
			continue
		}
		if !c.err && !reflect.DeepEqual(got, c.want) {
			t.Errorf("%q: %q, want %q", c.in, got, c.want)
		}
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

// TestShebangCmdline: a shell block whose #! line runs another program
// gets its :cmdline as arguments, not as a shell line it cannot read.
func TestShebangCmdline(t *testing.T) {
	cases := []struct {
		shebang, want string
		args          []string
	}{
		{"#!/bin/sh -e", "#!/bin/sh -e\nset -- a 'b c'\ntrue", nil},
		{"#!/usr/bin/env bash", "#!/usr/bin/env bash\nset -- a 'b c'\ntrue", nil},
		{"#!/usr/bin/env python3", "#!/usr/bin/env python3\n\ntrue", []string{"a", "b c"}},
	}
	for _, c := range cases {
		doc := mustParse(t, "#+begin_src sh :shebang \""+c.shebang+"\" :cmdline a 'b c'\ntrue\n#+end_src\n")
		p, err := Build(doc, machine, DefaultOptions)
		if err != nil {
			t.Fatal(err)
		}
		script, err := Render(doc, p.Tasks[0], nil)
		if err != nil {
			t.Fatal(err)
		}
		if script != c.want || !reflect.DeepEqual(p.Tasks[0].CmdLine, c.args) {
			t.Errorf("%s: script %q, arguments %q", c.shebang, script, p.Tasks[0].CmdLine)
		}
	}
}
